"""Targets: set at the top of a campaign, split level by level; a level splits only what it received.

A level's target is split over *slots*: its children in the tree (prefectures of arrondissements
are skipped, Casablanca's communes already cover them) and, at a region, the party units carved out
of its provinces (Fès North is a province of the party: it has a provincial secretariat). A unit's
nodes then belong to the unit's split, not to their parent's, and the parent's slot weighs what is
left of it; so every node is split by exactly one parent and every share adds up to what was given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abwab.campaigns.models import Campaign, Target
from abwab.campaigns.tallies import members_joined
from abwab.core.bidi import join_list
from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can
from abwab.territory.models import Kind, Level, PartyUnit, Territory, path_at_depth

# The groups the memo names: every one is set at the top and split down.
SPLIT_FIELDS = ("new_members", "women", "youth", "professionals", "visitors")
UNIT_PREFIX = "unit:"


class Method:
    HAND = "hand"
    POPULATION = "population"
    LAST_RESULT = "last_result"
    DENSITY = "density"


METHODS = [
    (Method.POPULATION, gettext_lazy("By population (2024 census)")),
    (Method.LAST_RESULT, gettext_lazy("By the last campaign's result")),
    (Method.DENSITY, gettext_lazy("By members per thousand inhabitants (catching up)")),
]


@dataclass
class Slot:
    """One share of a split: a territory node (less the units carved out of it) or a party unit."""

    territory: Territory
    unit: PartyUnit | None = None
    # Nodes whose figures belong to the slot: the node itself, or the unit's nodes.
    nodes: list[Territory] = field(default_factory=list)
    # Nodes inside `nodes` that belong to a unit carved out at this level or above.
    carved: list[Territory] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{UNIT_PREFIX}{self.unit.code}" if self.unit else self.territory.code

    @property
    def place(self):
        return self.unit or self.territory

    @property
    def population(self) -> int:
        inside = sum(node.population_2024 or 0 for node in self.nodes)
        return max(0, inside - sum(node.population_2024 or 0 for node in self.carved))

    def lookup(self) -> dict:
        """How to find the slot's Target row."""
        return {"territory": self.territory, "party_unit": self.unit}


def unit_split_parent(unit: PartyUnit) -> Territory | None:
    """The node whose split a unit takes part in: the region that holds it (or, for a unit spanning
    provinces, the anchor's parent)."""
    anchor = unit.anchor
    level = min(anchor.level - 1, Level.REGION)
    if level < 0:
        return None
    return Territory.objects.get(path=path_at_depth(anchor.path, level))


def _carved_units(territory: Territory) -> list[tuple[PartyUnit, bool]]:
    """Units with nodes below `territory` that are carved out at it or above it, each with whether
    it is carved out exactly here (then it is one of the slots)."""
    units = (
        PartyUnit.objects.filter(anchor__path__startswith=territory.path)
        .select_related("anchor")
        .prefetch_related("territories")
        .order_by("code")
    )
    carved = []
    for unit in units:
        split_parent = unit_split_parent(unit)
        if split_parent is not None and territory.is_below(split_parent):
            carved.append((unit, split_parent.pk == territory.pk))
    return carved


def split_slots(territory: Territory | None = None, unit: PartyUnit | None = None) -> list[Slot]:
    """Every slot a target is split over, in a stable order: none can be left out."""
    if unit is not None:
        return [
            Slot(territory=node, nodes=[node]) for node in unit.territories.order_by("code").all()
        ]
    carved_here = _carved_units(territory)
    units = [u for u, _here in carved_here]
    unit_paths = {node.path for u in units for node in u.territories.all()}
    slots = []
    for child in territory.children.exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS).order_by(
        "code"
    ):
        if child.path in unit_paths:
            continue  # it is split by its unit
        carved = [
            node
            for u in units
            for node in u.territories.all()
            if node.is_below(child, strictly=True)
        ]
        slots.append(Slot(territory=child, nodes=[child], carved=carved))
    for u, here in carved_here:
        if here:
            slots.append(Slot(territory=u.anchor, unit=u, nodes=list(u.territories.all())))
    return slots


def split_children(territory: Territory):
    """The tree children a territory's target is split over (kept for callers that list nodes)."""
    return territory.children.exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS).order_by("code")


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a whole number in proportion to weights, the shares adding up exactly to the total."""
    if not weights:
        return {}
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        weights, weight_sum = dict.fromkeys(weights, 1), len(weights)
    # Integer arithmetic: floats would lose exactness on large totals and weights.
    shares = {key: total * weight // weight_sum for key, weight in weights.items()}
    remainders = {key: total * weight % weight_sum for key, weight in weights.items()}
    left = total - sum(shares.values())
    for key in sorted(remainders, key=lambda k: (-remainders[k], k))[:left]:
        shares[key] += 1
    return shares


def _joined(node: Territory, since: datetime.date | None = None, until=None) -> int:
    """Members at or below a node who are still members, joined between two days (kept counts)."""
    return members_joined(node, since, until)


def _slot_joined(slot: Slot, since=None, until=None) -> int:
    inside = sum(_joined(node, since, until) for node in slot.nodes)
    return max(0, inside - sum(_joined(node, since, until) for node in slot.carved))


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return (
        Campaign.objects.filter(territory=campaign.territory, ends_on__lt=campaign.starts_on)
        .order_by("-ends_on")
        .first()
    )


def slot_weights(campaign: Campaign, slots: list[Slot], method: str, total: int) -> dict[str, int]:
    """Each slot's weight for a proportional split."""
    if method == Method.POPULATION:
        return {slot.key: slot.population for slot in slots}
    if method == Method.LAST_RESULT:
        previous = previous_campaign(campaign)
        if previous is None:
            raise ValidationError(
                _("There is no earlier campaign to split by its result."),
                code=ErrorCode.NO_PREVIOUS,
            )
        return {
            slot.key: _slot_joined(slot, previous.starts_on, previous.ends_on) for slot in slots
        }
    if method == Method.DENSITY:
        # Shares that bring every slot towards the same members per thousand inhabitants: each
        # gets what it lacks to reach the level all would have after the campaign.
        members = {slot.key: _slot_joined(slot) for slot in slots}
        population = {slot.key: slot.population for slot in slots}
        people = sum(population.values())
        if not people:
            return population
        goal = sum(members.values()) + total
        return {key: max(0, goal * population[key] - members[key] * people) for key in population}
    raise ValidationError(_("Unknown way of splitting."), code=ErrorCode.BAD_METHOD)


def _top_numbers(numbers: dict[str, int]) -> dict[str, int]:
    for name, value in numbers.items():
        if value < 0:
            raise ValidationError(_("A target cannot be negative."), code=ErrorCode.NEGATIVE)
        if name in ("women", "youth", "professionals") and value > numbers["new_members"]:
            raise ValidationError(
                _("A group of new members cannot exceed the new members."),
                code=ErrorCode.GROUP_TOO_BIG,
            )
    return numbers


@transaction.atomic
def target_set_top(
    *,
    actor,
    campaign: Campaign,
    new_members: int,
    professionals: int = 0,
    women: int | None = None,
    youth: int | None = None,
    visitors: int = 0,
    women_percent: int = 0,
    under35_percent: int = 0,
) -> Target:
    """The campaign's own numbers, at the territory that runs it (women and youth as numbers, or
    derived from the shares when only those are given)."""
    if not can(actor, CHANGE, campaign):
        raise ValidationError(
            _("Only the campaign's administrators set its targets."), code=ErrorCode.FORBIDDEN
        )
    numbers = _top_numbers(
        {
            "new_members": new_members,
            "women": women if women is not None else new_members * women_percent // 100,
            "youth": youth if youth is not None else new_members * under35_percent // 100,
            "professionals": professionals,
            "visitors": visitors,
        }
    )
    existing = (
        Target.objects.select_for_update()
        .filter(campaign=campaign, territory=campaign.territory, party_unit=None)
        .first()
    )
    if (
        existing is not None
        and existing.children.exists()
        and any(getattr(existing, f) != numbers[f] for f in SPLIT_FIELDS)
    ):
        raise ValidationError(
            _("The target has already been split; change the split first."),
            code=ErrorCode.ALREADY_SPLIT,
        )
    percents = {
        "women_percent": 100 * numbers["women"] // new_members if new_members else women_percent,
        "under35_percent": 100 * numbers["youth"] // new_members
        if new_members
        else under35_percent,
    }
    target, _created = Target.objects.update_or_create(
        campaign=campaign,
        territory=campaign.territory,
        party_unit=None,
        defaults={**numbers, **percents, "set_by": actor, "parent": None},
    )
    target.full_clean()
    return target


def target_of(campaign: Campaign, place) -> Target | None:
    """The target row of a territory node or a party unit."""
    if isinstance(place, PartyUnit):
        return Target.objects.filter(campaign=campaign, party_unit=place).first()
    return Target.objects.filter(campaign=campaign, territory=place, party_unit=None).first()


@transaction.atomic
def targets_split(
    *,
    actor,
    campaign: Campaign,
    territory: Territory | None = None,
    party_unit: PartyUnit | None = None,
    allocations: dict[str, dict[str, int]] | None = None,
    method: str = Method.POPULATION,
) -> list[Target]:
    """Split the target a territory (or party unit) received over every one of its slots: by hand
    (`allocations`, keyed by HCP code or "unit:<code>", every slot named) or in proportion
    (`method`) with largest remainders, so the shares always add up exactly."""
    place = party_unit or territory
    lookup = (
        {"party_unit": party_unit} if party_unit else {"territory": territory, "party_unit": None}
    )
    parent = Target.objects.select_for_update().filter(campaign=campaign, **lookup).first()
    if parent is None:
        raise ValidationError(
            _("%(territory)s has received no target to split yet.") % {"territory": place},
            code=ErrorCode.NO_TARGET,
        )
    if not can(actor, CHANGE, parent):
        raise ValidationError(
            _("You cannot split the target of %(territory)s.") % {"territory": place},
            code=ErrorCode.FORBIDDEN,
        )
    slots = split_slots(territory=territory, unit=party_unit)
    keys = [slot.key for slot in slots]
    if allocations is None:
        allocations = {key: {} for key in keys}
        for name in SPLIT_FIELDS:
            total = getattr(parent, name)
            shares = largest_remainder(total, slot_weights(campaign, slots, method, total))
            for key, share in shares.items():
                allocations[key][name] = share
    unknown = sorted(set(allocations) - set(keys))
    if unknown:
        raise ValidationError(
            _("Not below %(territory)s: %(codes)s")
            % {"territory": place, "codes": join_list(unknown)},
            code=ErrorCode.NOT_A_CHILD,
        )
    missing = [slot for slot in slots if slot.key not in allocations]
    if missing:
        raise ValidationError(
            _("Every place below must get its share; missing: %(places)s")
            % {"places": join_list(str(slot.place) for slot in missing)},
            code=ErrorCode.MISSING_CHILD,
        )
    errors = []
    try:
        numbers_by_key = {
            key: {name: int(allocations[key].get(name, 0)) for name in SPLIT_FIELDS} for key in keys
        }
    except (TypeError, ValueError) as error:
        raise ValidationError(
            _("Every share must be a whole number."), code=ErrorCode.BAD_SPLIT
        ) from error
    if any(value < 0 for numbers in numbers_by_key.values() for value in numbers.values()):
        errors.append(_("A share cannot be negative."))
    for name in SPLIT_FIELDS:
        total = sum(numbers[name] for numbers in numbers_by_key.values())
        if total != getattr(parent, name):
            errors.append(
                _(
                    "The shares of %(field)s add up to %(total)d, but %(territory)s received %(expected)d."
                )
                % {
                    "field": Target._meta.get_field(name).verbose_name,
                    "total": total,
                    "territory": place,
                    "expected": getattr(parent, name),
                }
            )
    if errors:
        raise ValidationError(errors, code=ErrorCode.BAD_SPLIT)
    saved = []
    for slot in slots:
        numbers = numbers_by_key[slot.key]
        existing = Target.objects.filter(campaign=campaign, **slot.lookup()).first()
        if (
            existing is not None
            and existing.children.exists()
            and any(getattr(existing, f) != numbers[f] for f in SPLIT_FIELDS)
        ):
            raise ValidationError(
                _(
                    "%(territory)s has already split its target further; it must change its own split first."
                )
                % {"territory": slot.place},
                code=ErrorCode.ALREADY_SPLIT,
            )
        target, _created = Target.objects.update_or_create(
            campaign=campaign,
            **slot.lookup(),
            defaults={
                **numbers,
                "parent": parent,
                "women_percent": parent.women_percent,
                "under35_percent": parent.under35_percent,
                "set_by": actor,
            },
        )
        saved.append(target)
    # Rows for places that are no longer slots (a unit carved out since) go, unless split further.
    stale = Target.objects.filter(parent=parent).exclude(pk__in=[t.pk for t in saved])
    if stale.filter(children__isnull=False).exists():
        raise ValidationError(
            _("A place that is no longer below has split its target further."),
            code=ErrorCode.STALE_SPLIT,
        )
    stale.delete()
    return saved
