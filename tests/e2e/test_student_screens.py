"""The student's screens in a real browser at 1280 and 375 px: the catalogue, the
course page, a lesson, a quiz's front page, the confirmation before a timed
attempt, the Grades page and My learning. On each: no wider than the window, no
serious or critical axe finding, every control at least 44 px; a screenshot of
each goes to var/screenshots/ (not committed) for a reviewer to look at.

And what only a browser shows: the lesson's outline behind a button on a phone
(with and without JavaScript), its current module open, and the timed attempt
that starts only once confirmed.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from lessons.services import enrollment_create, lesson_complete
from quizzes.models import Attempt, AttemptState, Quiz
from tests.axe import overflow, serious_violations
from tests.e2e.touch import small_targets
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

QUESTIONS_FILE = Path("content/military-diplomacy.questions.json")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's
WIDTHS = (1280, 375)
LESSON_SLUG = "peru"  # the second lesson of a module of four


@pytest.fixture
def course(seed_course):
    """The shipped course and its question bank; a student part-way through it,
    with a graded check and a timed final exam."""
    call_command(
        "import_questions",
        str(settings.BASE_DIR / QUESTIONS_FILE),
        "--course",
        seed_course.slug,
        stdout=io.StringIO(),
    )
    student = UserFactory(username="maria")
    enrollment_create(user=student, course=seed_course)
    lessons = list(seed_course.lessons.order_by("module__position", "position"))
    for lesson in lessons[:4]:
        lesson_complete(user=student, lesson=lesson)
    check = Quiz.objects.get(course=seed_course, slug="check-introduction")
    earlier = timezone.now() - timedelta(days=1)
    Attempt.objects.create(
        quiz=check,
        user=student,
        number=1,
        state=AttemptState.GRADED,
        started_at=earlier,
        submitted_at=earlier,
        max_score=6,
        score=5,
        fraction=5 / 6,
        passed=True,
    )
    exam = Quiz.objects.get(course=seed_course, slug="final-exam")
    assert exam.time_limit == timedelta(minutes=30)
    return seed_course


def _log_in(page: Page, username: str = "maria") -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    # (On a phone the button is inside the folded navbar.)
    expect(page.locator("button", has_text="Log out")).to_be_attached()


def _check(page: Page, name: str, width: int) -> list[str]:
    """What is wrong with the page as shown (empty when nothing), and its
    screenshot written."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"student-{name}-{width}.png", full_page=True)
    problems = [f"{name}: {v}" for v in serious_violations(page)]
    if (wider := overflow(page)) > 0:
        problems.append(f"{name}: {wider} px wider than the window")
    problems += [f"{name}: small target {t}" for t in small_targets(page)]
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_student_screen_fits_is_accessible_and_easy_to_tap(
    page: Page, course, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page)
    exam = Quiz.objects.get(course=course, slug="final-exam")
    problems = []

    page.goto("/")
    expect(page.get_by_test_id("course-state")).to_contain_text("Enrolled")
    expect(page.get_by_test_id("course-summary")).to_contain_text(
        "Military diplomacy in South America plays a pivotal role"
    )
    problems += _check(page, "catalogue", width)

    page.goto(course.get_absolute_url())
    expect(page.get_by_test_id("course-facts")).to_contain_text("19 lessons")
    problems += _check(page, "course", width)

    page.goto(f"{course.get_absolute_url()}lessons/{LESSON_SLUG}/")
    if width < 992:
        page.get_by_role("button", name=re.compile("Course outline")).click()
        # Opened, its animation over.
        expect(page.locator("#outline-panel")).to_have_class(re.compile(r"\bshow\b"))
    problems += _check(page, "lesson", width)

    page.goto(exam.get_absolute_url())
    expect(page.get_by_test_id("question-count")).to_have_text("20 questions")
    problems += _check(page, "quiz", width)

    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_test_id("start-confirm")).to_be_visible()
    problems += _check(page, "quiz-start-confirm", width)

    page.goto(f"{course.get_absolute_url()}grades/")
    expect(page.get_by_test_id("course-total")).to_be_visible()
    problems += _check(page, "grades", width)

    page.goto("/learning/")
    problems += _check(page, "my-learning", width)

    assert problems == []
    assert not Attempt.objects.filter(quiz=exam).exists()


def test_on_a_phone_the_outline_waits_behind_a_button(page: Page, course):
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page)
    page.goto(f"{course.get_absolute_url()}lessons/{LESSON_SLUG}/")

    outline = page.get_by_role("navigation", name="Course outline")
    button = page.get_by_role("button", name=re.compile("Course outline"))
    expect(outline).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_contain_text("4 of 19 done")
    # The button comes before the lesson, the lesson right after it.
    assert (
        button.bounding_box()["y"]
        < page.get_by_role("heading", level=1).bounding_box()["y"]
    )

    button.click()

    expect(outline).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    # The current lesson's module is open, the others are folded.
    current = outline.locator("[aria-current=page]")
    expect(current).to_have_text("Peru")
    expect(outline.locator("details[open]")).to_have_count(1)
    expect(outline.locator("details[open] summary")).to_contain_text("Key Players")
    folded = outline.locator("details", has_text="Multilateral Cooperation")
    expect(folded).not_to_have_attribute("open", "")
    folded.locator("summary").click()
    expect(folded).to_have_attribute("open", "")


def test_on_a_wide_screen_the_outline_sits_beside_the_lesson(page: Page, course):
    _log_in(page)
    page.goto(f"{course.get_absolute_url()}lessons/{LESSON_SLUG}/")

    outline = page.get_by_role("navigation", name="Course outline")
    expect(outline).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Course outline"))).to_be_hidden()
    # Folded modules keep the outline short: no taller than the window.
    assert outline.bounding_box()["height"] < 900
    lesson = page.get_by_role("heading", level=1).bounding_box()
    assert outline.bounding_box()["x"] + outline.bounding_box()["width"] <= lesson["x"]


def test_without_javascript_the_phone_outline_is_simply_shown(
    chromium, live_server, course
):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        _log_in(page)
        page.goto(f"{course.get_absolute_url()}lessons/{LESSON_SLUG}/")

        expect(page.get_by_role("navigation", name="Course outline")).to_be_visible()
        expect(page.locator(".outline-toggle")).to_be_hidden()
    finally:
        context.close()


def test_a_timed_attempt_starts_only_once_confirmed(page: Page, course):
    exam = Quiz.objects.get(course=course, slug="final-exam")
    _log_in(page)
    page.goto(exam.get_absolute_url())
    expect(page.get_by_test_id("time-limit")).to_have_text("30 minutes")

    page.get_by_role("button", name="Start the quiz").click()
    confirm = page.get_by_test_id("start-confirm")
    expect(confirm).to_contain_text(
        "Your attempt will have a time limit of 30 minutes."
    )
    expect(confirm).to_contain_text("cannot be paused")
    confirm.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(r"/quizzes/final-exam/$"))
    assert not Attempt.objects.filter(quiz=exam).exists()

    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Start attempt").click()

    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(quiz=exam)
    assert attempt.deadline is not None


def test_the_grades_page_is_reached_from_my_learning_and_the_course(page: Page, course):
    _log_in(page)
    page.goto("/learning/")
    page.get_by_role("link", name=re.compile("^Grades")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Your grades")
    first = page.get_by_test_id("grade-row").first
    expect(first).to_contain_text("Check: Introduction")
    expect(first).to_contain_text("83.3%")
    expect(first).to_contain_text("Passed")
    expect(page.get_by_test_id("course-result")).to_contain_text("Not passing yet")

    page.get_by_role("link", name="Back to the course").click()
    page.get_by_role("link", name="Grades", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your grades")
