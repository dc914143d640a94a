"""The staff area's long work, done as background jobs (``coursesite/jobs.py``):
regrading a question or a quiz, and the dry run of a large one
(``teach/dry_run.py``), the CSV exports of large courses, and reading (preview)
and importing (apply) a large document (``teach/document_views.py``).

Each is idempotent, as a job must be:

- a dry run writes nothing but its report on the job's row: run again, it
  computes it again;
- a regrade walks the attempts it touches in id order, a batch at a time; each
  batch is regraded and the job's cursor and running totals saved in one
  transaction, so a run again after a worker restart starts after the last batch
  committed, and never counts (or writes) a batch twice;
- an export writes the whole file again under the job's own name and swaps it in
  (``write_result_file``), so a run again gives the same file;
- a document's preview writes nothing (it is kept on the job's row); its import
  commits with the job's "applied" mark, so a run again after a worker restart
  finds the mark (and stops) or nothing written (and imports): a new course is
  never created twice.
"""

import csv

from django.db import transaction
from django.utils.translation import gettext as _

from coursesite.jobs import JobError, Progress, jobs_recent, work, write_result_file
from coursesite.models import Job
from lessons import document_import
from lessons.importing import DocumentError
from quizzes import grading_services
from quizzes.models import Question, Quiz
from teach import dry_run, exports, selectors

REGRADE_BATCH = 200  # attempts per transaction
EXPORT_PROGRESS_EVERY = 500  # rows between two progress reports


def _regrade_target(job: Job):
    question = quiz = None
    if job.params.get("question"):
        question = Question.objects.filter(
            course=job.course, pk=job.params["question"]
        ).first()
        if question is None:
            raise JobError(_("The question was deleted."))
    else:
        quiz = Quiz.objects.filter(course=job.course, slug=job.params["quiz"]).first()
        if quiz is None:
            raise JobError(_("The quiz was deleted."))
    return question, quiz


@work(Job.Kind.REGRADE)
def regrade(job: Job, progress: Progress) -> None:
    question, quiz = _regrade_target(job)
    ids = grading_services.regrade_attempt_ids(
        course=job.course, question=question, quiz=quiz
    )
    cursor = job.result.get("cursor", 0)
    todo = [pk for pk in ids if pk > cursor]
    progress(len(ids) - len(todo), len(ids))
    for start in range(0, len(todo), REGRADE_BATCH):
        batch = todo[start : start + REGRADE_BATCH]
        with transaction.atomic():
            plan = grading_services.regrade_apply(
                course=job.course,
                user=job.owner,
                question=question,
                quiz=quiz,
                reason=job.params.get("reason", ""),
                attempt_ids=batch,
            )
            totals = job.result
            skipped = dict(totals.get("skipped", {}))
            for code, count in plan.skipped.items():
                skipped[code] = skipped.get(code, 0) + count
            progress(
                len(ids) - len(todo) + start + len(batch),
                cursor=batch[-1],
                responses_changed=totals.get("responses_changed", 0)
                + plan.responses_changed,
                attempts_changed=totals.get("attempts_changed", 0) + len(plan.changed),
                pass_flips=totals.get("pass_flips", 0) + plan.pass_flips,
                checked=totals.get("checked", 0) + plan.checked,
                skipped=skipped,
            )


@work(Job.Kind.REGRADE_DRY_RUN)
def regrade_dry_run(job: Job, progress: Progress) -> None:
    """The dry run of a large regrade (``teach/dry_run.py``): writes nothing but
    its report on the job, so a run again just computes it again."""
    question, quiz = _regrade_target(job)
    progress(0, 1)
    plan = grading_services.regrade_preview(
        course=job.course,
        question=question,
        quiz=quiz,
        on_progress=progress,
    )
    progress(job.total, report=dry_run.report_of(plan))


def _write_csv(job: Job, progress: Progress, rows, total: int, suffix: str) -> None:
    progress(0, total)

    def write(file) -> None:
        file.write(exports.BOM)
        writer = csv.writer(file)
        for number, row in enumerate(rows):
            writer.writerow(row)
            if number and number % EXPORT_PROGRESS_EVERY == 0:
                progress(min(number, total))

    write_result_file(job, suffix, write)
    progress(total, filename=job.params["filename"])


@work(Job.Kind.GRADEBOOK_CSV)
def gradebook_csv(job: Job, progress: Progress) -> None:
    book = selectors.gradebook_for(course=job.course)
    filters = job.params.get("filters", {})
    students = selectors.gradebook_students(book=book, full=True, **filters)
    _write_csv(
        job,
        progress,
        exports.gradebook_csv_rows(book=book, students=students),
        students.count(),
        ".csv",
    )


@work(Job.Kind.RESPONSES_CSV)
def responses_csv(job: Job, progress: Progress) -> None:
    _write_csv(
        job,
        progress,
        exports.responses_csv_rows(course=job.course),
        exports.responses_count(course=job.course),
        ".csv",
    )


def nothing_imported(error) -> str:
    return _("Nothing was imported: %(error)s") % {"error": error}


@work(Job.Kind.DOCUMENT_IMPORT)
def document_job(job: Job, progress: Progress) -> None:
    """Read a held document and keep its preview, or import it (``action``)."""
    params = job.params
    if job.result.get("applied"):
        return  # imported by an earlier run that stopped before finishing
    progress(0, 1)
    data = document_import.document_upload_read(token=params["token"])
    if data is None:
        raise JobError(_("The uploaded document is no longer kept: upload it again."))
    adjustments = document_import.adjustments_from_data(params.get("adjustments"))
    keep = params.get("keep", True)
    read = {"data": data, "name": params["name"], "fmt": params["format"]}
    try:
        if params["action"] == "apply":
            with transaction.atomic():
                course, report = document_import.document_import_apply(
                    **read,
                    adjustments=adjustments,
                    user=job.owner,
                    course=job.course,
                    keep_adjustments=keep,
                )
                # Committed with the import: a run again sees it and stops.
                progress(
                    1,
                    applied=True,
                    course=course.slug,
                    title=course.title,
                    added=len(report.added),
                    changed=len(report.changed),
                    removed=len(report.removed),
                )
            return
        problem = ""
        try:
            preview = document_import.document_preview(
                **read,
                adjustments=adjustments,
                course=job.course,
                keep_adjustments=keep,
            )
        except document_import.OutlineError as error:
            # Adjustments that cannot apply: the outline as uploaded, and why.
            problem = str(error)
            preview = document_import.document_preview(
                **read, course=job.course, keep_adjustments=keep
            )
        progress(1, preview=document_import.preview_as_data(preview), problem=problem)
    except (DocumentError, ValueError) as error:
        raise JobError(nothing_imported(error)) from error


def job_summary(job: Job) -> str:
    """What a finished job did, in a sentence for its page."""
    if job.status != Job.Status.DONE:
        return ""
    if job.kind == Job.Kind.REGRADE_DRY_RUN:
        report = job.result.get("report", {})
        return _(
            "Dry run done: %(responses)d answers would change in %(attempts)d attempts."
        ) % {
            "responses": report.get("responses_changed", 0),
            "attempts": report.get("attempts_changed", 0),
        }
    if job.kind == Job.Kind.REGRADE:
        return _(
            "Regrade applied: %(responses)d answers changed in %(attempts)d "
            "attempts; %(flips)d changed between pass and fail."
        ) % {
            "responses": job.result.get("responses_changed", 0),
            "attempts": job.result.get("attempts_changed", 0),
            "flips": job.result.get("pass_flips", 0),
        }
    return _("The file is ready: %(rows)d rows.") % {"rows": job.total}


def jobs_for_page(*, user, course, kinds) -> list[tuple[Job, str]]:
    """The user's last jobs of ``kinds`` on ``course``, each with its summary."""
    return [
        (job, job_summary(job))
        for job in jobs_recent(user=user, course=course, kinds=kinds)
    ]
