"""Foundings, programmes and the calendar through the API (issue 14, items 5 and 6)."""

import json

import pytest

from abwab.accounts.tokens import token_create
from abwab.meetings.models import Founding, FoundingStatus, Programme
from abwab.people.models import Function, Person
from abwab.people.tests.factories import PersonFactory
from abwab.territory.models import Body, BodyKind, Territory
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db


def bearer(value):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def post(client, url, data, value):
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(value))


def bare(province):
    covered = Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT).values("territory_id")
    communes = Territory.objects.get(code=province).children.filter(level=3)
    return communes.exclude(pk__in=covered).order_by("code").first()


def test_a_founding_through_the_api(client, actors, places):
    _token, value = token_create(user=actors.taounate, name="script")
    commune = bare("03.531")
    response = post(
        client,
        "/api/meetings/foundings",
        {"commune_code": commune.code, "starts_at": "2026-12-05T17:00:00+01:00"},
        value,
    )
    assert response.status_code == 201
    founding_id = response.json()["id"]
    secretary, treasurer = PersonFactory(territory=commune), PersonFactory(territory=commune)
    for person in (secretary, treasurer):
        url = f"/api/meetings/foundings/{founding_id}/founders"
        assert post(client, url, {"person_id": person.pk}, value).status_code == 200
    response = post(
        client,
        f"/api/meetings/foundings/{founding_id}/record",
        {
            "founded_on": "2026-12-05",
            "officers": {"local_secretary": secretary.pk, "treasurer": treasurer.pk},
        },
        value,
    )
    assert response.status_code == 200
    answer = response.json()
    assert (answer["status"], answer["founder_ids"]) == (
        FoundingStatus.FOUNDED,
        sorted([secretary.pk, treasurer.pk]),
    )
    body = Body.objects.get(pk=answer["body_id"])
    assert set(body.positions.values_list("person_id", "function")) == {
        (secretary.pk, Function.LOCAL_SECRETARY),
        (treasurer.pk, Function.TREASURER),
    }
    listed = client.get("/api/meetings/foundings?territory=03.531", **bearer(value)).json()
    assert [row["id"] for row in listed["items"]] == [founding_id]


def test_the_api_refuses_meknes_ids_from_taounate(client, actors, places):
    _token, value = token_create(user=actors.taounate, name="script")
    meknes = bare("03.061")
    response = post(
        client,
        "/api/meetings/foundings",
        {"commune_code": meknes.code, "starts_at": "2026-12-05T17:00:00+01:00"},
        value,
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Founding.objects.count() == 0
    response = post(
        client,
        "/api/meetings/foundings",
        {
            "commune_code": bare("03.531").code,
            "starts_at": "2026-12-05T17:00:00+01:00",
            "supervisor_id": places["meknes"].person.pk,
        },
        value,
    )
    assert response.status_code == 404 and Founding.objects.count() == 0
    founding = Founding.objects.create(
        commune=bare("03.531"), starts_at="2026-12-05T17:00:00+01:00"
    )
    url = f"/api/meetings/foundings/{founding.pk}/founders"
    assert post(client, url, {"person_id": places["meknes"].person.pk}, value).status_code == 404
    assert founding.founders.count() == 0
    # Meknès's secretary cannot record Taounate's founding, even naming its own person
    _token, theirs = token_create(user=actors.meknes, name="script")
    founding.founders.add(places["taounate_a"].person)
    response = post(
        client,
        f"/api/meetings/foundings/{founding.pk}/record",
        {
            "founded_on": "2026-12-05",
            "officers": {"local_secretary": places["taounate_a"].person.pk},
        },
        theirs,
    )
    assert response.status_code == 404
    founding.refresh_from_db()
    assert (founding.status, Body.objects.filter(territory=founding.commune).count()) == (
        FoundingStatus.PLANNED,
        0,
    )
    assert Person.objects.filter(pk=places["meknes"].person.pk).exists()


def test_a_programme_and_the_calendar_through_the_api(client, actors, places):
    regional = body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=Territory.objects.get(code="03"),
        name_ar="الأمانة الجهوية",
        name_fr="Secrétariat régional",
    )
    client.force_login(actors.fes_meknes)
    response = client.post(
        "/api/meetings/programmes",
        json.dumps(
            {
                "name_ar": "في كل إقليم",
                "pattern": "each_place",
                "body_id": regional.pk,
                "starts_at": "2027-01-15T18:00:00+01:00",
                "spacing": "monthly",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (len(response.json()["meeting_ids"]), response.json()["held"]) == (9, 0)
    calendar = client.get("/api/meetings/calendar?territory=03.531&start=2027-01-01&days=366")
    assert [item["kind"] for item in calendar.json()] == ["meeting"]
    # Taounate's secretary: the region's body is not theirs to plan
    client.force_login(actors.taounate)
    response = client.post(
        "/api/meetings/programmes",
        json.dumps(
            {
                "pattern": "repeat",
                "body_id": regional.pk,
                "count": 2,
                "spacing": "monthly",
                "starts_at": "2027-01-15T18:00:00+01:00",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 404 and Programme.objects.count() == 1
    assert client.get("/api/meetings/calendar?territory=03.061").status_code == 404
