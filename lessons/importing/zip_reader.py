"""A .zip holding one Markdown or HTML document and its images, read safely.

A zip is untrusted: it is refused, with a message, when it is not a zip, holds
too many files, would unpack to more than :data:`MAX_TOTAL_BYTES`, has a member
compressed more than :data:`MAX_RATIO` times (a "zip bomb"), or names a member
with an absolute path, a ``..`` part or as a symbolic link. Nothing is written
to disk: members are read into memory, each read stopping at the size it
declares.

The document is the one ``.md``/``.markdown``/``.html``/``.htm`` file at the top
of the zip, or in its one top folder; every other file whose name says it is an
image is returned by its path relative to the document, as the document refers
to it.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile

from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import DocumentError, message_format

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 100_000_000
#: The document itself, unpacked (the site's default limit for an upload).
MAX_DOCUMENT_BYTES = 20_000_000
#: How many times a member may be compressed (above a megabyte): text compresses
#: about ten times, a zip bomb thousands of times.
MAX_RATIO = 100
_RATIO_FLOOR = 1_000_000

DOCUMENT_EXTENSIONS = (".md", ".markdown", ".html", ".htm")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif")
_CHUNK = 1 << 16
ZIP_FILE = _("zip file")


def open_zip(data: bytes, *, kind: str = ZIP_FILE) -> zipfile.ZipFile:
    """The archive, its members checked (see the module docstring)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise DocumentError(
            message_format(
                _("not a valid %(kind)s (the file is damaged)"), {"kind": kind}
            )
        ) from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(
            message_format(
                _("the %(kind)s holds %(count)s files; at most %(most)s can be read"),
                {"kind": kind, "count": len(members), "most": MAX_MEMBERS},
            )
        )
    total = 0
    for member in members:
        check_member_name(member, kind=kind)
        total += member.file_size
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise DocumentError(
                message_format(
                    _(
                        "the %(kind)s is refused: %(name)s is compressed more than "
                        "%(ratio)s times (a zip bomb?)"
                    ),
                    {"kind": kind, "name": member.filename, "ratio": MAX_RATIO},
                )
            )
    if total > MAX_TOTAL_BYTES:
        raise DocumentError(
            message_format(
                _(
                    "the %(kind)s would unpack to %(size)s MB; at most %(most)s MB "
                    "can be read"
                ),
                {
                    "kind": kind,
                    "size": total // 1_000_000,
                    "most": MAX_TOTAL_BYTES // 1_000_000,
                },
            )
        )
    return archive


def check_member_name(member: zipfile.ZipInfo, *, kind: str = ZIP_FILE) -> None:
    name = member.filename.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or (parts and parts[0].endswith(":")) or ".." in parts:
        raise DocumentError(
            message_format(
                _("the %(kind)s is refused: it names a file outside itself (%(name)s)"),
                {"kind": kind, "name": member.filename},
            )
        )
    if stat.S_ISLNK(member.external_attr >> 16):
        raise DocumentError(
            message_format(
                _("the %(kind)s is refused: %(name)s is a symbolic link"),
                {"kind": kind, "name": member.filename},
            )
        )


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, refusing one that unpacks to more than it declares."""
    chunks, size = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > member.file_size:
                    raise DocumentError(
                        message_format(
                            _("%(name)s unpacks to more than it declares"),
                            {"name": member.filename},
                        )
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
        raise DocumentError(_unpack_error(member, error)) from None
    except RuntimeError as error:  # encrypted
        raise DocumentError(_unpack_error(member, error)) from None
    return b"".join(chunks)


def _document(files: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    documents = [
        member
        for member in files
        if member.filename.lower().endswith(DOCUMENT_EXTENSIONS)
        and not posixpath.basename(member.filename).startswith(".")
        and not member.filename.startswith("__MACOSX/")
    ]
    top = [member for member in documents if "/" not in member.filename]
    if not top:
        folders = {member.filename.split("/")[0] for member in documents}
        top = [
            member
            for member in documents
            if member.filename.count("/") == 1 and len(folders) == 1
        ]
    if not top:
        raise DocumentError(
            _(
                "the zip file holds no Markdown or HTML document (.md or .html) at "
                "its top or in its one folder"
            )
        )
    if len(top) > 1:
        readmes = [m for m in top if posixpath.basename(m.filename).lower() in (
            "readme.md", "index.md", "index.html", "index.htm"
        )]  # fmt: skip
        if len(readmes) != 1:
            names = ", ".join(member.filename for member in top[:5])
            raise DocumentError(
                message_format(
                    _(
                        "the zip file holds more than one document (%(names)s); "
                        "keep one"
                    ),
                    {"names": names},
                )
            )
        top = readmes
    return top[0]


def _unpack_error(member: zipfile.ZipInfo, error: Exception):
    return message_format(
        _("%(name)s cannot be unpacked: %(error)s"),
        {"name": member.filename, "error": error},
    )


def read_zip(data: bytes) -> tuple[str, bytes, dict[str, bytes], list[str]]:
    """``(document name, its bytes, images by path relative to it, warnings)``."""
    archive = open_zip(data)
    files = [member for member in archive.infolist() if not member.is_dir()]
    document = _document(files)
    if document.file_size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            message_format(
                _(
                    "%(name)s is %(size)s MB unpacked; documents of at most %(most)s "
                    "MB can be read"
                ),
                {
                    "name": document.filename,
                    "size": document.file_size // 1_000_000,
                    "most": MAX_DOCUMENT_BYTES // 1_000_000,
                },
            )
        )
    folder = posixpath.dirname(document.filename)
    images: dict[str, bytes] = {}
    for member in files:
        if member is document or not member.filename.lower().endswith(IMAGE_EXTENSIONS):
            continue
        if member.filename.startswith("__MACOSX/"):
            continue
        path = posixpath.relpath(member.filename, folder or ".")
        images[path] = read_member(archive, member)
    return (
        posixpath.basename(document.filename),
        read_member(archive, document),
        images,
        [],
    )
