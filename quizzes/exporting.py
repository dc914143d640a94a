"""A course's quizzes and questions as plain data: the question-bank format that
``import_questions`` (and ``import_document`` of a course export) reads back."""

from datetime import timedelta

from lessons.models import Course
from quizzes.models import Question, Quiz
from quizzes.snapshots import question_to_dict

_EXPORT_DROP = ("lesson_id",)


def _question_data(question: Question) -> dict:
    data = question_to_dict(question, answers=question.answers.all())
    for key in _EXPORT_DROP:
        data.pop(key, None)
    if question.lesson_id:
        data["lesson"] = question.lesson.slug
    if not question.is_published:
        data["is_published"] = False
    return data


def _minutes(duration: timedelta | None) -> float | None:
    return None if duration is None else duration.total_seconds() / 60


def course_quizzes_export(*, course: Course) -> list[dict]:
    questions = {
        q.pk: q
        for q in Question.objects.filter(course=course)
        .select_related("lesson")
        .prefetch_related("answers")
    }
    quizzes = (
        Quiz.objects.filter(course=course)
        .select_related("lesson", "module")
        .prefetch_related("slots")
        .order_by("id")
    )
    exported = []
    for quiz in quizzes:
        entry = {
            "slug": quiz.slug,
            "title": quiz.title,
            "description": quiz.description,
            "lesson": quiz.lesson.slug if quiz.lesson_id else None,
            "module": quiz.module.slug if quiz.module_id else None,
            "is_published": quiz.is_published,
            "time_limit_minutes": _minutes(quiz.time_limit),
            "attempts_allowed": quiz.attempts_allowed,
            "grading_method": quiz.grading_method,
            "pass_mark": quiz.pass_mark,
            "shuffle_questions": quiz.shuffle_questions,
            "shuffle_options": quiz.shuffle_options,
            "draw": quiz.draw_count,
            "from_bank": quiz.draw_from_bank,
            "questions_per_page": quiz.questions_per_page,
            "weight": quiz.weight,
            "questions": [
                _question_data(questions[slot.question_id])
                for slot in sorted(quiz.slots.all(), key=lambda s: s.position)
            ],
        }
        exported.append(entry)
    return exported
