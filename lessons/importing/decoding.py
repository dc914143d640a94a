"""Decoding an uploaded document's bytes into text."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import DocumentError, message_format


def _line_of_byte(data: bytes, index: int) -> int:
    prefix = data[:index].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return prefix.count(b"\n") + 1


_TEXT_CONTROL_BYTES = frozenset(b"\t\n\r\f")


def decode_document(data: bytes) -> str:
    """Decode an uploaded document: UTF-8, BOM stripped, line endings made ``\\n``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise DocumentError(_("the document is empty"))
    if b"\x00" in data:
        raise DocumentError(_("the document looks like a binary file, not text"))
    control = sum(
        1
        for byte in data
        if (byte < 32 or byte == 127) and byte not in _TEXT_CONTROL_BYTES
    )
    if control * 10 > len(data):
        raise DocumentError(_("the document looks like a binary file, not text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start)
        line_start = max(
            data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)
        )
        column = exc.start - line_start
        raise DocumentError(
            message_format(
                _(
                    "not valid UTF-8: cannot decode byte 0x%(byte)s at line "
                    "%(line)s, column %(column)s; save the file as UTF-8 and try "
                    "again"
                ),
                {"byte": f"{data[exc.start]:02x}", "line": line, "column": column},
            ),
            line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        # Whitespace outside ASCII (such as no-break spaces) only shows up decoded.
        raise DocumentError(_("the document is empty"))
    return text
