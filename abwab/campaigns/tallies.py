"""The counts campaigns own: visitors per node and day (`VisitTally`, kept as check-ins are
recorded), and the rule of what a campaign target counts among new members.

`visit_counts_add` runs in the check-in's transaction (no signal), so the counts are exact at every
commit; `abwab recount_members` rebuilds them with the member counts (registered with
`abwab.people.tallies.register_recount` in this app's `ready`). The reports app only reads them.
"""

from collections import Counter

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from abwab.campaigns.models import CheckIn, VisitTally
from abwab.people.tallies import member_joins
from abwab.territory import tallies
from abwab.territory.models import Territory, province_ids

VISIT_TABLE = tallies.Table(
    VisitTally._meta.db_table,
    ("rollup", "territory_id", "day", "visitors"),
    ("bool", "bigint", "date", "int"),
)


def visit_counts_add(*, checkin: CheckIn) -> None:
    """Count a check-in just recorded, on its local day (`checkin_record` calls it before its
    transaction commits; check-ins are never deleted, their territory and time never change)."""
    counts = Counter({(checkin.territory_id, timezone.localdate(checkin.at)): 1})
    paths = {checkin.territory_id: checkin.territory.path}
    tallies.upsert(VISIT_TABLE, tallies.rollup_rows(counts, paths))


def _visits(checkin_model) -> Counter:
    counts: Counter = Counter()
    days = (
        checkin_model.objects.annotate(day=TruncDate("at"))
        .values_list("territory_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for territory, day, n in days.iterator(5000):
        counts[(territory, day)] = n
    return counts


def recount_visits(checkin_model, visit_model, territory_model=Territory) -> int:
    """Rebuild the visitor counts from the check-ins (grouped by node and local day), on the given
    models (the current ones, or a migration's)."""
    visit_model.objects.all().delete()
    counts = _visits(checkin_model)
    nodes = {key[0] for key, n in counts.items() if n}
    province = province_ids(territory_model.objects.all(), nodes) if nodes else {}
    rows = tallies.rollup_rows(counts, {}, province=province)
    tallies.create(visit_model, VISIT_TABLE.columns, rows)
    return sum(counts.values())


def visit_counts_rebuild() -> int:
    return recount_visits(CheckIn, VisitTally)


def visit_counts_differences() -> list[tuple]:
    """Rows whose kept visitor count differs from a count of the check-ins now."""
    rows = tallies.rollup_rows(_visits(CheckIn), {})
    return tallies.differences(rows, VisitTally.objects.values_list(*VISIT_TABLE.columns))


def visits(territory: Territory):
    """Count rows of the visitors from at or below `territory`, by day: sum `visitors`."""
    return tallies.at_or_below(VisitTally, territory)


# What a campaign target counts: members who joined during the campaign at or below the target's
# node and are still members, in total and by the kinds targets set (from the flags people record
# with each sign-up count, see abwab.people.tallies.join_flags).
TARGET_KINDS = {
    "total": Q(),
    "women": Q(woman=True),
    "under35": Q(young=True),
    "professionals": Q(professional=True),
}


def target_counts(territory: Territory, since, until) -> dict[str, int]:
    """New members at or below a node between two days, by target kind: one query."""
    rows = member_joins(territory).filter(joined_on__range=(since, until))
    sums = rows.aggregate(
        **{
            kind: Sum("members", filter=where) if where else Sum("members")
            for kind, where in TARGET_KINDS.items()
        }
    )
    return {kind: value or 0 for kind, value in sums.items()}


def members_joined(territory: Territory, since=None, until=None) -> int:
    """Members at or below a node who are still members, joined between two days (or ever)."""
    rows = member_joins(territory)
    if since is not None:
        rows = rows.filter(joined_on__range=(since, until))
    return rows.aggregate(n=Sum("members"))["n"] or 0
