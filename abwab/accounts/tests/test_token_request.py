"""One API token request, lean (issue 17): the token, its user and their roles read in one query
compiled once per process; one audit line per request that names the token, the account and the
write; nothing kept between requests, so a revoked token, an ended role or a token past its
expiry stops at the very next request."""

import datetime
import json

import pytest
from django.utils import timezone

from abwab.accounts.models import RoleAssignment
from abwab.accounts.tokens import token_create, token_revoke, token_user
from abwab.campaigns.models import CheckIn
from abwab.core.models import AuditEntry
from abwab.core.scope import grants, top_territory

pytestmark = pytest.mark.django_db


def checkin(client, event, value, key):
    return client.post(
        f"/api/campaigns/events/{event.pk}/checkins",
        json.dumps({"client_key": key, "name": "زائر", "purpose": "information"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {value}",
    )


def test_the_token_brings_the_same_grants_and_top_node_as_the_account(actors, places, settings):
    settings.REQUIRE_2FA = False  # secretaries' tokens, without setting up their authenticators
    for user in (actors.volunteer, actors.taounate, actors.fes_meknes, actors.fes_north):
        _token, value = token_create(user=user, name="desk")
        by_token = token_user(value)
        assert by_token == user
        user.refresh_from_db()  # a fresh object: grants read again by the account's own query
        assert grants(by_token) == grants(user)
        assert by_token._abwab_nodes.get(min(p for g in grants(user) for p in g.paths)) in (
            None,
            top_territory(user).pk,
        )


def test_a_write_leaves_one_audit_line_naming_the_token(client, actors, places):
    token, value = token_create(user=actors.volunteer, name="desk")
    event = places["taounate_a"].event
    before = AuditEntry.objects.count()
    assert checkin(client, event, value, "k-1").status_code == 201
    lines = list(AuditEntry.objects.order_by("pk")[before:])
    assert len(lines) == 1
    (line,) = lines
    assert (line.action, line.object_type, line.object_id) == (
        "api_token.use",
        "accounts.ApiToken",
        str(token.pk),
    )
    assert (line.actor, line.method) == (actors.volunteer, "POST")
    assert line.path == f"/api/campaigns/events/{event.pk}/checkins"
    assert line.territory_id == event.office.territory_id  # the volunteer's office, no query
    # A refused write is still one line naming the token
    assert checkin(client, places["meknes"].event, value, "k-2").status_code == 404
    assert AuditEntry.objects.count() == before + 2
    assert AuditEntry.objects.order_by("-pk")[0].object_id == str(token.pk)


def test_a_revoked_token_an_ended_role_and_an_expired_token_stop_at_once(client, actors, places):
    event = places["taounate_a"].event
    token, value = token_create(user=actors.volunteer, name="desk")
    assert checkin(client, event, value, "k-a").status_code == 201  # compiled and run once
    token_revoke(token=token)
    assert checkin(client, event, value, "k-b").status_code == 401
    # An ended role: the token still authenticates, but the event is no longer the desk's
    _token, value = token_create(user=actors.volunteer, name="desk 2")
    assert checkin(client, event, value, "k-c").status_code == 201
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=actors.volunteer).update(
        starts_on=yesterday - datetime.timedelta(days=1), ends_on=yesterday
    )
    assert checkin(client, event, value, "k-d").status_code == 404
    assert not CheckIn.objects.filter(client_key="k-d").exists()
    # A token past its expiry
    RoleAssignment.objects.filter(user=actors.volunteer).update(ends_on=None)
    expiring, value = token_create(
        user=actors.volunteer,
        name="desk 3",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert checkin(client, event, value, "k-e").status_code == 201
    type(expiring).objects.filter(pk=expiring.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert checkin(client, event, value, "k-f").status_code == 401


def test_a_token_limited_to_an_event_narrows_the_grants_read_with_it(actors, places):
    event = places["taounate_a"].event
    _token, value = token_create(user=actors.taounate, name="door", event=event)
    user = token_user(value)
    (grant,) = grants(user)
    assert (grant.role, grant.office_id, grant.event_id) == ("volunteer", event.office_id, event.pk)
    assert user._abwab_nodes[event.office.territory.path] == event.office.territory_id
