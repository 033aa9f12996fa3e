"""`abwab backup` and `abwab restore` on the engine the suite runs on (SQLite or PostgreSQL): a
populated database comes back table for table, row for row; wrong files are refused untouched."""

import getpass
import gzip
import hashlib
import io
import json
import os
import re
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from abwab.core import backup as backups
from abwab.core.audit import audit
from abwab.core.backup import postgresql
from abwab.core.models import AuditEntry, Job
from abwab.meetings.models import Communique, Decision
from abwab.people.models import Person
from abwab.people.services import person_create
from abwab.territory.models import Territory

ENGINE = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table of the database (as introspection lists them): its row count and a digest of
    all its rows that does not depend on their order. The restore's own audit line is left out."""
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            if table == AuditEntry._meta.db_table:
                rows = [row for row in rows if row[columns.index("action")] != "restore"]
            lines = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in rows
            )
            digest = hashlib.sha256(repr(columns).encode())
            for line in lines:
                digest.update(line.encode())
            result[table] = (len(rows), digest.hexdigest())
    return result


def read_archive(path: Path) -> tuple[list[str], dict, bytes]:
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile(backups.MANIFEST).read())
        payload = archive.extractfile(manifest["payload"]).read()
    return names, manifest, payload


def rebuilt(path: Path, out: Path, *, transform=None, **changes) -> Path:
    """A copy of a backup with its payload transformed (and its checksum recomputed to match,
    unless `sha256` is among the changes) and its manifest changed."""
    _names, manifest, data = read_archive(path)
    if transform is not None:
        data = transform(data)
    manifest.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    manifest.update(changes)
    with tarfile.open(out, "w") as archive:
        for name, content in (
            (backups.MANIFEST, json.dumps(manifest).encode()),
            (manifest["payload"], data),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return out


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


def populate(actors, places, rf) -> None:
    """The shared places (every app has rows) plus a read of a person in the audit log."""
    request = rf.get("/people/")
    request.user = actors.taounate
    audit(request, "read", places["taounate_a"].person)


@pytest.mark.django_db(transaction=True)
def test_a_populated_database_comes_back_table_for_table_after_changes(
    transactional_territory, actors, places, rf, tmp_path, client
):
    # given a database where every app has rows, an audit line among them
    populate(actors, places, rf)
    before = snapshot()
    filled = {table.split("_")[0] for table, (count, _digest) in before.items() if count}
    assert {
        "accounts",
        "campaigns",
        "core",
        "listening",
        "meetings",
        "people",
        "territory",
    } <= filled
    # when it is backed up
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backups.backup_create(destination=folder)
    # then one private file, named after the moment, lists every table with its rows
    assert [p.name for p in folder.iterdir()] == [result.path.name]
    assert re.fullmatch(rf"abwab-\d{{8}}-\d{{6}}\.{connection.vendor}\.tar", result.path.name)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    names, manifest, payload = read_archive(result.path)
    assert names == [backups.MANIFEST, backups.PAYLOADS[connection.vendor]]
    assert manifest["engine"] == connection.vendor
    assert manifest["sha256"] == hashlib.sha256(payload).hexdigest()
    assert manifest["tables"] == {table: count for table, (count, _digest) in before.items()}
    assert AuditEntry.objects.filter(action="backup").count() == 1
    # when the database changes: rows deleted, added and updated
    Decision.objects.all().delete()
    Communique.objects.filter(language="ar").delete()
    person_create(actor=None, territory=places["meknes"].node, first_name_ar="ليلى")
    Job.objects.create(kind="people.dedupe", territory=places["meknes"].node)
    Territory.objects.filter(code="03").update(name_fr="changé")
    changed = {table for table, facts in snapshot().items() if facts != before.get(table)}
    assert {"meetings_decision", "meetings_communique", "people_person", "core_job"} <= changed
    assert {"territory_territory", "core_auditentry"} <= changed
    # and the backup is restored over it
    output = restore(result.path, "--force")
    # then every table holds exactly the rows it held when the backup was made
    assert snapshot() == before
    assert output == (
        f"Restored {result.path.name} (backup of {manifest['created_at']}): "
        f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables.\n"
    )
    # the restored log says who restored what, for national auditors
    assert list(
        AuditEntry.objects.filter(action__in=["backup", "restore"]).values_list(
            "action",
            "actor_id",
            "actor_label",
            "method",
            "path",
            "count",
            "reason",
            "territory__code",
        )
    ) == [
        (
            "restore",
            None,
            getpass.getuser(),
            "CLI",
            "abwab restore",
            sum(manifest["tables"].values()),
            f"{result.path.name} sha256:{manifest['sha256'][:16]} created_at:{manifest['created_at']}",
            "MA",
        )
    ]
    # and the application works on the restored database
    newest = Person.objects.order_by("-pk").first().pk
    added = person_create(actor=None, territory=places["meknes"].node, first_name_ar="ليلى")
    assert added.pk > newest
    client.force_login(actors.admin)
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(
    transactional_territory, tmp_path, monkeypatch
):
    # given a backup whose database is cut short, with a checksum that matches the cut
    result = backups.backup_create(destination=tmp_path / "whole.tar")
    if connection.vendor == "sqlite":
        cut = rebuilt(
            result.path,
            tmp_path / "cut.tar",
            transform=lambda data: gzip.compress(gzip.decompress(data)[: len(data) // 2]),
        )
        expected = "The backup is damaged: SQLite cannot read its database."
    else:
        # pg_restore --list still reads its table of contents; the data stops short, so psql has
        # dropped, recreated and filled most tables when the restore fails
        cut = rebuilt(
            result.path, tmp_path / "cut.tar", transform=lambda data: data[: len(data) * 95 // 100]
        )
        expected = "The restore failed, the database is unchanged.\npg_restore: error: could not read from input file: end of file"
    before = snapshot()
    # when it is restored
    with pytest.raises(CommandError) as refused:
        restore(cut, "--force")
    # then it fails and nothing changed
    assert str(refused.value).startswith(expected)
    assert snapshot() == before
    if connection.vendor == "postgresql":
        # when pg_restore dies between two statements, after psql has dropped every table
        monkeypatch.setattr(postgresql, "check", lambda payload: payload)
        found = postgresql.pg_program
        monkeypatch.setattr(
            postgresql,
            "pg_program",
            lambda name: "/bin/false" if name == "pg_restore" else found(name),
        )
        with pytest.raises(CommandError) as refused:
            restore(result.path, "--force")
        # then the transaction is never committed: nothing changed
        assert str(refused.value) == "The restore failed, the database is unchanged."
        assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_backup_from_an_older_version_is_migrated_after_the_restore(
    transactional_territory, tmp_path, monkeypatch
):
    # given a backup made before the audit log's trigger migration (which can run again)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations "
            "WHERE app = 'core' AND name = '0004_audit_append_only_sqlite_delete'"
        )
    result = backups.backup_create(destination=tmp_path)
    assert "core.0004_audit_append_only_sqlite_delete" not in result.manifest["migrations"]
    # when it is restored and the migrations fail
    monkeypatch.setattr(backups, "call_command", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(CommandError) as failed:
        restore(result.path, "--force")
    # then the restore stands, logged, and the operator is told what to do
    assert str(failed.value) == (
        "The backup was restored, but applying this version's migrations to it failed "
        "(division by zero). Fix the cause, then run abwab migrate."
    )
    assert AuditEntry.objects.get(action="restore").reason.endswith(" migration failed")
    # when it is restored again with migrations that work
    monkeypatch.undo()
    output = restore(result.path, "--force")
    # then the missing migration is applied and said so
    assert output.splitlines()[1] == "The backup predates this version: 1 migration was applied."
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM django_migrations "
            "WHERE name = '0004_audit_append_only_sqlite_delete'"
        )
        assert cursor.fetchone() == (1,)
    reason = AuditEntry.objects.get(action="restore").reason
    assert reason.endswith(" migrated:1")


# Refusals: each leaves the database exactly as it was ------------------------------------------


@pytest.fixture
def made(db, tmp_path):
    """A backup of the test database as committed (the territory), in its own folder."""
    folder = tmp_path / "backups"
    folder.mkdir()
    return backups.backup_create(destination=folder)


@pytest.mark.django_db
def test_a_backup_file_is_private_named_after_the_moment_and_audited(made, tmp_path):
    out = io.StringIO()
    call_command("backup", "-o", str(tmp_path), stdout=out)
    written = [p for p in tmp_path.iterdir() if p.is_file()]
    assert len(written) == 1 and stat.S_IMODE(written[0].stat().st_mode) == 0o600
    _names, manifest, _payload = read_archive(written[0])
    assert out.getvalue().splitlines() == [
        f"Backup written: {written[0]} ({filesizeformat(manifest['size'])}, "
        f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables).",
        f"sha256 {manifest['sha256']}",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        assert manifest["migrations"] == sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    assert list(
        AuditEntry.objects.filter(action="backup")
        .order_by("pk")
        .values_list("actor_label", "method", "path", "count", "reason", "territory__code")
    ) == [
        (
            getpass.getuser(),
            "CLI",
            "abwab backup",
            sum(backup.manifest["tables"].values()),
            f"{backup.path.name} sha256:{backup.manifest['sha256'][:16]}",
            "MA",
        )
        for backup in (made, backups.Backup(path=written[0], manifest=manifest))
    ]


@pytest.mark.django_db
def test_keep_deletes_the_oldest_backups_of_the_folder_only(tmp_path):
    folder = tmp_path / "backups"
    suffix = backups.SUFFIXES[connection.vendor]
    other = backups.SUFFIXES[OTHER[connection.vendor]]
    old = [folder / f"abwab-2020010{day}-020000{suffix}" for day in (1, 2, 3)]
    kept = [
        folder / "abwab-20200101-020000" / "not-a-file",
        folder / f"abwab-20200101-010000{other}",
    ]
    kept += [folder / "notes.txt", folder / f"copy-abwab-20200101-020000{suffix}"]
    for path in old + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    out = io.StringIO()
    call_command("backup", "-o", str(folder), "--keep", "2", stdout=out)
    (new,) = (p for p in folder.iterdir() if p.name.endswith(suffix) and p not in old + kept)
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted([new, old[2], *kept])
    assert out.getvalue().splitlines()[2:] == [f"Older backup deleted: {path}" for path in old[:2]]
    with pytest.raises(CommandError, match="--keep must be at least 1."):
        call_command("backup", "-o", str(folder), "--keep", "0")
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted([new, old[2], *kept])


@pytest.mark.django_db
def test_an_existing_file_is_never_overwritten(made):
    content = made.path.read_bytes()
    with pytest.raises(CommandError, match=re.escape(f"{made.path} already exists")):
        call_command("backup", "-o", str(made.path))
    assert made.path.read_bytes() == content


@pytest.mark.django_db
def test_a_database_that_holds_data_is_not_replaced_without_force(made, places):
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        restore(made.path)
    assert str(refused.value).startswith("The database is not empty (")
    assert str(refused.value).endswith(
        "a restore replaces everything in it. Run the command again with --force to do so."
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_a_backup_of_the_other_engine_is_refused(made, tmp_path):
    other = rebuilt(
        made.path,
        tmp_path / "other.tar",
        engine=OTHER[connection.vendor],
        payload=backups.PAYLOADS[OTHER[connection.vendor]],
    )
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        restore(other, "--force")
    mine, theirs = ENGINE[connection.vendor], ENGINE[OTHER[connection.vendor]]
    assert str(refused.value) == (
        f"This is a {theirs} backup and the configured database is {mine}: "
        f"restore it into a {theirs} database."
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_a_backup_from_a_newer_version_is_refused(made, tmp_path):
    _names, manifest, _payload = read_archive(made.path)
    newer = rebuilt(
        made.path,
        tmp_path / "newer.tar",
        migrations=[*manifest["migrations"], "people.9999_future"],
    )
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        restore(newer, "--force")
    assert str(refused.value) == (
        "This backup comes from a newer version of Abwab (migrations this code does not have: "
        "people.9999_future). Install that version, or a later one, then restore."
    )
    assert snapshot() == before


def flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


@pytest.mark.django_db
def test_damaged_files_are_refused(made, tmp_path):
    _names, manifest, _payload = read_archive(made.path)
    whole = made.path.read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole[: len(whole) // 2])
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_bytes(b"members, phones\n" * 100)
    unreadable = b"not a database " * 100
    cases = {
        # a byte altered in the database: the checksum no longer matches
        rebuilt(
            made.path, tmp_path / "flipped.tar", transform=flip_one_byte, sha256=manifest["sha256"]
        ): "The backup is damaged: its checksum does not match (the file was altered or cut).",
        cut: "The backup is damaged: its database is incomplete.",
        not_a_backup: "notes.tar is not an Abwab backup, or it is damaged.",
        # a checksum that matches content the database engine cannot read
        rebuilt(
            made.path,
            tmp_path / "garbage.tar",
            transform=lambda _data: (
                gzip.compress(unreadable) if connection.vendor == "sqlite" else unreadable
            ),
        ): {
            "sqlite": "The backup is damaged: SQLite cannot read its database.",
            "postgresql": "The backup is damaged: pg_restore cannot read its archive.",
        }[connection.vendor],
    }
    before = snapshot()
    for path, message in cases.items():
        with pytest.raises(CommandError) as refused:
            restore(path, "--force")
        assert str(refused.value) == message, path.name
        with pytest.raises(CommandError) as refused:
            restore(path, "--check")
        assert str(refused.value) == message, path.name
    assert snapshot() == before


@pytest.mark.django_db
def test_check_reads_a_backup_through_and_changes_nothing(made):
    before = snapshot()
    output = restore(made.path, "--check")
    manifest = made.manifest
    assert output == (
        f"{made.path.name} is whole and fits this database: backup of {manifest['created_at']}, "
        f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables.\n"
    )
    assert snapshot() == before


# PostgreSQL's programs (pure functions: checked on both engines) ----------------------------------


def test_postgresql_programs_are_found_on_the_path_or_the_newest_installed(monkeypatch, tmp_path):
    for major in ("9.6", "13", "15"):
        program = tmp_path / major / "bin" / "pg_dump"
        program.parent.mkdir(parents=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(postgresql, "PG_BIN_GLOB", str(tmp_path / "*" / "bin"))
    assert postgresql.pg_program("pg_dump") == str(tmp_path / "15" / "bin" / "pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path / "13" / "bin"))
    assert postgresql.pg_program("pg_dump") == str(tmp_path / "13" / "bin" / "pg_dump")
    with pytest.raises(backups.BackupError) as missing:
        postgresql.pg_program("pg_restore")
    assert str(missing.value) == (
        "pg_restore was not found. Install the PostgreSQL client programs "
        "(on Debian: apt-get install postgresql-client) or put them on the PATH."
    )


def test_the_password_goes_to_the_environment_and_never_into_a_message():
    settings_dict = {
        "NAME": "abwab",
        "USER": "abwab",
        "PASSWORD": "s3cret-do-not-print",
        "HOST": "127.0.0.1",
        "PORT": 1,  # nobody listens: the connection fails
        "OPTIONS": {"sslmode": "disable"},
    }
    environment = postgresql.pg_environment(settings_dict)
    assert {key: environment[key] for key in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE")} == {
        "PGHOST": "127.0.0.1",
        "PGPORT": "1",
        "PGUSER": "abwab",
        "PGDATABASE": "abwab",
    }
    assert (environment["PGPASSWORD"], environment["PGSSLMODE"]) == (
        "s3cret-do-not-print",
        "disable",
    )
    with pytest.raises(backups.BackupError) as failed:
        postgresql.run(
            [postgresql.pg_program("pg_dump"), "--schema-only", "--no-password"],
            settings_dict,
            "pg_dump failed, no backup was written:",
        )
    message = str(failed.value)
    assert message.startswith("pg_dump failed, no backup was written:\npg_dump: error:")
    assert "s3cret" not in message and os.environ.get("PGPASSWORD") != "s3cret-do-not-print"
