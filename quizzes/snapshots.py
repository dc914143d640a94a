"""Between stored questions (Question + Answer rows) and the plain question dict.

``question_to_dict`` builds the dict that grading, review and exports use
(``docs/question-format.md``); ids are the answer rows' primary keys as strings, so
they stay stable across attempts (item statistics count options by id). Ordering
items are the exception: their rows are written in the correct order, so their
primary keys would give the answer away on the attempt page; their ids are a keyed
hash of the primary key instead (just as stable, but telling nothing).
``answers_from_dict`` goes the other way for imports.
"""

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

from lessons.rendering import render_markdown
from quizzes import moodle_options
from quizzes.models import Answer, Question, QuestionType


def _sorted(answers: Iterable[Answer]) -> list[Answer]:
    return sorted(answers, key=lambda a: (a.position, a.pk or 0))


def _opaque_id(answer: Answer) -> str:
    digest = hashlib.blake2b(
        f"ordering-item:{answer.pk}".encode(),
        key=settings.SECRET_KEY.encode()[:64],
        digest_size=6,
    )
    return digest.hexdigest()


def question_to_dict(question: Question, *, answers=None, html: bool = False) -> dict:
    """The question as a plain dict. Pass ``answers`` to avoid a query.

    With ``html`` the dict also carries ``text_html`` and ``general_feedback_html``,
    rendered and sanitised once: the snapshot an attempt stores. (Option texts are
    shown as plain text.)
    """
    rows = _sorted(question.answers.all() if answers is None else answers)
    data: dict[str, Any] = {
        "type": question.type,
        "title": question.title,
        "text": question.text,
        "format": "markdown",
        "general_feedback": question.general_feedback,
        "default_mark": question.default_mark,
        "key": question.key,
        "lesson_id": question.lesson_id,
    }
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        data["options"] = [
            {
                "id": str(a.pk),
                "text": a.text,
                "fraction": a.fraction,
                "feedback": a.feedback,
            }
            for a in rows
        ]
    elif kind == QuestionType.TRUEFALSE:
        by_text = {a.text.strip().lower(): a for a in rows}
        true_row, false_row = by_text.get("true"), by_text.get("false")
        data["correct"] = bool(true_row and true_row.fraction >= 1)
        data["feedback_true"] = true_row.feedback if true_row else ""
        data["feedback_false"] = false_row.feedback if false_row else ""
    elif kind == QuestionType.SHORTANSWER:
        data["case_sensitive"] = question.case_sensitive
        data["answers"] = [
            {"text": a.text, "fraction": a.fraction, "feedback": a.feedback}
            for a in rows
        ]
    elif kind == QuestionType.NUMERICAL:
        data["answers"] = [_numerical_answer(a) for a in rows]
    elif kind == QuestionType.MATCHING:
        data["pairs"] = [
            {"id": str(a.pk), "prompt": a.text, "answer": a.match_text}
            for a in rows
            if a.text.strip()
        ]
        data["distractors"] = [a.match_text for a in rows if not a.text.strip()]
    elif kind == QuestionType.ORDERING:
        data["items"] = [{"id": _opaque_id(a), "text": a.text} for a in rows]
    elif kind == QuestionType.ESSAY:
        if question.max_length:
            data["max_length"] = question.max_length
        data["response_template"] = question.response_template
    # Moodle's options, when they differ from their defaults.
    data.update(moodle_options.compact(options_of(question), kind))
    if html:
        data["text_html"] = render_markdown(question.text)
        data["general_feedback_html"] = render_markdown(question.general_feedback)
    return data


def options_of(question: Question) -> dict:
    """The Moodle options of a stored question (``quizzes.moodle_options``)."""
    return {name: getattr(question, name) for name in moodle_options.DEFAULTS}


def _numerical_answer(answer: Answer) -> dict:
    if answer.number_max is not None:
        return {
            "min": answer.number,
            "max": answer.number_max,
            "fraction": answer.fraction,
            "feedback": answer.feedback,
        }
    return {
        "value": answer.number,
        "tolerance": answer.tolerance or 0.0,
        "fraction": answer.fraction,
        "feedback": answer.feedback,
    }


def answers_from_dict(data: Mapping[str, Any]) -> list[Answer]:
    """Unsaved Answer rows for a question dict (the caller sets ``question``)."""
    kind = data["type"]
    rows: list[Answer] = []
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        for option in data.get("options", ()):
            rows.append(
                Answer(
                    text=option["text"],
                    fraction=option.get("fraction", 0.0),
                    feedback=option.get("feedback", ""),
                )
            )
    elif kind == QuestionType.TRUEFALSE:
        correct = bool(data.get("correct"))
        rows.append(
            Answer(
                text="True",
                fraction=1.0 if correct else 0.0,
                feedback=data.get("feedback_true", ""),
            )
        )
        rows.append(
            Answer(
                text="False",
                fraction=0.0 if correct else 1.0,
                feedback=data.get("feedback_false", ""),
            )
        )
    elif kind == QuestionType.SHORTANSWER:
        for answer in data.get("answers", ()):
            rows.append(
                Answer(
                    text=answer["text"],
                    fraction=answer.get("fraction", 1.0),
                    feedback=answer.get("feedback", ""),
                )
            )
    elif kind == QuestionType.NUMERICAL:
        for answer in data.get("answers", ()):
            if "min" in answer:
                row = Answer(number=answer["min"], number_max=answer["max"])
            else:
                row = Answer(
                    number=answer["value"], tolerance=answer.get("tolerance", 0.0)
                )
            row.fraction = answer.get("fraction", 1.0)
            row.feedback = answer.get("feedback", "")
            rows.append(row)
    elif kind == QuestionType.MATCHING:
        for pair in data.get("pairs", ()):
            rows.append(Answer(text=pair["prompt"], match_text=pair["answer"]))
        for distractor in data.get("distractors", ()):
            rows.append(Answer(text="", match_text=distractor))
    elif kind == QuestionType.ORDERING:
        for item in data.get("items", ()):
            rows.append(Answer(text=item["text"]))
    for position, row in enumerate(rows):
        row.position = position
    return rows
