"""Images that come with an imported document: checked, stored, linked.

A document's lessons refer to their images by the path the document used
(``![Layers](img/layers.png)`` or ``<img src="img/layers.png">``); the reader
returns their bytes by that path (``ParsedFile.images``). Here:

* :func:`document_images_check` keeps only images the site accepts: PNG, JPEG,
  GIF or WebP that Pillow can read, at most ``DOCUMENT_IMAGE_MAX_BYTES`` and
  ``DOCUMENT_IMAGE_MAX_PIXELS``. **SVG is refused**, not sanitised: an SVG is a
  document that can hold scripts and links, and a sanitiser for it is one more
  thing to keep right; the preview says so and the lesson shows the image's alt
  text. Every refused image is named in the preview.
* :func:`lesson_images_resolve` (pure) points each reference (inline, HTML, or
  ``![alt][label]`` with its definition in the lesson) at its stored URL,
  and turns a reference to an image the upload did not hold (or that was
  refused) into its alt text, and an image on another site that the
  Content-Security-Policy blocks (``CSP_IMG_SOURCES`` lists the sites it shows)
  into a link to it: never a broken image.
* Images are stored through Django's storage API under
  ``courses/<course pk>/<sha256>.<ext>`` (the same image is stored once, and its
  URL does not change from one import to the next). A new course gets them after
  ``course_import`` created it (:func:`course_images_attach`); a new version of a
  course's document has its lessons pointed at them before ``course_import``
  compares it with the course (:func:`document_images_resolve`), so a lesson
  whose image changed is a changed lesson.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from lessons.importing.markdown import LINK_DEFINITION, link_label

#: Pillow's name of the formats browsers show -> the stored file's extension.
ACCEPTED_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}

MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# ``![alt][label]``, ``![alt][]`` or ``![alt]``, its path in a ``[label]: path``
# definition of the same lesson (the Markdown reader gives every lesson the
# definitions it uses).
REFERENCE_IMAGE = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\]\\])*)\](?:\[(?P<label>[^\]\n]*)\])?(?![(\[:])"
)
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = r"\b{name}\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"
_SRC = re.compile(_ATTRIBUTE.format(name="src"), re.IGNORECASE)
_ALT = re.compile(_ATTRIBUTE.format(name="alt"), re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _this_sites_paths() -> tuple[str, ...]:
    return tuple(
        "/" + str(prefix).lstrip("/")
        for prefix in (settings.MEDIA_URL, settings.STATIC_URL)
        if prefix and str(prefix).strip("/")
    )


def is_local(source: str) -> bool:
    """Whether an image reference names a file of the upload: a relative path,
    or a path from the root of the site the document came from
    (``/img/a.png``, looked up as ``img/a.png``); not a URL, an anchor, or a
    path to this site's own media and static files (a course export's images)."""
    if not source or _SCHEME.match(source) or source.startswith(("#", "?", "//")):
        return False
    return not (source.startswith("/") and source.startswith(_this_sites_paths()))


def _remote_url(source: str) -> str | None:
    """The absolute http(s) URL of an image on another site, else None."""
    if source.startswith("//"):
        return f"https:{source}"
    if source.lower().startswith(("http://", "https://")):
        return source
    return None


def _source_allows(source: str, url) -> bool:
    if source == "*":
        return True
    if source.endswith(":") and "/" not in source:  # a scheme: "https:"
        return url.scheme == source[:-1].lower()
    if source.startswith("'"):  # 'self', 'none', nonces: not another site
        return False
    allowed = urlsplit(source if "://" in source else f"{url.scheme}://{source}")
    if allowed.scheme not in (url.scheme, "http" if url.scheme == "https" else ""):
        return False
    host, wanted = (url.hostname or ""), (allowed.hostname or "")
    if wanted.startswith("*."):
        if not host.endswith(wanted[1:]):
            return False
    elif host != wanted:
        return False
    path = allowed.path
    if path in ("", "/"):
        return True
    return url.path.startswith(path) if path.endswith("/") else url.path == path


def remote_image_blocked(source: str) -> bool:
    """Whether an image on another site would be blocked by the site's
    Content-Security-Policy (its ``img-src``, from ``CSP_IMG_SOURCES``): shown as
    a link to it instead, never a broken image."""
    url = _remote_url(source)
    if url is None:
        return False
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    sources = directives.get("img-src", directives.get("default-src"))
    if sources is None:
        return False  # no policy for images: the browser shows it
    parts = urlsplit(url)
    return not any(_source_allows(str(item).strip(), parts) for item in sources)


def remote_image_references(body: str) -> list[str]:
    """The images on other sites a lesson's Markdown shows that the policy
    blocks, in order."""
    found = [m.group("src") for m in MARKDOWN_IMAGE.finditer(body)]
    found += [_attribute(_SRC, tag) or "" for tag in HTML_IMAGE.findall(body)]
    return [source for source in found if remote_image_blocked(source)]


def image_key(source: str) -> str:
    """The path an image reference names, as the reader keys the upload's images
    (``./img/a%20b.png`` -> ``img/a b.png``, ``/img/a.png`` -> ``img/a.png``)."""
    path = posixpath.normpath(unquote(source.split("#")[0].split("?")[0]))
    return path.lstrip("/") or path


def _attribute(pattern, tag: str) -> str | None:
    match = pattern.search(tag)
    if not match:
        return None
    return html.unescape(next(v for v in match.groups() if v is not None))


def _definitions(body: str) -> dict[str, str]:
    definitions: dict[str, str] = {}
    for found in LINK_DEFINITION.finditer(body):
        definitions.setdefault(link_label(found.group("label")), found.group("url"))
    return definitions


def _reference_source(match: re.Match, definitions: Mapping[str, str]) -> str | None:
    label = match.group("label") or match.group("alt")
    return definitions.get(link_label(label))


def image_references(body: str) -> list[str]:
    """The local image paths a lesson's Markdown refers to, in order."""
    found = [m.group("src") for m in MARKDOWN_IMAGE.finditer(body)]
    definitions = _definitions(body)
    for match in REFERENCE_IMAGE.finditer(body):
        found.append(_reference_source(match, definitions) or "")
    found += [_attribute(_SRC, tag) or "" for tag in HTML_IMAGE.findall(body)]
    return [source for source in found if is_local(source)]


def image_problem(name: str, data: bytes) -> str | None:
    """Why an image cannot be shown, or None for an image the site accepts."""
    from PIL import Image

    head = data[:1024].lstrip().lower()
    if name.lower().endswith(".svg") or head.startswith((b"<svg", b"<?xml")):
        return _("SVG images are not accepted")
    limit = settings.DOCUMENT_IMAGE_MAX_BYTES
    if len(data) > limit:
        return _(
            "the image is %(size)s MB; images of at most %(limit)s MB are kept"
        ) % {
            "size": f"{len(data) / 1_000_000:.1f}",
            "limit": f"{limit / 1_000_000:.1f}".removesuffix(".0"),
        }
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except Image.DecompressionBombError:
        return _("the image has too many pixels to show")
    except Exception:  # noqa: BLE001 (Pillow raises many kinds for bad data)
        return _("not an image (the file cannot be read as one)")
    if kind not in ACCEPTED_FORMATS:
        return _("%(kind)s images are not shown by browsers; use PNG or JPEG") % {
            "kind": kind
        }
    if width * height > settings.DOCUMENT_IMAGE_MAX_PIXELS:
        return _("the image is %(width)d × %(height)d pixels, too large to show") % {
            "width": width,
            "height": height,
        }
    return None


def document_images_check(parsed):
    """The parsed file with only the images the site accepts; each refused one
    named in its warnings."""
    images = getattr(parsed, "images", None)
    if not images:
        return parsed
    accepted, warnings = {}, []
    for name, data in images.items():
        problem = image_problem(name, data)
        if problem is None:
            accepted[name] = data
        else:
            warnings.append(
                _('Image refused: "%(image)s": %(problem)s; its alt text is shown.')
                % {"image": name, "problem": problem}
            )
    return dataclasses.replace(
        parsed, images=accepted, warnings=(*parsed.warnings, *warnings)
    )


def _file_name(source: str) -> str:
    return posixpath.basename(urlsplit(_remote_url(source) or source).path) or source


def _alt_text(alt: str) -> str:
    # Plain text where the image was: a reader sees what the image showed.
    return " ".join(alt.split())


def lesson_images_resolve(
    body: str, urls: Mapping[str, str], *, missing_as_alt: bool = True
) -> str:
    """The lesson's Markdown with each local image pointing at its stored URL
    (``urls`` keyed by :func:`image_key`), and each image not stored replaced
    by its alt text (or left as it is, without ``missing_as_alt``)."""

    def markdown_image(match: re.Match) -> str:
        source = match.group("src")
        if missing_as_alt and remote_image_blocked(source):
            return f"[{match.group('alt') or _file_name(source)}]({source})"
        if not is_local(source):
            return match.group(0)
        url = urls.get(image_key(source))
        if url is None:
            return _alt_text(match.group("alt")) if missing_as_alt else match.group(0)
        return f"![{match.group('alt')}]({url})"

    def html_image(match: re.Match) -> str:
        tag = match.group(0)
        source = _attribute(_SRC, tag) or ""
        if missing_as_alt and remote_image_blocked(source):
            name = _alt_text(_attribute(_ALT, tag) or "") or _file_name(source)
            href = html.escape(_remote_url(source))
            return f'<a href="{href}">{html.escape(name)}</a>'
        if not is_local(source):
            return tag
        url = urls.get(image_key(source))
        if url is None:
            if not missing_as_alt:
                return tag
            return html.escape(_alt_text(_attribute(_ALT, tag) or ""))
        found = _SRC.search(tag)
        return f'{tag[: found.start()]}src="{html.escape(url)}"{tag[found.end() :]}'

    definitions = _definitions(body)

    def reference_image(match: re.Match) -> str:
        source = _reference_source(match, definitions)
        if source is None or not is_local(source):
            return match.group(0)
        url = urls.get(image_key(source))
        if url is None:
            return _alt_text(match.group("alt")) if missing_as_alt else match.group(0)
        return f"![{match.group('alt')}]({url})"

    body = MARKDOWN_IMAGE.sub(markdown_image, body)
    body = REFERENCE_IMAGE.sub(reference_image, body)
    return HTML_IMAGE.sub(html_image, body)


def _stored_name(*, course, data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        extension = ACCEPTED_FORMATS[image.format]
    digest = hashlib.sha256(data).hexdigest()
    return f"courses/{course.pk}/{digest}.{extension}"


def course_images_store(
    *, course, images: Mapping[str, bytes], store: bool = True
) -> dict[str, str]:
    """The (accepted) images' URLs, keyed by :func:`image_key`; stored unless
    ``store`` is False (a preview: the URLs they would have)."""
    urls = {}
    for name, data in images.items():
        stored = _stored_name(course=course, data=data)
        if store and not default_storage.exists(stored):
            stored = default_storage.save(stored, ContentFile(data))
        urls[image_key(name)] = default_storage.url(stored)
    return urls


def image_checksum(body: str, urls: Mapping[str, str]) -> str:
    """A lesson's source checksum, its images included: that of its text with the
    images it holds pointing at their (content-addressed) URLs. A missing image
    leaves the text as it is, so a course imported before images were stored
    compares equal."""
    from lessons.importing import checksum

    return checksum(lesson_images_resolve(body, urls, missing_as_alt=False))


def document_images_resolve(parsed, *, course, store: bool = True):
    """The parsed document with its lessons pointing at the course's stored
    images (missing ones as alt text), each checksum :func:`image_checksum`.

    Before updating a course: a lesson whose image changed (same name, other
    bytes, so another URL) is then a changed lesson, and one whose images did not
    change is unchanged, as ``course_import`` compares checksums.
    """
    urls = course_images_store(
        course=course, images=getattr(parsed, "images", {}), store=store
    )
    modules = []
    for module in parsed.modules:
        lessons = []
        for lesson in module.lessons:
            body = lesson_images_resolve(lesson.body_markdown, urls)
            if body != lesson.body_markdown:
                lesson = dataclasses.replace(
                    lesson,
                    body_markdown=body,
                    checksum=image_checksum(lesson.body_markdown, urls),
                )
            lessons.append(lesson)
        modules.append(dataclasses.replace(module, lessons=tuple(lessons)))
    return dataclasses.replace(parsed, modules=tuple(modules))


@transaction.atomic
def course_images_attach(*, course, images: Mapping[str, bytes]) -> int:
    """Store the images and point the lessons of a course just created at them
    (references to images not stored become alt text). A lesson's source checksum
    becomes :func:`image_checksum`, as :func:`document_images_resolve` computes it
    for the next version. Returns how many lessons changed."""
    from lessons.services import course_touch, lesson_render

    urls = course_images_store(course=course, images=images)
    changed = 0
    lessons = course.lessons.filter(body_markdown__regex=r"!\[|<[iI][mM][gG]")
    for lesson in lessons.select_for_update():
        body = lesson_images_resolve(lesson.body_markdown, urls)
        if body != lesson.body_markdown:
            lesson.source_checksum = image_checksum(lesson.body_markdown, urls)
            lesson.body_markdown = body
            lesson_render(lesson=lesson)
            lesson.save(
                update_fields=[
                    "body_markdown", "source_checksum", "body_html", "word_count"
                ]
            )  # fmt: skip
            changed += 1
    if changed:
        course_touch(course=course)
    return changed
