"""Screens and API of office holders and mandates: who may, and every id through the scope gate."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from abwab.core.models import AuditEntry
from abwab.people.models import Function, Mandate, Person, Position
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Body, BodyKind, Territory
from abwab.territory.services import body_create
from conftest import in_arabic

pytestmark = pytest.mark.django_db

FES_MEKNES, TAOUNATE, MEKNES = "03", "03.531", "03.061"


def node(code: str) -> Territory:
    return Territory.objects.get(code=code)


def commune_of(code: str) -> Territory:
    return node(code).children.filter(level=3).order_by("code").first()


@pytest.fixture
def bodies(db):
    def make(kind, code, name):
        return body_create(kind=kind, territory=node(code), name_ar=name, name_fr=name)

    return {
        "regional": make(BodyKind.REGIONAL_SECRETARIAT, FES_MEKNES, "regional-secretariat"),
        "taounate": make(BodyKind.PROVINCIAL_SECRETARIAT, TAOUNATE, "taounate-secretariat"),
        "meknes": make(BodyKind.PROVINCIAL_SECRETARIAT, MEKNES, "meknes-secretariat"),
    }


@pytest.fixture
def meknes_person(db):
    return PersonFactory(territory=commune_of(MEKNES), last_name_latin="Meknassi", cin="D123456")


@pytest.fixture
def taounate_person(db):
    return PersonFactory(territory=commune_of(TAOUNATE), last_name_latin="Taounati")


def in_bodies(bodies):
    return Position.objects.filter(body__in=bodies.values())


def of_people(*people):
    return Mandate.objects.filter(person__in=people)


def appoint_data(person=None, function=Function.PROVINCIAL_SECRETARY, **extra):
    data = {"function": function, "starts_on": "2026-01-15"}
    if person is not None:
        data["person"] = person.pk
    return {**data, **extra}


def test_the_taounate_secretary_appoints_in_taounate(client, actors, bodies, taounate_person):
    client.force_login(actors.taounate)
    body = bodies["taounate"]
    response = client.post(
        reverse("people:body_appoint", args=[body.pk]), appoint_data(taounate_person)
    )
    assert response.status_code == 302
    position = Position.objects.get(body=body)
    assert (position.person, position.function, position.starts_on) == (
        taounate_person,
        Function.PROVINCIAL_SECRETARY,
        datetime.date(2026, 1, 15),
    )
    entry = AuditEntry.objects.get(action="position_appoint")
    assert (entry.object_id, entry.territory_id) == (str(position.pk), node(TAOUNATE).pk)
    page = client.get(reverse("people:body", args=[body.pk]))
    assert page.status_code == 200
    assert taounate_person.name_ar in page.content.decode()
    read = AuditEntry.objects.filter(action="read", object_type="territory.Body").get()
    assert (read.object_id, read.actor) == (str(body.pk), actors.taounate)


def test_a_taounate_secretary_cannot_appoint_in_meknes(client, actors, bodies, taounate_person):
    client.force_login(actors.taounate)
    response = client.post(
        reverse("people:body_appoint", args=[bodies["meknes"].pk]), appoint_data(taounate_person)
    )
    assert response.status_code == 404
    assert client.get(reverse("people:body", args=[bodies["meknes"].pk])).status_code == 404
    assert in_bodies(bodies).count() == 0
    assert not AuditEntry.objects.filter(action="position_appoint").exists()


def test_a_taounate_secretary_cannot_name_a_meknes_person(client, actors, bodies, meknes_person):
    client.force_login(actors.taounate)
    url = reverse("people:body_appoint", args=[bodies["taounate"].pk])
    assert client.post(url, appoint_data(meknes_person)).status_code == 404
    # Nor create one in Meknès from the form, nor find one there by name or CIN.
    new = appoint_data(new_first_name_ar="سعاد", new_territory=commune_of(MEKNES).code)
    assert client.post(url, new).status_code == 404
    search = client.get(reverse("people:body", args=[bodies["taounate"].pk]), {"q": "D123456"})
    assert "Meknassi" not in search.content.decode()
    assert f'value="{meknes_person.pk}"' not in search.content.decode()
    assert in_bodies(bodies).count() == 0
    assert not Person.objects.filter(
        territory=commune_of(MEKNES), created_by=actors.taounate
    ).exists()


def test_the_regional_secretary_names_a_meknes_person_in_the_regional_body(
    client, actors, bodies, meknes_person
):
    client.force_login(actors.fes_meknes)
    search = client.get(reverse("people:body", args=[bodies["regional"].pk]), {"q": "D123456"})
    assert f'value="{meknes_person.pk}"' in search.content.decode()
    for body in (bodies["regional"], bodies["meknes"]):
        response = client.post(
            reverse("people:body_appoint", args=[body.pk]), appoint_data(meknes_person)
        )
        assert response.status_code == 302
    assert sorted(in_bodies(bodies).values_list("body__name_fr", flat=True)) == [
        "meknes-secretariat",
        "regional-secretariat",
    ]


def test_appointing_a_new_person_creates_them_in_scope(client, actors, bodies):
    client.force_login(actors.taounate)
    commune = commune_of(TAOUNATE)
    data = appoint_data(
        function=Function.TREASURER,
        new_first_name_ar="نادية",
        new_last_name_ar="العلوي",
        new_gender="F",
        new_territory=commune.code,
    )
    response = client.post(reverse("people:body_appoint", args=[bodies["taounate"].pk]), data)
    assert response.status_code == 302
    position = in_bodies(bodies).select_related("person").get()
    assert (position.person.name_ar, position.person.gender, position.person.territory) == (
        "نادية العلوي",
        "F",
        commune,
    )
    assert AuditEntry.objects.filter(action="person_create").count() == 1


def test_a_refused_appointment_shows_why_and_saves_nothing(client, actors, bodies, taounate_person):
    client.force_login(actors.taounate)
    url = reverse("people:body_appoint", args=[bodies["taounate"].pk])
    client.post(url, appoint_data(taounate_person))
    other = PersonFactory(territory=commune_of(TAOUNATE))
    response = client.post(url, appoint_data(other))
    assert response.status_code == 422
    refusal = in_arabic("%(person)s holds this function from %(day)s: end that term first.")
    assert max(re.split(r"%\(\w+\)s", refusal), key=len) in response.content.decode()
    # A new person typed with the refused appointment is not kept either.
    response = client.post(
        url, appoint_data(new_first_name_ar="جديد", new_territory=commune_of(TAOUNATE).code)
    )
    assert response.status_code == 422
    assert in_bodies(bodies).count() == 1
    assert not Person.objects.filter(first_name_ar="جديد").exists()


def test_ending_a_term_from_the_body_page(client, actors, bodies, taounate_person):
    position = Position.objects.create(
        person=taounate_person,
        body=bodies["taounate"],
        function=Function.PROVINCIAL_SECRETARY,
        rank=2,
        starts_on=datetime.date(2025, 1, 1),
    )
    client.force_login(actors.meknes)
    url = reverse("people:position_end", args=[position.pk])
    assert client.post(url, {"ends_on": "2026-01-31"}).status_code == 404
    position.refresh_from_db()
    assert position.ends_on is None
    client.force_login(actors.taounate)
    assert client.post(url, {"ends_on": "2026-01-31"}).status_code == 302
    position.refresh_from_db()
    assert position.ends_on == datetime.date(2026, 1, 31)
    assert AuditEntry.objects.filter(action="position_end", object_id=str(position.pk)).exists()


@pytest.mark.parametrize("actor_name", ["volunteer", "media"])
def test_volunteers_and_media_officers_cannot_see_or_appoint(client, actors, places, actor_name):
    body = places["taounate_a"].body
    person = places["taounate_a"].person
    client.force_login(getattr(actors, actor_name))
    assert client.get(reverse("people:body", args=[body.pk])).status_code == 404
    assert client.get(reverse("people:officials")).status_code == 404
    before = Position.objects.count()
    response = client.post(reverse("people:body_appoint", args=[body.pk]), appoint_data(person))
    assert response.status_code == 404
    assert Position.objects.count() == before


def test_the_auditor_reads_but_cannot_appoint(client, actors, places):
    body = places["taounate_b"].body
    client.force_login(actors.auditor)
    page = client.get(reverse("people:body", args=[body.pk]))
    assert page.status_code == 200
    assert 'id="appoint"' not in page.content.decode()
    before = Position.objects.count()
    response = client.post(
        reverse("people:body_appoint", args=[body.pk]), appoint_data(places["taounate_b"].person)
    )
    assert response.status_code == 404
    assert Position.objects.count() == before


def test_the_body_page_shows_holders_titles_vacancies(client, actors, bodies, taounate_person):
    woman = PersonFactory(territory=commune_of(TAOUNATE), gender="F")
    Position.objects.create(
        person=woman,
        body=bodies["taounate"],
        function=Function.PROVINCIAL_SECRETARY,
        rank=2,
        starts_on=datetime.date(2024, 11, 10),
    )
    client.force_login(actors.taounate)
    with_translation = client.get(
        reverse("people:body", args=[bodies["taounate"].pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    content = with_translation.content.decode()
    assert "الأمينة الإقليمية" in content
    assert "10 نونبر 2024" in content
    # A provincial secretariat expects a deputy and a treasurer too.
    vacancies = content[content.index('id="vacancies"') :]
    assert "نائب الأمين" in vacancies and "أمين المال" in vacancies


def test_bodies_are_created_from_the_screen_in_scope(client, actors):
    client.force_login(actors.taounate)
    url = reverse("territory:body_new")
    data = {
        "kind": BodyKind.WOMENS_ORGANISATION,
        "territory": TAOUNATE,
        "name_ar": "منظمة النساء بتاونات",
        "name_fr": "Organisation des femmes de Taounate",
        "quorum": "two_thirds",
        "proxies_allowed": "on",
    }
    assert client.get(url, {"territory": TAOUNATE}).status_code == 200
    response = client.post(url, data)
    body = Body.objects.get(kind=BodyKind.WOMENS_ORGANISATION)
    assert response.url == reverse("people:body", args=[body.pk])
    assert (body.territory.code, body.quorum, body.proxies_allowed) == (
        TAOUNATE,
        "two_thirds",
        True,
    )
    assert AuditEntry.objects.filter(action="body_create", object_id=str(body.pk)).exists()
    assert client.post(url, {**data, "territory": MEKNES}).status_code == 404
    assert Body.objects.filter(kind=BodyKind.WOMENS_ORGANISATION).count() == 1
    listing = client.get(reverse("territory:body_list"), {"territory": TAOUNATE})
    assert "Organisation des femmes de Taounate" in listing.content.decode() or (
        "منظمة النساء بتاونات" in listing.content.decode()
    )


def test_mandates_from_the_screen(client, actors, meknes_person, taounate_person):
    client.force_login(actors.taounate)
    url = reverse("people:mandate_enter")
    data = {
        "person": taounate_person.pk,
        "institution": "parliament",
        "role": "member",
        "territory": TAOUNATE,
        "starts_on": "2021-10-01",
    }
    assert client.post(url, {**data, "territory": MEKNES}).status_code == 404
    assert client.post(url, {**data, "person": meknes_person.pk}).status_code == 404
    assert of_people(meknes_person, taounate_person).count() == 0
    response = client.post(url, data)
    assert response.status_code == 302
    mandate = of_people(taounate_person).get()
    assert (mandate.person, mandate.territory.code) == (taounate_person, TAOUNATE)
    listing = client.get(reverse("people:officials"), {"territory": TAOUNATE})
    assert taounate_person.name_ar in listing.content.decode()
    person_page = client.get(reverse("people:detail", args=[taounate_person.pk]))
    assert 'id="offices"' in person_page.content.decode()
    assert reverse("people:mandate_end", args=[mandate.pk]) in person_page.content.decode()
    client.force_login(actors.meknes)
    end = reverse("people:mandate_end", args=[mandate.pk])
    assert client.post(end, {"ends_on": "2026-01-01"}).status_code == 404
    client.force_login(actors.taounate)
    assert client.post(end, {"ends_on": "2026-01-01", "next": "person"}).url == reverse(
        "people:detail", args=[taounate_person.pk]
    )
    mandate.refresh_from_db()
    assert mandate.ends_on == datetime.date(2026, 1, 1)
    assert [
        e.action for e in AuditEntry.objects.filter(object_type="people.Mandate").order_by("pk")
    ] == [
        "mandate_enter",
        "mandate_end",
    ]


# --- API --------------------------------------------------------------------------------------


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_api_bodies_positions_and_mandates(client, actors, bodies, meknes_person):
    client.force_login(actors.fes_meknes)
    created = post(
        client,
        "/api/territory/bodies",
        {
            "kind": "council_group",
            "territory_code": FES_MEKNES,
            "name_ar": "فريق الحزب بمجلس الجهة",
            "name_fr": "Groupe du parti au conseil régional",
        },
    )
    assert created.status_code == 201, created.content
    group = created.json()
    assert (group["kind"], group["territory_code"], group["quorum"]) == (
        "council_group",
        FES_MEKNES,
        "majority",
    )
    appointed = post(
        client,
        "/api/officials/positions",
        {
            "body_id": group["id"],
            "person_id": meknes_person.pk,
            "function": "group_head",
            "starts_on": "2021-10-01",
        },
    )
    assert appointed.status_code == 201, appointed.content
    assert appointed.json()["title_ar"] == "رئيس الفريق"
    again = post(
        client,
        "/api/officials/positions",
        {
            "body_id": group["id"],
            "person_id": PersonFactory(territory=commune_of(MEKNES)).pk,
            "function": "group_head",
            "starts_on": "2022-01-01",
        },
    )
    assert (again.status_code, again.json()["code"]) == (422, "taken")
    terms = client.get(f"/api/officials/bodies/{group['id']}").json()
    assert [p["person_id"] for p in terms["current"]] == [meknes_person.pk]
    assert terms["vacancies"] == []
    mandate = post(
        client,
        "/api/officials/mandates",
        {
            "person_id": meknes_person.pk,
            "institution": "regional_council",
            "role": "member",
            "territory_code": FES_MEKNES,
            "starts_on": "2021-09-20",
        },
    )
    assert mandate.status_code == 201, mandate.content
    assert mandate.json()["title_fr"] == "membre du conseil régional"
    officials = client.get("/api/officials/", {"territory": FES_MEKNES}).json()
    assert [
        (o["kind"], o["function"], o["institution"])
        for o in officials
        if o["person_id"] == meknes_person.pk
    ] == [
        ("position", "group_head", ""),
        ("mandate", "member", "regional_council"),
    ]
    ended = post(
        client, f"/api/officials/positions/{appointed.json()['id']}/end", {"ends_on": "2026-01-01"}
    )
    assert ended.json()["ends_on"] == "2026-01-01"
    ended = post(client, f"/api/officials/mandates/{mandate.json()['id']}/end", {})
    assert ended.status_code == 200
    assert (
        AuditEntry.objects.filter(
            action__in=[
                "body_create",
                "position_appoint",
                "mandate_enter",
                "position_end",
                "mandate_end",
            ]
        ).count()
        == 5
    )


def test_api_refuses_ids_outside_the_scope(client, actors, bodies, meknes_person, taounate_person):
    client.force_login(actors.taounate)
    cases = [
        (
            "/api/officials/positions",
            {
                "body_id": bodies["meknes"].pk,
                "person_id": taounate_person.pk,
                "function": "member",
                "starts_on": "2026-01-01",
            },
        ),
        (
            "/api/officials/positions",
            {
                "body_id": bodies["taounate"].pk,
                "person_id": meknes_person.pk,
                "function": "member",
                "starts_on": "2026-01-01",
            },
        ),
        (
            "/api/officials/mandates",
            {
                "person_id": taounate_person.pk,
                "institution": "provincial_council",
                "role": "member",
                "territory_code": MEKNES,
                "starts_on": "2026-01-01",
            },
        ),
        (
            "/api/officials/mandates",
            {
                "person_id": meknes_person.pk,
                "institution": "provincial_council",
                "role": "member",
                "territory_code": TAOUNATE,
                "starts_on": "2026-01-01",
            },
        ),
        (
            "/api/territory/bodies",
            {
                "kind": "youth_organisation",
                "territory_code": MEKNES,
                "name_ar": "ش",
                "name_fr": "J",
            },
        ),
    ]
    for url, data in cases:
        response = post(client, url, data)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), url
    assert in_bodies(bodies).count() == 0
    assert of_people(meknes_person, taounate_person).count() == 0
    assert Body.objects.filter(kind="youth_organisation").count() == 0
    assert client.get(f"/api/officials/bodies/{bodies['meknes'].pk}").status_code == 404
    client.force_login(actors.media)
    assert client.get(f"/api/officials/bodies/{bodies['taounate'].pk}").status_code == 404
    assert client.get("/api/officials/").status_code == 404


def test_a_bodys_rules_are_changed_by_its_secretaries_only(client, actors, bodies):
    body = bodies["taounate"]
    url = reverse("territory:body_edit", args=[body.pk])
    data = {
        "name_ar": "الكتابة الإقليمية بتاونات",
        "name_fr": "Secrétariat provincial de Taounate",
        "quorum": "two_thirds",
        "proxies_allowed": "on",
    }
    for actor in (actors.meknes, actors.auditor, actors.media):
        client.force_login(actor)
        assert client.post(url, data).status_code == 404
    body.refresh_from_db()
    assert (body.quorum, body.proxies_allowed) == ("majority", False)
    client.force_login(actors.taounate)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    body.refresh_from_db()
    assert (body.name_fr, body.quorum, body.proxies_allowed) == (
        "Secrétariat provincial de Taounate",
        "two_thirds",
        True,
    )
    patched = client.patch(
        f"/api/territory/bodies/{body.pk}",
        json.dumps({"quorum": "one_third", "proxies_allowed": False}),
        content_type="application/json",
    )
    assert (patched.status_code, patched.json()["quorum"]) == (200, "one_third")
    client.force_login(actors.meknes)
    refused = client.patch(
        f"/api/territory/bodies/{body.pk}",
        json.dumps({"quorum": "none"}),
        content_type="application/json",
    )
    assert refused.status_code == 404
    body.refresh_from_db()
    assert (body.quorum, body.proxies_allowed) == ("one_third", False)
    assert AuditEntry.objects.filter(action="body_update", object_id=str(body.pk)).count() == 2
