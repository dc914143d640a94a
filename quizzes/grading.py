"""Scoring of quiz responses, as pure functions over plain data.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

QUESTION_TYPES = frozenset(
    {
        "single",
        "multiple",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "ordering",
        "essay",
        "description",
    }
)
# Types a machine scores; essays wait for a teacher, descriptions carry no marks.
AUTO_GRADED_TYPES = QUESTION_TYPES - {"essay", "description"}

ESSAY_MAX_CHARS = 20_000
SHORTANSWER_MAX_CHARS = 1_000
NUMERICAL_MAX_CHARS = 100
# Positive weights of a multiple-response question must add up to 1 within this.
WEIGHT_SUM_TOLERANCE = 0.01

# Fractions this close to 0 or 1 are float noise (0.3333333 * 3), not a real loss.
_SNAP = 1e-6
_NUMERICAL_RELATIVE_SLACK = 1e-9


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


def _wildcard_match(pattern: str, text: str) -> bool:
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


def _numerical_answer_matches(answer: Mapping[str, Any], value: float) -> bool:
    if "min" in answer or "max" in answer:
        return float(answer["min"]) <= value <= float(answer["max"])
    target = float(answer["value"])
    tolerance = float(answer.get("tolerance") or 0.0)
    slack = _NUMERICAL_RELATIVE_SLACK * max(abs(target), tolerance)
    return abs(value - target) <= tolerance + slack


# ------------------------------------------------------------------ normalisation


def _question_type(question: Mapping[str, Any]) -> str:
    qtype = question.get("type") if isinstance(question, Mapping) else None
    if qtype not in QUESTION_TYPES:
        # A programming or data error, not the student's: deliberately not
        # InvalidResponse, so it is a 500 and not a 400.
        raise ValueError(f"Unknown question type {qtype!r}.")
    return qtype


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple, set, frozenset, Mapping)):
        return len(raw) == 0
    return False


def _ids(things: list[Mapping[str, Any]]) -> list[str]:
    return [thing["id"] for thing in things]


def _unknown_option() -> InvalidResponse:
    return InvalidResponse(
        "That choice is not one of this question's options.", code="unknown_option"
    )


def _normalise_single(question: Mapping[str, Any], raw: Any) -> str:
    if not isinstance(raw, str) or raw not in _ids(question["options"]):
        raise _unknown_option()
    return raw


def _normalise_multiple(question: Mapping[str, Any], raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise InvalidResponse("Choose from the listed options.", code="invalid_type")
    option_ids = _ids(question["options"])
    chosen: set[str] = set()
    for option_id in raw:
        if not isinstance(option_id, str) or option_id not in option_ids:
            raise _unknown_option()
        if option_id in chosen:
            raise InvalidResponse(
                "The same option was chosen twice.", code="duplicate_option"
            )
        chosen.add(option_id)
    return [option_id for option_id in option_ids if option_id in chosen]


_TRUE_FALSE_WORDS = {"true": True, "1": True, "false": False, "0": False}


def _normalise_truefalse(question: Mapping[str, Any], raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE_FALSE_WORDS:
        return _TRUE_FALSE_WORDS[raw.strip().lower()]
    raise InvalidResponse("Answer true or false.", code="invalid_choice")


def _clean_text(raw: Any, *, limit: int) -> str:
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


def _normalise_shortanswer(question: Mapping[str, Any], raw: Any) -> str | None:
    if isinstance(raw, str):
        raw = raw.strip()
    return _clean_text(raw, limit=SHORTANSWER_MAX_CHARS) or None


def _normalise_numerical(question: Mapping[str, Any], raw: Any) -> str | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str):
        raw = raw.strip()
    text = _clean_text(raw, limit=NUMERICAL_MAX_CHARS)
    parse_number(text)
    return text


def _normalise_matching(question: Mapping[str, Any], raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        raise InvalidResponse("Match each item to an answer.", code="invalid_type")
    pairs = question["pairs"]
    pair_ids = _ids(pairs)
    allowed = {pair["answer"] for pair in pairs}
    allowed.update(question.get("distractors") or ())
    given: dict[str, str] = {}
    for pair_id, answer in raw.items():
        if not isinstance(pair_id, str) or pair_id not in pair_ids:
            raise InvalidResponse(
                "That item is not part of this question.", code="unknown_pair"
            )
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            continue  # a select left on its empty choice: this pair is unanswered
        if not isinstance(answer, str) or answer not in allowed:
            raise InvalidResponse(
                "That answer is not one of this question's choices.",
                code="unknown_answer",
            )
        given[pair_id] = answer
    return {pair_id: given[pair_id] for pair_id in pair_ids if pair_id in given} or None


def _normalise_ordering(question: Mapping[str, Any], raw: Any) -> list[str]:
    if not isinstance(raw, (list, tuple)):
        raise InvalidResponse("Put the items in order.", code="invalid_type")
    item_ids = _ids(question["items"])
    seen: set[str] = set()
    for item_id in raw:
        if not isinstance(item_id, str) or item_id not in item_ids:
            raise InvalidResponse(
                "That item is not part of this question.", code="unknown_item"
            )
        if item_id in seen:
            raise InvalidResponse("An item appears twice.", code="duplicate_item")
        seen.add(item_id)
    if len(seen) != len(item_ids):
        raise InvalidResponse(
            "Every item must appear exactly once.", code="incomplete_order"
        )
    return list(raw)


def _normalise_essay(question: Mapping[str, Any], raw: Any) -> str | None:
    limit = ESSAY_MAX_CHARS
    max_length = question.get("max_length")
    # A bad max_length is validate_question's to report; fall back to the cap.
    if _is_number(max_length) and isinstance(max_length, int) and max_length >= 1:
        limit = min(limit, max_length)
    text = _clean_text(raw, limit=limit)
    return text if text.strip() and not is_essay_template(question, text) else None


def is_essay_template(question: Mapping[str, Any], text: str) -> bool:
    """Whether an essay's text is its response template left as it was shown
    (spaces and line endings aside): that is no answer, not one to grade."""
    template = question.get("response_template")
    if not isinstance(template, str) or not template.strip():
        return False
    return text.split() == template.split()


def _normalise_description(question: Mapping[str, Any], raw: Any) -> None:
    return None


_NORMALISERS: dict[str, Callable[[Mapping[str, Any], Any], Any]] = {
    "single": _normalise_single,
    "multiple": _normalise_multiple,
    "truefalse": _normalise_truefalse,
    "shortanswer": _normalise_shortanswer,
    "numerical": _normalise_numerical,
    "matching": _normalise_matching,
    "ordering": _normalise_ordering,
    "essay": _normalise_essay,
    "description": _normalise_description,
}


def normalise_response(question: Mapping[str, Any], raw: Any) -> Any:
    """Turn what a form posted into the canonical response for the question's type.

    Returns None for "no answer"; raises ``InvalidResponse`` for a response that
    cannot have come from the question's form, and ``ValueError`` (not
    ``InvalidResponse``) for an unknown question type.
    """
    qtype = _question_type(question)
    if _is_blank(raw):
        return None
    return _NORMALISERS[qtype](question, raw)


# ------------------------------------------------------------------------ grading


def _clamp(fraction: float) -> float:
    fraction = min(1.0, max(0.0, float(fraction)))
    if fraction > 1.0 - _SNAP:
        return 1.0
    if fraction < _SNAP:
        return 0.0
    return fraction


def _feedback(*texts: Any) -> tuple[str, ...]:
    return tuple(text for text in texts if isinstance(text, str) and text.strip())


def _best_answer(
    answers: list[Mapping[str, Any]], matches: Callable[[Mapping[str, Any]], bool]
) -> int | None:
    best: int | None = None
    for index, answer in enumerate(answers):
        better = best is None or answer["fraction"] > answers[best]["fraction"]
        if better and matches(answer):
            best = index
    return best


def _grade_single(question: Mapping[str, Any], response: str | None) -> Grade:
    if response is None:
        return Grade(0.0, detail={"chosen": None})
    option = next(opt for opt in question["options"] if opt["id"] == response)
    return Grade(
        _clamp(option["fraction"]),
        feedback=_feedback(option.get("feedback")),
        detail={"chosen": response},
    )


def _grade_multiple(question: Mapping[str, Any], response: list[str] | None) -> Grade:
    chosen = set(response or ())
    options = [opt for opt in question["options"] if opt["id"] in chosen]
    total = math.fsum(float(opt["fraction"]) for opt in options)
    return Grade(
        _clamp(total),
        feedback=_feedback(*(opt.get("feedback") for opt in options)),
        detail={"chosen": _ids(options), "sum": total},
    )


def _grade_truefalse(question: Mapping[str, Any], response: bool | None) -> Grade:
    if response is None:
        return Grade(0.0, detail={"answer": None})
    key = "feedback_true" if response else "feedback_false"
    return Grade(
        1.0 if response == question["correct"] else 0.0,
        feedback=_feedback(question.get(key)),
        detail={"answer": response},
    )


def _grade_shortanswer(question: Mapping[str, Any], response: str | None) -> Grade:
    if response is None:
        return Grade(0.0, detail={"matched": None})
    case_sensitive = bool(question.get("case_sensitive", False))
    given = normalise_text(response, case_sensitive=case_sensitive)
    answers = question["answers"]
    best = _best_answer(
        answers,
        lambda answer: _wildcard_match(
            normalise_text(answer["text"], case_sensitive=case_sensitive), given
        ),
    )
    if best is None:
        return Grade(0.0, detail={"matched": None})
    return Grade(
        _clamp(answers[best]["fraction"]),
        feedback=_feedback(answers[best].get("feedback")),
        detail={"matched": best},
    )


def _grade_numerical(question: Mapping[str, Any], response: str | None) -> Grade:
    if response is None:
        return Grade(0.0, detail={"value": None, "matched": None})
    value = parse_number(response)
    answers = question["answers"]
    best = _best_answer(
        answers, lambda answer: _numerical_answer_matches(answer, value)
    )
    if best is None:
        return Grade(0.0, detail={"value": value, "matched": None})
    return Grade(
        _clamp(answers[best]["fraction"]),
        feedback=_feedback(answers[best].get("feedback")),
        detail={"value": value, "matched": best},
    )


def _grade_matching(
    question: Mapping[str, Any], response: dict[str, str] | None
) -> Grade:
    given = response or {}
    pairs = question["pairs"]
    right = {pair["id"]: given.get(pair["id"]) == pair["answer"] for pair in pairs}
    fraction = sum(right.values()) / len(pairs) if pairs else 0.0
    return Grade(_clamp(fraction), detail=right)


def _grade_ordering(question: Mapping[str, Any], response: list[str] | None) -> Grade:
    item_ids = _ids(question["items"])
    given = response or [None] * len(item_ids)
    right = {
        item_id: item_id == at for item_id, at in zip(item_ids, given, strict=True)
    }
    fraction = sum(right.values()) / len(item_ids) if item_ids else 0.0
    return Grade(_clamp(fraction), detail=right)


def _grade_essay(question: Mapping[str, Any], response: str | None) -> Grade:
    # A template saved before it counted as no answer still must not wait for one.
    if response is None or is_essay_template(question, response):
        return Grade(0.0)
    return Grade(None, needs_manual=True)


def _grade_description(question: Mapping[str, Any], response: None) -> Grade:
    return Grade(None)


_GRADERS: dict[str, Callable[[Mapping[str, Any], Any], Grade]] = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "truefalse": _grade_truefalse,
    "shortanswer": _grade_shortanswer,
    "numerical": _grade_numerical,
    "matching": _grade_matching,
    "ordering": _grade_ordering,
    "essay": _grade_essay,
    "description": _grade_description,
}


def grade(question: Mapping[str, Any], response: Any) -> Grade:
    """Grade a normalised response (None = unanswered) against ``question``.

    Raises ``InvalidResponse`` if the response does not fit the question (e.g. a
    numerical response that is not a number).
    """
    qtype = _question_type(question)
    return _GRADERS[qtype](question, normalise_response(question, response))


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
    qtype = _question_type(question)
    if qtype == "single":
        options = question["options"]
        return max(options, key=lambda opt: opt["fraction"])["id"]
    if qtype == "multiple":
        return [opt["id"] for opt in question["options"] if opt["fraction"] > 0]
    if qtype == "truefalse":
        return bool(question["correct"])
    if qtype == "shortanswer":
        return max(question["answers"], key=lambda answer: answer["fraction"])["text"]
    if qtype == "numerical":
        best = max(question["answers"], key=lambda answer: answer["fraction"])
        if "min" in best or "max" in best:
            return str((float(best["min"]) + float(best["max"])) / 2)
        return str(float(best["value"]))
    if qtype == "matching":
        return {pair["id"]: pair["answer"] for pair in question["pairs"]}
    if qtype == "ordering":
        return _ids(question["items"])
    return None


# --------------------------------------------------------------------- validation


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_full(fraction: Any) -> bool:
    return _is_number(fraction) and abs(fraction - 1.0) < _SNAP


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100, 5):g}%"


def _check_list(
    question: Mapping[str, Any], key: str, label: str, minimum: int
) -> tuple[list[Mapping[str, Any]], list[str]]:
    """The entries of ``question[key]`` that are mappings, and problems found."""
    things = question.get(key)
    if not isinstance(things, list) or len(things) < minimum:
        wanted = f"{minimum} {label}s" if minimum > 1 else f"an {label}"
        return [], [f"Add at least {wanted}."]
    problems = [
        f"{label.capitalize()} {number} is malformed."
        for number, thing in enumerate(things, 1)
        if not isinstance(thing, Mapping)
    ]
    return [thing for thing in things if isinstance(thing, Mapping)], problems


def _check_ids(things: list[Mapping[str, Any]], label: str) -> list[str]:
    problems = []
    seen: set[str] = set()
    for number, thing in enumerate(things, 1):
        thing_id = thing.get("id")
        if not isinstance(thing_id, str) or not thing_id:
            problems.append(f"{label.capitalize()} {number} has no id.")
        elif thing_id in seen:
            problems.append(f"The {label} id “{thing_id}” is used more than once.")
        else:
            seen.add(thing_id)
    return problems


def _check_text(things: list[Mapping[str, Any]], key: str, label: str) -> list[str]:
    return [
        f"{label.capitalize()} {number} has no {key}."
        for number, thing in enumerate(things, 1)
        if not _is_text(thing.get(key))
    ]


def _check_fractions(
    things: list[Mapping[str, Any]], label: str, low: float
) -> list[str]:
    return [
        f"{label.capitalize()} {number}: the grade must be a number from "
        f"{_percent(low)} to 100%."
        for number, thing in enumerate(things, 1)
        if not _is_number(thing.get("fraction")) or not low <= thing["fraction"] <= 1.0
    ]


def _validate_options(question: Mapping[str, Any]) -> list[str]:
    options, problems = _check_list(question, "options", "option", 2)
    problems += _check_ids(options, "option")
    problems += _check_text(options, "text", "option")
    problems += _check_fractions(options, "option", -1.0)
    if question["type"] == "single":
        # Several 100% options are allowed (Moodle's several '=' answers): each is
        # right. The best option must be worth 100%.
        if options and not any(_is_full(option.get("fraction")) for option in options):
            problems.append("At least one option must be worth 100%.")
    elif options:
        total = math.fsum(
            option["fraction"]
            for option in options
            if _is_number(option.get("fraction")) and option["fraction"] > 0
        )
        if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE + _SNAP:  # 0.5 + 0.49 is fine
            problems.append(
                f"The positive option weights add up to {_percent(total)}; "
                "they must add up to 100%."
            )
    return problems


def _validate_truefalse(question: Mapping[str, Any]) -> list[str]:
    if not isinstance(question.get("correct"), bool):
        return ["Say whether the statement is true or false."]
    return []


def _validate_answers(question: Mapping[str, Any]) -> list[str]:
    answers, problems = _check_list(question, "answers", "answer", 1)
    if not answers:
        return problems
    problems += _check_fractions(answers, "answer", 0.0)
    if not any(_is_full(answer.get("fraction")) for answer in answers):
        problems.append("At least one answer must be worth 100%.")
    for number, answer in enumerate(answers, 1):
        if question["type"] == "shortanswer":
            if not _is_text(answer.get("text")):
                problems.append(f"Answer {number} has no text.")
        elif "min" in answer or "max" in answer:
            if "value" in answer:
                problems.append(
                    f"Answer {number} has both a value and a range; keep one."
                )
            if not (_is_number(answer.get("min")) and _is_number(answer.get("max"))):
                problems.append(
                    f"Answer {number}: the range needs a minimum and a maximum number."
                )
            elif answer["min"] > answer["max"]:
                problems.append(
                    f"Answer {number}: the minimum is greater than the maximum."
                )
        elif not _is_number(answer.get("value")):
            problems.append(f"Answer {number} needs a number.")
        else:
            tolerance = answer.get("tolerance", 0)
            if not _is_number(tolerance) or tolerance < 0:
                problems.append(
                    f"Answer {number}: the tolerance must be a number of 0 or more."
                )
    if question["type"] == "shortanswer" and not isinstance(
        question.get("case_sensitive", False), bool
    ):
        problems.append("“case_sensitive” must be true or false.")
    return problems


def _validate_matching(question: Mapping[str, Any]) -> list[str]:
    pairs, problems = _check_list(question, "pairs", "pair", 2)
    problems += _check_ids(pairs, "pair")
    problems += _check_text(pairs, "prompt", "pair")
    problems += _check_text(pairs, "answer", "pair")
    distractors = question.get("distractors", [])
    if not isinstance(distractors, list) or not all(map(_is_text, distractors)):
        problems.append("Distractors must be non-empty texts.")
    else:
        answers = {pair.get("answer") for pair in pairs}
        problems += [
            f"The distractor “{text}” is also the answer of a pair."
            for text in distractors
            if text in answers
        ]
    return problems


def _validate_ordering(question: Mapping[str, Any]) -> list[str]:
    items, problems = _check_list(question, "items", "item", 2)
    return problems + _check_ids(items, "item") + _check_text(items, "text", "item")


def _validate_essay(question: Mapping[str, Any]) -> list[str]:
    max_length = question.get("max_length")
    if max_length is None:
        return []
    if (
        not isinstance(max_length, int)
        or isinstance(max_length, bool)
        or not 1 <= max_length <= ESSAY_MAX_CHARS
    ):
        return [f"The maximum length must be from 1 to {ESSAY_MAX_CHARS:,} characters."]
    return []


_VALIDATORS: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "single": _validate_options,
    "multiple": _validate_options,
    "truefalse": _validate_truefalse,
    "shortanswer": _validate_answers,
    "numerical": _validate_answers,
    "matching": _validate_matching,
    "ordering": _validate_ordering,
    "essay": _validate_essay,
    "description": lambda question: [],
}


def validate_question(question: Mapping[str, Any]) -> list[str]:
    """Human-readable problems that would make ``question`` grade wrongly; [] if OK.

    For the admin forms: unlike the other functions it never raises on bad data.
    """
    if not isinstance(question, Mapping) or question.get("type") not in QUESTION_TYPES:
        qtype = question.get("type") if isinstance(question, Mapping) else None
        return [f"Unknown question type {qtype!r}."]
    problems = []
    if not _is_text(question.get("text")):
        problems.append("Write the question text.")
    mark = question.get("default_mark", 1.0)
    if not _is_number(mark) or mark < 0:
        problems.append("The default mark must be a number of 0 or more.")
    return problems + _VALIDATORS[question["type"]](question)
