"""An instructor builds a lesson and its quiz in the admin, in a real browser, and a
student then finds both on the site."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from lessons.models import Lesson
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from quizzes.models import Question, Quiz
from tests.admin.support import SINGLE
from tests.factories import (
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    StaffFactory,
    UserFactory,
    make_course,
    make_question,
    make_quiz,
)

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"  # the factories' password
COURSE_TITLE = "Coastal Defence"
LESSON_TITLE = "Harbour Forts"
QUESTION_TEXT = "What were the harbour forts built of?"
QUIZ_TITLE = "Harbour Forts check"


@pytest.fixture
def people(transactional_db):
    """A published course taught by an instructor, another course they do not
    teach, and an enrolled student."""
    ensure_instructor_group()
    course = make_course(
        modules=1, lessons_per_module=1, slug="coastal", title=COURSE_TITLE
    )
    other = make_course(modules=1, lessons_per_module=1, slug="other", title="Other")
    instructor = StaffFactory(username="ines")
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    course.instructors.add(instructor)
    student = UserFactory(username="sam")
    EnrollmentFactory(user=student, course=course)
    return {"course": course, "other": other, "instructor": instructor}


def _admin_log_in(page: Page, username: str) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _saved(page: Page) -> None:
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        "was added successfully"
    )


def _create_lesson(page: Page) -> None:
    page.get_by_role("link", name="Lessons", exact=True).click()
    page.get_by_role("link", name="Add lesson").click()
    page.locator("#id_course").select_option(label=COURSE_TITLE)
    module = page.locator("#id_module option").nth(1).inner_text()
    page.locator("#id_module").select_option(label=module)
    page.locator("#id_title").press_sequentially(LESSON_TITLE)
    expect(page.locator("#id_slug")).to_have_value("harbour-forts")  # filled in
    page.locator("#id_position").fill("5")
    body = page.locator("#id_body_markdown")
    body.fill("The forts were **stone**.\n\n<script>window.pwned = 1</script>")

    # The live preview is the students' rendering: bold kept, script removed.
    preview = page.get_by_test_id("markdown-preview")
    expect(preview.locator("strong")).to_have_text("stone")
    assert preview.locator("script").count() == 0
    assert page.evaluate("window.pwned") is None
    # It sits right under the field it previews.
    below = page.evaluate(
        "document.getElementById('id_body_markdown').closest('.form-row')"
        ".nextElementSibling.id"
    )
    assert below == "markdown-preview"
    body.press_sequentially("\n\nMore *text*.")
    expect(preview.locator("em")).to_have_text("text")
    # Text the Markdown guard refuses comes back with its reason, not rendered.
    kept = body.input_value()
    body.fill("".join("    " * level + "- a\n" for level in range(30)))
    expect(page.locator(".markdown-preview-status")).to_contain_text(
        "nested 30 levels deep"
    )
    body.fill(kept)
    expect(preview.locator("em")).to_have_text("text")

    page.get_by_role("button", name="Save", exact=True).click()
    _saved(page)


def _create_question(page: Page) -> None:
    page.goto("/admin/quizzes/question/add/")
    # Only the instructor's own course is offered.
    expect(page.locator("#id_course option", has_text="Other")).to_have_count(0)
    page.locator("#id_course").select_option(label=COURSE_TITLE)
    page.locator("#id_lesson").select_option(label=LESSON_TITLE)
    page.locator("#id_key").fill("forts-material")
    page.locator("#id_type").select_option(label="Single choice")
    expect(
        page.locator('[data-question-type="single"]')
    ).to_be_visible()  # the help for the chosen type
    expect(page.locator('[data-question-type="essay"]')).to_be_hidden()
    page.locator("#id_text").fill(QUESTION_TEXT)
    page.locator("#id_answers-0-text").fill("Stone")
    page.locator("#id_answers-0-fraction").fill("0.5")
    page.locator("#id_answers-1-text").fill("Wood")
    page.locator("#id_answers-1-position").fill("1")

    # A question with no right option is refused, naming the problem.
    page.locator("#id_answers-1-fraction").fill("0")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist.nonform")).to_contain_text(
        "At least one option must be worth 100%."
    )
    page.locator("#id_answers-0-fraction").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    _saved(page)


GIFT_QUESTION = "Which sea do the harbour forts face?"
GIFT_FILE = (
    "// Imported through the admin\n"
    "$CATEGORY: harbour\n\n"
    f"::Forts sea::{GIFT_QUESTION} {{=The Pacific ~The Atlantic ~The Caribbean}}\n"
)


def _upload_gift(page: Page, text: str) -> None:
    page.locator("#id_file").set_input_files(
        files=[
            {"name": "forts.gift", "mimeType": "text/plain", "buffer": text.encode()}
        ]
    )
    page.locator("#id_course").select_option(label=COURSE_TITLE)
    page.get_by_role("button", name=re.compile("Import|Upload")).click()


def _import_gift(page: Page) -> None:
    page.goto("/admin/quizzes/question/")
    page.get_by_role("link", name=re.compile("Import questions")).click()
    # A broken file is refused whole, naming the line.
    _upload_gift(page, "::Broken::What is {=this ~that\n")
    expect(page.locator("main")).to_contain_text("Line 1")
    assert not Question.objects.filter(text__startswith="What is").exists()
    _upload_gift(page, GIFT_FILE)
    expect(page.locator("ul.messagelist")).to_be_visible()
    assert Question.objects.filter(text=GIFT_QUESTION, category="harbour").exists()


def _create_and_publish_quiz(page: Page) -> None:
    page.goto("/admin/quizzes/quiz/add/")
    page.locator("#id_course").select_option(label=COURSE_TITLE)
    page.locator("#id_lesson").select_option(label=LESSON_TITLE)
    page.locator("#id_title").press_sequentially(QUIZ_TITLE)
    expect(page.locator("#id_slug")).to_have_value("harbour-forts-check")
    page.get_by_role("button", name="Add another Quiz question").click()
    page.locator("#id_slots-0-question").select_option(label=QUESTION_TEXT)
    page.get_by_role("button", name="Add another Quiz question").click()
    page.locator("#id_slots-1-question").select_option(label="Forts sea")
    page.locator("#id_slots-1-position").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    _saved(page)

    row = page.get_by_role("row", name=re.compile(QUIZ_TITLE))
    row.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option(label="Publish selected quizzes")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("ul.messagelist")).to_contain_text("1 quiz updated.")


def test_instructor_builds_a_lesson_and_quiz_that_a_student_then_takes(
    page: Page, live_server, people
):
    _admin_log_in(page, "ines")
    _create_lesson(page)
    _create_question(page)
    _import_gift(page)
    _create_and_publish_quiz(page)

    lesson = Lesson.objects.get(course=people["course"], slug="harbour-forts")
    quiz = Quiz.objects.get(slug="harbour-forts-check")
    assert quiz.is_published
    assert Question.objects.get(key="forts-material").answers.count() == 2

    # "Preview as student" opens the student-facing page with a preview button.
    page.goto(f"/admin/quizzes/quiz/{quiz.pk}/change/")
    page.get_by_role("link", name="Preview as student").click()
    expect(page.get_by_role("button", name="Preview the quiz")).to_be_visible()

    page.goto("/admin/")
    page.get_by_role("button", name="Log out").click()

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("sam")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(LESSON_TITLE)
    expect(page.locator("main strong", has_text="stone")).to_be_visible()
    # A check with a name of its own is headed by it (said once).
    panel = page.get_by_role("region", name=QUIZ_TITLE)
    expect(panel).to_contain_text(QUIZ_TITLE)
    panel.get_by_role("link", name="Take the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text(QUESTION_TEXT)).to_be_visible()
    expect(page.get_by_text("Stone")).to_be_visible()
    expect(page.get_by_text(GIFT_QUESTION)).to_be_visible()
    expect(page.get_by_label("The Pacific")).to_be_visible()


def test_an_instructor_cannot_open_another_courses_lesson(
    page: Page, live_server, people
):
    other_lesson = people["other"].lessons.first()
    mine = LessonFactory(
        module=ModuleFactory(course=people["course"]), course=people["course"]
    )
    _admin_log_in(page, "ines")

    page.goto(f"/admin/lessons/lesson/{other_lesson.pk}/change/")

    expect(page.locator("ul.messagelist")).to_contain_text("doesn’t exist")
    page.goto("/admin/lessons/lesson/")
    expect(page.get_by_role("link", name=mine.title)).to_be_visible()
    expect(page.get_by_role("link", name=other_lesson.title)).to_have_count(0)


def test_an_instructor_reorders_a_quizs_questions_with_the_move_buttons(
    page: Page, live_server, people
):
    course = people["course"]
    first, second, third = (
        make_question(course=course, data={**SINGLE, "key": key, "title": key})
        for key in ("first", "second", "third")
    )
    quiz = make_quiz(course=course, questions=[first, second, third])
    _admin_log_in(page, "ines")
    page.goto(f"/admin/quizzes/quiz/{quiz.pk}/change/")

    rows = page.locator("#slots-group tr.form-row.has_original")
    rows.nth(0).get_by_role("button", name="Move down").click()
    rows.nth(2).get_by_role("button", name="Move up").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()

    order = list(
        quiz.slots.order_by("position").values_list("question__key", flat=True)
    )
    assert order == ["second", "third", "first"]


def test_the_question_editor_shows_only_the_chosen_types_fields(
    page: Page, live_server, people
):
    _admin_log_in(page, "ines")
    page.goto("/admin/quizzes/question/add/")
    kind = page.locator("#id_type")
    template = page.locator(".form-row.field-response_template")
    case = page.locator(".form-row.field-case_sensitive")
    answers = page.locator("#answers-group")
    number = page.locator("#answers-group th.column-number")

    kind.select_option(label="Short answer")
    expect(case).to_be_visible()
    expect(template).to_be_hidden()
    expect(page.locator("#id_answers-0-text")).to_be_visible()
    expect(number).to_be_hidden()
    expect(page.locator("#id_answers-0-number")).to_be_hidden()

    kind.select_option(label="Essay")
    expect(template).to_be_visible()
    expect(case).to_be_hidden()
    expect(answers).to_be_hidden()  # an essay takes no answer rows

    kind.select_option(label="Numerical")
    expect(answers).to_be_visible()
    expect(number).to_be_visible()
    expect(page.locator("#id_answers-0-text")).to_be_hidden()
    expect(template).to_be_hidden()
