"""Item statistics computed after grading and kept: the one home for when a
quiz's statistics are (re)computed and what the statistics page reads.

The rule: the page never computes. A grade (a submit, a grade by hand or an
override, a regrade: ``quizzes.hooks.attempt_graded``) marks the quiz's stored
statistics stale once its transaction commits, and queues one recompute job
for the quiz (``Job.Kind.STATISTICS``, ``coursesite/jobs.py``) unless one is
already waiting: many grades in a row coalesce into that one job, which reads
the data when it starts. Statistics are kept for the quizzes whose page was
opened once (and those ``generate_demo_data`` fills): a quiz nobody analyses
costs a submit one query. The page shows the stored figures, with "updated at
..." and, while a job waits or runs, its progress bar; with none stored yet, "not
computed yet" and the job queued (the first visit queues it). A failed job is
shown on the page, with a button to try again (the next grade tries again too).
Small quizzes go the same way (with the immediate task backend of ``make run``
and the tests, the job runs at once).

The job is idempotent: it computes every stale row of the quiz from what is in
the database when it runs and overwrites it; run twice (a duplicate task, a
worker restart) it writes the same figures. It clears a row's stale mark
*before* reading the attempts, so a grade committed while it runs marks the row
stale again and queues the next job (the running one is no longer waiting).
"""

import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coursesite.jobs import JobError, Progress, job_restart, job_start, work
from coursesite.models import Job
from quizzes.models import Attempt, GradeChange, Quiz
from teach import selectors
from teach.analysis import ItemAnalysis, QuizAnalysis, analyse_quiz, histogram
from teach.models import QuizStatistics

logger = logging.getLogger(__name__)

WAITING = (Job.Status.QUEUED,)
UNDER_WAY = (Job.Status.QUEUED, Job.Status.RUNNING)


# --- After grading ----------------------------------------------------------------


class _OnCommit:
    """A callback registered once per transaction and quiz (a regrade batch
    grades hundreds of attempts of one quiz: one mark and one job)."""

    def __init__(self, quiz_id: int):
        self.quiz_id = quiz_id

    def __call__(self) -> None:
        statistics_graded(quiz_id=self.quiz_id)


def attempt_graded(attempt) -> None:
    """``quizzes.hooks.attempt_graded``: after the grade commits, the quiz's
    statistics are stale and a recompute is queued."""
    if attempt.is_preview:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _OnCommit) and callback.quiz_id == attempt.quiz_id:
                return
    transaction.on_commit(_OnCommit(attempt.quiz_id))


def statistics_graded(*, quiz_id: int) -> None:
    """A grade of the quiz committed. One query when there is nothing to do: no
    statistics kept for the quiz yet (nobody opened its page: the first visit
    queues them), or all stale with a job waiting (it will read this grade)."""
    rows = list(
        QuizStatistics.objects.filter(quiz_id=quiz_id).values_list(
            "stale", "job__status"
        )
    )
    if not rows:
        return
    if all(stale and status in WAITING for stale, status in rows):
        return
    statistics_refresh(quiz_id=quiz_id)


def statistics_refresh(
    *, quiz_id: int, attempts: str | None = None, mark_stale: bool = True
) -> Job | None:
    """Mark the quiz's stored statistics stale (``mark_stale``) and queue the job
    that recomputes them, unless one is waiting already (then that one). With
    ``attempts``, that choice of attempts is stored from now on too (the page
    asked for it). Returns the job, or None if the quiz is gone."""
    quiz = Quiz.objects.filter(pk=quiz_id).only("pk", "course_id", "grading_method")
    quiz = quiz.first()
    if quiz is None:
        return None
    wanted = {selectors.default_attempts_analysed(quiz.grading_method)}
    if attempts:
        wanted.add(attempts)
    with transaction.atomic():
        for which in sorted(wanted):
            QuizStatistics.objects.get_or_create(quiz_id=quiz.pk, attempts=which)
        # Locked: two grades committing at once queue one job, not two.
        rows = list(
            QuizStatistics.objects.select_for_update(of=("self",))
            .filter(quiz_id=quiz.pk)
            .select_related("job")
            .order_by("pk")
        )
        if mark_stale:
            QuizStatistics.objects.filter(quiz_id=quiz.pk).update(stale=True)
        job = next((row.job for row in rows if row.job), None)
        if job is not None and job.status in WAITING:
            # A row the page just asked for is computed by that job too.
            QuizStatistics.objects.filter(quiz_id=quiz.pk, job=None).update(job=job)
            return job
        # Enqueued inside this transaction: a worker sees the task once the rows
        # point at its job (the immediate backend runs it here, at once). One
        # job row per quiz, run again each time; a new one while it runs (the
        # running one may have read the attempts before this grade).
        if job is not None and job.finished:
            QuizStatistics.objects.filter(quiz_id=quiz.pk).update(job=job)
            return job_restart(job)
        job = job_start(
            kind=Job.Kind.STATISTICS,
            owner=None,
            course=quiz.course,
            params={"quiz": quiz.pk},
        )
        QuizStatistics.objects.filter(quiz_id=quiz.pk).update(job=job)
    return job


def statistics_request(*, quiz: Quiz, attempts: str) -> Job | None:
    """The page found nothing stored for this choice of attempts: store it from
    now on and queue its computation (or join the job waiting)."""
    return statistics_refresh(quiz_id=quiz.pk, attempts=attempts, mark_stale=False)


# --- The job ----------------------------------------------------------------------

STEPS = 4  # per row: attempts, marks, analysis, saved


@work(Job.Kind.STATISTICS)
def recompute(job: Job, progress: Progress) -> None:
    quiz = Quiz.objects.filter(course=job.course, pk=job.params.get("quiz")).first()
    if quiz is None:
        raise JobError(_("The quiz was deleted."))
    rows = list(QuizStatistics.objects.filter(quiz=quiz, stale=True).order_by("pk"))
    progress(0, STEPS * len(rows))
    for number, row in enumerate(rows):
        # Before reading: a grade committed from now on marks it stale again.
        QuizStatistics.objects.filter(pk=row.pk).update(stale=False)
        try:
            done = STEPS * number
            figures = statistics_compute(
                quiz=quiz,
                which=row.attempts,
                step=lambda n, done=done: progress(done + n),
            )
        except BaseException:
            QuizStatistics.objects.filter(pk=row.pk).update(stale=True)
            raise
        QuizStatistics.objects.filter(pk=row.pk).update(
            result=figures.result,
            attempt_count=figures.attempt_count,
            last_graded_at=figures.last_graded_at,
            computed_at=timezone.now(),
        )
        progress(STEPS * (number + 1))


@dataclass
class Computed:
    result: dict
    attempt_count: int
    last_graded_at: object


def statistics_compute(*, quiz: Quiz, which: str, step=lambda n: None) -> Computed:
    """The item analysis of ``quiz`` over the attempts ``which`` picks, as the
    JSON the page reads (``stored_analysis``). The work of the job, timed in
    ``make bench``: plain tuples from the database, one pass of the math."""
    attempts = selectors.analysed_attempts(quiz=quiz, which=which)
    basis = attempts.aggregate(n=Count("pk"), last=Max("submitted_at"))
    last_change = GradeChange.objects.filter(
        attempt__in=Attempt.objects.filter(quiz=quiz)
    ).aggregate(last=Max("changed_at"))["last"]
    last = max((t for t in (basis["last"], last_change) if t), default=None)
    step(1)
    read = selectors.analysed_responses(attempts=attempts)
    questions = read.questions
    step(2)
    analysis = analyse_quiz(
        read.marks,
        choices=read.choices,
        parts=read.parts,
        options={pk: q.options for pk, q in questions.items()},
    )
    step(3)
    result = {
        "test": analysis.test,
        "items": [asdict(item) for item in analysis.items],
        "same_questions": analysis.same_questions,
        "enough": analysis.enough,
        "histogram": histogram(analysis.percents),
        "questions": {
            str(pk): {"key": q.key, "title": q.title} for pk, q in questions.items()
        },
    }
    return Computed(result=result, attempt_count=basis["n"], last_graded_at=last)


# --- What the page reads ------------------------------------------------------------


@dataclass(frozen=True)
class StoredAnalysis:
    """What the statistics page shows: the stored figures (None before the first
    computation) and the state of their job."""

    row: QuizStatistics | None
    analysis: QuizAnalysis | None
    bins: list[int]
    questions: dict[int, dict]

    @property
    def job(self) -> Job | None:
        return self.row.job if self.row else None

    @property
    def under_way(self) -> bool:
        return bool(self.job and self.job.status in UNDER_WAY)

    @property
    def failed(self) -> bool:
        return bool(self.job and self.job.status == Job.Status.FAILED)

    @property
    def stale(self) -> bool:
        return bool(self.row and self.row.stale)


def stored_analysis(*, quiz: Quiz, which: str) -> StoredAnalysis:
    """The stored statistics of ``quiz`` for ``which`` attempts, with their job
    (one query; nothing computed)."""
    row = (
        QuizStatistics.objects.filter(quiz=quiz, attempts=which)
        .select_related("job")
        .first()
    )
    if row is None or row.result is None:
        return StoredAnalysis(row=row, analysis=None, bins=[], questions={})
    result = row.result
    items = [ItemAnalysis(**item) for item in result["items"]]
    analysis = QuizAnalysis(
        test=result["test"],
        items=items,
        same_questions=result["same_questions"],
        percents=[],
        enough=result["enough"],
    )
    questions = {int(pk): q for pk, q in result.get("questions", {}).items()}
    return StoredAnalysis(
        row=row, analysis=analysis, bins=result["histogram"], questions=questions
    )
