"""quizzes.review: which moment of the review policy applies, and what it shows."""

from datetime import UTC, datetime, timedelta

import pytest

from quizzes import review
from quizzes.models import default_review_options

SUBMITTED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def moment(*, now, close_at=None, submitted_at=SUBMITTED, in_progress=False):
    return review.review_moment(
        in_progress=in_progress, submitted_at=submitted_at, close_at=close_at, now=now
    )


def test_an_attempt_in_progress_is_during():
    assert moment(in_progress=True, submitted_at=None, now=SUBMITTED) == "during"


def test_an_attempt_never_submitted_is_during():
    assert moment(submitted_at=None, now=SUBMITTED) == "during"


@pytest.mark.parametrize(
    "after", [timedelta(0), SECOND, timedelta(minutes=1), timedelta(minutes=2)]
)
def test_within_two_minutes_of_submitting_is_immediately(after):
    assert moment(now=SUBMITTED + after) == "immediately"


def test_just_after_the_two_minute_window_is_open():
    assert moment(now=SUBMITTED + timedelta(minutes=2) + SECOND) == "open"


def test_without_a_close_date_the_quiz_is_open_for_ever():
    assert moment(now=SUBMITTED + timedelta(days=3650)) == "open"


def test_after_the_close_date_is_closed():
    close = SUBMITTED + timedelta(hours=1)

    assert moment(now=close - SECOND, close_at=close) == "open"
    assert moment(now=close, close_at=close) == "closed"
    assert moment(now=close + timedelta(days=1), close_at=close) == "closed"


def test_closed_wins_over_immediately_when_the_quiz_closed_at_submission():
    assert moment(now=SUBMITTED + SECOND, close_at=SUBMITTED) == "closed"


EVERYTHING = list(review.ITEMS)


def test_during_an_attempt_only_the_responses_are_visible_whatever_the_options():
    options = dict.fromkeys(review.MOMENTS, EVERYTHING)

    assert review.visible_items(options, "during") == {"responses"}
    assert review.visible_items({"during": []}, "during") == {"responses"}


@pytest.mark.parametrize("when", ["immediately", "open", "closed"])
def test_after_the_attempt_the_options_for_the_moment_apply(when):
    options = {"immediately": ["marks"], "open": ["responses"], "closed": []}

    assert review.visible_items(options, when) == frozenset(options[when])


def test_a_moment_missing_from_the_options_shows_nothing():
    assert review.visible_items({"immediately": ["marks"]}, "open") == frozenset()


def test_unknown_items_in_the_options_are_ignored():
    options = {"open": ["marks", "answer_key", "right_answers"]}

    assert review.visible_items(options, "open") == {"marks", "right_answers"}


def test_the_default_options_show_nothing_during_and_everything_after():
    options = default_review_options()

    assert review.validate_review_options(options) == []
    assert review.visible_items(options, "during") == {"responses"}
    for when in ("immediately", "open", "closed"):
        assert review.visible_items(options, when) == frozenset(review.ITEMS)


def test_validation_reports_unknown_moments_and_items():
    problems = review.validate_review_options(
        {"later": ["marks"], "open": ["marks", "secrets"], "closed": "marks"}
    )

    assert len(problems) == 3
    assert "unknown moment 'later'" in problems[0]
    assert "unknown item 'secrets'" in problems[1]
    assert "closed: expected a list" in problems[2]


def test_validation_rejects_options_that_are_not_a_mapping():
    assert review.validate_review_options(["marks"]) != []
