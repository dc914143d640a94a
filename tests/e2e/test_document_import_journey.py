"""An instructor makes a course from a Markdown file in the staff area, in a real
browser (upload, change a heading's level in the preview, create), publishes it,
updates it from a new version; a student then reads one of its lessons."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from lessons.models import Course
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from tests.axe import serious_violations
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # the factories' password
SHOTS = Path("/tmp/shots-webimport")
DOCUMENT = """# Rivers of Peru

## Coast

The coast is dry and long, and its rivers are short.

### Rímac

The Rímac flows through Lima.

### Santa

The Santa drains the Cordillera Blanca. ![map](images/santa.png)
![view](images/the-cordillera-blanca-and-the-santa-valley-seen-from-huascaran.png)

## Amazon

The Amazon basin is wet.

### amazon_basin_tributaries_and_their_sources_in_the_andes

A name as a program would write it: a long word on a phone.
"""
NEW_VERSION = DOCUMENT.replace(
    "flows through Lima.", "flows through Lima, the capital."
)


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
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


def _shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1280.png", full_page=True)
    assert serious_violations(page) == [], f"{name} at 1280 px"
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} is {width} px wide at 375 px"
    assert serious_violations(page) == [], f"{name} at 375 px"
    page.screenshot(path=SHOTS / f"{name}-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("Document file").set_input_files(
        {"name": name, "mimeType": "text/markdown", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Preview").click()


def test_instructor_imports_a_markdown_file_and_a_student_reads_it(
    page: Page, live_server, people
):
    # The preview and update pages, too, run under the strict policy.
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    _log_in(page, "ines")
    page.goto("/teach/")
    page.get_by_role("link", name="New course from a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "New course from a document"
    )
    _shoot(page, "upload")
    _upload(page, "rivers.md", DOCUMENT)

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: Rivers of Peru")
    outline = page.get_by_test_id("outline")
    expect(outline).to_contain_text("Module 1: Coast")
    expect(outline).to_contain_text("The Rímac flows through Lima.")
    expect(page.get_by_test_id("warnings")).to_contain_text(
        'Image not found: "images/santa.png"'
    )
    _shoot(page, "preview")

    # "Rímac" becomes a module of its own, then the course is created.
    page.get_by_label("Level of section 2").select_option(label="Module")
    page.get_by_role("button", name="Update the preview").click()
    expect(outline).to_contain_text("Module 2: Rímac")
    expect(outline).to_contain_text("Module 3: Amazon")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("status")).to_contain_text("not published yet")
    course = Course.objects.get(title="Rivers of Peru")
    assert not course.is_published
    assert [m.title for m in course.modules.order_by("position")] == [
        "Coast",
        "Rímac",
        "Amazon",
    ]

    # Update from a new version: the diff first, then apply.
    page.get_by_role("link", name="Update from a new version").click()
    _upload(page, "rivers.md", NEW_VERSION)
    expect(page.get_by_test_id("changed")).to_contain_text("Rímac")
    _shoot(page, "update")
    page.get_by_role("button", name="Apply the update").click()
    expect(page.get_by_role("status")).to_contain_text("1 changed")

    # The instructor publishes it in the admin.
    page.goto("/admin/lessons/course/")
    page.locator(f"input[name=_selected_action][value='{course.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 course published")
    page.get_by_role("button", name="Log out").click()

    _log_in(page, "sam")
    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name="Rivers of Peru").click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coast")
    page.goto(course.lessons.get(slug="rimac").get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Rímac")
    expect(page.locator("main")).to_contain_text("flows through Lima, the capital.")
    assert re.search(r"/rimac/?$", page.url)
    assert violations == []
