"""What quiz pages display, computed from attempts and their frozen snapshots.

Views hand these plain structures to templates, which only print them. Nothing here
ever puts a right answer, a fraction or a feedback text into the structures for an
attempt in progress (``questions_for_page``); the review (``attempt_review``) adds
each item only when the quiz's review policy allows it at that moment.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lessons.rendering import render_markdown
from quizzes import grading, moodle_options, review, rules
from quizzes import types as question_types
from quizzes.models import Attempt, AttemptState, Response
from quizzes.snapshots import markdown_html

# InvalidResponse codes that are honest mistakes (shown as a form error), not
# tampering (a bare 400), with what the student reads.
USER_ERRORS = {
    "not_a_number": gettext_lazy(
        "“%(value)s” is not a number. Write digits, with a dot or a comma for "
        "decimals (1.5 or 1,5)."
    ),
    "ambiguous_number": gettext_lazy(
        "“%(value)s” has more than one “.” or “,”. Write the number without "
        "thousands separators, for example 1500.5."
    ),
    "out_of_range": gettext_lazy("“%(value)s” is too large a number."),
    "too_long": gettext_lazy(
        "This answer is too long: %(length)s characters, the limit is %(limit)s. "
        "Shorten it and save again."
    ),
}
USER_ERROR_CODES = grading.MISTAKE_CODES


def user_error_message(invalid) -> str:
    """The translated sentence for an honest mistake (see ``USER_ERRORS``),
    naming the gap of a cloze question it is in."""
    params = {"value": "", "length": "", "limit": "", **invalid.params}
    message = str(USER_ERRORS[invalid.code]) % params
    if "gap" in invalid.params:
        message = _("Gap %(gap)s: %(message)s") % {
            "gap": invalid.params["gap"],
            "message": message,
        }
    return message


def conflict_message(positions, *, shown: bool = True) -> str:
    """Which questions a save left alone because another window (or device)
    changed their answers after this page was shown. ``shown``: the page now shows
    their current answers (after an autosave it still shows the stale ones)."""
    numbers = ", ".join(str(position + 1) for position in sorted(positions))
    if shown:
        text = ngettext(
            "Question %(numbers)s was changed in another window after this page "
            "was shown, so your change to it was not saved. Its current answer is "
            "shown.",
            "Questions %(numbers)s were changed in another window after this page "
            "was shown, so your changes to them were not saved. Their current "
            "answers are shown.",
            len(positions),
        )
    else:
        text = ngettext(
            "Question %(numbers)s was changed in another window after this page "
            "was shown, so your change to it was not saved. Reload the page to see "
            "its current answer.",
            "Questions %(numbers)s were changed in another window after this page "
            "was shown, so your changes to them were not saved. Reload the page to "
            "see their current answers.",
            len(positions),
        )
    return text % {"numbers": numbers}


def autosave_reply(result, on_page, errors: dict[int, str], *, now) -> dict:
    """The JSON an autosave (static/js/attempt-autosave.js) gets back: each
    question's new sequence for its hidden field, what changed elsewhere, the
    refused answers (position -> message) and when it was saved."""
    return {
        "saved_at": now.isoformat(),
        # Not for a question changed elsewhere: its field still holds the stale
        # answer, which must not pass for current at the next save.
        "sequences": {
            f"q{r.position}-seq": result.responses[r.position].sequence
            for r in on_page
            if takes_answer(r.snapshot) and r.position not in result.conflicts
        },
        "saved": [position + 1 for position in result.saved],
        "conflicts": [
            {"field": f"q{position}", "number": position + 1}
            for position in result.conflicts
        ],
        "conflict_message": (
            conflict_message(result.conflicts, shown=False) if result.conflicts else ""
        ),
        "errors": [
            {"field": f"q{position}", "number": position + 1, "message": message}
            for position, message in sorted(errors.items())
        ],
    }


def takes_answer(snapshot) -> bool:
    """False for an information block (description): no answer, no review."""
    return question_types.get(snapshot["type"]).takes_answer


def paginate(responses: list[Response], per_page: int) -> list[list[Response]]:
    if not per_page:
        return [responses]
    return [responses[i : i + per_page] for i in range(0, len(responses), per_page)]


def option_token(response_id: int, option_id: str, *, secret: str = "") -> str:
    """What the attempt page shows and posts for a choice option: a keyed hash of
    the option's id, different in every response.

    Option ids are answer row ids, numbered in the order the options were written
    (the right one usually first): as values on the page they would undo the
    shuffle.
    """
    digest = hashlib.blake2b(
        f"option:{response_id}:{option_id}".encode(),
        key=(secret or settings.SECRET_KEY).encode()[:64],
        digest_size=6,
    )
    return digest.hexdigest()


def option_ids(response: Response, values: list[str]) -> list[str]:
    """Posted option tokens back to the snapshot's option ids (anything else is
    passed on as it is, for grading to accept or refuse). Tokens of a page shown
    before a key rotation still count while the old key is a fallback."""
    ids: dict[str, str] = {}
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        for option in response.snapshot.get("options", ()):
            token = option_token(response.pk, option["id"], secret=secret)
            ids.setdefault(token, option["id"])
    return [ids.get(value, value) for value in values]


def _answered(response: Response) -> bool:
    return response.answer not in (None, "", [], {})


def questions_for_page(
    responses, *, posted=None, errors=None, load_snapshots=None
) -> list[dict]:
    """The questions of one page as the student sees them while answering.

    Only ids, texts and the student's own saved (or just posted) answers: never a
    fraction, a feedback text or a right answer. ``errors`` (position -> message)
    marks the questions whose posted answer was refused: those show what was
    ``posted``, the others their saved answer. ``load_snapshots(ids)`` fetches the
    frozen questions when the caller loaded the responses without them.
    """
    errors = errors or {}
    deferred = [r.pk for r in responses if "snapshot" in r.get_deferred_fields()]
    snapshots = load_snapshots(deferred) if deferred and load_snapshots else {}
    shown = []
    for response in responses:
        snap = snapshots.get(response.pk) or response.snapshot
        kind = snap["type"]
        field = f"q{response.position}"
        answer = response.answer
        error = errors.get(response.position, "")
        if posted is not None and (error or not errors):
            answer = _posted_value(posted, field, kind, snap, answer)
        item = {
            "position": response.position,
            "number": response.position + 1,
            "field": field,
            # The state this page shows, posted back to detect a newer one.
            "sequence": response.sequence,
            "error": error,
            "type": kind,
            "title": snap.get("title", ""),
            "text_html": snap.get("text_html") or render_markdown(snap.get("text", "")),
            "max_mark": response.max_mark,
            # An integer for the plural rule of "N mark(s)" (1 → singular).
            "mark_plural": 1 if response.max_mark == 1 else 2,
            "answered": _answered(response),
            "flagged": response.flagged,
        }
        qtype = question_types.get(kind)
        item["template"] = qtype.page_template
        item.update(qtype.page_fields(snap, answer, partial(option_token, response.pk)))
        item["text_html"] = qtype.page_html(item["text_html"], item, field=field)
        shown.append(item)
    return shown


def _posted_value(posted, key, kind, snap, saved):
    """Keep what the student typed when a page is shown again with an error."""
    return question_types.get(kind).posted_value(posted, key, snap, saved)


@dataclass(frozen=True)
class NavItem:
    """A question in the attempt page's navigation panel."""

    number: int
    position: int
    page: int
    answered: bool
    flagged: bool
    current: bool  # on the page shown


def _kind(response: Response) -> str:
    """The question's type, from the ``kind`` annotation when the page loaded
    the responses without their frozen question."""
    return getattr(response, "kind", None) or response.snapshot["type"]


def navigation(pages, current_page: int) -> list[NavItem]:
    """Every question that takes an answer, with its state and page, in order."""
    return [
        NavItem(
            number=response.position + 1,
            position=response.position,
            page=page_number,
            answered=_answered(response),
            flagged=response.flagged,
            current=page_number == current_page,
        )
        for page_number, responses in enumerate(pages, start=1)
        for response in responses
        if question_types.get(_kind(response)).takes_answer
    ]


def page_of(pages, position: int) -> int | None:
    """The page (from 1) that shows the question at ``position``."""
    for page_number, responses in enumerate(pages, start=1):
        if any(response.position == position for response in responses):
            return page_number
    return None


@dataclass(frozen=True)
class SummaryRow:
    number: int
    title: str
    answered: bool
    page: int
    flagged: bool = False
    incomplete: bool = False  # saved, but not as asked (an essay's word limits)


def summary_rows(pages) -> list[SummaryRow]:
    """Every question with whether it is answered: unanswered ones first."""
    rows = [
        SummaryRow(
            number=response.position + 1,
            title=response.snapshot.get("title") or "",
            answered=_answered(response),
            page=page_number,
            flagged=response.flagged,
            incomplete=_answered(response)
            and question_types.get(response.snapshot["type"]).incomplete(
                response.snapshot, response.answer
            ),
        )
        for page_number, responses in enumerate(pages, start=1)
        for response in responses
        if takes_answer(response.snapshot)
    ]
    return sorted(rows, key=lambda row: (row.answered, row.number))


def describe_answer(snapshot: dict, answer, *, numbered: bool = False) -> list[str]:
    """A response in words, one line per part (options chosen, pairs, items).
    ``numbered``: choice options with the label the attempt page gave them."""
    if answer in (None, "", [], {}):
        return []
    return question_types.get(snapshot["type"]).describe_answer(
        _numbering(snapshot, numbered), answer
    )


def describe_right_answer(snapshot: dict, *, numbered: bool = False) -> list[str]:
    return question_types.get(snapshot["type"]).describe_right_answer(
        _numbering(snapshot, numbered)
    )


def _numbering(snapshot: dict, numbered: bool) -> dict:
    """The snapshot whose choice options are labelled as on the attempt page
    (``numbered``) or not at all (teacher pages, exports)."""
    return snapshot if numbered else {**snapshot, "answer_numbering": "none"}


def correctness(fraction: float | None) -> str:
    if fraction is None:
        return "pending"
    if fraction >= 1 - 1e-9:
        return "correct"
    if fraction > 0:
        return "partial"
    return "incorrect"


@dataclass(frozen=True)
class FeedbackItem:
    """A feedback text of the review with what it is about and its tone."""

    text: str
    tone: str  # "correct", "partial", "incorrect" or "neutral": its box's colour
    about: str = ""  # the option it belongs to (choice questions)


_TONES = {"correct", "partial", "incorrect"}


def feedback_items(
    snapshot: dict, response: Response, result: str
) -> list[FeedbackItem]:
    """The feedback a student gets on their answer, each text with its tone.

    A choice question's feedback belongs to each option chosen: it is labelled
    with the option and takes that option's worth (a right option's "Correct."
    stays green even when a wrong option beside it made the question incorrect).
    Any other feedback speaks of the answer as a whole: it takes the question's
    ``result`` (``correctness``)."""
    answer = response.answer
    options = snapshot.get("options")
    chosen = answer if isinstance(answer, list) else [answer]
    if options and all(isinstance(option_id, str) for option_id in chosen):
        right = question_types.get(snapshot["type"]).correct_response(snapshot)
        right = set(right if isinstance(right, list) else [right])
        items = []
        for option in options:
            text = option.get("feedback") or ""
            if option["id"] not in chosen or not text.strip():
                continue
            worth = float(option.get("fraction") or 0)
            tone = (
                "correct"
                if option["id"] in right or worth >= 1
                else "partial"
                if worth > 0
                else "incorrect"
            )
            items.append(FeedbackItem(text=text, tone=tone, about=option["text"]))
        return items
    tone = result if result in _TONES else "neutral"
    return [FeedbackItem(text=text, tone=tone) for text in response.feedback or []]


@dataclass
class ReviewQuestion:
    number: int
    text_html: str
    anchor: str
    response_lines: list[str] | None = None
    correctness: str | None = None
    score: float | None = None
    max_mark: float | None = None
    specific_feedback: list[FeedbackItem] = field(default_factory=list)
    combined_feedback_html: str = ""
    general_feedback_html: str = ""
    right_answer_lines: list[str] | None = None
    lesson_url: str = ""
    grader_comment: str = ""
    # A question reviewed part by part (cloze gaps): ``describe_parts`` of its
    # type, which then holds the answers, correctness, feedback and right answers.
    parts: list[dict] | None = None


@dataclass
class AttemptReview:
    moment: str
    items: frozenset
    questions: list[ReviewQuestion]
    score: float | None
    max_score: float
    percent: int | None
    passed: bool | None
    overall_feedback: str
    pending: bool


def attempt_review(
    attempt: Attempt, *, now: datetime, responses=None, lesson_urls=None
) -> AttemptReview:
    quiz = attempt.quiz
    moment = review.review_moment(
        in_progress=attempt.state == AttemptState.IN_PROGRESS,
        submitted_at=attempt.submitted_at,
        close_at=quiz.close_at,
        now=now,
    )
    items = review.visible_items(quiz.review_options, moment)
    lesson_urls = lesson_urls or {}
    questions = []
    if responses is None:
        responses = attempt.responses.all()
    for response in responses:
        snap = response.snapshot
        if not takes_answer(snap):
            continue
        entry = ReviewQuestion(
            number=response.position + 1,
            text_html=snap.get("text_html") or render_markdown(snap.get("text", "")),
            anchor=f"q{response.position}",
            lesson_url=lesson_urls.get(snap.get("lesson_id"), ""),
        )
        if "responses" in items:
            entry.response_lines = describe_answer(snap, response.answer, numbered=True)
        if "correctness" in items:
            entry.correctness = correctness(
                None if response.needs_manual else response.fraction
            )
        if "marks" in items:
            entry.score = response.score
            entry.max_mark = response.max_mark
        if "specific_feedback" in items:
            entry.specific_feedback = feedback_items(
                snap,
                response,
                correctness(None if response.needs_manual else response.fraction),
            )
            entry.grader_comment = response.grader_comment
            # Moodle's combined feedback belongs with the specific feedback.
            combined = moodle_options.combined_feedback(
                snap, None if response.needs_manual else response.fraction
            )
            entry.combined_feedback_html = markdown_html(combined) if combined else ""
        if "general_feedback" in items:
            entry.general_feedback_html = snap.get("general_feedback_html") or (
                render_markdown(snap.get("general_feedback", ""))
            )
        if "right_answers" in items:
            entry.right_answer_lines = describe_right_answer(snap, numbered=True)
        qtype = question_types.get(snap["type"])
        parts = qtype.describe_parts(snap, response.answer, response.detail, items)
        if parts is not None:
            entry.parts = parts
            entry.response_lines = None
            entry.specific_feedback = []
            entry.right_answer_lines = None
        entry.text_html = qtype.review_html(
            snap,
            entry.text_html,
            response.answer if "responses" in items else None,
            parts,
            field=entry.anchor,
        )
        questions.append(entry)
    show_marks = "marks" in items
    return AttemptReview(
        moment=moment,
        items=items,
        questions=questions,
        score=attempt.score if show_marks else None,
        max_score=attempt.max_score,
        percent=(
            round(attempt.fraction * 100)
            if show_marks and attempt.fraction is not None
            else None
        ),
        passed=attempt.passed if show_marks else None,
        overall_feedback=(
            rules.overall_feedback(quiz.overall_feedback, attempt.fraction)
            if "overall_feedback" in items
            else ""
        ),
        pending=attempt.state == AttemptState.NEEDS_GRADING,
    )


@dataclass(frozen=True)
class AttemptRow:
    attempt: Attempt
    percent: int | None  # None when the review policy hides marks now


def attempt_rows(attempts, *, quiz, now) -> list[AttemptRow]:
    rows = []
    for attempt in attempts:
        moment = review.review_moment(
            in_progress=attempt.state == AttemptState.IN_PROGRESS,
            submitted_at=attempt.submitted_at,
            close_at=quiz.close_at,
            now=now,
        )
        shows_marks = "marks" in review.visible_items(quiz.review_options, moment)
        rows.append(
            AttemptRow(
                attempt=attempt,
                percent=(
                    round(attempt.fraction * 100)
                    if shows_marks and attempt.fraction is not None
                    else None
                ),
            )
        )
    return rows


def minutes(duration) -> int | None:
    """A time limit in whole minutes (None for none)."""
    return round(duration.total_seconds() / 60) if duration else None


@dataclass(frozen=True)
class QuizOverview:
    """What the quiz's front page shows a student about their attempts."""

    rows: list[AttemptRow]
    in_progress: Attempt | None
    refusal: str | None  # why a new attempt may not start now (rules codes)
    grade_percent: int | None  # None while the review policy hides marks
    attempts_left: int | None  # None when unlimited
    time_limit_minutes: int | None


def quiz_overview(*, quiz, attempts, settings, now) -> QuizOverview:
    counted = [a for a in attempts if not a.is_preview]
    finished = [a.submitted_at for a in counted if a.submitted_at]
    refusal = rules.start_refusal(
        settings=settings,
        attempts_used=len(counted),
        last_finished_at=max(finished) if finished else None,
        attempt_delay=quiz.attempt_delay,
        now=now,
    )
    rows = attempt_rows(attempts, quiz=quiz, now=now)
    graded = [
        row
        for row in rows
        if not row.attempt.is_preview and row.attempt.state == AttemptState.GRADED
    ]
    grade = rules.quiz_grade(
        [row.attempt.fraction for row in graded], quiz.grading_method
    )
    # The grade sums up the attempts: shown only when each one's marks are.
    if any(row.percent is None for row in graded):
        grade = None
    return QuizOverview(
        rows=rows,
        in_progress=next(
            (a for a in attempts if a.state == AttemptState.IN_PROGRESS), None
        ),
        refusal=refusal,
        grade_percent=None if grade is None else round(grade * 100),
        attempts_left=(
            max(0, settings.attempts_allowed - len(counted))
            if settings.attempts_allowed
            else None
        ),
        time_limit_minutes=minutes(settings.time_limit),
    )


# --- The quiz's front page: its rules in words ----------------------------------

REVIEW_ITEM_LABELS = {
    "responses": gettext_lazy("your answers"),
    "correctness": gettext_lazy("whether each answer is right"),
    "marks": gettext_lazy("your marks"),
    "specific_feedback": gettext_lazy("feedback on your answers"),
    "general_feedback": gettext_lazy("general feedback on each question"),
    "right_answers": gettext_lazy("the right answers"),
    "overall_feedback": gettext_lazy("feedback on your overall grade"),
}


@dataclass(frozen=True)
class ReviewPolicyLine:
    when: str
    items: list[str]  # empty: nothing is shown then


def review_policy(options, *, close_at) -> list[ReviewPolicyLine]:
    """What a student sees of a finished attempt, and when, in words: one line
    per moment that differs from the one before (``quizzes.review``)."""
    moments = [
        ("immediately", gettext_lazy("Right after you submit")),
        ("open", gettext_lazy("Later, while the quiz is open")),
    ]
    if close_at is not None:
        moments.append(("closed", gettext_lazy("After the quiz closes")))
    lines: list[ReviewPolicyLine] = []
    previous = None
    for moment, when in moments:
        shown = review.visible_items(options, moment)
        if shown == previous:
            continue
        previous = shown
        lines.append(
            ReviewPolicyLine(
                when=str(when),
                items=[str(REVIEW_ITEM_LABELS[i]) for i in review.ITEMS if i in shown],
            )
        )
    if len(lines) == 1:
        # The same at every moment.
        lines[0] = ReviewPolicyLine(
            when=str(gettext_lazy("After each attempt")), items=lines[0].items
        )
    return lines


def quiz_introduction_html(quiz) -> str:
    """The quiz's description, rendered and sanitised as lesson text is."""
    return render_markdown(quiz.description) if quiz.description.strip() else ""


def question_preview(snap: dict, *, max_mark: float) -> dict:
    """A question as the attempt page shows it before any answer: for the
    instructors' preview (``quizzes/_question.html``). Like
    ``questions_for_page``, only ids and texts: never a grade, a feedback or a
    right answer."""
    kind = snap["type"]
    item = {
        "position": 0,
        "number": 1,
        "field": "q0",
        "sequence": 0,
        "error": "",
        "type": kind,
        "title": snap.get("title", ""),
        "text_html": snap.get("text_html") or render_markdown(snap.get("text", "")),
        "max_mark": max_mark,
        "mark_plural": 1 if max_mark == 1 else 2,
        "answered": False,
    }
    qtype = question_types.get(kind)
    item["template"] = qtype.page_template
    item.update(qtype.page_fields(snap, None, partial(option_token, 0)))
    return item
