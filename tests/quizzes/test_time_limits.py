"""Time limits are enforced on the server: answers after the deadline plus grace are
refused and the attempt is submitted with what was saved in time."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptState
from tests.factories import (
    AccommodationFactory,
    QuizOverrideFactory,
    UserFactory,
    make_quiz,
)
from tests.quizzes.samples import single
from tests.quizzes.support import (
    attempt_url,
    responses_state,
    result_url,
    right_option_id,
    submit_url,
    summary_url,
)

pytestmark = pytest.mark.django_db

LIMIT = timedelta(minutes=30)
GRACE = timedelta(seconds=60)


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        time_limit=LIMIT,
        grace_period=GRACE,
        questions=[single("First"), single("Second")],
    )


@pytest.fixture
def started(quiz, student, enrolled_client):
    return services.attempt_start(quiz=quiz, user=student)


def ids(attempt, text: str, position: int = 0) -> str:
    return right_option_id(attempt.responses.get(position=position), text)


def make_overdue(attempt, by=GRACE + timedelta(seconds=1)) -> None:
    """Move the attempt's deadline into the past, beyond the grace period."""
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - by)


# --------------------------------------------------------------------------
# Deadlines


def test_a_timed_attempt_ends_after_the_time_limit(quiz, student):
    now = timezone.now()

    attempt = services.attempt_start(quiz=quiz, user=student, now=now)

    assert attempt.deadline == now + LIMIT


def test_an_accommodation_multiplies_the_time_limit(quiz, student):
    AccommodationFactory(
        user=student, course=quiz.course, time_multiplier=Decimal("1.5")
    )
    now = timezone.now()

    attempt = services.attempt_start(quiz=quiz, user=student, now=now)

    assert attempt.deadline == now + timedelta(minutes=45)


def test_an_override_time_limit_is_multiplied_by_the_accommodation(quiz, student):
    QuizOverrideFactory(quiz=quiz, user=student, time_limit=timedelta(minutes=40))
    AccommodationFactory(
        user=student, course=quiz.course, time_multiplier=Decimal("1.5")
    )
    now = timezone.now()

    attempt = services.attempt_start(quiz=quiz, user=student, now=now)

    assert attempt.deadline == now + timedelta(minutes=60)


def test_the_close_date_cuts_the_time_limit_short(quiz, student):
    now = timezone.now()
    quiz.close_at = now + timedelta(minutes=10)
    quiz.save()

    attempt = services.attempt_start(quiz=quiz, user=student, now=now)

    assert attempt.deadline == quiz.close_at


# --------------------------------------------------------------------------
# Late answers through the services


def test_answers_within_the_grace_period_are_saved(started):
    services.attempt_save_answers(
        attempt=started,
        answers={0: ids(started, "Right")},
        now=started.deadline + GRACE,
    )

    assert started.responses.get(position=0).answer == ids(started, "Right")


def test_answers_after_deadline_and_grace_are_refused_and_the_attempt_submitted(
    started,
):
    services.attempt_save_answers(
        attempt=started,
        answers={0: ids(started, "Right")},
        now=started.deadline - timedelta(minutes=1),
    )
    late = started.deadline + GRACE + timedelta(microseconds=1)

    with pytest.raises(services.AttemptError) as refused:
        services.attempt_save_answers(
            attempt=started,
            answers={0: ids(started, "Wrong"), 1: ids(started, "Right", 1)},
            now=late,
        )

    assert refused.value.code == services.TIME_UP
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED
    assert started.auto_submitted
    assert started.submitted_at == late
    first, second = started.responses.order_by("position")
    assert first.answer == ids(started, "Right")  # saved in time, kept
    assert second.answer is None  # sent late, not stored
    assert started.score == 1


def test_saving_answers_to_a_timed_out_attempt_twice_is_refused_as_closed(started):
    late = started.deadline + timedelta(hours=1)
    with pytest.raises(services.AttemptError):
        services.attempt_save_answers(attempt=started, answers={}, now=late)

    with pytest.raises(services.AttemptError) as refused:
        services.attempt_save_answers(attempt=started, answers={}, now=late)

    assert refused.value.code == services.ATTEMPT_CLOSED


def test_close_if_overdue_leaves_an_attempt_in_grace_alone(started):
    attempt = services.attempt_close_if_overdue(
        attempt=started, now=started.deadline + GRACE
    )

    assert attempt.state == AttemptState.IN_PROGRESS


def test_close_if_overdue_submits_an_attempt_past_its_grace(started):
    attempt = services.attempt_close_if_overdue(
        attempt=started, now=started.deadline + GRACE + timedelta(seconds=1)
    )

    assert attempt.state == AttemptState.GRADED
    assert attempt.auto_submitted


# --------------------------------------------------------------------------
# Late answers through the pages


def test_a_page_posted_after_the_deadline_is_refused_and_the_attempt_submitted(
    enrolled_client, started
):
    enrolled_client.post(
        attempt_url(started), {"page": "1", "q0": ids(started, "Right")}
    )
    make_overdue(started)
    before = responses_state(started)

    response = enrolled_client.post(
        attempt_url(started),
        {"page": "1", "q0": ids(started, "Wrong"), "q1": ids(started, "Right", 1)},
        follow=True,
    )

    assert response.redirect_chain[0] == (result_url(started), 302)
    assert "Time was up" in response.content.decode()
    assert responses_state(started)[0][:3] == before[0][:3]
    assert started.responses.get(position=1).answer is None
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED
    assert started.auto_submitted
    assert "submitted automatically" in response.content.decode()


def test_a_page_posted_within_the_grace_period_is_saved(enrolled_client, started):
    make_overdue(started, by=GRACE - timedelta(seconds=20))

    enrolled_client.post(
        attempt_url(started), {"page": "1", "q1": ids(started, "Right", 1)}
    )

    started.refresh_from_db()
    assert started.state == AttemptState.IN_PROGRESS
    assert started.responses.get(position=1).answer is not None


def test_loading_an_overdue_attempt_submits_it(enrolled_client, started):
    make_overdue(started)

    response = enrolled_client.get(attempt_url(started))

    assert response.url == result_url(started)
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED
    assert started.auto_submitted


def test_opening_the_summary_of_an_overdue_attempt_submits_it(enrolled_client, started):
    make_overdue(started)

    response = enrolled_client.get(summary_url(started))

    assert response.url == result_url(started)
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED


def test_a_late_submit_is_marked_automatic_and_says_why(enrolled_client, started):
    make_overdue(started)

    response = enrolled_client.post(submit_url(started), follow=True)

    started.refresh_from_db()
    assert started.auto_submitted
    assert "Time was up" in response.content.decode()


def test_the_attempt_page_carries_the_deadline_for_the_countdown(
    enrolled_client, started
):
    html = enrolled_client.get(attempt_url(started)).content.decode()

    assert f'data-deadline="{started.deadline.isoformat()}"' in html


def test_an_untimed_attempt_has_no_countdown(enrolled_client, course, student):
    quiz = make_quiz(course=course, questions=[single()])
    attempt = services.attempt_start(quiz=quiz, user=student)

    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert "data-countdown" not in html


# --------------------------------------------------------------------------
# close_overdue_attempts


def test_close_overdue_attempts_submits_only_the_overdue_ones(quiz, course):
    now = timezone.now()
    users = [UserFactory(username=name) for name in ("late", "grace", "fresh")]
    late, in_grace, fresh = (
        services.attempt_start(quiz=quiz, user=user, now=now) for user in users
    )
    Attempt.objects.filter(pk=late.pk).update(deadline=now - GRACE * 2)
    Attempt.objects.filter(pk=in_grace.pk).update(deadline=now - GRACE / 2)
    untimed_quiz = make_quiz(course=course, questions=[single()])
    untimed = services.attempt_start(quiz=untimed_quiz, user=users[0], now=now)
    out = io.StringIO()

    call_command("close_overdue_attempts", stdout=out)

    states = dict(
        Attempt.objects.filter(
            pk__in=[late.pk, in_grace.pk, fresh.pk, untimed.pk]
        ).values_list("pk", "state")
    )
    assert states == {
        late.pk: AttemptState.GRADED,
        in_grace.pk: AttemptState.IN_PROGRESS,
        fresh.pk: AttemptState.IN_PROGRESS,
        untimed.pk: AttemptState.IN_PROGRESS,
    }
    assert Attempt.objects.get(pk=late.pk).auto_submitted
    assert out.getvalue().strip() == "1 overdue attempt(s) submitted"


def test_close_overdue_attempts_run_again_submits_nothing(started):
    make_overdue(started)
    call_command("close_overdue_attempts", stdout=io.StringIO())
    out = io.StringIO()

    call_command("close_overdue_attempts", stdout=out)

    assert out.getvalue().strip() == "0 overdue attempt(s) submitted"


def test_closing_overdue_attempts_keeps_the_answers_saved_in_time(started):
    services.attempt_save_answers(attempt=started, answers={0: ids(started, "Right")})

    closed = services.attempts_close_overdue(
        now=started.deadline + GRACE + timedelta(seconds=1)
    )

    started.refresh_from_db()
    assert closed == 1
    assert started.score == 1
    assert started.auto_submitted


# --------------------------------------------------------------------------
# The quiz page


def test_the_quiz_page_shows_the_time_limit(enrolled_client, quiz):
    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert 'data-testid="time-limit">30 minutes' in html
    assert "extra-time accommodation" not in html


def test_the_quiz_page_shows_the_time_with_the_multiplier(
    enrolled_client, quiz, student
):
    AccommodationFactory(
        user=student, course=quiz.course, time_multiplier=Decimal("1.5")
    )

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert 'data-testid="time-limit">45 minutes' in html
    assert "Includes your extra-time accommodation (× 1.50)." in html


# --------------------------------------------------------------------------
# The countdown's own submit (timeout=1) when it reaches zero


def test_the_countdown_finishing_the_page_submits_the_attempt_as_automatic(
    enrolled_client, started
):
    make_overdue(started, by=timedelta(seconds=1))  # just past, within grace

    response = enrolled_client.post(
        attempt_url(started),
        {"page": "1", "action": "finish", "timeout": "1", "q0": ids(started, "Right")},
    )

    assert response.url == result_url(started)
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED
    assert started.auto_submitted
    assert started.responses.get(position=0).fraction == 1  # saved, then graded


def test_the_countdown_submit_from_the_summary_is_automatic(enrolled_client, started):
    make_overdue(started, by=timedelta(seconds=1))

    enrolled_client.post(submit_url(started), {"timeout": "1"})

    started.refresh_from_db()
    assert started.auto_submitted


def test_a_timeout_flag_long_before_the_deadline_is_not_believed(
    enrolled_client, started
):
    response = enrolled_client.post(
        attempt_url(started), {"page": "1", "action": "finish", "timeout": "1"}
    )

    assert response.url == summary_url(started)
    started.refresh_from_db()
    assert started.state == AttemptState.IN_PROGRESS

    enrolled_client.post(submit_url(started), {"timeout": "1"})
    started.refresh_from_db()
    assert started.state == AttemptState.GRADED
    assert not started.auto_submitted
