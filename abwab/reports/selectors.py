"""Dashboard figures for a territory: aggregates only (the gate is the territory), each computed in
the database with one grouped query, never by loading rows."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from abwab.campaigns.models import CheckIn
from abwab.core.scope import VIEW, can
from abwab.listening.models import Concern
from abwab.meetings.models import Decision, DecisionStatus
from abwab.people.models import Education, Gender, Membership, MembershipStatus
from abwab.territory.models import Territory


@dataclass
class Series:
    """A labelled series of counts: drawn as bars, and listed as a table beside them."""

    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max((value for _label, value in self.rows), default=0)


def _members(territory: Territory):
    return Membership.objects.filter(territory__path__startswith=territory.path).exclude(
        status=MembershipStatus.ENDED
    )


def dashboard(*, actor, territory: Territory, since: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for one territory (and what lies below it)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    members = _members(territory)
    today = timezone.localdate()
    totals = members.aggregate(
        total=Count("pk"), new=Count("pk", filter=Q(joined_on__gte=since)) if since else Count("pk")
    )
    by_gender = dict(members.values_list("person__gender").annotate(n=Count("pk")))
    years = dict(
        members.annotate(year=ExtractYear("person__birth_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    bands = [
        ("18–24", 18, 24),
        ("25–34", 25, 34),
        ("35–44", 35, 44),
        ("45–59", 45, 59),
        ("60+", 60, 200),
    ]
    ages = [
        (label, sum(n for year, n in years.items() if year and low <= today.year - year <= high))
        for label, low, high in bands
    ]
    education = dict(members.values_list("person__education").annotate(n=Count("pk")))
    skills = (
        members.values_list("person__skills__name_ar", "person__skills__name_fr")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    language_fr = get_language() == "fr"
    checkins = CheckIn.objects.filter(territory__path__startswith=territory.path)
    per_day = (
        checkins.annotate(day=TruncDate("at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    recent = members.filter(joined_on__gte=today - datetime.timedelta(days=31))
    signups = recent.values_list("joined_on").annotate(n=Count("pk")).order_by("joined_on")
    concerns = (
        Concern.objects.filter(territory__path__startswith=territory.path)
        .values_list("category__name_ar", "category__name_fr")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    decisions = Decision.objects.filter(territory__path__startswith=territory.path).exclude(
        status__in=[DecisionStatus.DONE, DecisionStatus.CANCELLED]
    )
    return {
        "members": totals["total"],
        "new_members": totals["new"],
        "decisions_open": decisions.count(),
        "decisions_late": decisions.filter(due_on__lt=today).count(),
        "series": [
            Series(
                _("Members by gender"),
                [(str(Gender(code).label), by_gender.get(code, 0)) for code in Gender.values],
            ),
            Series(_("Members by age"), ages),
            Series(
                _("Members by education level"),
                [(str(Education(code).label), education.get(code, 0)) for code in Education.values],
            ),
            Series(
                _("Members by skill"),
                [((fr if language_fr else ar), n) for ar, fr, n in skills if ar][:10],
            ),
            Series(_("Visitors per day"), [(day.isoformat(), n) for day, n in per_day][-31:]),
            Series(_("Sign-ups per day"), [(day.isoformat(), n) for day, n in signups][-31:]),
            Series(
                _("Concerns by category"),
                [((fr if language_fr else ar), n) for ar, fr, n in concerns],
            ),
        ],
    }


def members_per_thousand(*, actor, territory: Territory) -> list[tuple[Territory, int, float]]:
    """For each child: members, and members per 1,000 inhabitants (2024 census)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    children = list(
        territory.children.exclude(kind="prefecture_of_arrondissements").order_by("name_fr")
    )
    counts = {
        child.pk: Membership.objects.filter(territory__path__startswith=child.path)
        .exclude(status=MembershipStatus.ENDED)
        .count()
        for child in children
    }
    return [
        (
            child,
            counts[child.pk],
            round(1000 * counts[child.pk] / child.population_2024, 3)
            if child.population_2024
            else 0.0,
        )
        for child in children
    ]
