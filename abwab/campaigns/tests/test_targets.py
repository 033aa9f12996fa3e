"""Targets for every group the memo names, split level by level: the shares add up exactly at every
level, and no place (party units such as Fès North included) can be left out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from abwab.campaigns.models import Target
from abwab.campaigns.services import campaign_create
from abwab.campaigns.targets import (
    SPLIT_FIELDS,
    Method,
    largest_remainder,
    split_slots,
    target_set_top,
    targets_split,
)
from abwab.territory.models import Kind, Level, Territory

TOP = {"new_members": 50_003, "women": 20_001, "youth": 22_517, "professionals": 5_009}
VISITORS = 120_011


def territory(code):
    return Territory.objects.get(code=code)


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.dictionaries(
        st.text(alphabet="abcdefghij0123456789.", min_size=1, max_size=8),
        st.integers(min_value=0, max_value=10**8),
        min_size=1,
        max_size=40,
    ),
)
@settings(max_examples=300, deadline=None)
def test_largest_remainder_sums_exactly_and_leaves_nobody_out(total, weights):
    shares = largest_remainder(total, weights)
    assert set(shares) == set(weights)
    assert sum(shares.values()) == total
    assert all(isinstance(share, int) and share >= 0 for share in shares.values())
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        exact = total * weight / weight_sum if weight_sum else total / len(weights)
        assert abs(shares[key] - exact) < 1 + 1e-6  # never more than one away from the exact share


def test_largest_remainder_gives_the_odd_units_to_the_largest_remainders():
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(7, {"a": 5, "b": 3, "c": 0}) == {"a": 4, "b": 3, "c": 0}
    assert largest_remainder(3, {"a": 0, "b": 0}) == {"a": 2, "b": 1}


@pytest.fixture
def campaign(actors):
    return campaign_create(
        actor=actors.admin,
        name_ar="الأبواب المفتوحة",
        name_fr="Portes ouvertes",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        memo_ar="مذكرة",
    )


def _assert_children_sum(parent: Target):
    children = list(parent.children.all())
    for name in SPLIT_FIELDS:
        assert sum(getattr(child, name) for child in children) == getattr(parent, name), name


@pytest.mark.django_db
def test_fes_meknes_split_has_a_row_for_fes_north(actors, campaign, fes_north):
    """The region's split covers every province and the party unit Fès North; Fès's own row weighs
    what is left of it; Fès North's secretary splits its row over its arrondissements."""
    target_set_top(actor=actors.admin, campaign=campaign, visitors=VISITORS, **TOP)
    targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    rows = targets_split(actor=actors.fes_meknes, campaign=campaign, territory=territory("03"))
    keys = [(row.territory.code, row.party_unit_id) for row in rows]
    provinces = list(territory("03").children.order_by("code").values_list("code", flat=True))
    assert keys == [(code, None) for code in provinces] + [(fes_north.anchor.code, fes_north.pk)]
    _assert_children_sum(Target.objects.get(campaign=campaign, territory__code="03"))
    slots = {slot.key: slot for slot in split_slots(territory("03"))}
    north_population = sum(t.population_2024 or 0 for t in fes_north.territories.all())
    assert slots["unit:fes-north"].population == north_population
    assert slots["03.231"].population == territory("03.231").population_2024 - north_population

    # Fès North's secretary splits its own row; the arrondissements are no longer Fès's to split.
    north_rows = targets_split(actor=actors.fes_north, campaign=campaign, party_unit=fes_north)
    assert sorted(row.territory.code for row in north_rows) == sorted(
        fes_north.territories.values_list("code", flat=True)
    )
    _assert_children_sum(Target.objects.get(campaign=campaign, party_unit=fes_north))
    fes_commune = fes_north.anchor
    fes_slots = [slot.key for slot in split_slots(fes_commune)]
    assert not set(fes_slots) & set(fes_north.territories.values_list("code", flat=True))
    with pytest.raises(ValidationError, match="cannot split"):
        targets_split(actor=actors.taounate, campaign=campaign, party_unit=fes_north)


@pytest.mark.django_db
def test_every_level_of_the_real_tree_sums_exactly_and_leaves_no_territory_out(
    actors, campaign, fes_north
):
    """Every region, every province (and unit), every commune: one row per slot, exact sums."""
    target_set_top(actor=actors.admin, campaign=campaign, visitors=VISITORS, **TOP)
    targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    methods = [Method.POPULATION, Method.DENSITY]
    for index, region in enumerate(territory("MA").children.order_by("code")):
        targets_split(
            actor=actors.admin,
            campaign=campaign,
            territory=region,
            method=methods[index % 2],
        )
    targets_split(actor=actors.admin, campaign=campaign, party_unit=fes_north)
    provinces = Territory.objects.filter(level=Level.PROVINCE).exclude(
        kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS
    )
    for province in provinces.order_by("code"):
        targets_split(actor=actors.admin, campaign=campaign, territory=province)
    for parent in Target.objects.filter(campaign=campaign, children__isnull=False).distinct():
        _assert_children_sum(parent)
        slots = split_slots(
            territory=None if parent.party_unit_id else parent.territory, unit=parent.party_unit
        )
        assert parent.children.count() == len(slots)
    # Every commune (and arrondissement of a unit) outside Casablanca's arrondissement prefectures
    # has exactly one row.
    communes = Territory.objects.filter(level=Level.COMMUNE).exclude(
        parent__kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS
    )
    with_rows = set(
        Target.objects.filter(
            campaign=campaign, territory__level=Level.COMMUNE, party_unit=None
        ).values_list("territory__code", flat=True)
    )
    assert set(communes.values_list("code", flat=True)) == with_rows
    # The leaves (communes, and Fès North's arrondissements) add up to the nation's numbers.
    national = Target.objects.get(campaign=campaign, territory__code="MA")
    leaves = Target.objects.filter(campaign=campaign, children__isnull=True)
    assert set(leaves.values_list("territory__level", flat=True)) == {Level.COMMUNE, 4}
    for name in SPLIT_FIELDS:
        assert sum(leaves.values_list(name, flat=True)) == getattr(national, name)


@pytest.mark.django_db
def test_a_split_by_hand_must_name_every_place_and_add_up(actors, campaign, fes_north):
    target_set_top(actor=actors.admin, campaign=campaign, visitors=VISITORS, **TOP)
    targets_split(actor=actors.admin, campaign=campaign, territory=territory("MA"))
    region = Target.objects.get(campaign=campaign, territory__code="03")
    slots = split_slots(territory("03"))
    numbers = {slot.key: dict.fromkeys(SPLIT_FIELDS, 0) for slot in slots}
    for name in SPLIT_FIELDS:
        numbers[slots[0].key][name] = getattr(region, name)
    without_north = {key: value for key, value in numbers.items() if key != "unit:fes-north"}
    with pytest.raises(ValidationError) as missing:
        targets_split(
            actor=actors.fes_meknes,
            campaign=campaign,
            territory=territory("03"),
            allocations=without_north,
        )
    assert missing.value.code == "missing_child"
    assert not Target.objects.filter(campaign=campaign, parent=region).exists()
    numbers["unit:fes-north"]["women"] = 1
    with pytest.raises(ValidationError) as bad:
        targets_split(
            actor=actors.fes_meknes,
            campaign=campaign,
            territory=territory("03"),
            allocations=numbers,
        )
    assert bad.value.messages == [
        f"The shares of women add up to {region.women + 1}, but {territory('03')} received "
        f"{region.women}."
    ]
    numbers["unit:fes-north"]["women"] = 0
    targets_split(
        actor=actors.fes_meknes, campaign=campaign, territory=territory("03"), allocations=numbers
    )
    north = Target.objects.get(campaign=campaign, party_unit=fes_north)
    assert [getattr(north, name) for name in SPLIT_FIELDS] == [0, 0, 0, 0, 0]
    with pytest.raises(ValidationError) as meknes:
        targets_split(actor=actors.taounate, campaign=campaign, territory=territory("03.061"))
    assert meknes.value.code == "forbidden"


@pytest.mark.django_db
def test_split_by_last_campaign_needs_an_earlier_campaign(actors, campaign):
    target_set_top(actor=actors.admin, campaign=campaign, **TOP)
    with pytest.raises(ValidationError) as error:
        targets_split(
            actor=actors.admin,
            campaign=campaign,
            territory=territory("MA"),
            method=Method.LAST_RESULT,
        )
    assert error.value.code == "no_previous"
    earlier = campaign_create(
        actor=actors.admin,
        name_ar="ق",
        name_fr="Avant",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 10, 1),
        memo_ar="م",
    )
    assert earlier.pk
    rows = targets_split(
        actor=actors.admin, campaign=campaign, territory=territory("MA"), method=Method.LAST_RESULT
    )
    assert sum(row.new_members for row in rows) == TOP["new_members"]
    # The places fixture's members joined in 2025-06 in Fès-Meknès and the Oriental only.
    by_code = {row.territory.code: row.new_members for row in rows}
    assert by_code["01"] == 0
    assert by_code["03"] > 0 and by_code["02"] > 0
