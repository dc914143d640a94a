"""Pages never go stale: with the caches on as in production (``caches_on``), a
write is seen by the next request, whatever was cached before it.

Each test writes, then reads from another request (or client) and checks the new
value. Invalidations happen at commit (tests/commits.py runs commit hooks when
the code under test commits).
"""

import io
import json

import pytest
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import selectors as lesson_selectors
from lessons import services as lesson_services
from lessons.models import Course, Lesson, Module
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services
from tests.factories import (
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)

pytestmark = pytest.mark.django_db

QUESTION = {
    "type": "truefalse",
    "title": "Andes",
    "text": "The Andes run along the west of South America.",
    "correct": True,
}


def enrolled_client(user, course) -> Client:
    EnrollmentFactory(user=user, course=course)
    client = Client()
    client.force_login(user)
    return client


def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def first_lesson(course) -> Lesson:
    return course.lessons.order_by("module__position", "position", "id").first()


def import_document(path, slug, text) -> None:
    path.write_text(text, encoding="utf-8")
    call_command(
        "import_document", str(path), slug=slug, publish=True, stdout=io.StringIO()
    )


# --- question_bank_import marks the course's content as changed -----------------


def bank(lesson, *, title="Check: the Andes") -> dict:
    return {
        "format": "coursesite-quiz",
        "version": 1,
        "quizzes": [
            {
                "slug": "check-andes",
                "title": title,
                "lesson": lesson.slug,
                "questions": [{"key": "andes-1", **QUESTION}],
            }
        ],
    }


def test_a_quiz_imported_with_import_questions_shows_on_the_lesson_page(
    caches_on, tmp_path, student
):
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    reader = enrolled_client(student, course)
    assert b"Check: the Andes" not in reader.get(lesson.get_absolute_url()).content

    path = tmp_path / "bank.json"
    path.write_text(json.dumps(bank(lesson)), encoding="utf-8")
    call_command("import_questions", str(path), course="andes", stdout=io.StringIO())

    assert b"Check: the Andes" in reader.get(lesson.get_absolute_url()).content


def test_a_quiz_changed_with_import_quiz_shows_on_the_lesson_page(
    caches_on, tmp_path, student
):
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    quiz_services.question_bank_import(course=course, data=bank(lesson))
    reader = enrolled_client(student, course)
    assert b"Check: the Andes" in reader.get(lesson.get_absolute_url()).content

    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(bank(lesson, title="Check: rivers")), encoding="utf-8")
    call_command("import_quiz", str(path), course="andes", stdout=io.StringIO())

    page = reader.get(lesson.get_absolute_url()).content
    assert b"Check: rivers" in page
    assert b"Check: the Andes" not in page


def test_a_course_json_with_quizzes_imported_again_shows_its_quizzes(
    caches_on, tmp_path, student
):
    """The course JSON import (``import_document`` of an export) runs
    ``question_bank_import`` through ``hooks.course_importers``."""
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    reader = enrolled_client(student, course)
    reader.get(lesson.get_absolute_url())
    export = _export(course)
    export["quizzes"] = bank(lesson)["quizzes"]
    path = tmp_path / "course.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    call_command(
        "import_document", str(path), slug="andes", publish=True, stdout=io.StringIO()
    )

    assert b"Check: the Andes" in reader.get(lesson.get_absolute_url()).content


def _export(course) -> dict:
    out = io.StringIO()
    call_command("export_course", course.slug, stdout=out)
    return json.loads(out.getvalue())


# --- A course deleted and created again under its slug ---------------------------


def test_a_course_deleted_and_imported_again_shows_the_new_lessons(
    caches_on, tmp_path, student
):
    import_document(tmp_path / "a.md", "andes", "# Andes\n\n## Rivers\n\nOld text.\n")
    course = Course.objects.get(slug="andes")
    reader = enrolled_client(student, course)
    url = reverse(
        "lessons:lesson-detail",
        kwargs={"course_slug": "andes", "lesson_slug": "rivers"},
    )
    assert b"Old text." in reader.get(url).content

    admin_client().post(
        reverse("admin:lessons_course_delete", args=[course.pk]), {"post": "yes"}
    )
    assert not Course.objects.filter(pk=course.pk).exists()
    import_document(tmp_path / "b.md", "andes", "# Andes\n\n## Rivers\n\nNew text.\n")
    EnrollmentFactory(user=student, course=Course.objects.get(slug="andes"))

    response = reader.get(url)
    assert response.status_code == 200, response
    page = response.content
    assert b"New text." in page
    assert b"Old text." not in page


# --- Moving a lesson or a module, deleting a course ------------------------------


@pytest.fixture
def two_courses(student):
    one = make_course(slug="one", modules=2, lessons_per_module=2)
    two = make_course(slug="two", modules=1, lessons_per_module=2)
    return one, two, enrolled_client(student, one), enrolled_client(student, two)


def first_lesson_page(client, course) -> str:
    """The first lesson page of a course, with its side outline, as text."""
    return client.get(first_lesson(course).get_absolute_url()).content.decode()


def test_moving_a_lesson_to_another_course_refreshes_both_courses(
    caches_on, two_courses
):
    one, two, reader_one, reader_two = two_courses
    moved = one.lessons.order_by("id").last()
    moved.title = "Wandering lesson"
    moved.save()
    lesson_services.course_touch(course=one)
    assert "Wandering lesson" in first_lesson_page(reader_one, one)
    assert "Wandering lesson" not in first_lesson_page(reader_two, two)

    target = two.modules.get()
    response = admin_client().post(
        reverse("admin:lessons_lesson_change", args=[moved.pk]),
        {
            "course": two.pk,
            "module": target.pk,
            "title": moved.title,
            "slug": moved.slug,
            "position": 9,
            "is_published": "on",
            "body_markdown": moved.body_markdown,
        },
    )
    assert response.status_code == 302

    assert "Wandering lesson" not in first_lesson_page(reader_one, one)
    assert "Wandering lesson" in first_lesson_page(reader_two, two)


def test_moving_a_module_to_another_course_refreshes_both_courses(
    caches_on, two_courses
):
    one, two, reader_one, reader_two = two_courses
    module = one.modules.order_by("position").last()
    Module.objects.filter(pk=module.pk).update(title="Roaming module")
    lesson_services.course_touch(course=one)
    assert "Roaming module" in first_lesson_page(reader_one, one)
    assert "Roaming module" not in first_lesson_page(reader_two, two)

    response = admin_client().post(
        reverse("admin:lessons_module_change", args=[module.pk]),
        {
            "course": two.pk,
            "title": "Roaming module",
            "slug": module.slug,
            "position": 5,
            "lessons-TOTAL_FORMS": 0,
            "lessons-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302

    assert "Roaming module" not in first_lesson_page(reader_one, one)


def test_a_course_deleted_in_the_admin_is_gone_at_once(caches_on, student):
    course = make_course(slug="doomed")
    url = first_lesson(course).get_absolute_url()
    reader = enrolled_client(student, course)
    assert reader.get(url).status_code == 200
    assert reader.get(course.get_absolute_url()).status_code == 200

    response = admin_client().post(
        reverse("admin:lessons_course_delete", args=[course.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Course.objects.filter(pk=course.pk).exists()

    assert reader.get(url).status_code == 404


def test_a_course_deleted_by_a_service_is_gone_at_once(caches_on, student):
    course = make_course(slug="doomed")
    url = first_lesson(course).get_absolute_url()
    reader = enrolled_client(student, course)
    assert reader.get(url).status_code == 200

    lesson_services.course_delete(course=course)

    assert reader.get(url).status_code == 404


# --- A late reader cannot put an old value back -----------------------------------


def write_before_store(monkeypatch, target, name, write):
    """Make ``target.name`` (a read from the database) run ``write`` right after
    it read: the write commits between a request's read and its cache store."""
    original = getattr(target, name)
    done = []

    def read_then_write(*args, **kwargs):
        value = original(*args, **kwargs)
        if not done:
            done.append(True)
            write()
        return value

    monkeypatch.setattr(target, name, read_then_write)
    return done


def test_progress_read_before_a_completion_commits_is_not_cached(
    caches_on, monkeypatch, student
):
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    reader = enrolled_client(student, course)
    done = write_before_store(
        monkeypatch,
        lesson_selectors,
        "progress_by_lesson",
        lambda: lesson_services.lesson_complete(user=student, lesson=lesson),
    )

    # The late request read "not completed", then stored it after the commit.
    assert reader.get(course.get_absolute_url()).context["summary"].completed == 0
    assert done
    monkeypatch.undo()

    assert reader.get(course.get_absolute_url()).context["summary"].completed == 1


def test_quiz_figures_read_before_a_submit_commits_are_not_cached(
    caches_on, monkeypatch, student
):
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    quiz = make_quiz(course=course, lesson=lesson, questions=[QUESTION])
    EnrollmentFactory(user=student, course=course)
    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    response = attempt.responses.get()
    quiz_services.attempt_save_answers(
        attempt=attempt, answers={response.position: "true"}
    )

    def submit():
        quiz_services.attempt_submit(attempt=attempt)

    done = write_before_store(monkeypatch, quiz_selectors, "_quiz_figures", submit)
    quiz_selectors.quiz_statuses_cached(user=student, course=course)
    assert done
    monkeypatch.undo()

    status = quiz_selectors.quiz_statuses_cached(user=student, course=course)
    assert not status[quiz.pk].in_progress
    assert status[quiz.pk].attempts == 1


def test_a_user_read_before_a_deactivation_commits_is_not_cached(
    caches_on, monkeypatch
):
    user = UserFactory()
    client = Client()
    client.force_login(user)

    def deactivate():
        fresh = type(user).objects.get(pk=user.pk)
        fresh.is_active = False
        fresh.save()

    done = write_before_store(monkeypatch, ModelBackend, "get_user", deactivate)
    # The late reader loaded the user while still active, and cached it.
    assert client.get("/learning/").status_code == 200
    assert done
    monkeypatch.undo()

    response = client.get("/learning/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


# --- Cached fragments follow a deploy that changes their templates --------------


def shadow_template(settings, tmp_path, name, transform):
    """Deploy a changed copy of template ``name`` (first in the template dirs)."""
    from django.template.loader import get_template

    source = get_template(name).template.source
    target = tmp_path / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(transform(source), encoding="utf-8")
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [str(tmp_path / "templates"), *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def restart_workers():
    """A deploy starts new processes: what they kept in memory is gone; the shared
    cache (Redis, files) is not."""
    from coursesite import cache as site_cache

    site_cache.local_clear()


def test_the_cached_outline_follows_a_changed_template(
    caches_on, settings, tmp_path, student
):
    course = make_course(slug="andes")
    reader = enrolled_client(student, course)
    url = first_lesson(course).get_absolute_url()
    assert b"course-outline-v2" not in reader.get(url).content

    shadow_template(
        settings,
        tmp_path,
        "includes/_outline.html",
        lambda s: s.replace('class="course-outline"', 'class="course-outline-v2"'),
    )
    restart_workers()

    assert b"course-outline-v2" in reader.get(url).content


def test_cached_question_markup_follows_a_changed_template(
    caches_on, settings, tmp_path, student
):
    course = make_course(slug="andes")
    quiz = make_quiz(course=course, questions=[QUESTION])
    reader = enrolled_client(student, course)
    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    url = reverse("quizzes:attempt", kwargs={"attempt_id": attempt.pk})
    assert b"question-v2" not in reader.get(url).content

    shadow_template(
        settings,
        tmp_path,
        "quizzes/_question.html",
        lambda s: "<i class=question-v2></i>" + s,
    )
    restart_workers()

    assert b"question-v2" in reader.get(url).content


# --- Every entry has a timeout; the process-local layer expires ----------------


def test_every_cache_entry_a_page_stores_has_a_timeout(caches_on, monkeypatch, student):
    course = make_course(slug="andes")
    lesson = first_lesson(course)
    quiz = make_quiz(course=course, lesson=lesson, questions=[QUESTION])
    reader = enrolled_client(student, course)
    stored = []
    for name in ("set", "add"):
        original = getattr(cache, name)

        def spy(key, value, timeout=DEFAULT_TIMEOUT, *args, _original=original, **kw):
            stored.append((key, timeout))
            return _original(key, value, timeout, *args, **kw)

        monkeypatch.setattr(cache, name, spy)
    original_many = cache.set_many

    def spy_many(data, timeout=DEFAULT_TIMEOUT, *args, **kwargs):
        stored.extend((key, timeout) for key in data)
        return original_many(data, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set_many", spy_many)

    for url in (
        course.get_absolute_url(),
        lesson.get_absolute_url(),
        quiz.get_absolute_url(),
        "/learning/",
    ):
        assert reader.get(url).status_code == 200
    lesson_services.lesson_complete(user=student, lesson=lesson)
    lesson_services.course_touch(course=course)
    reader.get(lesson.get_absolute_url())

    assert stored
    assert [key for key, timeout in stored if not timeout] == []


def test_the_process_local_layer_forgets_values_after_its_time_to_live(
    settings, monkeypatch
):
    from coursesite import cache as site_cache

    settings.CACHE_LOCAL_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(site_cache, "_clock", lambda: now[0])
    builds = []

    def build():
        builds.append(1)
        return len(builds)

    key = "test-entry"
    assert site_cache.local_get_or_set(key, build) == 1
    cache.delete(key)  # the shared copy is gone too (evicted)
    now[0] += 59
    assert site_cache.local_get_or_set(key, build) == 1
    now[0] += 2
    assert site_cache.local_get_or_set(key, build) == 2


def test_the_process_local_layer_is_bounded(settings):
    from coursesite import cache as site_cache

    settings.CACHE_LOCAL_MAX_ENTRIES = 10
    for number in range(50):
        site_cache.local_get_or_set(f"bounded-{number}", lambda n=number: n)
    assert site_cache.local_size() <= 10


# --- The test settings can run the caches as production does --------------------


def test_caches_on_keeps_the_user_cached_across_requests(caches_on, student):
    client = Client()
    client.force_login(student)
    client.get("/learning/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/password_change/")
    assert not [q for q in queries if "auth_user" in q["sql"]]


# --- Enrolments and progress edited in the admin --------------------------------


def test_an_enrolment_deleted_in_the_admin_closes_the_lessons_at_once(
    caches_on, student
):
    from lessons.models import Enrollment

    course = make_course(slug="andes")
    url = first_lesson(course).get_absolute_url()
    reader = enrolled_client(student, course)
    assert reader.get(url).status_code == 200  # the first visit records progress
    assert reader.get(url).status_code == 200  # this one reads the cached state
    enrollment = Enrollment.objects.get(user=student, course=course)

    response = admin_client().post(
        reverse("admin:lessons_enrollment_delete", args=[enrollment.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302

    response = reader.get(url)
    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_progress_deleted_in_the_admin_is_seen_at_once(caches_on, student):
    from lessons.models import LessonProgress

    course = make_course(slug="andes")
    lesson = first_lesson(course)
    reader = enrolled_client(student, course)
    lesson_services.lesson_complete(user=student, lesson=lesson)
    assert reader.get(course.get_absolute_url()).context["summary"].completed == 1
    progress = LessonProgress.objects.get(user=student, lesson=lesson)

    response = admin_client().post(
        reverse("admin:lessons_lessonprogress_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [progress.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not LessonProgress.objects.filter(pk=progress.pk).exists()

    assert reader.get(course.get_absolute_url()).context["summary"].completed == 0
