"""A document's images (lessons.media, lessons.document_import): checked, stored
through the storage API, linked from the lessons; refused or missing ones are
named in the preview and shown as their alt text."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from lessons.document_import import (
    document_import_apply,
    document_preview,
    document_read,
)
from lessons.importing import DocumentError
from lessons.media import image_problem, lesson_images_resolve
from lessons.models import Course, Lesson
from tests.helpers import row_counts


def png(width=4, height=3, color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

DOC = (
    b"# Soil\n\nIntro.\n\n## Layers\n\n![Soil layers](img/layers.png)\n\n"
    b"Top soil.\n\n## Drawing\n\n![A drawing](img/drawing.svg)\n\n"
    b'<img alt="Roots" src="./img/roots.png">\n\n## Missing\n\n'
    b"![The map](img/map.png)\n\nText.\n"
)


def build_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def course_zip():
    return build_zip(
        {
            "soil.md": DOC,
            "img/layers.png": png(),
            "img/roots.png": png(color=(0, 90, 0)),
            "img/drawing.svg": SVG,
        }
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_URL = "/media/"
    return settings.MEDIA_ROOT


# --- Checks (pure but for the settings) ----------------------------------------------


def test_an_accepted_image_has_no_problem():
    assert image_problem("a.png", png()) is None


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("a.svg", SVG, "SVG"),
        ("a.png", SVG, "SVG"),
        ("a.png", b"not an image at all", "not an image"),
        ("a.png", png()[:30], "not an image"),
    ],
)
def test_bad_images_are_refused(name, data, problem):
    assert problem in image_problem(name, data)


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_IMAGE_MAX_BYTES = 100
    assert "at most" in image_problem("a.png", png(200, 200, (1, 2, 3)) + b"\0" * 200)


def test_an_image_of_too_many_pixels_is_refused(settings):
    settings.DOCUMENT_IMAGE_MAX_PIXELS = 100
    assert "pixels" in image_problem("a.png", png(20, 20))


def test_resolve_points_images_at_their_urls_and_missing_ones_at_alt_text():
    body = (
        '![Layers](img/layers.png) and ![Map](img/map.png "title")\n\n'
        '<img alt="Roots" src="./img/roots.png" width="10">\n\n'
        '<img alt="Gone" src="img/gone.png">\n\n'
        "![Remote](https://example.org/a.png) ![Site](/static/a.png)"
    )
    urls = {"img/layers.png": "/media/courses/1/a.png", "img/roots.png": "/m/r.png"}
    assert lesson_images_resolve(body, urls) == (
        "![Layers](/media/courses/1/a.png) and Map\n\n"
        '<img alt="Roots" src="/m/r.png" width="10">\n\n'
        "Gone\n\n"
        # Another site's image is a link while the policy blocks it (below).
        "[Remote](https://example.org/a.png) ![Site](/static/a.png)"
    )


# --- Preview and import ------------------------------------------------------------


@pytest.mark.django_db
def test_preview_lists_refused_and_missing_images_and_writes_nothing(media):
    before = row_counts()
    preview = document_preview(data=course_zip(), name="soil.zip")
    warnings = "\n".join(preview.warnings)
    assert 'Image refused: "img/drawing.svg": SVG images are not accepted' in warnings
    assert 'Image not found: "img/map.png"' in warnings
    assert "layers.png" not in warnings and "roots.png" not in warnings
    assert row_counts() == before
    assert not media.exists() or not any(media.rglob("*.png"))


@pytest.mark.django_db
def test_import_stores_images_and_lessons_show_them(media, django_user_model):
    user = django_user_model.objects.create_user("teacher", password="x")
    course, _report = document_import_apply(
        data=course_zip(), name="soil.zip", user=user
    )
    stored = sorted(p.relative_to(media) for p in media.rglob("*.png"))
    assert len(stored) == 2
    assert all(str(p).startswith(f"courses/{course.pk}/") for p in stored)
    layers = Lesson.objects.get(course=course, slug="layers")
    url = layers.body_markdown.split("](")[1].split(")")[0]
    assert url.startswith(f"/media/courses/{course.pk}/") and url.endswith(".png")
    assert default_storage.open(url.removeprefix("/media/")).read() == png()
    assert f'<img alt="Soil layers" src="{url}"' in layers.body_html
    drawing = Lesson.objects.get(course=course, slug="drawing")
    assert "svg" not in drawing.body_markdown and "A drawing" in drawing.body_html
    assert 'src="/media/courses/' in drawing.body_html  # the roots image
    missing = Lesson.objects.get(course=course, slug="missing")
    assert "<img" not in missing.body_html and "The map" in missing.body_html


@pytest.mark.django_db
def test_reimport_keeps_image_urls_and_stores_each_image_once(media, django_user_model):
    user = django_user_model.objects.create_user("teacher", password="x")
    course, _report = document_import_apply(
        data=course_zip(), name="soil.zip", user=user
    )
    before = Lesson.objects.get(course=course, slug="layers").body_markdown
    document_import_apply(data=course_zip(), name="soil.zip", user=user, course=course)
    assert Lesson.objects.get(course=course, slug="layers").body_markdown == before
    assert len(list(media.rglob("*.png"))) == 2


@pytest.mark.django_db
def test_an_image_over_the_limit_is_refused_and_shown_as_alt_text(
    media, settings, django_user_model
):
    settings.DOCUMENT_IMAGE_MAX_BYTES = 50
    user = django_user_model.objects.create_user("teacher", password="x")
    preview = document_preview(data=course_zip(), name="soil.zip")
    assert any("layers.png" in w and "at most" in w for w in preview.warnings)
    course, _report = document_import_apply(
        data=course_zip(), name="soil.zip", user=user
    )
    layers = Lesson.objects.get(course=course, slug="layers")
    assert "<img" not in layers.body_html and "Soil layers" in layers.body_html
    assert not any(media.rglob("*.png"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.docx", "empty"),
        (b"\x00\xff junk" * 100, "a.docx", "not a valid Word document"),
        (b"PK\x03\x04 broken", "a.zip", "not a valid zip file"),
        (build_zip({"../evil.md": DOC}), "a.zip", "outside itself"),
        (build_zip({"/abs/evil.md": DOC}), "a.zip", "outside itself"),
        (build_zip({"a.md": DOC, "b.png": b"\0" * 30_000_000}), "a.zip", "zip bomb"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_write_nothing(
    media, data, name, message
):
    before = row_counts()
    with pytest.raises(DocumentError, match=message):
        document_read(data=data, name=name)
    assert row_counts() == before
    assert not media.exists() or not any(media.rglob("*"))


@pytest.mark.django_db
def test_a_file_over_the_document_limit_is_refused(settings, media):
    settings.DOCUMENT_MAX_BYTES = 1_000
    with pytest.raises(DocumentError, match="at most"):
        document_read(data=course_zip() + b"\0" * 1_000, name="soil.zip")


@pytest.mark.django_db
def test_html_format_is_offered_and_read(media):
    page = b"<html><body><main><h1>P</h1><h2>A</h2><p>x</p></main></body></html>"
    parsed = document_read(data=page, name="p.html", fmt="html")
    assert parsed.source_format == "html"
    assert Course.objects.count() == 0


@pytest.mark.django_db
def test_development_serves_course_images_but_not_held_uploads(settings, media, client):
    """With DEBUG, Django serves MEDIA_ROOT/courses/ at MEDIA_URL; the uploads
    held under imports/ are not served."""
    import importlib

    from django.urls import clear_url_caches

    import coursesite.urls

    (media / "courses" / "1").mkdir(parents=True)
    (media / "courses" / "1" / "a.png").write_bytes(png())
    (media / "imports" / "abc").mkdir(parents=True)
    (media / "imports" / "abc" / "document").write_bytes(b"secret")
    settings.DEBUG = True
    try:
        importlib.reload(coursesite.urls)
        clear_url_caches()
        assert client.get("/media/courses/1/a.png").status_code == 200
        assert client.get("/media/imports/abc/document").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(coursesite.urls)
        clear_url_caches()


def test_an_image_declaring_a_huge_size_is_refused_without_being_decoded():
    """A small PNG that declares 30,000 × 30,000 pixels (Pillow's decompression
    bomb check) is refused by its size, before anything is decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )
    assert "pixels" in image_problem("a.png", data)


def test_resolve_reads_escaped_alt_text_and_encoded_paths():
    body = r"![A \[b\]](my%20pics/a%20%281%29.png) ![Gone \[x\]](gone.png)"
    urls = {"my pics/a (1).png": "/media/courses/1/a.png"}
    assert lesson_images_resolve(body, urls) == (
        r"![A \[b\]](/media/courses/1/a.png) Gone \[x\]"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["auto", "zip"])
def test_import_document_command_reads_a_zip_and_stores_its_images(
    media, tmp_path, fmt
):
    from django.core.management import call_command

    path = tmp_path / "soil.zip"
    path.write_bytes(course_zip())
    err = io.StringIO()
    call_command(
        "import_document", str(path), "--slug", "soil", "--format", fmt,
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    course = Course.objects.get(slug="soil")
    layers = Lesson.objects.get(course=course, slug="layers")
    assert f'src="/media/courses/{course.pk}/' in layers.body_html
    assert len(list(media.rglob("*.png"))) == 2
    assert 'Image refused: "img/drawing.svg"' in err.getvalue()


@pytest.mark.django_db
def test_import_document_dry_run_stores_no_image(media, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "soil.zip"
    path.write_bytes(course_zip())
    call_command(
        "import_document", str(path), "--dry-run",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert Course.objects.count() == 0
    assert not media.exists() or not any(media.rglob("*.png"))


def course_zip_with(layers: bytes) -> bytes:
    return build_zip({"soil.md": DOC, "img/layers.png": layers})


@pytest.mark.django_db
def test_a_new_version_with_a_changed_image_shows_the_new_image(
    media, django_user_model
):
    user = django_user_model.objects.create_user("teacher", password="x")
    course, _ = document_import_apply(
        data=course_zip_with(png()), name="soil.zip", user=user
    )
    new = png(color=(0, 0, 250))
    preview = document_preview(
        data=course_zip_with(new), name="soil.zip", course=course
    )
    assert preview.changes.changed == ("Layers",)
    _, report = document_import_apply(
        data=course_zip_with(new), name="soil.zip", user=user, course=course
    )
    assert list(report.changed) == ["layers"]
    layers = Lesson.objects.get(course=course, slug="layers")
    url = layers.body_markdown.split("](")[1].split(")")[0]
    assert default_storage.open(url.removeprefix("/media/")).read() == new


@pytest.mark.django_db
def test_a_new_version_with_the_same_images_changes_nothing(media, django_user_model):
    user = django_user_model.objects.create_user("teacher", password="x")
    course, _ = document_import_apply(data=course_zip(), name="soil.zip", user=user)
    preview = document_preview(data=course_zip(), name="soil.zip", course=course)
    assert not preview.changes.has_changes
    _, report = document_import_apply(
        data=course_zip(), name="soil.zip", user=user, course=course
    )
    assert not report.has_changes


@pytest.mark.django_db
def test_import_document_command_reimport_with_same_images_is_up_to_date(
    media, tmp_path
):
    from django.core.management import call_command

    path = tmp_path / "soil.zip"
    path.write_bytes(course_zip())
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_document", str(path), "--slug", "soil", **quiet)
    out = io.StringIO()
    call_command(
        "import_document", str(path), "--slug", "soil",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "is up to date" in out.getvalue()
    path.write_bytes(course_zip_with(png(color=(1, 1, 1))))
    out = io.StringIO()
    call_command(
        "import_document", str(path), "--slug", "soil",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert "changed: layers" in out.getvalue()


def test_site_paths_of_the_documents_own_site_resolve_against_the_upload(settings):
    """A page saved from its site names images from the site's root
    (``/img/https01.png``): that path is looked up in the upload, and an image
    the upload does not hold is its alt text, not a broken image on this site;
    this site's own media and static files are left alone (a course export)."""
    settings.MEDIA_URL, settings.STATIC_URL = "/media/", "/static/"
    body = (
        '<img src="/img/https/https01.png" alt="TLS">\n\n'
        '<img src="/img/https/https02.drawio.svg">\n\n'
        "![Layers](/img/layers.png) ![Site](/static/a.png) "
        "![Stored](/media/courses/1/a.png) [Other](//example.org/a.png)"
    )
    urls = {"img/https/https01.png": "/media/courses/2/b.png"}
    assert lesson_images_resolve(body, urls) == (
        '<img src="/media/courses/2/b.png" alt="TLS">\n\n\n\n'
        "Layers ![Site](/static/a.png) "
        "![Stored](/media/courses/1/a.png) [Other](//example.org/a.png)"
    )


@pytest.mark.django_db
def test_a_site_path_image_missing_from_a_markdown_upload_is_listed(media):
    data = b'# Soil\n\n## Layers\n\n<img src="/img/layers.png" alt="Layers">\n'
    preview = document_preview(data=data, name="soil.md")
    assert 'Image not found: "/img/layers.png" in "Layers".' in preview.warnings


def _img_sources(settings, *sources):
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {
        **policy["DIRECTIVES"], "img-src": ["'self'", "data:", *sources]
    }  # fmt: skip
    settings.CONTENT_SECURITY_POLICY = policy


def test_an_image_on_another_site_the_policy_blocks_is_a_link_to_it(settings):
    """The Content-Security-Policy shows images from other sites only once they
    are listed (CSP_IMG_SOURCES): until then such an image would be broken, so
    it is a link to the image, named by its alt text (or file name)."""
    _img_sources(settings)
    body = (
        "![Swagger UI](https://fastapi.tiangolo.com/img/swagger.png)\n\n"
        '<img alt="Logo" src="//upload.wikimedia.org/a/logo.png" width="20">\n\n'
        '<img src="http://example.org/pics/shot.jpg">'
    )
    assert lesson_images_resolve(body, {}) == (
        "[Swagger UI](https://fastapi.tiangolo.com/img/swagger.png)\n\n"
        '<a href="https://upload.wikimedia.org/a/logo.png">Logo</a>\n\n'
        '<a href="http://example.org/pics/shot.jpg">shot.jpg</a>'
    )
    # A checksum compares the text as imported before: left as it is.
    assert lesson_images_resolve(body, {}, missing_as_alt=False) == body


@pytest.mark.parametrize(
    "sources",
    [("https:",), ("*",), ("fastapi.tiangolo.com", "*.wikimedia.org", "example.org")],
)
def test_an_image_on_a_site_the_policy_lists_stays_an_image(settings, sources):
    _img_sources(settings, *sources)
    body = (
        "![Swagger UI](https://fastapi.tiangolo.com/img/swagger.png)\n\n"
        '<img alt="Logo" src="https://upload.wikimedia.org/a/logo.png">'
    )
    assert lesson_images_resolve(body, {}) == body


@pytest.mark.django_db
def test_the_preview_says_which_images_of_other_sites_become_links(settings, media):
    _img_sources(settings)
    data = b"# API\n\n## Docs\n\n![Swagger UI](https://fastapi.tiangolo.com/s.png)\n"
    preview = document_preview(data=data, name="api.md")
    assert (
        'Image on another site, shown as a link: "https://fastapi.tiangolo.com/s.png"'
        ' in "Docs".'
    ) in preview.warnings
