"""A course's quizzes and questions as plain data: the question-bank format that
``import_questions`` (and ``import_document`` of a course export) reads back.

The same entries are the ``quizzes`` of a single-quiz JSON export
(``quizzes.banks.quiz_export_json``, schema in ``docs/quiz-json.md``).
"""

from datetime import timedelta

from lessons.models import Course
from quizzes.models import Question, Quiz
from quizzes.snapshots import question_to_dict

_EXPORT_DROP = ("lesson_id",)


def question_export(question: Question) -> dict:
    """A bank question as plain data (``docs/question-format.md`` plus bank fields).

    Needs ``question.lesson`` and ``question.answers`` loaded (or costs queries).
    """
    data = question_to_dict(question, answers=question.answers.all())
    for key in _EXPORT_DROP:
        data.pop(key, None)
    # A lesson a re-import removed (unpublished) is not in the course export, so
    # the question travels without its link rather than break the import.
    if question.lesson_id and question.lesson.is_published:
        data["lesson"] = question.lesson.slug
    if not question.is_published:
        data["is_published"] = False
    if question.category:
        data["category"] = question.category
    if question.tags:
        data["tags"] = list(question.tags)
    return data


def _minutes(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 60


def quiz_export(quiz: Quiz, questions: dict[int, Question]) -> dict:
    """One quiz with its settings and questions (``questions``: pk -> Question).

    Needs ``quiz.slots``, ``quiz.lesson`` and ``quiz.module`` loaded.
    """
    entry = {
        "slug": quiz.slug,
        "title": quiz.title,
        "description": quiz.description,
        "lesson": quiz.lesson.slug if quiz.lesson_id else None,
        "module": quiz.module.slug if quiz.module_id else None,
        "is_published": quiz.is_published,
        "time_limit_minutes": _minutes(quiz.time_limit),
        "grace_period_seconds": quiz.grace_period.total_seconds(),
        "attempts_allowed": quiz.attempts_allowed,
        "attempt_delay_minutes": _minutes(quiz.attempt_delay),
        "grading_method": quiz.grading_method,
        "pass_mark": quiz.pass_mark,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_options": quiz.shuffle_options,
        "draw": quiz.draw_count,
        "from_bank": quiz.draw_from_bank,
        "questions_per_page": quiz.questions_per_page,
        "weight": quiz.weight,
        "review_options": quiz.review_options,
        "overall_feedback": quiz.overall_feedback,
        "questions": [],
        "marks": {},
    }
    for slot in sorted(quiz.slots.all(), key=lambda s: (s.position, s.pk)):
        question = questions[slot.question_id]
        entry["questions"].append(question_export(question))
        if slot.mark is not None:
            # The mark belongs to the slot, not the question (which may sit in
            # several quizzes with different marks).
            entry["marks"][question.key] = slot.mark
    return entry


def course_quizzes_export(*, course: Course) -> list[dict]:
    questions = {
        q.pk: q
        for q in Question.objects.filter(course=course)
        .select_related("lesson")
        .prefetch_related("answers")
    }
    quizzes = (
        Quiz.objects.filter(course=course)
        # The quiz of a lesson that is not exported (unpublished) stays behind.
        .exclude(lesson__is_published=False)
        .select_related("lesson", "module")
        .prefetch_related("slots")
        .order_by("id")
    )
    return [quiz_export(quiz, questions) for quiz in quizzes]
