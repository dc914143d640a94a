"""Moodle XML import and export, as pure functions over plain data.

``parse_moodle_xml(data)`` reads a Moodle XML file (Moodle's default question
export, ``question/format/xml/format.php``) into the same question dicts the
GIFT parser makes (``docs/question-format.md``), each with its category, its
line, its ``idnumber`` (also in the dict) and the files embedded in it.
``write_moodle_xml`` writes such dicts back; ``parse -> write -> parse`` keeps
every field our questions have.

Safety. The XML is parsed with ``defusedxml``'s expat parser with
``forbid_dtd=True``: a ``<!DOCTYPE``, and so any entity declaration (billion
laughs) or external entity (XXE), refuses the file before anything is
expanded or fetched. Moodle's own exports never have a DTD. Line numbers come
from expat: a tree builder records the line of every element as it starts
(ElementTree elements have no ``sourceline``; lxml is not a dependency).

Mapping (Moodle -> ours), as Moodle's importer reads it:

- ``<question type="category">`` sets the category of the questions after it
  (its ``$course$/top`` prefix is dropped by the bank, as for GIFT).
- ``<name><text>`` is the title and is required, as in Moodle; ``questiontext``
  keeps its text as written (HTML is rendered and sanitised like HTML inside
  Markdown) with its format (``html`` when absent, ``moodle_auto_format`` ->
  ``moodle``, ``plain_text`` -> ``plain``, ``markdown``); ``generalfeedback``,
  ``defaultgrade`` (description: 0), ``<tags>``, ``<idnumber>``, ``<hidden>``
  (``MoodleQuestion.hidden``; written from a question dict's ``"hidden"``).
- multichoice (``<single>``: ``false``/``0``/empty is multiple), truefalse
  (answers found by their text ``true``/``false``, else by position with a
  warning, as Moodle does), shortanswer (``usecase``), numerical (per answer
  ``tolerance``; units are ignored with a warning; ``*`` "any answer" entries
  are dropped with a warning), matching (a subquestion without text is a
  distractor), essay (``responsetemplate``; ``graderinfo`` as ``grader_info``,
  written back with the files it links to embedded in it, as Moodle keeps them
  apart; the response options, read by ``quizzes/types/essay.py``),
  description, and ordering (the
  qtype_ordering plugin Moodle 4.4+ ships: answers in the right order).
- Answer texts (choices, matching prompts and answers, ordering items) are
  shown as plain text by us, so HTML in them is reduced to its text.
- Moodle's question options (``quizzes.moodle_options``): ``<idnumber>``,
  ``<penalty>``, ``<hint>``, combined feedback, ``<shuffleanswers>`` and
  ``<answernumbering>``, read as Moodle's importer reads them (``options``).
- What our questions cannot hold is read and dropped, with a warning when it
  had content: units, combined feedback on other types. An essay that asks
  for file attachments (or takes only files, ``noinline``) is a warning naming
  it and its line, and is imported as a text essay; the writer writes no
  attachments.
- Cloze (``type="cloze"``, what Moodle writes, or ``"multianswer"``): the
  question text is the source with its gaps (``quizzes.cloze``); a gap that
  cannot be read refuses the file with the question, the gap and the line.
- Other types (``calculated``, ``ddwtos``,
  ``gapselect``, ``random``...) and a missing ``type`` are errors naming the
  type, the question number and the line: the file is refused whole.
- ``<file name=".." encoding="base64">`` inside any text is decoded into
  ``MoodleQuestion.files`` (``{name: bytes}``); the bank stores them and
  rewrites the ``@@PLUGINFILE@@/name`` links (``quizzes.banks``).

Each type reads and writes its own elements (``moodle_xml_read`` and
``moodle_xml_write`` in ``quizzes/types/<type>.py``; ``moodle_xml_names`` say
which ``type`` attributes it reads, ``moodle_xml_type`` what it writes); this
module keeps the tree, the lines, the problems, the categories, the files and
what every question has (name, texts, grade, tags, idnumber, hidden).
"""

from __future__ import annotations

import base64
import binascii
import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from lessons.problems import ProblemList, ProblemsError
from quizzes import grading, moodle_options
from quizzes import types as question_types
from quizzes.moodle_options import PENALTY

__all__ = [
    "PLUGINFILE",
    "MoodleQuestion",
    "MoodleXmlError",
    "MoodleXmlProblem",
    "ParsedMoodleXml",
    "looks_like_moodle_xml",
    "parse_moodle_xml",
    "write_moodle_xml",
]

PLUGINFILE = "@@PLUGINFILE@@"
CATEGORY_TAG = "category:"
MOODLE_TOP = "$course$/top"

_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "moodle",
}
_WRITE_FORMAT = {"html": "html", "moodle": "moodle_auto_format", "plain": "plain_text"}
_COMBINED = {
    "correctfeedback": "correct_feedback",
    "partiallycorrectfeedback": "partially_correct_feedback",
    "incorrectfeedback": "incorrect_feedback",
}
_TAG_RE = re.compile(r"<[^>]*>")


def _reader_types() -> dict:
    """Moodle's type attribute -> the type that reads it (the first registered
    one claiming it, quizzes/types)."""
    found: dict = {}
    for kind in question_types.all_types():
        for name in kind.moodle_xml_names:
            found.setdefault(name, kind)
    return found


_BLOCK_END_RE = re.compile(r"</(?:p|div|li|h[1-6])\s*>|<br\s*/?>", re.IGNORECASE)


# ------------------------------------------------------------------------ API


@dataclass(frozen=True)
class MoodleXmlProblem:
    """One thing wrong in a Moodle XML file: its line, element and message."""

    line: int
    message: str
    element: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.element:
            where += f", <{self.element}>"
        return f"{where}: {self.message}"


class MoodleXmlError(ProblemsError):
    """A Moodle XML file could not be read; ``errors`` are the first problems
    (``lessons.problems.MAX_REPORTED``), ``more`` counts the others."""


@dataclass(frozen=True)
class MoodleQuestion:
    """A parsed question (``question`` is the plain dict), its category path as
    written (or None), its ``<question>`` line, idnumber and embedded files."""

    question: dict
    category: str | None
    line: int
    idnumber: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    hidden: bool = False


@dataclass
class ParsedMoodleXml:
    questions: list[MoodleQuestion]
    warnings: list[MoodleXmlProblem]


def looks_like_moodle_xml(data: bytes) -> bool:
    """Whether ``data`` starts like a Moodle XML file (a ``<quiz>`` root)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    text = head.decode("utf-8", "replace")
    text = re.sub(r"<\?.*?\?>|<!--.*?-->", "", text, flags=re.DOTALL).lstrip()
    return text.startswith("<quiz") and (len(text) == 5 or not text[5].isalnum())


def parse_moodle_xml(data: bytes) -> ParsedMoodleXml:
    """Parse a whole Moodle XML file; raise ``MoodleXmlError`` listing every
    problem (nothing is returned for a file with any)."""
    root, lines = _parse_tree(data)
    reader = _Reader(lines)
    questions = reader.read(root)
    if reader.problems:
        raise MoodleXmlError(
            sorted(reader.problems, key=lambda p: p.line), more=reader.problems.more
        )
    return ParsedMoodleXml(questions=questions, warnings=reader.warnings)


# -------------------------------------------------------------------- parsing


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line where each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def _parse_tree(data: bytes) -> tuple[Element, dict[Element, int]]:
    builder = _LineBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        raise MoodleXmlError(
            [
                MoodleXmlProblem(
                    line,
                    "a DTD or entity declaration is not allowed (refused for "
                    f"safety: {type(error).__name__}); Moodle exports have none",
                    "!DOCTYPE",
                )
            ]
        ) from None
    except LookupError:
        declared = re.search(rb'encoding=["\']([^"\']*)', data[:200])
        name = declared.group(1).decode("ascii", "replace") if declared else "?"
        raise MoodleXmlError(
            [MoodleXmlProblem(1, f"unknown encoding {name!r} (expected UTF-8)")]
        ) from None
    except ParseError as error:
        line = error.position[0] if error.position else 1
        raise MoodleXmlError(
            [MoodleXmlProblem(line, f"not well-formed XML ({error})")]
        ) from None
    if root.tag != "quiz":
        raise MoodleXmlError(
            [
                MoodleXmlProblem(
                    builder.lines.get(root, 1),
                    "expected <quiz> as the root element of a Moodle XML file",
                    root.tag,
                )
            ]
        )
    return root, builder.lines


def _flag(value: str | None, default: bool) -> bool:
    """Moodle's reading of a yes/no element: 'false', '0' or empty is no."""
    if value is None:
        return default
    return value.strip().lower() not in ("false", "0", "")


def _html_to_plain(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    text = _BLOCK_END_RE.sub("\n", text)
    return html.unescape(_TAG_RE.sub("", text)).strip()


class _Reader:
    def __init__(self, lines: dict[Element, int]) -> None:
        self.lines = lines
        self.problems: ProblemList = ProblemList()
        self.warnings: list[MoodleXmlProblem] = []

    # helpers
    def line(self, element: Element) -> int:
        return self.lines.get(element, 1)

    def error(self, element: Element, message: str) -> None:
        self.problems.append(MoodleXmlProblem(self.line(element), message, element.tag))

    def warn(self, element: Element, message: str) -> None:
        self.warnings.append(MoodleXmlProblem(self.line(element), message, element.tag))

    def text_of(self, element: Element | None, files: dict | None = None) -> str:
        """The ``<text>`` child of ``element`` (and its ``<file>``s into files)."""
        if element is None:
            return ""
        if files is not None:
            self.files(element, files)
        child = element.find("text")
        return (child.text or "") if child is not None else ""

    def files(self, element: Element, files: dict) -> None:
        for node in element.findall("file"):
            name = (node.get("name") or "").strip()
            path = (node.get("path") or "/").strip("/")
            if not name:
                self.error(node, "an embedded file needs a name attribute")
                continue
            if (node.get("encoding") or "base64") != "base64":
                self.error(node, 'expected encoding="base64" for an embedded file')
                continue
            try:
                content = base64.b64decode(
                    "".join((node.text or "").split()), validate=True
                )
            except (binascii.Error, ValueError):
                self.error(node, f"the file {name!r} is not valid base64")
                continue
            files.setdefault(f"{path}/{name}" if path else name, content)

    def child_text(self, element: Element, tag: str, default: str | None = None):
        child = element.find(tag)
        if child is None:
            return default
        if child.find("text") is not None:
            return child.find("text").text or ""
        return child.text or ""

    def number(self, element: Element, raw: str | None, what: str, default: float):
        if raw is None or not raw.strip():
            return default
        try:
            value = float(raw.strip())
        except ValueError:
            self.error(element, f"{what} must be a number (found {raw.strip()[:40]!r})")
            return default
        if not math.isfinite(value):
            self.error(element, f"{what} must be a finite number")
            return default
        return value

    def fraction(self, answer: Element) -> float:
        return round(
            self.number(answer, answer.get("fraction"), "fraction", 0.0) / 100, 7
        )

    # the file
    def read(self, root: Element) -> list[MoodleQuestion]:
        questions: list[MoodleQuestion] = []
        category: str | None = None
        number = 0
        for element in root:
            if element.tag != "question":
                continue
            qtype = (element.get("type") or "").strip()
            if qtype == "category":
                category = self.child_text(element, "category", "").strip()
                continue
            number += 1
            name = element.find("name")
            label = ""
            if name is not None and name.find("text") is not None:
                label = f" {(name.find('text').text or '').strip()[:60]!r}"
            if not qtype:
                self.error(
                    element,
                    f"question {number}{label} has no type attribute (expected "
                    'e.g. type="multichoice")',
                )
                continue
            kind = _reader_types().get(qtype)
            if kind is None:
                hint = "coursesite cannot hold this type"
                supported = ", ".join(
                    name for name in _reader_types() if name != "match"
                )
                self.error(
                    element,
                    f"question {number}{label}: type {qtype!r} is not supported "
                    f"({hint}; supported: {supported})",
                )
                continue
            parsed = self.question(element, qtype, number)
            if parsed is not None:
                question, idnumber, files = parsed
                questions.append(
                    MoodleQuestion(
                        question=question,
                        category=category,
                        line=self.line(element),
                        idnumber=idnumber,
                        files=files,
                        hidden=_flag(self.child_text(element, "hidden"), False),
                    )
                )
        return questions

    def question(self, element: Element, qtype: str, number: int):
        files: dict[str, bytes] = {}
        name = element.find("name")
        if name is None or name.find("text") is None:
            self.error(
                name if name is not None else element,
                f"question {number} has no <name><text> (Moodle requires a name)",
            )
            return None
        title = (name.find("text").text or "").strip()
        body = element.find("questiontext")
        fmt = "html"
        if body is not None:
            fmt = _FORMATS.get((body.get("format") or "html").strip(), "html")
        text = self.text_of(body, files).strip()
        general = self.text_of(element.find("generalfeedback"), files).strip()
        mark = self.number(
            element, self.child_text(element, "defaultgrade"), "defaultgrade", 1.0
        )
        tags = [
            (tag.find("text").text or "").strip()
            for tag in [
                *element.findall("tags/tag"),
                *element.findall("coursetags/tag"),
            ]
            if tag.find("text") is not None and (tag.find("text").text or "").strip()
        ]
        text += self.old_image(element, files)
        idnumber = (self.child_text(element, "idnumber", "") or "").strip()
        question: dict[str, Any] = {
            "type": qtype,
            "title": title,
            "text": text,
            "format": fmt,
            "general_feedback": general,
            "default_mark": mark,
            "tags": tags,
        }
        kind = _reader_types()[qtype]
        if kind.moodle_xml_read(self, element, question, files) is False:
            return None
        if idnumber:
            question["idnumber"] = idnumber
        self.options(element, question, files)
        return question, idnumber, files

    def options(self, element: Element, question: dict, files: dict) -> None:
        """Moodle's question options (``quizzes.moodle_options``), read as
        Moodle's importer reads them; only those that differ from their default
        go into the dict."""
        kind = question["type"]
        penalty = self.number(
            element, self.child_text(element, "penalty"), "penalty", PENALTY
        )
        if abs(penalty - PENALTY) < 0.005:  # Moodle fixes old files' rounding
            penalty = PENALTY
        values = {
            "type": kind,
            "penalty": round(penalty, 7),
            "hints": [
                moodle_options.hint(
                    self.text_of(hint, files).strip(),
                    hint.find("shownumcorrect") is not None,
                    hint.find("clearwrong") is not None,
                )
                for hint in element.findall("hint")
            ],
            "show_num_correct": element.find("shownumcorrect") is not None,
        }
        if not 0 <= values["penalty"] <= 1:
            self.error(element, "penalty must be from 0 to 1")
        for tag, name in _COMBINED.items():
            text = self.text_of(element.find(tag), files).strip()
            values[name] = text
            if text and not moodle_options.applies(kind, name):
                self.warn(element, f"<{tag}> is not kept (this type has none)")
        if kind in moodle_options.SHUFFLE_TYPES:
            # Absent is "false" in Moodle's importer.
            values["shuffle_answers"] = _flag(
                self.child_text(element, "shuffleanswers"), False
            )
        numbering = (self.child_text(element, "answernumbering") or "").strip()
        if numbering and numbering not in moodle_options.NUMBERINGS:
            self.warn(
                element.find("answernumbering"),
                f"unknown answer numbering {numbering[:20]!r}: 'abc' is used",
            )
            numbering = ""
        values["answer_numbering"] = numbering or "abc"
        question.update(moodle_options.compact(moodle_options.stored(values), kind))

    def old_image(self, element: Element, files: dict) -> str:
        """Moodle's older ``<image>`` + ``<image_base64>``: a file and a link
        appended to the text, as Moodle's importer does."""
        name = (self.child_text(element, "image", "") or "").strip()
        encoded = element.find("image_base64")
        if not name or encoded is None:
            return ""
        try:
            content = base64.b64decode(
                "".join((encoded.text or "").split()), validate=True
            )
        except (binascii.Error, ValueError):
            self.error(encoded, f"the image {name!r} is not valid base64")
            return ""
        files.setdefault(name, content)
        return f'<img src="{PLUGINFILE}/{name}" />'

    # what a type's moodle_xml_read uses besides the methods above
    flag = staticmethod(_flag)
    plain = staticmethod(_html_to_plain)

    @staticmethod
    def label(index: int) -> str:
        return _label(index)

    def answers(self, element: Element, files: dict) -> list[Element]:
        found = element.findall("answer")
        for answer in found:
            self.files(answer, files)
            feedback = answer.find("feedback")
            if feedback is not None:
                self.files(feedback, files)
        return found

    def answer_text(self, answer: Element) -> str:
        text = self.text_of(answer)
        if (answer.get("format") or "") in ("", "html", "moodle_auto_format"):
            text = _html_to_plain(text)
        return text.strip()

    def feedback(self, answer: Element) -> str:
        return self.text_of(answer.find("feedback")).strip()


_label = grading.option_label


# -------------------------------------------------------------------- writing


def _text_element(tag: str, text: str, fmt: str | None = None, indent: str = "") -> str:
    attr = f" format={quoteattr(fmt)}" if fmt else ""
    body = f"{indent}  <text>{_cdata(text)}</text>"
    return f"{indent}<{tag}{attr}>\n{body}\n{indent}</{tag}>"


def _file(name: str, content: bytes, indent: str) -> str:
    encoded = base64.b64encode(content).decode()
    return (
        f'\n{indent}  <file name={quoteattr(name)} path="/" '
        f'encoding="base64">{encoded}</file>'
    )


def _cdata(text: str) -> str:
    if not text:
        return ""
    if any(char in text for char in "<>&"):
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return escape(text)


def _num(value: Any) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _percent(fraction: Any) -> str:
    return _num(round(float(fraction) * 100, 5))


def _category_of(question: Mapping) -> str | None:
    for tag in question.get("tags") or ():
        if tag.startswith(CATEGORY_TAG):
            return tag[len(CATEGORY_TAG) :]
    return None


def write_moodle_xml(
    questions: Iterable[Mapping[str, Any]], categories: Mapping[int, str] | None = None
) -> str:
    """Moodle XML for question dicts; ``parse_moodle_xml`` reads it back equal.

    A question's category is its first ``"category:..."`` tag, else
    ``categories[index]`` (its position in ``questions``) if given. A category
    question is written whenever the category changes (``$course$/top`` for
    none after some). Our texts are Markdown: written with format="markdown".
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    current: str | None = None
    for index, question in enumerate(questions):
        category = _category_of(question)
        if category is None and categories:
            category = categories.get(index)
        wanted = f"{MOODLE_TOP}/{category}" if category else MOODLE_TOP
        if wanted != current and (category or current is not None):
            out.append('  <question type="category">')
            out.append(_text_element("category", wanted, indent="    "))
            out.append("  </question>")
            current = wanted
        out.append(_write_question(question))
    out.append("</quiz>")
    return "\n".join(out) + "\n"


def _write_question(question: Mapping[str, Any]) -> str:
    kind = question_types.find(question["type"])
    if kind is None or not kind.moodle_xml_type:
        raise ValueError(f"Moodle XML cannot hold a {question['type']!r} question")
    fmt = _WRITE_FORMAT.get(question.get("format") or "markdown", "markdown")
    moodle_type = kind.moodle_xml_type
    i = "    "
    lines = [f"  <question type={quoteattr(moodle_type)}>"]
    lines.append(_text_element("name", question.get("title") or "", indent=i))
    body = _text_element("questiontext", question.get("text") or "", fmt, i)
    files = question.get("files") or {}
    if files:
        body = body.replace(
            f"\n{i}</questiontext>", "".join(_file(n, c, i) for n, c in files.items())
        )
        body += f"\n{i}</questiontext>"
    lines.append(body)
    lines.append(
        _text_element("generalfeedback", question.get("general_feedback") or "", fmt, i)
    )
    lines.append(
        f"{i}<defaultgrade>{_num(question.get('default_mark', 1.0))}</defaultgrade>"
    )
    options = moodle_options.stored(question)
    lines.append(f"{i}<penalty>{_num(options['penalty'])}</penalty>")
    lines.append(f"{i}<hidden>{1 if question.get('hidden') else 0}</hidden>")
    key = options["idnumber"] or question.get("key") or ""
    lines.append(f"{i}<idnumber>{escape(str(key))}</idnumber>")
    kind.moodle_xml_write(question, _Out(lines, i, fmt, options, files))
    lines.extend(_write_options(options, question["type"], fmt, i))
    tags = [t for t in question.get("tags") or () if not t.startswith(CATEGORY_TAG)]
    if tags:
        lines.append(f"{i}<tags>")
        lines.extend(f"{i}  <tag><text>{_cdata(tag)}</text></tag>" for tag in tags)
        lines.append(f"{i}</tags>")
    lines.append("  </question>")
    return "\n".join(lines)


class _Out:
    """Where a type's ``moodle_xml_write`` puts its elements (one line each,
    indented as the question's children)."""

    cdata = staticmethod(_cdata)
    num = staticmethod(_num)

    def shuffle(self) -> str:
        return "true" if self.options["shuffle_answers"] else "false"

    def __init__(
        self,
        lines: list[str],
        indent: str,
        fmt: str,
        options: Mapping[str, Any],
        files: Mapping[str, bytes] | None = None,
    ) -> None:
        self.options = options  # quizzes.moodle_options.stored(question)
        self.lines = lines
        self.indent = indent
        self.fmt = fmt
        self.files = files or {}  # the question's, all in its <questiontext>

    def add(self, line: str) -> None:
        self.lines.append(f"{self.indent}{line}")

    def text_element(
        self, tag: str, text: str, fmt: str | None = None, *, own_files=False
    ) -> None:
        """``<tag><text>``; with ``own_files`` the question's files this text
        links to are embedded in it too: Moodle keeps a file area per text
        (an essay's grader information has its own), so a link resolves only
        to a file of its own element."""
        element = _text_element(tag, text, fmt, self.indent)
        linked = {}
        if own_files:
            linked = {n: c for n, c in self.files.items() if _links_to(text, n)}
        if linked:
            close = f"\n{self.indent}</{tag}>"
            element = element.removesuffix(close) + "".join(
                _file(n, c, self.indent) for n, c in linked.items()
            )
            element += close
        self.lines.append(element)

    def answer(self, fraction, text, feedback="", extra="", answer_fmt=None) -> None:
        i = self.indent
        attr = f' fraction="{_percent(fraction)}"'
        if answer_fmt:
            attr += f" format={quoteattr(answer_fmt)}"
        self.lines.append(f"{i}<answer{attr}>")
        self.lines.append(f"{i}  <text>{_cdata(text)}</text>")
        self.lines.append(_text_element("feedback", feedback or "", self.fmt, i + "  "))
        if extra:
            self.lines.append(extra)
        self.lines.append(f"{i}</answer>")


def _write_options(options: Mapping[str, Any], kind: str, fmt: str, i: str):
    """Combined feedback (for the types that have it) and hints, as Moodle
    writes them: ``<shownumcorrect/>`` and ``<clearwrong/>`` are flags."""
    if kind in moodle_options.COMBINED_TYPES:
        for tag, name in _COMBINED.items():
            yield _text_element(tag, options[name], fmt, i)
        if options["show_num_correct"]:
            yield f"{i}<shownumcorrect/>"
    for hint in options["hints"]:
        flags = "".join(
            f"\n{i}  <{tag}/>"
            for tag, on in (
                ("shownumcorrect", hint["show_num_correct"]),
                ("clearwrong", hint["clear_wrong"]),
            )
            if on
        )
        text = f"{i}  <text>{_cdata(hint['text'])}</text>{flags}"
        yield f"{i}<hint format={quoteattr(fmt)}>\n{text}\n{i}</hint>"


def _links_to(text: str, name: str) -> bool:
    """Whether ``text`` has a ``@@PLUGINFILE@@/name`` link (URL-encoded or not)."""
    return f"{PLUGINFILE}/{name}" in text or f"{PLUGINFILE}/{quote(name)}" in text


def rewrite_pluginfile_links(text: str, urls: Mapping[str, str]) -> str:
    """``@@PLUGINFILE@@/name`` links (URL-encoded or not) -> ``urls[name]``."""
    if PLUGINFILE not in text:
        return text

    def replace(match: re.Match) -> str:
        name = match.group(1)
        for candidate in (name, unquote(name)):
            if candidate in urls:
                return urls[candidate]
        return match.group(0)

    return re.sub(re.escape(PLUGINFILE) + r"/([^\"'\s)<>]+)", replace, text)
