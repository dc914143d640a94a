"""Quiz rules as pure functions: effective settings, whether a student may start an
attempt, deadlines, the grade across attempts, and overall feedback.

Everything takes plain values and the current time as arguments.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class EffectiveSettings:
    """A quiz's settings for one student, after overrides and accommodations."""

    open_at: datetime | None
    close_at: datetime | None
    time_limit: timedelta | None  # already multiplied
    base_time_limit: timedelta | None
    attempts_allowed: int  # 0 = unlimited
    time_multiplier: Decimal


def effective_settings(
    *,
    open_at: datetime | None,
    close_at: datetime | None,
    time_limit: timedelta | None,
    attempts_allowed: int,
    override=None,
    time_multiplier: Decimal | float | int = 1,
) -> EffectiveSettings:
    """Apply a per-student override (any field it sets wins), then the multiplier.

    The multiplier (an accommodation) applies to whatever time limit results,
    including an overridden one.
    """
    if override is not None:
        open_at = override.open_at or open_at
        close_at = override.close_at or close_at
        time_limit = override.time_limit or time_limit
        if override.attempts_allowed is not None:
            attempts_allowed = override.attempts_allowed
    multiplier = Decimal(str(time_multiplier))
    limited = None
    if time_limit is not None:
        limited = timedelta(
            seconds=float(Decimal(time_limit.total_seconds()) * multiplier)
        )
    return EffectiveSettings(
        open_at=open_at,
        close_at=close_at,
        time_limit=limited,
        base_time_limit=time_limit,
        attempts_allowed=attempts_allowed,
        time_multiplier=multiplier,
    )


# Reasons a student may not start an attempt (codes; the view words them).
NOT_OPEN_YET = "not_open_yet"
CLOSED = "closed"
NO_ATTEMPTS_LEFT = "no_attempts_left"
TOO_SOON = "too_soon"


def start_refusal(
    *,
    settings: EffectiveSettings,
    attempts_used: int,
    last_finished_at: datetime | None,
    attempt_delay: timedelta | None,
    now: datetime,
) -> str | None:
    """Why a new attempt may not start now, or None if it may."""
    if settings.open_at is not None and now < settings.open_at:
        return NOT_OPEN_YET
    if settings.close_at is not None and now >= settings.close_at:
        return CLOSED
    if settings.attempts_allowed and attempts_used >= settings.attempts_allowed:
        return NO_ATTEMPTS_LEFT
    if (
        attempt_delay
        and last_finished_at is not None
        and now < last_finished_at + attempt_delay
    ):
        return TOO_SOON
    return None


def attempt_deadline(
    *, started_at: datetime, settings: EffectiveSettings
) -> datetime | None:
    """When the attempt's time runs out: the time limit, capped by the close date."""
    ends = []
    if settings.time_limit is not None:
        ends.append(started_at + settings.time_limit)
    if settings.close_at is not None:
        ends.append(settings.close_at)
    return min(ends) if ends else None


def accepts_answers(
    *, deadline: datetime | None, grace_period: timedelta, now: datetime
) -> bool:
    """Answers count until the deadline plus the grace period."""
    return deadline is None or now <= deadline + grace_period


def is_overdue(
    *, deadline: datetime | None, grace_period: timedelta, now: datetime
) -> bool:
    return not accepts_answers(deadline=deadline, grace_period=grace_period, now=now)


# The countdown submits a page when it reaches zero; clocks and rounding may make
# that request arrive a little early, which still counts as the time running out.
TIMER_TOLERANCE = timedelta(seconds=5)


def time_is_up(*, deadline: datetime | None, now: datetime) -> bool:
    """Whether an automatic submit by the page's countdown is plausible now."""
    return deadline is not None and now >= deadline - TIMER_TOLERANCE


@dataclass(frozen=True)
class GradeRule:
    """How a grading method makes one grade of a student's graded attempts.

    Either the mean of their fractions (``mean``), or the fraction of the attempt
    that sorts first by ``order``: attempt fields (``number`` counts from 1 in
    attempt order, ``fraction`` is 0..1), "-" for descending, later fields
    breaking ties. Plain data, so the gradebook's SQL (``teach.selectors``) and
    ``quiz_grade`` read the same definition.
    """

    mean: bool = False
    order: tuple[str, ...] = ()


GRADE_RULES: dict[str, GradeRule] = {
    "highest": GradeRule(order=("-fraction", "number")),
    "average": GradeRule(mean=True),
    "first": GradeRule(order=("number",)),
    "last": GradeRule(order=("-number",)),
}


def grade_rule(method: str) -> GradeRule:
    try:
        return GRADE_RULES[method]
    except KeyError:
        raise ValueError(f"unknown grading method {method!r}") from None


def quiz_grade(fractions: Sequence[float], method: str) -> float | None:
    """The student's grade across graded attempts (in attempt order), 0..1, as
    ``GRADE_RULES`` defines it; None without a graded attempt."""
    rule = grade_rule(method)
    if not fractions:
        return None
    if rule.mean:
        return sum(fractions) / len(fractions)
    attempts = [
        {"number": number, "fraction": fraction}
        for number, fraction in enumerate(fractions, start=1)
    ]

    def sort_key(attempt: dict) -> tuple:
        return tuple(
            -attempt[field[1:]] if field.startswith("-") else attempt[field]
            for field in rule.order
        )

    return min(attempts, key=sort_key)["fraction"]


def overall_feedback(bands: Sequence[dict], fraction: float | None) -> str:
    """The text of the highest band whose ``min`` the fraction reaches."""
    if fraction is None:
        return ""
    for band in sorted(bands, key=lambda b: b.get("min", 0), reverse=True):
        if fraction >= band.get("min", 0):
            return band.get("text", "")
    return ""


# A fraction this close below a pass mark still passes (float noise).
PASS_SLACK = 1e-9


def reaches(fraction: float | None, pass_mark: float | None) -> bool | None:
    """Whether a grade reaches a pass mark; None when either is missing."""
    if fraction is None or pass_mark is None:
        return None
    return fraction >= pass_mark - PASS_SLACK


def course_total(grades: Sequence[tuple[float | None, float]]) -> float | None:
    """The course total from (quiz grade or None, weight) pairs: the weighted mean
    of the quiz grades, a quiz without a grade counting 0, negative weights as 0
    (the gradebook's rule, ``teach.selectors``); None when no quiz has weight."""
    weights = [max(weight, 0.0) for _grade, weight in grades]
    total_weight = sum(weights)
    if not total_weight:
        return None
    return (
        sum(w * (grade or 0.0) for (grade, _), w in zip(grades, weights, strict=True))
        / total_weight
    )


def course_pass_mark(marks: Sequence[tuple[float, float]]) -> float | None:
    """The course's pass mark from (quiz pass mark, weight) pairs: their weighted
    mean, as the gradebook computes it; None when no quiz has weight."""
    weights = [max(weight, 0.0) for _mark, weight in marks]
    total_weight = sum(weights)
    if not total_weight:
        return None
    return sum(w * mark for (mark, _), w in zip(marks, weights, strict=True)) / (
        total_weight
    )
