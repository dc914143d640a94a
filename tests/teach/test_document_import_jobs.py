"""A large document (over IMPORT_DIRECT_MAX_BYTES) is read by background jobs
(teach/jobs.py): the preview, each "Update the preview", and the import each run
as a job whose progress the page shows, then the preview, the course or the
error; an import run again creates nothing twice; others never see the job."""

import pytest
from django.urls import reverse

from coursesite import jobs
from coursesite.models import Job
from lessons.importing import parse_document
from lessons.models import Course
from lessons.services import course_add_instructor, course_import
from tests.factories import StaffFactory
from tests.teach.test_document_import_pages import (
    AS_UPLOADED,
    DOC,
    NEW_VERSION,
    held_files,
    section_post,
    token_of,
    update_url,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rivers(instructor):
    parsed = parse_document(DOC, filename="rivers.md")
    course_import(parsed=parsed, slug="rivers", publish=True, source_name="rivers.md")
    course = Course.objects.get(slug="rivers")
    course_add_instructor(course=course, user=instructor)
    return course


@pytest.fixture
def large(settings):
    settings.IMPORT_DIRECT_MAX_BYTES = 50  # DOC is larger: jobs


def _preview_url(token):
    return reverse("teach:course-import-preview", args=[token])


def test_a_small_document_is_read_in_the_request(teacher_client):
    token = token_of(upload(teacher_client, DOC.encode()))
    page = teacher_client.get(_preview_url(token))
    assert "Preview: Rivers of Peru" in page.content.decode()
    assert not Job.objects.exists()


def test_a_large_document_is_previewed_then_imported_by_jobs(
    teacher_client, instructor, large, media
):
    token = token_of(upload(teacher_client, DOC.encode()))
    preview = Job.objects.get()
    assert (preview.kind, preview.owner, preview.status) == (
        Job.Kind.DOCUMENT_IMPORT,
        instructor,
        Job.Status.DONE,
    )
    assert preview.params["action"] == "preview"
    url = _preview_url(token)
    html = teacher_client.get(url).content.decode()
    assert "Preview: Rivers of Peru" in html
    assert "Module 1: Coast" in html and "Santa" in html
    assert "Image not found: &quot;images/amazon.png&quot;" in html
    assert not Course.objects.filter(title="Rivers of Peru").exists()

    # Adjusted: a new preview job; the form shows the adjustments.
    adjusted = [*AS_UPLOADED[:3], (2, "Amazon basin", False)]
    adjusted[2] = (2, "Santa", True)
    moved = teacher_client.post(url, section_post(adjusted, title="Peru's rivers"))
    assert (moved.status_code, moved.url) == (302, url)
    html = teacher_client.get(url).content.decode()
    assert "Preview: Peru&#x27;s rivers" in html
    assert 'value="Amazon basin"' in html
    assert Job.objects.count() == 2

    done = teacher_client.post(
        url, section_post(adjusted, action="create", title="Peru's rivers")
    )
    assert done.url == url
    finished = teacher_client.get(url)
    course = Course.objects.get(title="Peru's rivers")
    assert finished.url == reverse("teach:gradebook", args=[course.slug])
    assert list(course.instructors.all()) == [instructor]
    assert not course.is_published
    assert held_files(media) == []
    assert teacher_client.get(url).status_code == 404  # the token is spent


def test_a_running_document_job_shows_its_progress(monkeypatch, teacher_client, large):
    from types import SimpleNamespace

    # Queued, and no worker has picked it up yet.
    monkeypatch.setattr(jobs, "run_job", SimpleNamespace(enqueue=lambda pk: None))
    token = token_of(upload(teacher_client, DOC.encode()))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    html = teacher_client.get(_preview_url(token)).content.decode()
    assert f'data-job-progress="/jobs/{job.pk}/progress"' in html
    assert 'src="/static/js/jobs.js"' in html
    assert "Preview:" not in html


def test_a_document_import_run_again_creates_one_course(
    monkeypatch, teacher_client, large
):
    """Killed inside the import (before its commit): nothing written; run again,
    one course; run once more (stopped after its commit), still one."""
    from teach import jobs as teach_jobs

    token = token_of(upload(teacher_client, DOC.encode()))
    url = _preview_url(token)
    original = teach_jobs.document_import.document_import_apply

    def killed_before_the_commit(**kwargs):
        original(**kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(
        teach_jobs.document_import, "document_import_apply", killed_before_the_commit
    )
    courses = Course.objects.count()
    with pytest.raises(KeyboardInterrupt):
        teacher_client.post(url, section_post(AS_UPLOADED, action="create"))
    job = Job.objects.latest("pk")
    assert (job.params["action"], job.status) == ("apply", Job.Status.RUNNING)
    assert Course.objects.count() == courses

    monkeypatch.setattr(teach_jobs.document_import, "document_import_apply", original)
    assert jobs.jobs_requeue_stale(stale_seconds=0) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.tries) == (Job.Status.DONE, 2)
    assert Course.objects.count() == courses + 1

    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    jobs.run_job.call(job.pk)
    assert Course.objects.count() == courses + 1


def test_a_malformed_large_document_fails_with_its_line_and_writes_nothing(
    teacher_client, large, media
):
    courses = Course.objects.count()
    bad = "# Título\n\n## Sección\n\nTexto".encode("latin-1") + b" " * 60
    token = token_of(upload(teacher_client, bad, name="doc.md"))
    job = Job.objects.get()
    assert (job.status, job.tries) == (Job.Status.FAILED, 1)
    assert "line 1: not valid UTF-8" in job.error
    page = teacher_client.get(_preview_url(token), follow=True)
    html = page.content.decode()
    assert "Nothing was imported: line 1: not valid UTF-8" in html
    assert Course.objects.count() == courses
    assert held_files(media) == []


def test_a_large_update_is_previewed_then_applied_by_jobs(
    teacher_client, rivers, large
):
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    url = reverse("teach:course-update-preview", args=[rivers.slug, token])
    html = teacher_client.get(url).content.decode()
    assert "1 lesson added" in html and "Lakes" in html
    assert "1 lesson removed (unpublished)" in html
    assert not rivers.lessons.filter(slug="lakes").exists()
    assert teacher_client.post(url, {"action": "apply"}).url == url
    done = teacher_client.get(url)
    assert done.url == reverse("teach:gradebook", args=[rivers.slug])
    assert rivers.lessons.get(slug="lakes").is_published
    assert not rivers.lessons.get(slug="santa").is_published
    assert [j.params["action"] for j in Job.objects.order_by("pk")] == [
        "preview",
        "apply",
    ]


def test_another_user_cannot_see_a_document_job(client, teacher_client, large):
    token = token_of(upload(teacher_client, DOC.encode()))
    job = Job.objects.get()
    other = StaffFactory(username="other-staff", is_superuser=True)
    client.force_login(other)
    assert client.get(reverse("job-progress", args=[job.pk])).status_code == 404
    assert client.get(_preview_url(token)).status_code == 404


def test_a_large_update_can_drop_the_kept_adjustments(teacher_client, rivers, large):
    rivers.import_adjustments = {"title": "Ríos del Perú"}
    rivers.save(update_fields=["import_adjustments"])
    token = token_of(
        upload(teacher_client, NEW_VERSION.encode(), url=update_url(rivers))
    )
    url = reverse("teach:course-update-preview", args=[rivers.slug, token])
    assert "Course title: “Ríos del Perú”" in teacher_client.get(url).content.decode()
    dropped = teacher_client.get(url, {"adjustments": "drop"})
    assert dropped.url == url  # read again, without them
    html = teacher_client.get(url).content.decode()
    assert "are dropped" in html and 'href="?adjustments=keep"' in html
    assert [j.params["keep"] for j in Job.objects.order_by("pk")] == [True, False]
    teacher_client.post(url, {"action": "apply", "adjustments": "drop"})
    teacher_client.get(url)
    rivers.refresh_from_db()
    assert rivers.import_adjustments == {}
