"""Keeping the member counts of `abwab.people.models.tallies` exact.

Every service that changes who is a member, or the gender, birth date, education or skills of a
member, calls one of these inside its own transaction (explicitly: no signals):

* `member_counts_track(person_ids=...)`, a context manager around the write: it locks the persons,
  takes what their memberships count for before and after, and adds the difference. It serves any
  single-person write (sign-up, status change, rectification, merge and its undo, anonymisation).
  Nested calls for persons already tracked do nothing, so services may call one another.
* `member_counts_add(memberships=...)` / `member_counts_subtract(memberships=...)` for bulk writes
  of memberships nobody else can touch yet (an import chunk) or that are about to be deleted.
* `member_counts_rebuild()` recounts everything (`abwab recount_members`): the member counts, and
  the counts other apps registered with `register_recount` (campaigns: visitors).

Each change is written to the node's own rows and its province's (`abwab.territory.tallies`).
The reports app only reads these tables.
"""

import contextlib
import contextvars
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.db.models import Count

from abwab.people.models import (
    Breakdown,
    Education,
    Gender,
    JoinTally,
    Membership,
    MembershipStatus,
    MemberTally,
    Person,
)
from abwab.territory import tallies
from abwab.territory.models import Territory, province_ids

_tracked: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "member_counts_tracked", default=frozenset()
)

MEMBER_TABLE = tallies.Table(
    MemberTally._meta.db_table,
    ("rollup", "territory_id", "breakdown", "value", "members"),
    ("bool", "bigint", "varchar", "varchar", "int"),
)
JOIN_TABLE = tallies.Table(
    JoinTally._meta.db_table,
    ("rollup", "territory_id", "joined_on", "woman", "young", "professional", "members"),
    ("bool", "bigint", "date", "bool", "bool", "bool", "int"),
)
JOIN_COLUMNS = JOIN_TABLE.columns


class Counts:
    """What some memberships count for: (territory, breakdown, value) keys, and (territory, day,
    woman, young, professional) keys for the days members joined."""

    KINDS = ("tallies", "joins")

    def __init__(self) -> None:
        self.tallies: Counter = Counter()
        self.joins: Counter = Counter()
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

    def rows(self, territory_model=Territory) -> tuple[list[tuple], list[tuple]]:
        """The count rows to add, for each kind: each node's own (rollup False) and its
        province's (rollup True), as (rollup, territory, *key, n), sorted."""
        nodes = {key[0] for kind in self.KINDS for key, n in getattr(self, kind).items() if n}
        province = province_ids(territory_model.objects.all(), nodes, self.paths) if nodes else {}
        return tuple(
            tallies.rollup_rows(getattr(self, kind), self.paths, province=province)
            for kind in self.KINDS
        )


# What campaign targets count among new members, recorded with each sign-up count (JoinTally):
# women, those under 35 on the day they joined, and professionals (a skill, or a university degree
# or more). Campaigns read them (`abwab.campaigns.tallies`); they are computed here, where members
# change.
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

    def count(territory, path, joined_on, _person, gender, birth_date, education, skilled):
        _count_member(counts, territory, path, joined_on, gender, birth_date, education, skilled)

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


def _count_member(counts, territory, path, joined_on, gender, birth_date, education, skilled):
    """What one open membership counts for (its skills apart: a row per skill)."""
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


def member_counts_add_new(*, members: Iterable[tuple]) -> None:
    """Count members just written in bulk (an import chunk) from what the writer holds, without
    reading them back: (territory id, its path or None, joined on, gender, birth date,
    education), none with skills yet."""
    counts = Counts()
    for territory, path, joined_on, gender, birth_date, education in members:
        _count_member(counts, territory, path, joined_on, gender, birth_date, education, False)
    counts.paths = {pk: path for pk, path in counts.paths.items() if path}
    _apply(counts)


def _apply(delta: Counts) -> None:
    """Add the difference: one upsert per table (rows sorted, so that concurrent writers lock them
    in the same order)."""
    for table, rows in zip((MEMBER_TABLE, JOIN_TABLE), delta.rows(), strict=True):
        tallies.upsert(table, rows)


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


def _queryset(memberships):
    if isinstance(memberships, list):
        return Membership.objects.filter(pk__in=[getattr(m, "pk", m) for m in memberships])
    return memberships


# Counts other apps keep the same way (per node, rolled up per province), rebuilt and checked with
# the members' by `abwab recount_members`: (tables, rebuild, differences). An app registers its own
# in its AppConfig.ready (campaigns: visitors), so that this app never imports it.
_recounts: list[tuple[tuple[str, ...], Callable[[], int], Callable[[], list]]] = []


def register_recount(
    *, tables: tuple[str, ...], rebuild: Callable[[], int], differences: Callable[[], list]
) -> None:
    entry = (tuple(tables), rebuild, differences)
    if entry not in _recounts:
        _recounts.append(entry)


@transaction.atomic
def member_counts_rebuild() -> int:
    """Recount every node from the memberships (one grouped query per breakdown), and the counts
    registered by other apps; returns the number of members. On PostgreSQL the count tables are
    locked meanwhile, so that no write adds to rows being rebuilt."""
    tallies.lock(
        MEMBER_TABLE.name, JOIN_TABLE.name, *(t for tables, _r, _d in _recounts for t in tables)
    )
    for _tables, rebuild, _differences in _recounts:
        rebuild()
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
    nodes = {key[0] for kind in Counts.KINDS for key, n in getattr(counts, kind).items() if n}
    province = province_ids(territory_model.objects.all(), nodes) if nodes else {}
    tallies.create(
        tally_model,
        MEMBER_TABLE.columns,
        tallies.rollup_rows(counts.tallies, {}, province=province),
    )
    tallies.create(
        join_model, JOIN_COLUMNS, tallies.rollup_rows(counts.joins, {}, province=province)
    )
    return sum(n for (_t, breakdown, _v), n in counts.tallies.items() if breakdown == "total")


def member_counts_differences() -> list[tuple]:
    """Rows whose kept count differs from a count of the memberships (and of what other apps
    registered) now: (key, kept, counted). Empty when the counts are exact
    (`abwab recount_members --check`)."""
    counted = _counts(Membership.objects.all(), many=True)
    tally_rows, join_rows = counted.rows()
    differences = tallies.differences(
        tally_rows, MemberTally.objects.values_list(*MEMBER_TABLE.columns)
    )
    differences += tallies.differences(join_rows, JoinTally.objects.values_list(*JOIN_COLUMNS))
    for _tables, _rebuild, registered in _recounts:
        differences += registered()
    return sorted(differences, key=str)


def member_joins(territory: Territory):
    """Count rows of the members who joined at or below `territory`, by day and by what campaign
    targets count (woman, young, professional): sum `members` over them."""
    return tallies.at_or_below(JoinTally, territory)
