"""What a question bank or GIFT file must satisfy beyond what grading checks (pure).

``question_bank_import`` and ``gift_import`` validate everything before they write
anything; these are the checks that are not about grading a question:

- ``quiz_settings_problems``: a quiz's settings are in range (``pass_mark`` is a
  fraction 0..1, not a percentage; counts are whole numbers, not negative;
  ``review_options`` names known moments and items), so the database's own
  constraints never end an import with an IntegrityError;
- ``question_markdown_problems``: the question's texts pass the Markdown guard
  (``lessons.markdown_guard``), so no stored text can fail a quiz page, and its
  Moodle options (``quizzes.moodle_options``) can be stored.
"""

from collections.abc import Mapping
from typing import Any

from lessons.markdown_guard import markdown_problems
from quizzes import moodle_options
from quizzes.models import GradingMethod
from quizzes.review import validate_review_options

# Whole numbers that may not be negative; None means "not set" for draw counts.
_COUNTS = ("attempts_allowed", "questions_per_page", "draw_count", "draw")
_MINUTES = ("time_limit_minutes", "attempt_delay_minutes")
_BOOLEANS = ("shuffle_questions", "shuffle_options", "draw_from_bank", "is_published")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def quiz_settings_problems(quiz: Mapping[str, Any]) -> list[str]:
    """What is wrong with one quiz's settings in a bank file, each message naming
    the quiz and the field; [] if they can be stored."""
    name = f"quiz {quiz.get('slug')!r}"
    problems = []
    if "pass_mark" in quiz:
        value = quiz["pass_mark"]
        if not _is_number(value) or not 0 <= value <= 1:
            problems.append(
                f"{name}: 'pass_mark' must be a fraction from 0 to 1 (0.7 = 70%), "
                f"not {value!r}"
            )
    if "weight" in quiz and (not _is_number(quiz["weight"]) or quiz["weight"] < 0):
        problems.append(f"{name}: 'weight' must be a number, 0 or more")
    for field in _COUNTS:
        value = quiz.get(field)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{name}: '{field}' must be a whole number, 0 or more")
    for field in _MINUTES:
        value = quiz.get(field)
        if value is not None and (not _is_number(value) or value < 0):
            problems.append(f"{name}: '{field}' must be a number of minutes, 0 or more")
    grace = quiz.get("grace_period_seconds")
    if grace is not None and (not _is_number(grace) or grace < 0):
        problems.append(f"{name}: 'grace_period_seconds' must be 0 or more")
    for field in _BOOLEANS:
        if field in quiz and not isinstance(quiz[field], bool):
            problems.append(f"{name}: '{field}' must be true or false")
    marks = quiz.get("marks")
    if marks is not None and (
        not isinstance(marks, Mapping)
        or not all(_is_number(mark) and mark >= 0 for mark in marks.values())
    ):
        problems.append(f"{name}: 'marks' must map question keys to marks, 0 or more")
    method = quiz.get("grading_method")
    if method is not None and method not in GradingMethod.values:
        problems.append(
            f"{name}: 'grading_method' must be one of "
            f"{', '.join(GradingMethod.values)}, not {method!r}"
        )
    if "review_options" in quiz:
        problems += [
            f"{name}: 'review_options': {problem}"
            for problem in validate_review_options(quiz["review_options"])
        ]
    for field in ("title", "description"):
        if field in quiz and not isinstance(quiz[field], str):
            problems.append(f"{name}: '{field}' must be text")
    if isinstance(quiz.get("description"), str):
        problems += [
            f"{name}: 'description': {problem}"
            for problem in markdown_problems(quiz["description"])
        ]
    return problems


def _texts(question: Mapping[str, Any]):
    """Every text of a question dict that an author wrote, with its field name."""
    for field in (
        "text",
        "general_feedback",
        "grader_info",
        "feedback_true",
        "feedback_false",
        *moodle_options.COMBINED_FEEDBACK,
    ):
        if isinstance(question.get(field), str):
            yield field, question[field]
    for key in ("options", "answers", "items", "pairs", "hints"):
        rows = question.get(key)
        for number, row in enumerate(rows if isinstance(rows, list) else (), 1):
            if not isinstance(row, Mapping):
                continue
            for field in ("text", "feedback", "prompt", "answer"):
                if isinstance(row.get(field), str):
                    yield f"{key}[{number}].{field}", row[field]


def question_markdown_problems(question: Mapping[str, Any]) -> list[str]:
    """The Markdown guard's problems with each text of a question dict, prefixed
    with the field, and those of its Moodle options; [] if it can be stored."""
    return moodle_options.problems(question) + [
        f"{field}: {problem}"
        for field, text in _texts(question)
        if text  # most feedbacks are empty: nothing to measure
        for problem in markdown_problems(text)
    ]
