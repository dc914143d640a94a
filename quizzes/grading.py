"""Scoring of quiz responses, as pure functions over plain data.

The rules of each question type live in its module, ``quizzes/types/<type>.py``
(validation, normalising, grading, the right answer); this module checks what
every question shares, dispatches to the type through the registry
(``quizzes.types``) and keeps the helpers the types share (``Grade``,
``InvalidResponse``, ``normalise_text``, ``parse_number``, ``clean_text``,
``clamp``, ``score``). The rules below are the built-in types' contract.

A question is the dict described in ``docs/question-format.md``; it is also the
frozen snapshot an attempt stores, so grading an old attempt against its snapshot
gives the same result forever. Nothing here touches the ORM, the request or the
clock.

Flow: the view passes what the form posted to ``normalise_response`` (which
returns the canonical response or raises ``InvalidResponse``, a 400), stores that,
then calls ``grade`` and ``score``. ``grade`` re-normalises its input, so a stored
response that no longer fits its snapshot fails loudly instead of scoring wrongly;
``normalise_response`` is idempotent, so this is free of side effects.

Canonical responses (``None`` always means "not answered": ``None``, ``""``,
whitespace-only text, an empty list or an empty mapping all normalise to it):

- single: an option id (str) that exists in the question.
- multiple: a list of unique existing option ids, in question order. A str is taken
  as a single id (a form with one box ticked).
- truefalse: ``True``/``False``; also accepts "true"/"false"/"1"/"0" (any case).
- shortanswer: the text stripped of surrounding whitespace, at most
  ``SHORTANSWER_MAX_CHARS`` characters.
- numerical: the text as typed (stripped), at most ``NUMERICAL_MAX_CHARS``
  characters, which must pass ``parse_number``; an int or float is accepted and
  turned into its text.
- matching: ``{pair_id: answer}`` in question order; every pair id exists and every
  answer is one of the pairs' answers or distractors (exact text). Blank answers are
  dropped (that pair is unanswered). The same answer may be used for several pairs.
- ordering: a list of item ids that is a permutation of all the question's items.
- essay: the text as typed, at most ``ESSAY_MAX_CHARS`` characters, or fewer when
  the question sets ``max_length``; ``None`` when it is the response template left
  untouched (``is_essay_template``).
- description: always ``None`` (it takes no answer; anything posted is ignored).

Text responses have "\\r\\n" turned into "\\n" before their length is counted
(browsers post CRLF but count a line break as one character) and may not contain
NUL characters (PostgreSQL cannot store them).

Scoring rules (``Grade.fraction`` is always in 0..1; a fraction within 1e-6 of 0 or
1 is snapped to it, so three options weighted 0.3333333 earn full marks):

- Unanswered: fraction 0, no feedback, ``needs_manual`` False, for every type
  except description.
- single: the chosen option's fraction, clamped to 0..1 (a negative option scores
  0). Feedback: the chosen option's feedback.
- multiple: the sum of the chosen options' weights, floored at 0 and capped at 1.
  Feedback: each chosen option's feedback, in question order.
  ``detail["sum"]`` keeps the unclamped sum.
- truefalse: 1 if the answer equals ``correct``, else 0. Feedback:
  ``feedback_true`` if the student answered True, ``feedback_false`` if False.
- shortanswer: both the response and each accepted answer go through
  ``normalise_text`` (NFKC, case folding unless ``case_sensitive``, accents removed,
  whitespace runs collapsed to one space, ends stripped). In an accepted answer
  ``*`` matches any run of characters, including none; every other character is
  literal (there is no escape for a literal ``*``). The best fraction among the
  matching answers counts (the first one listed on a tie) with its feedback;
  nothing matching scores 0 with no feedback.
- numerical: the response is read by ``parse_number`` (rules there). An answer with
  ``value`` matches when ``|x - value| <= tolerance + 1e-9 * max(|value|,
  tolerance)`` (the tiny relative slack absorbs float error such as
  1.6 - 1.5 = 0.10000000000000009); ``tolerance`` defaults to 0. An answer with
  ``min`` and ``max`` matches when ``min <= x <= max`` (inclusive, exact: both
  sides are parsed from decimals, so no subtraction error arises). Best fraction
  among matches (first on a tie) with its feedback.
- matching: correct pairs / number of pairs; unanswered pairs count as wrong.
  ``detail`` is ``{pair_id: bool}``.
- ordering: "absolute position": items sitting at their correct position / number
  of items. ``detail`` is ``{item_id: bool}``. Moodle's ordering question also
  offers relative rules (next item correct, longest ordered subset, ...); we do not.
  A single displaced item shifts the others, so [b, c, d, a] scores 0 here.
- essay: answered -> ``fraction=None, needs_manual=True``; a teacher grades it.
  Unanswered (or the untouched response template) -> 0, nobody waits for it.
- description: ``fraction=None, needs_manual=False``: not graded, no marks.

``general_feedback`` is shown to everyone by the view; it is never in
``Grade.feedback``, which only holds feedback selected by this response. Empty
feedback strings are left out.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

# The registry's modules import this one: call-time use only (see quizzes.types).
from quizzes import types as _registry

ESSAY_MAX_CHARS = 20_000
SHORTANSWER_MAX_CHARS = 1_000
NUMERICAL_MAX_CHARS = 100
# Positive weights of a multiple-response question must add up to 1 within this.
WEIGHT_SUM_TOLERANCE = 0.01

# Fractions this close to 0 or 1 are float noise (0.3333333 * 3), not a real loss.
SNAP = 1e-6


class _TypeNames(Set):
    """The names of the registered types, read from the registry when asked (a
    type registered later, such as a test's, is in it)."""

    def __init__(self, *, auto_graded_only: bool = False) -> None:
        self._auto_graded_only = auto_graded_only

    def _names(self) -> list[str]:
        return [
            qtype.name
            for qtype in _registry.all_types()
            if qtype.auto_graded or not self._auto_graded_only
        ]

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __repr__(self) -> str:
        return f"{{{', '.join(map(repr, self._names()))}}}"


QUESTION_TYPES: Set[str] = _TypeNames()
# Types a machine scores; essays wait for a teacher, descriptions carry no marks.
AUTO_GRADED_TYPES: Set[str] = _TypeNames(auto_graded_only=True)


class InvalidResponse(ValueError):
    """A tampered or ill-formed response; the view turns it into HTTP 400.

    ``str(exc)`` is a user-facing sentence in English; ``code`` is a stable
    identifier and ``params`` the values in the sentence, from which views pick a
    translated message.
    """

    def __init__(
        self, message: str, *, code: str = "invalid", params: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params or {}


# The codes an honest form can produce (a typing mistake, a text too long), as
# opposed to a tampered post: pages show these beside the question and keep the
# other answers; anything else is refused whole.
MISTAKE_CODES = frozenset(
    {"not_a_number", "ambiguous_number", "out_of_range", "too_long"}
)


@dataclass(frozen=True)
class Grade:
    """How one response scored. ``fraction`` is None when no machine can say."""

    fraction: float | None
    needs_manual: bool = False
    feedback: tuple[str, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- text


def option_label(index: int) -> str:
    """The id of the option at ``index`` in an imported question: a, b, ..., z,
    aa, ab, ... (GIFT, Moodle XML and cloze readers number options alike)."""
    label = ""
    while True:
        label = chr(ord("a") + index % 26) + label
        index = index // 26 - 1
        if index < 0:
            return label


def option_ids():
    """a, b, ..., z, aa, ab, ... without end (``option_label`` of 0, 1, 2...)."""
    index = 0
    while True:
        yield option_label(index)
        index += 1


def normalise_text(text: str, *, case_sensitive: bool = False) -> str:
    """Fold ``text`` for short-answer comparison (rules in the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    if not case_sensitive:
        # Before stripping accents: casefold can itself produce combining marks
        # ("İ" -> "i" + U+0307).
        text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFC again so scripts that NFD splits without marks (Hangul) read normally.
    return unicodedata.normalize("NFC", " ".join(text.split()))


def wildcard_match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` where ``*`` is any run of characters.

    Done with str methods rather than a regex: a teacher's "*a*a*a*a" compiled to
    ".*a.*a.*a.*a" backtracks in time growing as the response length to the power
    of the number of stars, while placing each literal piece at its leftmost
    possible position is both correct and one ``str.find`` per piece.
    """
    if "*" not in pattern:
        return pattern == text
    first, *middle, last = pattern.split("*")
    if len(text) < len(first) + len(last):
        return False
    if not (text.startswith(first) and text.endswith(last)):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


# ------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"([+-]?)([0-9.,]+)((?:e[+-]?[0-9]+)?)", re.ASCII | re.IGNORECASE)


def parse_number(text: str) -> float:
    """Read a number a student typed, or raise ``InvalidResponse``.

    - Whitespace anywhere is ignored, including non-breaking and thin spaces, so
      SI grouping works: "1 000 000", "1\\u202f000,5".
    - Compatibility forms are folded (NFKC: full-width digits) and the typographic
      minus U+2212 counts as "-". One leading "+" or "-" is allowed.
    - Exactly one "." or "," is the decimal separator: "1.5" == "1,5" == 1.5,
      ".5" and "5." are accepted. Consequently "1,000" is 1.0, not a thousand.
      Two or more separators ("1,000.5", "1.000,5", "1.2.3") are rejected with a
      message asking for the number without thousands separators.
    - An exponent is allowed: "1e3", "2.5E-2", "1,5e3".
    - Anything else ("abc", "", "nan", "inf", "0x10", "1/2") is rejected, as is a
      value too large for a float ("1e400").
    """
    if not isinstance(text, str):
        raise InvalidResponse("Enter a number.", code="not_a_number")
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    compact = compact.replace("\u2212", "-")
    if not compact:
        raise InvalidResponse("Enter a number.", code="not_a_number")
    match = _NUMBER.fullmatch(compact)
    if match is None or not any(ch.isdigit() for ch in match[2]):
        raise InvalidResponse(
            f"“{text.strip()}” is not a number.",
            code="not_a_number",
            params={"value": text.strip()},
        )
    sign, mantissa, exponent = match.groups()
    if mantissa.count(".") + mantissa.count(",") > 1:
        raise InvalidResponse(
            f"“{text.strip()}” has more than one “.” or “,”. Write the number "
            "without thousands separators, for example 1500.5.",
            code="ambiguous_number",
            params={"value": text.strip()},
        )
    value = float(sign + mantissa.replace(",", ".") + exponent)
    if not math.isfinite(value):
        raise InvalidResponse(
            f"“{text.strip()}” is too large.",
            code="out_of_range",
            params={"value": text.strip()},
        )
    return value


# ------------------------------------------------------------------ normalisation


def question_type(question: Mapping[str, Any]):
    """The registered type of ``question``; ``ValueError`` for an unknown one.

    A programming or data error, not the student's: deliberately not
    ``InvalidResponse``, so it is a 500 and not a 400.
    """
    qtype = question.get("type") if isinstance(question, Mapping) else None
    found = _registry.find(qtype)
    if found is None:
        raise ValueError(f"Unknown question type {qtype!r}.")
    return found


def is_blank(raw: Any) -> bool:
    """Whether ``raw`` is "no answer" (None, blank text, an empty collection)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple, set, frozenset, Mapping)):
        return len(raw) == 0
    return False


def clean_text(raw: Any, *, limit: int) -> str:
    """A text response with CRLF made LF, refused if not text, with NUL or over
    ``limit`` characters."""
    if not isinstance(raw, str):
        raise InvalidResponse("The answer must be text.", code="invalid_type")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise InvalidResponse(
            "The answer contains a character that is not allowed.",
            code="invalid_character",
        )
    if len(text) > limit:
        raise InvalidResponse(
            f"The answer is too long: {len(text):,} characters, the limit is "
            f"{limit:,}.",
            code="too_long",
            params={"length": len(text), "limit": limit},
        )
    return text


def is_essay_template(question: Mapping[str, Any], text: str) -> bool:
    """Whether an essay's text is its response template left as it was shown
    (spaces and line endings aside): that is no answer, not one to grade."""
    template = question.get("response_template")
    if not isinstance(template, str) or not template.strip():
        return False
    return text.split() == template.split()


def normalise_response(question: Mapping[str, Any], raw: Any) -> Any:
    """Turn what a form posted into the canonical response for the question's type.

    Returns None for "no answer"; raises ``InvalidResponse`` for a response that
    cannot have come from the question's form, and ``ValueError`` (not
    ``InvalidResponse``) for an unknown question type.
    """
    qtype = question_type(question)
    if is_blank(raw):
        return None
    return qtype.normalise(question, raw)


# ------------------------------------------------------------------------ grading


def clamp(fraction: float) -> float:
    """``fraction`` within 0..1, snapped to 0 or 1 when within ``SNAP`` of it."""
    fraction = min(1.0, max(0.0, float(fraction)))
    if fraction > 1.0 - SNAP:
        return 1.0
    if fraction < SNAP:
        return 0.0
    return fraction


def grade(question: Mapping[str, Any], response: Any) -> Grade:
    """Grade a normalised response (None = unanswered) against ``question``.

    Raises ``InvalidResponse`` if the response does not fit the question (e.g. a
    numerical response that is not a number).
    """
    qtype = question_type(question)
    return qtype.grade(question, normalise_response(question, response))


def score(
    question: Mapping[str, Any], grade: Grade, max_mark: float | None = None
) -> float | None:
    """Marks earned: ``fraction * max_mark`` rounded to 7 places, None if ungraded.

    ``max_mark`` defaults to the question's ``default_mark`` (1.0 if absent).
    """
    if grade.fraction is None:
        return None
    if max_mark is None:
        max_mark = question.get("default_mark", 1.0)
    return round(grade.fraction * float(max_mark), 7)


def correct_response(question: Mapping[str, Any]) -> Any:
    """A canonical response earning full marks; None for essay and description.

    single: the first option worth the most; multiple: every positive option;
    shortanswer: the text of the first answer worth the most (a wildcard matches
    itself, so "Peru*" is returned as is); numerical: the best answer's value, or
    the middle of its range; matching: each pair's answer; ordering: the items in
    the listed order.
    """
    return question_type(question).correct_response(question)


# --------------------------------------------------------------------- validation


def validate_question(question: Mapping[str, Any]) -> list[str]:
    """Human-readable problems that would make ``question`` grade wrongly; [] if OK.

    For the admin forms: unlike the other functions it never raises on bad data.
    What every question has is checked here, the rest by its type's ``validate``.
    """
    qtype = question.get("type") if isinstance(question, Mapping) else None
    found = _registry.find(qtype)
    if found is None:
        return [f"Unknown question type {qtype!r}."]
    problems = []
    text = question.get("text")
    if not (isinstance(text, str) and text.strip()):
        problems.append("Write the question text.")
    mark = question.get("default_mark", 1.0)
    number = (
        isinstance(mark, (int, float))
        and not isinstance(mark, bool)
        and math.isfinite(mark)
    )
    if not number or mark < 0:
        problems.append("The default mark must be a number of 0 or more.")
    return problems + found.validate(question)
