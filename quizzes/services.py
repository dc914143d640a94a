"""Writes for quizzes: starting, answering, submitting and grading attempts, and
importing a question bank. One atomic function per state change.

Concurrency: every state change of an attempt locks the attempt row
(``select_for_update``) and re-checks its state inside the lock, so two
simultaneous submits grade it once. Starting an attempt locks the student's user
row, so two simultaneous starts cannot exceed the attempts allowed (a unique
constraint on (quiz, user, number) backs this up).
"""

import copy
import random
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from coursesite import cache as site_cache
from coursesite.db import update_rows
from lessons.models import Course, Lesson, Module
from lessons.problems import ProblemList
from lessons.services import course_rows_delete, courses_touch, lesson_complete
from quizzes import bank_checks, grading, hooks, moodle_options, rules, selectors
from quizzes import types as question_types
from quizzes.grading import InvalidResponse
from quizzes.models import (
    Accommodation,
    Answer,
    Attempt,
    AttemptState,
    Question,
    QuestionType,
    QuestionVersion,
    Quiz,
    QuizOverride,
    QuizQuestion,
    Response,
)
from quizzes.snapshots import answers_from_dict, question_snapshot, question_to_dict


class AttemptError(Exception):
    """A request the rules refuse; ``code`` says why (see ``quizzes.rules``)."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


ATTEMPT_CLOSED = "attempt_closed"
TIME_UP = "time_up"


def settings_for(*, quiz: Quiz, user, cached: bool = False) -> rules.EffectiveSettings:
    """The quiz's settings for this student, after their override and their
    accommodation in the quiz's course. With ``cached``, those two rows come from
    the cache (for pages that show the settings; starting an attempt reads the
    database): the services below that write them flush it."""
    if cached:
        override, multiplier = site_cache.learner_data(
            user.pk,
            quiz.course_id,
            "quiz-settings",
            quiz.pk,
            build=lambda: _student_rows(quiz=quiz, user=user),
            content=True,  # the quiz admin's override inline: see quiz_save
        )
    else:
        override, multiplier = _student_rows(quiz=quiz, user=user)
    return rules.effective_settings(
        open_at=quiz.open_at,
        close_at=quiz.close_at,
        time_limit=quiz.time_limit,
        attempts_allowed=quiz.attempts_allowed,
        override=override,
        time_multiplier=multiplier,
    )


def _student_rows(*, quiz: Quiz, user):
    override = QuizOverride.objects.filter(quiz=quiz, user=user).first()
    # An accommodation applies in its own course only.
    multiplier = (
        Accommodation.objects.filter(user=user, course_id=quiz.course_id)
        .values_list("time_multiplier", flat=True)
        .first()
    )
    return override, multiplier if multiplier is not None else 1


def _student_settings_changed(pairs) -> None:
    """Forget the cached settings of these (user pk, course pk) pairs."""
    for user_id, course_id in set(pairs):
        if user_id and course_id:
            site_cache.learner_changed(user_id=user_id, course_id=course_id)


@transaction.atomic
def quiz_override_save(*, override: QuizOverride) -> None:
    """Save a student's override of a quiz (the admin's forms). Moved to another
    student or quiz, the previous one's cached settings are forgotten too."""
    pairs = list(
        QuizOverride.objects.filter(pk=override.pk).values_list(
            "user_id", "quiz__course_id"
        )
        if override.pk
        else []
    )
    override.save()
    course_id = Quiz.objects.values_list("course_id", flat=True).get(
        pk=override.quiz_id
    )
    _student_settings_changed([*pairs, (override.user_id, course_id)])


@transaction.atomic
def quiz_overrides_delete(*, override_ids) -> int:
    rows = QuizOverride.objects.filter(pk__in=list(override_ids))
    pairs = list(rows.values_list("user_id", "quiz__course_id"))
    count, _ = rows.delete()
    _student_settings_changed(pairs)
    return count


@transaction.atomic
def accommodation_save(*, accommodation: Accommodation) -> None:
    """Save a student's accommodation in a course (the admin's form)."""
    pairs = list(
        Accommodation.objects.filter(pk=accommodation.pk).values_list(
            "user_id", "course_id"
        )
        if accommodation.pk
        else []
    )
    accommodation.save()
    _student_settings_changed(
        [*pairs, (accommodation.user_id, accommodation.course_id)]
    )


@transaction.atomic
def accommodations_delete(*, accommodation_ids) -> int:
    rows = Accommodation.objects.filter(pk__in=list(accommodation_ids))
    pairs = list(rows.values_list("user_id", "course_id"))
    count, _ = rows.delete()
    _student_settings_changed(pairs)
    return count


def question_pool(quiz: Quiz) -> list[tuple[Question, float]]:
    """The questions an attempt may ask, each with its mark in this quiz."""
    if quiz.draw_from_bank:
        questions = (
            Question.objects.filter(course_id=quiz.course_id, is_published=True)
            .exclude(type=QuestionType.DESCRIPTION)
            .select_related("lesson")
            .prefetch_related("answers")
            .order_by("lesson__module__position", "lesson__position", "key")
        )
        return [(q, q.default_mark) for q in questions]
    slots = (
        QuizQuestion.objects.filter(quiz=quiz, question__is_published=True)
        .select_related("question")
        .prefetch_related("question__answers")
        .order_by("position", "id")
    )
    return [(slot.question, _slot_mark(slot)) for slot in slots]


def _slot_mark(slot: QuizQuestion) -> float:
    # A description is an information block: it carries no marks, whatever its
    # default mark says, or no attempt could ever reach 100%.
    if slot.question.type == QuestionType.DESCRIPTION:
        return 0.0
    return slot.mark if slot.mark is not None else slot.question.default_mark


def _snapshot(question: Question, *, rng: random.Random, shuffle_options: bool) -> dict:
    """The question as this attempt asks it, with its display order fixed."""
    return question_snapshot(question, rng=rng, shuffle_options=shuffle_options)


@transaction.atomic
def attempt_start(*, quiz: Quiz, user, preview: bool = False, now=None) -> Attempt:
    """Start an attempt, or return the one in progress (a returning student resumes).

    Raises ``AttemptError`` when the rules refuse a new attempt.
    """
    now = now or timezone.now()
    # Serialise starts per student: two tabs cannot both take the last attempt.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    current = Attempt.objects.filter(
        quiz=quiz, user=user, state=AttemptState.IN_PROGRESS
    ).first()
    if current is not None:
        return current
    effective = settings_for(quiz=quiz, user=user)
    # The attempts so far in one query: how many count, when the last counted one
    # was finished, and the last number.
    counted = Q(is_preview=False)
    previous = Attempt.objects.filter(quiz=quiz, user=user).aggregate(
        used=Count("pk", filter=counted),
        last_finished_at=Max("submitted_at", filter=counted),
        number=Max("number"),
    )
    if not preview:
        refusal = rules.start_refusal(
            settings=effective,
            attempts_used=previous["used"],
            last_finished_at=previous["last_finished_at"],
            attempt_delay=quiz.attempt_delay,
            now=now,
        )
        if refusal:
            raise AttemptError(refusal)
    pool = question_pool(quiz)
    if not pool:
        raise AttemptError("no_questions", "this quiz has no questions yet")
    rng = random.Random(secrets.randbits(64))
    chosen = pool
    if quiz.draw_count and quiz.draw_count < len(pool):
        picked = sorted(rng.sample(range(len(pool)), quiz.draw_count))
        chosen = [pool[i] for i in picked]
    if quiz.shuffle_questions:
        chosen = chosen[:]
        rng.shuffle(chosen)
    number = (previous["number"] or 0) + 1
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        is_preview=preview,
        started_at=now,
        deadline=rules.attempt_deadline(started_at=now, settings=effective),
        max_score=sum(mark for question, mark in chosen),
    )
    Response.objects.bulk_create(
        Response(
            attempt=attempt,
            question=question,
            question_version=question.version,
            position=position,
            snapshot=_snapshot(question, rng=rng, shuffle_options=quiz.shuffle_options),
            max_mark=mark,
        )
        for position, (question, mark) in enumerate(chosen)
    )
    quiz_status_forget(user_id=user.pk, course_id=quiz.course_id)
    return attempt


def quiz_status_forget(*, user_id: int, course_id: int) -> None:
    """A student's attempts in a course changed: their cached quiz statuses are
    rebuilt once the current write commits."""
    site_cache.learner_changed(user_id=user_id, course_id=course_id)


def _lock(attempt_id: int) -> Attempt:
    return Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id)


def _normalise_answers(
    responses: Mapping[int, Response], answers: Mapping[int, object]
) -> tuple[dict[int, object], dict[int, InvalidResponse]]:
    """The canonical answers, and the honest mistakes (``grading.MISTAKE_CODES``)
    apart. Anything else (a tampered post) raises ``InvalidResponse``."""
    cleaned, mistakes = {}, {}
    for position, raw in answers.items():
        response = responses.get(position)
        if response is None:
            raise InvalidResponse("That question is not part of this attempt.")
        try:
            cleaned[position] = grading.normalise_response(response.snapshot, raw)
        except InvalidResponse as invalid:
            if invalid.code not in grading.MISTAKE_CODES:
                raise
            mistakes[position] = invalid
    return cleaned, mistakes


@dataclass(frozen=True)
class SaveResult:
    """What a save did, question by question (keys and lists are positions)."""

    attempt: Attempt
    responses: dict[int, Response]  # every response of the attempt, as stored now
    saved: list[int]  # written by this save
    conflicts: list[int]  # changed elsewhere since the page was shown: not written
    mistakes: dict[int, InvalidResponse]  # honest mistakes: not written

    def sequences(self, positions) -> dict[int, int]:
        return {p: self.responses[p].sequence for p in positions}


def attempt_save_answers(
    *,
    attempt: Attempt,
    answers: Mapping[int, object],
    sequences: Mapping[int, int] | None = None,
    now=None,
    asked: Iterable[Response] | None = None,
) -> SaveResult:
    """Save answers (position -> raw form value) of an attempt in progress.

    Only answers that differ from the stored ones are written, each bumping its
    response's ``sequence``. ``sequences`` (position -> the sequence the page
    showed; a question missing from it showed 0) guards against an older page:
    an answer whose response was written since is not saved but reported in
    ``conflicts``. Without ``sequences`` (scripts, imports) nothing is checked.

    Honest mistakes (a word in a number field, a text too long) are reported in
    ``mistakes`` and the other answers saved; a tampered answer raises
    ``InvalidResponse`` and nothing is saved. After the deadline plus grace the
    answers are refused (``TIME_UP``) and the attempt is submitted with what was
    saved before.

    ``asked``: this attempt's responses as the caller already read them. Their
    frozen questions are used as they are (an attempt in progress never has its
    snapshots changed: only a start writes them, and a regrade leaves attempts in
    progress alone), so only what a save may change is read again, under the lock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise AttemptError(ATTEMPT_CLOSED)
        overdue = rules.is_overdue(
            deadline=locked.deadline, grace_period=locked.quiz.grace_period, now=now
        )
        if not overdue:
            responses = _responses_to_save(locked, asked)
            cleaned, mistakes = _normalise_answers(responses, answers)
            changed, conflicts = [], []
            for position, value in cleaned.items():
                response = responses[position]
                if response.answer == value:
                    continue
                if sequences is not None and (
                    sequences.get(position, 0) != response.sequence
                ):
                    conflicts.append(position)
                    continue
                response.answer = value
                response.answered_at = now
                response.sequence += 1
                changed.append(response)
            update_rows(changed, ["answer", "answered_at", "sequence"])
            return SaveResult(
                attempt=locked,
                responses=responses,
                saved=[r.position for r in changed],
                conflicts=conflicts,
                mistakes=mistakes,
            )
    attempt_submit(attempt=locked, now=now, auto=True)
    raise AttemptError(TIME_UP)


def _responses_to_save(attempt: Attempt, asked) -> dict[int, Response]:
    """An attempt's responses by position, read under its lock; with ``asked``
    (the same attempt's responses, read before), without their snapshots, which
    are taken from those."""
    if asked is None:
        return {r.position: r for r in attempt.responses.all()}
    snapshots = {r.pk: r.snapshot for r in asked if r.attempt_id == attempt.pk}
    rows = attempt.responses.defer("snapshot")
    responses = {}
    for response in rows:
        if response.pk not in snapshots:  # not what the caller read: read it all
            return {r.position: r for r in attempt.responses.all()}
        response.snapshot = snapshots[response.pk]
        responses[response.position] = response
    return responses


def response_flag_set(*, attempt: Attempt, position: int, flagged: bool) -> Response:
    """Flag (or unflag) a question of an attempt in progress for the student to
    come back to. Only a question that takes an answer can be flagged; anything
    else raises ``InvalidResponse`` and changes nothing. The answer, its sequence
    and the cached page markup's answer state are left alone."""
    with transaction.atomic():
        locked = _lock(attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise AttemptError(ATTEMPT_CLOSED)
        response = locked.responses.filter(position=position).first()
        if (
            response is None
            or not question_types.get(response.snapshot["type"]).takes_answer
        ):
            raise InvalidResponse("That question cannot be flagged.")
        if response.flagged != flagged:
            response.flagged = flagged
            response.save(update_fields=["flagged"])
        return response


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    graded_now: bool  # False when another request had submitted it already


def attempt_submit(*, attempt: Attempt, now=None, auto: bool = False) -> SubmitResult:
    """Submit and grade an attempt. A second submit changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            return SubmitResult(attempt=locked, graded_now=False)
        responses = list(locked.responses.all())
        for response in responses:
            _grade_response(response)
        update_rows(
            responses, ["fraction", "score", "feedback", "detail", "needs_manual"]
        )
        locked.submitted_at = now
        locked.auto_submitted = auto
        _total(locked, responses)
        locked.save(
            update_fields=[
                "submitted_at",
                "auto_submitted",
                "state",
                "score",
                "fraction",
                "passed",
            ]
        )
    _after_grading(locked)
    return SubmitResult(attempt=locked, graded_now=True)


def _grade_response(response: Response) -> None:
    result = grading.grade(response.snapshot, response.answer)
    response.fraction = result.fraction
    response.score = grading.score(response.snapshot, result, response.max_mark)
    response.feedback = list(result.feedback)
    response.detail = dict(result.detail)
    response.needs_manual = result.needs_manual


def _total(attempt: Attempt, responses) -> None:
    """Sum the marks; the attempt waits for a human while any response does."""
    if any(r.needs_manual for r in responses):
        attempt.state = AttemptState.NEEDS_GRADING
        attempt.score = None
        attempt.fraction = None
        attempt.passed = None
        return
    attempt.state = AttemptState.GRADED
    attempt.score = round(sum(r.score or 0 for r in responses), 7)
    attempt.fraction = attempt.score / attempt.max_score if attempt.max_score else 0.0
    attempt.passed = attempt.fraction >= attempt.quiz.pass_mark - 1e-9


def _after_grading(attempt: Attempt) -> None:
    """Passing a lesson's quiz completes the lesson for progress; the apps that
    read grades hear of it (``hooks.attempt_graded``)."""
    quiz_status_forget(user_id=attempt.user_id, course_id=attempt.quiz.course_id)
    for hook in hooks.attempt_graded:
        hook(attempt)
    if attempt.is_preview or not attempt.passed or attempt.quiz.lesson_id is None:
        return
    lesson = Lesson.objects.filter(pk=attempt.quiz.lesson_id).first()
    if lesson is not None:
        lesson_complete(user=attempt.user, lesson=lesson)


def attempts_close_overdue(*, now=None) -> int:
    """Submit every attempt whose time (plus grace) has run out; returns how many."""
    now = now or timezone.now()
    candidates = Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline__isnull=False, deadline__lt=now
    ).select_related("quiz")
    closed = 0
    for attempt in candidates:
        if rules.is_overdue(
            deadline=attempt.deadline, grace_period=attempt.quiz.grace_period, now=now
        ):
            closed += attempt_submit(attempt=attempt, now=now, auto=True).graded_now
    return closed


def attempt_close_if_overdue(*, attempt: Attempt, now=None) -> Attempt:
    """Called when a student loads an attempt: overdue ones are submitted now."""
    now = now or timezone.now()
    if attempt.state == AttemptState.IN_PROGRESS and rules.is_overdue(
        deadline=attempt.deadline, grace_period=attempt.quiz.grace_period, now=now
    ):
        return attempt_submit(attempt=attempt, now=now, auto=True).attempt
    return attempt


def attempt_close_if_stale(*, attempt: Attempt, user, now=None) -> Attempt:
    """Called whenever a student touches an attempt: one whose time is up, or
    whose quiz the student may no longer see (its lesson or course unpublished
    since), is submitted now with the answers saved so far. The unpublishing
    hooks do this at once; this catches any path that bypassed them."""
    attempt = attempt_close_if_overdue(attempt=attempt, now=now)
    if (
        attempt.state == AttemptState.IN_PROGRESS
        and not attempt.is_preview
        and not selectors.quiz_visible_to(quiz=attempt.quiz, user=user)
    ):
        return attempt_submit(attempt=attempt, now=now, auto=True).attempt
    return attempt


def attempts_close_for_unpublished(*, lesson_ids=(), course_ids=(), now=None) -> int:
    """Submit, graded as they stand, the attempts in progress on the quizzes of
    lessons or courses just unpublished (Moodle submits the open attempts of a
    quiz that closes). Previews stay open: their instructors still see the quiz.
    Returns how many were submitted."""
    where = Q(quiz__lesson_id__in=list(lesson_ids)) | Q(
        quiz__course_id__in=list(course_ids)
    )
    candidates = Attempt.objects.filter(
        where, state=AttemptState.IN_PROGRESS, is_preview=False
    ).select_related("quiz")
    return sum(
        attempt_submit(attempt=attempt, now=now, auto=True).graded_now
        for attempt in candidates
    )


# --- Question bank import -------------------------------------------------------


@dataclass
class BankReport:
    questions_created: int = 0
    questions_updated: int = 0
    questions_unchanged: int = 0
    quizzes_created: int = 0
    quizzes_updated: int = 0


class BankError(ValueError):
    pass


_QUIZ_FIELDS = {
    "title",
    "description",
    "pass_mark",
    "attempts_allowed",
    "grading_method",
    "shuffle_questions",
    "shuffle_options",
    "draw_count",
    "draw_from_bank",
    "questions_per_page",
    "is_published",
    "weight",
    "review_options",
    "overall_feedback",
}


@transaction.atomic
def question_bank_import(*, course: Course, data: Mapping, user=None) -> BankReport:
    """Create or update a course's questions and quizzes from plain data.

    Questions are matched by ``key`` and quizzes by ``slug``, so importing the same
    file twice changes nothing. Every question is validated first; any problem
    raises ``BankError`` listing them all, and nothing is written. A changed
    question is updated in place and versioned as an admin edit is (``user`` is
    the author of a stored version).
    """
    report = BankReport()
    lessons = {lesson.slug: lesson for lesson in Lesson.objects.filter(course=course)}
    modules = {module.slug: module for module in Module.objects.filter(course=course)}
    problems = ProblemList()
    # A question may sit in several quizzes (a lesson check and an exam): it is one
    # question, so every listing of a key must say the same thing.
    listed: dict[str, Mapping] = {}
    for quiz_data in data.get("quizzes", ()):
        problems += bank_checks.quiz_settings_problems(quiz_data)
        lesson_slug = quiz_data.get("lesson")
        if lesson_slug and lesson_slug not in lessons:
            problems.append(
                f"quiz {quiz_data.get('slug')!r}: no lesson {lesson_slug!r}"
            )
        module_slug = quiz_data.get("module")
        if module_slug and module_slug not in modules:
            problems.append(
                f"quiz {quiz_data.get('slug')!r}: no module {module_slug!r}"
            )
        for question in quiz_data.get("questions", ()):
            label = question.get("key") or question.get("title") or "?"
            problems += [
                f"question {label!r}: {p}" for p in grading.validate_question(question)
            ]
            problems += [
                f"question {label!r}: {p}"
                for p in bank_checks.question_markdown_problems(question)
            ]
            if not question.get("key"):
                problems.append(f"question {label!r}: missing key")
            elif listed.setdefault(question["key"], question) != question:
                problems.append(
                    f"question {label!r}: listed twice with different content"
                )
            if question.get("lesson") and question["lesson"] not in lessons:
                problems.append(f"question {label!r}: no lesson {question['lesson']!r}")
    if problems:
        raise BankError("\n".join(problems.lines()))

    existing = {
        q.key: q
        for q in Question.objects.filter(course=course).prefetch_related("answers")
    }
    imported: dict[str, Question] = {}
    for quiz_data in data.get("quizzes", ()):
        quiz = _quiz_upsert(course, quiz_data, lessons, modules, report)
        slots = []
        for position, question_data in enumerate(quiz_data.get("questions", ())):
            question = imported.get(question_data["key"])
            if question is None:
                lesson = lessons.get(
                    quiz_data.get("lesson") or question_data.get("lesson")
                )
                question = _question_upsert(
                    course,
                    lesson,
                    question_data,
                    existing.get(question_data["key"]),
                    report,
                    user=user,
                )
                imported[question.key] = question
            mark = (quiz_data.get("marks") or {}).get(question.key)
            slots.append((question, position, mark))
        current = {s.question_id: s for s in quiz.slots.all()}
        for question, position, mark in slots:
            slot = current.pop(question.pk, None)
            if slot is None:
                QuizQuestion.objects.create(
                    quiz=quiz, question=question, position=position, mark=mark
                )
            elif (slot.position, slot.mark) != (position, mark):
                slot.position = position
                slot.mark = mark
                slot.save(update_fields=["position", "mark"])
        if current and not quiz.draw_from_bank:
            QuizQuestion.objects.filter(
                pk__in=[s.pk for s in current.values()]
            ).delete()
    # Lesson pages show which quiz each lesson has: what was imported shows at
    # once. Only the cache moves on (at commit): a bank imported twice writes
    # nothing to the database.
    site_cache.course_content_changed([course.pk])
    if report.quizzes_created or report.quizzes_updated:
        for hook in hooks.quizzes_changed:
            hook({course.pk})
    return report


def _quiz_upsert(course, data, lessons, modules, report) -> Quiz:
    values = {key: data[key] for key in _QUIZ_FIELDS if key in data}
    values.setdefault("is_published", True)
    if data.get("time_limit_minutes"):
        values["time_limit"] = timedelta(minutes=data["time_limit_minutes"])
    if data.get("grace_period_seconds") is not None:
        values["grace_period"] = timedelta(seconds=data["grace_period_seconds"])
    if "attempt_delay_minutes" in data:
        minutes = data["attempt_delay_minutes"]
        values["attempt_delay"] = (
            None if minutes is None else timedelta(minutes=minutes)
        )
    if "draw" in data:
        values["draw_count"] = data["draw"]
    if data.get("from_bank"):
        values["draw_from_bank"] = True
    values["lesson"] = lessons.get(data.get("lesson")) if data.get("lesson") else None
    values["module"] = modules.get(data.get("module")) if data.get("module") else None
    quiz = Quiz.objects.filter(course=course, slug=data["slug"]).first()
    if quiz is None:
        report.quizzes_created += 1
        return Quiz.objects.create(course=course, slug=data["slug"], **values)
    changed = [k for k, v in values.items() if getattr(quiz, k) != v]
    if changed:
        for key in changed:
            setattr(quiz, key, values[key])
        quiz.save(update_fields=[*changed, "updated_at"])
        report.quizzes_updated += 1
    return quiz


_QUESTION_FIELDS = ("type", "title", "text", "general_feedback", "default_mark")


def _question_upsert(course, lesson, data, question, report, *, user=None) -> Question:
    """Create the question, or update it in place: answer rows keep their primary
    keys (attempts and item statistics refer to options by them) and an answered
    question that changes keeps its old version, as an edit in the admin does
    (``question_save_with_version``)."""
    fields = {key: data.get(key, "") for key in _QUESTION_FIELDS}
    fields["default_mark"] = float(data.get("default_mark", 1.0))
    fields["case_sensitive"] = bool(data.get("case_sensitive", False))
    fields["max_length"] = data.get("max_length")
    fields["response_template"] = data.get("response_template", "")
    fields["grader_info"] = data.get("grader_info", "")
    fields["lesson"] = lesson
    fields["is_published"] = bool(data.get("is_published", True))
    fields.update(moodle_options.columns(moodle_options.stored(data)))
    # Older bank files carry neither; only a file that says so changes them.
    if "category" in data:
        fields["category"] = data["category"] or ""
    if "tags" in data:
        fields["tags"] = list(data["tags"] or [])
    rows = answers_from_dict(data)
    if question is None:
        question = Question.objects.create(course=course, key=data["key"], **fields)
        report.questions_created += 1
        for row in rows:
            row.question = question
        Answer.objects.bulk_create(rows)
        return question
    same = all(getattr(question, k) == v for k, v in fields.items()) and (
        _answer_values(question.answers.all()) == _answer_values(rows)
    )
    if same:
        report.questions_unchanged += 1
        return question

    def save_changes() -> None:
        for key, value in fields.items():
            setattr(question, key, value)
        question.save()
        _answers_update_in_place(question, rows)

    question_save_with_version(question=question, save_changes=save_changes, user=user)
    # The prefetched rows are stale now.
    getattr(question, "_prefetched_objects_cache", {}).pop("answers", None)
    report.questions_updated += 1
    return question


_ANSWER_FIELDS = (
    "position",
    "text",
    "match_text",
    "fraction",
    "feedback",
    "number",
    "tolerance",
    "number_max",
)


def _answer_values(rows) -> list[tuple]:
    return [
        tuple(getattr(r, name) for name in _ANSWER_FIELDS)
        for r in sorted(rows, key=lambda r: r.position)
    ]


def _answers_update_in_place(question: Question, rows: list[Answer]) -> None:
    """Make the question's answer rows say what ``rows`` (unsaved) say, keeping
    each stored row that still has a counterpart: matched by text and match
    text, then by text, then by position (a text edited in place). Only rows
    added are created and only rows removed are deleted."""
    stored = sorted(
        Answer.objects.filter(question=question), key=lambda a: (a.position, a.pk)
    )
    pairs: dict[int, Answer] = {}  # index in rows -> stored row
    free = list(stored)
    for key in (lambda a: (a.text, a.match_text), lambda a: a.text):
        for index, row in enumerate(rows):
            if index in pairs:
                continue
            match = next((a for a in free if key(a) == key(row)), None)
            if match is not None:
                pairs[index] = match
                free.remove(match)
    # A row whose text changed in its place is the same row edited (a typo fixed).
    for index, row in enumerate(rows):
        match = next((a for a in free if a.position == row.position), None)
        if index not in pairs and match is not None:
            pairs[index] = match
            free.remove(match)
    if free:
        Answer.objects.filter(pk__in=[a.pk for a in free]).delete()
    created = []
    for index, row in enumerate(rows):
        target = pairs.get(index)
        if target is None:
            row.question = question
            created.append(row)
            continue
        changed = [
            name
            for name in _ANSWER_FIELDS
            if getattr(target, name) != getattr(row, name)
        ]
        if changed:
            for name in changed:
                setattr(target, name, getattr(row, name))
            target.save(update_fields=changed)
    Answer.objects.bulk_create(created)


# --- Grading after a submit (``quizzes.grading_services``) -----------------------


def attempt_total(*, attempt: Attempt, responses) -> None:
    """Set an attempt's state, score, fraction and passed from its responses.

    The public face of ``_total`` (no save): an attempt waits for a human while any
    response does, so grading its last manual response makes it graded.
    """
    _total(attempt, responses)


def attempt_after_grading(*, attempt: Attempt) -> None:
    """What follows a grade, as after a submit: passing a lesson's quiz completes
    the lesson (never the reverse)."""
    _after_grading(attempt)


# --- Authoring in the admin ----------------------------------------------------


@transaction.atomic
def question_save_with_version(
    *, question: Question, save_changes: Callable[[], None], user=None
) -> QuestionVersion | None:
    """Save an edit of a question, keeping the old version if it was answered.

    ``save_changes`` writes the edit: the question row and its answer rows (the
    admin passes its form and formset saves). When a response points at the
    question and the edit changed the question as grading sees it
    (``question_to_dict``), the state before the edit is stored as a
    ``QuestionVersion`` under the old number and ``question.version`` goes up, so
    ``Response.question_version`` tells which version each attempt answered (and
    the attempt's own snapshot still holds what it asked). A question nobody has
    answered is edited in place. Returns the stored version, if one was.
    """
    if question.pk is None:
        save_changes()
        return None
    # Locked, so two simultaneous edits cannot both keep the same old version.
    stored = Question.objects.select_for_update().get(pk=question.pk)
    before = question_to_dict(
        stored, answers=list(Answer.objects.filter(question_id=stored.pk))
    )
    save_changes()
    if not Response.objects.filter(question_id=stored.pk).exists():
        return None
    after = question_to_dict(
        question, answers=list(Answer.objects.filter(question_id=stored.pk))
    )
    if after == before:
        return None
    kept = QuestionVersion.objects.create(
        question=stored, version=stored.version, data=before, created_by=user
    )
    question.version = stored.version + 1
    question.save(update_fields=["version", "updated_at"])
    return kept


def questions_flag_source_changed(*, lessons) -> int:
    """Flag "review: source changed" on the questions that test these lessons
    (their text changed on a re-import). Returns how many were newly flagged."""
    return Question.objects.filter(lesson__in=lessons, needs_review=False).update(
        needs_review=True, updated_at=timezone.now()
    )


def question_clear_review(*, question_ids) -> int:
    """An instructor checked these questions against the new lesson text."""
    return Question.objects.filter(pk__in=question_ids, needs_review=True).update(
        needs_review=False, updated_at=timezone.now()
    )


def question_set_published(*, question_ids, published: bool) -> int:
    """Publish or unpublish questions; drafts never reach students."""
    return Question.objects.filter(pk__in=question_ids).update(
        is_published=published, updated_at=timezone.now()
    )


@transaction.atomic
def quiz_set_published(*, quiz_ids, published: bool) -> int:
    """Publish or unpublish quizzes, and mark their courses' content as changed
    (lesson pages cache which quiz each lesson has per content version)."""
    quizzes = Quiz.objects.filter(pk__in=quiz_ids)
    course_ids = set(quizzes.values_list("course_id", flat=True))
    count = quizzes.update(is_published=published, updated_at=timezone.now())
    quiz_courses_touch(course_ids=course_ids)
    return count


def quiz_courses_touch(*, course_ids) -> None:
    """A quiz of these courses changed: cached course pages must be rebuilt, and
    the apps that read grades hear of it (``hooks.quizzes_changed``)."""
    course_ids = {pk for pk in course_ids if pk is not None}
    courses_touch(course_ids=course_ids)
    for hook in hooks.quizzes_changed:
        hook(course_ids)


@transaction.atomic
def quiz_save(*, quiz: Quiz) -> None:
    """Save a quiz edited by hand (the admin form; its slots and overrides are
    saved in the same transaction). Moved to another course, both courses'
    content changes."""
    before = (
        Quiz.objects.filter(pk=quiz.pk).values_list("course_id", flat=True).first()
        if quiz.pk
        else None
    )
    quiz.save()
    quiz_courses_touch(course_ids={before, quiz.course_id})


@transaction.atomic
def quizzes_delete(*, quiz_ids) -> int:
    count, course_ids = course_rows_delete(Quiz.objects.filter(pk__in=quiz_ids))
    quiz_courses_touch(course_ids=course_ids)
    return count


_COPY_SUFFIX = "-copy"


def _copy_slug(quiz: Quiz) -> str:
    """``<slug>-copy``, or ``-copy-2``, ``-copy-3``… if taken, within 100 chars."""
    max_length = Quiz._meta.get_field("slug").max_length
    taken = set(
        Quiz.objects.filter(
            course_id=quiz.course_id,
            slug__startswith=quiz.slug[: max_length - len(_COPY_SUFFIX) - 4],
        ).values_list("slug", flat=True)
    )
    number = 1
    while True:
        suffix = _COPY_SUFFIX if number == 1 else f"{_COPY_SUFFIX}-{number}"
        candidate = quiz.slug[: max_length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


# Never copied: identity, publication and timestamps. Everything else is a setting.
_NOT_COPIED = {"id", "slug", "title", "is_published", "created_at", "updated_at"}


@transaction.atomic
def quiz_duplicate(*, quiz: Quiz) -> Quiz:
    """A copy of a quiz (settings and question slots, not attempts or per-student
    overrides), unpublished, with the slug ``<slug>-copy``."""
    # Serialise copies of one course's quizzes: two at once would pick one slug.
    Course.objects.select_for_update().filter(pk=quiz.course_id).first()
    values = {
        field.attname: copy.deepcopy(getattr(quiz, field.attname))
        for field in Quiz._meta.concrete_fields
        if field.name not in _NOT_COPIED
    }
    title_length = Quiz._meta.get_field("title").max_length
    duplicate = Quiz.objects.create(
        **values,
        slug=_copy_slug(quiz),
        title=f"{quiz.title} (copy)"[:title_length],
        is_published=False,
    )
    QuizQuestion.objects.bulk_create(
        QuizQuestion(
            quiz=duplicate,
            question_id=slot.question_id,
            position=slot.position,
            mark=slot.mark,
        )
        for slot in quiz.slots.order_by("position", "id")
    )
    return duplicate
