"""The question editor in a real browser: tags as chips over the plain text box
(added with Enter or a comma, removed with their button, saved as a list), and
the preview of the question as a student sees it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from quizzes.models import Question
from tests.axe import overflow, serious_violations, unnamed_scroll_boxes
from tests.e2e.touch import small_targets
from tests.factories import StaffFactory, make_course, make_question
from tests.quizzes.samples import MATCHING

pytestmark = pytest.mark.browser

SINGLE = {
    "type": "single",
    "text": "Which treaty ended the war?",
    "general_feedback": "The 1828 treaty.",
    "options": [
        {"text": "Montevideo", "fraction": 1.0, "feedback": "Right."},
        {"text": "Madrid", "fraction": 0.0, "feedback": "No."},
    ],
}


@pytest.fixture
def question(transactional_db, page, live_server):
    return _logged_in_question(page, live_server, SINGLE)


@pytest.fixture
def matching(transactional_db, page, live_server):
    return _logged_in_question(page, live_server, MATCHING)


def _logged_in_question(page, live_server, data):
    ensure_instructor_group()
    course = make_course(slug="history")
    user = StaffFactory(username="ines")
    user.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    course.instructors.add(user)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    return make_question(course=course, data=data, tags=["treaties", "1828"])


def test_tags_are_chips_added_with_enter_and_removed_with_a_button(question, page):
    page.goto(f"/admin/quizzes/question/{question.pk}/change/")
    chips = page.locator(".tag-input-chip")
    expect(chips).to_have_count(2)
    expect(page.locator("#id_tags")).to_be_hidden()

    entry = page.get_by_role("textbox", name="Tags")
    entry.fill("border disputes")
    entry.press("Enter")  # adds a chip, does not submit the form
    entry.fill("war")
    entry.press(",")
    expect(chips).to_have_count(4)
    page.get_by_role("button", name="Remove tag 1828").click()
    expect(chips).to_have_count(3)
    assert serious_violations(page) == []

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    question.refresh_from_db()
    assert question.tags == ["treaties", "border disputes", "war"]


def test_the_preview_shows_the_question_without_its_answers(question, page):
    page.goto(f"/admin/quizzes/question/{question.pk}/change/")
    page.get_by_role("link", name="Preview as a student").click()

    preview = page.get_by_test_id("question-preview")
    expect(preview).to_contain_text("Which treaty ended the war?")
    expect(preview.get_by_label("Montevideo")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("The 1828 treaty.")
    expect(page.locator("body")).not_to_contain_text("Right.")
    page.set_viewport_size({"width": 375, "height": 800})
    assert overflow(page) <= 0
    assert serious_violations(page) == []
    assert Question.objects.get(pk=question.pk).tags == ["treaties", "1828"]


_ANSWER_CONTROLS_OUTSIDE = """() => {
  const out = [];
  const group = document.querySelector('.stacking-rows');
  for (const el of group.querySelectorAll('input:not([type=hidden]), textarea')) {
    const box = el.getBoundingClientRect();
    if (!box.width) continue;  // a column the type does not use
    let clip = el.parentElement;
    for (; clip && clip !== group.parentElement; clip = clip.parentElement) {
      const edge = clip.getBoundingClientRect();
      if (getComputedStyle(clip).overflowX !== 'visible'
          && (box.left < edge.left - 1 || box.right > edge.right + 1)) break;
    }
    const clipped = clip && clip !== group.parentElement;
    if (box.left < 0 || box.right > window.innerWidth || clipped) out.push(el.name);
  }
  return out;
}"""


def test_the_answer_rows_stack_on_a_phone_with_a_label_on_each_box(matching, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/admin/quizzes/question/{matching.pk}/change/")

    rows = page.locator(".stacking-rows tbody tr.form-row:not(.empty-form)")
    expect(rows).to_have_count(5)
    assert overflow(page) <= 0
    # Every box is on the screen whole, not behind a sideways scroll.
    assert page.evaluate(_ANSWER_CONTROLS_OUTSIDE) == []
    first = rows.first
    expect(first.locator("label", has_text="Matching answer")).to_be_visible()
    expect(first.locator("label", has_text="Text")).to_be_visible()
    assert unnamed_scroll_boxes(page) == []
    assert [t for t in small_targets(page) if "answers" in t or "↑" in t] == []
    assert serious_violations(page) == []

    first.get_by_role("textbox", name="Matching answer").fill("Lima, the capital")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    assert matching.answers.filter(match_text="Lima, the capital").exists()


def test_the_answer_rows_stay_a_table_on_a_wide_window(matching, page):
    page.goto(f"/admin/quizzes/question/{matching.pk}/change/")

    expect(page.locator(".stacking-rows thead")).to_be_visible()
    expect(
        page.locator(".stacking-rows tbody tr.form-row label", has_text="Text").first
    ).to_be_hidden()
    assert unnamed_scroll_boxes(page) == []
