"""What the backup modules share: the error, the file's names, and facts about a database."""

import hashlib
from pathlib import Path

from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3.gz", "postgresql": "database.pgdump"}
SUFFIXES = {"sqlite": ".sqlite.tar", "postgresql": ".postgresql.tar"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or a restore refused or failed; the message is translated and safe to show."""


def engine_of(connection) -> str:
    if connection.vendor not in PAYLOADS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def engine_label(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine, engine)


def code_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def table_names(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        )


def database_facts(cursor, connection) -> dict:
    """Migrations applied and rows per table, read through a DB-API cursor (the snapshot's)."""
    listed = connection.introspection.get_table_list(cursor)
    tables = sorted(info.name for info in listed if info.type == "t")
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    return {"migrations": migrations, "tables": counts}


def row_counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        return database_facts(cursor, connection)["tables"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
