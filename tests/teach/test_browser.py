"""An instructor's journey in real Chromium: grade essays from the keyboard,
override a score with a reason, fix a key and regrade after a dry run, read the
statistics and their flags, and export both CSV files."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from lessons.roles import INSTRUCTORS_GROUP
from quizzes.models import GradeChange, Response
from tests.factories import StaffFactory, make_course
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def classroom(transactional_db):
    course = make_course(slug="history", title="History", lessons_per_module=2)
    teacher = StaffFactory(username="teacher")
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    course.instructors.add(teacher)
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE, ESSAY), title="Unit test")
    from tests.factories import EnrollmentFactory, UserFactory

    for n in range(12):
        student = UserFactory(username=f"student{n:02d}")
        EnrollmentFactory(user=student, course=course)
        answers = {
            "capital": ("Lima", "Quito", "Cusco")[n % 3],
            "amazon": "true" if n % 2 else "false",
        }
        if n < 2:
            answers["essay"] = f"Essay number {n}"
        take(quiz, student, answers)
    return course, quiz


def _log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_instructor_grades_overrides_regrades_reads_statistics_and_exports(
    classroom, page
):
    course, quiz = classroom
    _log_in(page)

    # Grade both essays from the keyboard: Ctrl+Enter saves and opens the next.
    page.get_by_role("link", name="Teaching").click()
    page.get_by_role("link", name="Grading queue").click()
    page.get_by_test_id("start-grading").click()
    for score in ("3", "2.5"):
        page.get_by_label("Score").fill(score)
        page.get_by_label("Feedback to the student").fill("Well argued")
        page.get_by_label("Feedback to the student").press("Control+Enter")
        page.wait_for_load_state()
    page.get_by_test_id("queue-empty").wait_for()
    essays = Response.objects.filter(snapshot__type="essay", answer__isnull=False)
    assert sorted(essays.values_list("score", flat=True)) == [2.5, 3.0]

    # Override a score with a reason: it shows in the attempt's audit trail.
    attempt = essays.order_by("pk").first().attempt
    page.goto(f"/teach/attempts/{attempt.pk}/")
    page.get_by_role("link", name="Override score question 1").click()
    page.get_by_label("Score").fill("1")
    page.get_by_label("Reason").fill("Accepted after appeal")
    page.get_by_role("button", name="Override the score").click()
    assert "Accepted after appeal" in page.get_by_test_id("audit-trail").inner_text()

    # Statistics: enough attempts for figures, and from each question a link to
    # edit it in the admin and one to the regrade dry run.
    page.goto(f"/teach/courses/{course.slug}/quizzes/{quiz.slug}/statistics/")
    assert page.get_by_test_id("item-statistics").is_visible()
    capital = question(course, "check", "capital")
    edit_link = page.locator(f'a[href="/admin/quizzes/question/{capital.pk}/change/"]')
    assert edit_link.count() >= 1

    # Fix the key (as the admin would), then regrade after a dry run.
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == "Quito" else 0.0
        answer.save()
    page.locator(f'a[href$="regrade/?question={capital.pk}"]').first.click()
    dry_run = page.get_by_test_id("dry-run")
    assert "student01" in dry_run.inner_text()
    assert not GradeChange.objects.filter(kind="regrade").exists()
    page.get_by_test_id("apply-regrade").click()
    page.get_by_text("Regrade applied").wait_for()
    # Eight answers change (four Lima, four Quito), less the one overridden by
    # hand above, which keeps its score.
    assert GradeChange.objects.filter(kind="regrade").count() == 7

    # Both exports download as CSV.
    page.goto(f"/teach/courses/{course.slug}/")
    for testid, rows in (("export-gradebook", 12), ("export-responses", 36)):
        with page.expect_download() as download:
            page.get_by_test_id(testid).click()
        path = download.value.path()
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == rows + 1, testid


def test_the_staff_home_fits_a_phone_screen(classroom, page):
    """At 375 px the course table scrolls inside its box; the page itself is no
    wider than the window."""
    _log_in(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/teach/")

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= 375, f"the staff home is {width} px wide at 375 px"
