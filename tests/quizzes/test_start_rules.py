"""Who may start an attempt, and when: attempts allowed (and overrides), the delay
between attempts, opening and closing dates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import rules, services
from quizzes.models import Attempt
from tests.factories import QuizOverrideFactory, make_quiz
from tests.quizzes.samples import single
from tests.quizzes.support import attempt_url, start_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(course=course, questions=[single()])


def finish(quiz, user, now=None):
    attempt = services.attempt_start(quiz=quiz, user=user, now=now)
    services.attempt_submit(attempt=attempt, now=now)
    return attempt


def refusal_code(quiz, user, now=None) -> str:
    with pytest.raises(services.AttemptError) as refused:
        services.attempt_start(quiz=quiz, user=user, now=now)
    return refused.value.code


# --------------------------------------------------------------------------
# Attempts allowed


def test_a_student_who_used_every_attempt_cannot_start_another(quiz, student):
    quiz.attempts_allowed = 2
    quiz.save()
    finish(quiz, student)
    finish(quiz, student)

    assert refusal_code(quiz, student) == rules.NO_ATTEMPTS_LEFT
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == 2


def test_an_override_with_an_extra_attempt_lets_the_student_start_one_more(
    quiz, student
):
    quiz.attempts_allowed = 1
    quiz.save()
    finish(quiz, student)
    QuizOverrideFactory(quiz=quiz, user=student, attempts_allowed=2)

    second = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=second)

    assert second.number == 2
    assert refusal_code(quiz, student) == rules.NO_ATTEMPTS_LEFT


def test_an_override_for_another_student_changes_nothing(quiz, student):
    from tests.factories import UserFactory

    quiz.attempts_allowed = 1
    quiz.save()
    finish(quiz, student)
    QuizOverrideFactory(quiz=quiz, user=UserFactory(), attempts_allowed=5)

    assert refusal_code(quiz, student) == rules.NO_ATTEMPTS_LEFT


def test_the_quiz_page_counts_the_attempts_left(enrolled_client, quiz, student):
    quiz.attempts_allowed = 3
    quiz.save()
    finish(quiz, student)

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert "3 (2 left)" in html


def test_with_no_attempts_left_the_page_says_so_and_a_start_is_refused(
    enrolled_client, quiz, student
):
    quiz.attempts_allowed = 1
    quiz.save()
    finish(quiz, student)

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()
    response = enrolled_client.post(start_url(quiz), follow=True)

    assert "You have used all your attempts at this quiz." in html
    assert start_url(quiz) not in html
    assert response.redirect_chain == [(quiz.get_absolute_url(), 302)]
    assert "You have used all your attempts" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == 1


def test_an_attempt_in_progress_is_resumed_even_with_no_attempts_left(
    enrolled_client, quiz, student
):
    quiz.attempts_allowed = 1
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=student)

    response = enrolled_client.post(start_url(quiz))

    assert response.url == attempt_url(attempt)


# --------------------------------------------------------------------------
# Delay between attempts


def test_a_quick_restart_within_the_delay_is_refused(quiz, student):
    quiz.attempt_delay = timedelta(hours=1)
    quiz.save()
    now = timezone.now()
    finish(quiz, student, now=now)

    assert refusal_code(quiz, student, now=now + timedelta(minutes=59)) == (
        rules.TOO_SOON
    )
    restarted = services.attempt_start(
        quiz=quiz, user=student, now=now + timedelta(hours=1)
    )
    assert restarted.number == 2


def test_the_page_refuses_a_quick_restart(enrolled_client, quiz, student):
    quiz.attempt_delay = timedelta(hours=1)
    quiz.save()
    finish(quiz, student)

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()
    response = enrolled_client.post(start_url(quiz), follow=True)

    assert "You must wait before starting another attempt." in html
    assert "You must wait before starting another attempt." in (
        response.content.decode()
    )
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == 1


# --------------------------------------------------------------------------
# Dates


def test_a_quiz_not_open_yet_cannot_be_started(enrolled_client, quiz, student):
    quiz.open_at = timezone.now() + timedelta(days=1)
    quiz.save()

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()
    response = enrolled_client.post(start_url(quiz), follow=True)

    assert refusal_code(quiz, student) == rules.NOT_OPEN_YET
    assert "This quiz is not open yet." in html
    assert "This quiz is not open yet." in response.content.decode()
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_a_closed_quiz_cannot_be_started(enrolled_client, quiz, student):
    quiz.close_at = timezone.now() - timedelta(minutes=1)
    quiz.save()

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()
    response = enrolled_client.post(start_url(quiz), follow=True)

    assert refusal_code(quiz, student) == rules.CLOSED
    assert "This quiz is closed." in html
    assert "This quiz is closed." in response.content.decode()
    assert not Attempt.objects.filter(quiz=quiz).exists()


def test_an_override_reopens_a_closed_quiz_for_one_student(quiz, student):
    now = timezone.now()
    quiz.close_at = now - timedelta(minutes=1)
    quiz.save()
    QuizOverrideFactory(quiz=quiz, user=student, close_at=now + timedelta(days=1))

    attempt = services.attempt_start(quiz=quiz, user=student, now=now)

    assert attempt.deadline == now + timedelta(days=1)


def test_an_open_quiz_between_its_dates_can_be_started(quiz, student):
    now = timezone.now()
    quiz.open_at = now - timedelta(days=1)
    quiz.close_at = now + timedelta(days=1)
    quiz.save()

    assert services.attempt_start(quiz=quiz, user=student, now=now).pk


# --------------------------------------------------------------------------
# Staff previews


def test_staff_can_preview_a_quiz_whatever_the_attempts_allowed(
    staff_client, staff, quiz
):
    quiz.attempts_allowed = 1
    quiz.save()

    first = staff_client.post(start_url(quiz))
    services.attempt_submit(attempt=Attempt.objects.get(user=staff))
    second = staff_client.post(start_url(quiz))

    attempts = list(Attempt.objects.filter(user=staff).order_by("number"))
    assert [a.is_preview for a in attempts] == [True, True]
    assert first.url == attempt_url(attempts[0])
    assert second.url == attempt_url(attempts[1])


def test_preview_attempts_do_not_use_up_a_students_attempts(quiz, student):
    quiz.attempts_allowed = 1
    quiz.save()
    preview = services.attempt_start(quiz=quiz, user=student, preview=True)
    services.attempt_submit(attempt=preview)

    attempt = services.attempt_start(quiz=quiz, user=student)

    assert not attempt.is_preview
    assert attempt.number == 2
