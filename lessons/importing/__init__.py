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
"""

from __future__ import annotations

import re

from lessons.importing.course_json import parse_course_json
from lessons.importing.decoding import decode_document
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
    slugify,
)
from lessons.importing.text import clean_title, parse_plain_text

__all__ = [
    "DocumentError",
    "INTRODUCTION_TITLE",
    "ParsedDocument",
    "ParsedLesson",
    "ParsedModule",
    "SLUG_MAX_LENGTH",
    "SectionChanges",
    "checksum",
    "clean_title",
    "decode_document",
    "diff_lessons",
    "parse_course_json",
    "parse_document",
    "parse_markdown",
    "parse_plain_text",
    "slugify",
]

_MARKDOWN_HEADING_LINE = re.compile(r"^#{1,6} \S", re.MULTILINE)


def parse_document(
    text: str, *, filename: str = "", hints: dict | None = None
) -> ParsedDocument:
    """Parse a decoded document, choosing the format from its name and content.

    Hints only make sense for plain text; passing them for a JSON or Markdown
    document raises :class:`DocumentError` rather than silently ignoring them.
    """
    name = filename.lower()
    if name.endswith(".json") or text.lstrip().startswith("{"):
        parser, source_format = parse_course_json, "json"
    elif name.endswith((".md", ".markdown")) or _MARKDOWN_HEADING_LINE.search(text):
        parser, source_format = parse_markdown, "markdown"
    else:
        return parse_plain_text(text, hints=hints)
    if hints:
        raise DocumentError(
            f"hints can only be used with plain-text documents, not {source_format}"
        )
    return parser(text)
