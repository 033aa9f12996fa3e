"""Backups of the whole database, and their restore, on SQLite and PostgreSQL.

A backup is one tar file holding `manifest.json` (engine, migrations applied, row counts, created at,
sha256 of the payload) then the payload: a gzipped SQLite copy made through SQLite's online backup
API, or a `pg_dump --format=custom` archive. Both read one consistent snapshot while the application
keeps writing. Standard tools open the file without Abwab (`tar xf`, then `sqlite3` or `pg_restore`).
The manifest lets a restore refuse a file of the other engine, a damaged file or a file from a newer
schema than the code before it touches the database."""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.backup import archive, postgresql, sqlite
from abwab.core.backup.base import (
    FORMAT,
    MANIFEST,
    PAYLOADS,
    SUFFIXES,
    BackupError,
    code_migrations,
    engine_of,
    row_counts,
    sha256_of,
    table_names,
)

__all__ = [
    "MANIFEST",
    "PAYLOADS",
    "SUFFIXES",
    "Backup",
    "BackupError",
    "Restore",
    "backup_create",
    "backup_prune",
    "backup_restore",
    "backup_verify",
    "non_empty_tables",
]
# Tables `migrate` fills by itself: rows there do not make a database "non-empty".
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class Restore:
    manifest: dict
    migrated: list[str] = field(default_factory=list)
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)


def default_directory() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def backup_create(*, destination: Path | None = None, alias: str = "default") -> Backup:
    """Write a backup of the database to `destination` (a folder or a new file; var/backups/ by
    default), atomically and readable by its owner only, and log it in the audit log."""
    from abwab.core.audit import audit_command

    connection = connections[alias]
    engine = engine_of(connection)
    stamp = timezone.now()
    target = Path(destination) if destination else default_directory()
    if target.is_dir() or destination is None:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        # UTC in the name, so that names sort as the backups were made, summer time or not.
        target = target / f"abwab-{stamp:%Y%m%d-%H%M%S}{SUFFIXES[engine]}"
    if target.exists():
        raise BackupError(_("%(path)s already exists: choose another name.") % {"path": target})
    if not target.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": target.parent})
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".abwab-backup-") as work:
        payload = Path(work) / PAYLOADS[engine]
        dump = sqlite.dump if engine == "sqlite" else postgresql.dump
        facts = dump(connection, payload)
        manifest = {
            "format": FORMAT,
            "application": "abwab",
            "engine": engine,
            "created_at": timezone.localtime(stamp).isoformat(timespec="seconds"),
            **facts,
            "payload": payload.name,
            "size": payload.stat().st_size,
            "sha256": sha256_of(payload),
        }
        archive.write(target, manifest, payload)
    rows = sum(manifest["tables"].values())
    audit_command(
        "backup",
        command="abwab backup",
        count=rows,
        reason=f"{target.name} sha256:{manifest['sha256'][:16]}",
    )
    return Backup(path=target, manifest=manifest)


def backup_prune(*, folder: Path, keep: int, alias: str = "default") -> list[Path]:
    """Delete all but the `keep` newest backups of this engine in `folder` (only files named as
    `abwab backup` names them); the deleted paths, oldest first."""
    pattern = re.compile(
        rf"abwab-\d{{8}}-\d{{6}}{re.escape(SUFFIXES[engine_of(connections[alias])])}"
    )
    found = sorted(p for p in Path(folder).iterdir() if pattern.fullmatch(p.name) and p.is_file())
    doomed = found[: max(len(found) - keep, 0)]
    for path in doomed:
        path.unlink()
    return doomed


def backup_verify(*, path: Path, alias: str = "default") -> dict:
    """The manifest of a backup file after checking that this database can take it and that the
    payload is whole and readable; raises BackupError otherwise. Nothing is changed."""
    with tempfile.TemporaryDirectory(prefix="abwab-restore-") as work:
        manifest, _database = archive.open_checked(Path(path), connections[alias], Path(work))
    return manifest


def backup_restore(*, path: Path, force: bool = False, alias: str = "default") -> Restore:
    """Replace the whole database by a backup's content (after checking the file), bring it up to
    the code's migrations and log the restore in the restored audit log."""
    from abwab.core.audit import audit_command

    connection = connections[alias]
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": path})
    with tempfile.TemporaryDirectory(prefix="abwab-restore-") as work:
        manifest = archive.read_manifest(path)
        archive.check_manifest(manifest, connection)
        if not force and (filled := non_empty_tables(alias=alias)):
            raise BackupError(
                _(
                    "The database is not empty (%(tables)s): a restore replaces everything in it. "
                    "Run the command again with --force to do so."
                )
                % {"tables": ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")}
            )
        manifest, database = archive.open_checked(path, connection, Path(work))
        current_tables = table_names(connection)
        connections.close_all()  # nothing of ours holds a lock or a cached schema meanwhile
        if manifest["engine"] == "sqlite":
            sqlite.load(connection, database)
        else:
            postgresql.load(connection, database, current_tables)
        connections.close_all()
    counts = row_counts(connection)
    mismatched = {
        table: (expected, counts.get(table, 0))
        for table, expected in manifest["tables"].items()
        if counts.get(table, 0) != expected
    }
    missing = sorted(code_migrations() - set(manifest["migrations"]))
    failure = None
    if missing:
        try:
            call_command("migrate", interactive=False, verbosity=0, database=alias)
        except Exception as error:  # noqa: BLE001 - the restore stands; the operator must know why
            failure = error
    try:
        audit_command(
            "restore",
            command="abwab restore",
            count=sum(manifest["tables"].values()),
            reason=(
                f"{path.name} sha256:{manifest['sha256'][:16]} created_at:{manifest['created_at']}"
                + (
                    " migration failed"
                    if failure
                    else f" migrated:{len(missing)}"
                    if missing
                    else ""
                )
            ),
        )
    except DatabaseError:
        if failure is None:
            raise
    if failure is not None:
        raise BackupError(
            _(
                "The backup was restored, but applying this version's migrations to it failed "
                "(%(error)s). Fix the cause, then run abwab migrate."
            )
            % {"error": failure}
        )
    return Restore(manifest=manifest, migrated=missing, mismatched=mismatched)


def non_empty_tables(*, alias: str = "default") -> list[str]:
    """The tables holding rows, apart from those `migrate` fills by itself."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        names = [t for t in table_names(connection) if t not in SCHEMA_TABLES]
        filled = []
        for name in names:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(name)
    return filled
