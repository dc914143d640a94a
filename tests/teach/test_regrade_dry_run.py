"""The regrade's dry run (teach/dry_run.py): computed in the request for a regrade
of few attempts, by a background job above REGRADE_DIRECT_MAX_ATTEMPTS whose
kept report the page shows (the same table); the computation, shared with the
regrade itself, reads plain rows, grades each distinct answer once and costs
the same queries for 3 attempts or 60; its job is its owner's, in their course."""

import re

import pytest
from django.db import connection
from django.db.models.signals import pre_init
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from coursesite import jobs
from coursesite.models import Job
from quizzes import grading_services, regrading
from quizzes.models import GradeChange, Response
from tests.factories import StaffFactory
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db

PICKS = ["Quito", "Lima", "Cusco"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def quiz(course):
    return make_quiz(course, questions=(SINGLE, TRUEFALSE))


def _take_many(quiz, enrolled, count: int, prefix="s"):
    users = enrolled(*[f"{prefix}{n:03d}" for n in range(count)])
    return [
        take(quiz, user, {"capital": PICKS[n % 3], "amazon": "true"})
        for n, user in enumerate(users)
    ]


@pytest.fixture
def attempts(quiz, enrolled):
    return _take_many(quiz, enrolled, 3)


def _fix_key(course, right="Quito"):
    capital = question(course, "check", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == right else 0.0
        answer.save()
    capital.save()  # as the admin does: the question row is saved with its answers
    return capital


def _url(course, quiz):
    return reverse("teach:regrade", args=[course.slug]) + f"?quiz={quiz.slug}"


def _table(html: str) -> str:
    found = re.search(r'<table[^>]*data-testid="dry-run".*?</table>', html, re.S)
    assert found, "no dry-run table"
    return found.group(0)


def _summary(html: str) -> str:
    found = re.search(r'<ul data-testid="regrade-summary">.*?</ul>', html, re.S)
    assert found, "no dry-run summary"
    return found.group(0)


# --- The computation ---------------------------------------------------------------


def test_the_dry_run_builds_no_response_rows_and_grades_each_distinct_answer_once(
    monkeypatch, course, enrolled
):
    """30 attempts saw the options in one order and gave 3 distinct answers to
    the capital and 1 to the Amazon question: 4 gradings, and no Response model
    instance per answer. (Shuffled options make one snapshot per attempt.)"""
    quiz = make_quiz(course, questions=(SINGLE, TRUEFALSE), shuffle_options=False)
    _take_many(quiz, enrolled, 30)
    _fix_key(course)
    graded = []
    original = regrading.regrade

    def counted(**kwargs):
        graded.append(kwargs["answer"])
        return original(**kwargs)

    monkeypatch.setattr(regrading, "regrade", counted)
    built = []

    def on_init(sender, **kwargs):
        built.append(sender)

    pre_init.connect(on_init, sender=Response)
    try:
        plan = grading_services.regrade_preview(course=course, quiz=quiz)
    finally:
        pre_init.disconnect(on_init, sender=Response)
    assert plan.checked == 60
    assert (plan.responses_changed, len(plan.changed)) == (20, 20)
    assert len(graded) == 4
    assert built == []


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


# The attempts with their quiz and student; every response's score; the answers
# graded again; the current questions and their answers (prefetch).
DRY_RUN_QUERIES = 5


def test_the_dry_run_costs_the_same_queries_for_3_and_60_attempts(
    course, quiz, enrolled
):
    _take_many(quiz, enrolled, 3, prefix="few")
    _fix_key(course)
    few = _queries(lambda: grading_services.regrade_preview(course=course, quiz=quiz))
    _take_many(quiz, enrolled, 57, prefix="many")
    many = _queries(lambda: grading_services.regrade_preview(course=course, quiz=quiz))
    assert few == many <= DRY_RUN_QUERIES


def test_the_regrade_page_costs_the_same_queries_for_3_and_60_attempts(
    teacher_client, course, quiz, enrolled
):
    _take_many(quiz, enrolled, 3, prefix="few")
    _fix_key(course)
    url = _url(course, quiz)
    few = _queries(lambda: teacher_client.get(url))
    _take_many(quiz, enrolled, 57, prefix="many")
    many = _queries(lambda: teacher_client.get(url))
    assert few == many


def test_applying_a_regrade_changes_what_its_dry_run_said(course, quiz, enrolled):
    _take_many(quiz, enrolled, 9)
    _fix_key(course)
    planned = grading_services.regrade_preview(course=course, quiz=quiz)
    applied = grading_services.regrade_apply(course=course, quiz=quiz, user=None)
    assert (applied.checked, applied.responses_changed, applied.pass_flips) == (
        planned.checked,
        planned.responses_changed,
        planned.pass_flips,
    )
    assert [(a.attempt_id, a.new_score) for a in applied.changed] == [
        (a.attempt_id, a.new_score) for a in planned.changed
    ]
    assert GradeChange.objects.count() == planned.responses_changed
    for change in planned.changed:
        for entry in change.responses:
            assert Response.objects.get(pk=entry.response_id).score == entry.new_score


# --- The page: in the request or by a job -------------------------------------------


def test_a_small_regrade_computes_its_dry_run_in_the_request(
    teacher_client, course, quiz, attempts
):
    _fix_key(course)
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert "Q1: 0 → 1" in _table(page)
    assert not Job.objects.filter(kind=Job.Kind.REGRADE_DRY_RUN).exists()


def test_a_large_regrade_runs_its_dry_run_as_a_job_and_shows_the_same_report(
    settings, teacher_client, instructor, course, quiz, attempts
):
    _fix_key(course)
    url = _url(course, quiz)
    in_request = teacher_client.get(url).content.decode()

    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2  # 3 attempts: a job
    page = teacher_client.get(url).content.decode()
    job = Job.objects.get(kind=Job.Kind.REGRADE_DRY_RUN)
    assert (job.owner, job.course, job.status) == (
        instructor,
        course,
        Job.Status.DONE,
    )
    assert (job.params["quiz"], job.params["question"]) == (quiz.slug, None)
    assert job.result["report"]["responses_changed"] == 2
    assert _table(page) == _table(in_request)
    assert _summary(page) == _summary(in_request)
    assert 'data-testid="dry-run-when"' in page
    assert 'data-testid="dry-run-stale"' not in page
    assert 'data-testid="apply-regrade"' in page
    # Seen again: the kept report, no second job.
    again = teacher_client.get(url).content.decode()
    assert _table(again) == _table(in_request)
    assert Job.objects.filter(kind=Job.Kind.REGRADE_DRY_RUN).count() == 1
    assert not GradeChange.objects.exists()


def test_a_dry_run_under_way_shows_its_progress_and_no_table(
    settings, teacher_client, instructor, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        page = teacher_client.get(_url(course, quiz)).content.decode()
        job = Job.objects.get(kind=Job.Kind.REGRADE_DRY_RUN)
        assert job.status == Job.Status.QUEUED
        assert f'data-job-progress="/jobs/{job.pk}/progress"' in page
        assert 'data-testid="dry-run-waiting"' in page
        assert 'data-testid="dry-run"' not in page
        assert 'data-testid="apply-regrade"' not in page
        teacher_client.get(_url(course, quiz))  # seen again: the same job
        assert Job.objects.filter(kind=Job.Kind.REGRADE_DRY_RUN).count() == 1
    jobs.run_job.call(job.pk)  # the worker gets to it
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert 'data-testid="regrade-summary"' in page
    assert "data-job-progress" not in page


def test_a_kept_dry_run_says_when_things_changed_and_runs_again_on_request(
    settings, teacher_client, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    url = _url(course, quiz)
    page = teacher_client.get(url).content.decode()
    assert "There is nothing to regrade." not in page
    assert 'data-testid="dry-run"' not in page  # the key is right: nothing changes

    _fix_key(course)  # the instructor edits the key in the admin
    page = teacher_client.get(url).content.decode()
    assert 'data-testid="dry-run-stale"' in page
    assert Job.objects.filter(kind=Job.Kind.REGRADE_DRY_RUN).count() == 1

    rerun = teacher_client.post(url, {"action": "dry-run"})
    assert (rerun.status_code, rerun["Location"]) == (302, url)
    assert Job.objects.filter(kind=Job.Kind.REGRADE_DRY_RUN).count() == 2
    page = teacher_client.get(url).content.decode()
    assert 'data-testid="dry-run-stale"' not in page
    assert "Q1: 0 → 1" in _table(page)
    assert not GradeChange.objects.exists()  # a dry run, not a regrade


def test_a_new_submission_makes_a_kept_dry_run_stale(
    settings, teacher_client, course, quiz, attempts, enrolled
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    url = _url(course, quiz)
    teacher_client.get(url)
    _take_many(quiz, enrolled, 1, prefix="late")
    assert 'data-testid="dry-run-stale"' in teacher_client.get(url).content.decode()


def test_a_failed_dry_run_says_why_and_offers_to_run_again(
    monkeypatch, settings, teacher_client, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2

    def broken(**kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(grading_services, "regrade_preview", broken)
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert 'data-testid="job-error"' in page
    assert 'data-testid="dry-run-again"' in page
    assert 'data-testid="apply-regrade"' not in page


def test_the_apply_step_is_unchanged_by_a_dry_run_job(
    settings, teacher_client, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    _fix_key(course)
    url = _url(course, quiz)
    teacher_client.get(url)
    report = Job.objects.get(kind=Job.Kind.REGRADE_DRY_RUN).result["report"]
    assert teacher_client.post(url, {"reason": "Key fixed"}).status_code == 302
    regrade = Job.objects.get(kind=Job.Kind.REGRADE)
    assert (regrade.result["responses_changed"], regrade.result["pass_flips"]) == (
        report["responses_changed"],
        report["pass_flips"],
    )
    # Applied: the kept dry run no longer says what a regrade would do.
    assert 'data-testid="dry-run-stale"' in teacher_client.get(url).content.decode()


# --- Who sees it --------------------------------------------------------------------


def test_a_dry_run_job_is_its_owners_only(
    settings, client, teacher_client, instructor, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    _fix_key(course)
    url = _url(course, quiz)
    teacher_client.get(url)
    mine = Job.objects.get(kind=Job.Kind.REGRADE_DRY_RUN)

    colleague = StaffFactory(username="colleague")
    colleague.groups.add(*instructor.groups.all())
    course.instructors.add(colleague)
    client.force_login(colleague)
    page = client.get(url).content.decode()
    theirs = Job.objects.exclude(pk=mine.pk).get(kind=Job.Kind.REGRADE_DRY_RUN)
    assert theirs.owner == colleague  # their own, not the other's kept report
    assert f'data-job-id="{mine.pk}"' not in page
    assert client.get(reverse("job-progress", args=[mine.pk])).status_code == 404


def test_another_courses_teacher_gets_a_404_and_starts_nothing(
    settings, client, other_course, course, quiz, attempts
):
    settings.REGRADE_DIRECT_MAX_ATTEMPTS = 2
    client.force_login(other_course.instructors.get())
    url = _url(course, quiz)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "dry-run"}).status_code == 404
    # Their own course, this course's quiz: no such quiz there.
    foreign = reverse("teach:regrade", args=[other_course.slug]) + f"?quiz={quiz.slug}"
    assert client.get(foreign).status_code == 404
    assert client.post(foreign, {"action": "dry-run"}).status_code == 404
    assert not Job.objects.exists()


def test_a_tampered_action_is_a_400_and_applies_nothing(
    teacher_client, course, quiz, attempts
):
    _fix_key(course)
    response = teacher_client.post(_url(course, quiz), {"action": "apply-all"})
    assert response.status_code == 400
    assert not Job.objects.exists()
    assert not GradeChange.objects.exists()


def test_running_the_dry_run_again_of_a_small_regrade_starts_no_job(
    teacher_client, course, quiz, attempts
):
    response = teacher_client.post(_url(course, quiz), {"action": "dry-run"})
    assert response.status_code == 302
    assert not Job.objects.exists()
