"""Reference-style links and images in Markdown (``[text][label]`` with the
``[label]: url`` definition elsewhere): books define them at the end of the
chapter, blogs after the paragraph. Once the document is cut into lessons, each
lesson must still find the definitions it uses, or the student reads the
brackets as text and sees no image (corpus docs 01, 02 and 14)."""

import io
import zipfile

import pytest
from PIL import Image

from lessons.document_import import document_import_apply, document_preview
from lessons.importing import parse_markdown
from lessons.models import Lesson
from lessons.rendering import render_lesson

CHAPTER = """## Data Types

Every value has a type.

### Integer Types

Signed numbers use [two's complement][twos-complement]; see [Chapter 4][heap]
and the [vectors] chapter.

### The Array Type

An array is fixed, unlike a [vector][vectors].

```text
[not-a-definition]: https://example.org/in-code
```

[twos-complement]: https://en.wikipedia.org/wiki/Two%27s_complement
[heap]: ch04-01-what-is-ownership.html#the-stack-and-the-heap
[Vectors]: ch08-01-vectors.html "Vectors"
"""


def lesson_html(doc, title):
    (found,) = [lesson for lesson in doc.lessons() if lesson.title == title]
    return render_lesson(found.body_markdown)


def test_links_defined_at_the_end_of_the_chapter_work_in_every_lesson():
    doc = parse_markdown(CHAPTER)
    integers = lesson_html(doc, "Integer Types")
    assert (
        '<a href="https://en.wikipedia.org/wiki/Two%27s_complement" rel="noopener">'
        "two's complement</a>" in integers
    )
    assert '<a href="ch04-01-what-is-ownership.html#the-stack-and-the-heap"' in (
        integers
    )
    assert 'href="ch08-01-vectors.html" title="Vectors" rel="noopener">vectors</a>' in (
        integers
    )
    assert "][" not in integers and "[vectors]" not in integers
    arrays = lesson_html(doc, "The Array Type")
    assert 'href="ch08-01-vectors.html" title="Vectors" rel="noopener">vector</a>' in (
        arrays
    )


def test_carried_definitions_show_no_text_and_only_those_used_are_carried():
    doc = parse_markdown(CHAPTER)
    (integers,) = [x for x in doc.lessons() if x.title == "Integer Types"]
    # Definitions render to nothing: the lesson reads as before.
    assert "https://" not in render_lesson(integers.body_markdown).replace(
        'href="https://', ""
    )
    assert "[not-a-definition]" not in integers.body_markdown
    introduction = doc.lessons()[0]
    assert introduction.body_markdown == "Every value has a type."


def test_a_lesson_without_references_is_unchanged():
    doc = parse_markdown("## A\n\nPlain [text] here.\n\n## B\n\nMore.\n")
    assert [x.body_markdown for x in doc.lessons()] == ["Plain [text] here.", "More."]


def png(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(out, "PNG")
    return out.getvalue()


BLOG = b"""# The past

## History

It began small.

![Version 0.1][v01]

![The old search][search]

  [v01]: past/v01.png
  [search]: past/search.png

## Funding

![Funding][funding]

Sponsors pay.

  [funding]: past/funding.png
"""


def blog_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("past.md", BLOG)
        archive.writestr("past/v01.png", png())
        archive.writestr("past/funding.png", png(color=(0, 90, 0)))
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_URL = "/media/"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_reference_images_in_a_zip_are_stored_and_a_missing_one_is_listed(media):
    preview = document_preview(data=blog_zip(), name="past.zip")
    warnings = "\n".join(preview.warnings)
    assert 'Image not found: "past/search.png"' in warnings
    assert "v01.png" not in warnings and "funding.png" not in warnings


@pytest.mark.django_db
def test_reference_images_are_shown_from_media_and_missing_ones_as_alt_text(
    media, django_user_model
):
    user = django_user_model.objects.create_user("teacher", password="x")
    course, _report = document_import_apply(data=blog_zip(), name="past.zip", user=user)
    history = Lesson.objects.get(course=course, slug="history").body_html
    assert f'<img alt="Version 0.1" src="/media/courses/{course.pk}/' in history
    assert "The old search" in history and "search.png" not in history
    assert history.count("<img") == 1
    funding = Lesson.objects.get(course=course, slug="funding").body_html
    assert f'<img alt="Funding" src="/media/courses/{course.pk}/' in funding
    assert len(list(media.rglob("*.png"))) == 2
