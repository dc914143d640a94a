"""Moodle GIFT import and export, as pure functions over plain data.

``parse_gift(text)`` turns a GIFT file into ``GiftQuestion`` objects whose
``question`` is the dict described in ``notes/question_format.md``;
``write_gift(questions)`` turns such dicts back into GIFT. Parsing is strict and
all or nothing: every problem in the file is collected (with its line number and
what was expected) and raised together as one ``GiftError``.

The grammar follows Moodle's importer (``question/format/gift/format.php``):

- Questions are separated by blank lines. Every line is stripped first, so
  indentation is never significant.
- A line whose first non-blank characters are ``//`` is a comment, wherever it
  is (also between the lines of a question). ``//`` later in a line is text (it
  is how URLs survive). Moodle reads ``[tag:name]`` tokens from the comments of
  a question as tags, and so do we (``\\]`` is a literal ``]`` in a tag name).
- ``$CATEGORY: path`` on its own (blank-line separated) sets the category of the
  questions that follow; it becomes the tag ``"category:path"`` and
  ``GiftQuestion.category``.
- ``::title::`` at the start of a question is its title.
- ``[html]``, ``[markdown]``, ``[plain]`` or ``[moodle]`` at the start of a text
  gives its format; without one the question text is ``"moodle"`` (Moodle's
  auto-format) and the other texts of a question take the question text's
  format. Only the question text's format is kept (``question["format"]``); the
  prefix on an answer or a feedback is accepted and dropped.
- The answers are between ``{`` and ``}``. With no braces at all the question is
  a description; ``{}`` is an essay. If text follows the closing brace it is a
  missing word question and the braces are replaced by ``_____`` in the text
  (exactly in place, keeping the surrounding spaces, as Moodle does).
- Inside the braces, ``####`` starts the general feedback (the last ``####``)
  and ``#`` starts the feedback of one answer. Then, in Moodle's order:
  ``#...`` is numerical; a ``~`` anywhere makes multiple choice (``single`` if
  some answer starts with ``=``, else ``multiple``, whose answers all carry
  ``%weight%``); ``=`` together with ``->`` is matching; ``T``, ``TRUE``, ``F``
  or ``FALSE`` is true/false; otherwise ``=answer`` items are a short answer.
- ``\\~ \\= \\# \\{ \\} \\:`` are literal characters, ``\\\\`` is a backslash and
  ``\\n`` a line break. A backslash before anything else is kept as it is.

Moodle's reading is followed wherever Moodle accepts a file; where that reading
is probably a mistake the question is imported anyway and a ``GiftProblem``
naming the line is added to ``GiftQuestion.warnings``:

- an unknown ``[format]`` name stays in the text (default format);
- an unclosed ``::title`` is question text;
- a question with a title and no text takes its title as text (ours needs one);
- the answers run from the first ``{`` to the first ``}``; a ``{`` inside them
  is answer text, later braces are question text (``+{}|`` before the real
  answers makes an essay, as in Moodle);
- text before the first choice of a multiple choice is a 0% choice;
- ``=%50%x`` in a multiple choice is the 100% answer ``%50%x``;
- an answer without text (``{=a ~b ~}``) is left out, as Moodle does when it
  saves the question (a choice question still needs 2 choices);
- ``{True}``, ``{false}``, ``{t}``: a short answer with that one answer (only
  ``T``, ``TRUE``, ``F``, ``FALSE`` in capitals are true/false).
- a negative weight on a short or numerical answer is 0 (a typed answer never
  scores below 0);
- ``#`` in a matching question is text (matching has no feedback);
- a matching distractor equal to a pair's answer is left out.

Accepted without a warning, as in Moodle: several ``=`` answers in a multiple
choice (a ``single`` question with several 100% options: each is right);
``{One}`` or ``{5}`` (a one-answer short answer, 100%); numerical ``~#feedback``
(an "any other number" answer at 0%, ``min``/``max`` = -/+``ANY_NUMBER``);
``// [id:...]`` becomes ``question["idnumber"]``; a matching entry with an empty
prompt (``= -> answer``) is a distractor.

Still refused, with the line and what was expected (Moodle refuses these too,
or reads them into something that grades wrongly): ``{`` or ``}`` alone, ``}``
before ``{``, a choice question with fewer than 2 choices or (multiple
response) positive weights not adding up to 100%, malformed or out-of-range
weights, non-numbers in a numerical question (Moodle silently turns them into
"any answer"), short answer or numerical questions without a 100% answer, a
matching question with fewer than 2 pairs, text in the same block after
``$CATEGORY:``.

``write_gift`` writes what Moodle's exporter writes (every newline as ``\\n``,
special characters escaped, one answer per line), puts the braces of a missing
word question where the first ``_____`` is, and re-parses to equal dicts: answer
ids are regenerated as "a", "b", ... in order, so ``parse -> write -> parse`` is
the identity. GIFT cannot express ``default_mark``, ``case_sensitive``, essay
options or the general feedback of a description; those are left out
(``losses`` names those of an essay, for the export to report). It raises
``ValueError`` for questions GIFT cannot hold at all (ordering questions, a
short answer or matching prompt containing ``->``, ...).

Where each type's part lives: writing the inside of a question's braces is the
type's ``gift_write`` (``quizzes/types/<type>.py``, with the escaping helpers in
``_Writing``); what stays here is the file-level grammar (blocks, comments, tags,
categories, titles, formats, escapes, ``####`` general feedback, the missing word
blank) and the whole of reading. The reader stays in one piece on purpose: GIFT
does not name a type, the block's syntax decides it (the order above), and every
per-type reader works on the ``_Seg`` machinery that keeps line numbers across
escapes and shares the weight and feedback splitting with the others, so a cut
per type would move the grammar, not the type.
"""

from __future__ import annotations

import io
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lessons.problems import ProblemList, ProblemsError
from quizzes import grading, moodle_options
from quizzes import types as question_types

__all__ = [
    "ANY_NUMBER",
    "BLANK",
    "FORMATS",
    "GiftError",
    "GiftProblem",
    "GiftQuestion",
    "parse_gift",
    "write_gift",
]

FORMATS = ("moodle", "html", "markdown", "plain")
DEFAULT_FORMAT = "moodle"  # no [format] prefix in GIFT means Moodle auto-format
BLANK = "_____"  # what replaces the answers of a missing word question
# A numerical answer from -ANY_NUMBER to ANY_NUMBER matches every number: it is
# Moodle's "*" answer, written ``~#feedback`` in GIFT.
ANY_NUMBER = sys.float_info.max
CATEGORY_TAG = "category:"

_FORMAT_LIST = "[html], [markdown], [moodle] or [plain]"
_WEIGHT_HINT = "a percentage from -100 to 100 such as %50% or %-33.33333%"
_NUMBER_HINT = "a number such as 3, -1.5 or 2e-3"

# Escaped characters become Unicode noncharacters while the structure is parsed,
# so that "\{" never looks like a brace; they turn back into text at the end.
_ESCAPES = {
    ":": "\ufdd0",
    "#": "\ufdd1",
    "=": "\ufdd2",
    "{": "\ufdd3",
    "}": "\ufdd4",
    "~": "\ufdd5",
    "n": "\ufdd6",
}
_DECODE = str.maketrans(
    {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPES.items()}
)
_PLACEHOLDERS = frozenset(_ESCAPES.values())

_FORMAT_RE = re.compile(r"\[([A-Za-z]+)\]")
_WEIGHT_RE = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_CATEGORY_RE = re.compile(r"\$category\s*:", re.IGNORECASE)
_TRUE = ("T", "TRUE")
_FALSE = ("F", "FALSE")


# ------------------------------------------------------------------------ API


@dataclass(frozen=True)
class GiftProblem:
    """One thing wrong in a GIFT file: its 1-based line and what was expected."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class GiftError(ProblemsError):
    """A GIFT file could not be read; ``errors`` lists the first problems found
    (``lessons.problems.MAX_REPORTED``), ``more`` counts the others."""


@dataclass(frozen=True)
class GiftQuestion:
    """A parsed question, its category (or None) and the line where it starts.

    ``line`` is the question's first line that is not a comment.
    """

    question: dict
    category: str | None
    line: int
    warnings: tuple[GiftProblem, ...] = ()


def parse_gift(text: str) -> list[GiftQuestion]:
    """Parse a whole GIFT file; raise ``GiftError`` listing every problem."""
    problems = _Problems()
    questions: list[GiftQuestion] = []
    category: str | None = None
    for block in _blocks(text):
        result = _parse_block(block, category, problems)
        if isinstance(result, GiftQuestion):
            questions.append(result)
        elif isinstance(result, str):
            category = result
    if problems:
        raise GiftError(
            sorted(problems, key=lambda problem: problem.line), more=problems.more
        )
    return questions


def write_gift(
    questions: Iterable[Mapping[str, Any]], *, category: str | None = None
) -> str:
    """GIFT text for ``questions``; ``parse_gift`` reads it back to equal dicts.

    A question's category is its first ``"category:..."`` tag, else ``category``.
    A ``$CATEGORY:`` line is written whenever the category changes. GIFT cannot
    leave a category, so an uncategorised question written after a categorised
    one is read back in that category. Other tags are written as Moodle does, in
    a ``// [tag:...]`` comment above the question.
    """
    blocks: list[str] = []
    current: str | None = None
    for question in questions:
        own, tags = _split_tags(question.get("tags") or [])
        wanted = own if own is not None else category
        if wanted is not None and wanted != current:
            blocks.append(_write_category(wanted))
            current = wanted
        blocks.append(_write_question(question, tags))
    return "\n\n".join(blocks) + "\n" if blocks else ""


# -------------------------------------------------------------------- parsing


class _Problems(ProblemList):
    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[GiftProblem] = []

    def add(self, line: int, message: str) -> None:
        if self.full:
            self.more += 1
        else:
            self.append(GiftProblem(line, message))

    def warn(self, line: int, message: str) -> None:
        """Something Moodle accepts that is probably a mistake: imported anyway."""
        self.warnings.append(GiftProblem(line, message))


class _Source:
    """The encoded text of one question and the file line of each character."""

    __slots__ = ("lines", "text")

    def __init__(self, text: str, lines: list[int]) -> None:
        self.text = text
        self.lines = lines

    def line_at(self, pos: int) -> int:
        return self.lines[min(max(pos, 0), len(self.lines) - 1)]


@dataclass(frozen=True)
class _Seg:
    """A slice of a ``_Source`` that remembers where it came from."""

    src: _Source
    start: int
    end: int

    @property
    def raw(self) -> str:
        return self.src.text[self.start : self.end]

    @property
    def line(self) -> int:
        raw = self.raw
        skip = len(raw) - len(raw.lstrip())
        return self.src.line_at(self.start + (skip if skip < len(raw) else 0))

    def cut(self, start: int, end: int | None = None) -> _Seg:
        end = self.end - self.start if end is None else end
        return _Seg(self.src, self.start + start, self.start + end)

    def strip(self) -> _Seg:
        raw = self.raw
        lead = len(raw) - len(raw.lstrip())
        if lead == len(raw):
            return self.cut(0, 0)
        return self.cut(lead, len(raw.rstrip()))

    def at(self, index: int) -> int:
        """The file line of the character at ``index`` (relative)."""
        return self.src.line_at(self.start + index)

    def partition(self, sep: str) -> tuple[_Seg, _Seg | None]:
        index = self.raw.find(sep)
        if index < 0:
            return self, None
        return self.cut(0, index), self.cut(index + len(sep))

    def split_markers(self, markers: str) -> tuple[_Seg, list[tuple[str, _Seg, int]]]:
        """Split before each marker: (text before the first, [(marker, body, line)])."""
        raw = self.raw
        cuts = [i for i, char in enumerate(raw) if char in markers]
        if not cuts:
            return self, []
        items = [
            (raw[i], self.cut(i + 1, j), self.at(i))
            for i, j in zip(cuts, [*cuts[1:], len(raw)], strict=True)
        ]
        return self.cut(0, cuts[0]), items


def _decode(raw: str) -> str:
    return raw.translate(_DECODE)


def _show(raw: str, limit: int = 40) -> str:
    text = " ".join(_decode(raw).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


_ESCAPE_RE = re.compile(r"\\([\\" + re.escape("".join(_ESCAPES)) + "])")


def _encode(line: str) -> str:
    """``\\\\`` -> ``\\``, an escaped special character -> its placeholder; a
    backslash before anything else stays (one regex pass: a per-character loop
    was a third of the parse of a large bank)."""
    if "\\" not in line:
        return line
    return _ESCAPE_RE.sub(
        lambda match: "\\" if match[1] == "\\" else _ESCAPES[match[1]], line
    )


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Group the stripped non-blank lines between blank lines, with line numbers.

    One block at a time: a file of a million broken blocks is never held whole.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    current: list[tuple[int, str]] = []
    for number, line in enumerate(io.StringIO(text, newline="\n"), 1):
        stripped = line.strip()
        if stripped:
            current.append((number, stripped))
        elif current:
            yield current
            current = []
    if current:
        yield current


def _parse_block(
    block: list[tuple[int, str]], category: str | None, problems: _Problems
) -> GiftQuestion | str | None:
    """A question, a new category (str) or None for a block of comments."""
    comments = [line for _, line in block if line.startswith("//")]
    content = [(number, line) for number, line in block if not line.startswith("//")]
    if not content:
        return None
    for number, line in content:
        bad = sorted(set(line) & _PLACEHOLDERS)
        if bad:
            problems.add(number, f"unsupported character U+{ord(bad[0]):04X}")
            return None

    first_line, first = content[0]
    if first.startswith("$CATEGORY:"):
        return _parse_category(content, problems)
    if _CATEGORY_RE.match(first):
        problems.add(first_line, "malformed category line (expected '$CATEGORY: path')")
        return None

    # Moodle replaces comment lines inside a question by a single space.
    src_text: list[str] = []
    src_lines: list[int] = []
    for number, line in block:
        encoded = " " if line.startswith("//") else _encode(line)
        if src_text:
            src_text.append("\n")
            src_lines.append(src_lines[-1])
        src_text.append(encoded)
        src_lines.extend([number] * len(encoded))
    src = _Source("".join(src_text), src_lines)
    seg = _Seg(src, 0, len(src.text)).strip()

    before, warned = len(problems), len(problems.warnings)
    question = _parse_question(seg, problems)
    if question is None or len(problems) > before:
        return None
    tags = [CATEGORY_TAG + category] if category is not None else []
    tags += _comment_tags(comments)
    question["tags"] = tags
    idnumber = _comment_idnumber(comments)
    if idnumber:
        question["idnumber"] = idnumber
    return GiftQuestion(
        question=question,
        category=category,
        line=first_line,
        warnings=tuple(problems.warnings[warned:]),
    )


def _parse_category(content: list[tuple[int, str]], problems: _Problems) -> str:
    number, line = content[0]
    path = line[len("$CATEGORY:") :].strip()
    if not path:
        problems.add(number, "empty category (expected '$CATEGORY: path')")
    if len(content) > 1:
        problems.add(
            content[1][0],
            "text after the $CATEGORY line (expected a blank line before the "
            "next question)",
        )
    return path


def _comment_idnumber(comments: list[str]) -> str:
    """Moodle 3.6+: the first ``[id:...]`` of a question's comments."""
    match = _ID_RE.search("\n".join(comments))
    return match.group(1).replace("\\]", "]").strip() if match else ""


def _comment_tags(comments: list[str]) -> list[str]:
    tags = []
    for match in _TAG_RE.finditer("\n".join(comments)):
        tag = match.group(1).replace("\\]", "]").strip()
        if tag:
            tags.append(tag)
    return tags


def _formatted(
    raw: str, line: int, default: str, problems: _Problems
) -> tuple[str, str]:
    """(format, decoded text) of a text that may start with ``[format]``."""
    raw = raw.strip()
    fmt = default
    match = _FORMAT_RE.match(raw)
    if match:
        name = match.group(1)
        if name in FORMATS:
            fmt = name
            raw = raw[match.end() :]
        else:
            problems.warn(
                line,
                f"'[{name}]' is not a text format, kept as text (expected "
                f"{_FORMAT_LIST}; write '[moodle][{name}]' to start a text with "
                f"'[{name}]')",
            )
    return fmt, _decode(raw).strip()


def _text(seg: _Seg, fmt: str, problems: _Problems) -> str:
    return _formatted(seg.raw, seg.line, fmt, problems)[1]


def _parse_question(seg: _Seg, problems: _Problems) -> dict | None:
    title = ""
    if seg.raw.startswith("::"):
        rest = seg.cut(2)
        end = rest.raw.find("::")
        if end < 0:
            problems.warn(
                seg.line,
                "the title is not closed, read as question text as Moodle does "
                "(expected '::' after the title)",
            )
            seg = rest.strip()
        else:
            title = _decode(rest.raw[:end]).strip()
            seg = rest.cut(end + 2).strip()

    braces = _find_braces(seg, problems)
    if braces is None:
        return None
    if not braces:
        fmt, text = _formatted(seg.raw, seg.line, DEFAULT_FORMAT, problems)
        text = _text_or_title(text, title, seg.line, problems)
        return _common("description", title, text, fmt, "", default_mark=0.0)

    opening, closing = braces
    after = seg.raw[closing + 1 :]
    raw_text = seg.raw[:opening] + (BLANK + after if after.strip() else "")
    fmt, text = _formatted(raw_text, seg.line, DEFAULT_FORMAT, problems)
    text = _text_or_title(text, title, seg.line, problems)

    answers = seg.cut(opening + 1, closing)
    general = ""
    split = answers.raw.rfind("####")
    if split >= 0:
        general = _text(answers.cut(split + 4), fmt, problems)
        answers = answers.cut(0, split)
    answers = answers.strip()

    raw = answers.raw
    if not raw:
        return _common("essay", title, text, fmt, general)
    if raw.startswith("#"):
        parser = _parse_numerical
    elif "~" in raw:
        parser = _parse_choice
    elif "=" in raw and "->" in raw:
        parser = _parse_matching
    elif raw.split("#", 1)[0].strip() in _TRUE + _FALSE:
        parser = _parse_truefalse
    else:
        parser = _parse_shortanswer
    specific = parser(answers, fmt, problems)
    if specific is None:
        return None
    question = _common(specific.pop("type"), title, text, fmt, general)
    question.update(specific)
    return question


def _text_or_title(text: str, title: str, line: int, problems: _Problems) -> str:
    """Moodle accepts a question with a title and no text; ours needs a text."""
    if text or not title:
        return text
    problems.warn(
        line,
        "the question has no text, so its title is used as its text (expected "
        "text after '::title::')",
    )
    return title


def _common(
    qtype: str, title: str, text: str, fmt: str, general: str, default_mark=1.0
) -> dict:
    return {
        "type": qtype,
        "title": title,
        "text": text,
        "format": fmt,
        "general_feedback": general,
        "default_mark": default_mark,
        "tags": [],
    }


def _find_braces(seg: _Seg, problems: _Problems) -> tuple[int, int] | tuple[()] | None:
    """Offsets of the answer braces, () for none, None after reporting a problem."""
    raw = seg.raw
    opens = [i for i, char in enumerate(raw) if char == "{"]
    closes = [i for i, char in enumerate(raw) if char == "}"]
    if not opens and not closes:
        return ()
    if closes and (not opens or closes[0] < opens[0]):
        problems.add(
            seg.at(closes[0]),
            "'}' without a matching '{' (expected '{' before it, or '\\}' for a "
            "literal brace)",
        )
        return None
    opening = opens[0]
    if not closes:
        problems.add(
            seg.at(opening),
            "'{' is never closed (expected '}' after the answers, or '\\{' for a "
            "literal brace)",
        )
        return None
    # Moodle's rule: the answers run from the first '{' to the first '}'; any
    # other brace is text. Imported that way, with a warning.
    closing = closes[0]
    if len(opens) > 1 and opens[1] < closing:
        problems.warn(
            seg.at(opens[1]),
            "'{' inside the answers is read as text, as Moodle does (expected "
            "'\\{' for a literal brace)",
        )
    later = [i for i in (*opens, *closes) if i > closing]
    if later:
        problems.warn(
            seg.at(min(later)),
            "only the first {...} holds the answers; later braces are read as "
            "question text, as Moodle does (expected one {...} per question, a "
            "blank line between questions, or '\\{' for a literal brace)",
        )
    return opening, closing


def _weight(
    body: _Seg, line: int, problems: _Problems, low: int = -100
) -> tuple[float | None, _Seg] | None:
    """(fraction or None if no weight, rest) of an answer; None if malformed."""
    body = body.strip()
    raw = body.raw
    if not raw.startswith("%"):
        return None, body
    match = _WEIGHT_RE.match(raw)
    if match is None:
        close = raw.find("%", 1)
        if close < 0:
            problems.add(
                line, f"unclosed weight '{_show(raw, 12)}' (expected {_WEIGHT_HINT})"
            )
        else:
            problems.add(
                line,
                f"bad weight '{_show(raw[: close + 1])}' (expected {_WEIGHT_HINT})",
            )
        return None
    percent = Decimal(match.group(1))
    if low == 0 and -100 <= percent < 0:
        # Moodle stores it, but a typed answer never scores below 0.
        problems.warn(
            line,
            f"weight {match.group(0)} on a typed answer scores 0 (expected a "
            "percentage from 0 to 100)",
        )
        return 0.0, body.cut(match.end())
    if not low <= percent <= 100:
        problems.add(
            line,
            f"weight {match.group(0)} is out of range (expected a percentage "
            f"from {low} to 100)",
        )
        return None
    return float(percent / 100), body.cut(match.end())


def _leading_text(prefix: _Seg, problems: _Problems, expected: str) -> bool:
    """Report text before the first answer marker; True if there was none."""
    if not prefix.raw.strip():
        return True
    problems.add(
        prefix.line,
        f"text before the first answer: '{_show(prefix.raw)}' (expected {expected})",
    )
    return False


def _answer_and_feedback(
    body: _Seg, fmt: str, problems: _Problems, marker: str, line: int
) -> tuple[str, str] | None:
    text_seg, feedback_seg = body.partition("#")
    text = _text(text_seg, fmt, problems)
    feedback = "" if feedback_seg is None else _text(feedback_seg, fmt, problems)
    if not text:
        # Moodle skips an answer without text when it saves the question.
        problems.warn(
            line,
            f"empty answer after '{marker}' left out, as Moodle does (expected text "
            f"after '{marker}')",
        )
        return None
    return text, feedback


def _parse_choice(answers: _Seg, fmt: str, problems: _Problems) -> dict | None:
    prefix, items = answers.split_markers("~=")
    ok = True
    if prefix.raw.strip():
        # Moodle: text before the first marker is a choice worth 0%.
        problems.warn(
            prefix.line,
            f"text before the first choice: '{_show(prefix.raw)}' is read as a "
            "wrong choice, as Moodle does (expected each choice to start with '=' "
            "or '~')",
        )
        items.insert(0, ("~", prefix, prefix.line))
    single = any(marker == "=" for marker, _, _ in items)
    options = []
    for (marker, body, line), option_id in zip(
        items, grading.option_ids(), strict=False
    ):
        if marker == "=":
            fraction: float | None = 1.0
            if _WEIGHT_RE.match(body.raw.strip()):
                problems.warn(
                    line,
                    "a weight after '=' is read as answer text worth 100%, as "
                    "Moodle does (expected '~%50%answer' for partial credit)",
                )
        else:
            weighed = _weight(body, line, problems)
            if weighed is None:
                ok = False
                continue
            fraction, body = weighed
        parsed = _answer_and_feedback(body, fmt, problems, marker, line)
        if parsed is None:
            continue
        options.append(
            {
                "id": option_id,
                "text": parsed[0],
                "fraction": fraction or 0.0,
                "feedback": parsed[1],
            }
        )
    if not ok:
        return None
    line = answers.line
    if len(options) < 2:
        problems.add(
            line,
            "a multiple choice question needs at least 2 choices (expected "
            "another '~wrong answer')",
        )
        return None
    if single:
        # Several '=' answers: each one is right (Moodle keeps a single choice).
        return {"type": "single", "options": options}
    positive = math.fsum(o["fraction"] for o in options if o["fraction"] > 0)
    if positive == 0:
        problems.add(
            line,
            "multiple choice with no correct answer (expected '=' before the right "
            "answer, or '~%N%' weights on the right answers adding up to 100%)",
        )
        return None
    if round(positive, 2) != 1.0:
        problems.add(
            line,
            f"the positive weights add up to {round(positive * 100, 5):g}% "
            "(expected 100%)",
        )
        return None
    return {"type": "multiple", "options": options}


def _parse_truefalse(answers: _Seg, fmt: str, problems: _Problems) -> dict | None:
    value, rest = answers.partition("#")
    wrong = right = ""
    if rest is not None:
        wrong_seg, right_seg = rest.partition("#")
        wrong = _text(wrong_seg, fmt, problems)
        if right_seg is not None:
            right = _text(right_seg, fmt, problems)
    correct = value.raw.strip() in _TRUE
    # Moodle: {T#a#b} -> a is shown for the wrong answer, b for the right one.
    return {
        "type": "truefalse",
        "correct": correct,
        "feedback_true": right if correct else wrong,
        "feedback_false": wrong if correct else right,
    }


def _parse_shortanswer(answers: _Seg, fmt: str, problems: _Problems) -> dict | None:
    prefix, items = answers.split_markers("=")
    lead = prefix.raw.strip()
    if lead:
        # Moodle: text before the first '=' is an answer too ({One}, {5}).
        if lead.split("#", 1)[0].strip().upper() in _TRUE + _FALSE:
            problems.warn(
                prefix.line,
                f"'{_show(lead)}' is read as a short answer, as Moodle does "
                "(expected T, TRUE, F or FALSE in capitals for true/false)",
            )
        items.insert(0, ("=", prefix, prefix.line))
    ok = True
    result = []
    for marker, body, line in items:
        weighed = _weight(body, line, problems, low=0)
        if weighed is None:
            ok = False
            continue
        fraction, rest = weighed
        parsed = _answer_and_feedback(rest, fmt, problems, marker, line)
        if parsed is None:
            continue
        result.append(
            {
                "text": parsed[0],
                "fraction": 1.0 if fraction is None else fraction,
                "feedback": parsed[1],
            }
        )
    if not ok or not _has_full(result, answers.line, problems):
        return None
    return {"type": "shortanswer", "answers": result, "case_sensitive": False}


def _has_full(answers: list[dict], line: int, problems: _Problems) -> bool:
    if not answers:
        problems.add(line, "no answers (expected at least one '=answer')")
        return False
    if any(answer["fraction"] == 1.0 for answer in answers):
        return True
    problems.add(
        line,
        "no answer is worth 100% (expected at least one answer without a weight "
        "or with %100%)",
    )
    return False


def _number(raw: str, line: int, problems: _Problems, what: str) -> float | None:
    text = raw.strip()
    if _NUMBER_RE.fullmatch(text):
        return float(text)
    shown = f"'{_show(text)}'" if text else "nothing"
    problems.add(line, f"bad {what} {shown} (expected {_NUMBER_HINT})")
    return None


def _numerical_answer(
    body: _Seg, fmt: str, line: int, problems: _Problems
) -> dict | None:
    weighed = _weight(body, line, problems, low=0)
    if weighed is None:
        return None
    fraction, rest = weighed
    value_seg, feedback_seg = rest.partition("#")
    feedback = "" if feedback_seg is None else _text(feedback_seg, fmt, problems)
    answer: dict[str, Any]
    value = _decode(value_seg.raw).strip()
    if not value:
        problems.add(
            line,
            f"missing number (expected {_NUMBER_HINT}, 'value:tolerance' or "
            "'min..max')",
        )
        return None
    if value.find("..") > 0:
        low_text, high_text = value.split("..", 1)
        low = _number(low_text, line, problems, "minimum")
        high = _number(high_text, line, problems, "maximum")
        if low is None or high is None:
            return None
        if low > high:
            problems.add(
                line, f"range {value} is reversed (expected min..max with min <= max)"
            )
            return None
        answer = {"min": low, "max": high}
    else:
        number_text, _, tolerance_text = value.partition(":")
        if value.find(":") <= 0:
            number_text, tolerance_text = value, "0"
        number = _number(number_text, line, problems, "number")
        tolerance = _number(tolerance_text, line, problems, "tolerance")
        if number is None or tolerance is None:
            return None
        if tolerance < 0:
            problems.add(
                line,
                f"negative tolerance {tolerance_text.strip()} (expected 0 or more)",
            )
            return None
        answer = {"value": number, "tolerance": tolerance}
    answer["fraction"] = 1.0 if fraction is None else fraction
    answer["feedback"] = feedback
    return answer


def _parse_numerical(answers: _Seg, fmt: str, problems: _Problems) -> dict | None:
    body = answers.cut(1)
    other = body.raw.find("~")
    anything = None
    if other >= 0:
        # Moodle: from '~' on, "#feedback" for every other number, worth 0%.
        _, feedback_seg = body.cut(other + 1).partition("#")
        feedback = "" if feedback_seg is None else _text(feedback_seg, fmt, problems)
        anything = {
            "min": -ANY_NUMBER,
            "max": ANY_NUMBER,
            "fraction": 0.0,
            "feedback": feedback,
        }
        body = body.cut(0, other)
    prefix, items = body.split_markers("=")
    if prefix.raw.strip():
        items.insert(0, ("#", prefix, prefix.line))
    result = []
    ok = True
    for _, item, line in items:
        answer = _numerical_answer(item, fmt, line, problems)
        if answer is None:
            ok = False
        else:
            result.append(answer)
    if not items:
        problems.add(
            answers.line,
            f"no numerical answer (expected {_NUMBER_HINT} after '#', e.g. {{#2:0.5}})",
        )
        return None
    if not ok or not _has_full(result, answers.line, problems):
        return None
    if anything is not None:
        result.append(anything)
    return {"type": "numerical", "answers": result}


def _parse_matching(answers: _Seg, fmt: str, problems: _Problems) -> dict | None:
    prefix, items = answers.split_markers("=")
    ok = _leading_text(prefix, problems, "each pair to start with '='")
    pairs: list[dict] = []
    distractors: list[str] = []
    ids = grading.option_ids()
    for _, body, line in items:
        if "#" in body.raw:
            problems.warn(
                line,
                "'#' in a matching question is text, as Moodle reads it (matching "
                "has no feedback; expected '\\#' for a literal '#')",
            )
        arrow = body.raw.find("->")
        if arrow < 0:
            problems.add(
                line,
                f"matching pair without '->': '{_show(body.raw)}' (expected "
                "'=question -> answer')",
            )
            ok = False
            continue
        prompt = _text(body.cut(0, arrow), fmt, problems)
        answer = _decode(body.raw[arrow + 2 :]).strip()
        if not answer:
            problems.add(
                line, "empty answer after '->' (expected '=question -> answer')"
            )
            ok = False
        elif prompt:
            pairs.append({"id": next(ids), "prompt": prompt, "answer": answer})
        else:
            distractors.append(answer)
    if not ok:
        return None
    if len(pairs) < 2:
        problems.add(
            answers.line,
            "a matching question needs at least 2 pairs (expected another "
            "'=question -> answer')",
        )
        return None
    used = {pair["answer"] for pair in pairs}
    for text in [text for text in distractors if text in used]:
        # Moodle lists each answer once, so such a distractor changes nothing.
        problems.warn(
            answers.line,
            f"distractor '{text}' is also the answer of a pair, left out (expected "
            "a different wrong answer)",
        )
    distractors = [text for text in distractors if text not in used]
    return {"type": "matching", "pairs": pairs, "distractors": distractors}


# -------------------------------------------------------------------- writing


def _split_tags(tags: Sequence[str]) -> tuple[str | None, list[str]]:
    category = None
    others = []
    for tag in tags:
        if category is None and tag.startswith(CATEGORY_TAG):
            category = tag[len(CATEGORY_TAG) :]
        else:
            others.append(tag)
    return category, others


def _write_category(path: str) -> str:
    path = path.strip()
    if not path or "\n" in path or "\r" in path:
        raise ValueError(f"cannot write the category {path!r} in GIFT")
    return f"$CATEGORY: {path}"


def _write_tags(tags: list[str], idnumber: str = "") -> str:
    tokens = []
    idnumber = idnumber.strip()
    if idnumber:
        if re.search(r"[<>`\x00-\x1f\x7f]", idnumber) or idnumber.endswith("\\"):
            raise ValueError(f"cannot write the idnumber {idnumber!r} in GIFT")
        tokens.append("[id:" + idnumber.replace("]", "\\]") + "]")
    for tag in tags:
        tag = tag.strip()
        if not tag:
            continue
        if re.search(r"[<>`\x00-\x1f\x7f]", tag) or tag.endswith("\\"):
            raise ValueError(f"cannot write the tag {tag!r} in GIFT")
        tokens.append("[tag:" + tag.replace("]", "\\]") + "]")
    return "// " + " ".join(tokens) if tokens else ""


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _prefixed(text: str, fmt: str, *, force: bool = False) -> str:
    """Escaped text, behind ``[fmt]`` when it could otherwise be misread.

    The parser strips every text, so only inner whitespace matters here.
    """
    risky = bool(_FORMAT_RE.match(text)) or text.startswith(("%", "//"))
    return (f"[{fmt}]" if force or risky else "") + _escape(text)


def _fmt_number(value: Any) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"cannot write the number {value!r} in GIFT")
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _fmt_weight(fraction: Any) -> str:
    number = float(fraction)
    if not math.isfinite(number) or abs(number) > 1:
        raise ValueError(f"weight {fraction!r} is outside -1..1")
    percent = (Decimal(repr(number)) * 100).normalize()
    return "%" + format(percent, "f") + "%"


def _feedback(feedback: Any, fmt: str) -> str:
    return "#" + _prefixed(feedback, fmt) if feedback and feedback.strip() else ""


# What an essay says that GIFT has no place for, as an export reports it.
_ESSAY_LOSSES = (
    ("grader_info", "its information for graders"),
    ("response_template", "its response template"),
    ("min_word_limit", "its word limits"),
    ("max_word_limit", "its word limits"),
    ("response_format", "its response format"),
    ("response_field_lines", "its answer box lines"),
    ("response_required", "its answer being optional"),
)


def losses(question: Mapping[str, Any]) -> list[str]:
    """What of ``question`` (a dict) a GIFT file leaves out that a teacher would
    miss in Moodle: an essay's grader information, response template and Moodle
    response options (those that differ from their default), each once."""
    if question.get("type") != "essay":
        return []
    lost: list[str] = []
    for name, what in _ESSAY_LOSSES:
        value = question.get(name, moodle_options.DEFAULTS.get(name, ""))
        if value != moodle_options.DEFAULTS.get(name, "") and what not in lost:
            lost.append(what)
    return lost


def _write_question(question: Mapping[str, Any], tags: list[str]) -> str:
    qtype = question.get("type")
    fmt = question.get("format") or "markdown"
    if fmt not in FORMATS:
        raise ValueError(f"unknown text format {fmt!r} (expected one of {FORMATS})")
    kind = question_types.find(qtype)
    if kind is None:
        raise ValueError(f"GIFT cannot hold a question of type {qtype!r}")
    title = (question.get("title") or "").strip()
    text = (kind.gift_text(question) or "").strip()
    head = f"::{_escape(title)}::" if title else ""
    general = (question.get("general_feedback") or "").strip()

    # The type writes the inside of the answer block; None: no block at all.
    answers = kind.gift_write(question, fmt, _Writing)
    if answers is None:
        body = _prefixed(text, fmt, force=fmt != DEFAULT_FORMAT or not (head or text))
        lines = [head + body]
    else:
        if general:
            # Multi-line answers get the general feedback on a line of its own.
            indent = "\t" if answers.endswith("\n") else ""
            end = "\n" if indent else ""
            answers += f"{indent}####{_prefixed(general, fmt)}{end}"
        # A missing word question keeps its answers where the first blank is;
        # the spaces around the blank are kept, as the parser keeps them.
        before, blank, after = text.partition(BLANK)
        if not (blank and after.strip()):
            before, after = text, ""
        force = fmt != DEFAULT_FORMAT
        line = head + _prefixed(before, fmt, force=force)
        lines = [line + "{" + answers + "}" + _escape(after)]
    comment = _write_tags(tags, str(question.get("idnumber") or ""))
    return "\n".join([comment, *lines] if comment else lines)


class _Writing:
    """The writing helpers a type's ``gift_write`` gets (quizzes/types/base.py)."""

    ANY_NUMBER = ANY_NUMBER
    text = staticmethod(_prefixed)
    feedback = staticmethod(_feedback)
    weight = staticmethod(_fmt_weight)
    number = staticmethod(_fmt_number)
    escape = staticmethod(_escape)
