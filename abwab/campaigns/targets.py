"""Targets: set at the top of a campaign, split level by level; a level splits only what it received."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from abwab.campaigns.models import Campaign, Target
from abwab.core.scope import CHANGE, can
from abwab.territory.models import Kind, Territory

SPLIT_FIELDS = ("new_members", "professionals")


def split_children(territory: Territory):
    """The nodes a territory's target is split over (prefectures of arrondissements are skipped:
    Casablanca's communes already cover them)."""
    return territory.children.exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS).order_by("code")


def largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split a whole number in proportion to weights, the shares adding up exactly to the total."""
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        weights, weight_sum = dict.fromkeys(weights, 1), len(weights)
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = total - sum(shares.values())
    for key in sorted(exact, key=lambda k: (shares[k] - exact[k], k))[:left]:
        shares[key] += 1
    return shares


@transaction.atomic
def target_set_top(
    *,
    actor,
    campaign: Campaign,
    new_members: int,
    professionals: int = 0,
    women_percent: int = 0,
    under35_percent: int = 0,
) -> Target:
    """The campaign's own numbers, at the territory that runs it."""
    if not can(actor, CHANGE, campaign):
        raise ValidationError(
            _("Only the campaign's administrators set its targets."), code="forbidden"
        )
    target, _created = Target.objects.update_or_create(
        campaign=campaign,
        territory=campaign.territory,
        defaults={
            "new_members": new_members,
            "professionals": professionals,
            "women_percent": women_percent,
            "under35_percent": under35_percent,
            "set_by": actor,
            "parent": None,
        },
    )
    target.full_clean()
    return target


@transaction.atomic
def targets_split(
    *,
    actor,
    campaign: Campaign,
    territory: Territory,
    allocations: dict[str, dict[str, int]] | None = None,
) -> list[Target]:
    """Split the target a territory received over its children, by hand (`allocations`, keyed by
    HCP code) or in proportion to the 2024 census population when `allocations` is None."""
    parent = (
        Target.objects.select_for_update().filter(campaign=campaign, territory=territory).first()
    )
    if parent is None:
        raise ValidationError(
            _("%(territory)s has received no target to split yet.") % {"territory": territory},
            code="no_target",
        )
    if not can(actor, CHANGE, parent):
        raise ValidationError(
            _("You cannot split the target of %(territory)s.") % {"territory": territory},
            code="forbidden",
        )
    children = {child.code: child for child in split_children(territory)}
    if allocations is None:
        allocations = {code: {} for code in children}
        for field in SPLIT_FIELDS:
            shares = largest_remainder(
                getattr(parent, field),
                {code: child.population_2024 or 0 for code, child in children.items()},
            )
            for code, share in shares.items():
                allocations[code][field] = share
    unknown = sorted(set(allocations) - set(children))
    if unknown:
        raise ValidationError(
            _("Not below %(territory)s: %(codes)s")
            % {"territory": territory, "codes": ", ".join(unknown)},
            code="not_a_child",
        )
    errors = []
    for field in SPLIT_FIELDS:
        total = sum(int(numbers.get(field, 0)) for numbers in allocations.values())
        if total != getattr(parent, field):
            errors.append(
                _(
                    "The shares of %(field)s add up to %(total)d, but %(territory)s received %(expected)d."
                )
                % {
                    "field": Target._meta.get_field(field).verbose_name,
                    "total": total,
                    "territory": territory,
                    "expected": getattr(parent, field),
                }
            )
    if any(int(v) < 0 for numbers in allocations.values() for v in numbers.values()):
        errors.append(_("A share cannot be negative."))
    if errors:
        raise ValidationError(errors, code="bad_split")
    saved = []
    for code, child in children.items():
        numbers = {field: int(allocations.get(code, {}).get(field, 0)) for field in SPLIT_FIELDS}
        existing = Target.objects.filter(campaign=campaign, territory=child).first()
        if (
            existing is not None
            and existing.children.exists()
            and any(getattr(existing, f) != numbers[f] for f in SPLIT_FIELDS)
        ):
            raise ValidationError(
                _(
                    "%(territory)s has already split its target further; it must change its own split first."
                )
                % {"territory": child},
                code="already_split",
            )
        target, _created = Target.objects.update_or_create(
            campaign=campaign,
            territory=child,
            defaults={
                **numbers,
                "parent": parent,
                "women_percent": parent.women_percent,
                "under35_percent": parent.under35_percent,
                "set_by": actor,
            },
        )
        saved.append(target)
    return saved
