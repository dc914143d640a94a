"""Reads for quizzes, scoped to the user who asks (404 for what they may not see)."""

import math
from dataclasses import dataclass, replace

from django.db.models import Count, F, Max, Q
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone

from coursesite import cache as site_cache
from lessons.models import Course
from lessons.selectors import course_get_for_user, manages_course
from quizzes import presenting, review, rules
from quizzes.models import Attempt, AttemptState, Quiz


def quiz_get_for_user(*, course_slug: str, quiz_slug: str, user) -> Quiz:
    """A quiz the user may open, with its course, lesson and module; else 404.

    Students (and staff who do not teach the course) see the published quizzes
    of ``course_quizzes``, cached until the course's content changes: no query
    when warm. The quiz is shared between requests: never change it.
    """
    course = course_get_for_user(slug=course_slug, user=user)
    if not manages_course(user, course):
        # A lesson's quiz goes with its lesson: unpublishing the lesson hides it
        # (``course_quizzes`` leaves it out).
        quiz = next(
            (q for q in course_quizzes(course=course) if q.slug == quiz_slug), None
        )
        if quiz is None:
            raise Http404("No such quiz")
        return quiz
    quizzes = Quiz.objects.visible_to(user)
    quiz = (
        quizzes.filter(course=course, slug=quiz_slug)
        .select_related("course", "lesson", "module")
        .first()
    )
    if quiz is None:
        raise Http404("No such quiz")
    return quiz


def quiz_visible_to(*, quiz: Quiz, user) -> bool:
    """``quiz_get_for_user``'s rule for a quiz already loaded with its course and
    lesson: a published quiz of a published course (and lesson, if it has one);
    the course's instructors see it anyway (one query, for staff only)."""
    published = (
        quiz.is_published
        and quiz.course.is_published
        and (quiz.lesson_id is None or quiz.lesson.is_published)
    )
    return published or manages_course(user, quiz.course)


def attempt_get_for_user(
    *, attempt_id: int, user, related=("quiz", "quiz__course", "quiz__lesson")
) -> Attempt:
    """An attempt of the user's own; anybody else's is a 404. ``related`` narrows
    the joins for pages that show less (the attempt page needs only the quiz)."""
    try:
        # get(), not first(): no ORDER BY to compile on a page loaded often.
        return Attempt.objects.select_related(*related).get(pk=attempt_id, user=user)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt") from None


# What the attempt page reads of each response when the markup is cached.
RESPONSE_PAGE_FIELDS = (
    "id",
    "attempt_id",
    "position",
    "answer",
    "answered_at",
    "sequence",
    "max_mark",
    "flagged",
)


def attempt_page_responses(attempt: Attempt) -> list:
    """An attempt's responses for the attempt page when the markup is cached:
    the fields above and each question's type (``kind``, for the navigation
    panel), without the rest of the frozen question."""
    return list(
        attempt.responses.only(*RESPONSE_PAGE_FIELDS).annotate(
            kind=KT("snapshot__type")
        )
    )


def response_snapshots(response_ids) -> dict[int, dict]:
    """The frozen questions of some responses (ids already scoped by the caller)."""
    from quizzes.models import Response

    return dict(
        Response.objects.filter(pk__in=response_ids)
        .order_by()
        .values_list("pk", "snapshot")
    )


# What the review of an attempt shows of each response, but its frozen question
# (which only a regrade changes, with its version).
RESPONSE_REVIEW_STATE = (
    "pk",
    "question_version",
    "answer",
    "fraction",
    "score",
    "feedback",
    "detail",
    "needs_manual",
    "grader_comment",
    "graded_at",
    "max_mark",
)


def attempt_review_state(attempt: Attempt) -> list[tuple]:
    """The fields above of each response of an attempt, in order: what its
    review's markup depends on (the cache key of ``attempt_review_html``)."""
    return list(
        attempt.responses.order_by("position").values_list(*RESPONSE_REVIEW_STATE)
    )


def attempt_in_progress(*, quiz: Quiz, user) -> Attempt | None:
    return Attempt.objects.filter(
        quiz=quiz, user=user, state=AttemptState.IN_PROGRESS
    ).first()


def attempts_for_user(*, quiz: Quiz, user) -> list[Attempt]:
    return list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))


def attempts_for_user_cached(*, quiz: Quiz, user) -> list[Attempt]:
    """``attempts_for_user``, cached per user until an attempt of theirs in the
    course starts or is graded (``quiz_status_forget``, as
    ``quiz_statuses_cached``) or the course's content changes. The attempts are
    shared between requests: never change them."""
    if not user.is_authenticated:
        return []
    return site_cache.learner_data(
        user.pk,
        quiz.course_id,
        "quiz-attempts",
        quiz.pk,
        content=True,
        build=lambda: attempts_for_user(quiz=quiz, user=user),
    )


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    attempts: int
    best: float | None  # best graded fraction, 0..1
    passed: bool
    in_progress: bool
    pending: bool  # an attempt waits for manual grading

    @property
    def best_percent(self) -> int | None:
        return None if self.best is None else round(self.best * 100)


def _as_shown(status: QuizStatus, now) -> QuizStatus:
    """The status without its score and pass while the quiz's review options
    hide marks (``review.marks_shown_later``)."""
    quiz = status.quiz
    if review.marks_shown_later(quiz.review_options, close_at=quiz.close_at, now=now):
        return status
    return replace(status, best=None, passed=False)


def quiz_statuses(*, user, course: Course, quizzes=None) -> dict[int, QuizStatus]:
    """Each published quiz of a course with the user's attempts summarised, as
    the student may see it now (scores hidden while the review options hide
    marks).

    Two queries whatever the number of quizzes and attempts.
    """
    now = timezone.now()
    return {
        pk: _as_shown(status, now)
        for pk, status in _quiz_figures(
            user=user, course=course, quizzes=quizzes
        ).items()
    }


def _quiz_figures(*, user, course: Course, quizzes=None) -> dict[int, QuizStatus]:
    """``quiz_statuses`` with every figure, whatever the review options say."""
    if quizzes is None:
        # The course too: badges link to each quiz (its URL holds the course slug).
        quizzes = list(
            Quiz.objects.published()
            .filter(course=course)
            .select_related("course", "lesson")
        )
    if not user.is_authenticated or not quizzes:
        return {}
    rows = (
        Attempt.objects.filter(user=user, quiz__in=quizzes, is_preview=False)
        .values("quiz_id")
        .annotate(
            n=Count("pk"),
            best=Max("fraction", filter=Q(state=AttemptState.GRADED)),
            passed_n=Count("pk", filter=Q(passed=True)),
            open_n=Count("pk", filter=Q(state=AttemptState.IN_PROGRESS)),
            pending_n=Count("pk", filter=Q(state=AttemptState.NEEDS_GRADING)),
        )
    )
    by_quiz = {row["quiz_id"]: row for row in rows}
    statuses = {}
    for quiz in quizzes:
        row = by_quiz.get(quiz.pk, {})
        statuses[quiz.pk] = QuizStatus(
            quiz=quiz,
            attempts=row.get("n", 0),
            best=row.get("best"),
            passed=bool(row.get("passed_n")),
            in_progress=bool(row.get("open_n")),
            pending=bool(row.get("pending_n")),
        )
    return statuses


def lesson_urls(*, course: Course, lesson_ids) -> dict[int, str]:
    """Links from review questions back to the published lessons they test."""
    from lessons.models import Lesson

    return {
        lesson.pk: lesson.get_absolute_url()
        for lesson in Lesson.objects.filter(
            course=course, pk__in=[i for i in lesson_ids if i], is_published=True
        ).select_related("course")
    }


def course_quizzes(*, course: Course) -> tuple[Quiz, ...]:
    """The course's published quizzes (with course and lesson), cached until the
    course's content changes (quiz services mark it changed)."""
    return site_cache.course_content(
        course.pk,
        "quizzes",
        build=lambda: tuple(
            Quiz.objects.published()
            .filter(course=course)
            # A lesson's quiz goes with its lesson (a removed section's too).
            .exclude(lesson__is_published=False)
            .select_related("course", "lesson", "module")
            .order_by("id")
        ),
    )


def lesson_quiz_map(*, course: Course) -> dict[int, Quiz]:
    """The published quiz of each lesson (the first by id)."""

    def build():
        quizzes: dict[int, Quiz] = {}
        for quiz in course_quizzes(course=course):
            if quiz.lesson_id:
                quizzes.setdefault(quiz.lesson_id, quiz)
        return quizzes

    return site_cache.course_content(course.pk, "lesson-quizzes", build=build)


def quiz_statuses_cached(*, user, course: Course) -> dict[int, QuizStatus]:
    """``quiz_statuses`` for every published quiz of the course. The figures are
    cached per user (plain numbers, cheap to load) until an attempt of theirs in
    this course starts or is graded, or the course's quizzes change."""
    if not user.is_authenticated:
        return {}
    quizzes = course_quizzes(course=course)
    figures = site_cache.learner_data(
        user.pk,
        course.pk,
        "quiz-figures",
        content=True,
        build=lambda: {
            quiz_id: (s.attempts, s.best, s.passed, s.in_progress, s.pending)
            for quiz_id, s in _quiz_figures(
                user=user, course=course, quizzes=list(quizzes)
            ).items()
        },
    )
    empty = (0, None, False, False, False)
    # What the review options let the student see depends on the time: applied
    # after the cache, which holds the figures themselves.
    now = timezone.now()
    return {
        quiz.pk: _as_shown(QuizStatus(quiz, *figures.get(quiz.pk, empty)), now)
        for quiz in quizzes
    }


def quiz_introduction_html(*, quiz: Quiz) -> str:
    """The quiz's description as its page shows it
    (``presenting.quiz_introduction_html``), rendered once per content version:
    quiz services mark the course's content changed when a quiz is edited."""
    if not quiz.description.strip():
        return ""
    return site_cache.course_content(
        quiz.course_id,
        "quiz-introduction",
        quiz.pk,
        build=lambda: presenting.quiz_introduction_html(quiz),
    )


def question_counts(*, course: Course) -> dict[int, int]:
    """How many questions an attempt at each of the course's quizzes asks (those
    that take an answer; a drawn quiz asks its draw), cached until the course's
    content changes (quiz and bank services mark it changed)."""
    from quizzes.models import Question, QuestionType, QuizQuestion

    def build() -> dict[int, int]:
        quizzes = list(
            Quiz.objects.filter(course=course).values(
                "pk", "draw_count", "draw_from_bank"
            )
        )
        slots = dict(
            QuizQuestion.objects.filter(
                quiz__course=course, question__is_published=True
            )
            .exclude(question__type=QuestionType.DESCRIPTION)
            .order_by()
            .values("quiz")
            .annotate(n=Count("pk"))
            .values_list("quiz", "n")
        )
        bank = None
        counts = {}
        for quiz in quizzes:
            if quiz["draw_from_bank"]:
                if bank is None:
                    bank = (
                        Question.objects.filter(course=course, is_published=True)
                        .exclude(type=QuestionType.DESCRIPTION)
                        .count()
                    )
                pool = bank
            else:
                pool = slots.get(quiz["pk"], 0)
            draw = quiz["draw_count"]
            counts[quiz["pk"]] = min(draw, pool) if draw else pool
        return counts

    return site_cache.course_content(course.pk, "question-counts", build=build)


# --- A student's grades in a course --------------------------------------------


def percent_text(fraction: float | None) -> str:
    """A 0..1 fraction as a percentage with at most one decimal ("82.5", "70"),
    as the gradebook writes it (``teach.presenting.percent_text``), so a student
    and their teacher read the same figure; "" for none."""
    if fraction is None or not math.isfinite(fraction):
        return ""
    value = round(fraction * 100, 1)
    return f"{value:.1f}" if value != int(value) else f"{int(value)}"


@dataclass(frozen=True)
class QuizGradeRow:
    """One quiz on a student's Grades page, as they may see it now."""

    quiz: Quiz
    url: str  # empty when the quiz's lesson is not open to students
    attempts: int
    grade: float | None  # 0..1 by the quiz's grading method; None: none yet or hidden
    hidden: bool  # graded, but the review options do not show marks yet
    pending: bool  # an attempt waits for a teacher
    in_progress: bool
    passed: bool | None
    feedback: str  # the quiz's overall feedback for the grade, when shown

    @property
    def percent(self) -> str:
        return percent_text(self.grade)

    @property
    def pass_percent(self) -> str:
        return percent_text(self.quiz.pass_mark)


@dataclass(frozen=True)
class CourseGrades:
    rows: list[QuizGradeRow]
    total: float | None  # None when no quiz has weight, or a grade is hidden
    total_hidden: bool
    pass_mark: float | None
    passed: bool | None  # None until a quiz is graded (or while hidden)
    weighted: bool  # the quizzes do not all weigh the same

    @property
    def total_percent(self) -> str:
        return percent_text(self.total)

    @property
    def pass_percent(self) -> str:
        return percent_text(self.pass_mark)

    def shown_state(self) -> str:
        """Everything ``quizzes/_course_grades_table.html`` shows, as text: the
        key its markup is cached under."""
        rows = [
            (
                row.quiz.pk,
                row.quiz.title,
                row.quiz.grading_method,
                row.quiz.weight,
                row.url,
                row.attempts,
                row.percent,
                row.hidden,
                row.pending,
                row.in_progress,
                row.passed,
                row.feedback,
                row.pass_percent,
            )
            for row in self.rows
        ]
        totals = (
            self.total_percent,
            self.total_hidden,
            self.pass_percent,
            self.passed,
            self.weighted,
        )
        return repr((rows, totals))


def _grade_quizzes(course: Course) -> list[Quiz]:
    """The published quizzes of a course in the Grades page's order (with their
    course and lesson)."""
    return list(
        Quiz.objects.published()
        .filter(course=course)
        .select_related("course", "lesson")
        .order_by(
            F("lesson__module__position").asc(nulls_last=True),
            F("lesson__position").asc(nulls_last=True),
            "id",
        )
    )


def _grade_attempts(*, user, quizzes) -> dict[int, list[dict]]:
    """The user's counted attempts at these quizzes, by quiz, in order."""
    attempts: dict[int, list[dict]] = {}
    if quizzes and user.is_authenticated:
        for attempt in (
            Attempt.objects.filter(user=user, quiz__in=quizzes, is_preview=False)
            .order_by("number")
            .values("quiz_id", "state", "fraction")
        ):
            attempts.setdefault(attempt["quiz_id"], []).append(attempt)
    return attempts


def course_grades_cached(*, user, course: Course, now=None) -> CourseGrades:
    """``course_grades`` from cached rows: the quizzes until the course's
    content changes, the user's attempts (state and fraction) until one of
    theirs in the course starts or is graded (``quiz_status_forget``, as
    ``quiz_statuses_cached``) or the content changes. What the review options
    show depends on the time: applied after the cache."""
    quizzes = site_cache.course_content(
        course.pk, "grade-quizzes", build=lambda: tuple(_grade_quizzes(course))
    )
    if not user.is_authenticated or not quizzes:
        return course_grades(user=user, course=course, now=now, quizzes=quizzes)
    attempts = site_cache.learner_data(
        user.pk,
        course.pk,
        "grade-attempts",
        content=True,
        build=lambda: _grade_attempts(user=user, quizzes=quizzes),
    )
    return course_grades(
        user=user, course=course, now=now, quizzes=quizzes, attempts=attempts
    )


def course_grades(
    *, user, course: Course, now=None, quizzes=None, attempts=None
) -> CourseGrades:
    """The user's own grade on each published quiz of a course, the course total
    and whether it reaches the course's pass mark, as the gradebook computes them
    (``quizzes.rules``: each quiz graded by its grading method over graded,
    non-preview attempts; the total a weighted mean, an ungraded quiz counting 0;
    the pass mark the weighted mean of the quizzes' pass marks).

    What the quizzes' review options hide stays hidden: a grade not yet released
    shows as such, and the total (which would give it away) with it.

    Two queries whatever the number of quizzes and attempts (none for what
    ``course_grades_cached`` passes in: ``quizzes`` as ``_grade_quizzes`` reads
    them, ``attempts`` as ``_grade_attempts``).
    """
    now = now or timezone.now()
    if quizzes is None:
        quizzes = _grade_quizzes(course)
    if attempts is None:
        attempts = _grade_attempts(user=user, quizzes=quizzes)
    rows = []
    for quiz in quizzes:
        mine = attempts.get(quiz.pk, [])
        graded = [
            a["fraction"]
            for a in mine
            if a["state"] == AttemptState.GRADED and a["fraction"] is not None
        ]
        grade = rules.quiz_grade(graded, quiz.grading_method)
        shown = review.items_shown_later(
            quiz.review_options, close_at=quiz.close_at, now=now
        )
        hidden = grade is not None and "marks" not in shown
        visible = quiz.lesson_id is None or quiz.lesson.is_published
        rows.append(
            QuizGradeRow(
                quiz=quiz,
                url=quiz.get_absolute_url() if visible else "",
                attempts=len(mine),
                grade=None if hidden else grade,
                hidden=hidden,
                pending=any(a["state"] == AttemptState.NEEDS_GRADING for a in mine),
                in_progress=any(a["state"] == AttemptState.IN_PROGRESS for a in mine),
                passed=None if hidden else rules.reaches(grade, quiz.pass_mark),
                feedback=(
                    rules.overall_feedback(quiz.overall_feedback, grade)
                    if not hidden and "overall_feedback" in shown
                    else ""
                ),
            )
        )
    total_hidden = any(row.hidden for row in rows)
    total = (
        None
        if total_hidden
        else rules.course_total([(row.grade, row.quiz.weight) for row in rows])
    )
    pass_mark = rules.course_pass_mark([(q.pass_mark, q.weight) for q in quizzes])
    any_graded = any(row.grade is not None for row in rows)
    return CourseGrades(
        rows=rows,
        total=total,
        total_hidden=total_hidden,
        pass_mark=pass_mark,
        passed=rules.reaches(total, pass_mark) if any_graded else None,
        weighted=len({max(q.weight, 0.0) for q in quizzes}) > 1,
    )


# --- Authoring in the admin ----------------------------------------------------


@dataclass(frozen=True)
class QuestionVersionRow:
    """One version of a question and the attempts that answered it."""

    version: int
    is_current: bool
    data: dict | None  # the question as it stood (None for the current version)
    created_at: object  # when it was superseded
    created_by: object
    attempt_count: int
    recent_responses: tuple  # the latest few, with their attempt and student


def question_version_history(
    *, question, recent_per_version: int = 10
) -> list[QuestionVersionRow]:
    """Every version of a question, newest first, with who answered each.

    Three queries however many versions and attempts: the kept versions, the
    attempt count per version, and the latest few responses per version (a window
    function ranks them).
    """
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from quizzes.models import Response

    kept = list(question.versions.select_related("created_by").order_by("-version"))
    answered = Response.objects.filter(question=question)
    counts = dict(
        answered.order_by()
        .values("question_version")
        .annotate(n=Count("attempt", distinct=True))
        .values_list("question_version", "n")
    )
    recent: dict[int, list] = {}
    ranked = (
        answered.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("question_version")],
                order_by=F("attempt_id").desc(),
            )
        )
        .filter(rank__lte=recent_per_version)
        .select_related("attempt", "attempt__user")
        .order_by("question_version", "-attempt_id")
    )
    for response in ranked:
        recent.setdefault(response.question_version, []).append(response)
    by_number = {old.version: old for old in kept}
    # Versions answered but never kept (an import replaced them) are listed too.
    numbers = sorted({question.version, *by_number, *counts}, reverse=True)
    rows = []
    for number in numbers:
        old = by_number.get(number) if number != question.version else None
        rows.append(
            QuestionVersionRow(
                version=number,
                is_current=number == question.version,
                data=old.data if old else None,
                created_at=old.created_at if old else None,
                created_by=old.created_by if old else None,
                attempt_count=counts.get(number, 0),
                recent_responses=tuple(recent.get(number, ())),
            )
        )
    return rows


# --- Item-writing checks (quizzes.item_checks) ------------------------------------


def _question_dicts(questions) -> dict[int, dict]:
    from quizzes.snapshots import question_to_dict

    return {q.pk: question_to_dict(q) for q in questions}


def active_dismissals(*, course: Course) -> dict[tuple[str, str], object]:
    """The checks set aside in a course, by (question key, check name)."""
    from quizzes.models import CheckDismissal

    rows = CheckDismissal.objects.filter(
        question__course=course, restored_at__isnull=True
    ).select_related("question", "dismissed_by")
    return {(row.question.key, row.check_name): row for row in rows}


@dataclass(frozen=True)
class CheckRow:
    """A finding with the primary key of its question (None for a quiz's or the
    bank's), for links to edit it and forms to dismiss it."""

    finding: object
    question_id: int | None


def course_check_rows(*, course: Course, quiz: Quiz | None = None) -> list[CheckRow]:
    """Every item-writing finding for a course's bank and quizzes (or one quiz:
    its questions' own findings and the quiz's), less the dismissed ones.
    Five queries at most: slots, questions, their answers, quizzes (for the
    whole course) and dismissals."""
    from quizzes import item_checks
    from quizzes.models import Question, QuizQuestion

    slot_rows = QuizQuestion.objects.filter(quiz__course=course)
    wanted = Question.objects.filter(course=course)
    if quiz is not None and not quiz.draw_from_bank:
        # One quiz that lists its questions: only those are read.
        slot_rows = slot_rows.filter(quiz=quiz)
        wanted = wanted.filter(slots__quiz=quiz)
    slot_rows = list(
        slot_rows.order_by("quiz_id", "position", "id").values_list(
            "quiz_id", "question_id"
        )
    )
    questions = list(wanted.prefetch_related("answers"))
    dicts = _question_dicts(questions)
    ids = {q.key: q.pk for q in questions}
    published = [dicts[q.pk] for q in questions if q.is_published]
    slots: dict[int, list[dict]] = {}
    for quiz_id, question_id in slot_rows:
        if question_id in dicts:
            slots.setdefault(quiz_id, []).append(dicts[question_id])
    quizzes = [quiz] if quiz is not None else list(Quiz.objects.filter(course=course))
    pools = []
    for each in quizzes:
        listed = slots.get(each.pk, [])
        if each.draw_from_bank:
            keys = {q["key"] for q in listed}
            listed = listed + [q for q in published if q["key"] not in keys]
        drawn = each.draw_from_bank or bool(
            each.draw_count and each.draw_count < len(listed)
        )
        pools.append(item_checks.QuizPool(each.slug, drawn, listed))
    findings = item_checks.bank_findings(
        pools,
        questions=list(dicts.values()) if quiz is None else (),
        dismissed=active_dismissals(course=course),
    )
    return [CheckRow(finding, ids.get(finding.question)) for finding in findings]


def course_check_findings(*, course: Course, quiz: Quiz | None = None) -> list:
    """``course_check_rows``' findings alone (what ``check_bank`` prints)."""
    return [row.finding for row in course_check_rows(course=course, quiz=quiz)]


def question_check_findings(*, question) -> list:
    """One question's own findings (what the editor shows beside its fields),
    less the dismissed ones."""
    from quizzes import item_checks
    from quizzes.snapshots import question_to_dict

    dismissed = set(
        question.check_dismissals.filter(restored_at__isnull=True).values_list(
            "check_name", flat=True
        )
    )
    return [
        finding
        for finding in item_checks.question_findings(question_to_dict(question))
        if finding.check not in dismissed
    ]
