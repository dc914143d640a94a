"""The staff area's import pages read Word documents, web pages and zips: their
warnings (macros ignored, images refused or missing) show in the preview, and bad
files get a message and write nothing."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lessons.models import Course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, content: bytes, name: str, fmt: str = "auto"):
    return client.post(
        reverse("teach:course-import"),
        {"document": SimpleUploadedFile(name, content), "format": fmt},
    )


def build_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def build_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Soil", style="Title")
    document.add_heading("Layers", level=1)
    document.add_paragraph("The top layer is dark.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_macros(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def test_the_format_choice_offers_html_word_and_zip(teacher_client):
    page = teacher_client.get(reverse("teach:course-import")).content.decode()
    for value in ("html", "docx", "zip"):
        assert f'value="{value}"' in page


@pytest.mark.parametrize("fmt", ["auto", "docx"])
def test_a_word_document_with_macros_is_previewed_with_a_warning(teacher_client, fmt):
    courses = Course.objects.count()
    response = upload(teacher_client, with_macros(build_docx()), "soil.docm", fmt)
    assert response.status_code == 302
    preview = teacher_client.get(response.url).content.decode()
    assert "Preview: Soil" in preview
    assert "Macros ignored" in preview  # a list item starts a sentence
    assert Course.objects.count() == courses


def test_a_zip_with_a_missing_and_an_svg_image_is_previewed_with_warnings(
    teacher_client,
):
    data = build_zip(
        {
            "soil.md": b"# Soil\n\n## A\n\n![map](img/map.png)\n\n"
            b"![sketch](img/s.svg)\n",
            "img/s.svg": b"<svg><script>alert(1)</script></svg>",
        }
    )
    response = upload(teacher_client, data, "soil.zip")
    preview = teacher_client.get(response.url).content.decode()
    assert "Image not found: &quot;img/map.png&quot;" in preview
    assert "Image refused: &quot;img/s.svg&quot;: SVG images are not accepted" in (
        preview
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x00\xffjunk" * 100, "soil.docx", "not a valid Word document"),
        (b"PK\x03\x04broken", "soil.zip", "not a valid zip file"),
        (build_zip({"../evil.md": b"# E\n\n## A\n\nb"}), "soil.zip", "outside itself"),
        (
            build_zip({"a.md": b"# E\n\n## A\n\nb", "b.png": b"\0" * 30_000_000}),
            "soil.zip",
            "zip bomb",
        ),
        (
            b"<html><body><nav>Menu</nav></body></html>",
            "page.html",
            "no section headings",
        ),
    ],
)
def test_bad_files_get_a_message_and_write_nothing(
    teacher_client, media, content, name, message
):
    courses = Course.objects.count()
    response = upload(teacher_client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Course.objects.count() == courses
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
