"""Counts kept per territory node, and per province: the machinery the domains' count tables share.

A domain that keeps a count per node (people: members and sign-ups; campaigns: visitors) adds to
two rows per change: the node's own (`rollup` False) and its province's or prefecture's (`rollup`
True), which a national or regional dashboard sums instead of every commune's rows. There is no
regional or national row, so writers wait for each other only within a province.

The difference is applied with `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`
(PostgreSQL and SQLite alike), rows in a fixed order so that concurrent writers queue on the same
rows instead of deadlocking. This module knows the tree, not what is counted: each domain owns its
tables and the rules of what a row counts.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from abwab.territory.models import Level, Territory, path_depth, province_ids

ROLLUP_HELP = (
    "False: the members of the node itself. True: the members of the whole province or prefecture "
    "(a node above provinces counts its own members here too), so that a national or regional "
    "dashboard sums about 75 provinces' rows instead of 1,500 communes'."
)


@dataclass(frozen=True)
class Table:
    """A count table: its name, key columns (rollup and territory_id first), their PostgreSQL
    types, and the counted column (last)."""

    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]

    @property
    def counted(self) -> str:
        return self.columns[-1]


def rollup_rows(
    counts: Counter, paths: dict[int, str], territory_model=Territory, province=None
) -> list[tuple]:
    """The rows to add for counts keyed (territory, *key): each node's own (rollup False) and its
    province's (rollup True), as (rollup, territory, *key, n), sorted; zero counts left out.
    `paths`: the nodes' paths when already read (saves a query); `province`: a node → province map
    already computed for these nodes."""
    if province is None:
        nodes = {key[0] for key, n in counts.items() if n}
        province = province_ids(territory_model.objects.all(), nodes, paths) if nodes else {}
    rows: Counter = Counter()
    for (territory, *key), n in counts.items():
        if not n:
            continue  # e.g. a suspension: counted before and after alike
        rows[(False, territory, *key)] += n
        rows[(True, province[territory], *key)] += n
    return sorted((*key, n) for key, n in rows.items() if n)


def at_or_below(model, territory: Territory, *, children: bool = False):
    """Count rows (of a table keyed by territory and rollup) summing to what lies at or below
    `territory` (or below its `children`): the provinces' sums from a province up (about 75 at the
    nation), each node's own rows below."""
    # By the path, not the level: Casablanca's prefectures of arrondissements are "provinces"
    # that sit below a province in the tree.
    depth = path_depth(territory.path) + (1 if children else 0)
    rollup = depth <= Level.PROVINCE
    rows = model.objects.filter(rollup=rollup)
    if territory.parent_id is None:
        return rows  # the nation: every row, no need to read the paths
    if rollup:  # only provinces and above hold sums: ~5 nodes of a region, not ~200
        rows = rows.filter(territory__level__lte=Level.PROVINCE)
    return rows.filter(territory__path__startswith=territory.path)


def upsert(table: Table, rows: list[tuple]) -> None:
    """Add the rows' counts: on PostgreSQL one statement whatever the number of rows (columns
    passed as arrays to unnest), elsewhere multi-row VALUES of a few hundred rows."""
    if not rows:
        return
    columns, counted = table.columns, table.counted
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) "
    tail = (
        f" ON CONFLICT ({', '.join(columns[:-1])}) "
        f"DO UPDATE SET {counted} = {table.name}.{counted} + excluded.{counted}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in table.types)
            cursor.execute(  # only the constant names of a Table are interpolated
                f"{head}SELECT * FROM unnest({arrays}){tail}",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        width = len(columns)
        size = max(1, (connection.features.max_query_params or 999) // width)
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(part))
            cursor.execute(f"{head}VALUES {values}{tail}", [v for row in part for v in row])


def lock(*tables: str) -> None:
    """Lock count tables while they are rebuilt (PostgreSQL; SQLite writes one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")


def create(model, names: tuple, rows: list[tuple]) -> None:
    """Insert rebuilt rows in batches."""
    for start in range(0, len(rows), 5000):
        model.objects.bulk_create(
            model(**dict(zip(names, row, strict=True))) for row in rows[start : start + 5000]
        )


def differences(table_rows: list[tuple], kept) -> list[tuple]:
    """(key, kept, counted) for every row whose kept count differs from the one counted now."""
    actual = {row[:-1]: row[-1] for row in table_rows}
    stored = {row[:-1]: row[-1] for row in kept.iterator(5000)}
    return [
        (key, stored.get(key, 0), actual.get(key, 0))
        for key in actual.keys() | stored.keys()
        if stored.get(key, 0) != actual.get(key, 0)
    ]
