"""Long work in background jobs (coursesite/jobs.py, teach/jobs.py): a regrade and
the large exports run as tasks (at once in the tests, as with no worker), record
their progress on a Job row the page that started them shows, are idempotent when
run again (after a worker restart), and say clearly when they fail."""

import csv
import io

import pytest
from django.urls import reverse

from coursesite import jobs
from coursesite.models import Job
from quizzes.models import GradeChange, Response
from tests.factories import StaffFactory
from tests.teach.conftest import SINGLE, TRUEFALSE, make_quiz, question, take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def quiz(course):
    return make_quiz(course, questions=(SINGLE, TRUEFALSE))


@pytest.fixture
def attempts(quiz, enrolled):
    ana, bo, cy = enrolled("ana", "bo", "cy")
    return [
        take(quiz, ana, {"capital": "Quito", "amazon": "true"}),
        take(quiz, bo, {"capital": "Lima", "amazon": "true"}),
        take(quiz, cy, {"capital": "Cusco", "amazon": "false"}),
    ]


def _fix_key(course, right="Quito"):
    capital = question(course, "check", "capital")
    for answer in capital.answers.all():
        answer.fraction = 1.0 if answer.text == right else 0.0
        answer.save()
    return capital


def _regrade_quiz(client, course, quiz, reason="Key fixed"):
    url = reverse("teach:regrade", args=[course.slug]) + f"?quiz={quiz.slug}"
    return url, client.post(url, {"reason": reason})


def _started():
    """The jobs pages started (not the statistics recomputed after each grade,
    tests/teach/test_stored_statistics.py)."""
    return Job.objects.exclude(kind=Job.Kind.STATISTICS)


def _scores():
    return sorted(Response.objects.values_list("pk", "score"))


def test_a_quiz_regrade_runs_as_a_job_and_its_page_shows_the_outcome(
    teacher_client, instructor, course, quiz, attempts
):
    _fix_key(course)
    url, response = _regrade_quiz(teacher_client, course, quiz)
    assert response.status_code == 302
    job = _started().get()
    assert (job.kind, job.owner, job.course, job.status) == (
        Job.Kind.REGRADE,
        instructor,
        course,
        Job.Status.DONE,
    )
    assert (job.done, job.total, job.tries) == (3, 3, 1)
    assert job.result["responses_changed"] == 2  # ana and bo's capital answers
    assert job.result["attempts_changed"] == 2
    assert job.finished_at is not None
    assert GradeChange.objects.count() == 2
    page = teacher_client.get(url).content.decode()
    assert 'data-job-status="done"' in page
    assert "Regrade applied: 2 answers changed in 2 attempts" in page
    assert 'src="/static/js/jobs.js"' in page


def test_a_regrade_job_run_again_changes_nothing_more(
    teacher_client, course, quiz, attempts
):
    _fix_key(course)
    _regrade_quiz(teacher_client, course, quiz)
    job = _started().get()
    scores, changes, result = _scores(), GradeChange.objects.count(), job.result

    # A duplicate task, or the worker restarted after it finished: nothing happens.
    assert jobs.run_job.call(job.pk) == "skipped"
    # The worker died mid-way: requeue marks it waiting, and it runs to the end.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (_scores(), GradeChange.objects.count(), job.result) == (
        scores,
        changes,
        result,
    )


def test_a_regrade_resumes_after_the_last_batch_it_committed(
    monkeypatch, teacher_client, course, quiz, attempts
):
    """The worker stops after the first batch: run again, the job does the rest,
    and its totals count each attempt once."""
    from teach import jobs as teach_jobs

    monkeypatch.setattr(teach_jobs, "REGRADE_BATCH", 1)
    _fix_key(course)
    original = teach_jobs.grading_services.regrade_apply
    calls = []

    def dies_on_the_second_batch(**kwargs):
        calls.append(kwargs["attempt_ids"])
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker is killed: no retry in place
        return original(**kwargs)

    monkeypatch.setattr(
        teach_jobs.grading_services, "regrade_apply", dies_on_the_second_batch
    )
    with pytest.raises(KeyboardInterrupt):
        _regrade_quiz(teacher_client, course, quiz)
    job = _started().get()
    assert (job.status, job.done, job.total) == (Job.Status.RUNNING, 1, 3)

    monkeypatch.setattr(teach_jobs.grading_services, "regrade_apply", original)
    assert jobs.jobs_requeue_stale(stale_seconds=0) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.done, job.tries) == (Job.Status.DONE, 3, 2)
    assert job.result["responses_changed"] == 2
    assert GradeChange.objects.count() == 2


def test_a_regrade_killed_midway_and_requeued_ends_as_one_uninterrupted_run(
    monkeypatch, teacher_client, course, quiz, enrolled
):
    """The load test's worker kill, without a cluster: seven attempts in batches
    of two; the worker dies after two batches (leaving the job "running"); once
    the job is stale, ``requeue_jobs`` queues it again and it finishes. Every
    changed answer has one audit row, the totals count each once, and a fresh
    regrade changes nothing."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from quizzes import grading_services
    from teach import jobs as teach_jobs

    monkeypatch.setattr(teach_jobs, "REGRADE_BATCH", 2)
    names = [f"s{n}" for n in range(7)]
    picks = ["Quito", "Lima", "Quito", "Cusco", "Quito", "Lima", "Quito"]
    for user, pick in zip(enrolled(*names), picks, strict=True):
        take(quiz, user, {"capital": pick, "amazon": "true"})
    _fix_key(course)
    planned = grading_services.regrade_preview(course=course, quiz=quiz)
    assert (planned.responses_changed, len(planned.changed)) == (6, 6)

    original = teach_jobs.grading_services.regrade_apply
    batches = []

    def killed_in_the_third_batch(**kwargs):
        batches.append(kwargs["attempt_ids"])
        if len(batches) == 3:
            raise KeyboardInterrupt  # SIGKILL: no retry, no failure recorded
        return original(**kwargs)

    monkeypatch.setattr(
        teach_jobs.grading_services, "regrade_apply", killed_in_the_third_batch
    )
    with pytest.raises(KeyboardInterrupt):
        _regrade_quiz(teacher_client, course, quiz)
    job = Job.objects.get()
    assert (job.status, job.done, job.total) == (Job.Status.RUNNING, 4, 7)
    assert job.result["cursor"] == batches[1][-1]

    monkeypatch.setattr(teach_jobs.grading_services, "regrade_apply", original)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    call_command("requeue_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.tries) == (Job.Status.DONE, 7, 7, 2)
    rows = list(GradeChange.objects.values_list("response_id", flat=True))
    assert len(rows) == len(set(rows)) == 6
    assert (job.result["responses_changed"], job.result["attempts_changed"]) == (6, 6)
    assert job.result["checked"] == 14  # 7 attempts x 2 questions, once each
    fresh = grading_services.regrade_preview(course=course, quiz=quiz)
    assert (fresh.responses_changed, fresh.changed) == (0, [])


def test_a_failing_job_is_retried_then_shows_its_failure(
    monkeypatch, teacher_client, course, quiz, attempts
):
    from teach import jobs as teach_jobs

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(teach_jobs.grading_services, "regrade_apply", broken)
    url, _response = _regrade_quiz(teacher_client, course, quiz)
    job = _started().get()
    assert (job.status, job.tries) == (Job.Status.FAILED, jobs.MAX_TRIES)
    assert "failed after 3 tries (RuntimeError)" in job.error
    page = teacher_client.get(url).content.decode()
    assert 'data-testid="job-error"' in page
    assert "failed after 3 tries" in page
    progress = teacher_client.get(reverse("job-progress", args=[job.pk])).json()
    assert (progress["status"], progress["finished"]) == ("failed", True)
    assert "failed after 3 tries" in progress["error"]


def test_a_job_whose_quiz_went_away_fails_at_once_with_a_reason(
    teacher_client, instructor, course, quiz, attempts
):
    job = Job.objects.create(
        kind=Job.Kind.REGRADE,
        owner=instructor,
        course=course,
        params={"quiz": "gone", "question": None},
    )
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.tries, job.error) == (
        Job.Status.FAILED,
        1,
        "The quiz was deleted.",
    )


def test_the_progress_endpoint_answers_its_owner_only(
    client, teacher_client, course, quiz, attempts
):
    _regrade_quiz(teacher_client, course, quiz)
    job = _started().get()
    url = reverse("job-progress", args=[job.pk])
    mine = teacher_client.get(url)
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/json"
    assert mine.json() | {"error": ""} == {
        "id": job.pk,
        "kind": "regrade",
        "status": "done",
        "status_label": "Done",
        "done": 3,
        "total": 3,
        "percent": 100,
        "finished": True,
        "error": "",
        "download_url": "",
    }
    other = StaffFactory(username="other-staff")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("job-progress", args=[job.pk + 1000])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_running_job_shows_a_bar_that_polls_and_a_refresh_link(
    teacher_client, instructor, course
):
    job = Job.objects.create(
        kind=Job.Kind.GRADEBOOK_CSV,
        owner=instructor,
        course=course,
        status=Job.Status.RUNNING,
        done=250,
        total=1000,
    )
    page = teacher_client.get(reverse("teach:gradebook", args=[course.slug]))
    html = page.content.decode()
    assert f'data-job-progress="/jobs/{job.pk}/progress"' in html
    assert 'value="25"' in html
    assert "250 of 1000" in html
    assert "data-job-refresh" in html


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_large_responses_export_becomes_a_file_to_download(
    settings, client, teacher_client, course, quiz, attempts
):
    direct = teacher_client.get(reverse("teach:responses-csv", args=[course.slug]))
    expected = _rows(b"".join(direct.streaming_content))
    assert len(expected) == 1 + 3 * 2

    settings.EXPORT_DIRECT_MAX_ROWS = 5  # 6 answers: too many to stream
    started = teacher_client.get(reverse("teach:responses-csv", args=[course.slug]))
    assert started.status_code == 302
    assert started["Location"] == reverse("teach:gradebook", args=[course.slug])
    job = _started().get()
    assert (job.kind, job.status, job.done, job.total) == (
        Job.Kind.RESPONSES_CSV,
        Job.Status.DONE,
        6,
        6,
    )
    page = teacher_client.get(started["Location"]).content.decode()
    download_url = reverse("job-download", args=[job.pk])
    assert f'href="{download_url}"' in page
    assert (
        teacher_client.get(reverse("job-progress", args=[job.pk])).json()[
            "download_url"
        ]
        == download_url
    )

    download = teacher_client.get(download_url)
    assert download.status_code == 200
    assert f"{course.slug}-responses.csv" in download["Content-Disposition"]
    first = b"".join(download.streaming_content)
    assert _rows(first) == expected

    # Run again (a worker restarted): the same file, in the same place.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    jobs.run_job.call(job.pk)
    again = teacher_client.get(download_url)
    assert b"".join(again.streaming_content) == first
    assert sorted(p.name for p in jobs.result_path("jobs").iterdir()) == [
        f"job-{job.pk}.csv"
    ]

    client.force_login(StaffFactory(username="other-staff"))
    assert client.get(download_url).status_code == 404


def test_a_large_gradebook_export_keeps_its_filters(
    settings, teacher_client, course, quiz, attempts
):
    url = reverse("teach:gradebook-csv", args=[course.slug]) + "?q=an"
    expected = _rows(b"".join(teacher_client.get(url).streaming_content))
    assert [row[0] for row in expected[1:]] == ["ana"]

    settings.EXPORT_DIRECT_MAX_ROWS = 0
    assert teacher_client.get(url).status_code == 302
    job = _started().get()
    assert job.params["filters"] == {"search": "an", "status": "", "sort": "name"}
    download = teacher_client.get(reverse("job-download", args=[job.pk]))
    assert _rows(b"".join(download.streaming_content)) == expected


def test_asking_again_for_an_export_under_way_reuses_its_job(
    settings, teacher_client, instructor, course, quiz, attempts
):
    settings.EXPORT_DIRECT_MAX_ROWS = 0
    waiting = Job.objects.create(
        kind=Job.Kind.RESPONSES_CSV,
        owner=instructor,
        course=course,
        params={"language": "en", "filename": f"{course.slug}-responses.csv"},
    )
    teacher_client.get(reverse("teach:responses-csv", args=[course.slug]))
    assert list(_started().values_list("pk", flat=True)) == [waiting.pk]


def test_requeue_jobs_queues_again_only_jobs_that_stopped_moving(
    instructor, course, quiz, attempts
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    stuck, fresh = (
        Job.objects.create(
            kind=Job.Kind.REGRADE,
            owner=instructor,
            course=course,
            status=Job.Status.RUNNING,
            params={"quiz": quiz.slug, "question": None},
        )
        for _n in range(2)
    )
    Job.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )
    out = io.StringIO()
    call_command("requeue_jobs", stdout=out)
    assert out.getvalue().strip() == f"1 job(s) queued again: {stuck.pk}"
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (Job.Status.DONE, Job.Status.RUNNING)


def test_the_admin_lists_jobs_read_only(admin_client, instructor, course):
    job = Job.objects.create(
        kind=Job.Kind.REGRADE,
        owner=instructor,
        course=course,
        status=Job.Status.FAILED,
        error="The quiz was deleted.",
    )
    listing = admin_client.get(reverse("admin:coursesite_job_changelist"))
    assert listing.status_code == 200
    assert str(job.pk) in listing.content.decode()
    detail = admin_client.get(reverse("admin:coursesite_job_change", args=[job.pk]))
    assert "The quiz was deleted." in detail.content.decode()
    assert admin_client.get(reverse("admin:coursesite_job_add")).status_code == 403
