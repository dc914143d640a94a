"""Writes of grading after a submit: grading by hand, overriding, asking for a
review, and regrading. One atomic function per state change (Zulip's ``do_*``
actions): the staff area (``teach``) calls these and never writes quiz rows itself.

Kept beside ``quizzes.services`` (attempts: start, save, submit; the bank import)
rather than inside it: these are the staff's writes, a block of their own with
their own audit trail, and ``services`` is already long and edited by others.

Every change of a response's score writes a ``quizzes.models.GradeChange`` row
(who, when, old and new score, reason) and re-totals the attempt with
``quizzes.services.attempt_total``: an attempt waiting for manual grading becomes
graded when its last manual response is graded, and passing a lesson's quiz then
completes the lesson (``attempt_after_grading``), as after a submit.

Concurrency: each function locks the attempt row(s) it changes
(``select_for_update``) and re-reads the responses inside the lock, so two
instructors grading the same response at once grade it once (the second is told
it is no longer waiting), and a regrade never interleaves with a manual grade.
"""

import copy
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from lessons.models import Course
from quizzes import regrading
from quizzes.models import (
    Attempt,
    AttemptState,
    GradeChange,
    Question,
    Quiz,
    Response,
)
from quizzes.services import attempt_after_grading, attempt_total
from quizzes.snapshots import question_to_dict


class GradingError(Exception):
    """A grading request refused; ``code`` says why (the view words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


ATTEMPT_IN_PROGRESS = "attempt_in_progress"
NOT_WAITING = "not_waiting"
SCORE_OUT_OF_RANGE = "score_out_of_range"
REASON_REQUIRED = "reason_required"
# Regrade: responses a person decided are left alone (override them instead).
GRADED_BY_HAND = "graded_by_hand"

_RESPONSE_GRADE_FIELDS = [
    "score",
    "fraction",
    "needs_manual",
    "review_requested",
    "grader_comment",
    "graded_by",
    "graded_at",
]
_ATTEMPT_TOTAL_FIELDS = ["state", "score", "fraction", "passed"]
# A regrade's computation reports how far it got every this many answers.
PROGRESS_EVERY = 2000


def _lock_attempt(attempt_id: int) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz", "user")
        .get(pk=attempt_id)
    )


def _checked_score(score: float, max_mark: float) -> float:
    if not math.isfinite(score) or score < 0 or score > max_mark + 1e-9:
        raise GradingError(SCORE_OUT_OF_RANGE)
    return round(min(score, max_mark), 7)


def _retotal(attempt: Attempt, responses: list[Response]) -> None:
    attempt_total(attempt=attempt, responses=responses)
    attempt.save(update_fields=_ATTEMPT_TOTAL_FIELDS)
    attempt_after_grading(attempt=attempt)


def _set_score(response: Response, score: float, *, user, now) -> float | None:
    old = response.score
    response.score = score
    response.fraction = score / response.max_mark if response.max_mark else 0.0
    response.needs_manual = False
    response.review_requested = False
    response.graded_by = user
    response.graded_at = now
    return old


def _locked_response(response: Response) -> tuple[Attempt, list[Response], Response]:
    attempt = _lock_attempt(response.attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        raise GradingError(ATTEMPT_IN_PROGRESS)
    responses = list(attempt.responses.order_by("position"))
    target = next(r for r in responses if r.pk == response.pk)
    return attempt, responses, target


@transaction.atomic
def response_grade_manually(
    *, response: Response, score: float, feedback: str, user, now=None
) -> Response:
    """Grade a response waiting for a human: an essay, or an answer sent for review.

    ``feedback`` becomes the grader's comment the student sees. Raises
    ``GradingError`` if the response no longer waits (someone graded it first) or
    the score is outside 0..max mark.
    """
    now = now or timezone.now()
    attempt, responses, target = _locked_response(response)
    if not (target.needs_manual or target.review_requested):
        raise GradingError(NOT_WAITING)
    new_score = _checked_score(score, target.max_mark)
    old = _set_score(target, new_score, user=user, now=now)
    target.grader_comment = feedback.strip()
    _record(target, attempt, responses, GradeChange.Kind.MANUAL, old, user, now)
    return target


@transaction.atomic
def response_override(
    *, response: Response, score: float, reason: str, user, now=None
) -> Response:
    """Set any response's score by hand, with the reason kept in the audit trail.

    An essay still waiting is graded by the override. The student's comment is
    left as it was: the reason is for the audit trail.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise GradingError(REASON_REQUIRED)
    attempt, responses, target = _locked_response(response)
    new_score = _checked_score(score, target.max_mark)
    old = _set_score(target, new_score, user=user, now=now)
    _record(
        target, attempt, responses, GradeChange.Kind.OVERRIDE, old, user, now, reason
    )
    return target


def _record(target, attempt, responses, kind, old, user, now, reason="") -> None:
    """Save a hand-set grade, keep it in the audit trail, re-total the attempt."""
    target.save(update_fields=_RESPONSE_GRADE_FIELDS)
    GradeChange.objects.create(
        response=target,
        attempt=attempt,
        kind=kind,
        changed_by=user,
        changed_at=now,
        old_score=old,
        new_score=target.score,
        reason=reason,
    )
    _retotal(attempt, responses)


@transaction.atomic
def response_request_review(*, response: Response) -> Response:
    """Put an automatically graded answer in the manual-grading queue.

    The attempt keeps its grade meanwhile; grading the response by hand then
    replaces the machine's score.
    """
    attempt, _responses, target = _locked_response(response)
    if target.needs_manual or target.review_requested:
        return target
    target.review_requested = True
    target.save(update_fields=["review_requested"])
    return target


# --- Regrading --------------------------------------------------------------------


@dataclass
class ResponseRegrade:
    response_id: int
    position: int
    question_id: int | None
    old_score: float | None
    new_score: float | None
    max_mark: float
    result: regrading.Regraded

    @property
    def score_changed(self) -> bool:
        if self.old_score is None or self.new_score is None:
            return self.old_score != self.new_score
        return abs(self.old_score - self.new_score) > 1e-9


@dataclass
class AttemptRegrade:
    attempt_id: int
    user_id: int
    user: object  # the student (pages name them as they name students)
    quiz_title: str
    number: int
    max_score: float
    old_state: str
    new_state: str
    old_score: float | None
    new_score: float | None
    old_passed: bool | None
    new_passed: bool | None
    responses: list[ResponseRegrade] = field(default_factory=list)

    @property
    def pass_flipped(self) -> bool:
        return (
            self.old_passed is not None
            and self.new_passed is not None
            and self.old_passed != self.new_passed
        )


@dataclass
class RegradePlan:
    """What a regrade does (the dry run), or did (after ``regrade_apply``)."""

    changed: list[AttemptRegrade]  # attempts whose score changes
    checked: int = 0  # responses graded again
    unchanged: int = 0  # ... whose score stays
    skipped: dict[str, int] = field(default_factory=dict)  # reason code -> count
    applied: bool = False
    # Every response graded again (changed or not) and the current question
    # versions: what regrade_apply writes.
    regraded: dict[int, ResponseRegrade] = field(default_factory=dict, repr=False)
    versions: dict[int, int] = field(default_factory=dict, repr=False)

    @property
    def responses_changed(self) -> int:
        return sum(1 for a in self.changed for r in a.responses if r.score_changed)

    @property
    def pass_flips(self) -> int:
        return sum(1 for a in self.changed if a.pass_flipped)


def _regrade_targets(
    *,
    course: Course,
    question: Question | None,
    quiz: Quiz | None,
    attempt_ids=None,
) -> QuerySet:
    """The submitted, non-preview responses a regrade of a question or quiz sees
    (of the attempts ``attempt_ids`` only, when given)."""
    if (question is None) == (quiz is None):
        raise ValueError("regrade one question or one quiz")
    targets = Response.objects.filter(
        attempt__quiz__course=course, attempt__is_preview=False
    ).exclude(attempt__state=AttemptState.IN_PROGRESS)
    if attempt_ids is not None:
        targets = targets.filter(attempt_id__in=list(attempt_ids))
    if question is not None:
        return targets.filter(question=question)
    return targets.filter(attempt__quiz=quiz)


def regrade_attempt_ids(
    *, course: Course, question: Question | None = None, quiz: Quiz | None = None
) -> list[int]:
    """The ids of the attempts a regrade of a question or quiz touches, in order:
    what a regrade done in batches (``teach/jobs.py``) walks through."""
    targets = _regrade_targets(course=course, question=question, quiz=quiz)
    return list(
        targets.order_by("attempt_id").values_list("attempt_id", flat=True).distinct()
    )


def _current_questions(question_ids) -> dict[int, tuple[dict, int]]:
    questions = Question.objects.filter(pk__in=question_ids).prefetch_related("answers")
    return {
        q.pk: (question_to_dict(q, answers=q.answers.all(), html=True), q.version)
        for q in questions
    }


@dataclass(frozen=True, slots=True)
class _Target:
    """One response a regrade grades again, as read (no model instance: a quiz
    of 500 attempts x 30 questions is 15,000 of them). ``snapshot`` and
    ``answer`` are the stored JSON texts: equal texts are graded once."""

    pk: int
    attempt_id: int
    question_id: int | None
    position: int
    score: float | None
    max_mark: float
    graded_by_id: int | None
    snapshot: str
    answer: str | None  # None: no answer (SQL NULL)


@dataclass(frozen=True, slots=True)
class _Score:
    """A response's part in its attempt's total (what ``attempt_total`` reads)."""

    pk: int
    score: float | None
    needs_manual: bool


def _targets_read(targets: QuerySet):
    text = TextField()
    return (
        _Target(*row)
        for row in targets.order_by("attempt_id", "position")
        .annotate(
            snapshot_text=Cast("snapshot", text), answer_text=Cast("answer", text)
        )
        .values_list(
            "pk",
            "attempt_id",
            "question_id",
            "position",
            "score",
            "max_mark",
            "graded_by_id",
            "snapshot_text",
            "answer_text",
        )
        .iterator(chunk_size=2000)
    )


class _Regrader:
    """``regrading.regrade`` of stored answers, once per distinct (question,
    snapshot, answer, max mark): students who saw the same question and gave the
    same answer get the same result, so a quiz of 500 attempts grades a few
    hundred answers, not 15,000 (and decodes each distinct snapshot once)."""

    def __init__(self, current: dict[int, tuple[dict, int]]):
        self.current = current
        self._snapshots: dict[str, dict] = {}
        self._results: dict[tuple, regrading.Regraded | str] = {}

    def __call__(self, target: _Target) -> regrading.Regraded:
        key = (target.question_id, target.snapshot, target.answer, target.max_mark)
        found = self._results.get(key)
        if found is None:
            snapshot = self._snapshots.get(target.snapshot)
            if snapshot is None:
                snapshot = self._snapshots[target.snapshot] = json.loads(
                    target.snapshot
                )
            try:
                found = regrading.regrade(
                    snapshot=snapshot,
                    current=self.current[target.question_id][0],
                    answer=None if target.answer is None else json.loads(target.answer),
                    max_mark=target.max_mark,
                )
            except regrading.Incompatible as refused:
                found = refused.code
            self._results[key] = found
        if isinstance(found, str):
            raise regrading.Incompatible(found)
        return found


def _plan(attempts: list[Attempt], targets, others, on_progress=None) -> RegradePlan:
    """Grade ``targets`` (``_Target`` rows, by attempt and position) again and
    work out each attempt's new total: the one computation of the dry run and of
    the regrade itself. ``on_progress(done, total)`` hears how far it got.

    ``others`` maps attempt id -> its responses' ``_Score`` (every response, the
    targets too), so totals are computed from every response, by ``attempt_total``.
    """
    targets = list(targets)
    current = _current_questions({t.question_id for t in targets if t.question_id})
    plan = RegradePlan(
        changed=[], versions={pk: version for pk, (_d, version) in current.items()}
    )
    regrade = _Regrader(current)
    skipped: dict[str, int] = defaultdict(int)
    by_attempt: dict[int, list[ResponseRegrade]] = defaultdict(list)
    for number, target in enumerate(targets):
        if on_progress is not None and number % PROGRESS_EVERY == 0:
            on_progress(number, len(targets))
        if target.question_id not in current:
            skipped[regrading.TYPE_CHANGED] += 1
            continue
        if target.graded_by_id is not None:
            skipped[GRADED_BY_HAND] += 1
            continue
        try:
            result = regrade(target)
        except regrading.Incompatible as refused:
            skipped[refused.code] += 1
            continue
        plan.checked += 1
        entry = ResponseRegrade(
            response_id=target.pk,
            position=target.position,
            question_id=target.question_id,
            old_score=target.score,
            new_score=result.score,
            max_mark=target.max_mark,
            result=result,
        )
        plan.regraded[target.pk] = entry
        if not entry.score_changed:
            plan.unchanged += 1
        by_attempt[target.attempt_id].append(entry)
    plan.skipped = dict(skipped)

    for attempt in attempts:
        entries = by_attempt.get(attempt.pk, [])
        if not any(e.score_changed for e in entries):
            continue
        after = copy.copy(attempt)
        attempt_total(attempt=after, responses=_scores_after(others[attempt.pk], plan))
        plan.changed.append(
            AttemptRegrade(
                attempt_id=attempt.pk,
                user_id=attempt.user_id,
                user=attempt.user,
                quiz_title=attempt.quiz.title,
                number=attempt.number,
                max_score=attempt.max_score,
                old_state=attempt.state,
                new_state=after.state,
                old_score=attempt.score,
                new_score=after.score,
                old_passed=attempt.passed,
                new_passed=after.passed,
                responses=[e for e in entries if e.score_changed],
            )
        )
    plan.changed.sort(
        key=lambda a: (a.quiz_title, _sort_name(a.user), a.user_id, a.number)
    )
    return plan


def _scores_after(scores: list[_Score], plan: RegradePlan) -> list[_Score]:
    """An attempt's response scores once the plan's new scores are in."""
    return [
        _Score(s.pk, plan.regraded[s.pk].new_score, s.needs_manual)
        if s.pk in plan.regraded
        else s
        for s in scores
    ]


def _sort_name(user) -> str:
    return (user.get_full_name() or user.get_username()).casefold()


def _load(targets: QuerySet, *, lock: bool):
    attempts = Attempt.objects.filter(pk__in=targets.values("attempt_id"))
    if lock:
        attempts = attempts.select_for_update(of=("self",))
    attempts = list(attempts.select_related("quiz", "user").order_by("pk"))
    others: dict[int, list[_Score]] = defaultdict(list)
    for pk, attempt_id, score, needs_manual in (
        Response.objects.filter(attempt__in=targets.values("attempt_id"))
        .order_by("attempt_id", "position")
        .values_list("pk", "attempt_id", "score", "needs_manual")
        .iterator(chunk_size=5000)
    ):
        others[attempt_id].append(_Score(pk, score, needs_manual))
    return attempts, _targets_read(targets), others


def regrade_preview(
    *,
    course: Course,
    question: Question | None = None,
    quiz: Quiz | None = None,
    on_progress=None,
) -> RegradePlan:
    """The dry run: which attempts a regrade would change, and how. Writes nothing.
    ``on_progress(done, total)`` hears how many answers it has graded so far."""
    targets = _regrade_targets(course=course, question=question, quiz=quiz)
    attempts, responses, others = _load(targets, lock=False)
    return _plan(attempts, responses, others, on_progress)


def regrade_target_state(
    *, course: Course, question: Question | None = None, quiz: Quiz | None = None
) -> tuple[int, str]:
    """How many attempts a regrade of a question or quiz touches, and a token that
    changes whenever its dry run could: an answer submitted, graded by hand,
    overridden or regraded (a ``GradeChange``), a question or quiz edited, a
    question deleted. Two queries; a kept dry run is current while it matches."""
    targets = _regrade_targets(course=course, question=question, quiz=quiz)
    state = targets.aggregate(
        attempts=Count("attempt_id", distinct=True),
        responses=Count("pk"),
        linked=Count("question_id"),
        submitted=Max("attempt__submitted_at"),
        edited=Max("question__updated_at"),
        quiz_edited=Max("attempt__quiz__updated_at"),
    )
    changed = GradeChange.objects.filter(
        attempt__in=targets.values("attempt_id")
    ).aggregate(last=Max("pk"))["last"]
    token = "|".join(
        str(state[name])
        for name in ("responses", "linked", "submitted", "edited", "quiz_edited")
    )
    return state["attempts"], f"{token}|{changed}"


@transaction.atomic
def regrade_apply(
    *,
    course: Course,
    user,
    question: Question | None = None,
    quiz: Quiz | None = None,
    reason: str = "",
    now=None,
    attempt_ids=None,
) -> RegradePlan:
    """Regrade a question (in every quiz of the course) or every question of a quiz
    (in the attempts ``attempt_ids`` only, when given: one batch of a long regrade).

    Responses get the current answer key in their snapshot (so the student's
    review shows the new result) and their new score; each changed score writes a
    ``GradeChange`` (kind regrade); each changed attempt is re-totalled. Attempts
    that now pass complete their lesson; a pass that turns into a fail leaves a
    completed lesson completed. Responses graded by hand are left alone.
    """
    now = now or timezone.now()
    targets = _regrade_targets(
        course=course, question=question, quiz=quiz, attempt_ids=attempt_ids
    )
    attempts, responses, others = _load(targets, lock=True)
    plan = _plan(attempts, responses, others)
    # Unchanged scores still take the new key and feedback: the review shows them.
    Response.objects.bulk_update(
        [
            Response(
                pk=entry.response_id,
                snapshot=entry.result.snapshot,
                question_version=plan.versions[entry.question_id],
                fraction=entry.result.fraction,
                score=entry.result.score,
                feedback=entry.result.feedback,
                detail=entry.result.detail,
            )
            for entry in plan.regraded.values()
        ],
        ["snapshot", "question_version", "fraction", "score", "feedback", "detail"],
        batch_size=500,
    )
    text = reason.strip() or _default_reason(question=question, quiz=quiz)
    GradeChange.objects.bulk_create(
        [
            GradeChange(
                response_id=e.response_id,
                attempt_id=attempt.attempt_id,
                kind=GradeChange.Kind.REGRADE,
                changed_by=user,
                changed_at=now,
                old_score=e.old_score,
                new_score=e.new_score,
                reason=text,
            )
            for attempt in plan.changed
            for e in attempt.responses
        ],
        batch_size=500,
    )
    changed_ids = {a.attempt_id for a in plan.changed}
    to_save = []
    for attempt in attempts:
        if attempt.pk not in changed_ids:
            continue
        attempt_total(
            attempt=attempt, responses=_scores_after(others[attempt.pk], plan)
        )
        to_save.append(attempt)
    Attempt.objects.bulk_update(to_save, _ATTEMPT_TOTAL_FIELDS, batch_size=500)
    for attempt in to_save:
        attempt_after_grading(attempt=attempt)
    plan.applied = True
    return plan


def _default_reason(*, question: Question | None, quiz: Quiz | None) -> str:
    if question is not None:
        return f"Regrade of question {question.key} (version {question.version})"
    return f"Regrade of quiz {quiz.slug}"
