"""Moodle's Aiken format (single choice questions written by hand), read as pure
functions over plain data.

``parse_aiken(text)`` gives the question dicts of ``docs/question-format.md``
(type ``single``); ``read_aiken(text)`` gives the same questions with their
lines (``gift.GiftQuestion``, so the bank stores them as it stores GIFT) and
the warnings. Like ``quizzes.gift`` it is all or nothing: every problem is
collected with its line and raised together as one ``AikenError`` (a
``GiftError``), the first ``lessons.problems.MAX_REPORTED`` kept and the others
counted.

The rules are those of Moodle's importer (``question/format/aiken/format.php``),
so a file Moodle takes is taken here and read the same way:

- Lines end with ``\\n``, ``\\r\\n`` or ``\\r``; each line is trimmed, and a line
  shorter than 2 bytes (blank, or one ASCII character) is skipped. Blank lines
  between questions are not needed.
- A line starting with a capital letter and ``)`` or ``.`` is a choice (``A)``,
  ``B.``, with or without a space after it); its text is the rest of the line.
  ``a)``, ``1.`` or ``(A)`` are not choices. A choice with no text is left out
  (Moodle skips empty answers when saving), with a warning.
- A line starting with ``ANSWER:`` (in capitals) ends the question: the first
  character after the colon is the letter of the one right choice. Anything
  after that letter (``ANSWER: C, D``) is ignored, with a warning: an Aiken
  question has one right answer.
- Any other line starts a new question: the whole line is its text, so a
  question's text is ONE line.

What Moodle refuses (and so do we, naming the line and what was expected): a
line that starts a question while the one before has no ANSWER line yet (a
stem over two lines, ``Answer:`` in lower case, a ``Feedback:`` line between
the choices), a choice or ANSWER line outside a question, fewer than 2
choices, an answer letter that names no choice (``ANSWER: E`` with four
choices, ``ANSWER: b``), a file with no question at all.

A question left unfinished at the end of the file (a ``FEEDBACK:`` line after
the last ANSWER, or a last question without ANSWER) is silently dropped by
Moodle; we drop it too, as it keeps files Moodle takes importable, but with a
warning that names its line.

Moodle escapes the texts as HTML and stores them as HTML, so they show as
written. Ours are stored as written with ``"format": "plain"`` (the bank keeps
Markdown, as for GIFT). Questions have no title: the bank names them by their
text, as Moodle does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lessons.problems import ProblemList
from quizzes.gift import GiftError, GiftProblem, GiftQuestion

__all__ = ["AikenBank", "AikenError", "looks_like_aiken", "parse_aiken", "read_aiken"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CHOICE = re.compile(r"[A-Z][).]")
_LOWER_CHOICE = re.compile(r"[a-z][).]")
_ANSWER = "ANSWER:"
_ANSWER_ANY_CASE = re.compile(r"answer\s*:", re.IGNORECASE)
_PHP_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes (not every Unicode space)
_EXCERPT = 40


class AikenError(GiftError):
    """An Aiken file could not be read: ``errors`` (with lines) and ``more``."""


@dataclass
class AikenBank:
    """The questions of an Aiken file (with their lines) and what was left out."""

    questions: list[GiftQuestion] = field(default_factory=list)
    warnings: ProblemList = field(default_factory=ProblemList)


@dataclass
class _Open:
    """A question being read: its stem line and its choices (text or None if
    empty, by position: the letter counts empty choices too, as in Moodle)."""

    line: int
    text: str
    choices: list[str] = field(default_factory=list)


def parse_aiken(text: str) -> list[dict]:
    """The question dicts of an Aiken file; raise ``AikenError`` on any problem."""
    return [item.question for item in read_aiken(text).questions]


def read_aiken(text: str) -> AikenBank:
    """Read a whole Aiken file; raise ``AikenError`` listing every problem."""
    problems = ProblemList()
    bank = AikenBank()
    current: _Open | None = None
    last_answer = 0  # line of the last ANSWER, for a choice that comes after it
    number = 0
    for number, raw in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), 1):
        line = raw.strip(_PHP_TRIM)
        if len(line.encode("utf-8")) < 2:
            continue
        if _CHOICE.match(line):
            if current is None:
                problems.append(_outside(number, line, last_answer))
                continue
            current.choices.append(line[2:].strip(_PHP_TRIM))
        elif line.startswith(_ANSWER):
            if current is None:
                problems.append(_outside(number, line, last_answer))
                continue
            question = _finish(current, number, line, problems, bank.warnings)
            if question is not None:
                bank.questions.append(question)
            current, last_answer = None, number
        else:
            if current is not None:
                problems.append(_not_complete(current, number, line))
            current = _Open(number, line)
    if current is not None:
        if bank.questions or problems:
            bank.warnings.append(
                GiftProblem(
                    current.line,
                    f"{_quote(current.text)} is not followed by choices and an "
                    "ANSWER line, so it is left out (as Moodle does at the end "
                    "of a file)",
                )
            )
        else:
            problems.append(
                GiftProblem(
                    current.line,
                    f"the question {_quote(current.text)} has no ANSWER line "
                    "(expected 'ANSWER: A' after its choices)",
                )
            )
    if not bank.questions and not problems:
        problems.append(
            GiftProblem(
                1,
                "no question in the file (expected a question's text on one line, "
                "its choices 'A) ...', 'B) ...' and 'ANSWER: A')",
            )
        )
    if problems:
        raise AikenError(problems, more=problems.more)
    return bank


def looks_like_aiken(text: str) -> bool:
    """Whether the text has an ``ANSWER:`` line and a choice line (sniffing)."""
    lines = [line.strip(_PHP_TRIM) for line in _LINE_BREAK.split(text[:65536])]
    return any(line.startswith(_ANSWER) for line in lines) and any(
        _CHOICE.match(line) for line in lines
    )


# ------------------------------------------------------------------ helpers


def _finish(
    current: _Open,
    number: int,
    line: str,
    problems: ProblemList,
    warnings: ProblemList,
) -> GiftQuestion | None:
    """The question an ANSWER line completes, or None after adding its problem."""
    filled = [choice for choice in current.choices if choice]
    if len(filled) < 2:
        problems.append(
            GiftProblem(
                number,
                f"the question on line {current.line} has {len(filled)} "
                "choice(s) with text (expected at least 2 choices, one per line, "
                "such as 'A) ...' and 'B) ...')",
            )
        )
        return None
    rest = line[len(_ANSWER) :].strip(_PHP_TRIM)
    letter = rest[:1]
    last = chr(ord("A") + len(current.choices) - 1)
    span = f"A to {last}"
    if not letter:
        problems.append(
            GiftProblem(number, f"ANSWER without a letter (expected a letter {span})")
        )
        return None
    index = ord(letter) - ord("A")
    if not 0 <= index < len(current.choices):
        hint = "a capital letter" if letter.isalpha() else "a letter"
        problems.append(
            GiftProblem(
                number,
                f"'ANSWER: {letter}' names no choice (expected {hint} from {span})",
            )
        )
        return None
    if not current.choices[index]:
        problems.append(
            GiftProblem(
                number,
                f"'ANSWER: {letter}' names a choice with no text (expected the "
                "letter of a choice that has text)",
            )
        )
        return None
    if rest[1:].strip(_PHP_TRIM):
        warnings.append(
            GiftProblem(
                number,
                f"only {letter} is the right answer: an Aiken question has one, "
                f"so {_quote(rest[1:].strip(_PHP_TRIM))} is ignored",
            )
        )
    for position, choice in enumerate(current.choices):
        if not choice:
            warnings.append(
                GiftProblem(
                    current.line + 1 + position,
                    f"choice {chr(ord('A') + position)} of the question on line "
                    f"{current.line} has no text and is left out",
                )
            )
    options = []
    for position, choice in enumerate(current.choices):
        if choice:
            options.append(
                {
                    "id": chr(ord("a") + len(options)),
                    "text": choice,
                    "fraction": 1.0 if position == index else 0.0,
                    "feedback": "",
                }
            )
    question = {
        "type": "single",
        "title": "",
        "text": current.text,
        "format": "plain",
        "general_feedback": "",
        "default_mark": 1.0,
        "tags": [],
        "options": options,
    }
    return GiftQuestion(question=question, category=None, line=current.line)


def _not_complete(current: _Open, number: int, line: str) -> GiftProblem:
    message = (
        f"the question on line {current.line} ({_quote(current.text)}) has no "
        "ANSWER line before this line starts another question (expected "
        "'ANSWER: A' after its choices; a question's text is one line)"
    )
    if _ANSWER_ANY_CASE.match(line):
        message = (
            f"{_quote(line)} is not an answer line (expected 'ANSWER:' in capitals); "
            + message
        )
    elif _LOWER_CHOICE.match(line):
        message = (
            f"{_quote(line)} is not a choice (expected a capital letter: 'A)' or "
            "'A.'); " + message
        )
    return GiftProblem(number, message)


def _outside(number: int, line: str, last_answer: int) -> GiftProblem:
    what = "an ANSWER line" if line.startswith(_ANSWER) else "a choice"
    if last_answer:
        return GiftProblem(
            number,
            f"{what} ({_quote(line)}) after the ANSWER line on line {last_answer} "
            "(expected a new question's text first)",
        )
    return GiftProblem(
        number,
        f"{what} ({_quote(line)}) outside a question (expected the question's "
        "text on a line before its choices)",
    )


def _quote(text: str) -> str:
    if len(text) > _EXCERPT:
        text = text[: _EXCERPT - 1] + "…"
    return repr(text)
