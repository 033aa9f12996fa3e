"""Dashboard figures for a territory: aggregates only (the gate is the territory), each computed in
the database with one grouped query, never by loading rows."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from abwab.core.scope import VIEW, can
from abwab.listening.models import Concern
from abwab.meetings.models import Decision, DecisionStatus
from abwab.people.models import Education, Gender, Skill
from abwab.reports.models import Breakdown, JoinTally, MemberTally, VisitTally
from abwab.territory.models import Level, Territory


@dataclass
class Series:
    """A labelled series of counts: drawn as bars, and listed as a table beside them."""

    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)

    @property
    def top(self) -> int:
        return max((value for _label, value in self.rows), default=0)


def _tallies(model, territory: Territory, *, children: bool = False):
    """Count rows summing to the members at or below `territory` (or below its `children`): the
    provinces' sums from a province up (about 75 at the nation), each node's own rows below."""
    # By the path, not the level: Casablanca's prefectures of arrondissements are "provinces"
    # that sit below a province in the tree.
    depth = territory.path.count("/") + (1 if children else 0)
    rollup = depth <= Level.PROVINCE + 1
    rows = model.objects.filter(rollup=rollup)
    if territory.parent_id is None:
        return rows  # the nation: every row, no need to read the paths
    if rollup:  # only provinces and above hold sums: ~5 nodes of a region, not ~200
        rows = rows.filter(territory__level__lte=Level.PROVINCE)
    return rows.filter(territory__path__startswith=territory.path)


def member_joins(territory: Territory):
    """Count rows of the members who joined at or below `territory`, by day and by what campaign
    targets count (woman, young, professional): sum `members` over them."""
    return _tallies(JoinTally, territory)


def _member_figures(territory: Territory) -> dict[str, dict[str, int]]:
    """Members by breakdown and value, summed over the node's count rows (one grouped query over a
    few thousand small rows, instead of a scan of every member)."""
    figures: dict[str, dict[str, int]] = {breakdown: {} for breakdown in Breakdown.values}
    summed = (
        _tallies(MemberTally, territory)
        .values_list("breakdown", "value")
        .annotate(n=Sum("members"))
        .order_by()
    )
    for breakdown, value, n in summed:
        if n:
            figures[breakdown][value] = n
    return figures


def _day_window(today: datetime.date) -> datetime.date:
    """First day of the per-day series: the last 31 days, today included."""
    return today - datetime.timedelta(days=30)


def dashboard(*, actor, territory: Territory, since: datetime.date | None = None) -> dict:
    """Every figure of the dashboard for one territory (and what lies below it).

    Member and visitor figures are read from the counts the services keep
    (`abwab.reports.services`), exact at every commit; concerns and decisions are counted directly."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    as_of = timezone.now()
    today = timezone.localdate(as_of)
    figures = _member_figures(territory)
    total = figures[Breakdown.TOTAL].get("", 0)
    joins = _tallies(JoinTally, territory)
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
        _tallies(VisitTally, territory)
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
            Series(
                _("Members by gender"),
                [(str(Gender(code).label), by_gender.get(code, 0)) for code in Gender.values],
            ),
            Series(_("Members by age"), ages),
            Series(
                _("Members by education level"),
                [(str(Education(code).label), education.get(code, 0)) for code in Education.values],
            ),
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
    depth = territory.path.count("/")
    by_path = {child.path: child.pk for child in children}
    counts = dict.fromkeys(by_path.values(), 0)
    totals = (
        _tallies(MemberTally, territory, children=True)
        .filter(breakdown=Breakdown.TOTAL)
        .values_list("territory__path", "members")
    )
    for path, n in totals:  # one row per node holding members: summed under its child here
        child = by_path.get("/".join(path.split("/")[: depth + 1]) + "/")
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
