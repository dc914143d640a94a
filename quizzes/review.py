"""What a student may see of a finished attempt, and when (Moodle's review options).

Pure functions: the caller passes the clock in.

A quiz's ``review_options`` maps each *moment* to the *items* shown then:

moments
    ``during``       while the attempt is in progress
    ``immediately``  within ``IMMEDIATELY_WINDOW`` of submitting
    ``open``         later, while the quiz is still open
    ``closed``       after the quiz has closed (a quiz with no close date is never
                     closed, so ``open`` applies for ever)
items
    ``responses``          the student's own answers
    ``correctness``        right / partly right / wrong for each question
    ``marks``              marks for each question and the total
    ``specific_feedback``  feedback attached to the options or answers chosen
    ``general_feedback``   each question's general feedback
    ``right_answers``      the right answer to each question
    ``overall_feedback``   the quiz's feedback band for the total score

coursesite uses deferred feedback (as Moodle's default behaviour): nothing is graded
until the attempt is submitted, so during an attempt only the student's own
responses are ever shown, whatever ``during`` says. Right answers and feedback never
reach the page of an attempt in progress.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

MOMENTS = ("during", "immediately", "open", "closed")
ITEMS = (
    "responses",
    "correctness",
    "marks",
    "specific_feedback",
    "general_feedback",
    "right_answers",
    "overall_feedback",
)
IMMEDIATELY_WINDOW = timedelta(minutes=2)


def review_moment(
    *,
    in_progress: bool,
    submitted_at: datetime | None,
    close_at: datetime | None,
    now: datetime,
) -> str:
    if in_progress or submitted_at is None:
        return "during"
    if close_at is not None and now >= close_at:
        return "closed"
    if now - submitted_at <= IMMEDIATELY_WINDOW:
        return "immediately"
    return "open"


def visible_items(options: Mapping[str, list[str]], moment: str) -> frozenset[str]:
    """The items shown at a moment; during an attempt, only the responses."""
    if moment == "during":
        return frozenset({"responses"})
    return frozenset(item for item in options.get(moment, ()) if item in ITEMS)


def marks_shown_later(
    options: Mapping[str, list[str]], *, close_at: datetime | None, now: datetime
) -> bool:
    """Whether marks are shown now for an attempt submitted a while ago.

    Summaries of a student's attempts outside the review page (best-score badges)
    follow this moment, never the short ``immediately`` window, so they reveal no
    more than the review page of an older attempt would.
    """
    moment = "closed" if close_at is not None and now >= close_at else "open"
    return "marks" in visible_items(options, moment)


def items_shown_later(
    options: Mapping[str, list[str]], *, close_at: datetime | None, now: datetime
) -> frozenset[str]:
    """What summaries outside the review page may show now (the moment of an
    attempt submitted a while ago, as ``marks_shown_later``)."""
    moment = "closed" if close_at is not None and now >= close_at else "open"
    return visible_items(options, moment)


def validate_review_options(options) -> list[str]:
    problems = []
    if not isinstance(options, Mapping):
        return ["review options must be a mapping of moment -> list of items"]
    for moment, items in options.items():
        if moment not in MOMENTS:
            problems.append(f"unknown moment {moment!r} (expected one of {MOMENTS})")
            continue
        if not isinstance(items, list | tuple):
            problems.append(f"{moment}: expected a list of items")
            continue
        problems += [
            f"{moment}: unknown item {item!r}" for item in items if item not in ITEMS
        ]
    return problems
