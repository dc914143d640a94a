"""Word documents (.docx): mammoth writes them as HTML, which the HTML reader reads.

mammoth maps Word's heading styles ("Heading 1" .. "Heading 6") to ``<h1>`` ..
``<h6>``, and keeps lists, tables, links and pictures; the "Title" style is the
course title (``<h1>``, the other headings then sit below it). A generated table
of contents ("TOC 1" .. styles, "TOC Heading") is no text of the course.

A .docx is a zip, so it is opened with the checks of
:func:`lessons.importing.zip_reader.open_zip` first (size, ratio, paths).
Macros (a ``vbaProject.bin`` part, as in a .docm) are never run nor kept: the
preview says they were ignored. Pictures are returned by the name the HTML
gives them (``word-image-1.png``); their bytes are checked by ``lessons.media``.
"""

from __future__ import annotations

import io

import mammoth
from django.utils.translation import gettext_lazy as _

from lessons.importing.outline import DocumentError, message_format
from lessons.importing.zip_reader import open_zip

KIND = _("Word document")

_STYLE_MAP = """
p[style-name='Title'] => h1.document-title:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='TOC Heading'] => !
p[style-name^='TOC'] => !
p[style-name^='toc'] => !
"""

_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/x-emf": "emf",
    "image/x-wmf": "wmf",
}

MACROS_IGNORED = _(
    "macros ignored: the document's macros (vbaProject.bin) are not kept"
)


def read_docx(data: bytes) -> tuple[str, dict[str, bytes], list[str]]:
    """``(HTML of the document, pictures by the name the HTML uses, warnings)``."""
    archive = open_zip(data, kind=KIND)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise DocumentError(
            _("not a Word document: the file has no word/document.xml (is it a .docx?)")
        )
    warnings = []
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        warnings.append(MACROS_IGNORED)
    images: dict[str, bytes] = {}

    def picture(image) -> dict[str, str]:
        extension = _EXTENSIONS.get(image.content_type or "", "bin")
        name = f"word-image-{len(images) + 1}.{extension}"
        with image.open() as stream:
            images[name] = stream.read()
        return {"src": name, "alt": " ".join((image.alt_text or "").split())}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(picture),
        )
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001 (mammoth raises many kinds)
        raise DocumentError(
            message_format(
                _("the Word document cannot be read: %(error)s"), {"error": error}
            )
        ) from None
    if not result.value.strip():
        raise DocumentError(_("the document is empty"))
    return f"<html><body>{result.value}</body></html>", images, warnings
