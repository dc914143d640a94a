"""Background jobs: long work started from a page, done by a task, watched by a
progress bar. The one home for starting, running, resuming and reading them.

A page calls ``job_start(kind=..., owner=..., course=..., params=...)``: it writes
a ``Job`` row and enqueues ``run_job`` (django-tasks). With the immediate backend
(no worker configured: `make run`, the tests) the task runs at once, inside that
request; with ``TASKS_BACKEND=database`` a worker (``manage.py db_worker``) runs it.

What a kind of job does is a function registered with ``@work(kind)`` (e.g.
``teach/jobs.py``), called with the ``Job`` and a ``Progress`` to report steps to.
It must be idempotent: run again after a worker restart (``requeue_jobs``), or a
second time by a duplicate task, it gives the same result with no double effect.
Each kind does so its own way: the regrade commits each batch of attempts together
with the job's cursor; an export writes its whole file again under the job's name
and swaps it in atomically.

The site starts some jobs itself, with no owner (a quiz's statistics after each
grade, ``teach/stored_statistics.py``): their page shows them to whoever may see
it, and ``job_restart`` runs one again on the same row.

A failure is retried in place (``MAX_TRIES``); the last one is kept on the row
(``error``) and shown on the page. ``JobError`` is a failure told to the user as
it is, and not retried (the input is wrong; trying again would not help).
"""

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from coursesite.models import Job

logger = logging.getLogger(__name__)

MAX_TRIES = 3
# Result files live here, under MEDIA_ROOT; they are never served by the proxy
# (no URL maps to them): only ``jobs:download``, to the job's owner.
RESULT_DIR = "jobs"

_WORK: dict[str, Callable[[Job, "Progress"], None]] = {}


class JobError(Exception):
    """A failure to show the user as it is (already translated); not retried."""


def work(kind: str):
    """Register what a job of ``kind`` does."""

    def register(function):
        _WORK[kind] = function
        return function

    return register


@dataclass
class Progress:
    """What a job's work reports as it goes; each call moves the row's
    ``updated_at`` too (the sign of life ``requeue_jobs`` looks for)."""

    job: Job

    def __call__(self, done: int, total: int | None = None, **result) -> None:
        self.job.done = done
        changes = {"done": done, "updated_at": timezone.now()}
        if total is not None:
            self.job.total = total
            changes["total"] = total
        if result:
            self.job.result = {**self.job.result, **result}
            changes["result"] = self.job.result
        Job.objects.filter(pk=self.job.pk).update(**changes)


# --- Starting, running, resuming --------------------------------------------------


def job_start(
    *,
    kind: str,
    owner=None,
    course=None,
    params: dict | None = None,
    reuse: bool = False,
) -> Job:
    """Record a job and hand it to the task queue. Returns the row (finished
    already when tasks run at once).

    With ``reuse``, the same user asking for the same job while one is still
    waiting or running gets that one (a second click on an export link)."""
    if kind not in _WORK:
        raise ValueError(f"no work registered for job kind {kind!r}")
    params = {"language": translation.get_language(), **(params or {})}
    if reuse:
        running = (
            Job.objects.filter(
                kind=kind,
                owner_id=owner.pk,
                course=course,
                status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            )
            .order_by("-pk")
            .first()
        )
        if running is not None and running.params == params:
            return running
    job = Job.objects.create(kind=kind, owner=owner, course=course, params=params)
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def job_restart(job: Job) -> Job:
    """Queue a finished job again, on the same row: the work the site starts
    itself again and again (a quiz's statistics after each grade) keeps one row
    per subject instead of one per run. Its last outcome is cleared."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.QUEUED,
        done=0,
        total=0,
        tries=0,
        error="",
        result={},
        finished_at=None,
        updated_at=timezone.now(),
    )
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> str:
    """The one task: run job ``job_id``'s work, retried up to ``MAX_TRIES`` times.
    Does nothing for a job that has finished (a duplicate or late task)."""
    job = Job.objects.select_related("owner", "course").filter(pk=job_id).first()
    if job is None or job.finished:
        return "skipped"
    function = _WORK[job.kind]
    for _attempt in range(MAX_TRIES):
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING,
            tries=F("tries") + 1,
            updated_at=timezone.now(),
        )
        job.refresh_from_db()
        try:
            with translation.override(job.params.get("language")):
                function(job, Progress(job))
        except JobError as refused:
            return _finish(job, error=str(refused))
        except Exception as failure:
            logger.exception("job %s (%s) failed, try %s", job.pk, job.kind, job.tries)
            error = failure
            continue
        return _finish(job)
    with translation.override(job.params.get("language")):
        message = _(
            "The job failed after %(tries)d tries (%(error)s). Try again later, or "
            "tell the site's administrators."
        ) % {"tries": MAX_TRIES, "error": type(error).__name__}
    return _finish(job, error=message)


def _finish(job: Job, *, error: str = "") -> str:
    job.status = Job.Status.FAILED if error else Job.Status.DONE
    job.error = error
    job.finished_at = timezone.now()
    if not error and job.total:
        job.done = job.total
    job.save(update_fields=["status", "error", "finished_at", "done", "updated_at"])
    return job.status


def jobs_requeue_stale(*, stale_seconds: float | None = None, now=None) -> list[int]:
    """Enqueue again the jobs whose worker stopped: queued or running, and not
    moved for ``stale_seconds`` (JOB_STALE_SECONDS). Their work resumes or redoes
    what it had done (it is idempotent). Returns their ids."""
    now = now or timezone.now()
    if stale_seconds is None:
        stale_seconds = settings.JOB_STALE_SECONDS
    stale = list(
        Job.objects.filter(
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            updated_at__lt=now - timedelta(seconds=stale_seconds),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for job_id in stale:
        Job.objects.filter(pk=job_id).update(status=Job.Status.QUEUED, updated_at=now)
        run_job.enqueue(job_id)
    return stale


# --- Result files -----------------------------------------------------------------


def result_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def write_result_file(job: Job, suffix: str, write: Callable) -> str:
    """Write the job's result file through ``write(file)`` and swap it in whole:
    a reader (or a second run) never sees half a file. The name is the job's, so a
    run again replaces it. Returns the name (relative to MEDIA_ROOT)."""
    name = f"{RESULT_DIR}/job-{job.pk}{suffix}"
    final = result_path(name)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    Job.objects.filter(pk=job.pk).update(result_file=name)
    job.result_file = name
    return name


# --- Reading ----------------------------------------------------------------------


def job_get_for_owner(*, job_id: int, user) -> Job:
    """The job, if ``user`` started it; 404 otherwise (whoever else asks, and for
    the jobs the site started itself, which have no owner)."""
    if user.pk is None:
        raise Http404("No such job.")
    job = Job.objects.filter(pk=job_id, owner_id=user.pk).first()
    if job is None:
        raise Http404("No such job.")
    return job


ANY_COURSE = object()


def jobs_recent(*, user, course, kinds, limit: int = 3, **filters) -> list[Job]:
    """The last jobs of ``kinds`` ``user`` started on ``course`` (``ANY_COURSE``:
    on any), newest first; ``filters`` narrow them further (e.g. by a param)."""
    jobs = Job.objects.filter(owner_id=user.pk, kind__in=list(kinds), **filters)
    if course is not ANY_COURSE:
        jobs = jobs.filter(course=course)
    return list(jobs.order_by("-created_at", "-pk")[:limit])


def job_progress_data(job: Job) -> dict:
    """How far a job got, as the progress bars read it (static/js/jobs.js)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        "error": job.error,
        "download_url": reverse("job-download", args=[job.pk])
        if job.status == Job.Status.DONE and job.result_file
        else "",
    }
