"""A large question-bank upload, previewed or imported by a background job
(``coursesite/jobs.py``): the admin's upload page (``quizzes.admin_upload``) starts
one for a file of more than ``IMPORT_DIRECT_MAX_BYTES`` and imports a smaller one
in the request. Both go through one engine, ``bank_formats.bank_import``.

The file waits in the default storage (``lessons.document_import``'s held
uploads, under its token), so whichever worker runs the job reads it.

Idempotent, as a job must be: the import and the job's "stored" mark commit in
one transaction, so a job run again after a worker restart either finds the mark
(and does nothing) or finds nothing written (and imports). A file with problems
writes nothing; its problems, with their lines, are kept on the job for the page.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from coursesite.jobs import JobError, Progress, work
from coursesite.models import Job
from lessons.document_import import document_upload_discard, document_upload_read
from lessons.problems import MAX_REPORTED
from quizzes.bank_formats import BankFileError, bank_import

# Questions a preview lists by name, per list (created, updated, unchanged).
PREVIEW_LISTED = 500


def _titles(questions) -> list[str]:
    return [q.title or q.text[:120] for q in questions[:PREVIEW_LISTED]]


def _problems(problems) -> list[list]:
    return [[problem.line, str(problem.message)] for problem in problems]


@work(Job.Kind.BANK_IMPORT)
def bank_import_job(job: Job, progress: Progress) -> None:
    params = job.params
    if job.result.get("stored"):
        return  # imported by an earlier run that stopped before finishing
    progress(0, 1)
    data = document_upload_read(token=params["token"])
    if data is None:
        raise JobError(_("The uploaded file is no longer kept: upload it again."))
    dry_run = bool(params.get("dry_run"))
    try:
        with transaction.atomic():
            result = bank_import(
                course=job.course,
                data=data,
                format_name=params.get("format") or "auto",
                quiz_slug=params.get("quiz") or None,
                user=job.owner,
                dry_run=dry_run,
            )
            outcome = {
                "format": result.format,
                "summary": result.summary,
                "warnings": _problems(result.warnings[:MAX_REPORTED]),
            }
            if dry_run:
                outcome |= {
                    "created": _titles(result.created),
                    "updated": _titles(result.updated),
                    "unchanged": _titles(result.unchanged),
                }
            # Committed with the import: a run again sees it and stops.
            progress(1, stored=not dry_run, **outcome)
    except BankFileError as error:
        progress(0, problems=_problems(error.errors), more=error.more)
        raise JobError(
            _(
                "The file has problems: nothing was imported. Fix them and upload "
                "it again."
            )
        ) from error
    except (ValueError, PermissionDenied) as error:
        raise JobError(
            str(error) or _("You may not import into this course.")
        ) from error
    if not dry_run:
        document_upload_discard(token=params["token"])


def bank_job_summary(job: Job) -> str:
    if job.status != Job.Status.DONE:
        return ""
    if job.params.get("dry_run"):
        return _("Preview ready (%(format)s): %(summary)s") % job.result
    return _("Question bank imported (%(format)s): %(summary)s.") % job.result
