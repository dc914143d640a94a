"""Building admin form posts for questions and quizzes, and reading them back."""

import json

from quizzes.models import Question, QuestionType, Quiz

SINGLE = {
    "type": QuestionType.SINGLE,
    "text": "Which treaty ended the war?",
    "options": [
        {"text": "Montevideo", "fraction": 1.0},
        {"text": "Madrid", "fraction": 0.0},
        {"text": "Tordesillas", "fraction": 0.0},
    ],
}

_MANAGEMENT = {"MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}


def inline_data(prefix: str, rows: list[dict], *, initial: int) -> dict:
    """A formset's fields: its management form and one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        **{f"{prefix}-{key}": value for key, value in _MANAGEMENT.items()},
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is None or value is False:
                continue
            data[f"{prefix}-{index}-{key}"] = "on" if value is True else value
    return data


def answer_row(
    text="",
    fraction=0.0,
    *,
    match_text="",
    feedback="",
    number=None,
    tolerance=None,
    number_max=None,
    position=0,
) -> dict:
    return {
        "position": position,
        "text": text,
        "match_text": match_text,
        "fraction": fraction,
        "feedback": feedback,
        "number": number,
        "tolerance": tolerance,
        "number_max": number_max,
    }


def saved_answer_rows(question: Question) -> list[dict]:
    """The question's answer rows as its change form posts them back."""
    return [
        {
            "id": answer.pk,
            "question": question.pk,
            **answer_row(
                answer.text,
                answer.fraction,
                match_text=answer.match_text,
                feedback=answer.feedback,
                number=answer.number,
                tolerance=answer.tolerance,
                number_max=answer.number_max,
                position=answer.position,
            ),
        }
        for answer in question.answers.order_by("position", "id")
    ]


def question_post(
    *,
    course,
    type,
    rows=(),
    question: Question | None = None,
    text="What happened?",
    key="q-admin",
    lesson=None,
    **fields,
) -> dict:
    """The question change form's post: ``rows`` follow the saved rows (if any)."""
    saved = saved_answer_rows(question) if question is not None else []
    data = {
        "course": course.pk,
        "lesson": lesson.pk if lesson else "",
        "key": key,
        "type": type,
        "title": "",
        "text": text,
        "default_mark": 1,
        "general_feedback": "",
        "max_length": "",
        "response_template": "",
        "grader_info": "",
        "is_published": "on",
        "category": "",
        "tags": "",
        # Moodle's options, at their defaults (quizzes.moodle_options).
        "idnumber": "",
        "penalty": 0.3333333,
        "hints": "[]",
        "shuffle_answers": "on",
        "answer_numbering": "abc",
    }
    data.update(fields)
    data.update(inline_data("answers", [*saved, *rows], initial=len(saved)))
    return {key: value for key, value in data.items() if value is not False}


def question_change_post(question: Question, **changes) -> dict:
    """The post of an unchanged question form, with ``changes`` applied."""
    data = question_post(
        course=question.course,
        type=question.type,
        question=question,
        text=question.text,
        key=question.key,
        lesson=question.lesson,
        is_published="on" if question.is_published else False,
        needs_review="on" if question.needs_review else False,
        default_mark=question.default_mark,
        idnumber=question.idnumber,
        penalty=question.penalty,
        hints=json.dumps(question.hints),
        correct_feedback=question.correct_feedback,
        partially_correct_feedback=question.partially_correct_feedback,
        incorrect_feedback=question.incorrect_feedback,
        show_num_correct="on" if question.show_num_correct else False,
        shuffle_answers="on" if question.shuffle_answers else False,
        answer_numbering=question.answer_numbering,
    )
    data.update(changes)
    return data


def quiz_post(quiz: Quiz, *, slots=None, **changes) -> dict:
    """The quiz change form's post, unchanged but for ``changes`` and ``slots``
    (a list of (question, position, mark) replacing the saved ones' values)."""
    data = {
        "course": quiz.course_id,
        "lesson": quiz.lesson_id or "",
        "module": quiz.module_id or "",
        "title": quiz.title,
        "slug": quiz.slug,
        "description": quiz.description,
        "is_published": "on" if quiz.is_published else False,
        "open_at_0": "",
        "open_at_1": "",
        "close_at_0": "",
        "close_at_1": "",
        "time_limit": "",
        "grace_period": "00:01:00",
        "attempts_allowed": quiz.attempts_allowed,
        "grading_method": quiz.grading_method,
        "pass_mark": quiz.pass_mark,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_options": quiz.shuffle_options,
        "draw_count": quiz.draw_count or "",
        "draw_from_bank": quiz.draw_from_bank,
        "questions_per_page": quiz.questions_per_page,
        "attempt_delay": "",
        "review_options": json.dumps(quiz.review_options),
        "overall_feedback": json.dumps(quiz.overall_feedback),
        "weight": quiz.weight,
    }
    saved = list(quiz.slots.order_by("position", "id")) if quiz.pk else []
    if slots is None:
        slots = [(slot.question, slot.position, slot.mark) for slot in saved]
    by_question = {slot.question_id: slot for slot in saved}
    rows = []
    for question, position, mark in slots:
        slot = by_question.get(question.pk)
        rows.append(
            {
                "id": slot.pk if slot else None,
                "quiz": quiz.pk,
                "question": question.pk,
                "position": position,
                "mark": "" if mark is None else mark,
            }
        )
    rows.sort(key=lambda row: row["id"] is None)  # saved rows come first
    data.update(inline_data("slots", rows, initial=len(saved)))
    data.update(inline_data("overrides", [], initial=0))
    data.update(changes)
    return {
        key: ("on" if value is True else value)
        for key, value in data.items()
        if value is not False
    }
