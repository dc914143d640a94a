"""How the staff area writes numbers and responses, shared by its pages and its
CSV exports, so the two always show the same figures. No database access."""

import json
import math
import re
from datetime import timedelta
from functools import lru_cache

from lessons.rendering import render_markdown
from quizzes import types as question_types
from quizzes.presenting import describe_answer, describe_right_answer


@lru_cache(maxsize=4096)
def _json_scalar(text: str):
    return json.loads(text)


def json_value(text: str | None):
    """A JSON value read as text from the database, decoded; each caller gets its
    own value, free to change.

    Exports and statistics read the same short JSON (a chosen option's id) tens of
    thousands of times: short scalars (strings, numbers) are immutable, so they are
    decoded once and shared. Lists and objects are decoded on every call: sharing
    them would let one caller's change reach the next, and copying one costs more
    than decoding it (measured: about 2 µs to decode a three-option list).
    """
    if text is None:
        return None
    if len(text) > 512 or text.lstrip()[:1] in ("[", "{"):
        return json.loads(text)
    return _json_scalar(text)


def display_name(user) -> str:
    """ "Ana Castro (demo-00012)", or the username alone when there is no name."""
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def percent_text(fraction: float | None) -> str:
    """A 0..1 fraction as a percentage with one decimal ("83.3"); "" for none.

    Pages add the "%" sign and show "—" for ""; CSV cells carry the text as is.
    """
    if fraction is None or not math.isfinite(fraction):
        return ""
    value = round(fraction * 100, 1)
    return f"{value:.1f}" if value != int(value) else f"{int(value)}"


def marks_text(value: float | None) -> str:
    """Marks with at most two decimals, no trailing zeros ("2.5", "3"); "" for none."""
    if value is None:
        return ""
    return f"{round(value, 2):g}"


def number_text(value: float | None) -> str:
    """A stored mark in full (to the 7 places marks are rounded to); "" for none."""
    if value is None:
        return ""
    return f"{round(value, 7):.10g}"


def duration_text(duration: timedelta | None) -> str:
    """A duration as h:mm:ss (or m:ss under an hour); "" for none."""
    if duration is None:
        return ""
    seconds = max(0, round(duration.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula.

    Student-written cells (answers, names) starting with ``=``, ``+``, ``-``, ``@``
    or a tab are prefixed with an apostrophe (OWASP's advice against CSV
    injection); a plain number such as "-3.5" is left alone.
    """
    if not text or not text.startswith(_FORMULA_STARTS):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def response_summary(response) -> dict:
    """What the staff pages show of one response, from its frozen snapshot."""
    snap = response.snapshot or {}
    kind = snap.get("type", "")
    if response.needs_manual:
        status = "pending"
    elif response.review_requested:
        status = "review"
    elif response.graded_by_id is not None:
        status = "by_hand"
    elif kind == "description":
        status = "none"
    else:
        status = "auto"
    return {
        "response": response,
        "number": response.position + 1,
        "type": kind,
        "title": snap.get("title") or "",
        "text_html": snap.get("text_html") or render_markdown(snap.get("text", "")),
        "answer_lines": describe_answer(snap, response.answer) if kind else [],
        # An essay's word count against its limits (Moodle's review shows it).
        "answer_note": (
            question_types.get(kind).answer_note(snap, response.answer)
            if question_types.find(kind)
            else ""
        ),
        "right_answer_lines": describe_right_answer(snap) if kind else [],
        "feedback": list(response.feedback or []),
        # For the grader: an essay's information for graders (Moodle's
        # graderinfo: never on a student's page), the question's general
        # feedback (Moodle's place for a model answer) and an essay's template.
        "grader_info_html": render_markdown(snap.get("grader_info") or ""),
        "grader_notes_html": _grader_notes(snap),
        "response_template": snap.get("response_template") or "",
        "status": status,
        "waiting": status in ("pending", "review"),
        # The student flagged the question during the attempt ("come back to
        # this"): graders see it, since it often means doubt about the question.
        "flagged": response.flagged,
        "score": marks_text(response.score),
        "max_mark": marks_text(response.max_mark),
    }


def _grader_notes(snap: dict) -> str:
    if snap.get("general_feedback_html"):
        return snap["general_feedback_html"]
    if snap.get("general_feedback"):
        return render_markdown(snap["general_feedback"])
    return ""


_LABEL_PREFIX = re.compile(r"^[^:]{1,16}:\s+(?=\S)")


def short_label(title: str) -> str:
    """A quiz's title as a gradebook column heading: without a short leading
    "Check: " style prefix every lesson quiz shares ("Check: Peru" -> "Peru").
    The full title goes beside it, on hover and for screen readers."""
    return _LABEL_PREFIX.sub("", title, count=1) or title
