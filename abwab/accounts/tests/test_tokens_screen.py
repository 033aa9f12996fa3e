"""Devices and scripts (issue 14, item 7): tokens issued, limited and revoked from the screen; the
limit enforced by the API through the scope gate; each use audited."""

import datetime
import json

import pytest
from django.utils import timezone

from abwab.accounts.models import ApiToken
from abwab.accounts.tokens import token_create
from abwab.campaigns.models import CheckIn
from abwab.core.models import AuditEntry
from abwab.people.models import Person
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db
URL = "/accounts/tokens/"


def bearer(value):
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}


def issue(client, **fields):
    return client.post(URL, {"action": "issue", "name": "tablet", **fields})


def test_a_secretary_issues_a_token_limited_to_their_province_shown_once(client, actors, places):
    client.force_login(actors.taounate)
    response = issue(client, limit="territory", territory="03.531", expires_on="2099-01-31")
    assert response.status_code == 201
    token = ApiToken.objects.get(user=actors.taounate)
    assert (token.name, token.territory.code, token.office, token.event) == (
        "tablet",
        "03.531",
        None,
        None,
    )
    assert timezone.localtime(token.expires_at).date() == datetime.date(2099, 1, 31)
    secret = response.context["secret"]
    assert secret.startswith(f"abw_{token.prefix}_") and secret in response.content.decode()
    assert secret not in client.get(URL).content.decode()  # shown once
    assert (
        AuditEntry.objects.filter(action="api_token.create", object_id=str(token.pk)).count() == 1
    )


def test_taounate_cannot_issue_a_token_for_meknes(client, actors, places):
    client.force_login(actors.taounate)
    for fields in (
        {"limit": "territory", "territory": "03.061"},
        {"limit": "territory", "territory": places["meknes"].node.code},
        {"limit": "office", "office": places["meknes"].office.pk},
        {"limit": "event", "event": places["meknes"].event.pk},
    ):
        assert issue(client, **fields).status_code == 404
    assert ApiToken.objects.count() == 0


def test_volunteers_and_outsiders_issue_no_token(client, actors):
    for user in (actors.volunteer, actors.outsider, actors.media):
        client.force_login(user)
        assert client.get(URL).status_code == 200
        assert issue(client).status_code == 404
    assert ApiToken.objects.count() == 0


def test_revoking_stops_the_token_and_only_ones_own(client, actors, places):
    token, value = token_create(user=actors.taounate, name="tablet")
    other, _other_value = token_create(user=actors.meknes, name="theirs")
    client.force_login(actors.taounate)
    assert client.post(URL, {"action": "revoke", "token": other.pk}).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert client.post(URL, {"action": "revoke", "token": token.pk}).status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == actors.taounate
    client.logout()
    assert client.get("/api/people/", **bearer(value)).status_code == 401


def test_a_token_limited_to_taounate_cannot_act_in_meknes(client, actors, places, settings):
    # Given the regional secretary's token limited to Taounate (the account sees all Fès-Meknès)
    settings.REQUIRE_2FA = False
    token, value = token_create(
        user=actors.fes_meknes, name="script", territory=Territory.objects.get(code="03.531")
    )
    meknes = places["meknes"]
    # Reads: Meknès's person is not found, nor listed; Taounate's is
    assert client.get(f"/api/people/{meknes.person.pk}", **bearer(value)).status_code == 404
    ok = client.get(f"/api/people/{places['taounate_a'].person.pk}", **bearer(value))
    assert ok.status_code == 200
    names = {
        row["last_name_latin"]
        for row in client.get("/api/people/", **bearer(value)).json()["items"]
    }
    assert "person-taounate_a" in names and "person-meknes" not in names
    # Writes: a Meknès code in the body is refused, nothing created; a Taounate one works
    people = Person.objects.count()
    body = {"territory_code": meknes.node.code, "first_name_ar": "سعاد"}
    response = client.post(
        "/api/people/", json.dumps(body), content_type="application/json", **bearer(value)
    )
    assert response.status_code == 404 and Person.objects.count() == people
    body["territory_code"] = places["taounate_b"].node.code
    response = client.post(
        "/api/people/", json.dumps(body), content_type="application/json", **bearer(value)
    )
    assert response.status_code == 201 and Person.objects.count() == people + 1
    # A Meknès event in the URL: 404, no check-in
    checkins = CheckIn.objects.count()
    response = client.post(
        f"/api/campaigns/events/{meknes.event.pk}/checkins",
        json.dumps({"client_key": "k-meknes", "name": "زائر", "purpose": "information"}),
        content_type="application/json",
        **bearer(value),
    )
    assert response.status_code == 404 and CheckIn.objects.count() == checkins
    # Every use is audited, against the token
    uses = AuditEntry.objects.filter(action="api_token.use", object_id=str(token.pk))
    assert uses.count() == 6
    assert set(uses.values_list("actor", flat=True)) == {actors.fes_meknes.pk}


def test_a_token_limited_to_one_event_reaches_no_other(client, actors, places):
    # Given a door device's token limited to Taounate A's event, issued by the province's secretary
    taounate_a, taounate_b = places["taounate_a"], places["taounate_b"]
    _token, value = token_create(user=actors.taounate, name="door", event=taounate_a.event)

    def checkin(event, key):
        return client.post(
            f"/api/campaigns/events/{event.pk}/checkins",
            json.dumps({"client_key": key, "name": "زائر", "purpose": "information"}),
            content_type="application/json",
            **bearer(value),
        )

    before = CheckIn.objects.count()
    # Another event of the same province, and Meknès's: 404, nothing recorded
    assert checkin(taounate_b.event, "k-b").status_code == 404
    assert checkin(places["meknes"].event, "k-m").status_code == 404
    assert CheckIn.objects.count() == before
    # Its own event works
    assert checkin(taounate_a.event, "k-a").status_code == 201
    assert CheckIn.objects.count() == before + 1
    # and signs a visitor up there
    signup = {
        "client_key": "door-signup-1",
        "person": {"first_name_ar": "سعاد", "last_name_ar": "الإدريسي"},
        "consent_given": True,
        "on_duplicate": "review",
    }
    response = client.post(
        f"/api/campaigns/events/{taounate_a.event.pk}/signups",
        json.dumps(signup),
        content_type="application/json",
        **bearer(value),
    )
    assert response.status_code == 201 and response.json()["card_number"]
    response = client.post(
        f"/api/campaigns/events/{taounate_b.event.pk}/signups",
        json.dumps({**signup, "client_key": "door-signup-2"}),
        content_type="application/json",
        **bearer(value),
    )
    assert response.status_code == 404
    events = client.get("/api/campaigns/events", **bearer(value)).json()["items"]
    assert [event["id"] for event in events] == [taounate_a.event.pk]
    # It reads no one outside its office: Taounate B's and Meknès's persons are not found
    for place in (taounate_b, places["meknes"]):
        assert client.get(f"/api/people/{place.person.pk}", **bearer(value)).status_code == 404
    # And it cannot create a person in another commune of the province
    body = {"territory_code": taounate_b.node.code, "first_name_ar": "سعاد"}
    response = client.post(
        "/api/people/", json.dumps(body), content_type="application/json", **bearer(value)
    )
    assert response.status_code == 404


def test_an_expired_token_stops(client, actors):
    token, value = token_create(
        user=actors.taounate, name="t", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get("/api/people/", **bearer(value)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert client.get("/api/people/", **bearer(value)).status_code == 401


def test_a_token_reaches_down_to_provinces_for_a_region_and_to_communes_for_a_province(actors):
    """A regional secretary limits a token to a province at most; a provincial one to a commune
    (the depth was once counted with the path's separators, one more than the level)."""
    from abwab.accounts.views_tokens import _territories
    from abwab.territory.models import Level

    region_levels = set(_territories(actors.fes_meknes).values_list("level", flat=True))
    province_levels = set(_territories(actors.taounate).values_list("level", flat=True))
    assert region_levels == {Level.REGION, Level.PROVINCE}
    assert province_levels == {Level.PROVINCE, Level.COMMUNE}
