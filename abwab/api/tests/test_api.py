import datetime
import json

import pytest

from abwab.accounts.models import ApiToken
from abwab.accounts.tests.factories import confirmed_factor
from abwab.accounts.tokens import token_create, token_revoke
from abwab.campaigns.models import CheckIn
from abwab.people.models import Person

pytestmark = pytest.mark.django_db


def bearer(value):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Abwab API"
    assert (
        "/api/people/" in schema["paths"]
        and "/api/campaigns/events/{event_id}/checkins" in schema["paths"]
    )
    assert client.get("/api/docs").status_code == 200


def test_token_acts_with_its_users_scope_and_stops_when_revoked(client, actors, places):
    token, value = token_create(user=actors.taounate, name="tablet")
    assert value.startswith("abw_") and value.split("_", 2)[2] not in token.secret_hash
    response = client.get("/api/people/", **bearer(value))
    names = {row["last_name_latin"] for row in response.json()["items"]}
    assert {"person-taounate_a", "person-taounate_b"} <= names and "person-meknes" not in names
    assert client.get(f"/api/people/{places['meknes'].person.pk}", **bearer(value)).json() == {
        "code": "not_found",
        "message": "غير موجود.",
    }  # Arabic first
    token_revoke(token=token)
    response = client.get("/api/people/", **bearer(value))
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert client.get("/api/people/", **bearer(value[:-2] + "xx")).status_code == 401


def test_disabled_user_token_stops_working(client, actors):
    _token, value = token_create(user=actors.taounate, name="tablet")
    actors.taounate.is_active = False
    actors.taounate.save()
    assert client.get("/api/people/", **bearer(value)).status_code == 401


def test_pagination_and_filters(client, actors):
    confirmed_factor(actors.admin)  # tokens for a national role: only once it has its factor
    _token, value = token_create(user=actors.admin, name="x")
    page = client.get("/api/territory/offices?limit=2&offset=0", **bearer(value)).json()
    assert page["count"] == 6 and len(page["items"]) == 2


def test_idempotency_key_returns_the_first_result(client, actors, places):
    _token, value = token_create(user=actors.volunteer, name="desk")
    url = f"/api/campaigns/events/{places['taounate_a'].event.pk}/checkins"
    body = json.dumps({"client_key": "device-1", "name": "زائر", "purpose": "information"})
    first = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", **bearer(value)
    )
    again = client.post(
        url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", **bearer(value)
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert CheckIn.objects.filter(client_key="device-1").count() == 1
    other = client.post(
        f"/api/campaigns/events/{places['taounate_b'].event.pk}/checkins",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
        **bearer(value),
    )
    assert other.status_code in (404, 422)


def test_person_create_errors_are_clear_json(client, actors, places):
    _token, value = token_create(user=actors.taounate, name="x")
    body = {"territory_code": places["taounate_a"].node.code, "first_name_ar": "سعاد", "cin": "123"}
    response = client.post(
        "/api/people/", json.dumps(body), content_type="application/json", **bearer(value)
    )
    assert response.status_code == 422
    assert response.json()["fields"]["cin"] == [
        "يتكون رقم البطاقة الوطنية للتعريف من حرف أو حرفين متبوعين بأرقام، مثلًا AB123456."
    ]
    client.cookies["django_language"] = "fr"
    response = client.post(
        "/api/people/", json.dumps(body), content_type="application/json", **bearer(value)
    )
    assert response.json()["fields"]["cin"] == [
        "Un numéro de CIN se compose d'une ou deux lettres suivies de chiffres, par exemple AB123456."
    ]
    del client.cookies["django_language"]
    assert not Person.objects.filter(cin="123").exists()
    response = client.post(
        "/api/people/",
        json.dumps({"first_name_ar": "x"}),
        content_type="application/json",
        **bearer(value),
    )
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    body["cin"] = "AB123"
    response = client.post(
        "/api/people/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="p1",
        **bearer(value),
    )
    again = client.post(
        "/api/people/",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="p1",
        **bearer(value),
    )
    assert (
        response.status_code == again.status_code == 201
        and response.json()["id"] == again.json()["id"]
    )
    assert Person.objects.filter(cin="AB123").count() == 1


def test_token_last_use_is_kept_to_the_minute(client, actors):
    token, value = token_create(user=actors.volunteer, name="desk")
    client.get("/api/campaigns/events", **bearer(value))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/campaigns/events", **bearer(value))
    token.refresh_from_db()
    assert token.last_used_at == first  # not written again within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/campaigns/events", **bearer(value))
    token.refresh_from_db()
    assert token.last_used_at > first
