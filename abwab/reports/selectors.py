"""Dashboard figures for a territory: aggregates only (the gate is the territory), each computed in
the database with one grouped query, never by loading rows."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from abwab.campaigns.tallies import visits
from abwab.core.scope import VIEW, can
from abwab.listening.models import Concern
from abwab.meetings.models import Decision, DecisionStatus
from abwab.people.models import Breakdown, Education, Gender, MemberTally, Skill
from abwab.people.tallies import member_joins
from abwab.territory.models import Territory, path_at_depth, path_depth
from abwab.territory.tallies import at_or_below


@dataclass
class Series:
    """A labelled series of counts: drawn as bars, and listed as a table beside them."""

    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max((value for _label, value in self.rows), default=0)


def _member_figures(territory: Territory) -> dict[str, dict[str, int]]:
    """Members by breakdown and value, summed over the node's count rows (one grouped query over a
    few thousand small rows, instead of a scan of every member)."""
    figures: dict[str, dict[str, int]] = {breakdown: {} for breakdown in Breakdown.values}
    summed = (
        at_or_below(MemberTally, territory)
        .values_list("breakdown", "value")
        .annotate(n=Sum("members"))
        .order_by()
    )
    for breakdown, value, n in summed:
        if n:
            figures[breakdown][value] = n
    return figures


def _with_unrecorded(rows: list[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    """The rows, and a "not recorded" row for the members none of them counts (no gender, no birth
    date, a code no longer offered), so that every breakdown adds up to the members."""
    missing = total - sum(n for _label, n in rows)
    return [*rows, (_("Not recorded"), missing)] if missing else rows


def _breakdown(choices, counts: dict[str, int], total: int) -> list[tuple[str, int]]:
    """One row per choice, then the members with none of them."""
    rows = [(str(choices(code).label), counts.get(code, 0)) for code in choices.values]
    return _with_unrecorded(rows, total)


def _day_window(today: datetime.date) -> datetime.date:
    """First day of the per-day series: the last 31 days, today included."""
    return today - datetime.timedelta(days=30)


def dashboard(*, actor, territory: Territory, since: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for one territory (and what lies below it).

    Member and visitor figures are read from the counts the services keep
    (`abwab.people.tallies`, `abwab.campaigns.tallies`), exact at every commit; concerns and decisions are counted directly."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    as_of = timezone.now()
    today = timezone.localdate(as_of)
    figures = _member_figures(territory)
    total = figures[Breakdown.TOTAL].get("", 0)
    joins = member_joins(territory)
    new = total
    if since:
        new = joins.filter(joined_on__gte=since).aggregate(n=Sum("members"))["n"] or 0
    by_gender = figures[Breakdown.GENDER]
    years = {int(year): n for year, n in figures[Breakdown.BIRTH_YEAR].items() if year}
    bands = [
        ("18–24", 18, 24),
        ("25–34", 25, 34),
        ("35–44", 35, 44),
        ("45–59", 45, 59),
        ("60+", 60, 200),
    ]
    # Age reached this year: bands move on 1 January, computed here from the stored birth years.
    ages = [
        (label, sum(n for year, n in years.items() if low <= today.year - year <= high))
        for label, low, high in bands
    ]
    education = figures[Breakdown.EDUCATION]
    language_fr = get_language() == "fr"
    skill_counts = {int(pk): n for pk, n in figures[Breakdown.SKILL].items()}
    skills = sorted(
        (
            ((skill.name_fr if language_fr else skill.name_ar), skill_counts[skill.pk])
            for skill in Skill.objects.filter(pk__in=skill_counts)
            if skill.name_ar
        ),
        key=lambda row: (-row[1], row[0]),
    )
    first_day = _day_window(today)
    per_day = (
        visits(territory)
        .filter(day__gte=first_day)
        .values_list("day")
        .annotate(n=Sum("visitors"))
        .filter(n__gt=0)
        .order_by("day")
    )
    signups = (
        joins.filter(joined_on__gte=first_day)
        .values_list("joined_on")
        .annotate(n=Sum("members"))
        .filter(n__gt=0)
        .order_by("joined_on")
    )
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
        "as_of": as_of,
        "members": total,
        "new_members": new,
        "decisions_open": decisions.count(),
        "decisions_late": decisions.filter(due_on__lt=today).count(),
        "series": [
            Series(_("Members by gender"), _breakdown(Gender, by_gender, total)),
            Series(_("Members by age"), _with_unrecorded(ages, total)),
            Series(_("Members by education level"), _breakdown(Education, education, total)),
            Series(_("Members by skill"), skills[:10]),
            Series(_("Visitors per day"), [(day.isoformat(), n) for day, n in per_day]),
            Series(_("Sign-ups per day"), [(day.isoformat(), n) for day, n in signups]),
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
    depth = path_depth(territory.path) + 1
    by_path = {child.path: child.pk for child in children}
    counts = dict.fromkeys(by_path.values(), 0)
    totals = (
        at_or_below(MemberTally, territory, children=True)
        .filter(breakdown=Breakdown.TOTAL)
        .values_list("territory__path", "members")
    )
    for path, n in totals:  # one row per node holding members: summed under its child here
        child = by_path.get(path_at_depth(path, depth))
        if child is not None:
            counts[child] += n
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
