"""Queries compiled once (core.prepared): each call's values, never the first call's; another
shape (grants, a setting) another query; the cache bounded."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from abwab.accounts.models import RoleAssignment
from abwab.campaigns.door import desk_event, desk_territory
from abwab.core.prepared import Prepared
from abwab.territory.models import Territory

pytestmark = pytest.mark.django_db


def fresh(user):
    user.refresh_from_db()
    for cached in ("_abwab_grants", "_abwab_nodes", "_abwab_top_territory"):
        user.__dict__.pop(cached, None)
    return user


def test_each_call_runs_with_its_own_values(actors, places):
    admin = actors.admin
    for key in ("taounate_a", "meknes", "taounate_b"):
        node = places[key].node
        assert desk_territory(admin, node.code) == node
    with pytest.raises(Http404):
        desk_territory(admin, "no-such-code")


def test_a_changed_grant_changes_the_query_at_once(actors, places):
    volunteer = actors.volunteer
    event = places["taounate_a"].event
    assert desk_event(fresh(volunteer), event.pk) == event
    other = places["meknes"]
    RoleAssignment.objects.filter(user=volunteer).update(
        office=other.office, territory=other.office.territory
    )
    with pytest.raises(Http404):
        desk_event(fresh(volunteer), event.pk)
    assert desk_event(fresh(volunteer), other.event.pk) == other.event
    RoleAssignment.objects.filter(user=volunteer).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    volunteer = fresh(volunteer)
    with pytest.raises(Http404):  # no grant at all: nothing, and no query but the grants'
        with CaptureQueriesContext(connection) as queries:
            desk_event(volunteer, other.event.pk)
    assert len(queries) == 1


def test_the_cache_keeps_the_most_recent_shapes_only(places):
    by_level = Prepared(
        lambda level, *, code: Territory.objects.filter(level=level, code=code),
        shape=lambda level: level,
        size=2,
        code="~code~",
    )
    node = places["taounate_a"].node
    for level in (0, 1, 2, 3, node.level):
        found = by_level(level, code=node.code)
        assert found == ([node] if level == node.level else [])
    assert len(by_level._compiled) == 2


def test_a_marker_the_sql_does_not_carry_is_refused(places):
    starts = Prepared(lambda *, code: Territory.objects.filter(code__startswith=code), code="~c~")
    with pytest.raises(ValueError, match="markers not found"):
        starts(code="03")
