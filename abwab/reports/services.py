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

The difference is applied with `INSERT ... ON CONFLICT DO UPDATE SET members = members + n`
(PostgreSQL and SQLite alike), rows in a fixed order so that concurrent writers queue on
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
from django.db.models.functions import TruncDate
from django.utils import timezone

from abwab.campaigns.models import CheckIn
from abwab.people.models import Education, Gender, Membership, MembershipStatus, Person
from abwab.reports.models import Breakdown, JoinTally, MemberTally, VisitTally
from abwab.territory.models import Level, Territory

_tracked: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "member_counts_tracked", default=frozenset()
)


class Counts:
    """What some memberships or check-ins count for: (territory, breakdown, value) keys;
    (territory, day, woman, young, professional) keys for the days members joined; (territory,
    day) keys for the days visitors came."""

    KINDS = ("tallies", "joins", "visits")

    def __init__(self) -> None:
        self.tallies: Counter = Counter()
        self.joins: Counter = Counter()
        self.visits: Counter = Counter()
        self.paths: dict[int, str] = {}  # the nodes' paths when already read (saves a query)

    def __sub__(self, other: "Counts") -> "Counts":
        result = Counts()
        result.paths = {**other.paths, **self.paths}
        for kind in self.KINDS:
            mine, theirs, out = getattr(self, kind), getattr(other, kind), getattr(result, kind)
            for key in mine.keys() | theirs.keys():
                out[key] = mine[key] - theirs[key]
        return result

    def __neg__(self) -> "Counts":
        return Counts() - self

    def rows(self, territory_model=Territory) -> tuple[list[tuple], ...]:
        """The count rows to add, for each kind: each node's own (rollup False) and its
        province's (rollup True), as (rollup, territory, *key, n), sorted."""
        nodes = {key[0] for kind in self.KINDS for key, n in getattr(self, kind).items() if n}
        province = _provinces(territory_model, nodes, self.paths) if nodes else {}
        result = []
        for kind in self.KINDS:
            rows = Counter()
            for (territory, *key), n in getattr(self, kind).items():
                if not n:
                    continue  # e.g. a suspension: counted before and after alike
                rows[(False, territory, *key)] += n
                rows[(True, province[territory], *key)] += n
            result.append(sorted((*key, n) for key, n in rows.items() if n))
        return tuple(result)


def _provinces(territory_model, ids: set[int], known: dict[int, str]) -> dict[int, int]:
    """Each node's province or prefecture by its path (the first three segments; the node itself
    when it is one or above one): one query when the paths are known, two otherwise."""
    paths = {pk: known[pk] for pk in ids if pk in known}
    if len(paths) < len(ids):
        missing = territory_model.objects.filter(pk__in=ids - paths.keys())
        paths.update(missing.values_list("pk", "path"))

    def top(path: str) -> str:
        return "/".join(path.rstrip("/").split("/")[: Level.PROVINCE + 1]) + "/"

    wanted = {top(p) for p in paths.values()}
    found = dict(territory_model.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {pk: found[top(path)] for pk, path in paths.items()}


PROFESSIONAL_EDUCATION = frozenset({Education.UNIVERSITY, Education.POSTGRADUATE})
YOUNG_BEFORE = 35  # under-35 targets: the age on the day the member joined


def join_flags(*, gender, birth_date, education, skilled: bool, joined_on) -> tuple[bool, ...]:
    """(woman, young, professional) of a new member, as campaign targets count them."""
    young = birth_date is not None and (
        joined_on.year
        - birth_date.year
        - ((joined_on.month, joined_on.day) < (birth_date.month, birth_date.day))
        < YOUNG_BEFORE
    )
    return gender == Gender.FEMALE, young, skilled or education in PROFESSIONAL_EDUCATION


def _counts(memberships, *, many: bool = False) -> Counts:
    """What the open memberships among `memberships` (a queryset) count for, in one query (a row
    per member and skill, a member's rows together); `many`: read in batches, for a whole import
    or the whole table."""
    counts = Counts()
    rows = (
        memberships.exclude(status=MembershipStatus.ENDED)
        .values_list(
            "territory_id",
            "territory__path",
            "joined_on",
            "person_id",
            "person__gender",
            "person__birth_date",
            "person__education",
            "person__skills",
        )
        .order_by("person_id")
    )
    member: list | None = None  # a person has at most one open membership (a constraint)

    def count(territory, path, joined_on, person, gender, birth_date, education, skilled):
        counts.paths[territory] = path
        counts.tallies[(territory, Breakdown.TOTAL, "")] += 1
        counts.tallies[(territory, Breakdown.GENDER, gender)] += 1
        year = str(birth_date.year) if birth_date else ""
        counts.tallies[(territory, Breakdown.BIRTH_YEAR, year)] += 1
        counts.tallies[(territory, Breakdown.EDUCATION, education)] += 1
        flags = join_flags(
            gender=gender,
            birth_date=birth_date,
            education=education,
            skilled=skilled,
            joined_on=joined_on,
        )
        counts.joins[(territory, joined_on, *flags)] += 1

    for territory, path, joined_on, person, gender, birth_date, education, skill in (
        rows.iterator(5000) if many else rows
    ):
        if skill is not None:
            counts.tallies[(territory, Breakdown.SKILL, str(skill))] += 1
        if member is not None and member[3] == person:
            member[-1] = member[-1] or skill is not None
            continue
        if member is not None:
            count(*member)
        member = [territory, path, joined_on, person, gender, birth_date, education]
        member.append(skill is not None)
    if member is not None:
        count(*member)
    return counts


# (table, columns, their PostgreSQL types, conflict target, counted column)
UPSERTS = (
    (
        "reports_membertally",
        ("rollup", "territory_id", "breakdown", "value", "members"),
        ("bool", "bigint", "varchar", "varchar", "int"),
        "members",
    ),
    (
        "reports_jointally",
        ("rollup", "territory_id", "joined_on", "woman", "young", "professional", "members"),
        ("bool", "bigint", "date", "bool", "bool", "bool", "int"),
        "members",
    ),
    (
        "reports_visittally",
        ("rollup", "territory_id", "day", "visitors"),
        ("bool", "bigint", "date", "int"),
        "visitors",
    ),
)


JOIN_COLUMNS = ("rollup", "territory_id", "joined_on", "woman", "young", "professional", "members")


def _apply(delta: Counts) -> None:
    """Add the difference with `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`: on
    PostgreSQL one statement per table whatever the number of rows (columns passed as arrays to
    unnest), elsewhere multi-row VALUES of a few hundred rows. Rows sorted, so that concurrent
    writers lock them in the same order."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for (table, columns, types, counted), rows in zip(UPSERTS, delta.rows(), strict=True):
            if not rows:
                continue
            head = f"INSERT INTO {table} ({', '.join(columns)}) "
            tail = (
                f" ON CONFLICT ({', '.join(columns[:-1])}) "
                f"DO UPDATE SET {counted} = {table}.{counted} + excluded.{counted}"
            )
            if postgresql:
                arrays = ", ".join(f"%s::{kind}[]" for kind in types)
                cursor.execute(  # only the constant names of UPSERTS are interpolated
                    f"{head}SELECT * FROM unnest({arrays}){tail}",  # noqa: S608
                    [list(column) for column in zip(*rows, strict=True)],
                )
                continue
            width = len(columns)
            size = max(1, (connection.features.max_query_params or 999) // width)
            for start in range(0, len(rows), size):
                part = rows[start : start + size]
                values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(part))
                cursor.execute(f"{head}VALUES {values}{tail}", [v for row in part for v in row])


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
    _apply(-_counts(_queryset(memberships), many=True))


def visit_counts_add(*, checkin: CheckIn) -> None:
    """Count a check-in just recorded, on its local day (`checkin_record` calls it before its
    transaction commits; check-ins are never deleted, their territory and time never change)."""
    counts = Counts()
    counts.visits[(checkin.territory_id, timezone.localdate(checkin.at))] = 1
    counts.paths[checkin.territory_id] = checkin.territory.path
    _apply(counts)


def _queryset(memberships):
    if isinstance(memberships, list):
        return Membership.objects.filter(pk__in=[getattr(m, "pk", m) for m in memberships])
    return memberships


@transaction.atomic
def member_counts_rebuild() -> int:
    """Recount every node from the memberships (one grouped query per breakdown) and the check-ins;
    returns the number of members. On PostgreSQL the count tables are locked meanwhile, so that no write adds to rows
    being rebuilt (SQLite runs one write transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE reports_membertally, reports_jointally, reports_visittally"
                " IN EXCLUSIVE MODE"
            )
    recount_visits(CheckIn, VisitTally)
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
    # Joins by what targets count (the age on the joining day is not a grouped query on both
    # engines): read member by member, in batches.
    counts.joins = _counts(members, many=True).joins
    tallies, joins, _visits = counts.rows(territory_model)
    _create(tally_model, ("rollup", "territory_id", "breakdown", "value", "members"), tallies)
    _create(join_model, JOIN_COLUMNS, joins)
    return sum(n for (_t, breakdown, _v), n in counts.tallies.items() if breakdown == "total")


def _create(model, names: tuple, rows: list[tuple]) -> None:
    for start in range(0, len(rows), 5000):
        model.objects.bulk_create(
            model(**dict(zip(names, row, strict=True))) for row in rows[start : start + 5000]
        )


def _visits(checkin_model) -> Counts:
    counts = Counts()
    days = (
        checkin_model.objects.annotate(day=TruncDate("at"))
        .values_list("territory_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for territory, day, n in days.iterator(5000):
        counts.visits[(territory, day)] = n
    return counts


def recount_visits(checkin_model, visit_model, territory_model=Territory) -> int:
    """Rebuild the visitor counts from the check-ins (grouped by node and local day)."""
    visit_model.objects.all().delete()
    counts = _visits(checkin_model)
    rows = counts.rows(territory_model)[2]
    _create(visit_model, ("rollup", "territory_id", "day", "visitors"), rows)
    return sum(counts.visits.values())


def member_counts_differences() -> list[tuple]:
    """Rows whose kept count differs from a count of the memberships and check-ins now:
    (key, kept, counted). Empty when the counts are exact (`abwab recount_members --check`)."""
    counted = _counts(Membership.objects.all(), many=True)
    counted.visits = _visits(CheckIn).visits
    kept = (
        MemberTally.objects.values_list("rollup", "territory_id", "breakdown", "value", "members"),
        JoinTally.objects.values_list(*JOIN_COLUMNS),
        VisitTally.objects.values_list("rollup", "territory_id", "day", "visitors"),
    )
    differences = []
    for actual_rows, kept_rows in zip(counted.rows(), kept, strict=True):
        actual = {row[:-1]: row[-1] for row in actual_rows}
        stored = {row[:-1]: row[-1] for row in kept_rows.iterator(5000)}
        differences += [
            (key, stored.get(key, 0), actual.get(key, 0))
            for key in actual.keys() | stored.keys()
            if stored.get(key, 0) != actual.get(key, 0)
        ]
    return sorted(differences, key=str)
