"""Reads for the staff area, every one scoped to the courses the user teaches.

Access: only teachers (``lessons.access.is_teacher``) reach ``/teach/``, and see
the courses they teach. Every object lookup goes through
``lessons.access.courses_taught_by``, so a course, quiz, attempt, response,
question or student outside those courses is a 404, exactly as if it did not exist.

Gradebook numbers come from the database: each cell is the student's grade on a
quiz by the quiz's grading method over graded, non-preview attempts (built from
``quizzes.rules.GRADE_RULES``, as ``rules.quiz_grade`` is), computed by one
correlated subquery per quiz;
the course total and lesson completion are further annotations on the same query,
so sorting and filtering by them happen in SQL and a page costs the same number
of queries whatever the number of students.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import ngettext

from lessons.access import courses_taught_by
from lessons.models import Course, Enrollment, Lesson, LessonProgress
from quizzes import rules
from quizzes.models import (
    Attempt,
    AttemptState,
    GradeChange,
    GradingMethod,
    Question,
    QuestionType,
    Quiz,
    Response,
)
from teach.presenting import display_name, json_value, percent_text

User = get_user_model()

# A fraction this close below a pass mark still passes (float noise), as in
# quizzes.services._total.
_PASS_SLACK = 1e-9


# --- Access -----------------------------------------------------------------------


def course_get_for_teacher(*, slug: str, user) -> Course:
    course = courses_taught_by(user).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course")
    return course


def quiz_get_for_teacher(*, course: Course, slug: str) -> Quiz:
    quiz = (
        Quiz.objects.filter(course=course, slug=slug)
        .select_related("course", "lesson")
        .first()
    )
    if quiz is None:
        raise Http404("No such quiz")
    return quiz


def question_get_for_teacher(*, course: Course, question_id) -> Question:
    question = Question.objects.filter(course=course, pk=question_id).first()
    if question is None:
        raise Http404("No such question")
    return question


def attempt_get_for_teacher(*, attempt_id: int, user) -> Attempt:
    attempt = (
        Attempt.objects.filter(pk=attempt_id, quiz__course__in=courses_taught_by(user))
        .select_related("quiz", "quiz__course", "quiz__lesson", "user")
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


def response_get_for_teacher(*, response_id: int, user) -> Response:
    response = (
        Response.objects.filter(
            pk=response_id, attempt__quiz__course__in=courses_taught_by(user)
        )
        .select_related(
            "attempt", "attempt__quiz", "attempt__quiz__course", "attempt__user"
        )
        .first()
    )
    if response is None:
        raise Http404("No such response")
    return response


def student_get_for_teacher(*, course: Course, user_id: int):
    """A student of the course: enrolled in it, or with an attempt at its quizzes."""
    student = (
        User.objects.filter(pk=user_id)
        .filter(
            Q(enrollments__course=course)
            | Q(pk__in=Attempt.objects.filter(quiz__course=course).values("user_id"))
        )
        .distinct()
        .first()
    )
    if student is None:
        raise Http404("No such student")
    return student


# --- Dashboard --------------------------------------------------------------------


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (already filtered by an OuterRef)."""
    counted = (
        queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def waiting_for_a_human() -> Q:
    """Responses an instructor must look at: essays, and answers sent for review."""
    return Q(needs_manual=True) | Q(review_requested=True)


# A student who has done nothing in a course for this long, with lessons still
# to complete, is falling behind (Moodle's "inactive" report uses a similar
# window).
FALLING_BEHIND_AFTER = timedelta(days=14)
# Attempts submitted this recently with a question the student flagged are
# listed for the graders (a flag is the student saying "I was unsure of this
# one", or that the question looked wrong); older ones drop off the list.
FLAGS_SHOWN_FOR = timedelta(days=14)


@dataclass(frozen=True)
class DashboardCourse:
    course: Course
    students: int
    attempts_to_grade: int
    responses_waiting: int
    questions_flagged: int = 0
    falling_behind: int = 0
    attempts_flagged: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.responses_waiting
            or self.questions_flagged
            or self.falling_behind
            or self.attempts_flagged
        )


def attempts_with_flags(*, since) -> QuerySet:
    """Submitted, non-preview attempts since ``since`` with at least one
    question the student flagged for later."""
    return (
        Attempt.objects.filter(is_preview=False, submitted_at__gte=since)
        .exclude(state=AttemptState.IN_PROGRESS)
        .filter(Exists(Response.objects.filter(attempt=OuterRef("pk"), flagged=True)))
    )


def flagged_attempts(*, course: Course, now=None) -> QuerySet:
    """The course's recent attempts with flagged questions, newest first, each
    with ``flagged_responses`` (the flagged ones, in question order)."""
    since = (now or timezone.now()) - FLAGS_SHOWN_FOR
    flagged = Response.objects.filter(flagged=True).order_by("position")
    return (
        attempts_with_flags(since=since)
        .filter(quiz__course=course)
        .select_related("quiz", "user")
        .prefetch_related(Prefetch("responses", flagged, to_attr="flagged_responses"))
        .order_by("-submitted_at", "-pk")
    )


def _falling_behind(cutoff) -> QuerySet:
    """Enrolments of the outer course idle since before ``cutoff`` (or never
    active and enrolled before it) with published lessons left to complete."""
    completed = _count(
        LessonProgress.objects.filter(
            user=OuterRef("user"),
            course=OuterRef("course"),
            status=LessonProgress.Status.COMPLETED,
        ),
        "course",
    )
    published = _count(
        Lesson.objects.filter(course=OuterRef("course"), is_published=True), "course"
    )
    return (
        Enrollment.objects.filter(course=OuterRef("pk"))
        .filter(
            Q(last_activity_at__lt=cutoff)
            | Q(last_activity_at__isnull=True, enrolled_at__lt=cutoff)
        )
        .annotate(done=completed, lessons=published)
        .filter(done__lt=F("lessons"))
    )


def teacher_dashboard(*, user, now=None) -> list[DashboardCourse]:
    """The user's courses with their counts and what needs attention (answers
    waiting, questions flagged for review, students falling behind, recent
    attempts with questions the student flagged), in one query."""
    now = now or timezone.now()
    cutoff = now - FALLING_BEHIND_AFTER
    courses = courses_taught_by(user).annotate(
        attempts_flagged=_count(
            attempts_with_flags(since=now - FLAGS_SHOWN_FOR).filter(
                quiz__course=OuterRef("pk")
            ),
            "quiz__course",
        ),
        questions_flagged=_count(
            Question.objects.filter(course=OuterRef("pk"), needs_review=True), "course"
        ),
        falling_behind=_count(_falling_behind(cutoff), "course"),
        student_count=_count(
            Enrollment.objects.filter(course=OuterRef("pk")), "course"
        ),
        attempts_to_grade=_count(
            Attempt.objects.filter(
                quiz__course=OuterRef("pk"),
                state=AttemptState.NEEDS_GRADING,
                is_preview=False,
            ),
            "quiz__course",
        ),
        responses_waiting=_count(
            Response.objects.filter(
                waiting_for_a_human(),
                attempt__quiz__course=OuterRef("pk"),
                attempt__is_preview=False,
            ).exclude(attempt__state=AttemptState.IN_PROGRESS),
            "attempt__quiz__course",
        ),
    )
    return [
        DashboardCourse(
            course=course,
            students=course.student_count,
            attempts_to_grade=course.attempts_to_grade,
            responses_waiting=course.responses_waiting,
            questions_flagged=course.questions_flagged,
            falling_behind=course.falling_behind,
            attempts_flagged=course.attempts_flagged,
        )
        for course in courses.order_by("title")
    ]


# --- Manual-grading queue ---------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to; ``None`` means any."""

    course: int | None = None
    quiz: int | None = None
    question: int | None = None
    student: int | None = None
    attempt: int | None = None

    def as_query(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def grading_queue(*, user, filters: QueueFilters = QueueFilters()) -> QuerySet:
    """Every response of a submitted attempt that waits for a human, oldest first.

    Oldest attempt first, then question order: grading one question across all
    students (filter by question) goes through them in the order they submitted.
    Staff previews stay out of the queue as they stay out of grades.
    """
    queue = (
        Response.objects.filter(
            waiting_for_a_human(),
            attempt__is_preview=False,
            attempt__quiz__course__in=courses_taught_by(user),
        )
        .exclude(attempt__state=AttemptState.IN_PROGRESS)
        .select_related(
            "attempt", "attempt__user", "attempt__quiz", "attempt__quiz__course"
        )
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )
    if filters.course is not None:
        queue = queue.filter(attempt__quiz__course_id=filters.course)
    if filters.quiz is not None:
        queue = queue.filter(attempt__quiz_id=filters.quiz)
    if filters.question is not None:
        queue = queue.filter(question_id=filters.question)
    if filters.student is not None:
        queue = queue.filter(attempt__user_id=filters.student)
    if filters.attempt is not None:
        queue = queue.filter(attempt_id=filters.attempt)
    return queue


def queue_next(*, queue: QuerySet, after: Response) -> Response | None:
    """The queue item that follows ``after`` in queue order, wrapping round.

    ``after`` may have left the queue (it was just graded); its place in the order
    still says where to go on, so skipping an item and grading the next one never
    brings the skipped one straight back.
    """
    submitted = after.attempt.submitted_at
    later = queue.filter(
        Q(attempt__submitted_at__gt=submitted)
        | Q(attempt__submitted_at=submitted, attempt_id__gt=after.attempt_id)
        | Q(attempt_id=after.attempt_id, position__gt=after.position)
    ).exclude(pk=after.pk)
    return later.first() or queue.exclude(pk=after.pk).first()


@dataclass(frozen=True)
class QueueChoices:
    """The values the queue filters offer: only those with something to grade."""

    courses: list[tuple[int, str]]
    quizzes: list[tuple[int, str]]
    questions: list[tuple[int, str]]
    students: list[tuple[int, str]]


def queue_choices(*, user) -> QueueChoices:
    """The filter values, from one pass over the queue (which, without an index on
    ``review_requested``, means reading the responses table) and three lookups
    by primary key."""
    waiting = set(
        grading_queue(user=user)
        .select_related(None)
        .order_by()
        .values_list("attempt__quiz_id", "question_id", "attempt__user_id")
        .distinct()
    )
    quiz_ids = {quiz for quiz, _q, _u in waiting}
    question_ids = {question for _z, question, _u in waiting if question}
    student_ids = {student for _z, _q, student in waiting}
    courses = courses_taught_by(user).order_by("title")
    quizzes = (
        Quiz.objects.filter(pk__in=quiz_ids)
        .select_related("course")
        .order_by("course__title", "title")
    )
    questions = Question.objects.filter(pk__in=question_ids).order_by(
        "course_id", "key"
    )
    students = User.objects.filter(pk__in=student_ids).order_by("username")
    return QueueChoices(
        courses=[(c.pk, c.title) for c in courses],
        quizzes=[(q.pk, f"{q.course.title} · {q.title}") for q in quizzes],
        questions=[(q.pk, f"{q.key}: {q}") for q in questions],
        students=[(s.pk, display_name(s)) for s in students],
    )


# --- Attempts ---------------------------------------------------------------------


def attempt_responses(*, attempt: Attempt) -> list[Response]:
    return list(
        attempt.responses.select_related("graded_by", "question").order_by("position")
    )


def attempt_audit_trail(*, attempt: Attempt) -> list[GradeChange]:
    """Every change of a grade in the attempt, newest first."""
    return list(
        GradeChange.objects.filter(attempt=attempt)
        .select_related("changed_by", "response")
        .order_by("-changed_at", "-id")
    )


# --- Gradebook --------------------------------------------------------------------


@dataclass(frozen=True)
class GradebookColumn:
    quiz_id: int
    slug: str
    title: str
    weight: float
    pass_mark: float
    grading_method: str

    @property
    def key(self) -> str:
        """The annotation (and sort key) holding this quiz's grade."""
        return f"q{self.quiz_id}"


@dataclass(frozen=True)
class GradebookCell:
    grade: float | None  # 0..1
    attempts: int
    pending: bool
    passed: bool | None

    @property
    def percent(self) -> str:
        return percent_text(self.grade)

    @property
    def attempts_text(self) -> str:
        # Built here, not with {% blocktranslate %}: a page has 1,250 cells.
        return ngettext("%(n)d attempt", "%(n)d attempts", self.attempts) % {
            "n": self.attempts
        }


@dataclass(frozen=True)
class GradebookRow:
    user_id: int
    username: str
    name: str
    email: str
    cells: list[GradebookCell]
    completion: float  # 0..1
    total: float | None  # 0..1
    passed: bool | None  # None: no graded quiz yet
    pending: bool

    @property
    def completion_percent(self) -> str:
        return percent_text(self.completion)

    @property
    def total_percent(self) -> str:
        return percent_text(self.total)


@dataclass(frozen=True)
class Gradebook:
    """What every gradebook read needs to know about the course, read once."""

    course: Course
    columns: list[GradebookColumn]
    lesson_total: int
    weight_total: float
    pass_mark: float | None  # the weighted mean of the quizzes' pass marks

    def sort_keys(self) -> list[str]:
        keys = ["name", "completion", "total"] + [c.key for c in self.columns]
        return keys + [f"-{key}" for key in keys]


def gradebook_for(*, course: Course) -> Gradebook:
    """The gradebook's columns (the course's published quizzes, in lesson order)."""
    book = gradebook_columns(course=course)
    lessons = Lesson.objects.published().filter(course=course).count()
    return replace(book, lesson_total=lessons)


def gradebook_columns(*, course: Course) -> Gradebook:
    """The gradebook's columns and weights only (one query): what the course
    total needs (``gradebook_totals``), without the lesson count."""
    quizzes = (
        Quiz.objects.published()
        .filter(course=course)
        .order_by(
            F("lesson__module__position").asc(nulls_last=True),
            F("lesson__position").asc(nulls_last=True),
            "id",
        )
        .values("pk", "slug", "title", "weight", "pass_mark", "grading_method")
    )
    columns = [
        GradebookColumn(
            quiz_id=q["pk"],
            slug=q["slug"],
            title=q["title"],
            weight=max(q["weight"], 0.0),
            pass_mark=q["pass_mark"],
            grading_method=q["grading_method"],
        )
        for q in quizzes
    ]
    weight_total = sum(c.weight for c in columns)
    return Gradebook(
        course=course,
        columns=columns,
        lesson_total=0,
        weight_total=weight_total,
        pass_mark=(
            sum(c.weight * c.pass_mark for c in columns) / weight_total
            if weight_total
            else None
        ),
    )


def _graded_attempts(*, quiz_id: int) -> QuerySet:
    return Attempt.objects.filter(
        user=OuterRef("pk"),
        quiz_id=quiz_id,
        state=AttemptState.GRADED,
        is_preview=False,
    ).order_by()


def _attempt_ordering(rule: rules.GradeRule) -> list:
    """``rule.order`` as an ORDER BY (a NULL fraction never comes first)."""
    return [
        F(field[1:]).desc(nulls_last=True)
        if field.startswith("-")
        else F(field).asc(nulls_last=True)
        for field in rule.order
    ]


def grade_across_attempts(graded: QuerySet, *, method: str) -> Subquery:
    """The grade over ``graded`` (one student's graded attempts at one quiz, as a
    correlated queryset), in SQL, from the same ``rules.GRADE_RULES`` entry that
    ``rules.quiz_grade`` reads."""
    rule = rules.grade_rule(method)
    graded = graded.order_by()
    if rule.mean:
        grade = graded.values("user").annotate(v=Avg("fraction")).values("v")
    else:
        grade = graded.order_by(*_attempt_ordering(rule)).values("fraction")
    return Subquery(grade[:1], output_field=FloatField())


def _grade_subquery(column: GradebookColumn) -> Subquery:
    """The student's grade on one quiz, as ``rules.quiz_grade`` defines it."""
    return grade_across_attempts(
        _graded_attempts(quiz_id=column.quiz_id), method=column.grading_method
    )


def _annotate(students: QuerySet, book: Gradebook, needed: set[str] | None):
    """Annotate students with their gradebook figures: all of them (``needed`` is
    None), or only those named (so a page sorted by name does not compute every
    grade of every student before it can pick 50).

    ``q<quiz id>`` the grade per quiz (0..1 or NULL); ``total`` the course total
    (the weighted mean of the quiz grades, a quiz without a grade counting 0);
    ``completed`` lessons completed; ``has_graded``, ``has_pending``,
    ``has_attempt`` whether the student has such attempts in the course.
    """

    def wanted(name: str) -> bool:
        return needed is None or name in needed

    course = book.course
    in_course = Attempt.objects.filter(
        user=OuterRef("pk"), quiz__course=course, is_preview=False
    )
    annotations = {
        column.key: _grade_subquery(column)
        for column in book.columns
        if wanted(column.key) or wanted("total")
    }
    if wanted("completed"):
        annotations["completed"] = _count(
            LessonProgress.objects.filter(
                user=OuterRef("pk"),
                course=course,
                status=LessonProgress.Status.COMPLETED,
                lesson__is_published=True,
            ),
            "user",
        )
    if wanted("has_graded"):
        annotations["has_graded"] = Exists(
            in_course.filter(state=AttemptState.GRADED, quiz__is_published=True)
        )
    if wanted("has_pending"):
        annotations["has_pending"] = Exists(
            in_course.filter(state=AttemptState.NEEDS_GRADING)
        )
    if wanted("has_attempt"):
        annotations["has_attempt"] = Exists(in_course)
    students = students.annotate(**annotations)
    if wanted("total"):
        students = students.annotate(total=_total_expression(book))
    return students


def _total_expression(book: Gradebook):
    if not book.weight_total:
        return Value(None, output_field=FloatField())
    weighted = sum(
        (
            Value(column.weight) * Coalesce(F(column.key), Value(0.0))
            for column in book.columns
            if column.weight
        ),
        Value(0.0),
    )
    return ExpressionWrapper(
        weighted / Value(book.weight_total), output_field=FloatField()
    )


def gradebook_students(
    *,
    book: Gradebook,
    search: str = "",
    status: str = "",
    sort: str = "name",
    full: bool = False,
) -> QuerySet:
    """The course's students (its enrolments), filtered, searched and sorted in SQL.

    With ``full`` every figure is annotated (for exports, which read them all);
    otherwise only what the filter and the sort need: ``gradebook_rows`` reads
    the rest for one page of students.
    """
    key = sort.lstrip("-") or "name"
    # The sort by total reads the stored total (gradebook_totals): no grade is
    # computed for the students of the other pages.
    needed = {"completed" if key == "completion" else key} - {"total"}
    if status == "needs_grading":
        needed.add("has_pending")
    elif status == "not_started":
        needed.add("has_attempt")
    elif status in ("passed", "failed"):
        needed |= {"has_graded", "total"}
    students = _annotate(
        User.objects.filter(enrollments__course=book.course),
        book,
        None if full else needed,
    )
    if search:
        students = students.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if status == "needs_grading":
        students = students.filter(has_pending=True)
    elif status == "not_started":
        students = students.filter(has_attempt=False)
    elif status in ("passed", "failed"):
        if book.pass_mark is None:
            return students.none()
        threshold = book.pass_mark - _PASS_SLACK
        students = students.filter(has_graded=True)
        students = (
            students.filter(total__gte=threshold)
            if status == "passed"
            else students.filter(total__lt=threshold)
        )
    return students.order_by(*_ordering(sort, book))


def _ordering(sort: str, book: Gradebook) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "name" or not key:
        names = ["last_name", "first_name", "username"]
        return [f"-{name}" for name in names] if descending else names
    if key == "total":
        # Stored per enrolment (the join the course filter made); a student not
        # graded yet counts 0, as the computed total does.
        field = (
            Coalesce("enrollments__grade_total", Value(0.0))
            if book.weight_total
            else Value(None, output_field=FloatField())
        )
    else:
        field = F("completed" if key == "completion" else key)
    expression = (
        field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    )
    return [expression, "username"]


def _row(book: Gradebook, student, counts: dict) -> GradebookRow:
    cells = []
    for column in book.columns:
        grade = getattr(student, column.key)
        attempts, pending = counts.get((student.pk, column.quiz_id), (0, 0))
        cells.append(
            GradebookCell(
                grade=grade,
                attempts=attempts,
                pending=bool(pending),
                passed=(
                    None if grade is None else grade >= column.pass_mark - _PASS_SLACK
                ),
            )
        )
    passed = None
    if student.has_graded and book.pass_mark is not None and student.total is not None:
        passed = student.total >= book.pass_mark - _PASS_SLACK
    return GradebookRow(
        user_id=student.pk,
        username=student.username,
        name=student.get_full_name(),
        email=student.email,
        cells=cells,
        completion=(student.completed / book.lesson_total) if book.lesson_total else 0,
        total=student.total,
        passed=passed,
        pending=student.has_pending,
    )


def _attempt_counts(book: Gradebook, user_ids: list[int]) -> dict:
    """(user id, quiz id) -> (attempts, attempts waiting for grading), one query."""
    if not user_ids or not book.columns:
        return {}
    grouped = (
        Attempt.objects.filter(
            user_id__in=user_ids,
            quiz_id__in=[c.quiz_id for c in book.columns],
            is_preview=False,
        )
        .order_by()
        .values("user_id", "quiz_id")
        .annotate(
            n=Count("pk"),
            pending=Count("pk", filter=Q(state=AttemptState.NEEDS_GRADING)),
        )
    )
    return {(r["user_id"], r["quiz_id"]): (r["n"], r["pending"]) for r in grouped}


def gradebook_rows(*, book: Gradebook, students: Iterable) -> list[GradebookRow]:
    """The rows of a page of students, in the page's order: every figure read for
    those students only (two queries, whatever the page size)."""
    ids = [student.pk for student in students]
    if not ids:
        return []
    full = _annotate(User.objects.filter(pk__in=ids), book, None)
    by_id = {student.pk: student for student in full}
    counts = _attempt_counts(book, ids)
    return [_row(book, by_id[pk], counts) for pk in ids]


def gradebook_rows_streamed(
    *, book: Gradebook, students: QuerySet, chunk_size: int = 500
) -> Iterator[GradebookRow]:
    """Every row of a ``full`` gradebook queryset, read in chunks (for exports).

    Memory stays bounded by the chunk size: rows come through a cursor and the
    attempt counts are fetched per chunk.
    """
    chunk = []
    for student in students.iterator(chunk_size=chunk_size):
        chunk.append(student)
        if len(chunk) == chunk_size:
            counts = _attempt_counts(book, [s.pk for s in chunk])
            yield from (_row(book, s, counts) for s in chunk)
            chunk = []
    if chunk:
        counts = _attempt_counts(book, [s.pk for s in chunk])
        yield from (_row(book, s, counts) for s in chunk)


# --- One student ------------------------------------------------------------------


@dataclass(frozen=True)
class StudentOverview:
    student: object
    row: GradebookRow | None
    lessons_completed: list[LessonProgress]
    lesson_total: int
    attempts: list[Attempt]  # annotated with ``duration``
    time_on_task: timedelta


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("submitted_at") - F("started_at"), output_field=DurationField()
    )


def student_overview(*, book: Gradebook, student) -> StudentOverview:
    """One student's progress, attempts and time on task in one course.

    Time on task is the sum, over the student's submitted (non-preview) attempts at
    the course's quizzes, of submitted minus started time: the time spent inside
    quizzes. Reading lessons is not timed, so it is not included.
    """
    course = book.course
    enrolled = gradebook_students(book=book).filter(pk=student.pk)
    rows = gradebook_rows(book=book, students=enrolled)
    attempts = (
        Attempt.objects.filter(user=student, quiz__course=course, is_preview=False)
        .select_related("quiz")
        .annotate(duration=_duration())
        .order_by("quiz__id", "number")
    )
    time_on_task = attempts.filter(submitted_at__isnull=False).aggregate(
        total=Sum(_duration())
    )["total"]
    completed = list(
        LessonProgress.objects.filter(
            user=student,
            course=course,
            status=LessonProgress.Status.COMPLETED,
            lesson__is_published=True,
        )
        .select_related("lesson")
        .order_by("completed_at")
    )
    return StudentOverview(
        student=student,
        row=rows[0] if rows else None,
        lessons_completed=completed,
        lesson_total=book.lesson_total,
        attempts=list(attempts),
        time_on_task=time_on_task or timedelta(0),
    )


# --- Item statistics inputs -------------------------------------------------------

ATTEMPTS_ANALYSED = ("first", "highest", "last", "all")


def default_attempts_analysed(grading_method: str) -> str:
    """The attempts that make the grade: the natural default for statistics."""
    return {
        GradingMethod.FIRST: "first",
        GradingMethod.LAST: "last",
        GradingMethod.HIGHEST: "highest",
    }.get(grading_method, "all")


def analysed_attempts(*, quiz: Quiz, which: str) -> QuerySet:
    """The graded, non-preview attempts at a quiz that statistics analyse.

    ``first``/``last``: each student's first/last graded attempt; ``highest``: the
    best graded one (the earliest of equals); ``all``: every graded attempt.
    Selected in SQL, so the responses query can use it as a subquery.
    """
    graded = Attempt.objects.filter(
        quiz=quiz, state=AttemptState.GRADED, is_preview=False
    )
    if which == "all":
        return graded
    if which not in ATTEMPTS_ANALYSED:
        raise ValueError(f"unknown attempt selection {which!r}")
    # The attempt the grading method of the same name picks (rules.GRADE_RULES).
    same_student = graded.filter(user=OuterRef("user")).order_by()
    chosen = same_student.order_by(*_attempt_ordering(rules.grade_rule(which)))
    return graded.filter(pk=Subquery(chosen.values("pk")[:1]))


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


@dataclass(frozen=True)
class AnalysedQuestion:
    question_id: int
    key: str
    title: str
    type: str
    version: int
    options: list[dict]  # choice questions: the latest snapshot's options


@dataclass
class AnalysedResponses:
    """Every response of the analysed attempts, as ``teach.analysis.analyse_quiz``
    takes them."""

    # (attempt id, question id, position, score, max mark), descriptions left out
    marks: list[tuple]
    # (question id, answer, how many chose it) of the choice questions
    choices: list[tuple]
    # (attempt id, question id, {part id: fraction}) of the responses graded in
    # parts (cloze gaps: ``detail["parts"]``, quizzes/types/base.py)
    parts: list[tuple]
    questions: dict[int, AnalysedQuestion]


def analysed_responses(
    *, attempts: QuerySet, chunk_size: int = 10000
) -> AnalysedResponses:
    """The responses of ``attempts`` (deleted questions left out), read for the
    statistics in one pass of plain tuples, without a model instance or a JSON
    value per response: five numbers a row, and the answer's JSON text for the
    choice questions only, counted per question and answer (``Counter``) and
    decoded once per distinct answer. Then the parts of the questions that may
    have some (not the choice types), and the questions asked, with the option
    list of each choice question as the latest attempt asking it showed it."""
    quiz_course = attempts.values("quiz__course_id")[:1]
    choice_questions = Question.objects.filter(
        course_id=Subquery(quiz_course), type__in=CHOICE_TYPES
    ).values("pk")
    rows = list(
        Response.objects.filter(attempt__in=attempts, question__isnull=False)
        .annotate(
            answer_json=Case(
                When(
                    question_id__in=choice_questions,
                    then=Cast("answer", output_field=TextField()),
                ),
                default=Value(None),
                output_field=TextField(),
            )
        )
        .order_by()
        .values_list(
            "attempt_id", "question_id", "position", "score", "max_mark", "answer_json"
        )
        .iterator(chunk_size=chunk_size)
    )
    kinds = dict(
        Question.objects.filter(pk__in=set(map(itemgetter(1), rows))).values_list(
            "pk", "type"
        )
    )
    description = QuestionType.DESCRIPTION
    descriptions = {pk for pk, kind in kinds.items() if kind == description}
    marks = list(map(itemgetter(0, 1, 2, 3, 4), rows))
    if descriptions:
        marks = [row for row in marks if row[1] not in descriptions]
    chosen = Counter(map(itemgetter(1, 5), rows))
    choices = [
        (question, json_value(answer), count)
        for (question, answer), count in chosen.items()
        if answer is not None
    ]
    choice_ids = {pk for pk, kind in kinds.items() if kind in CHOICE_TYPES}
    others = [pk for pk in kinds if pk not in descriptions and pk not in choice_ids]
    parts = [
        (attempt, question, (json_value(detail) or {}).get("parts") or {})
        for attempt, question, detail in Response.objects.filter(
            attempt__in=attempts, question_id__in=others, detail__has_key="parts"
        )
        .annotate(detail_json=Cast("detail", output_field=TextField()))
        .order_by()
        .values_list("attempt_id", "question_id", "detail_json")
    ]
    latest = max(map(itemgetter(0), rows), default=None)
    return AnalysedResponses(
        marks=marks,
        choices=choices,
        parts=parts,
        questions=_asked(kinds, choice_ids, attempts, latest),
    )


def _asked(kinds, choice_ids, attempts, latest) -> dict[int, AnalysedQuestion]:
    """The questions asked (``kinds``: id -> type), with each choice question's
    options as its response in the latest attempt (``latest``) showed them, or,
    for those that attempt did not ask (random draws), its latest response."""
    snapshots = dict(
        Response.objects.filter(
            attempt_id=latest, question_id__in=choice_ids
        ).values_list("question_id", "snapshot__options")
    )
    missing = [pk for pk in choice_ids if pk not in snapshots]
    if missing:
        last = (
            Response.objects.filter(attempt__in=attempts, question_id__in=missing)
            .order_by()
            .values("question_id")
            .annotate(last=Max("pk"))
            .values("last")
        )
        snapshots.update(
            Response.objects.filter(pk__in=last).values_list(
                "question_id", "snapshot__options"
            )
        )
    questions = Question.objects.filter(pk__in=list(kinds)).only(
        "pk", "key", "title", "text", "type", "version"
    )
    return {
        q.pk: AnalysedQuestion(
            question_id=q.pk,
            key=q.key,
            title=str(q),
            type=q.type,
            version=q.version,
            options=list(snapshots.get(q.pk) or []),
        )
        for q in questions
    }
