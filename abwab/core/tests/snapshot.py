"""A fixture's rows, written once per test session and put back by one INSERT per table.

The `places` fixture builds six places through the services (people, merges, memberships, events,
meetings, dossiers…): about a second per test, and some seven hundred tests ask for it. The rows it
writes are the same in every test that starts from the same database, so the first build is kept
(every new row of every table, with the files it stored) and later tests insert those rows again
with their ids, then reset the sequences. Each test still gets its own rows in its own transaction.

The shortcut is taken only when it is safe, and checked rather than assumed:
- the database must be as the session left it after loading the territory (same row count and
  highest id in every table), both when the rows are kept and when they are put back;
- the build may only add rows: if it changed or deleted a row that was there before, nothing is
  kept and every test builds again.
Otherwise the fixture builds as before.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction

JSON_TYPE_OIDS = {114, 3802}  # PostgreSQL json, jsonb


def _tables() -> dict[str, type[models.Model]]:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.setdefault(model._meta.db_table, model)
    return tables


def signature() -> dict[str, tuple]:
    """Each table's row count and lowest and highest primary key (as text), in one statement."""
    quote = connection.ops.quote_name
    template = (
        "SELECT '{table}', COUNT(*), MIN(CAST({pk} AS TEXT)), MAX(CAST({pk} AS TEXT)) FROM {name}"
    )
    parts = [
        template.format(table=table, pk=quote(model._meta.pk.column), name=quote(table))
        for table, model in sorted(_tables().items())
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: tuple(rest) for table, *rest in cursor.fetchall()}


def _rows(table: str, model) -> tuple[list[str], list[tuple], list[object], set[int]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (names from the models)
        columns = [column[0] for column in cursor.description]
        json_columns = {
            index
            for index, column in enumerate(cursor.description)
            if getattr(column, "type_code", None) in JSON_TYPE_OIDS
        }
        rows = cursor.fetchall()
    pk_index = columns.index(model._meta.pk.column)
    return columns, rows, [row[pk_index] for row in rows], json_columns


def _adapted(rows: list[tuple], json_columns: set[int]) -> list[tuple]:
    """Values as the driver takes them back: psycopg reads json as Python values and writes a dict
    only through a wrapper; sqlite3 reads a time column as a time and has no adapter to write it."""
    if connection.vendor == "sqlite":
        return [
            tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row) for row in rows
        ]
    if not json_columns:
        return rows
    from psycopg.types.json import Jsonb

    def value(index, v):
        if index not in json_columns or v is None:
            return v
        # Django's connection reads jsonb as its text (JSONField decodes it): decode it here too.
        return Jsonb(json.loads(v) if isinstance(v, str) else v)

    return [tuple(value(i, v) for i, v in enumerate(row)) for row in rows]


@dataclass
class Snapshot:
    inserts: list[tuple[str, list[str], list[tuple]]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    models: list[type[models.Model]] = field(default_factory=list)

    def restore(self) -> None:
        quote = connection.ops.quote_name
        # One transaction: the foreign keys are checked once all the rows are in (a transactional
        # test runs in autocommit, where each table's INSERT would be checked on its own).
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, rows in self.inserts:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)
        root = Path(settings.MEDIA_ROOT)
        for name, content in self.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def keep(build):
    """Run `build()`, and return (its result, a Snapshot of what it wrote, or None if unsafe)."""
    tables = _tables()
    before = {table: _rows(table, model) for table, model in tables.items()}
    result = build()
    snapshot = Snapshot()
    for table, model in tables.items():
        columns, rows, pks, json_columns = _rows(table, model)
        _columns, old_rows, old_pks, _json = before[table]
        old = dict(zip(old_pks, old_rows, strict=True))
        now = dict(zip(pks, rows, strict=True))
        if any(pk not in now or now[pk] != row for pk, row in old.items()):
            return result, None  # the build changed what was there: not a pure addition
        new = [row for pk, row in now.items() if pk not in old]
        if not new:
            continue
        snapshot.inserts.append((table, columns, _adapted(new, json_columns)))
        snapshot.models.append(model)
        file_columns = [
            columns.index(f.column)
            for f in model._meta.concrete_fields
            if isinstance(f, models.FileField)
        ]
        for index in file_columns:
            for row in new:
                if row[index]:
                    snapshot.files[row[index]] = (
                        Path(settings.MEDIA_ROOT) / row[index]
                    ).read_bytes()
    return result, snapshot
