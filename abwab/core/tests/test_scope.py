import datetime

import pytest
from django.utils import timezone

from abwab.accounts.models import RoleAssignment
from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from abwab.accounts.tokens import token_create
from abwab.core import scope
from abwab.core.roles import Role
from abwab.territory.models import Body, Office, Territory

pytestmark = pytest.mark.django_db


def visible_offices(user) -> set[str]:
    return set(scope.visible_to(user, Office.objects.all()).values_list("name_fr", flat=True))


def test_each_actor_sees_exactly_its_offices(actors):
    expected = {
        "admin": {
            "office-taounate_a",
            "office-taounate_b",
            "office-meknes",
            "office-oriental",
            "office-fes_north",
            "office-fes_south",
        },
        "fes_meknes": {
            "office-taounate_a",
            "office-taounate_b",
            "office-meknes",
            "office-fes_north",
            "office-fes_south",
        },
        "taounate": {"office-taounate_a", "office-taounate_b"},
        "meknes": {"office-meknes"},
        "local": {"office-taounate_a"},
        "volunteer": {"office-taounate_a"},
        "media": {
            "office-taounate_a",
            "office-taounate_b",
            "office-meknes",
            "office-fes_north",
            "office-fes_south",
        },
        "auditor": {"office-taounate_a", "office-taounate_b"},
        "fes_north": {"office-fes_north"},
        "outsider": set(),
    }
    assert {name: visible_offices(getattr(actors, name)) for name in expected} == expected


def test_change_is_for_secretaries_only(actors, places):
    office = places["taounate_a"].office
    may_change = {
        name for name in vars(actors) if scope.can(getattr(actors, name), scope.CHANGE, office)
    }
    assert may_change == {"admin", "fes_meknes", "taounate", "local"}


def test_volunteer_sees_its_office_but_no_body(actors, places):
    assert scope.can(actors.volunteer, scope.VIEW, places["taounate_a"].office)
    assert not scope.can(actors.volunteer, scope.VIEW, places["taounate_a"].body)
    assert not scope.visible_to(actors.volunteer, Body.objects.all()).exists()


def test_party_unit_grant_covers_exactly_its_nodes(actors, places, fes_north):
    visible = scope.visible_to(
        actors.fes_north, Territory.objects.filter(code__startswith="03.231.01.")
    )
    assert set(visible.values_list("code", flat=True)) == {"03.231.01.11", "03.231.01.09"}
    assert not scope.can(actors.fes_north, scope.VIEW, places["fes_south"].body)


def test_body_of_a_party_unit_is_visible_to_the_units_secretary(actors, fes_north):
    from abwab.territory.services import body_create

    body = body_create(
        kind="provincial_secretariat",
        territory=None,
        party_unit=fes_north,
        name_ar="الكتابة الإقليمية لفاس الشمالية",
        name_fr="SP Fès Nord",
    )
    assert body.territory.code == "03.231.01.0"
    assert scope.can(actors.fes_north, scope.VIEW, body)
    assert scope.can(actors.fes_meknes, scope.VIEW, body)
    assert not scope.can(actors.meknes, scope.VIEW, body)


def test_prefecture_of_arrondissements_grant_covers_its_arrondissements():
    user = RoleAssignmentFactory(
        role=Role.PROVINCIAL_SECRETARY, territory=Territory.objects.get(code="06.141.01.50")
    ).user
    codes = set(
        scope.visible_to(user, Territory.objects.filter(level=4)).values_list("code", flat=True)
    )
    assert codes == {"06.141.01.51", "06.141.01.53"}


def test_ended_role_and_disabled_account_see_nothing(actors):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=actors.meknes).update(
        starts_on=yesterday - datetime.timedelta(days=9), ends_on=yesterday
    )
    fresh = type(actors.meknes).objects.get(pk=actors.meknes.pk)
    assert visible_offices(fresh) == set()
    actors.taounate.is_active = False
    assert visible_offices(actors.taounate) == set()


def test_role_not_started_yet_grants_nothing():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    user = UserFactory()
    RoleAssignmentFactory(
        user=user,
        role=Role.REGIONAL_SECRETARY,
        territory=Territory.objects.get(code="03"),
        starts_on=tomorrow,
    )
    assert scope.grants(user) == ()


def test_get_visible_or_404_answers_404_for_missing_and_forbidden(actors, places):
    from django.http import Http404

    with pytest.raises(Http404):
        scope.get_visible_or_404(actors.taounate, Office, pk=places["meknes"].office.pk)
    with pytest.raises(Http404):
        scope.get_visible_or_404(actors.taounate, Office, pk=10**9)
    assert (
        scope.get_visible_or_404(actors.taounate, Office, pk=places["taounate_b"].office.pk)
        == places["taounate_b"].office
    )


def test_an_id_past_64_bits_is_not_found_on_both_engines(client, actors, places):
    # Given Taounate's secretary with a token
    _secret, value = token_create(user=actors.taounate, name="t")
    event = places["taounate_a"].event
    huge = 10**23
    # When ids past 64 bits name records, in the path, in a body and on a page
    answers = [
        client.get(f"/api/campaigns/events/{huge}", HTTP_AUTHORIZATION=f"Bearer {value}"),
        client.patch(
            f"/api/campaigns/events/{event.pk}/items",
            {"item_id": huge, "needed": 1},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {value}",
        ),
    ]
    client.force_login(actors.taounate)
    answers.append(client.get(f"/meetings/{huge}/"))
    # Then each is a 404 (SQLite's driver raised OverflowError: a 500)
    assert [answer.status_code for answer in answers] == [404, 404, 404]
