"""Dossier pages: a confirmation after saving or handing over, the answer shown back, and a
dossiers list filtered by territory, status, category and days, never beyond the reader's scope."""

import datetime
import re

import pytest
from django.urls import reverse

from abwab.listening.models import Concern, Dossier, DossierStatus
from abwab.people.models import Institution, Mandate, MandateRole
from abwab.people.tests.factories import PersonFactory
from conftest import in_arabic

pytestmark = pytest.mark.django_db
LIST = reverse("listening:dossiers")


def shown(response) -> set[tuple[str, str]]:
    return {(d.territory.code, d.category.code) for d in response.context["dossiers"]}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_handing_over_and_saving_confirm_and_the_answer_is_shown_back(client, actors, places):
    dossier = Dossier.objects.get(territory=places["taounate_a"].node, category__code="water")
    mayor = Mandate.objects.create(
        person=PersonFactory(),
        institution=Institution.COMMUNAL_COUNCIL,
        role=MandateRole.PRESIDENT,
        territory=places["taounate_a"].node,
        starts_on=datetime.date(2021, 9, 20),
    )
    url = reverse("listening:dossier", args=[dossier.pk])
    client.force_login(actors.taounate)
    response = client.post(url, {"handover": "1", "mandates": [mayor.pk]}, follow=True)
    assert messages_of(response) == [
        in_arabic("The dossier was handed to %(names)s.") % {"names": str(mayor.person)}
    ]
    answer = "برمجة مشروع الربط بالماء الصالح للشرب"
    response = client.post(url, {"status": "answered", "note": "", "answer": answer}, follow=True)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.answer) == ("answered", answer)
    status = in_arabic("Answered")
    assert messages_of(response) == [
        in_arabic("The dossier was saved: %(status)s.") % {"status": status}
    ]
    html = response.content.decode()
    assert re.search(r'id="answer".*?' + answer, html, flags=re.S)  # the answer card
    assert re.search(r"<textarea[^>]*>\s*" + answer + r"</textarea>", html)  # and the form


def test_a_refused_save_says_why(client, actors, places):
    dossier = Dossier.objects.get(territory=places["taounate_a"].node, category__code="water")
    client.force_login(actors.taounate)
    url = reverse("listening:dossier", args=[dossier.pk])
    response = client.post(url, {"status": "council", "note": "", "answer": ""}, follow=True)
    assert messages_of(response) == [in_arabic("Hand the dossier to an elected member first.")]
    response = client.post(url, {"status": "nowhere", "note": "", "answer": ""}, follow=True)
    assert len(messages_of(response)) == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.OPEN


def test_filters_by_territory_status_category_and_days(client, actors, places):
    a, b = places["taounate_a"].node, places["taounate_b"].node
    Dossier.objects.filter(territory=b).update(status=DossierStatus.COUNCIL)
    Concern.objects.filter(territory=a).update(
        recorded_at=datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
    )
    Concern.objects.filter(territory=b).update(
        recorded_at=datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)
    )
    client.force_login(actors.taounate)
    everything = shown(client.get(LIST))
    assert everything == {(a.code, "water"), (b.code, "water")}
    assert shown(client.get(LIST, {"territory": a.code})) == {(a.code, "water")}
    assert shown(client.get(LIST, {"status": "council"})) == {(b.code, "water")}
    assert shown(client.get(LIST, {"category": "roads"})) == set()
    assert shown(client.get(LIST, {"category": "water"})) == everything
    days = {"since": "2026-03-01", "until": "2026-03-31"}
    assert shown(client.get(LIST, days)) == {(a.code, "water")}
    assert shown(client.get(LIST, {"since": "10/04/2026"})) == {(b.code, "water")}


@pytest.mark.parametrize(
    "query",
    [
        {"territory": "03.061"},  # Meknès, another province
        {"territory": "03"},  # the region above the reader's province
        {"territory": "02"},  # another region
        {"territory": "nowhere"},
        {"status": "lost"},
        {"category": "no-such-category"},
        {"since": "2026-04-01", "until": "2026-03-01"},
        {"until": "03/30/2026"},
    ],
)
def test_bad_or_foreign_filters_are_refused_and_never_widen_the_view(client, actors, places, query):
    client.force_login(actors.taounate)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["dossiers"] == [] and response.context["by_category"] == []
    assert 'role="alert"' in response.content.decode()
    assert places["meknes"].node.name_ar not in response.content.decode()


def test_the_territory_menu_holds_only_the_readers_scope(client, actors, places):
    client.force_login(actors.taounate)
    field = client.get(LIST).context["form"].fields["territory"]
    codes = set(field.queryset.values_list("code", flat=True))
    assert "03.531" in codes and places["taounate_a"].node.code in codes
    assert all(code.startswith("03.531") for code in codes)
