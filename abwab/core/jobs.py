"""Background jobs: a Job row for progress, a django-tasks task for the work.

A service starts a job with `job_start`; the task is enqueued after the transaction commits, and
the worker (`abwab worker`) runs the handler registered for the job's kind. Handlers report
progress with `job_progress`, which writes outside any transaction so the page can poll it.

On SQLite a writer that holds the lock longer than the busy timeout makes the others fail with
"database is locked". That is a reason to wait, not to fail: the worker's writes and the handlers
(each can run again from the start or resumes where it stopped) are retried with a growing pause.
"""

import logging
import time
from collections.abc import Callable

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from abwab.core.models import Job, JobStatus

logger = logging.getLogger(__name__)
_HANDLERS: dict[str, Callable[[Job], dict]] = {}
_LABELS: dict[str, str] = {}  # job kind -> translatable label: what pages show, never the kind
LOCKED_ATTEMPTS = 6  # about a minute of waiting (1 + 2 + 4 + 8 + 16 s), beyond the busy timeouts
LOCKED_DELAY = 1.0  # seconds before the first retry, doubled at each


def database_locked(error: BaseException) -> bool:
    """Whether `error` is SQLite saying another writer held the lock too long (worth a retry)."""
    return isinstance(error, OperationalError) and "locked" in str(error)


def retry_when_locked(function: Callable, *args, **kwargs):
    """Call `function`; while it fails with "database is locked", wait (1 s, 2 s, 4 s, ...) and call
    it again, LOCKED_ATTEMPTS times at most. Any other error is raised at once."""
    attempt = 0
    while True:
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            attempt += 1
            if not database_locked(error) or attempt == LOCKED_ATTEMPTS:
                raise
            delay = LOCKED_DELAY * 2 ** (attempt - 1)
            logger.warning("%s: database locked, again in %.0f s", function.__name__, delay)
            time.sleep(delay)


def job_handler(kind: str, *, label=None):
    """Register the function that does the work of jobs of this kind; it returns the result dict.
    `label` (a lazy translation) is how pages name jobs of this kind (see `job_kind_label`)."""

    def register(function):
        _HANDLERS[kind] = function
        if label is not None:
            _LABELS[kind] = label
        return function

    return register


def job_kind_register(kind: str, label) -> None:
    """Name a job kind for the pages (a lazy translation); each app names the kinds it runs."""
    _LABELS[kind] = label


def job_kind_label(kind: str) -> str:
    """The translated name of a job kind, for every page that lists or shows jobs; a kind that was
    registered without a label is a "background job", never its code (`people.dedupe`)."""
    return str(_LABELS.get(kind) or gettext_lazy("Background job"))


@transaction.atomic
def job_start(*, actor, kind: str, territory, params: dict | None = None) -> Job:
    """Record a job and queue it for the worker once this transaction commits."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job.objects.create(kind=kind, territory=territory, created_by=actor, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Publish progress; cheap enough to call every few hundred rows."""
    job.done = done
    fields = {"done": done, "status": JobStatus.RUNNING}
    if total is not None:
        job.total = fields["total"] = total
    if message:
        job.message = fields["message"] = message[:300]
    Job.objects.filter(pk=job.pk).update(**fields)


@task()
def run_job(job_id: int) -> None:
    """The worker's entry point: run the job's handler and record how it ended. A locked database
    delays the job; it does not fail it."""
    job = retry_when_locked(Job.objects.get, pk=job_id)
    retry_when_locked(Job.objects.filter(pk=job.pk).update, status=JobStatus.RUNNING)
    try:
        result = retry_when_locked(_HANDLERS[job.kind], job)
    except Exception as error:
        logger.exception("job %s failed", job.pk)
        retry_when_locked(
            Job.objects.filter(pk=job.pk).update,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Failed: %(error)s") % {"error": error},
        )
        return
    retry_when_locked(
        Job.objects.filter(pk=job.pk).update,
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        result=result or {},
        done=job.total or job.done,
    )
