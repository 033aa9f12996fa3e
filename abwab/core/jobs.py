"""Background jobs: a Job row for progress, a django-tasks task for the work.

A service starts a job with `job_start`; the task is enqueued after the transaction commits, and
the worker (`abwab db_worker`) runs the handler registered for the job's kind. Handlers report
progress with `job_progress`, which writes outside any transaction so the page can poll it.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from abwab.core.models import Job, JobStatus

logger = logging.getLogger(__name__)
_HANDLERS: dict[str, Callable[[Job], dict]] = {}


def job_handler(kind: str):
    """Register the function that does the work of jobs of this kind; it returns the result dict."""

    def register(function):
        _HANDLERS[kind] = function
        return function

    return register


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
    """The worker's entry point: run the job's handler and record how it ended."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        result = _HANDLERS[job.kind](job)
    except Exception as error:
        logger.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("Failed: %(error)s") % {"error": error},
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        result=result or {},
        done=job.total or job.done,
    )
