"""A student answers a cloze question in a real browser: types in a gap, picks in
a drop-down and ticks boxes inside the text, submits, and reads the review gap by
gap."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Attempt
from tests.browser import log_in
from tests.factories import (
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/e2e-cloze-review.png")
CLOZE = {
    "type": "cloze",
    "title": "Peru in gaps",
    "text": (
        "The capital of Peru is {1:SHORTANSWER:=Lima#Right, Lima.~*#Not that city.}"
        " and its port is {2:MULTICHOICE:Cusco#Cusco is in the mountains.~"
        "=Callao#Yes, Callao.~Arequipa}.\n\n"
        "Andean countries: {1:MULTIRESPONSE:=Peru~=Bolivia~Uruguay#Not Andean.}\n\n"
        "Lake Titicaca lies at {1:NUMERICAL:=3812:10#About right.} metres."
    ),
    "general_feedback": "",
}


@pytest.fixture
def quiz(transactional_db):
    course = make_course(modules=1, lessons_per_module=1, slug="cloze-course")
    quiz = make_quiz(course=course, slug="gaps", questions=[CLOZE])
    EnrollmentFactory(user=UserFactory(username="ana"), course=course)
    return quiz


def test_student_fills_the_gaps_and_sees_each_gap_in_the_review(page: Page, quiz):
    log_in(page, "ana")
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(quiz=quiz, user__username="ana")

    question = page.locator("fieldset#q0")
    text = question.locator(".question-text")
    # The gaps are in the sentence, each labelled for screen readers, and the
    # page holds no answer and no feedback.
    expect(text).to_contain_text("The capital of Peru is")
    html = page.content()
    for secret in ("Lima", "Right, Lima", "Yes, Callao", "3812", "{1:"):
        assert secret not in html, secret

    text.get_by_label("Gap 1 of 4").fill("lima")
    text.get_by_label("Gap 2 of 4").select_option(label="Callao")
    boxes = text.get_by_role("group", name="Gap 3 of 4")
    boxes.get_by_label("Peru", exact=True).check()
    boxes.get_by_label("Uruguay", exact=True).check()
    text.get_by_label("Gap 4 of 4").fill("3 900")

    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    # Shown again as saved.
    expect(text.get_by_label("Gap 1 of 4")).to_have_value("lima")
    expect(text.get_by_label("Gap 2 of 4").locator("option:checked")).to_have_text(
        "Callao"
    )
    expect(boxes.get_by_label("Uruguay", exact=True)).to_be_checked()
    response = attempt.responses.get()
    assert response.answer == {"1": "lima", "2": "b", "3": ["a", "c"], "4": "3 900"}

    page.get_by_role("button", name="Finish attempt…").click()
    page.get_by_role("button", name="Submit all and finish").click()

    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/result/$"))
    article = page.locator("article#q0")
    expect(article.locator("header .badge")).to_have_text("Partly correct")
    gaps = article.get_by_test_id("cloze-parts").locator("li")
    expect(gaps).to_have_count(4)
    expect(gaps.nth(0)).to_contain_text("Gap 1: lima")
    expect(gaps.nth(0).locator(".badge")).to_have_text("Correct")
    expect(gaps.nth(0)).to_contain_text("Right, Lima.")
    expect(gaps.nth(1)).to_contain_text("Gap 2: Callao")
    expect(gaps.nth(1).locator(".badge")).to_have_text("Correct")
    expect(gaps.nth(2)).to_contain_text("Gap 3: Peru; Uruguay")
    expect(gaps.nth(2).locator(".badge")).to_have_text("Incorrect")
    expect(gaps.nth(2)).to_contain_text("Not Andean.")
    expect(gaps.nth(2)).to_contain_text("Right answer: Peru; Bolivia")
    expect(gaps.nth(3)).to_contain_text("Gap 4: 3 900")
    expect(gaps.nth(3).locator(".badge")).to_have_text("Incorrect")
    expect(gaps.nth(3)).to_contain_text("Right answer: 3812 ± 10")
    # The text shows the answers given in place, read-only, marked per gap.
    review_text = article.locator(".question-text")
    expect(review_text.get_by_label("Gap 1 of 4")).to_have_value("lima")
    expect(review_text.get_by_label("Gap 1 of 4")).to_be_disabled()
    expect(review_text.locator(".cloze-incorrect")).to_have_count(2)
    page.screenshot(path=SCREENSHOT, full_page=True)
    # Weights 1, 2, 1, 1: gaps 1 and 2 right -> 3/5 of the mark.
    response.refresh_from_db()
    assert response.fraction == pytest.approx(0.6)
