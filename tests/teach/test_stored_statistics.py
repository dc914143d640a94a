"""Item statistics computed after grading and kept (teach/stored_statistics.py):
a grade marks them stale and queues one job per quiz, the job stores the new
figures, the page shows what is stored (and the job's progress or failure) and
never computes them."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks.backends.immediate import ImmediateBackend

from coursesite import jobs
from coursesite.models import Job
from quizzes import grading_services
from teach import selectors, stored_statistics
from teach.models import QuizStatistics
from tests.factories import UserFactory
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db

RIGHT = {"capital": "Lima", "amazon": "true"}
WRONG = {"capital": "Cusco", "amazon": "false"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def quiz(course):
    return make_quiz(course, questions=(SINGLE, TRUEFALSE), grading_method="average")


def _url(course, quiz, name="teach:statistics"):
    return reverse(name, args=[course.slug, quiz.slug])


def _class(quiz, enrolled, size, *, prefix="s"):
    """``size`` students: the first third right, the rest wrong, after a teacher
    opened the statistics page once (from then on they are kept)."""
    stored_statistics.statistics_request(quiz=quiz, attempts="all")
    students = enrolled(*[f"{prefix}{n:02d}" for n in range(size)])
    for n, student in enumerate(students):
        take(quiz, student, RIGHT if n < size // 3 else WRONG)
    return students


def _row(quiz, which="all"):
    return QuizStatistics.objects.select_related("job").get(quiz=quiz, attempts=which)


def test_the_quizzes_here_analyse_all_attempts_by_default(quiz):
    assert selectors.default_attempts_analysed(quiz.grading_method) == "all"


def _no_worker():
    """Jobs are queued and wait, as with a database queue and no worker running."""
    return mock.patch.object(ImmediateBackend, "enqueue")


@pytest.fixture
def no_worker():
    with _no_worker() as enqueue:
        yield enqueue


def _run(job):
    """What the worker does with the task."""
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    return job


def test_nothing_is_kept_for_a_quiz_nobody_analyses(quiz, enrolled):
    for n, student in enumerate(enrolled("ana", "bo")):
        take(quiz, student, RIGHT if n else WRONG)
    assert not QuizStatistics.objects.exists()
    assert not Job.objects.filter(kind=Job.Kind.STATISTICS).exists()


def test_grades_are_computed_by_the_job_and_the_page_shows_the_new_figures(
    teacher_client, course, quiz, enrolled
):
    _class(quiz, enrolled, 12)

    row = _row(quiz)
    assert row.attempt_count == 12 and not row.stale
    assert row.job.status == Job.Status.DONE and row.job.owner is None
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert "from 12 graded attempts" in page
    assert page.count('<td class="text-end">12</td>') >= 10

    (late,) = enrolled("late")
    take(quiz, late, RIGHT)

    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert "from 13 graded attempts" in page
    assert page.count('<td class="text-end">13</td>') >= 10
    # One job row per quiz, run again after each grade.
    assert Job.objects.filter(kind=Job.Kind.STATISTICS).count() == 1


def test_a_regrade_marks_them_stale_and_the_page_shows_the_job_until_it_ran(
    teacher_client, instructor, course, quiz, enrolled
):
    _class(quiz, enrolled, 12)
    before = _row(quiz).result["items"][0]["facility"]
    capital = question(course, "check", "capital")
    for answer in capital.answers.all():  # the key was wrong: Cusco is right
        answer.fraction = 1.0 if answer.text == "Cusco" else 0.0
        answer.save()

    progress = _url(course, quiz, "teach:statistics-progress")
    with _no_worker():
        grading_services.regrade_apply(course=course, user=instructor, quiz=quiz)

        row = _row(quiz)
        assert row.stale and row.job.status == Job.Status.QUEUED
        assert row.result["items"][0]["facility"] == before  # not recomputed yet
        page = teacher_client.get(_url(course, quiz)).content.decode()
        assert 'data-testid="statistics-job"' in page
        assert f'data-job-progress="{progress}?attempts=all"' in page
        assert "Being recomputed after new grades" in page
        reply = teacher_client.get(f"{progress}?attempts=all").json()
        assert reply["status"] == "queued" and reply["finished"] is False

    _run(row.job)

    row = _row(quiz)
    assert not row.stale
    assert row.result["items"][0]["facility"] == pytest.approx(8 / 12)
    assert teacher_client.get(f"{progress}?attempts=all").json()["finished"]
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert 'data-testid="statistics-job"' not in page
    assert "67%" in page  # Cusco is right for the eight who chose it


def test_grades_in_a_row_coalesce_into_one_waiting_job(quiz, enrolled, no_worker):
    _class(quiz, enrolled, 3)
    again = stored_statistics.statistics_refresh(quiz_id=quiz.pk)

    waiting = Job.objects.filter(kind=Job.Kind.STATISTICS)
    assert list(waiting.values_list("status", flat=True)) == [Job.Status.QUEUED]
    assert again == waiting.get()
    assert no_worker.call_count == 1  # three submits and a refresh: one task


def test_a_grade_while_the_job_runs_queues_the_next_one(quiz, enrolled, no_worker):
    _class(quiz, enrolled, 2)
    running = _row(quiz).job
    Job.objects.filter(pk=running.pk).update(status=Job.Status.RUNNING)

    stored_statistics.statistics_refresh(quiz_id=quiz.pk)

    assert _row(quiz).job != running  # it may have read the attempts before
    assert _row(quiz).job.status == Job.Status.QUEUED


def test_the_job_is_idempotent(quiz, enrolled, no_worker):
    _class(quiz, enrolled, 11)
    job = _run(_row(quiz).job)
    first = _row(quiz)
    QuizStatistics.objects.filter(pk=first.pk).update(stale=True)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)  # a restart

    _run(job)
    _run(job)  # a duplicate task: the job has finished, nothing happens

    again = _row(quiz)
    assert again.result == first.result and again.attempt_count == 11
    assert not again.stale


def test_the_page_never_computes(teacher_client, course, quiz, enrolled):
    _class(quiz, enrolled, 12)
    with (
        mock.patch.object(stored_statistics, "statistics_compute") as compute,
        mock.patch.object(stored_statistics, "analyse_quiz") as analyse,
        CaptureQueriesContext(connection) as queries,
    ):
        response = teacher_client.get(_url(course, quiz))
    assert response.status_code == 200
    assert "from 12 graded attempts" in response.content.decode()
    compute.assert_not_called()
    analyse.assert_not_called()
    assert not [q for q in queries if "quizzes_response" in q["sql"]]


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_class(
    teacher_client, course, enrolled
):
    small = make_quiz(
        course, slug="small", questions=(SINGLE, TRUEFALSE), grading_method="average"
    )
    large = make_quiz(
        course, slug="large", questions=(SINGLE, TRUEFALSE), grading_method="average"
    )
    _class(small, enrolled, 3, prefix="a")
    _class(large, enrolled, 40, prefix="b")
    counts = []
    for quiz in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert teacher_client.get(_url(course, quiz)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10


def test_nothing_stored_yet_queues_the_job_and_says_so(
    teacher_client, course, quiz, enrolled, no_worker
):
    _class(quiz, enrolled, 2)
    page = teacher_client.get(_url(course, quiz) + "?attempts=first")

    html = page.content.decode()
    assert 'data-testid="statistics-not-computed"' in html
    assert "being computed in the background" in html
    row = _row(quiz, "first")
    assert row.result is None and row.job.status == Job.Status.QUEUED
    _run(row.job)
    html = teacher_client.get(_url(course, quiz) + "?attempts=first").content.decode()
    assert "from 2 graded attempts" in html


def test_a_failed_job_is_shown_with_a_way_to_try_again(
    teacher_client, course, quiz, enrolled
):
    with mock.patch.object(
        stored_statistics, "statistics_compute", side_effect=RuntimeError("boom")
    ):
        _class(quiz, enrolled, 12)
    row = _row(quiz)
    assert row.job.status == Job.Status.FAILED and row.job.tries == 3
    assert row.stale and row.result is None

    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert 'data-testid="statistics-failed"' in page
    assert "failed after 3 tries (RuntimeError)" in page
    assert 'action="' + _url(course, quiz, "teach:statistics-refresh") in page

    again = teacher_client.post(
        _url(course, quiz, "teach:statistics-refresh"), {"attempts": "all"}
    )
    assert again.status_code == 302
    page = teacher_client.get(again["Location"]).content.decode()
    assert 'data-testid="statistics-failed"' not in page
    assert "from 12 graded attempts" in page


def test_the_refresh_is_a_post_with_a_valid_choice(teacher_client, course, quiz):
    url = _url(course, quiz, "teach:statistics-refresh")
    assert teacher_client.get(url).status_code == 405
    assert teacher_client.post(url, {"attempts": "best"}).status_code == 400
    progress = _url(course, quiz, "teach:statistics-progress")
    assert teacher_client.get(progress + "?attempts=best").status_code == 400


def test_other_courses_students_and_strangers_get_nothing(
    client, course, quiz, enrolled, other_course
):
    _class(quiz, enrolled, 2)
    urls = [
        _url(course, quiz),
        _url(course, quiz, "teach:statistics-progress"),
    ]
    refresh = _url(course, quiz, "teach:statistics-refresh")

    client.force_login(other_course.instructors.get())
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(refresh, {"attempts": "all"}).status_code == 404

    client.force_login(UserFactory(username="nosy"))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(refresh, {"attempts": "all"}).status_code == 403

    # The site's own job has no owner: the owners' progress URL shows it to no one.
    job = _row(quiz).job
    assert client.get(reverse("job-progress", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(urls[1]).status_code == 302  # to the login page
