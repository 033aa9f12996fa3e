"""Reads of the listening app: dossiers ranked by how many people raised them, concerns by category."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from abwab.core.scope import VIEW, can, visible_to
from abwab.listening.models import Concern, Dossier
from abwab.territory.models import Territory


def dossier_ranking(
    *,
    actor,
    territory: Territory,
    status: str = "",
    category=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Dossier]:
    """The dossiers of a node the actor may see, most raised first; filtered by status, category
    and the days their concerns were raised (both days included; `raised` then counts those)."""
    dossiers = Dossier.objects.filter(territory__path__startswith=territory.path).select_related(
        "territory", "category"
    )
    if status:
        dossiers = dossiers.filter(status=status)
    if category is not None:
        dossiers = dossiers.filter(category=category)
    raised = Q()
    zone = timezone.get_current_timezone()
    if since:
        raised &= Q(
            concerns__recorded_at__gte=datetime.datetime.combine(since, datetime.time(), zone)
        )
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), zone)
        raised &= Q(concerns__recorded_at__lt=end)
    dossiers = visible_to(actor, dossiers).annotate(
        raised=Count("concerns", filter=raised) if raised else Count("concerns"),
        last=Max("concerns__recorded_at"),
    )
    if since or until:
        dossiers = dossiers.filter(raised__gt=0)
    return dossiers.order_by("-raised", "-last", "pk")


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
