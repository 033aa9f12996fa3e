"""Reads of the meetings app: local-branch coverage, decision follow-up."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from abwab.core.scope import VIEW, can, visible_to
from abwab.meetings.models import Decision, DecisionStatus
from abwab.territory.models import BodyKind, Kind, Level, Territory

COMMUNE_KINDS = (Kind.URBAN_COMMUNE, Kind.RURAL_COMMUNE)


@dataclass
class CoverageRow:
    territory: Territory
    communes: int
    covered: int

    @property
    def percent(self) -> int:
        return int(100 * self.covered / self.communes) if self.communes else 0


def _coverage_of(node: Territory) -> CoverageRow:
    communes = Territory.objects.filter(path__startswith=node.path, kind__in=COMMUNE_KINDS)
    counts = communes.aggregate(
        total=Count("pk", distinct=True),
        covered=Count("pk", filter=Q(bodies__kind=BodyKind.LOCAL_SECRETARIAT), distinct=True),
    )
    return CoverageRow(node, counts["total"], counts["covered"])


def coverage(*, actor, territory: Territory) -> list[CoverageRow]:
    """Share of communes with a local secretariat, for each child of a territory (an aggregate)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    children = visible_to(
        actor,
        territory.children.filter(level__lte=Level.PROVINCE).exclude(
            kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS
        ),
    )
    return [_coverage_of(child) for child in children.order_by("name_fr")]


def communes_without_secretariat(*, actor, territory: Territory) -> QuerySet[Territory]:
    """The communes of a territory still without a local secretariat."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    communes = Territory.objects.filter(path__startswith=territory.path, kind__in=COMMUNE_KINDS)
    return communes.exclude(bodies__kind=BodyKind.LOCAL_SECRETARIAT).order_by("name_fr")


def decision_board(*, actor, territory: Territory | None = None) -> dict[str, list[Decision]]:
    """Open, late and done decisions the actor may follow, optionally under one territory."""
    decisions = Decision.objects.select_related(
        "meeting__body", "territory", "owner_person", "owner_body"
    )
    if territory is not None:
        decisions = decisions.filter(territory__path__startswith=territory.path)
    decisions = visible_to(actor, decisions)
    today = timezone.localdate()
    board: dict[str, list[Decision]] = {"late": [], "open": [], "done": []}
    for decision in decisions[:500]:
        if decision.status in (DecisionStatus.DONE, DecisionStatus.CANCELLED):
            board["done"].append(decision)
        elif decision.due_on and decision.due_on < today:
            board["late"].append(decision)
        else:
            board["open"].append(decision)
    return board
