"""Cloze questions (Moodle's "embedded answers", qtype_multianswer), as pure
functions over plain data.

A cloze question is a text with gaps written inside it::

    The capital of Peru is {1:SHORTANSWER:=Lima#Right~%50%Callao#Its port}.

``parse_cloze(text)`` returns the text with each gap replaced by a marker
``{#1}``, ``{#2}``, ... (as Moodle stores ``questiontext``) and the gaps as
plain dicts; ``write_cloze(text, gaps)`` writes the source text back, and
``parse_cloze(write_cloze(t, g)) == (t, g)`` for whatever ``parse_cloze`` gives
(tests/quizzes/test_cloze.py, a hypothesis property).

The syntax follows Moodle's reader (``qtype_multianswer_extract_question`` in
``question/type/multianswer/questiontype.php``):

- A gap is ``{WEIGHT:TYPE:ALTERNATIVES}``. ``WEIGHT`` is a whole number (none
  means 1): the gap's share of the question's marks. ``TYPE`` is one of
  ``TYPES`` below, in capitals, long or short (``SHORTANSWER`` or ``SA``).
- The alternatives are separated by ``~``. Each is ``[fraction]answer[#feedback]``
  where the fraction is ``=`` (100%) or ``%N%`` (N from -100 to 100, ``.`` or
  ``,`` for decimals); without one the answer is worth 0%.
- An answer ends at ``~``, ``#`` or ``}``; a feedback ends at ``~`` or ``}``.
  As in Moodle, ``#``, ``~`` and ``}`` right after ``&`` or ``&amp;`` belong
  to the answer (``&#39;`` is a character reference, not a feedback).
- ``\\}``, ``\\#``, ``\\~``, ``\\/``, ``\\"`` and ``\\\\`` are the literal
  characters (Moodle's documentation lists these; Moodle's code itself only
  turns ``\\}`` and ``\\#`` back, so a ``\\~`` written here is ``\\~`` there).
  A backslash before anything else is kept. Character references (``&amp;``,
  ``&#39;``) in answers and feedback are decoded, as Moodle does (its HTML
  editor writes them). Answers and feedback are stripped of surrounding spaces.
- NUMERICAL answers are ``value`` or ``value:tolerance`` (``=3:0.5`` is right
  from 2.5 to 3.5); ``*`` matches any number (Moodle's "any other answer", with
  its feedback). SHORTANSWER answers may use ``*`` as a wildcard, and ``*``
  alone catches every other answer.
- MULTIRESPONSE weights are rescaled as Moodle does: the positive ones are
  divided by their sum, and when no answer has a ``%N%`` weight each wrong
  answer takes away one right answer's share (``{1:MR:=a~=b~c}``: a and b are
  50%, c is -50%).
- Every fraction is rounded to 7 decimals (Moodle stores 7).

What Moodle would read into something that cannot grade (it silently keeps the
text as text, or saves a gap nobody can answer right), we refuse with the line,
the gap's number and what was expected: an unknown type, a gap that is never
closed, an empty gap or empty answer, a gap with no 100% answer (multiple
response: no positive one), a choice with fewer than 2 options, a number that is
not one, a fraction out of range, and a ``{#1}`` in the source text (it is how
gaps are marked once read). A lower-case type (``{1:sa:...}``) is refused too:
Moodle shows it to students as text.

A gap dict (``docs/question-format.md``)::

    {"id": "1", "kind": "shortanswer", "weight": 1, "case_sensitive": False,
     "answers": [{"text", "fraction", "feedback"}]}
    {"id": "2", "kind": "numerical", "weight": 1,
     "answers": [{"value", "tolerance", "fraction", "feedback"}
                 or {"min": -ANY_NUMBER, "max": ANY_NUMBER, ...} for "*"]}
    {"id": "3", "kind": "choice", "weight": 1, "display": "dropdown" |
     "vertical" | "horizontal", "shuffle": bool,
     "options": [{"id", "text", "fraction", "feedback"}]}
    {"id": "4", "kind": "multiresponse", "weight": 1, "display": "vertical" |
     "horizontal", "shuffle": bool, "options": [...]}

Each gap is graded by ``quizzes.grading`` as the question type it embeds
(shortanswer, numerical, single, multiple: ``subquestion``); the question's
fraction is the weighted mean of the gaps' fractions (Moodle: the sum of each
gap's fraction times its weight, over the sum of the weights). A response is
``{gap_id: answer}`` with each answer in its type's canonical form; unanswered
gaps are left out, and a response with no answered gap is ``None``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lessons.problems import ProblemList, ProblemsError
from quizzes import grading
from quizzes.gift import ANY_NUMBER

__all__ = [
    "ClozeError",
    "ClozeProblem",
    "KINDS",
    "TYPES",
    "correct_response",
    "grade",
    "normalise_response",
    "parse_cloze",
    "subquestion",
    "validate_gaps",
    "write_cloze",
]

KINDS = ("shortanswer", "numerical", "choice", "multiresponse")
# The question type each kind of gap is graded as.
_GRADED_AS = {
    "shortanswer": "shortanswer",
    "numerical": "numerical",
    "choice": "single",
    "multiresponse": "multiple",
}


@dataclass(frozen=True)
class GapType:
    """What one TYPE word of a gap means."""

    name: str  # Moodle's long name, which the writer uses
    kind: str
    display: str | None = None
    shuffle: bool = False
    case_sensitive: bool = False


_TYPE_LIST = [
    (GapType("SHORTANSWER", "shortanswer"), ("SA", "MW")),
    (GapType("SHORTANSWER_C", "shortanswer", case_sensitive=True), ("SAC", "MWC")),
    (GapType("NUMERICAL", "numerical"), ("NM",)),
    (GapType("MULTICHOICE", "choice", "dropdown"), ("MC",)),
    (GapType("MULTICHOICE_V", "choice", "vertical"), ("MCV",)),
    (GapType("MULTICHOICE_H", "choice", "horizontal"), ("MCH",)),
    (GapType("MULTICHOICE_S", "choice", "dropdown", True), ("MCS",)),
    (GapType("MULTICHOICE_VS", "choice", "vertical", True), ("MCVS",)),
    (GapType("MULTICHOICE_HS", "choice", "horizontal", True), ("MCHS",)),
    (GapType("MULTIRESPONSE", "multiresponse", "vertical"), ("MR",)),
    (GapType("MULTIRESPONSE_H", "multiresponse", "horizontal"), ("MRH",)),
    (GapType("MULTIRESPONSE_S", "multiresponse", "vertical", True), ("MRS",)),
    (GapType("MULTIRESPONSE_HS", "multiresponse", "horizontal", True), ("MRHS",)),
]
TYPES: dict[str, GapType] = {}
for _gap_type, _short in _TYPE_LIST:
    TYPES[_gap_type.name] = _gap_type
    for _name in _short:
        TYPES[_name] = _gap_type
_TYPE_HINT = (
    "SHORTANSWER (SA, MW), SHORTANSWER_C (SAC, MWC), NUMERICAL (NM), "
    "MULTICHOICE (MC, MCV, MCH, MCS, MCVS, MCHS) or "
    "MULTIRESPONSE (MR, MRH, MRS, MRHS)"
)
_KIND_LABELS = {
    "shortanswer": "short answer",
    "numerical": "numerical",
    "choice": "multiple choice",
    "multiresponse": "multiple response",
}

# Where a gap starts: "{", a weight (maybe none), ":", a type word, ":".
_START = re.compile(r"\{([0-9]*):([A-Za-z][A-Za-z_]*):")
# A gap once read: what ``parse_cloze`` leaves in the text.
MARKER = re.compile(r"\{#([0-9]+)\}")
_FRACTION = re.compile(r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%")
_NUMBER = r"-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_NUMERICAL = re.compile(rf"({_NUMBER})(?::({_NUMBER}))?")
_ESCAPABLE = frozenset('}#~/"\\')
_PLACES = 7  # Moodle keeps fractions to 7 decimals
_SNAP = 1e-6


@dataclass(frozen=True)
class ClozeProblem:
    """One thing wrong in a cloze text: its 1-based line, the gap's number
    (None when the problem is outside any gap) and what was expected."""

    line: int
    gap: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.gap is not None:
            where += f", gap {self.gap}"
        return f"{where}: {self.message}"


class ClozeError(ProblemsError):
    """A cloze text could not be read; ``errors`` are its first problems
    (``lessons.problems.MAX_REPORTED``), ``more`` counts the others."""


# ------------------------------------------------------------------- parsing


@dataclass
class _Alternative:
    fraction: float
    weighted: bool  # written with %N% (Moodle's "specific fraction")
    text: str
    feedback: str
    line: int


class _Reader:
    """Reads the gaps of one text, collecting problems."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems = ProblemList()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        low, high = 0, len(self._line_starts)
        while high - low > 1:
            middle = (low + high) // 2
            if self._line_starts[middle] <= offset:
                low = middle
            else:
                high = middle
        return low + 1

    def problem(self, offset: int, gap: int | None, message: str) -> None:
        self.problems.append(ClozeProblem(self.line(offset), gap, message))

    # -- scanning ----------------------------------------------------------

    def scan(self, start: int, stops: str, *, after_amp: bool) -> int:
        """The offset of the first character of ``stops`` from ``start`` that
        is not escaped (nor, with ``after_amp``, right after ``&`` or
        ``&amp;``), or ``len(text)``."""
        text, position, end = self.text, start, len(self.text)
        while position < end:
            char = text[position]
            if char == "\\" and position + 1 < end and text[position + 1] in _ESCAPABLE:
                position += 2
                continue
            if char in stops and not (
                after_amp
                and position > start
                and (
                    text[position - 1] == "&" or text.endswith("&amp;", start, position)
                )
            ):
                return position
            position += 1
        return end

    def alternatives(self, start: int, number: int) -> tuple[list[_Alternative], int]:
        """The alternatives of the gap whose first one starts at ``start`` and
        the offset just after its ``}`` (-1 when it is never closed)."""
        text, found = self.text, []
        # Moodle allows a "~" right after the type: {1:SHORTANSWER:~=Antoinette}.
        position = start + 1 if text.startswith("~", start) else start
        while True:
            weighted = False
            fraction = 0.0
            match = _FRACTION.match(text, position)
            if match:
                if match.group(0) == "=":
                    fraction = 1.0
                else:
                    weighted = True
                    fraction = _percent(match.group(1))
                position = match.end()
            answer_end = self.scan(position, "~#}", after_amp=True)
            answer = _text(text[position:answer_end])
            feedback = ""
            end = answer_end
            if end < len(text) and text[end] == "#":
                end = self.scan(end + 1, "~}", after_amp=False)
                feedback = _text(text[answer_end + 1 : end])
            found.append(
                _Alternative(fraction, weighted, answer, feedback, self.line(position))
            )
            if end >= len(text):
                return found, -1
            if text[end] == "}":
                return found, end + 1
            position = end + 1  # after "~"

    def plain(self, start: int, end: int) -> str:
        """The text between gaps, refusing a ``{#N}`` marker in it (inside a gap,
        in an answer or feedback, ``{#N}`` is only text)."""
        for marker in MARKER.finditer(self.text, start, end):
            self.problem(
                marker.start(),
                None,
                f"“{marker.group(0)}” is how a gap is marked once read; it cannot "
                "be part of the text (write it with a space, “{ #1}”)",
            )
        return self.text[start:end]

    def read(self) -> tuple[str, list[dict]]:
        text = self.text
        pieces: list[str] = []
        gaps: list[dict] = []
        position = 0
        number = 0
        while True:
            match = _START.search(text, position)
            if match is None:
                pieces.append(self.plain(position, len(text)))
                break
            number += 1
            pieces.append(self.plain(position, match.start()))
            weight_text, type_word = match.group(1), match.group(2)
            gap_type = TYPES.get(type_word)
            if gap_type is None:
                hint = ""
                if type_word.upper() in TYPES:
                    hint = " (types are written in capitals)"
                self.problem(
                    match.start(),
                    number,
                    f"unknown type “{type_word}”{hint}; expected {_TYPE_HINT}",
                )
                close = self.scan(match.end(), "}", after_amp=False)
                if close >= len(text):
                    self.problem(match.start(), number, _UNCLOSED)
                    break
                position = close + 1
                pieces.append(f"{{#{number}}}")
                continue
            alternatives, end = self.alternatives(match.end(), number)
            if end < 0:
                self.problem(match.start(), number, _UNCLOSED)
                break
            gap = self.gap(
                str(number),
                int(weight_text) if weight_text else 1,
                gap_type,
                alternatives,
                match.start(),
            )
            if gap is not None:
                gaps.append(gap)
            pieces.append(f"{{#{number}}}")
            position = end
        if number == 0 and not self.problems:
            self.problem(
                0,
                None,
                "the text has no gap; write one such as {1:SHORTANSWER:=answer}",
            )
        return "".join(pieces), gaps

    # -- one gap -------------------------------------------------------------

    def gap(
        self,
        gap_id: str,
        weight: int,
        gap_type: GapType,
        alternatives: list[_Alternative],
        offset: int,
    ) -> dict | None:
        number = int(gap_id)
        label = f"{gap_type.name} ({_KIND_LABELS[gap_type.kind]})"
        before = self.problems.total

        def problem(message: str, line: int | None = None) -> None:
            self.problems.append(
                ClozeProblem(line or self.line(offset), number, f"{label}: {message}")
            )

        if len(alternatives) == 1 and not alternatives[0].text:
            problem("the gap is empty; write its answers, the right one with “=”")
            return None
        for index, alt in enumerate(alternatives, 1):
            if not alt.text:
                problem(f"answer {index} is empty", alt.line)
            if math.isnan(alt.fraction):
                problem(
                    f"answer {index}: the weight is not a number; expected "
                    "%N% with N from -100 to 100",
                    alt.line,
                )
            elif not -1.0 <= alt.fraction <= 1.0:
                problem(
                    f"answer {index}: the weight {_format_percent(alt.fraction)} is "
                    "out of range; expected -100% to 100%",
                    alt.line,
                )
            elif alt.fraction < 0 and gap_type.kind in ("shortanswer", "numerical"):
                problem(
                    f"answer {index}: a typed answer cannot be worth less than 0% "
                    f"({_format_percent(alt.fraction)})",
                    alt.line,
                )
        kind = gap_type.kind
        gap: dict[str, Any] = {"id": gap_id, "kind": kind, "weight": weight}
        if kind == "shortanswer":
            gap["case_sensitive"] = gap_type.case_sensitive
            gap["answers"] = [
                {"text": alt.text, "fraction": alt.fraction, "feedback": alt.feedback}
                for alt in alternatives
            ]
        elif kind == "numerical":
            answers = []
            for index, alt in enumerate(alternatives, 1):
                answer = _numerical_answer(alt.text)
                if answer is None:
                    if alt.text:
                        problem(
                            f"answer {index}: “{alt.text}” is not a number; expected "
                            "a number such as 3 or -1.5, a number and its tolerance "
                            "such as 3:0.5, or * for any other number",
                            alt.line,
                        )
                    continue
                answer.update(fraction=alt.fraction, feedback=alt.feedback)
                answers.append(answer)
            gap["answers"] = answers
        else:
            gap["display"] = gap_type.display
            gap["shuffle"] = gap_type.shuffle
            fractions = [alt.fraction for alt in alternatives]
            if kind == "multiresponse":
                fractions = _rescale(
                    fractions, weighted=any(alt.weighted for alt in alternatives)
                )
            gap["options"] = [
                {
                    "id": option_id,
                    "text": alt.text,
                    "fraction": fraction,
                    "feedback": alt.feedback,
                }
                for alt, fraction, option_id in zip(
                    alternatives, fractions, grading.option_ids(), strict=False
                )
            ]
            if len(alternatives) < 2:
                problem(
                    "a choice needs at least 2 options, separated by “~”; "
                    f"only “{alternatives[0].text}” is written"
                )
        values = [alt.fraction for alt in alternatives]
        if kind == "multiresponse":
            if not any(value > 0 for value in values):
                problem(
                    "no option is right; mark the right ones with “=” (or a "
                    "positive %N%)"
                )
        elif not any(abs(value - 1.0) < _SNAP for value in values):
            problem("no answer is worth 100%; mark the right one with “=”")
        if self.problems.total > before:
            return None
        return gap


_UNCLOSED = "the gap is never closed; expected “}” after its last answer"


def _text(raw: str) -> str:
    """An answer's or feedback's text: references decoded, escapes undone."""
    decoded = html.unescape(raw)
    out: list[str] = []
    position, end = 0, len(decoded)
    while position < end:
        char = decoded[position]
        if char == "\\" and position + 1 < end and decoded[position + 1] in _ESCAPABLE:
            out.append(decoded[position + 1])
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out).strip()


def _percent(number: str) -> float:
    try:
        value = Decimal(number.replace(",", ".")) / 100
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return math.nan
    return round(float(value), _PLACES)


def _format_percent(fraction: float) -> str:
    return f"{round(fraction * 100, 5):g}%"


def _numerical_answer(text: str) -> dict | None:
    if text == "*":
        return {"min": -ANY_NUMBER, "max": ANY_NUMBER}
    match = _NUMERICAL.fullmatch(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    tolerance = float(match.group(2).replace(",", ".")) if match.group(2) else 0.0
    if not (math.isfinite(value) and math.isfinite(tolerance)):
        return None
    return {"value": value, "tolerance": tolerance}


def _rescale(fractions: list[float], *, weighted: bool) -> list[float]:
    """Moodle's multiple-response weights: positive ones add up to 1, and
    without any %N% each wrong answer cancels one right answer."""
    total = math.fsum(value for value in fractions if value > 0)
    if not total:
        return fractions
    scaled = []
    for value in fractions:
        if value > 0:
            # Already adding up to 1 (a file we wrote): left as written, so that
            # parse -> write -> parse changes nothing.
            scaled.append(value if abs(total - 1) < _SNAP else value / total)
        elif not weighted:
            scaled.append(-1.0 / total)
        else:
            scaled.append(value)
    return [round(value, _PLACES) + 0.0 for value in scaled]


def parse_cloze(text: str) -> tuple[str, list[dict]]:
    """The text with ``{#N}`` markers and its gaps; raise ``ClozeError``
    listing every problem (rules in the module docstring)."""
    reader = _Reader(text)
    result = reader.read()
    if reader.problems:
        raise ClozeError(
            sorted(reader.problems, key=lambda p: (p.line, p.gap or 0)),
            more=reader.problems.more,
        )
    return result


# ------------------------------------------------------------------- writing


def _type_name(gap: Mapping[str, Any]) -> str:
    kind = gap["kind"]
    if kind == "shortanswer":
        return "SHORTANSWER_C" if gap.get("case_sensitive") else "SHORTANSWER"
    if kind == "numerical":
        return "NUMERICAL"
    base = "MULTICHOICE" if kind == "choice" else "MULTIRESPONSE"
    letter = {"dropdown": "", "vertical": "V", "horizontal": "H"}[
        gap.get("display") or ("dropdown" if kind == "choice" else "vertical")
    ]
    if kind == "multiresponse":
        letter = letter.replace("V", "")
    suffix = letter + ("S" if gap.get("shuffle") else "")
    return f"{base}_{suffix}" if suffix else base


def _escape(text: str, *, answer: bool) -> str:
    """Text as written inside a gap, so that ``_text`` reads it back."""
    escaped = "".join(f"\\{char}" if char in "\\}#~" else char for char in text)
    if html.unescape(escaped) != escaped:
        escaped = escaped.replace("&", "&amp;")
    if answer:
        # Moodle does not end an answer right after "&" or "&amp;".
        for tail in ("&amp;", "&"):
            if escaped.endswith(tail):
                escaped = escaped[: -len(tail)] + "&#38;"
                break
    return escaped


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _written_fraction(fraction: float, text: str, *, always: bool) -> str:
    if not always:
        if fraction == 1.0:
            return "="
        if fraction == 0.0 and not text.startswith(("=", "%")):
            return ""
    percent = (Decimal(repr(float(fraction))) * 100).normalize()
    return f"%{percent:f}%"


def _gap_source(gap: Mapping[str, Any]) -> str:
    kind = gap["kind"]
    alternatives = []
    for answer in gap["answers" if kind in ("shortanswer", "numerical") else "options"]:
        if kind == "numerical":
            if answer.get("min") == -ANY_NUMBER and answer.get("max") == ANY_NUMBER:
                body = "*"
            elif "min" in answer:
                # Cloze has no ranges: the same numbers as a value and tolerance.
                low, high = float(answer["min"]), float(answer["max"])
                body = f"{_number((low + high) / 2)}:{_number((high - low) / 2)}"
            else:
                body = _number(answer["value"])
                if answer.get("tolerance"):
                    body += f":{_number(answer['tolerance'])}"
        else:
            body = _escape(answer["text"], answer=True)
        prefix = _written_fraction(
            float(answer["fraction"]), body, always=kind == "multiresponse"
        )
        feedback = answer.get("feedback") or ""
        if feedback:
            body += "#" + _escape(feedback, answer=False)
        alternatives.append(prefix + body)
    return f"{{{int(gap.get('weight', 1))}:{_type_name(gap)}:{'~'.join(alternatives)}}}"


def write_cloze(text: str, gaps: list[Mapping[str, Any]]) -> str:
    """The source text of a cloze question: each ``{#id}`` marker of ``text``
    replaced by its gap written out. Raises ``ValueError`` when a gap has no
    marker (or two), a marker no gap, or the text reads as a gap of its own."""
    by_id = {str(gap["id"]): gap for gap in gaps}
    if len(by_id) != len(gaps):
        raise ValueError("Two gaps have the same id.")
    for piece in MARKER.split(text)[::2]:
        stray = _START.search(piece)
        if stray:
            raise ValueError(
                f"The text outside the gaps reads as a gap: {stray.group(0)}"
            )
    used: list[str] = []

    def replace(match: re.Match) -> str:
        gap_id = match.group(1)
        if gap_id not in by_id:
            raise ValueError(f"The marker {match.group(0)} has no gap.")
        if gap_id in used:
            raise ValueError(f"The marker {match.group(0)} is used twice.")
        used.append(gap_id)
        return _gap_source(by_id[gap_id])

    source = MARKER.sub(replace, text)
    missing = [gap_id for gap_id in by_id if gap_id not in used]
    if missing:
        raise ValueError(f"Gap {missing[0]} has no marker in the text.")
    return source


# ------------------------------------------------------- checking gap dicts


def subquestion(gap: Mapping[str, Any]) -> dict:
    """The gap as the question dict ``quizzes.grading`` grades it as."""
    kind = gap["kind"]
    question: dict[str, Any] = {"type": _GRADED_AS[kind], "text": f"gap {gap['id']}"}
    if kind in ("shortanswer", "numerical"):
        question["answers"] = gap["answers"]
        if kind == "shortanswer":
            question["case_sensitive"] = bool(gap.get("case_sensitive", False))
    else:
        question["options"] = gap["options"]
    return question


def validate_gaps(gaps: Any) -> list[str]:
    """Problems that would make the gaps of a cloze question dict grade wrongly
    (each named by its gap); [] when they are fine. Never raises."""
    if not isinstance(gaps, list) or not gaps:
        return ["A cloze question needs at least one gap."]
    problems: list[str] = []
    seen: set[str] = set()
    total_weight = 0
    for number, gap in enumerate(gaps, 1):
        if not isinstance(gap, Mapping):
            problems.append(f"Gap {number} is malformed.")
            continue
        gap_id = gap.get("id")
        name = (
            f"Gap {gap_id}" if isinstance(gap_id, str) and gap_id else f"Gap {number}"
        )
        if not isinstance(gap_id, str) or not gap_id:
            problems.append(f"{name} has no id.")
        elif gap_id in seen:
            problems.append(f"The gap id “{gap_id}” is used more than once.")
        else:
            seen.add(gap_id)
        weight = gap.get("weight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
            problems.append(f"{name}: the weight must be a whole number of 0 or more.")
        else:
            total_weight += weight
        kind = gap.get("kind")
        if kind not in KINDS:
            problems.append(
                f"{name}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}."
            )
            continue
        if kind in ("choice", "multiresponse"):
            allowed = ("dropdown", "vertical", "horizontal")
            if kind == "multiresponse":
                allowed = allowed[1:]
            if gap.get("display") not in allowed:
                problems.append(
                    f"{name}: “display” must be one of {', '.join(allowed)}."
                )
            if not isinstance(gap.get("shuffle", False), bool):
                problems.append(f"{name}: “shuffle” must be true or false.")
        key = "answers" if kind in ("shortanswer", "numerical") else "options"
        if not isinstance(gap.get(key), list):
            problems.append(f"{name}: add its {key}.")
            continue
        problems += [
            f"{name}: {problem}"
            for problem in grading.validate_question(subquestion(gap))
        ]
    if not problems and total_weight == 0:
        problems.append("Every gap has weight 0: give one a weight of 1 or more.")
    return problems


# -------------------------------------------------------------- responses


def _gap_error(gap: Mapping[str, Any], error: grading.InvalidResponse):
    return grading.InvalidResponse(
        f"Gap {gap['id']}: {error.message}",
        code=error.code,
        params={**error.params, "gap": gap["id"]},
    )


def normalise_response(gaps: list[Mapping[str, Any]], raw: Any) -> dict | None:
    """``{gap_id: answer}`` with each answer normalised as its gap's type
    (unanswered gaps left out), or None when no gap is answered. Raises
    ``InvalidResponse`` (its message naming the gap) for what no form posts."""
    if raw is None or (isinstance(raw, (str, list, Mapping)) and not raw):
        return None
    if not isinstance(raw, Mapping):
        raise grading.InvalidResponse(
            "Answer the gaps of the text.", code="invalid_type"
        )
    by_id = {gap["id"]: gap for gap in gaps}
    unknown = [key for key in raw if key not in by_id]
    if unknown:
        raise grading.InvalidResponse(
            "That gap is not part of this question.", code="unknown_gap"
        )
    answers: dict[str, Any] = {}
    for gap in gaps:
        if gap["id"] not in raw:
            continue
        try:
            value = grading.normalise_response(subquestion(gap), raw[gap["id"]])
        except grading.InvalidResponse as error:
            raise _gap_error(gap, error) from error
        if value is not None:
            answers[gap["id"]] = value
    return answers or None


def grade(gaps: list[Mapping[str, Any]], response: Any) -> grading.Grade:
    """Each gap graded as its type, and the weighted mean of their fractions.

    ``detail["gaps"]`` is ``{gap_id: {"fraction", "feedback", "detail"}}`` in
    gap order (every gap, answered or not), ``detail["parts"]`` the same
    fractions alone ``{gap_id: fraction}`` (what statistics per part read);
    ``feedback`` is every gap's feedback in order.
    """
    answers = normalise_response(gaps, response) or {}
    parts: dict[str, dict] = {}
    feedback: list[str] = []
    earned = 0.0
    total = 0
    for gap in gaps:
        try:
            part = grading.grade(subquestion(gap), answers.get(gap["id"]))
        except grading.InvalidResponse as error:
            raise _gap_error(gap, error) from error
        weight = int(gap.get("weight", 1))
        earned += weight * (part.fraction or 0.0)
        total += weight
        feedback += part.feedback
        parts[gap["id"]] = {
            "fraction": part.fraction,
            "feedback": list(part.feedback),
            "detail": dict(part.detail),
        }
    fraction = earned / total if total else 0.0
    if fraction > 1 - _SNAP:
        fraction = 1.0
    elif fraction < _SNAP:
        fraction = 0.0
    return grading.Grade(
        fraction,
        feedback=tuple(feedback),
        detail={
            "parts": {gap_id: part["fraction"] for gap_id, part in parts.items()},
            "gaps": parts,
        },
    )


def correct_response(gaps: list[Mapping[str, Any]]) -> dict:
    """A response earning full marks: each gap's own right answer."""
    return {gap["id"]: grading.correct_response(subquestion(gap)) for gap in gaps}
