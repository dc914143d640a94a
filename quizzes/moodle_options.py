"""The question options that come from Moodle (pure): one home for their keys,
defaults, which types take them, and what students see of them.

Keys of the question dict (``docs/question-format.md``), each optional (absent
is its default, so older dicts and bank files mean what they meant):

- ``idnumber`` (str, ""): Moodle's ID number;
- ``penalty`` (float, 0.3333333): Moodle's penalty for each wrong try;
- ``hints`` (list, []): ``{"text", "show_num_correct", "clear_wrong"}``;
- ``correct_feedback``, ``partially_correct_feedback``, ``incorrect_feedback``
  (str, "") and ``show_num_correct`` (bool, False): the combined feedback of
  choice, matching and ordering questions;
- ``shuffle_answers`` (bool, True): choice and matching questions;
- ``answer_numbering`` (``NUMBERINGS``, "abc"): choice questions;
- essays only: ``response_format`` (``RESPONSE_FORMATS``, "editor"; "plain" and
  "editor" show the same text box here, "monospaced" one in a fixed-width
  font), ``response_required`` (bool, True: False is Moodle's "text input is
  optional", which also turns its word limits off), ``response_field_lines``
  (int, 15: the text box's rows), ``min_word_limit`` and ``max_word_limit``
  (int or None: the words the student is asked for, counted as
  ``quizzes.types.essay.word_count`` does).

The essay options are stored with the others so that they travel with them
(Moodle XML, JSON, a GIFT re-import keeps them) and are in the attempt's
snapshot, where the page reads them; on the Question row they share one JSON
column, ``essay_options`` (``columns`` / ``row_values``): five more columns
would make every bulk insert of questions take more batches (SQLite allows
999 parameters a query), for options only essays have. Penalty and hints are
stored and travel (Moodle XML, JSON) but change nothing
here: coursesite has no interactive mode, so there is no second try to
penalise or to give a hint before.
"""

from collections.abc import Mapping
from typing import Any

PENALTY = 0.3333333
IDNUMBER_MAX = 100  # as Moodle's
NUMBERINGS = ("abc", "ABCD", "123", "iii", "IIII", "none")
COMBINED_FEEDBACK = (
    "correct_feedback",
    "partially_correct_feedback",
    "incorrect_feedback",
)
CHOICE_TYPES = frozenset({"single", "multiple"})
COMBINED_TYPES = frozenset({"single", "multiple", "matching", "ordering"})
SHUFFLE_TYPES = frozenset({"single", "multiple", "matching"})
ESSAY_TYPES = frozenset({"essay"})
# Moodle's essay response formats that take text ("noinline", attachments
# only, is read as "editor" with a warning: coursesite takes no files).
RESPONSE_FORMATS = ("editor", "editorfilepicker", "plain", "monospaced")
FIELD_LINES_MAX = 100
WORD_LIMIT_MAX = 100_000
ESSAY_OPTIONS = (
    "response_format",
    "response_required",
    "response_field_lines",
    "min_word_limit",
    "max_word_limit",
)

DEFAULTS: dict[str, Any] = {
    "idnumber": "",
    "penalty": PENALTY,
    "hints": [],
    "correct_feedback": "",
    "partially_correct_feedback": "",
    "incorrect_feedback": "",
    "show_num_correct": False,
    "shuffle_answers": True,
    "answer_numbering": "abc",
    "response_format": "editor",
    "response_required": True,
    "response_field_lines": 15,
    "min_word_limit": None,
    "max_word_limit": None,
}
_TYPES = {
    **dict.fromkeys((*COMBINED_FEEDBACK, "show_num_correct"), COMBINED_TYPES),
    "shuffle_answers": SHUFFLE_TYPES,
    "answer_numbering": CHOICE_TYPES,
    **dict.fromkeys(ESSAY_OPTIONS, ESSAY_TYPES),
}


def applies(kind: str, name: str) -> bool:
    """Whether a question of type ``kind`` takes the option ``name``."""
    types = _TYPES.get(name)
    return types is None or kind in types


def hint(text: str, show_num_correct: bool = False, clear_wrong: bool = False) -> dict:
    return {
        "text": text,
        "show_num_correct": bool(show_num_correct),
        "clear_wrong": bool(clear_wrong),
    }


def stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every option's value for a question dict (defaults for the absent ones and
    for those its type does not take): what the Question row stores."""
    kind = data.get("type", "")
    values = {}
    for name, default in DEFAULTS.items():
        value = data.get(name, default) if applies(kind, name) else default
        values[name] = list(value) if isinstance(default, list) else value
    values["penalty"] = float(values["penalty"])
    values["hints"] = [
        hint(h.get("text", ""), h.get("show_num_correct"), h.get("clear_wrong"))
        for h in values["hints"]
    ]
    return values


ESSAY_COLUMN = "essay_options"


def columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The Question fields for ``stored`` values: a column for each option but
    the essay's, which share ``essay_options`` (only those not at default)."""
    fields = {
        name: value for name, value in values.items() if name not in ESSAY_OPTIONS
    }
    fields[ESSAY_COLUMN] = {
        name: values[name]
        for name in ESSAY_OPTIONS
        if name in values and values[name] != DEFAULTS[name]
    }
    return fields


def row_values(row: Any) -> dict[str, Any]:
    """Every option's value of a Question row (``columns`` the other way)."""
    values = {
        name: getattr(row, name) for name in DEFAULTS if name not in ESSAY_OPTIONS
    }
    essay = getattr(row, ESSAY_COLUMN, None)
    essay = essay if isinstance(essay, Mapping) else {}
    for name in ESSAY_OPTIONS:
        values[name] = essay.get(name, DEFAULTS[name])
    return values


def essay_column_problems(value: Any) -> list[str]:
    """What is wrong with an ``essay_options`` column value itself (its keys'
    values are checked by ``problems``)."""
    if not isinstance(value, Mapping):
        return ["'essay_options' must be an object, e.g. {\"min_word_limit\": 50}"]
    unknown = sorted(set(value) - set(ESSAY_OPTIONS))
    if unknown:
        return [
            f"'essay_options' has no option {', '.join(map(repr, unknown))} "
            f"(it takes {', '.join(ESSAY_OPTIONS)})"
        ]
    return []


def compact(values: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The options that differ from their default and that ``kind`` takes, in
    ``DEFAULTS`` order: what a question dict carries."""
    return {
        name: values[name]
        for name, default in DEFAULTS.items()
        if name in values and applies(kind, name) and values[name] != default
    }


def problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with the options of a question dict; [] if none."""
    found = []
    kind = data.get("type", "")
    for name in ("idnumber", *COMBINED_FEEDBACK):
        if name in data and not isinstance(data[name], str):
            found.append(f"'{name}' must be a text")
    if isinstance(data.get("idnumber"), str) and len(data["idnumber"]) > IDNUMBER_MAX:
        found.append(f"'idnumber' is longer than {IDNUMBER_MAX} characters")
    for name in ("show_num_correct", "shuffle_answers", "response_required"):
        if name in data and not isinstance(data[name], bool):
            found.append(f"'{name}' must be true or false")
    penalty = data.get("penalty", PENALTY)
    if isinstance(penalty, bool) or not isinstance(penalty, int | float):
        found.append("'penalty' must be a number from 0 to 1")
    elif not 0 <= penalty <= 1:
        found.append(f"'penalty' must be from 0 to 1, not {penalty!r}")
    if data.get("answer_numbering", "abc") not in NUMBERINGS:
        found.append(f"'answer_numbering' must be one of {', '.join(NUMBERINGS)}")
    hints = data.get("hints", [])
    if not isinstance(hints, list) or not all(
        isinstance(h, Mapping) and isinstance(h.get("text", ""), str) for h in hints
    ):
        found.append(
            '\'hints\' must be a list of {"text", "show_num_correct", '
            '"clear_wrong"} objects'
        )
    found.extend(_essay_problems(data))
    for name in (
        *COMBINED_FEEDBACK,
        "show_num_correct",
        "answer_numbering",
        *ESSAY_OPTIONS,
    ):
        if data.get(name, DEFAULTS[name]) != DEFAULTS[name] and not applies(kind, name):
            found.append(f"'{name}' is not for the type {kind!r}")
    return found


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _essay_problems(data: Mapping[str, Any]) -> list[str]:
    found = []
    if data.get("response_format", "editor") not in RESPONSE_FORMATS:
        found.append(f"'response_format' must be one of {', '.join(RESPONSE_FORMATS)}")
    lines = data.get("response_field_lines", 15)
    if not _count(lines) or not 1 <= lines <= FIELD_LINES_MAX:
        found.append(f"'response_field_lines' must be from 1 to {FIELD_LINES_MAX}")
    limits = {}
    for name in ("min_word_limit", "max_word_limit"):
        value = data.get(name)
        if value is None:
            continue
        if not _count(value) or not 1 <= value <= WORD_LIMIT_MAX:
            found.append(f"'{name}' must be empty or from 1 to {WORD_LIMIT_MAX:,}")
        else:
            limits[name] = value
    if len(limits) == 2 and limits["min_word_limit"] > limits["max_word_limit"]:
        found.append("'min_word_limit' must not be above 'max_word_limit'")
    return found


def combined_feedback(question: Mapping[str, Any], fraction: float | None) -> str:
    """The combined feedback for a graded response's fraction (Markdown): the
    correct one at 1, the partially correct one between 0 and 1, the incorrect
    one at 0 (or below); "" when ungraded or when the question has none."""
    if fraction is None:
        return ""
    if fraction >= 1 - 1e-9:
        name = "correct_feedback"
    elif fraction > 1e-9:
        name = "partially_correct_feedback"
    else:
        name = "incorrect_feedback"
    return question.get(name) or ""


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(index: int) -> str:
    label = ""
    while True:
        label = chr(ord("a") + index % 26) + label
        index = index // 26 - 1
        if index < 0:
            return label


def number_label(numbering: str, index: int) -> str:
    """The label of the option shown at ``index`` (0-based), as Moodle numbers
    choices: ``a.``, ``A.``, ``1.``, ``i.``, ``I.``, or "" for ``none``."""
    if numbering == "none":
        return ""
    label = {
        "ABCD": lambda: _letters(index).upper(),
        "123": lambda: str(index + 1),
        "iii": lambda: _roman(index + 1),
        "IIII": lambda: _roman(index + 1).upper(),
    }.get(numbering, lambda: _letters(index))()
    return f"{label}."
