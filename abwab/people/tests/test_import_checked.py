"""The import reads what the check cleaned, writes its rows without a foreign-key check per row
where PostgreSQL allows, and keeps the dashboard's counts from the values it wrote."""

import os
import stat

import pytest
from django.db import IntegrityError, connection, transaction

from abwab.people import import_lines, import_write
from abwab.people.import_lines import LineCleaner, checked_path
from abwab.people.models import ImportRow, Membership, Person, RowStatus
from abwab.people.tallies import member_counts_differences
from abwab.people.tests.test_import_run import checked
from abwab.people.tests.test_imports import good, members_csv, run
from abwab.territory.models import Kind, Level, Territory

pytestmark = pytest.mark.django_db


def test_the_import_reads_the_check_s_values_and_cleans_nothing_again(
    actors, django_capture_on_commit_callbacks, monkeypatch
):
    # Given a checked file (mixed genders, birth dates, one line with its own joining day)
    lines = [good(i) for i in range(6)]
    lines[2][1], lines[2][5] = "El Fassi", "03/04/1985"
    batch = checked(actors, django_capture_on_commit_callbacks, members_csv(lines))
    path = checked_path(batch.file.path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # as private as the upload

    # When the import runs, no line is cleaned again
    def no_second_cleaning(self, raw):
        raise AssertionError("cleaned twice")

    monkeypatch.setattr(LineCleaner, "clean", no_second_cleaning)
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    # Then every line went in with the values the check found
    assert job.result["imported"] == 6
    person = Person.objects.get(import_batch=batch, cin="IM100002")
    assert (person.last_name_latin, str(person.birth_date), person.gender) == (
        "El Fassi",
        "1985-04-03",
        "M",
    )
    assert person.territory.code == "03.531.01.05"
    # And the dashboard's counts, added from the values written, match a recount
    assert member_counts_differences() == []


def test_without_the_check_s_values_the_import_cleans_the_file(
    actors, django_capture_on_commit_callbacks
):
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(3))
    )
    os.remove(checked_path(batch.file.path))  # e.g. checked before the values were kept
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert job.result["imported"] == 3
    assert member_counts_differences() == []


def test_a_file_of_another_format_is_not_read(actors, django_capture_on_commit_callbacks):
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(2))
    )
    with open(checked_path(batch.file.path), "wb") as handle:
        handle.write(b"not what the check writes")
    assert import_lines.read_checked(batch.file.path) is None
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert job.result["imported"] == 2


def test_a_commune_removed_since_the_check_refuses_its_line_only(
    actors, django_capture_on_commit_callbacks
):
    # Given a file checked with a line in a commune that is then removed
    taounate = Territory.objects.get(code="03.531")
    gone = Territory.objects.create(
        code="03.531.99.99",
        kind=Kind.RURAL_COMMUNE,
        level=Level.COMMUNE,
        parent=taounate,
        path=f"{taounate.path}03.531.99.99/",
        name_ar="جماعة مؤقتة",
        name_fr="Commune provisoire",
    )
    lines = [good(1), good(2, commune="Commune provisoire"), good(3)]
    batch = checked(actors, django_capture_on_commit_callbacks, members_csv(lines))
    gone.delete()
    # When the import runs
    job = run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    # Then the two other lines are imported, and that one says why it is not
    assert job.result["imported"] == 2
    row = ImportRow.objects.get(batch=batch)
    assert (row.line, row.status) == (3, RowStatus.INVALID)
    assert row.error == "commune Commune provisoire is unknown or outside تاونات"
    assert row.data["cin"] == "IM100002" and row.data["commune_code"] == "Commune provisoire"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row triggers")
def test_rows_are_written_without_a_trigger_per_row_and_checked_once_per_chunk(
    actors, django_capture_on_commit_callbacks, monkeypatch
):
    # The test database's role is a superuser: it may set session_replication_role
    modes = []
    real_insert = import_write._insert

    def insert(model, names, rows, *, ids):
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            modes.append((model.__name__, cursor.fetchone()[0]))
        return real_insert(model, names, rows, ids=ids)

    monkeypatch.setattr(import_write, "_insert", insert)
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(4))
    )
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert modes == [
        ("Person", "replica"),
        ("Consent", "replica"),
        ("Membership", "replica"),
        ("MembershipChange", "replica"),
    ]
    with connection.cursor() as cursor:  # only for the chunk's own writes
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
    # Every row points at what exists
    members = Membership.objects.filter(person__import_batch=batch)
    assert members.count() == 4
    assert all(m.consent.person_id == m.person_id for m in members)
    assert all(m.changes.count() == 1 for m in members)
    assert member_counts_differences() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row triggers")
def test_a_row_the_chunk_points_at_that_is_gone_fails_the_chunk_as_the_row_checks_would(actors):
    # A territory and a batch that do not exist: the chunk is refused before it writes anything
    with pytest.raises(IntegrityError), transaction.atomic():
        import_write._foreign_keys_checked_once(
            actor_id=actors.taounate.pk, batch_id=-1, territory_ids={-5}
        )


def test_on_sqlite_rows_are_checked_as_usual():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    checked_once = import_write._foreign_keys_checked_once
    assert checked_once(actor_id=None, batch_id=1, territory_ids={1}) is False
