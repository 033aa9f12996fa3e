"""Jobs and the worker wait out a locked database (SQLite's "database is locked") instead of
failing or dying; any other error is not retried."""

import time

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from abwab.core import jobs
from abwab.core.management.commands.worker import Command as WorkerCommand
from abwab.core.models import Job
from abwab.territory.models import Territory


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(time, "sleep", waited.append)
    return waited


def handler_failing(monkeypatch, *errors):
    """A job kind whose handler raises `errors` one call after the other, then succeeds."""
    calls = []

    def handler(job):
        calls.append(job.pk)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return {"answer": 42}

    monkeypatch.setitem(jobs._HANDLERS, "tests.flaky", handler)
    return calls


@pytest.mark.django_db
def test_a_job_that_meets_a_locked_database_once_is_retried_and_done(monkeypatch, sleeps):
    calls = handler_failing(monkeypatch, OperationalError("database is locked"))
    job = Job.objects.create(kind="tests.flaky", territory=Territory.objects.get(code="03"))
    jobs.run_job.func(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result, job.message) == ("done", {"answer": 42}, "")
    assert calls == [job.pk, job.pk]
    assert sleeps == [1.0]


@pytest.mark.django_db
def test_a_database_locked_for_good_fails_the_job_after_growing_pauses(monkeypatch, sleeps):
    calls = handler_failing(monkeypatch, *[OperationalError("database is locked")] * 10)
    job = Job.objects.create(kind="tests.flaky", territory=Territory.objects.get(code="03"))
    jobs.run_job.func(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "Failed: database is locked")
    assert len(calls) == jobs.LOCKED_ATTEMPTS == 6
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]


@pytest.mark.django_db
def test_other_database_errors_are_not_retried(monkeypatch, sleeps):
    calls = handler_failing(monkeypatch, OperationalError("no such table: people_person"))
    job = Job.objects.create(kind="tests.flaky", territory=Territory.objects.get(code="03"))
    jobs.run_job.func(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "Failed: no such table: people_person")
    assert len(calls) == 1
    assert sleeps == []


def test_the_worker_starts_again_after_a_locked_database(monkeypatch, sleeps):
    # given django-tasks' worker, whose loop dies on a locked database the first time
    runs = []

    def handle(self, *args, **options):
        runs.append(options)
        if len(runs) == 1:
            raise OperationalError("database is locked")
        return None

    monkeypatch.setattr(db_worker.Command, "handle", handle)
    # when `abwab worker` runs, then it pauses and runs the worker again
    WorkerCommand().handle(interval=0.5)
    assert runs == [{"interval": 0.5}, {"interval": 0.5}]
    assert sleeps == [1.0]


def test_the_worker_stops_on_other_errors(monkeypatch, sleeps):
    def handle(self, *args, **options):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(db_worker.Command, "handle", handle)
    with pytest.raises(OperationalError, match="disk I/O error"):
        WorkerCommand().handle()
    assert sleeps == []
