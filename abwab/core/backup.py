"""Backups of the whole database, and their restore, on SQLite and PostgreSQL.

A backup is one tar file holding `manifest.json` (engine, migrations applied, row counts, created at,
sha256 of the payload) then the payload: a gzipped SQLite copy made through SQLite's online backup
API, or a `pg_dump --format=custom` archive. Both read one consistent snapshot while the application
keeps writing. Standard tools open the file without Abwab (`tar xf`, then `sqlite3` or `pg_restore`).
The manifest lets a restore refuse a file of the other engine, a damaged file or a file from a newer
schema than the code before it touches the database."""

import contextlib
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump, pg_restore and psql, with fixed arguments, no shell
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "database.sqlite3.gz", "postgresql": "database.pgdump"}
SUFFIXES = {"sqlite": ".sqlite.tar", "postgresql": ".postgresql.tar"}
# Tables `migrate` fills by itself: rows there do not make a database "non-empty".
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or a restore refused or failed; the message is translated and safe to show."""


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
    engine = _engine(connection)
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
        dump = _sqlite_dump if engine == "sqlite" else _postgresql_dump
        facts = dump(connection, payload)
        manifest = {
            "format": FORMAT,
            "application": "abwab",
            "engine": engine,
            "created_at": timezone.localtime(stamp).isoformat(timespec="seconds"),
            **facts,
            "payload": payload.name,
            "size": payload.stat().st_size,
            "sha256": _sha256(payload),
        }
        _write_archive(target, manifest, payload)
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
        rf"abwab-\d{{8}}-\d{{6}}{re.escape(SUFFIXES[_engine(connections[alias])])}"
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
        manifest, _database = _open_checked(Path(path), connections[alias], Path(work))
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
        manifest = _read_manifest(path)
        _check_manifest(manifest, connection)
        if not force and (filled := non_empty_tables(alias=alias)):
            raise BackupError(
                _(
                    "The database is not empty (%(tables)s): a restore replaces everything in it. "
                    "Run the command again with --force to do so."
                )
                % {"tables": ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")}
            )
        manifest, database = _open_checked(path, connection, Path(work))
        current_tables = _tables(connection)
        connections.close_all()  # nothing of ours holds a lock or a cached schema meanwhile
        if manifest["engine"] == "sqlite":
            _sqlite_load(connection, database)
        else:
            _postgresql_load(connection, database, current_tables)
        connections.close_all()
    counts = _counts(connection)
    mismatched = {
        table: (expected, counts.get(table, 0))
        for table, expected in manifest["tables"].items()
        if counts.get(table, 0) != expected
    }
    missing = sorted(_code_migrations() - set(manifest["migrations"]))
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
        names = [t for t in _tables(connection) if t not in SCHEMA_TABLES]
        filled = []
        for name in names:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(name)
    return filled


def pg_program(name: str) -> str:
    """Where a PostgreSQL client program is: on the PATH, else the newest under /usr/lib/postgresql."""
    if found := shutil.which(name):
        return found

    def version(folder: str) -> tuple:
        major = Path(folder).parent.name
        return (int(major),) if major.isdigit() else (0,)

    for folder in sorted(glob.glob(PG_BIN_GLOB), key=version, reverse=True):
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _(
            "%(program)s was not found. Install the PostgreSQL client programs "
            "(on Debian: apt-get install postgresql-client) or put them on the PATH."
        )
        % {"program": name}
    )


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The environment that points libpq's programs at the configured database. The password goes
    there (PGPASSWORD), never on a command line that `ps` would show."""
    from django.db.backends.postgresql.client import DatabaseClient

    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


# SQLite ----------------------------------------------------------------------------------------


def _sqlite_path(settings_dict: dict) -> str:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name:
        raise BackupError(_("An in-memory database cannot be backed up or restored."))
    return name


def _sqlite_dump(connection, payload: Path) -> dict:
    """Copy the live database through the backup API (one step: one consistent snapshot, while
    WAL lets the application write meanwhile), then gzip the copy into the payload."""
    copy = payload.with_suffix("")
    source = sqlite3.connect(_sqlite_path(connection.settings_dict), timeout=20)
    target = sqlite3.connect(copy)
    try:
        with target:
            source.backup(target)
        # A plain rollback-journal file: opens anywhere, even read-only, without -wal and -shm.
        target.execute("PRAGMA journal_mode=DELETE")
        facts = _facts(target.cursor(), connection)
        facts["server_version"] = sqlite3.sqlite_version
    finally:
        source.close()
        target.close()
    # Level 1: half the time of the default level for a file some 8 % larger, on a live server.
    with open(copy, "rb") as raw, gzip.open(payload, "wb", compresslevel=1) as packed:
        shutil.copyfileobj(raw, packed, CHUNK)
    copy.unlink()
    return facts


def _sqlite_check(payload: Path) -> Path:
    """The database unpacked beside the payload, once SQLite finds it whole."""
    copy = payload.with_suffix("")
    try:
        with gzip.open(payload, "rb") as packed, open(copy, "wb") as raw:
            shutil.copyfileobj(packed, raw, CHUNK)
        database = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchall()
        finally:
            database.close()
    except (OSError, EOFError, zlib.error, sqlite3.DatabaseError) as error:
        result = [(str(error),)]
    if result != [("ok",)]:
        raise BackupError(_("The backup is damaged: SQLite cannot read its database."))
    return copy


def _sqlite_load(connection, database: Path) -> None:
    """Copy the backup into the configured database through the backup API: the pages are replaced
    in one write transaction (the audit log's append-only trigger is not involved), and the
    application's connections see the restored database at their next query."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(connection.settings_dict), timeout=20)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(
            _("The restore failed, the database is unchanged.") + f"\n{error}"
        ) from error
    finally:
        source.close()
        target.close()


# PostgreSQL ------------------------------------------------------------------------------------


def _postgresql_dump(connection, payload: Path) -> dict:
    """pg_dump in the custom format, from a snapshot exported by our own repeatable-read
    transaction, so the manifest's migrations and row counts are those of the dump itself."""
    program = pg_program("pg_dump")
    snapshot_connection = connection.get_new_connection(connection.get_connection_params())
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            facts = _facts(cursor, connection)
            _run(
                [program, "--format=custom", "--no-password", f"--snapshot={snapshot}"]
                + [f"--file={payload}"],
                connection.settings_dict,
                _("pg_dump failed, no backup was written:"),
            )
    finally:
        snapshot_connection.close()
    facts["server_version"] = server_version
    return facts


def _postgresql_check(payload: Path) -> Path:
    completed = subprocess.run(  # noqa: S603
        [pg_program("pg_restore"), "--list", str(payload)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(_("The backup is damaged: pg_restore cannot read its archive."))
    return payload


def _postgresql_load(connection, payload: Path, current_tables: list[str]) -> None:
    """One transaction, ours: BEGIN, drop every table of the current database (tables of newer
    migrations than the backup's included), then pg_restore's script (--clean --if-exists also drops
    the backup's other objects, such as the audit log's trigger function, before recreating them),
    and COMMIT only once pg_restore has ended well; psql stops at the first error. Otherwise the
    server rolls back when psql disconnects: on any failure the database is left as it was.
    Dropping a table removes its rows without a DELETE, so the append-only trigger does not fire.
    (pg_restore would wrap large objects in transactions of its own; Django creates none.)"""
    quote = connection.ops.quote_name
    preamble = "BEGIN;\n"
    if current_tables:
        names = ", ".join(quote(name) for name in current_tables)
        preamble += f"DROP TABLE IF EXISTS {names} CASCADE;\n"
    environment = pg_environment(connection.settings_dict)
    # Wait at most a minute for the application's transactions to release a table, then give up
    # (and roll back) rather than hang behind a connection left idle in a transaction.
    environment["PGOPTIONS"] = "-c client_min_messages=warning -c lock_timeout=60s"
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        script = subprocess.Popen(  # noqa: S603
            [pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            + ["--file=-", str(payload)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        psql = subprocess.Popen(  # noqa: S603
            [pg_program("psql"), "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=environment,
        )
        with contextlib.suppress(BrokenPipeError):  # psql stopped: its errors say why
            psql.stdin.write(preamble.encode())
            shutil.copyfileobj(script.stdout, psql.stdin, CHUNK)
        script.stdout.close()
        script_failed = script.wait() != 0
        with contextlib.suppress(BrokenPipeError):
            if not script_failed:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        psql_failed = psql.wait() != 0
        if script_failed or psql_failed:
            errors = restore_errors if script_failed else psql_errors
            errors.seek(0)
            detail = errors.read().decode(errors="replace").strip()[-2000:]
            raise BackupError(
                _("The restore failed, the database is unchanged.")
                + (f"\n{detail}" if detail else "")
            )


def _run(command: list[str], settings_dict: dict, failure: str) -> None:
    completed = subprocess.run(  # noqa: S603
        command,
        env=pg_environment(settings_dict),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"{failure}\n{completed.stderr.decode(errors='replace').strip()}")


# The file --------------------------------------------------------------------------------------


def _write_archive(target: Path, manifest: dict, payload: Path) -> None:
    """Manifest first (a restore reads it before the payload), into a private temporary file in
    the same folder, flushed to disk, then renamed: a crash never leaves half a backup under the
    final name, and only the owner can read members' data."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".abwab-backup-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            os.fchmod(raw.fileno(), 0o600)
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
                document = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = (
                    len(document),
                    0o600,
                    int(os.path.getmtime(payload)),
                )
                archive.addfile(info, io.BytesIO(document))
                info = archive.gettarinfo(str(payload), arcname=payload.name)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with open(payload, "rb") as data:
                    archive.addfile(info, data)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, mode="r:") as archive:
            member = archive.next()
            if member is None or member.name != MANIFEST:
                raise BackupError(_("%(path)s is not an Abwab backup.") % {"path": path.name})
            manifest = json.loads(archive.extractfile(member).read())
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(
            _("%(path)s is not an Abwab backup, or it is damaged.") % {"path": path.name}
        ) from error
    required = {"format", "engine", "migrations", "tables", "payload", "sha256", "created_at"}
    if not isinstance(manifest, dict) or not required <= manifest.keys():
        raise BackupError(_("%(path)s is not an Abwab backup.") % {"path": path.name})
    return manifest


def _check_manifest(manifest: dict, connection) -> None:
    engine = _engine(connection)
    if manifest["format"] != FORMAT:
        raise BackupError(
            _("This backup has format %(format)s, which this version of Abwab does not read.")
            % {"format": manifest["format"]}
        )
    if manifest["engine"] != engine or manifest["payload"] != PAYLOADS[engine]:
        raise BackupError(
            _(
                "This is a %(file)s backup and the configured database is %(database)s: "
                "restore it into a %(file)s database."
            )
            % {"file": _engine_label(manifest["engine"]), "database": _engine_label(engine)}
        )
    unknown = sorted(set(manifest["migrations"]) - _code_migrations())
    if unknown:
        raise BackupError(
            _(
                "This backup comes from a newer version of Abwab (migrations this code does not "
                "have: %(migrations)s). Install that version, or a later one, then restore."
            )
            % {"migrations": ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")}
        )


def _open_checked(path: Path, connection, work: Path) -> tuple[dict, Path]:
    """The manifest and the database extracted into `work` (an SQLite file or a pg_dump archive),
    once both have passed every check."""
    manifest = _read_manifest(path)
    _check_manifest(manifest, connection)
    payload = work / manifest["payload"]
    digest = hashlib.sha256()
    try:
        with tarfile.open(path, mode="r:") as archive:
            archive.next()
            member = archive.next()
            if member is None or member.name != manifest["payload"] or not member.isfile():
                raise BackupError(_("The backup is damaged: its database is missing."))
            with archive.extractfile(member) as data, open(payload, "wb") as out:
                while chunk := data.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(_("The backup is damaged: its database is incomplete.")) from error
    if digest.hexdigest() != manifest["sha256"]:
        raise BackupError(
            _("The backup is damaged: its checksum does not match (the file was altered or cut).")
        )
    check = _sqlite_check if manifest["engine"] == "sqlite" else _postgresql_check
    return manifest, check(payload)


# Facts about a database ------------------------------------------------------------------------


def _engine(connection) -> str:
    if connection.vendor not in PAYLOADS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _engine_label(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine, engine)


def _code_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        )


def _facts(cursor, connection) -> dict:
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


def _counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        return _facts(cursor, connection)["tables"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
