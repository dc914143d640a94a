"""CSV exports of a course, streamed: the wide gradebook and the long responses.

Both are ``StreamingHttpResponse``s fed by a generator: rows are read from the
database through a cursor (``.iterator(chunk_size=...)``), written one at a time
through ``csv.writer`` into a pseudo-buffer that hands each line straight back,
and sent as they come, so an export of 100,000 rows holds one chunk in memory,
never the whole file.

The long file orders students by their account id (the order they signed up
in): it is merged from two cursors on integer keys, which every database sorts
alike. The files start with a UTF-8 byte order mark so spreadsheet programs read
accented names correctly; cells a student or an instructor wrote (names, answers,
quiz titles, question keys) are protected against formula injection
(``presenting.csv_safe``).
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.models import Course
from quizzes.models import Attempt, AttemptState, Response
from quizzes.presenting import describe_answer
from teach import selectors
from teach.presenting import csv_safe, json_value, number_text

CHUNK_SIZE = 2000
BOM = "\ufeff"


class _Echo:
    """A file-like object whose ``write`` returns what it was given."""

    def write(self, value: str) -> str:
        return value


# Rows are sent in batches: one chunk per row would cost a conversion to bytes
# and a write per row; a batch keeps memory bounded just the same.
ROWS_PER_CHUNK = 200


def _stream(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def chunks() -> Iterator[str]:
        batch = [BOM]
        for row in rows:
            batch.append(writer.writerow(row))
            if len(batch) >= ROWS_PER_CHUNK:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _passed_text(passed: bool | None) -> str:
    if passed is None:
        return ""
    return _("pass") if passed else _("fail")


def gradebook_header(book: selectors.Gradebook) -> list[str]:
    return [
        _("Username"),
        _("Name"),
        _("E-mail"),
        *[
            csv_safe(_("%(quiz)s (%%)") % {"quiz": column.title})
            for column in book.columns
        ],
        _("Lessons completed (%)"),
        _("Course total (%)"),
        _("Result"),
    ]


def gradebook_csv_rows(
    *, book: selectors.Gradebook, students, chunk_size: int = 500
) -> Iterator[list]:
    """The header, then one row per student: the numbers the gradebook shows."""
    yield gradebook_header(book)
    for row in selectors.gradebook_rows_streamed(
        book=book, students=students, chunk_size=chunk_size
    ):
        yield [
            csv_safe(row.username),
            csv_safe(row.name),
            csv_safe(row.email),
            *[cell.percent for cell in row.cells],
            row.completion_percent,
            row.total_percent,
            _passed_text(row.passed),
        ]


def gradebook_csv(*, book: selectors.Gradebook, students) -> StreamingHttpResponse:
    return _stream(
        gradebook_csv_rows(book=book, students=students),
        f"{book.course.slug}-gradebook.csv",
    )


def _submitted(prefix: str = "") -> dict:
    """Filters for the submitted, non-preview attempts of a course."""
    return {
        f"{prefix}is_preview": False,
        f"{prefix}state__in": [AttemptState.NEEDS_GRADING, AttemptState.GRADED],
    }


def attempts_rows(*, course: Course) -> Iterator[tuple]:
    """The course's submitted, non-preview attempts, by student, quiz and number."""
    return (
        Attempt.objects.filter(quiz__course=course, **_submitted())
        .order_by("user_id", "quiz_id", "number")
        .values_list(
            "user_id",
            "quiz_id",
            "number",
            "user__username",
            "user__first_name",
            "user__last_name",
            "quiz__title",
            "state",
            "started_at",
            "submitted_at",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def responses_rows(*, course: Course) -> Iterator[tuple]:
    """The responses of those attempts in the same order, then by position.

    Only the parts of the snapshot that name what was chosen are read (not its
    HTML), as JSON text: ``presenting.json_value`` decodes each distinct option
    list once instead of once a row.
    """
    return (
        Response.objects.filter(attempt__quiz__course=course, **_submitted("attempt__"))
        .annotate(
            kind=KT("snapshot__type"),
            title=KT("snapshot__title"),
            options_json=KT("snapshot__options"),
            pairs_json=KT("snapshot__pairs"),
            items_json=KT("snapshot__items"),
            answer_json=Cast("answer", output_field=TextField()),
        )
        .order_by("attempt__user_id", "attempt__quiz_id", "attempt__number", "position")
        .values_list(
            "attempt__user_id",
            "attempt__quiz_id",
            "attempt__number",
            "position",
            "question_id",
            "question__key",
            "question_version",
            "kind",
            "title",
            "options_json",
            "pairs_json",
            "items_json",
            "answer_json",
            "score",
            "max_mark",
            "answered_at",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def responses_count(*, course: Course) -> int:
    """How many rows (less the header) the responses file has."""
    return Response.objects.filter(
        attempt__quiz__course=course, **_submitted("attempt__")
    ).count()


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


RESPONSES_HEADER = (
    gettext_lazy("Username"),
    gettext_lazy("Name"),
    gettext_lazy("Quiz"),
    gettext_lazy("Attempt"),
    gettext_lazy("Attempt state"),
    gettext_lazy("Started"),
    gettext_lazy("Submitted"),
    gettext_lazy("Question number"),
    gettext_lazy("Question id"),
    gettext_lazy("Question key"),
    gettext_lazy("Question version"),
    gettext_lazy("Question type"),
    gettext_lazy("Question title"),
    gettext_lazy("Answer"),
    gettext_lazy("Score"),
    gettext_lazy("Maximum"),
    gettext_lazy("Answered"),
)


def responses_csv_rows(*, course: Course) -> Iterator[list]:
    """One row per student × attempt × question.

    Two cursors read side by side, attempts and their responses, both ordered by
    (student id, quiz id, attempt number), and are merged here: each attempt's
    student, quiz and times are read and written once, not once per answer. An
    attempt submitted between the two reads is skipped, never mismatched.
    """
    yield [str(name) for name in RESPONSES_HEADER]
    attempts = attempts_rows(course=course)
    key, prefix = None, None
    for row in responses_rows(course=course):
        row_key = row[:3]
        while key is None or key < row_key:
            attempt = next(attempts, None)
            if attempt is None:
                return
            key = attempt[:3]
            (_u, _q, number, username, first, last, quiz, state, started, ended) = (
                attempt
            )
            prefix = [
                csv_safe(username),
                csv_safe(f"{first} {last}".strip()),
                csv_safe(quiz),
                number,
                state,
                _iso(started),
                _iso(ended),
            ]
        if key != row_key:
            continue
        (
            *_key,
            position,
            question_id,
            question_key,
            version,
            kind,
            title,
            options,
            pairs,
            items,
            answer,
            score,
            max_mark,
            answered_at,
        ) = row
        snapshot = {
            "type": kind,
            "options": json_value(options) or [],
            "pairs": json_value(pairs) or [],
            "items": json_value(items) or [],
        }
        yield [
            *prefix,
            position + 1,
            question_id or "",
            csv_safe(question_key or ""),
            version,
            kind or "",
            csv_safe(title or ""),
            csv_safe(
                "; ".join(describe_answer(snapshot, json_value(answer))) if kind else ""
            ),
            number_text(score),
            number_text(max_mark),
            _iso(answered_at),
        ]


def responses_csv(*, course: Course) -> StreamingHttpResponse:
    return _stream(responses_csv_rows(course=course), f"{course.slug}-responses.csv")
