"""A student's journey through the shipped course, in a real browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lessons.selectors import course_outline, outline_lessons
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/e2e-lesson.png")
PASSWORD = "Correct-horse-battery-9"


def _progress(page: Page) -> tuple[int, int]:
    """The progress bar's aria-valuenow and the percentage its label shows."""
    bar = page.get_by_test_id("progress-bar")
    expect(bar).to_be_visible()
    text = page.get_by_test_id("progress-percent").inner_text()
    match = re.match(r"(\d+)\s*%", text)
    assert match, f"no percentage in the progress label {text!r}"
    return int(bar.get_attribute("aria-valuenow")), int(match.group(1))


def _log_in(page: Page, *, username: str, password: str) -> None:
    page.get_by_role("link", name="Log in", exact=True).click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_student_signs_up_completes_a_lesson_and_continues_at_the_next_one(
    page: Page, live_server, seed_course
):
    lessons = outline_lessons(course_outline(course=seed_course))
    first, second = lessons[0], lessons[1]

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.locator("#id_username").fill("ana")
    page.locator("#id_email").fill("ana@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, ana!")

    page.get_by_role("link", name="Courses", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    page.get_by_role("link", name=seed_course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed_course.title)

    # Enrolling opens the first lesson of the course.
    page.get_by_role("button", name="Enrol").click()
    expect(page).to_have_url(re.compile(re.escape(first.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    before = _progress(page)
    assert before == (0, 0)

    page.get_by_role("button", name="Mark complete").click()
    expect(page.get_by_role("status")).to_contain_text("marked complete")
    after = _progress(page)
    assert after[0] > before[0], "aria-valuenow did not move"
    assert after[1] > before[1], "the percentage shown did not move"
    assert after[0] == after[1] == round(100 / len(lessons))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="My learning")).to_have_count(0)

    _log_in(page, username="ana", password=PASSWORD)
    page.get_by_role("link", name="My learning").click()
    card = page.get_by_test_id("enrolled-course")
    expect(card).to_contain_text(seed_course.title)
    card.get_by_role("link", name=re.compile(r"^Continue")).click()

    # The first unfinished lesson, not the one just completed.
    expect(page).to_have_url(re.compile(re.escape(second.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)
    assert _progress(page) == after
    page.screenshot(path=SCREENSHOT)


def test_lesson_page_skip_link_comes_first_and_mark_complete_works_by_keyboard(
    page: Page, live_server, seed_course
):
    lessons = outline_lessons(course_outline(course=seed_course))
    student = UserFactory(username="keyboard")
    EnrollmentFactory(user=student, course=seed_course)
    page.goto("/")
    _log_in(page, username="keyboard", password="pw-for-tests-1")
    page.goto(lessons[0].url)

    skip_link = page.get_by_role("link", name="Skip to main content")
    hidden = skip_link.bounding_box()
    assert hidden["width"] <= 1 and hidden["height"] <= 1, "skip link shows unfocused"
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    shown = skip_link.bounding_box()
    assert shown["width"] > 50 and shown["height"] > 10, f"skip link box {shown}"
    assert shown["y"] >= 0, "focused skip link is off screen"

    mark_complete = page.get_by_role("button", name="Mark complete")
    for _ in range(60):
        if mark_complete.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the Mark complete button")
    expect(mark_complete).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(lessons[1].url) + "$"))
    expect(page.get_by_role("status")).to_contain_text("marked complete")
    assert _progress(page)[0] == round(100 / len(lessons))
