import datetime

import pytest
from django.urls import reverse

from abwab.campaigns.tests.attacker import (
    MEKNES_CIN,
    MEKNES_PHONE,
    leaked,
    meknes_digest,
    meknes_with_identifiers,
)
from abwab.people.models import Person
from abwab.people.services import person_update
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def form_data(territory, **extra):
    return {
        "first_name_ar": "سعاد",
        "last_name_ar": "بناني",
        "first_name_latin": "",
        "last_name_latin": "",
        "gender": "F",
        "birth_date": "1985-03-02",
        "cin": "",
        "phone": "",
        "email": "",
        "education": "",
        "profession": "",
        "territory": territory.pk,
        **extra,
    }


def test_register_shows_the_duplicate_before_saving_then_links_or_confirms(client, actors, places):
    existing = places["taounate_a"].person
    person_update(
        actor=None, person=existing, last_name_ar="بناني", birth_date=datetime.date(1985, 3, 2)
    )
    client.force_login(actors.taounate)
    url = reverse("people:register")
    response = client.post(
        url,
        form_data(places["taounate_b"].node, first_name_latin="Souad", last_name_latin="Bennani"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "person-taounate_a" in content
    assert reverse("people:detail", args=[existing.pk]) in content
    assert Person.objects.filter(last_name_ar="بناني").count() == 1  # nothing saved yet
    response = client.post(url, form_data(places["taounate_b"].node, confirm_new="on"))
    assert response.status_code == 302
    assert Person.objects.filter(last_name_ar="بناني").count() == 2


def test_a_match_outside_the_scope_is_announced_without_its_details(client, actors, places):
    sibling = places["meknes"].person
    person_update(actor=None, person=sibling, cin="CD998877")
    client.force_login(actors.taounate)
    response = client.get(
        reverse("people:duplicates"), {"first_name_latin": "Souad", "cin": "cd998877"}
    )
    content = response.content.decode()
    assert response.context["elsewhere"] is True  # "a record may already exist outside your area"
    assert response.context["candidates"] == []
    assert "person-meknes" not in content
    assert reverse("people:detail", args=[sibling.pk]) not in content
    for place in (
        sibling.territory,
        sibling.territory.parent,
        Territory.objects.get(code="03.061"),
    ):
        assert place.name_ar not in content and place.name_fr not in content


@pytest.mark.parametrize("actor_name", ["volunteer", "media", "auditor", "outsider"])
def test_roles_that_do_not_register_people_get_no_lookup_by_cin_or_phone(
    client, actors, places, actor_name
):
    meknes = places["meknes"]
    meknes_with_identifiers(meknes)
    before = meknes_digest(meknes)
    client.force_login(getattr(actors, actor_name))
    for query in ({"cin": MEKNES_CIN}, {"phone": MEKNES_PHONE}, {"first_name_ar": "سعاد"}):
        response = client.get(reverse("people:duplicates"), query)
        assert response.status_code == 404
        assert leaked(response.content.decode(), meknes) == []
    assert meknes_digest(meknes) == before


def test_a_secretary_learns_only_that_a_record_may_exist_elsewhere(client, actors, places):
    meknes = places["meknes"]
    meknes_with_identifiers(meknes)
    client.force_login(actors.taounate)
    for query in ({"cin": MEKNES_CIN.lower()}, {"phone": MEKNES_PHONE}):
        response = client.get(reverse("people:duplicates"), query)
        assert response.status_code == 200
        assert (response.context["candidates"], response.context["elsewhere"]) == ([], True)
        assert leaked(response.content.decode(), meknes, typed=MEKNES_CIN) == []
        assert f"/people/{meknes.person.pk}/" not in response.content.decode()


def test_register_with_bad_input_keeps_what_was_typed_and_saves_nothing(client, actors, places):
    client.force_login(actors.taounate)
    client.cookies["django_language"] = "fr"
    response = client.post(
        reverse("people:register"), form_data(places["taounate_a"].node, cin="12345", phone="abc")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "12345" in content and "سعاد" in content
    assert not Person.objects.filter(last_name_ar="بناني").exists()


@pytest.mark.parametrize("actor_name", ["media", "auditor", "outsider"])
def test_roles_that_do_not_register_people_get_404(client, actors, places, actor_name):
    client.force_login(getattr(actors, actor_name))
    assert client.get(reverse("people:register")).status_code == 404
    assert (
        client.post(reverse("people:register"), form_data(places["taounate_a"].node)).status_code
        == 404
    )
    assert not Person.objects.filter(last_name_ar="بناني").exists()


def test_register_offers_only_communes_in_scope(client, actors, places):
    client.force_login(actors.taounate)
    response = client.post(reverse("people:register"), form_data(places["meknes"].node))
    assert "territory" in response.context["form"].errors
    assert not Person.objects.filter(last_name_ar="بناني").exists()


def test_search_is_spelling_tolerant_across_scripts(client, actors, places):
    person_update(
        actor=None, person=places["taounate_a"].person, first_name_ar="محمد", last_name_ar="العلوي"
    )
    client.force_login(actors.taounate)
    response = client.get(reverse("people:list"), {"q": "Mohammed"})
    assert "person-taounate_a" in response.content.decode()
    response = client.get(reverse("people:list"), {"q": "Mohammed"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()


def test_edit_is_checked_and_logged_in_history(client, actors, places):
    person = places["taounate_a"].person
    client.force_login(actors.auditor)
    assert (
        client.post(reverse("people:edit", args=[person.pk]), {"first_name_ar": "x"}).status_code
        == 404
    )
    client.force_login(actors.taounate)
    data = form_data(
        places["taounate_a"].node, phone="0661-000000", last_name_latin="person-taounate_a"
    )
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.last_name_ar) == ("+212661000000", "بناني")
