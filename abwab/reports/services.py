"""Keeping the member counts of `abwab.reports.models` exact.

Every service that changes who is a member, or the gender, birth date, education or skills of a
member, calls one of these inside its own transaction (explicitly: no signals):

* `member_counts_track(person_ids=...)`, a context manager around the write: it locks the persons,
  takes what their memberships count for before and after, and adds the difference. It serves any
  single-person write (sign-up, status change, rectification, merge and its undo, anonymisation).
  Nested calls for persons already tracked do nothing, so services may call one another.
* `member_counts_add(memberships=...)` / `member_counts_subtract(memberships=...)` for bulk writes
  of memberships nobody else can touch yet (an import chunk) or that are about to be deleted.
* `member_counts_rebuild()` recounts everything from the memberships (`abwab recount_members`).

The difference is applied with one `INSERT ... ON CONFLICT DO UPDATE SET members = members + n`
statement (PostgreSQL and SQLite alike), rows in a fixed order so that concurrent writers queue on
the same rows instead of deadlocking. Each change is written twice: to the node's own rows and to
its province's (`rollup`), which a national or regional dashboard sums; there is no regional or
national row, so sign-ups wait for each other only within a province, for the few milliseconds
between their upsert and their commit.
"""

import contextlib
import contextvars
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Count

from abwab.people.models import Membership, MembershipStatus, Person
from abwab.reports.models import Breakdown, JoinTally, MemberTally
from abwab.territory.models import Level, Territory

_tracked: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "member_counts_tracked", default=frozenset()
)


class Counts:
    """What some memberships count for: (territory, breakdown, value) and (territory, day) keys."""

    def __init__(self) -> None:
        self.tallies: Counter = Counter()
        self.joins: Counter = Counter()

    def __sub__(self, other: "Counts") -> "Counts":
        result = Counts()
        for key in self.tallies.keys() | other.tallies.keys():
            result.tallies[key] = self.tallies[key] - other.tallies[key]
        for key in self.joins.keys() | other.joins.keys():
            result.joins[key] = self.joins[key] - other.joins[key]
        return result

    def __neg__(self) -> "Counts":
        return Counts() - self

    def rows(self, territory_model=Territory) -> tuple[list[tuple], list[tuple]]:
        """The count rows to add: each node's own (rollup False) and its province's (rollup True),
        as (territory, rollup, breakdown, value, n) and (territory, rollup, day, n), sorted."""
        province = _provinces(
            territory_model, {key[0] for key in self.tallies} | {key[0] for key in self.joins}
        )
        tallies, joins = Counter(), Counter()
        for (territory, breakdown, value), n in self.tallies.items():
            tallies[(territory, False, breakdown, value)] += n
            tallies[(province[territory], True, breakdown, value)] += n
        for (territory, day), n in self.joins.items():
            joins[(territory, False, day)] += n
            joins[(province[territory], True, day)] += n
        return (
            sorted((*key, n) for key, n in tallies.items() if n),
            sorted((*key, n) for key, n in joins.items() if n),
        )


def _provinces(territory_model, ids: set[int]) -> dict[int, int]:
    """Each node's province or prefecture (the node itself when it is one, or above one)."""
    paths = dict(territory_model.objects.filter(pk__in=ids).values_list("pk", "path"))

    def top(path: str) -> str:
        return "/".join(path.rstrip("/").split("/")[: Level.PROVINCE + 1]) + "/"

    tops = dict(
        territory_model.objects.filter(path__in={top(p) for p in paths.values()}).values_list(
            "path", "pk"
        )
    )
    return {pk: tops[top(path)] for pk, path in paths.items()}


def _counts(memberships) -> Counts:
    """What the open memberships among `memberships` (a queryset) count for, in two small queries."""
    counts = Counts()
    members = memberships.exclude(status=MembershipStatus.ENDED)
    territory_of = {}  # a person has at most one open membership (a constraint)
    rows = members.values_list(
        "territory_id",
        "joined_on",
        "person_id",
        "person__gender",
        "person__birth_date",
        "person__education",
    )
    for territory, joined_on, person, gender, birth_date, education in rows.iterator(5000):
        territory_of[person] = territory
        counts.tallies[(territory, Breakdown.TOTAL, "")] += 1
        counts.tallies[(territory, Breakdown.GENDER, gender)] += 1
        year = str(birth_date.year) if birth_date else ""
        counts.tallies[(territory, Breakdown.BIRTH_YEAR, year)] += 1
        counts.tallies[(territory, Breakdown.EDUCATION, education)] += 1
        counts.joins[(territory, joined_on)] += 1
    if territory_of:
        skills = Person.skills.through.objects.filter(person__in=members.values("person_id"))
        for person, skill in skills.values_list("person_id", "skill_id").iterator(5000):
            counts.tallies[(territory_of[person], Breakdown.SKILL, str(skill))] += 1
    return counts


TALLY_UPSERT = (
    "INSERT INTO reports_membertally (territory_id, rollup, breakdown, value, members) "
    "VALUES %s ON CONFLICT (territory_id, rollup, breakdown, value) "
    "DO UPDATE SET members = reports_membertally.members + excluded.members"
)
JOIN_UPSERT = (
    "INSERT INTO reports_jointally (territory_id, rollup, joined_on, members) "
    "VALUES %s ON CONFLICT (territory_id, rollup, joined_on) "
    "DO UPDATE SET members = reports_jointally.members + excluded.members"
)


def _apply(delta: Counts) -> None:
    """Add the difference: one multi-row upsert per few hundred rows (an import chunk touches
    thousands), rows sorted so that concurrent writers lock them in the same order."""
    tallies, joins = delta.rows()
    with connection.cursor() as cursor:
        for statement, rows in ((TALLY_UPSERT, tallies), (JOIN_UPSERT, joins)):
            width = len(rows[0]) if rows else 1
            size = max(1, (connection.features.max_query_params or 10_000) // width // 2)
            for start in range(0, len(rows), size):
                part = rows[start : start + size]
                values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(part))
                cursor.execute(statement % values, [v for row in part for v in row])


@contextlib.contextmanager
def member_counts_track(*, person_ids: Iterable[int]) -> Iterator[None]:
    """Around a write to these persons or their memberships: keep the counts exact.

    Must run inside the write's transaction. The persons are locked first (in id order), so that two
    writes to the same person never both count from the same "before"."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("member_counts_track must run inside the write's transaction")
    already = _tracked.get()
    ids = sorted({pk for pk in person_ids if pk is not None} - already)
    if not ids:
        yield
        return
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    memberships = Membership.objects.filter(person_id__in=ids)
    before = _counts(memberships)
    token = _tracked.set(already | set(ids))
    try:
        yield
    finally:
        _tracked.reset(token)
    _apply(_counts(memberships) - before)


def member_counts_add(*, memberships) -> None:
    """Count memberships just created in bulk (a queryset, or a list of memberships or ids)."""
    _apply(_counts(_queryset(memberships)))


def member_counts_subtract(*, memberships) -> None:
    """Uncount memberships about to be deleted (a queryset, or a list of memberships or ids)."""
    _apply(-_counts(_queryset(memberships)))


def _queryset(memberships):
    if isinstance(memberships, list):
        return Membership.objects.filter(pk__in=[getattr(m, "pk", m) for m in memberships])
    return memberships


@transaction.atomic
def member_counts_rebuild() -> int:
    """Recount every node from the memberships (one grouped query per breakdown); returns the number
    of members. On PostgreSQL the count tables are locked meanwhile, so that no write adds to rows
    being rebuilt (SQLite runs one write transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE reports_membertally, reports_jointally IN EXCLUSIVE MODE")
    return recount(Membership, MemberTally, JoinTally)


def recount(membership_model, tally_model, join_model, territory_model=Territory) -> int:
    """The rebuild itself, on the given models (the current ones, or a migration's): each node's
    counts by grouped queries, then the provinces' sums of them."""
    tally_model.objects.all().delete()
    join_model.objects.all().delete()
    members = membership_model.objects.exclude(status=MembershipStatus.ENDED)
    counts = Counts()
    for breakdown, field in (
        (Breakdown.TOTAL, None),
        (Breakdown.GENDER, "person__gender"),
        (Breakdown.BIRTH_YEAR, "person__birth_date__year"),
        (Breakdown.EDUCATION, "person__education"),
        (Breakdown.SKILL, "person__skills"),
    ):
        fields = ["territory_id", field] if field else ["territory_id"]
        for territory, *value, n in members.values_list(*fields).annotate(n=Count("pk")).order_by():
            value = value[0] if value else ""
            if breakdown == Breakdown.SKILL and value is None:
                continue  # members without any skill
            value = "" if value is None else str(value)
            counts.tallies[(territory, str(breakdown), value)] = n
    joins = members.values_list("territory_id", "joined_on").annotate(n=Count("pk")).order_by()
    for territory, day, n in joins.iterator(5000):
        counts.joins[(territory, day)] = n
    tallies, joins = counts.rows(territory_model)
    for model, rows, names in (
        (tally_model, tallies, ("territory_id", "rollup", "breakdown", "value", "members")),
        (join_model, joins, ("territory_id", "rollup", "joined_on", "members")),
    ):
        for start in range(0, len(rows), 5000):
            model.objects.bulk_create(
                model(**dict(zip(names, row, strict=True))) for row in rows[start : start + 5000]
            )
    return sum(n for (_t, breakdown, _v), n in counts.tallies.items() if breakdown == "total")


def member_counts_differences() -> list[tuple]:
    """Rows whose kept count differs from a count of the memberships now: (key, kept, actual).
    Empty when the counts are exact (what `abwab recount_members --check` reports)."""
    actual = _counts(Membership.objects.all()).rows()
    kept = (
        list(
            MemberTally.objects.values_list(
                "territory_id", "rollup", "breakdown", "value", "members"
            ).order_by("territory_id", "rollup", "breakdown", "value")
        ),
        list(
            JoinTally.objects.values_list(
                "territory_id", "rollup", "joined_on", "members"
            ).order_by("territory_id", "rollup", "joined_on")
        ),
    )
    differences = []
    for actual_rows, kept_rows in zip(actual, kept, strict=True):
        counted = {row[:-1]: row[-1] for row in actual_rows}
        stored = {row[:-1]: row[-1] for row in kept_rows}
        differences += [
            (key, stored.get(key, 0), counted.get(key, 0))
            for key in counted.keys() | stored.keys()
            if stored.get(key, 0) != counted.get(key, 0)
        ]
    return sorted(differences, key=str)
