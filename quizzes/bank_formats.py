"""Question-bank file formats, in one place: the registry that ``import_bank``,
``export_bank`` and the admin upload ask (never a switch on a format's name).

Each format is a ``BankFormat``: ``sniff(data) -> bool`` (does a file look like
it), ``read(data) -> ParsedBank`` (parse, all or nothing) and ``write(course,
quiz) -> BankExport``; a format that cannot be read or written has ``None``.
In sniffing order:

- ``json``: starts with ``{``. Our own bank (``banks.bank_export_json``), a quiz
  (``export_quiz --format json``) or an ``import_questions`` file; stored by
  ``banks.bank_import_json`` (questions matched by key).
- ``moodle-xml``: a ``<quiz>`` root. Read and stored in one step by
  ``banks.moodle_xml_import`` (its files are saved to storage and the
  question's ``idnumber`` is its key), written by ``banks.moodle_xml_export``.
- ``aiken``: a line starting with ``ANSWER:`` and a choice line ``A)``
  (``quizzes.aiken``). Import only, as in Moodle's own list of export formats
  we have no use for.
- ``gift``: a ``{...}`` answer block, a ``::title::`` or a ``$CATEGORY:`` line
  (``quizzes.gift``).

GIFT and Aiken questions go through one store step (``banks.parsed_bank_import``:
the checks, re-import identity and dry run of ``gift_import``); a format with
files of its own (Moodle XML) brings its ``store``. Every import is all or
nothing: ``BankFileError`` carries the first ``lessons.problems.MAX_REPORTED``
problems, each with its line when the format has lines, and a count of the
others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lessons.models import Course
from lessons.problems import ProblemsError
from quizzes import aiken, banks, gift, moodle_xml
from quizzes.models import Question, Quiz
from quizzes.services import BankError

__all__ = [
    "AUTO",
    "FORMATS",
    "BankExport",
    "BankFileError",
    "BankFormat",
    "BankImportResult",
    "BankProblem",
    "bank_export",
    "bank_import",
    "export_format_names",
    "import_format_names",
    "sniff_format",
]

AUTO = "auto"


@dataclass(frozen=True)
class BankProblem:
    """One problem (or warning) of a bank file: its line (None when the format
    has none, as JSON) and what was expected."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class BankFileError(ProblemsError):
    """A bank file was refused whole: ``errors`` (first ones) and ``more``."""


@dataclass
class ParsedBank:
    """What a reader gives: parsed questions (items with ``question``,
    ``category`` and ``line``) or JSON data, and warnings."""

    questions: list | None = None
    data: Any = None
    warnings: list[BankProblem] = field(default_factory=list)


@dataclass
class BankImportResult:
    """What an import did, or would do on a dry run (the upload's preview)."""

    format: str
    summary: str
    dry_run: bool = False
    warnings: list[BankProblem] = field(default_factory=list)
    created: list[Question] = field(default_factory=list)
    updated: list[Question] = field(default_factory=list)
    unchanged: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class BankExport:
    text: str
    skipped: list[tuple[Question, str]] = field(default_factory=list)
    lost: list[tuple[Question, str]] = field(default_factory=list)  # GIFT's losses


@dataclass(frozen=True)
class BankFormat:
    name: str
    label: Any
    sniff: Callable[[bytes], bool]
    read: Callable[[bytes], ParsedBank] | None
    write: Callable[[Course, Quiz | None], BankExport] | None
    # Reads and stores in one step (keyword arguments as ``bank_import``'s),
    # for a format whose store differs from the shared one; ``read`` is then
    # only used to tell that the format can be imported.
    store: Callable[..., banks.GiftImportReport] | None = None


# ------------------------------------------------------------------ helpers


def _problems(error: Exception) -> BankFileError:
    """Any parser's error (``errors`` with ``line`` and ``message``, ``more``)."""
    found = []
    for problem in getattr(error, "errors", ()):
        message = getattr(problem, "message", str(problem))
        element = getattr(problem, "element", "")
        if element:
            message = f"<{element}>: {message}"
        found.append(BankProblem(getattr(problem, "line", None), message))
    return BankFileError(found, more=getattr(error, "more", 0))


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankFileError(
            [BankProblem(None, f"not UTF-8 text (byte {error.start})")]
        ) from error


def _head(data: bytes) -> str:
    return data[:65536].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


def _bank_questions(course: Course, quiz: Quiz | None) -> list[Question] | QuerySet:
    if quiz is not None:
        return banks.quiz_questions(quiz)
    return (
        Question.objects.filter(course=course)
        .select_related("lesson")
        .prefetch_related("answers")
        .order_by("category", "key")
    )


# ---------------------------------------------------------------------- JSON


def _sniff_json(data: bytes) -> bool:
    return _head(data).startswith("{")


def _read_json(data: bytes) -> ParsedBank:
    try:
        return ParsedBank(data=json.loads(_text(data)))
    except json.JSONDecodeError as error:
        raise BankFileError(
            [BankProblem(error.lineno, f"not valid JSON: {error.msg}")]
        ) from error


def _write_json(course: Course, quiz: Quiz | None) -> BankExport:
    data = banks.quiz_export_json(quiz) if quiz else banks.bank_export_json(course)
    return BankExport(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- Moodle XML

_XML_PROLOGUE = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)


def _sniff_moodle_xml(data: bytes) -> bool:
    head = _XML_PROLOGUE.sub("", _head(data)[:4096]).lstrip()
    return re.match(r"<quiz[\s>/]", head) is not None


def _read_moodle_xml(data: bytes) -> ParsedBank:
    try:
        parsed = moodle_xml.parse_moodle_xml(data)
    except moodle_xml.MoodleXmlError as error:
        raise _problems(error) from error
    return ParsedBank(questions=parsed.questions)


def _write_moodle_xml(course: Course, quiz: Quiz | None) -> BankExport:
    return BankExport(banks.moodle_xml_export(course=course, quiz=quiz))


# --------------------------------------------------------------------- Aiken


def _sniff_aiken(data: bytes) -> bool:
    return aiken.looks_like_aiken(_head(data))


def _read_aiken(data: bytes) -> ParsedBank:
    try:
        bank = aiken.read_aiken(_text(data))
    except gift.GiftError as error:
        raise _problems(error) from error
    return ParsedBank(
        questions=bank.questions,
        warnings=[BankProblem(w.line, w.message) for w in bank.warnings],
    )


# ---------------------------------------------------------------------- GIFT

_GIFT_MARKS = re.compile(r"\{[^{}]*\}|^\s*::|^\s*\$CATEGORY\s*:", re.MULTILINE)


def _sniff_gift(data: bytes) -> bool:
    return _GIFT_MARKS.search(_head(data)) is not None


def _read_gift(data: bytes) -> ParsedBank:
    try:
        return ParsedBank(questions=gift.parse_gift(_text(data)))
    except gift.GiftError as error:
        raise _problems(error) from error


def _write_gift(course: Course, quiz: Quiz | None) -> BankExport:
    exported = banks.gift_export(_bank_questions(course, quiz))
    return BankExport(exported.text, exported.skipped, exported.lost)


# ------------------------------------------------------------------ registry

FORMATS: dict[str, BankFormat] = {
    entry.name: entry
    for entry in (
        BankFormat(
            "json", _("JSON (coursesite)"), _sniff_json, _read_json, _write_json
        ),
        BankFormat(
            "moodle-xml",
            _("Moodle XML"),
            _sniff_moodle_xml,
            _read_moodle_xml,
            _write_moodle_xml,
            store=banks.moodle_xml_import,
        ),
        BankFormat("aiken", _("Aiken"), _sniff_aiken, _read_aiken, None),
        BankFormat("gift", _("GIFT"), _sniff_gift, _read_gift, _write_gift),
    )
}


def import_format_names() -> list[str]:
    return [name for name, entry in FORMATS.items() if entry.read is not None]


def export_format_names() -> list[str]:
    return [name for name, entry in FORMATS.items() if entry.write is not None]


def sniff_format(data: bytes) -> str | None:
    """The first format (in registry order) the data looks like, or None."""
    for name, entry in FORMATS.items():
        if entry.sniff(data):
            return name
    return None


def bank_import(
    *,
    course: Course,
    data: bytes,
    format_name: str = AUTO,
    quiz_slug: str | None = None,
    user=None,
    dry_run: bool = False,
) -> BankImportResult:
    """Read a bank file of any format and store it; all or nothing.

    Raises ``BankFileError`` (every problem, nothing written), ``ValueError``
    for a bad quiz slug or a quiz given with a JSON bank, ``PermissionDenied``
    when ``user`` (if given) does not teach the course.
    """
    if format_name == AUTO:
        format_name = sniff_format(data)
        if format_name is None:
            raise BankFileError(
                [
                    BankProblem(
                        None,
                        "cannot tell the file's format (expected JSON, Moodle XML, "
                        "Aiken or GIFT; choose the format)",
                    )
                ]
            )
    entry = FORMATS.get(format_name)
    if entry is None or entry.read is None:
        raise ValueError(f"cannot import {format_name!r} files")
    if entry.store is not None:
        try:
            report = entry.store(
                course=course,
                data=data,
                quiz_slug=quiz_slug,
                user=user,
                dry_run=dry_run,
            )
        except (gift.GiftError, moodle_xml.MoodleXmlError) as error:
            raise _problems(error) from error
        return BankImportResult(
            format=format_name,
            summary=report.summary(),
            dry_run=dry_run,
            warnings=[
                BankProblem(getattr(w, "line", None), getattr(w, "message", str(w)))
                for w in getattr(report, "warnings", [])
            ],
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    parsed = entry.read(data)
    if parsed.questions is None:
        if quiz_slug:
            raise ValueError(
                "a JSON bank names its own quizzes (expected no quiz to add to)"
            )
        try:
            report = banks.bank_import_json(
                course=course, data=parsed.data, user=user, dry_run=dry_run
            )
        except BankError as error:
            raise BankFileError(
                [BankProblem(None, line) for line in str(error).splitlines()]
            ) from error
        summary = (
            f"questions: {report.questions_created} created, "
            f"{report.questions_updated} updated, "
            f"{report.questions_unchanged} unchanged; quizzes: "
            f"{report.quizzes_created} created, {report.quizzes_updated} updated"
        )
        return BankImportResult(
            format=format_name,
            summary=("[dry run] " if dry_run else "") + summary,
            dry_run=dry_run,
            warnings=parsed.warnings,
        )
    try:
        report = banks.parsed_bank_import(
            course=course,
            parsed=parsed.questions,
            quiz_slug=quiz_slug,
            user=user,
            dry_run=dry_run,
        )
    except gift.GiftError as error:
        raise _problems(error) from error
    return BankImportResult(
        format=format_name,
        summary=report.summary(),
        dry_run=dry_run,
        warnings=parsed.warnings
        + [BankProblem(w.line, w.message) for w in getattr(report, "warnings", [])],
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )


def bank_export(*, course: Course, quiz: Quiz | None = None, format_name: str):
    """A course's bank (or one quiz of it) as text in that format."""
    entry = FORMATS.get(format_name)
    if entry is None or entry.write is None:
        raise ValueError(f"cannot export {format_name!r} files")
    return entry.write(course, quiz)


def bank_file_findings(*, data: bytes, format_name: str, quiz_slug: str | None = None):
    """The item-writing findings (``quizzes.item_checks``) of a bank file already
    read once without error: a JSON bank's quizzes as they name them, the questions
    of any other file as one quiz when they go into one (``quiz_slug``)."""
    from quizzes import item_checks

    parsed = FORMATS[format_name].read(data)
    if parsed.questions is None:
        pools = item_checks.pools_from_bank(parsed.data)
        return item_checks.bank_findings(pools)
    questions = []
    for number, item in enumerate(parsed.questions, start=1):
        question = dict(getattr(item, "question", item))
        line = getattr(item, "line", None)
        label = question.get("key") or question.get("title") or f"#{number}"
        question["key"] = f"{label} (line {line})" if line else label
        questions.append(question)
    pools = [item_checks.QuizPool(quiz_slug, False, questions)] if quiz_slug else []
    return item_checks.bank_findings(pools, questions=questions)
