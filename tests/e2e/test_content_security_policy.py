"""The Content-Security-Policy breaks no page: a student, an instructor and an
admin go through the site, the staff area and the admin in Chromium, and the
browser reports no violation (no inline script, style or event handler needed)."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page

from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from quizzes.models import Attempt, Question, Response
from tests.factories import EnrollmentFactory, StaffFactory, UserFactory, make_course
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"  # the factories' password

# Reports every violation of the page's policy to the test, on every page loaded.
REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || document.location.pathname}:${event.lineNumber} ` +
    `(${event.sample})`
  );
});
"""


@pytest.fixture
def school(transactional_db):
    """A course with a lesson, a quiz (with an essay to grade) that a dozen
    students took, its instructor, an admin and a student yet to take it."""
    ensure_instructor_group()
    course = make_course(slug="history", title="History", lessons_per_module=2)
    instructor = StaffFactory(username="ines")
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    course.instructors.add(instructor)
    lesson = course.lessons.order_by("module__position", "position").first()
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE, ESSAY), title="Unit test")
    for n in range(12):
        taker = UserFactory(username=f"taker{n:02d}")
        EnrollmentFactory(user=taker, course=course)
        take(
            quiz,
            taker,
            {
                "capital": ("Lima", "Quito")[n % 2],
                "amazon": "true",
                "essay": f"Essay {n}",
            },
        )
    student = UserFactory(username="sam")
    EnrollmentFactory(user=student, course=course)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    return {"course": course, "lesson": lesson, "quiz": quiz}


@pytest.fixture
def watched(page: Page):
    """The page, with a list that collects every policy violation it reports."""
    violations: list[str] = []
    page.context.expose_function(
        "reportCspViolation", lambda text: violations.append(text)
    )
    page.context.add_init_script(REPORTER)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page, violations


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert "content-security-policy" in response.headers, f"{url} has no policy"
    page.wait_for_load_state("load")
    # Let reports already queued by the page reach the test.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")


def log_in(page: Page, username: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def test_a_student_meets_no_policy_violation(school, watched):
    page, violations = watched
    course, lesson, quiz = school["course"], school["lesson"], school["quiz"]

    for url in ["/", "/accounts/signup/", "/accounts/password_reset/"]:
        visit(page, url)
    log_in(page, "sam")
    for url in [
        "/",
        course.get_absolute_url(),
        lesson.get_absolute_url(),
        "/learning/",
        "/accounts/password_change/",
        quiz.get_absolute_url(),
    ]:
        visit(page, url)
    page.locator("form[action$='/start/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    attempt = Attempt.objects.get(user__username="sam")
    visit(page, f"/attempts/{attempt.pk}/")
    visit(page, f"/attempts/{attempt.pk}/summary/")
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_load_state("load")
    visit(page, f"/attempts/{attempt.pk}/result/")

    assert violations == []


def test_an_instructor_meets_no_policy_violation(school, watched):
    page, violations = watched
    course, lesson, quiz = school["course"], school["lesson"], school["quiz"]
    essay = Response.objects.filter(snapshot__type="essay").order_by("pk").first()
    question = essay.question

    log_in(page, "ines")
    for url in [
        "/teach/",
        "/teach/grading/",
        f"/teach/grading/responses/{essay.pk}/",
        f"/teach/responses/{essay.pk}/override/",
        f"/teach/attempts/{essay.attempt_id}/",
        f"/teach/courses/{course.slug}/",
        f"/teach/courses/{course.slug}/students/{essay.attempt.user_id}/",
        f"/teach/courses/{course.slug}/quizzes/{quiz.slug}/statistics/",
        f"/teach/courses/{course.slug}/regrade/",
        "/teach/import/",
        f"/teach/courses/{course.slug}/update/",
        "/admin/",
        "/admin/quizzes/question/",
        f"/admin/quizzes/question/{question.pk}/change/",
        "/admin/quizzes/question/add/",
        "/admin/quizzes/quiz/",
        f"/admin/quizzes/quiz/{quiz.pk}/change/",
        "/admin/lessons/lesson/",
        f"/admin/lessons/lesson/{lesson.pk}/change/",
        "/admin/lessons/lesson/add/",
        "/admin/quizzes/accommodation/add/",
    ]:
        visit(page, url)

    assert violations == []


def test_an_admin_meets_no_policy_violation(school, watched):
    page, violations = watched
    question = Question.objects.filter(course=school["course"]).first()

    visit(page, "/admin/login/")
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    for url in [
        "/admin/",
        "/admin/quizzes/question/",
        f"/admin/quizzes/question/{question.pk}/change/",
        "/admin/lessons/lesson/",
        f"/admin/lessons/lesson/{school['lesson'].pk}/change/",
        "/admin/lessons/course/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
        "/admin/quizzes/accommodation/",
        "/admin/quizzes/accommodation/add/",
        "/admin/quizzes/question/import-gift/",
        f"/admin/quizzes/question/{question.pk}/history/",
        f"/admin/quizzes/question/{question.pk}/delete/",
        "/admin/password_change/",
    ]:
        visit(page, url)

    assert violations == []
