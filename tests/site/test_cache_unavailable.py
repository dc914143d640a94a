"""With Redis down (restarted, unreachable) the site keeps serving, uncached:
sessions fall back to the database, every page is built from the database, and
answers are saved and graded as usual. The cache is what settings.py builds from
REDIS_URL, pointed at a port where nothing listens."""

import importlib.util
import socket
from pathlib import Path

import pytest
from django.urls import reverse

from quizzes.models import Attempt, AttemptState
from tests.factories import EnrollmentFactory, UserFactory, make_quiz
from tests.quizzes.samples import sample

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "coursesite" / "settings.py"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_caches(monkeypatch, url: str) -> dict:
    """CACHES as settings.py builds them for REDIS_URL=url."""
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-key-0123456789")
    spec = importlib.util.spec_from_file_location("settings_redis", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CACHES


@pytest.fixture
def redis_down(settings, monkeypatch, caches_on):
    settings.CACHES = _redis_caches(
        monkeypatch, f"redis://127.0.0.1:{_closed_port()}/0"
    )


def test_a_student_logs_in_reads_and_takes_a_quiz_while_redis_is_down(
    redis_down, client, course
):
    student = UserFactory(username="ana")
    student.set_password("a-long-password-1")
    student.save()
    EnrollmentFactory(user=student, course=course)
    quiz = make_quiz(course=course, questions=[sample("truefalse")])

    response = client.post(
        reverse("login"), {"username": "ana", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("lessons:my-learning")).status_code == 200
    assert client.get(course.get_absolute_url()).status_code == 200
    assert client.get(quiz.get_absolute_url()).status_code == 200

    client.post(reverse("quizzes:quiz-start", args=[course.slug, quiz.slug]))
    attempt = Attempt.objects.get(user=student, quiz=quiz)
    page = reverse("quizzes:attempt", args=[attempt.pk])
    assert client.get(page).status_code == 200
    saved = client.post(
        page,
        {"page": "1", "q0": "true", "q0-seq": "0", "autosave": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["saved"] == [1]
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.responses.get().answer is not None
