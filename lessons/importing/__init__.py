"""Turn a course document into a course outline: a title, modules and lessons.

This package is pure: plain data in, plain data out. It reads no files, touches no
database and imports nothing from Django. Callers decode an upload with
:func:`decode_document`, parse it with :func:`parse_document` and write the
resulting :class:`ParsedDocument` to the database themselves. Every kind of
malformed input raises :class:`DocumentError`, which carries a 1-based line
number where one is known.

Three input formats are understood, chosen by :func:`parse_document`:

* coursesite's own JSON course export (a ``.json`` file, or text starting with
  ``{``), read back by :func:`parse_course_json` with its slugs kept as given;
* Markdown (a ``.md``/``.markdown`` file, or any line like ``# Heading``), where
  the ``#`` levels give the structure, see :func:`parse_markdown`;
* plain text, such as an article copied from a web page, where the structure has
  to be guessed, see :func:`parse_plain_text`.

One module per format reads its input: :mod:`~lessons.importing.text`,
:mod:`~lessons.importing.markdown` and :mod:`~lessons.importing.course_json`;
:mod:`~lessons.importing.outline` holds the outline types and the structure
rules they share, :mod:`~lessons.importing.decoding` turns bytes into text.

Files that are not plain text are read by :func:`parse_file` (bytes in, see
:mod:`~lessons.importing.files`): an HTML page (:mod:`~lessons.importing.html`,
also a ``parse_document`` format), a Word document (:mod:`~lessons.importing.docx`)
and a zip of a document with its images (:mod:`~lessons.importing.zip_reader`).
"""

from __future__ import annotations

import dataclasses
import re

from django.utils.translation import gettext_lazy as _

from lessons.importing.course_json import parse_course_json
from lessons.importing.decoding import decode_document
from lessons.importing.files import FILE_FORMATS, ParsedFile, file_format, parse_file
from lessons.importing.html import parse_html
from lessons.importing.markdown import parse_markdown
from lessons.importing.outline import (
    INTRODUCTION_TITLE,
    SLUG_MAX_LENGTH,
    DocumentError,
    ParsedDocument,
    ParsedLesson,
    ParsedModule,
    SectionChanges,
    checksum,
    diff_lessons,
    message_format,
    slugify,
    title_from_filename,
)
from lessons.importing.rst import parse_rst
from lessons.importing.text import clean_title, parse_plain_text

__all__ = [
    "DocumentError",
    "FILE_FORMATS",
    "FORMATS",
    "INTRODUCTION_TITLE",
    "ParsedDocument",
    "ParsedLesson",
    "ParsedFile",
    "ParsedModule",
    "SLUG_MAX_LENGTH",
    "SectionChanges",
    "checksum",
    "clean_title",
    "decode_document",
    "detect_format",
    "file_format",
    "diff_lessons",
    "parse_course_json",
    "parse_document",
    "parse_file",
    "parse_html",
    "parse_markdown",
    "parse_plain_text",
    "parse_rst",
    "slugify",
]

#: What ``parse_document(format=...)`` accepts; "auto" chooses (see there).
FORMATS = ("auto", "text", "markdown", "rst", "json", "html")

_EXTENSIONS = {
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".rst": "rst",
    ".rest": "rst",
    ".txt": "text",
    ".text": "text",
}
_MARKDOWN_HEADING_LINE = re.compile(r"^#{1,6} \S", re.MULTILINE)
# reStructuredText that Markdown would not write: a directive, a PEP header, or
# a title over- or underlined with something else than "=" or "-".
_RST_SIGNS = re.compile(
    r"\A(?:PEP|Title): .+\n|^\.\. [\w:-]+::|"
    r"^\S.*\n([~^\"'`#*+:.])\1{2,}[ \t]*$|^([=~^\"'`#*+:.-])\2{2,}[ \t]*\n.+\n\2{3,}",
    re.MULTILINE,
)


def detect_format(text: str, filename: str = "") -> str:
    """The format "auto" picks: the file's extension first, then the content.

    Text starting with ``{`` is a course export whatever its name; otherwise a
    ``.txt`` file is plain text even with a line starting ``# ``. Without a
    telling extension, a line like ``# Heading`` means Markdown, and a
    directive, PEP header or title adorned in reStructuredText's manner means
    reStructuredText; anything else is plain text.
    """
    name = filename.lower()
    if text.lstrip().startswith("{"):
        return "json"
    for extension, found in _EXTENSIONS.items():
        if name.endswith(extension):
            return found
    if _MARKDOWN_HEADING_LINE.search(text):
        return "markdown"
    if _RST_SIGNS.search(text):
        return "rst"
    return "text"


def parse_document(
    text: str,
    *,
    filename: str = "",
    hints: dict | None = None,
    format: str = "auto",  # noqa: A002 (the word callers use)
) -> ParsedDocument:
    """Parse a decoded document in the given format, or the one it looks like.

    ``format`` is one of :data:`FORMATS`; "auto" uses :func:`detect_format`.
    Hints only make sense for plain text; passing them for another format
    raises :class:`DocumentError` rather than silently ignoring them.
    """
    if format not in FORMATS:
        raise DocumentError(
            message_format(
                _("unknown format %(format)r; choose from %(formats)s"),
                {"format": format, "formats": ", ".join(FORMATS)},
            )
        )
    source_format = detect_format(text, filename) if format == "auto" else format
    if source_format == "text":
        return parse_plain_text(text, hints=hints)
    if hints:
        raise DocumentError(
            message_format(
                _("hints can only be used with plain-text documents, not %(format)s"),
                {"format": source_format},
            )
        )
    parser = {
        "json": parse_course_json,
        "markdown": parse_markdown,
        "rst": parse_rst,
        "html": parse_html,
    }[source_format]
    parsed = parser(text)
    named = title_from_filename(filename) if parsed.title_guessed else ""
    if named:
        # A document without a title of its own is named after its file.
        parsed = dataclasses.replace(parsed, title=named)
    return parsed
