"""quizzes.rules: effective settings, who may start, deadlines, grades and feedback.

Pure functions: plain values in, the clock passed in.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from quizzes import rules

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@dataclass
class Override:
    """Stands in for a QuizOverride row: only the fields rules reads."""

    open_at: datetime | None = None
    close_at: datetime | None = None
    time_limit: timedelta | None = None
    attempts_allowed: int | None = None


def settings(**changes) -> rules.EffectiveSettings:
    values = {
        "open_at": None,
        "close_at": None,
        "time_limit": None,
        "attempts_allowed": 0,
    }
    values.update(changes)
    return rules.effective_settings(**values)


# --------------------------------------------------------------------------
# effective_settings


def test_without_override_or_multiplier_the_quiz_settings_apply():
    effective = settings(
        open_at=NOW, close_at=NOW + 60 * MINUTE, time_limit=30 * MINUTE,
        attempts_allowed=2,
    )  # fmt: skip

    assert effective.open_at == NOW
    assert effective.close_at == NOW + 60 * MINUTE
    assert effective.time_limit == 30 * MINUTE
    assert effective.base_time_limit == 30 * MINUTE
    assert effective.attempts_allowed == 2
    assert effective.time_multiplier == 1


def test_a_multiplier_of_one_and_a_half_turns_30_minutes_into_45():
    effective = settings(time_limit=30 * MINUTE, time_multiplier=Decimal("1.5"))

    assert effective.time_limit == 45 * MINUTE
    assert effective.base_time_limit == 30 * MINUTE
    assert effective.time_multiplier == Decimal("1.5")


def test_a_float_multiplier_gives_the_same_time_as_a_decimal_one():
    assert settings(time_limit=30 * MINUTE, time_multiplier=1.5).time_limit == (
        45 * MINUTE
    )


def test_a_multiplier_without_a_time_limit_leaves_the_quiz_untimed():
    assert settings(time_multiplier=2).time_limit is None


def test_an_overridden_time_limit_is_multiplied_too():
    effective = settings(
        time_limit=30 * MINUTE,
        override=Override(time_limit=40 * MINUTE),
        time_multiplier=Decimal("1.5"),
    )

    assert effective.base_time_limit == 40 * MINUTE
    assert effective.time_limit == 60 * MINUTE


def test_an_override_gives_an_untimed_quiz_a_time_limit():
    effective = settings(override=Override(time_limit=20 * MINUTE))

    assert effective.time_limit == 20 * MINUTE


def test_override_dates_win_over_the_quiz_dates():
    effective = settings(
        open_at=NOW,
        close_at=NOW + 60 * MINUTE,
        override=Override(open_at=NOW - 60 * MINUTE, close_at=NOW + 120 * MINUTE),
    )

    assert effective.open_at == NOW - 60 * MINUTE
    assert effective.close_at == NOW + 120 * MINUTE


def test_override_fields_left_empty_keep_the_quiz_settings():
    effective = settings(
        open_at=NOW,
        close_at=NOW + 60 * MINUTE,
        time_limit=30 * MINUTE,
        attempts_allowed=2,
        override=Override(),
    )

    assert effective == settings(
        open_at=NOW, close_at=NOW + 60 * MINUTE, time_limit=30 * MINUTE,
        attempts_allowed=2,
    )  # fmt: skip


@pytest.mark.parametrize(("override", "expected"), [(3, 3), (0, 0), (1, 1)])
def test_overridden_attempts_allowed_win_even_zero_for_unlimited(override, expected):
    effective = settings(
        attempts_allowed=2, override=Override(attempts_allowed=override)
    )

    assert effective.attempts_allowed == expected


# --------------------------------------------------------------------------
# start_refusal


def refusal(effective=None, *, used=0, last=None, delay=None, now=NOW):
    return rules.start_refusal(
        settings=effective or settings(),
        attempts_used=used,
        last_finished_at=last,
        attempt_delay=delay,
        now=now,
    )


def test_an_open_quiz_with_attempts_left_may_be_started():
    assert refusal(settings(attempts_allowed=2), used=1) is None


def test_a_quiz_before_its_opening_time_is_not_open_yet():
    effective = settings(open_at=NOW + MINUTE)

    assert refusal(effective) == rules.NOT_OPEN_YET
    assert refusal(effective, now=NOW + MINUTE) is None


def test_a_quiz_at_or_after_its_closing_time_is_closed():
    effective = settings(close_at=NOW)

    assert refusal(effective, now=NOW - timedelta(seconds=1)) is None
    assert refusal(effective) == rules.CLOSED
    assert refusal(effective, now=NOW + MINUTE) == rules.CLOSED


def test_a_student_who_used_every_attempt_has_none_left():
    effective = settings(attempts_allowed=2)

    assert refusal(effective, used=2) == rules.NO_ATTEMPTS_LEFT
    assert refusal(effective, used=3) == rules.NO_ATTEMPTS_LEFT


def test_zero_attempts_allowed_means_unlimited():
    assert refusal(settings(attempts_allowed=0), used=500) is None


def test_a_new_attempt_inside_the_delay_is_too_soon():
    delay = 10 * MINUTE
    last = NOW - 5 * MINUTE

    assert refusal(last=last, delay=delay) == rules.TOO_SOON
    assert refusal(last=last, delay=delay, now=last + delay) is None


def test_the_delay_does_not_apply_before_the_first_attempt():
    assert refusal(last=None, delay=10 * MINUTE) is None


def test_a_closed_quiz_is_reported_before_the_attempts_left():
    effective = settings(close_at=NOW - MINUTE, attempts_allowed=1)

    assert refusal(effective, used=1) == rules.CLOSED


# --------------------------------------------------------------------------
# attempt_deadline and accepts_answers


def test_an_untimed_quiz_without_a_close_date_has_no_deadline():
    assert rules.attempt_deadline(started_at=NOW, settings=settings()) is None


def test_the_deadline_is_the_start_plus_the_effective_time_limit():
    effective = settings(time_limit=30 * MINUTE, time_multiplier=Decimal("1.5"))

    assert rules.attempt_deadline(started_at=NOW, settings=effective) == (
        NOW + 45 * MINUTE
    )


def test_the_close_date_caps_the_deadline():
    effective = settings(time_limit=30 * MINUTE, close_at=NOW + 10 * MINUTE)

    assert rules.attempt_deadline(started_at=NOW, settings=effective) == (
        NOW + 10 * MINUTE
    )


def test_a_close_date_after_the_time_limit_does_not_extend_it():
    effective = settings(time_limit=30 * MINUTE, close_at=NOW + 90 * MINUTE)

    assert rules.attempt_deadline(started_at=NOW, settings=effective) == (
        NOW + 30 * MINUTE
    )


def test_an_untimed_quiz_with_a_close_date_ends_at_the_close_date():
    effective = settings(close_at=NOW + 10 * MINUTE)

    assert rules.attempt_deadline(started_at=NOW, settings=effective) == (
        NOW + 10 * MINUTE
    )


GRACE = timedelta(seconds=60)


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (NOW - MINUTE, True),
        (NOW, True),
        (NOW + GRACE - timedelta(microseconds=1), True),
        (NOW + GRACE, True),
        (NOW + GRACE + timedelta(microseconds=1), False),
        (NOW + 10 * GRACE, False),
    ],
)
def test_answers_count_until_the_deadline_plus_grace_inclusive(now, accepted):
    assert rules.accepts_answers(deadline=NOW, grace_period=GRACE, now=now) is accepted
    assert rules.is_overdue(deadline=NOW, grace_period=GRACE, now=now) is not accepted


def test_without_a_deadline_answers_are_always_accepted():
    far = NOW + timedelta(days=3650)

    assert rules.accepts_answers(deadline=None, grace_period=GRACE, now=far)
    assert not rules.is_overdue(deadline=None, grace_period=GRACE, now=far)


def test_with_no_grace_period_the_deadline_itself_is_the_last_moment():
    zero = timedelta(0)

    assert rules.accepts_answers(deadline=NOW, grace_period=zero, now=NOW)
    assert not rules.accepts_answers(
        deadline=NOW, grace_period=zero, now=NOW + timedelta(microseconds=1)
    )


# --------------------------------------------------------------------------
# quiz_grade


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", 0.9), ("average", 0.6), ("first", 0.5), ("last", 0.4)],
)
def test_quiz_grade_combines_attempts_by_the_grading_method(method, expected):
    assert rules.quiz_grade([0.5, 0.9, 0.4], method) == pytest.approx(expected)


@pytest.mark.parametrize("method", ["highest", "average", "first", "last"])
def test_without_graded_attempts_there_is_no_grade(method):
    assert rules.quiz_grade([], method) is None


@pytest.mark.parametrize("method", ["highest", "average", "first", "last"])
def test_a_single_attempt_is_the_grade_whatever_the_method(method):
    assert rules.quiz_grade([0.75], method) == 0.75


def test_an_unknown_grading_method_is_an_error():
    with pytest.raises(ValueError, match="unknown grading method"):
        rules.quiz_grade([0.5], "median")


# --------------------------------------------------------------------------
# overall_feedback

BANDS = [
    {"min": 0.5, "text": "Good"},
    {"min": 0.9, "text": "Excellent"},
    {"min": 0.0, "text": "Keep going"},
]


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (1.0, "Excellent"),
        (0.9, "Excellent"),
        (0.89, "Good"),
        (0.5, "Good"),
        (0.49, "Keep going"),
        (0.0, "Keep going"),
    ],
)
def test_overall_feedback_is_the_highest_band_reached(fraction, text):
    assert rules.overall_feedback(BANDS, fraction) == text


def test_no_overall_feedback_below_every_band():
    assert rules.overall_feedback([{"min": 0.5, "text": "Good"}], 0.2) == ""


def test_no_overall_feedback_without_a_grade_or_without_bands():
    assert rules.overall_feedback(BANDS, None) == ""
    assert rules.overall_feedback([], 0.8) == ""


# --------------------------------------------------------------------------
# The course total and pass mark (the gradebook's rule, for the Grades page)


@pytest.mark.parametrize(
    ("grades", "total"),
    [
        ([], None),
        ([(None, 1.0)], 0.0),
        ([(0.5, 1.0), (1.0, 1.0)], 0.75),
        ([(0.5, 1.0), (None, 1.0)], 0.25),
        ([(1.0, 3.0), (0.0, 1.0)], 0.75),
        ([(1.0, 0.0), (0.2, 1.0)], 0.2),
        ([(1.0, -2.0), (0.2, 1.0)], 0.2),
        ([(1.0, 0.0)], None),
    ],
)
def test_course_total_is_the_weighted_mean_an_ungraded_quiz_counting_0(grades, total):
    result = rules.course_total(grades)

    assert result == (None if total is None else pytest.approx(total))


def test_course_pass_mark_is_the_weighted_mean_of_the_quizzes():
    assert rules.course_pass_mark([(0.5, 1.0), (0.8, 3.0)]) == pytest.approx(0.725)
    assert rules.course_pass_mark([]) is None


@pytest.mark.parametrize(
    ("fraction", "mark", "result"),
    [(0.7, 0.7, True), (0.7 - 1e-12, 0.7, True), (0.69, 0.7, False),
     (None, 0.7, None), (0.5, None, None)],
)  # fmt: skip
def test_reaches_a_pass_mark(fraction, mark, result):
    assert rules.reaches(fraction, mark) is result
