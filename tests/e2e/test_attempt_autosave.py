"""The attempt page in a real browser: it saves by itself while the student works
and when they leave, says so in a polite status line, and two tabs on one attempt
never wipe each other's answers."""

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes import services, views
from quizzes.models import Attempt, Response
from tests.browser import log_in
from tests.factories import (
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)
from tests.quizzes.samples import sample

pytestmark = pytest.mark.browser


@pytest.fixture
def attempt(transactional_db) -> Attempt:
    course = make_course(modules=1, lessons_per_module=1, slug="autosave")
    quiz = make_quiz(
        course=course,
        slug="check",
        questions=[sample("shortanswer"), sample("truefalse"), sample("essay")],
    )
    student = UserFactory(username="tabs")
    EnrollmentFactory(user=student, course=course)
    return services.attempt_start(quiz=quiz, user=student)


def _answer(attempt: Attempt, position: int):
    return Response.objects.get(attempt=attempt, position=position).answer


def _short_answer(page: Page):
    return page.locator("fieldset#q0").get_by_label("Your answer", exact=True)


def test_typing_is_saved_by_itself_and_survives_a_reload(
    page: Page, attempt, monkeypatch
):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 1)
    log_in(page, "tabs")
    page.goto(attempt.get_absolute_url())
    live = page.locator("#autosave-status")
    expect(live).to_have_attribute("aria-live", "polite")

    _short_answer(page).fill("Lima")

    expect(live).to_have_text(re.compile(r"^Saved \d{1,2}:\d{2}"))
    page.reload()
    expect(_short_answer(page)).to_have_value("Lima")
    assert _answer(attempt, 0) == "Lima"
    # The new sequence went into the hidden field: the next save is not stale.
    expect(page.locator('input[name="q0-seq"]')).to_have_value("1")
    _short_answer(page).fill("Quito")
    expect(live).to_have_text(re.compile(r"^Saved "))
    page.reload()
    expect(_short_answer(page)).to_have_value("Quito")


def test_leaving_the_page_saves_what_was_typed(page: Page, attempt, monkeypatch):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 3600)  # only leaving saves
    log_in(page, "tabs")
    page.goto(attempt.get_absolute_url())

    page.locator("fieldset#q2 textarea").fill("Treaties matter.")
    page.goto(attempt.quiz.get_absolute_url())

    # The save leaves with the page (fetch keepalive): wait until it has landed.
    for _ in range(150):
        if _answer(attempt, 2) is not None:
            break
        page.wait_for_timeout(100)
    assert _answer(attempt, 2) == "Treaties matter."
    page.goto(attempt.get_absolute_url())
    expect(page.locator("fieldset#q2 textarea")).to_have_value("Treaties matter.")


def test_an_older_tab_does_not_wipe_the_newer_answer(page: Page, attempt, monkeypatch):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 3600)
    log_in(page, "tabs")
    tab_a = page
    tab_a.goto(attempt.get_absolute_url())
    tab_b = page.context.new_page()
    tab_b.goto(attempt.get_absolute_url())

    _short_answer(tab_a).fill("Lima")
    tab_a.get_by_role("button", name="Save answers").click()
    expect(tab_a.get_by_text("Your answers are saved.")).to_be_visible()
    tab_b.locator("fieldset#q1").get_by_label("True", exact=True).check()
    tab_b.get_by_role("button", name="Save answers").click()

    expect(
        tab_b.get_by_text("Question 1 was changed in another window")
    ).to_be_visible()
    expect(_short_answer(tab_b)).to_have_value("Lima")
    assert _answer(attempt, 0) == "Lima"
    assert _answer(attempt, 1) is True


def test_a_too_long_essay_is_shown_beside_the_question_on_a_narrow_screen(
    page: Page, attempt, monkeypatch
):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 3600)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, "tabs")
    page.goto(attempt.get_absolute_url())

    _short_answer(page).fill("Lima")
    page.locator("fieldset#q2 textarea").fill("y" * 501)
    page.get_by_role("button", name="Save answers").click()

    expect(page.locator("#q2-error")).to_contain_text("too long")
    expect(page.locator("fieldset#q2 textarea")).to_have_value("y" * 501)
    expect(page.locator("fieldset#q2 textarea")).to_have_accessible_description(
        re.compile("too long")
    )
    assert _answer(attempt, 0) == "Lima"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_an_autosave_from_an_older_tab_says_what_changed_elsewhere(
    page: Page, attempt, monkeypatch
):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 1)
    log_in(page, "tabs")
    page.goto(attempt.get_absolute_url())
    services.attempt_save_answers(attempt=attempt, answers={0: "Lima"})  # tab A
    live = page.locator("#autosave-status")

    _short_answer(page).fill("Quito")
    page.locator("fieldset#q1").get_by_label("True", exact=True).check()

    expect(live).to_contain_text("Question 1 was changed in another window")
    expect(live).to_contain_text("Reload the page")
    assert _answer(attempt, 0) == "Lima"
    assert _answer(attempt, 1) is True
    page.reload()
    expect(_short_answer(page)).to_have_value("Lima")


def test_an_autosave_shows_a_too_long_essay_beside_it(page: Page, attempt, monkeypatch):
    monkeypatch.setattr(views, "AUTOSAVE_SECONDS", 1)
    log_in(page, "tabs")
    page.goto(attempt.get_absolute_url())

    page.locator("fieldset#q2 textarea").fill("y" * 501)

    expect(page.locator("#q2-error")).to_contain_text("too long")
    expect(page.locator("fieldset#q2 textarea")).to_have_attribute(
        "aria-invalid", "true"
    )
    page.locator("fieldset#q2 textarea").fill("Short enough.")
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    expect(page.locator("#q2-error")).to_have_text("")
    assert _answer(attempt, 2) == "Short enough."
