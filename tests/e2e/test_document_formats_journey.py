"""An instructor makes courses from a Word document and from a zip of a Markdown
file with its images, in a real browser, adjusting a level in the preview; a
student reads their lessons and every image loads (a missing or refused one
shows as its alt text), and a lesson with a wide picture, a wide table and a
long address fits a phone."""

import io
import zipfile

import docx
import pytest
from django.contrib.auth.models import Group
from PIL import Image
from playwright.sync_api import Page, expect

from lessons.models import Course
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # the factories' password


def _png(color, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 8 + "page.html"


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Soil from Word", style="Title")
    document.add_heading("Layers", level=1)
    document.add_paragraph("The top layer is dark.")
    document.add_picture(io.BytesIO(_png((90, 60, 20))))
    document.add_heading("Water", level=1)
    document.add_paragraph("Water drains through sand.")
    document.add_picture(io.BytesIO(_png((20, 60, 160), size=(2400, 200))))
    document.add_paragraph(f"Read more at {LONG_URL}")
    table = document.add_table(rows=2, cols=9)
    for column in range(9):
        table.cell(0, column).text = f"Column{column}heading"
        table.cell(1, column).text = f"value{column}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip() -> bytes:
    markdown = (
        "# Soil from a zip\n\n## Roots\n\nRoots hold the soil.\n\n"
        "![Roots drawing](img/roots.png)\n\n![Lost map](img/map.png)\n\n"
        "## Worms\n\nWorms mix it.\n\n![A sketch](img/sketch.svg)\n"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("soil/soil.md", markdown)
        archive.writestr("soil/img/roots.png", _png((20, 120, 20)))
        archive.writestr("soil/img/sketch.svg", "<svg><script>alert(1)</script></svg>")
    return out.getvalue()


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    ensure_instructor_group()
    instructor = StaffFactory(username="ines")
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    UserFactory(username="sam")
    return instructor


def _log_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Log in", exact=True).click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _create(page: Page, name: str, mime: str, data: bytes) -> None:
    page.goto("/teach/")
    page.get_by_role("link", name="New course from a document").click()
    page.get_by_label("Document file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("outline")).to_be_visible()


def _images_loaded(page: Page) -> list[int]:
    images = page.locator("main img")
    expect(images.first).to_be_visible()
    page.wait_for_function(
        "[...document.querySelectorAll('main img')].every(i => i.complete)"
    )
    return page.eval_on_selector_all("main img", "all => all.map(i => i.naturalWidth)")


def test_instructor_imports_docx_and_zip_and_a_student_sees_their_images(
    page: Page, live_server, people
):
    _log_in(page, "ines")
    _create(
        page,
        "soil.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx(),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: Soil from Word")
    outline = page.get_by_test_id("outline")
    expect(outline).to_contain_text("Module 2: Water")
    # "Water" becomes a lesson of the module before.
    page.get_by_label("Level of section 2").select_option(label="Lesson")
    page.get_by_role("button", name="Update the preview").click()
    expect(outline).not_to_contain_text("Module 2")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("status")).to_contain_text("not published yet")
    word = Course.objects.get(title="Soil from Word")
    assert [
        (module.title, [lesson.title for lesson in module.lessons.order_by("position")])
        for module in word.modules.order_by("position")
    ] == [("Layers", ["Layers", "Water"])]

    _create(page, "soil.zip", "application/zip", _zip())
    warnings = page.get_by_test_id("warnings")
    expect(warnings).to_contain_text('Image not found: "img/map.png"')
    expect(warnings).to_contain_text('Image refused: "img/sketch.svg"')
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("status")).to_contain_text("not published yet")
    Course.objects.update(is_published=True)
    page.get_by_role("button", name="Log out").click()

    _log_in(page, "sam")
    page.goto(word.get_absolute_url())
    page.get_by_role("button", name="Enrol").click()
    page.goto(word.lessons.get(slug="layers").get_absolute_url())
    expect(page.locator("main")).to_contain_text("The top layer is dark.")
    assert _images_loaded(page) == [40]
    page.goto(word.lessons.get(slug="water").get_absolute_url())
    assert _images_loaded(page) == [2400]
    expect(page.locator("main table")).to_contain_text("Column8heading")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width, f"the lesson is {page_width} px wide at {width}"
        picture = page.locator("main img").bounding_box()
        assert picture["x"] + picture["width"] <= width
    page.set_viewport_size({"width": 1280, "height": 900})

    zipped = Course.objects.get(title="Soil from a zip")
    page.goto(zipped.get_absolute_url())
    page.get_by_role("button", name="Enrol").click()
    page.goto(zipped.lessons.get(slug="roots").get_absolute_url())
    main = page.locator("main")
    expect(main).to_contain_text("Roots hold the soil.")
    assert _images_loaded(page) == [40]
    expect(main.get_by_role("img", name="Roots drawing")).to_be_visible()
    expect(main).to_contain_text("Lost map")
    page.goto(zipped.lessons.get(slug="worms").get_absolute_url())
    expect(page.locator("main")).to_contain_text("A sketch")
    assert page.locator("main img").count() == 0
