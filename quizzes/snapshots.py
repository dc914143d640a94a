"""Between stored questions (Question + Answer rows) and the plain question dict.

``question_to_dict`` builds the dict that grading, review and exports use
(``docs/question-format.md``); ids are the answer rows' primary keys as strings, so
they stay stable across attempts (item statistics count options by id). Ordering
items are the exception: their ids are a keyed hash of the primary key (see
``quizzes/types/ordering.py``). ``answers_from_dict`` goes the other way for
imports. What each type keeps in its rows is the type's own
(``dict_from_rows`` / ``rows_from_dict`` in ``quizzes/types/<type>.py``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from coursesite import cache as site_cache
from lessons.rendering import render_markdown
from quizzes import moodle_options
from quizzes import types as question_types
from quizzes.models import Answer, Question


def _sorted(answers: Iterable[Answer]) -> list[Answer]:
    return sorted(answers, key=lambda a: (a.position, a.pk or 0))


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
    qtype = question_types.find(question.type)
    if qtype is not None:  # an unknown type is the admin form's to report
        data.update(qtype.dict_from_rows(question, rows))
    # Moodle's options, when they differ from their defaults.
    data.update(moodle_options.compact(options_of(question), question.type))
    if html:
        # What pages render (cloze: the text with markers, never its answers).
        if qtype is not None:
            data["text"] = qtype.page_text(data)
        data["text_html"] = markdown_html(data["text"])
        data["general_feedback_html"] = markdown_html(question.general_feedback)
    return data


def markdown_html(text: str) -> str:
    """``render_markdown`` of a question's text, once per distinct text (an
    attempt's start renders every question it asks)."""
    if not text:
        return render_markdown(text)
    return site_cache.markdown_html(text, build=lambda: render_markdown(text))


def question_snapshot(question: Question, *, rng, shuffle_options: bool) -> dict:
    """The question as an attempt (or the instructors' preview) asks it: its
    dict with HTML, and its display order fixed by ``rng``."""
    data = question_to_dict(question, answers=question.answers.all(), html=True)
    # A question may keep its options in order (Moodle's shuffleanswers off).
    shuffle = shuffle_options and data.get("shuffle_answers", True)
    question_types.get(data["type"]).freeze(data, rng, shuffle)
    return data


def options_of(question: Question) -> dict:
    """The Moodle options of a stored question (``quizzes.moodle_options``)."""
    return moodle_options.row_values(question)


def answers_from_dict(data: Mapping[str, Any]) -> list[Answer]:
    """Unsaved Answer rows for a question dict (the caller sets ``question``)."""
    qtype = question_types.find(data["type"])
    rows = [Answer(**fields) for fields in qtype.rows_from_dict(data)] if qtype else []
    for position, row in enumerate(rows):
        row.position = position
    return rows
