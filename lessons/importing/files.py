"""Reading an uploaded file, whatever its format: the readers by format.

:func:`parse_file` takes the upload's bytes and name and returns a
:class:`ParsedFile`: the :class:`ParsedDocument` of its text plus the images that
came with it (a .docx's pictures, the files beside the document in a .zip), by
the path the lessons' Markdown refers to them. Text formats are decoded and handed
to :func:`lessons.importing.parse_document`; HTML to :mod:`.html`, Word to
:mod:`.docx`, a zip to :mod:`.zip_reader` (which hands its document back here).
Images are not checked here (their size and kind are the site's rules, see
``lessons.media``); a reference to an image the upload does not hold is left as
it is, and listed by the preview.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import DocumentError, ParsedDocument, message_format

#: The formats a file can be read as, beyond those of ``parse_document``.
FILE_FORMATS = ("html", "docx", "zip")

_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".docm": "docx",
    ".zip": "zip",
}
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)
_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html[\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedFile(ParsedDocument):
    """A parsed document and the images that came with it (path -> bytes)."""

    images: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)


def file_format(data: bytes, filename: str = "") -> str | None:
    """The binary or HTML format of a file by its extension, then its first
    bytes (a zip's ``PK`` signature); None for a text document."""
    name = filename.lower()
    for extension, found in _EXTENSIONS.items():
        if name.endswith(extension):
            return found
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/document.xml" in data[:65536] else "zip"
    return None


def decode_html(data: bytes) -> str:
    """An HTML page's text: UTF-8, or the charset its ``<meta>`` names."""
    from lessons.importing.decoding import decode_document

    try:
        return decode_document(data)
    except DocumentError:
        declared = _META_CHARSET.search(data[:4096])
        if not declared or b"\x00" in data:
            raise
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            raise DocumentError(
                message_format(
                    _("not valid %(encoding)s text"),
                    {"encoding": declared.group(1).decode("ascii", "replace")},
                )
            ) from None
        return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(
    data: bytes,
    *,
    filename: str = "",
    format: str = "auto",  # noqa: A002 (the word callers use)
    hints: dict | None = None,
) -> ParsedFile:
    """Parse an uploaded file; every problem is a :class:`DocumentError`."""
    from lessons.importing import decode_document, parse_document

    if not data.strip():
        raise DocumentError(_("the document is empty"))
    found = file_format(data, filename) if format == "auto" else format
    if found in FILE_FORMATS and hints:
        raise DocumentError(
            message_format(
                _("hints can only be used with plain-text documents, not %(format)s"),
                {"format": found},
            )
        )
    images: Mapping[str, bytes] = {}
    warnings: list[str] = []
    if found == "html":
        from lessons.importing.html import parse_html

        text = decode_html(data)
        parsed = parse_html(text)
    elif found == "docx":
        from lessons.importing.docx import read_docx

        html, images, warnings = read_docx(data)
        from lessons.importing.html import parse_html

        parsed = dataclasses.replace(parse_html(html), source_format="docx")
    elif found == "zip":
        from lessons.importing.zip_reader import read_zip

        inner_name, inner, images, warnings = read_zip(data)
        parsed = parse_file(inner, filename=inner_name)
        # Images beside the document are named relative to it.
    else:
        text = decode_document(data)
        # A page pasted without a file name (no extension) is read as HTML.
        if found is None and "." not in filename and _HTML_START.match(text):
            from lessons.importing.html import parse_html

            parsed = parse_html(text)
        else:
            parsed = parse_document(
                text, filename=filename, hints=hints, format=found or "auto"
            )
    fields = {f.name: getattr(parsed, f.name) for f in dataclasses.fields(parsed)}
    fields["warnings"] = (*parsed.warnings, *warnings)
    fields["images"] = {**getattr(parsed, "images", {}), **images}
    return ParsedFile(**fields)
