"""Essay: a text a teacher grades by hand.

Its Moodle response options (``quizzes.moodle_options``: format, required,
field lines, word limits) shape the text box. The word limits work as Moodle's
(qtype_essay ``check_input_word_count``): an answer outside them is saved as
typed (an autosave never complains) and still goes to the grader, but the page
showing it says what is wrong (``word_limit_message``) and the summary before
submitting calls it incomplete. They are not checked when the answer is not
required, as in Moodle. Words are counted as Moodle's ``count_words`` counts
them on plain text: runs of characters between spaces, control characters,
en and em dashes (static/js/essay-counter.js counts alike).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, gettext_lazy, ngettext

from quizzes import moodle_options
from quizzes.grading import ESSAY_MAX_CHARS, Grade, clean_text, is_essay_template
from quizzes.types import register
from quizzes.types.base import QuestionType, is_number

_WORD_BREAK_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2013\u2014]+")
_DEFAULTS = moodle_options.DEFAULTS


def word_count(text: str) -> int:
    """The words of ``text`` as Moodle counts them (see the module docstring)."""
    return len([word for word in _WORD_BREAK_RE.split(text) if word])


def option(question: Mapping[str, Any], name: str) -> Any:
    """An essay option of a question dict or snapshot (absent: its default)."""
    return question.get(name, _DEFAULTS[name])


def word_limit_problem(question: Mapping[str, Any], text: Any) -> dict | None:
    """``{"count", "min"}`` or ``{"count", "max"}`` when an answer's words are
    outside the question's limits; None when within them, when it has none, when
    the answer is not required or when there is no answer."""
    if (
        not isinstance(text, str)
        or not text.strip()
        or is_essay_template(question, text)
    ):
        return None
    if not option(question, "response_required"):
        return None
    low, high = option(question, "min_word_limit"), option(question, "max_word_limit")
    if not low and not high:
        return None
    count = word_count(text)
    if high and count > high:
        return {"count": count, "max": high}
    if low and count < low:
        return {"count": count, "min": low}
    return None


def word_limit_message(question: Mapping[str, Any], text: Any) -> str:
    """What the student is told about an answer outside the word limits ("")."""
    problem = word_limit_problem(question, text)
    if problem is None:
        return ""
    if "max" in problem:
        return ngettext(
            "This answer has %(count)s words: write at most %(limit)s word.",
            "This answer has %(count)s words: write at most %(limit)s words.",
            problem["max"],
        ) % {"count": problem["count"], "limit": problem["max"]}
    return ngettext(
        "This answer has %(count)s words: write at least %(limit)s word.",
        "This answer has %(count)s words: write at least %(limit)s words.",
        problem["min"],
    ) % {"count": problem["count"], "limit": problem["min"]}


def word_count_note(question: Mapping[str, Any], text: Any) -> str:
    """The answer's word count against the limits, for the grader, as Moodle's
    review gives it (``get_word_count_message_for_review``): "" when the
    question has no word limits or there is no answer."""
    low, high = option(question, "min_word_limit"), option(question, "max_word_limit")
    if (not low and not high) or not isinstance(text, str) or not text.strip():
        return ""
    count = word_count(text)
    if high and count > high:
        return gettext(
            "Word count: %(count)s, more than the limit of %(limit)s words."
        ) % {"count": count, "limit": high}
    if low and count < low:
        return gettext(
            "Word count: %(count)s, fewer than the limit of %(limit)s words."
        ) % {"count": count, "limit": low}
    return gettext("Word count: %(count)s.") % {"count": count}


def word_limits_text(question: Mapping[str, Any]) -> str:
    """The limits as the page states them under the box ("" when none)."""
    low, high = option(question, "min_word_limit"), option(question, "max_word_limit")
    if low and high:
        return gettext("Write from %(min)s to %(max)s words.") % {
            "min": low,
            "max": high,
        }
    if low:
        return ngettext(
            "Write at least %(min)s word.", "Write at least %(min)s words.", low
        ) % {"min": low}
    if high:
        return ngettext(
            "Write at most %(max)s word.", "Write at most %(max)s words.", high
        ) % {"max": high}
    return ""


class Essay(QuestionType):
    name = "essay"
    label = gettext_lazy("Essay")
    auto_graded = False
    admin_fields = (
        "max_length",
        moodle_options.ESSAY_COLUMN,
        "response_template",
        "grader_info",
    )
    admin_help = gettext_lazy(
        "No answer rows: a teacher grades the essay. Set a maximum length, word "
        "limits, the answer box, a response template or information for graders "
        "in Grading if you like."
    )
    moodle_xml_names = ("essay",)
    moodle_xml_type = "essay"

    def validate(self, question: Mapping[str, Any]) -> list[str]:
        problems = []
        if not isinstance(question.get("grader_info", ""), str):
            problems.append("The information for graders must be text.")
        max_length = question.get("max_length")
        if max_length is None:
            return problems
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= ESSAY_MAX_CHARS
        ):
            problems.append(
                f"The maximum length must be from 1 to {ESSAY_MAX_CHARS:,} characters."
            )
        return problems

    def normalise(self, question: Mapping[str, Any], raw: Any) -> str | None:
        limit = ESSAY_MAX_CHARS
        max_length = question.get("max_length")
        # A bad max_length is validate's to report; fall back to the cap.
        if is_number(max_length) and isinstance(max_length, int) and max_length >= 1:
            limit = min(limit, max_length)
        text = clean_text(raw, limit=limit)
        return text if text.strip() and not is_essay_template(question, text) else None

    def grade(self, question: Mapping[str, Any], response: str | None) -> Grade:
        # A template saved before it counted as no answer still must not wait.
        if response is None or is_essay_template(question, response):
            return Grade(0.0)
        return Grade(None, needs_manual=True)

    def page_fields(self, snapshot, answer, token) -> dict:
        return {
            "value": (
                answer if answer is not None else snapshot.get("response_template", "")
            ),
            "max_length": snapshot.get("max_length") or ESSAY_MAX_CHARS,
            "rows": option(snapshot, "response_field_lines"),
            "monospaced": option(snapshot, "response_format") == "monospaced",
            "min_words": option(snapshot, "min_word_limit") or 0,
            "max_words": option(snapshot, "max_word_limit") or 0,
            "word_limits": word_limits_text(snapshot),
            "word_problem": word_limit_message(snapshot, answer),
        }

    def answer_note(self, snapshot, answer) -> str:
        return word_count_note(snapshot, answer)

    def incomplete(self, snapshot, answer) -> bool:
        return word_limit_problem(snapshot, answer) is not None

    def describe_right_answer(self, snapshot) -> list[str]:
        return []

    def dict_from_rows(self, question, rows) -> dict:
        data: dict[str, Any] = {}
        if question.max_length:
            data["max_length"] = question.max_length
        data["response_template"] = question.response_template
        # For whoever grades (teach's grading page); no student page shows it.
        if question.grader_info:
            data["grader_info"] = question.grader_info
        return data

    def gift_write(self, question, fmt, out) -> str:
        return ""

    def moodle_xml_read(self, reader, element, question, files):
        question["response_template"] = reader.child_text(
            element, "responsetemplate", ""
        )
        # Moodle's information for graders: HTML with its own files, kept as
        # written (HTML in our Markdown is rendered and sanitised).
        grader_info = reader.text_of(element.find("graderinfo"), files).strip()
        if grader_info:
            question["grader_info"] = grader_info

        _read_response_options(reader, element, question)

    def moodle_xml_write(self, question, out) -> None:
        options = out.options  # quizzes.moodle_options.stored(question)
        out.add(f"<responseformat>{options['response_format']}</responseformat>")
        out.add(
            f"<responserequired>{int(options['response_required'])}</responserequired>"
        )
        out.add(
            f"<responsefieldlines>{options['response_field_lines']}</responsefieldlines>"
        )
        for tag in ("minwordlimit", "maxwordlimit"):
            limit = options[f"{tag[:3]}_word_limit"] or ""
            out.add(f"<{tag}>{limit}</{tag}>")
        out.add("<attachments>0</attachments>")
        out.add("<attachmentsrequired>0</attachmentsrequired>")
        out.add("<maxbytes>0</maxbytes>")
        out.add("<filetypeslist></filetypeslist>")
        out.text_element(
            "graderinfo", question.get("grader_info") or "", out.fmt, own_files=True
        )
        template = question.get("response_template") or ""
        out.add('<responsetemplate format="plain_text">')
        out.add(f"  <text>{out.cdata(template)}</text>")
        out.add("</responsetemplate>")


def _read_response_options(reader, element, question: dict) -> None:
    """Moodle's response options, read as its importer reads them (absent:
    Moodle's defaults); only those that differ from ours go into the dict.
    What coursesite cannot honour (file attachments) is a warning naming the
    question and its line; the question is imported as a text essay."""
    title = question.get("title") or ""
    values: dict[str, Any] = {}
    fmt_element = element.find("responseformat")
    fmt = (reader.child_text(element, "responseformat") or "").strip() or "editor"
    attachments = _whole(reader, element, "attachments", 0, low=-1)
    required_files = _whole(reader, element, "attachmentsrequired", 0)
    if fmt == "noinline":
        reader.warn(
            fmt_element,
            f"the essay {title!r} takes only file attachments in Moodle (no "
            "text), which coursesite does not take: it is imported with a text "
            "box, so students answer in text; check that its text does not ask "
            "for a file",
        )
        fmt = "editor"
    elif fmt not in moodle_options.RESPONSE_FORMATS:
        reader.warn(
            fmt_element, f"unknown response format {fmt[:20]!r}: 'editor' is used"
        )
        fmt = "editor"
    elif attachments or required_files:
        where = element.find("attachments")
        reader.warn(
            where if where is not None else element.find("attachmentsrequired"),
            f"the essay {title!r} asks for file attachments, which coursesite "
            "does not take: students can answer only in text",
        )
    values["response_format"] = fmt
    raw = reader.child_text(element, "responserequired")
    values["response_required"] = raw is None or raw.strip() not in ("0", "", "false")
    lines = _whole(reader, element, "responsefieldlines", 15, low=1)
    if lines > moodle_options.FIELD_LINES_MAX:
        reader.warn(
            element.find("responsefieldlines"),
            f"{lines} lines is more than {moodle_options.FIELD_LINES_MAX}: "
            f"{moodle_options.FIELD_LINES_MAX} are used",
        )
        lines = moodle_options.FIELD_LINES_MAX
    values["response_field_lines"] = lines
    limits = {
        name: _whole(reader, element, f"{name[:3]}wordlimit", 0) or None
        for name in ("min_word_limit", "max_word_limit")
    }
    low, high = limits["min_word_limit"], limits["max_word_limit"]
    if low and high and low > high:
        reader.warn(
            element.find("minwordlimit"),
            f"the minimum word limit ({low}) is above the maximum ({high}): "
            "neither is kept",
        )
        limits = {}
    for name, value in limits.items():
        if value and value > moodle_options.WORD_LIMIT_MAX:
            reader.warn(
                element.find(f"{name[:3]}wordlimit"),
                f"a word limit of {value:,} is not kept (at most "
                f"{moodle_options.WORD_LIMIT_MAX:,})",
            )
            value = None
        values[name] = value
    question.update(moodle_options.compact({**_DEFAULTS, **values}, "essay"))


def _whole(reader, element, tag: str, default: int, *, low: int = 0) -> int:
    """A whole number element (absent or empty: ``default``); anything else is
    a warning and the default."""
    raw = (reader.child_text(element, tag) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low:
        reader.warn(
            element.find(tag), f"<{tag}> must be a whole number (found {raw[:20]!r})"
        )
        return default
    return value


register(Essay())
