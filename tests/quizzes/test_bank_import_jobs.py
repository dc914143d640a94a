"""A large question-bank upload is previewed or imported by a background job
(quizzes/jobs.py): below IMPORT_DIRECT_MAX_BYTES in the request, above it as a job
whose card shows the progress, then the preview, the summary or the problems by
line; a job run again imports nothing twice; others never see it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite import jobs
from coursesite.models import Job
from lessons.document_import import document_upload_read
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from quizzes.models import Question
from tests.factories import StaffFactory, make_course
from tests.quizzes.test_banks import GIFT

pytestmark = pytest.mark.django_db

URL = "/admin/quizzes/question/import-gift/"
BAD_GIFT = "::A::Fine {=a ~b}\n\n::B::Weights {~%150%a ~%50%b}\n\n::C::Open {=a ~b\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _instructor(username):
    ensure_instructor_group()
    user = StaffFactory(username=username)
    user.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    return user


@pytest.fixture
def bank_course(db):
    return make_course(modules=1, lessons_per_module=2, slug="geo", title="Geography")


@pytest.fixture
def ines(client, bank_course):
    user = _instructor("ines")
    bank_course.instructors.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def large(settings):
    settings.IMPORT_DIRECT_MAX_BYTES = 100  # GIFT is larger: a job


def _post(client, course, text=GIFT, action="_import", **fields):
    upload = SimpleUploadedFile("q.gift", text.encode(), content_type="text/plain")
    return client.post(
        URL, {"file": upload, "course": course.pk, action: "1", **fields}
    )


def test_a_small_file_is_imported_in_the_request(client, ines, bank_course):
    response = _post(client, bank_course)
    assert response.status_code == 302
    assert response.url == "/admin/quizzes/question/"
    assert Question.objects.filter(course=bank_course).count() == 4
    assert not Job.objects.exists()


def test_a_large_file_is_imported_by_a_job_and_the_page_shows_it(
    client, ines, bank_course, large
):
    response = _post(client, bank_course)
    assert (response.status_code, response.url) == (302, URL)
    job = Job.objects.get()
    assert (job.kind, job.owner, job.course, job.status) == (
        Job.Kind.BANK_IMPORT,
        ines,
        bank_course,
        Job.Status.DONE,
    )
    assert Question.objects.filter(course=bank_course).count() == 4
    assert job.result["stored"] is True
    assert document_upload_read(token=job.params["token"]) is None  # let go
    page = client.get(URL).content.decode()
    assert 'data-testid="bank-job"' in page
    assert "Question bank imported (gift): 4 created" in page
    assert 'src="/static/js/jobs.js"' in page


def test_a_large_preview_runs_as_a_job_then_imports_the_kept_file(
    client, ines, bank_course, large
):
    _post(client, bank_course, action="_preview", quiz="week-1")
    preview = Job.objects.get()
    assert preview.status == Job.Status.DONE
    assert not Question.objects.exists()  # a dry run writes nothing
    page = client.get(URL).content.decode()
    assert 'data-testid="bank-job-preview"' in page
    assert "Capital of Peru" in page
    assert f'name="token" value="{preview.params["token"]}"' in page

    response = client.post(
        URL,
        {
            "token": preview.params["token"],
            "course": bank_course.pk,
            "quiz": "week-1",
            "format": "gift",
            "_import": "1",
        },
    )
    assert response.status_code == 302
    imported = Job.objects.exclude(pk=preview.pk).get()
    assert (imported.status, imported.params["dry_run"]) == (Job.Status.DONE, False)
    assert Question.objects.filter(course=bank_course).count() == 4


def test_a_bank_job_run_again_imports_nothing_twice(
    monkeypatch, client, ines, bank_course, large
):
    """The worker dies inside the import (before its commit): nothing is written;
    run again, the file is imported once; run once more, nothing changes."""
    from quizzes import jobs as bank_jobs

    original = bank_jobs.bank_import

    def killed_before_the_commit(**kwargs):
        original(**kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(bank_jobs, "bank_import", killed_before_the_commit)
    with pytest.raises(KeyboardInterrupt):
        _post(client, bank_course)
    job = Job.objects.get()
    assert job.status == Job.Status.RUNNING
    assert not Question.objects.exists()

    monkeypatch.setattr(bank_jobs, "bank_import", original)
    assert jobs.jobs_requeue_stale(stale_seconds=0) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.tries) == (Job.Status.DONE, 2)
    keys = sorted(Question.objects.values_list("pk", flat=True))
    assert len(keys) == 4

    # Stopped after its commit, before it was marked done: run again, it stops.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert sorted(Question.objects.values_list("pk", flat=True)) == keys


def test_a_malformed_large_file_fails_with_its_lines_and_writes_nothing(
    client, ines, bank_course, large, settings
):
    settings.IMPORT_DIRECT_MAX_BYTES = 10
    _post(client, bank_course, text=BAD_GIFT)
    job = Job.objects.get()
    assert (job.status, job.tries) == (Job.Status.FAILED, 1)  # not retried
    assert "nothing was imported" in job.error
    assert not Question.objects.exists()
    page = client.get(URL).content.decode()
    assert 'data-testid="bank-job-problems"' in page
    assert "Line 3: weight %150% is out of range" in page
    assert "Line 5: &#x27;{&#x27; is never closed" in page
    assert 'data-testid="job-error"' in page


def test_another_user_cannot_see_a_bank_job(client, ines, bank_course, large):
    _post(client, bank_course)
    job = Job.objects.get()
    other = _instructor("otto")
    bank_course.instructors.add(other)
    client.force_login(other)
    assert client.get(reverse("job-progress", args=[job.pk])).status_code == 404
    assert 'data-testid="bank-job"' not in client.get(URL).content.decode()


def test_a_bank_job_card_is_styled_for_the_admin_and_its_bar_is_labelled(
    client, ines, bank_course
):
    """The card is written with Bootstrap's classes, which the admin does not
    load: the page loads the admin's own styles for it; the bar is named by the
    card's heading."""
    import re

    from django.contrib.staticfiles import finders

    job = Job.objects.create(
        kind=Job.Kind.BANK_IMPORT,
        owner=ines,
        course=bank_course,
        status=Job.Status.RUNNING,
        params={"token": "t", "dry_run": True},
        done=1,
        total=4,
    )
    page = client.get(URL).content.decode()
    assert 'href="/static/css/admin-jobs.css"' in page
    assert finders.find("css/admin-jobs.css")
    assert re.search(r'<body[^>]*class="[^"]*\bbank-upload\b', page)
    assert f'id="job-{job.pk}-title"' in page
    assert f'aria-labelledby="job-{job.pk}-title"' in page
    assert 'value="25"' in page
