"""Reads of the listening app: dossiers ranked by how many people raised them, concerns by category."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet

from abwab.core.scope import VIEW, can, visible_to
from abwab.listening.models import Concern, Dossier
from abwab.territory.models import Territory


def dossier_ranking(*, actor, territory: Territory) -> QuerySet[Dossier]:
    """The dossiers of a commune or province, most raised first."""
    dossiers = Dossier.objects.filter(territory__path__startswith=territory.path).select_related(
        "territory", "category"
    )
    return (
        visible_to(actor, dossiers)
        .annotate(raised=Count("concerns"), last=Max("concerns__recorded_at"))
        .order_by("-raised", "-last")
    )


def concerns_by_category(*, actor, territory: Territory) -> list[tuple[str, int]]:
    """How many concerns each category gathered under a territory (an aggregate: no names)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    rows = (
        Concern.objects.filter(territory__path__startswith=territory.path)
        .values("category__code", "category__name_ar", "category__name_fr")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(row, row["n"]) for row in rows]
