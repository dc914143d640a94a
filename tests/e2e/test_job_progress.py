"""A background job watched in the browser (static/js/jobs.js): the regrade page of
a quiz with more attempts than REGRADE_DIRECT_MAX_ATTEMPTS starts its dry run as
a job that stays queued (the tasks backend here keeps tasks and runs none, as a
busy worker would); the page shows a labelled progress bar, follows the job as
it moves, and shows the dry run's table once it is done, without a reload by
hand. At 375 px the page is no wider than the window. The admin's bank upload
page shows a job card in the admin's look."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from coursesite import jobs
from coursesite.models import Job
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from tests.axe import overflow, serious_violations
from tests.browser import log_in
from tests.factories import EnrollmentFactory, StaffFactory, UserFactory, make_course
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
KEPT = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def regrade(transactional_db, settings):
    """A quiz of 4 attempts whose key was fixed, and the threshold below it."""
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    settings.TASKS = KEPT
    course = make_course(slug="geo", title="Geography")
    ensure_instructor_group()
    teacher = StaffFactory(username="ines", first_name="Ines", last_name="Tor")
    teacher.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    course.instructors.add(teacher)
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE))
    for n, pick in enumerate(["Quito", "Lima", "Cusco", "Quito"]):
        student = UserFactory(username=f"student-{n}")
        EnrollmentFactory(user=student, course=course)
        take(quiz, student, {"capital": pick, "amazon": "true"})
    capital = question(course, "check", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == "Quito" else 0.0
        answer.save()
    capital.save()
    return {"course": course, "quiz": quiz, "teacher": teacher}


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_the_regrade_page_follows_its_dry_run_job_to_the_result(regrade, page):
    from playwright.sync_api import expect

    log_in(page, "ines")
    url = f"/teach/courses/geo/regrade/?quiz={regrade['quiz'].slug}"
    page.goto(url)
    job = Job.objects.get(kind=Job.Kind.REGRADE_DRY_RUN)
    assert job.status == Job.Status.QUEUED  # kept, not run: no worker here

    bar = page.get_by_role("progressbar", name=re.compile("Regrade dry run"))
    expect(bar).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text("Waiting")
    expect(page.get_by_test_id("dry-run-waiting")).to_be_visible()
    expect(page.get_by_test_id("dry-run")).to_have_count(0)
    assert serious_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"{width} px: wider than the window"
        _shot(page, f"regrade-dry-run-waiting-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The worker takes it and gets half-way: the bar moves, no reload.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=4, total=8)
    expect(page.get_by_test_id("job-status")).to_have_text("Running")
    expect(bar).to_have_attribute("value", "50")

    # It finishes: the page shows the result by itself.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, done=0)
    jobs.run_job.call(job.pk)
    table = page.get_by_test_id("dry-run")
    expect(table).to_be_visible()
    expect(table).to_contain_text("Q1: 0 → 1")
    expect(page.get_by_test_id("dry-run-when")).to_be_visible()
    expect(page.get_by_test_id("apply-regrade")).to_be_visible()
    expect(page.locator("[data-job-progress]")).to_have_count(0)
    assert serious_violations(page) == []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"{width} px: wider than the window"
        _shot(page, f"regrade-dry-run-done-{width}")


def test_the_admin_bank_upload_shows_a_job_card_in_the_admins_look(regrade, page):
    from playwright.sync_api import expect

    Job.objects.create(
        kind=Job.Kind.BANK_IMPORT,
        owner=regrade["teacher"],
        course=regrade["course"],
        status=Job.Status.RUNNING,
        params={"token": "t", "dry_run": True},
        done=1,
        total=4,
    )
    log_in(page, "ines")
    page.goto("/admin/quizzes/question/import-gift/")
    card = page.get_by_test_id("job")
    bar = card.get_by_role("progressbar", name=re.compile("Question bank import"))
    expect(bar).to_be_visible()
    # Styled by admin-jobs.css: a bordered box, a full-width bar.
    border = card.evaluate("e => getComputedStyle(e).borderTopStyle")
    assert border == "solid"
    widths = card.evaluate(
        "e => [e.querySelector('progress').getBoundingClientRect().width,"
        " e.querySelector('.card-body').getBoundingClientRect().width]"
    )
    assert widths[0] > widths[1] * 0.8
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert overflow(page) <= 0, f"{width} px: wider than the window"
        _shot(page, f"bank-upload-job-{width}")
