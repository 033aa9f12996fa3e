"""PostgreSQL: pg_dump from an exported snapshot; pg_restore's script run by psql in one
transaction. The client programs get the connection through libpq's environment variables."""

import contextlib
import glob
import os
import shutil
import subprocess  # noqa: S404 - pg_dump, pg_restore and psql, with fixed arguments, no shell
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from abwab.core.backup.base import CHUNK, BackupError, database_facts

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


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


def dump(connection, payload: Path) -> dict:
    """pg_dump in the custom format, from a snapshot exported by our own repeatable-read
    transaction, so the manifest's migrations and row counts are those of the dump itself."""
    program = pg_program("pg_dump")
    snapshot_connection = connection.get_new_connection(connection.get_connection_params())
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            facts = database_facts(cursor, connection)
            run(
                [program, "--format=custom", "--no-password", f"--snapshot={snapshot}"]
                + [f"--file={payload}"],
                connection.settings_dict,
                _("pg_dump failed, no backup was written:"),
            )
    finally:
        snapshot_connection.close()
    facts["server_version"] = server_version
    return facts


def check(payload: Path) -> Path:
    completed = subprocess.run(  # noqa: S603
        [pg_program("pg_restore"), "--list", str(payload)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(_("The backup is damaged: pg_restore cannot read its archive."))
    return payload


def load(connection, payload: Path, current_tables: list[str]) -> None:
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


def run(command: list[str], settings_dict: dict, failure: str) -> None:
    completed = subprocess.run(  # noqa: S603
        command,
        env=pg_environment(settings_dict),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"{failure}\n{completed.stderr.decode(errors='replace').strip()}")
