"""Big imports on the embedded engine: a rollback of any size, and the site writing meanwhile."""

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection
from django.urls import reverse

from abwab.accounts.tests.factories import UserFactory
from abwab.core.models import Job
from abwab.people import imports
from abwab.people.imports import import_rollback, import_upload
from abwab.people.models import (
    Consent,
    ImportBatch,
    Membership,
    MembershipChange,
    MemberTally,
    Person,
)
from abwab.people.tests.test_import_run import checked
from abwab.people.tests.test_imports import good, members_csv, run
from abwab.territory.models import Territory


@contextmanager
def sqlite_variables(limit: int):
    """On SQLite, the connection's limit of variables per statement lowered to `limit` (the 999
    Django assumes when it splits its own queries), so that a statement listing every row of a
    few thousand fails as one listing a million did at the real limit (32,766)."""
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        yield
        return
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Consent, Membership, MembershipChange))


def tallies() -> set:
    return set(
        MemberTally.objects.exclude(members=0).values_list(
            "rollup", "territory_id", "breakdown", "value", "members"
        )
    )


@pytest.mark.django_db
def test_a_rollback_of_more_rows_than_the_variable_limit_removes_them_all(
    actors, django_capture_on_commit_callbacks
):
    # given an import of 1,200 members, more than the statement's variable limit
    before = tallies()
    rows_before = rows()
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(1200))
    )
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    assert Person.objects.filter(import_batch=batch).count() == 1200
    # when it is rolled back
    with sqlite_variables(999):
        removed = import_rollback(actor=actors.taounate, batch=batch)
    # then every row it made is gone, and the counts are as before
    assert removed == 1200
    assert not Person.objects.filter(import_batch=batch).exists()
    assert rows() == rows_before
    assert tallies() == before
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.imported_through) == ("rolled_back", 0, 0)


@pytest.mark.django_db
def test_the_rollback_page_starts_a_job_that_removes_the_import(
    client, actors, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(imports, "ROLLBACK_CHUNK", 4)  # three transactions for these ten
    batch = checked(
        actors, django_capture_on_commit_callbacks, members_csv(good(i) for i in range(10))
    )
    run("people.import_run", batch, actors.taounate, django_capture_on_commit_callbacks)
    client.force_login(actors.taounate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import", args=[batch.pk]), {"action": "rollback"})
    job = Job.objects.get(kind="people.import_rollback")
    assert response.url == reverse("core:job", args=[job.pk])
    assert (job.status, job.result["removed"]) == ("done", 10)
    assert not Person.objects.filter(import_batch=batch).exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == "rolled_back"


def test_other_writes_go_through_while_an_import_runs_on_sqlite(
    transactional_territory, monkeypatch
):
    """SQLite has one writer at a time: an import must hold the lock for one small chunk at a
    time, so that a write from elsewhere waits a fraction of a second, not for the whole file.
    The import signals once it is inside its first chunk's transaction (holding the lock); the
    other write is then attempted, and must go in before the import is over."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writers do not wait for each other's tables")
    monkeypatch.setattr(imports, "SQLITE_CHUNK", 40, raising=False)
    monkeypatch.setattr(imports, "SQLITE_PAUSE", 0, raising=False)
    user = UserFactory(username="importer")
    taounate = Territory.objects.get(code="03.531")
    batch = import_upload(
        actor=user, territory=taounate, upload=members_csv(good(i) for i in range(200))
    )
    imports.import_check(
        Job.objects.create(
            kind="people.import_check",
            territory=taounate,
            created_by=user,
            params={"batch": batch.pk},
        )
    )
    job = Job.objects.create(
        kind="people.import_run", territory=taounate, created_by=user, params={"batch": batch.pk}
    )
    in_chunk, written = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    real_members_import, real_progress = imports.members_import, imports.job_progress

    def members_import(**kwargs):  # inside a chunk's transaction: SQLite's write lock is held
        real_members_import(**kwargs)
        in_chunk.set()
        time.sleep(0.3)  # a slow chunk: the other write has to wait for it

    def job_progress(*args, **kwargs):  # between chunks: wait for the other write, once
        real_progress(*args, **kwargs)
        written.wait(timeout=30)

    monkeypatch.setattr(imports, "members_import", members_import)
    monkeypatch.setattr(imports, "job_progress", job_progress)

    def importer():
        try:
            imports.import_run(job)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert in_chunk.wait(timeout=30)
        started = time.monotonic()
        get_user_model().objects.create(username="meanwhile")  # another write: a sign-up, a login
        waited = time.monotonic() - started
        imported_then = ImportBatch.objects.get(pk=batch.pk).imported
    finally:
        written.set()
        thread.join(timeout=60)
    assert errors == []
    assert imported_then == 40  # the write went in after the first chunk, not after the file
    assert 0.1 < waited < 20  # it waited for the chunk, within the busy timeout
    assert Person.objects.filter(import_batch=batch).count() == 200
