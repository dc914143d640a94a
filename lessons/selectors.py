"""Reads for courses, lessons and progress, scoped to the user who asks.

Views never look objects up by bare primary key: they come here, and what a user may
not see raises ``Http404`` as if it did not exist.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse

from coursesite import cache as site_cache

# The access rule lives in ``lessons.access``; the names stay importable from here
# for callers in other apps (``quizzes.admin_upload``).
from lessons.access import (  # noqa: F401
    courses_taught_by,
    scope_to_courses_taught,
    students_taught_by,
    user_teaches_course,
)
from lessons.course_facts import reading_minutes, summary_from_html
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    title: str
    slug: str
    url: str
    is_published: bool
    words: int = 0
    summary: str = ""  # the lesson's opening words, for the syllabus

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)


@dataclass(frozen=True)
class OutlineModule:
    id: int
    title: str
    slug: str
    lessons: tuple[OutlineLesson, ...]

    @property
    def is_single_lesson(self) -> bool:
        """A module that is just one lesson of the same name is shown flat."""
        return len(self.lessons) == 1 and self.lessons[0].title == self.title

    @property
    def overview(self) -> OutlineLesson | None:
        """The module's own opening lesson: the text under the module's heading
        before its first sub-section, which the importer files as a first lesson
        of the same title. Shown as the module's heading, never a second time."""
        if self.lessons and self.lessons[0].title == self.title:
            return self.lessons[0]
        return None

    @property
    def sections(self) -> tuple[OutlineLesson, ...]:
        """The lessons listed under the module's heading (all but its overview)."""
        return self.lessons[1:] if self.overview is not None else self.lessons

    @property
    def words(self) -> int:
        return sum(lesson.words for lesson in self.lessons)

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)

    def holds(self, lesson_id) -> bool:
        return any(lesson.id == lesson_id for lesson in self.lessons)


@dataclass(frozen=True)
class ProgressSummary:
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def manages_course(user, course: Course) -> bool:
    """Whether the user may see the course's unpublished content and preview it:
    whether they teach it (``lessons.access.user_teaches_course``)."""
    return user_teaches_course(user, course)


@dataclass(frozen=True)
class CatalogueCourse:
    """A course as the catalogue shows it: what it is, how long it takes, and
    where the visitor stands in it (``progress`` is None when not enrolled)."""

    course: Course
    lesson_count: int
    minutes: int
    summary: str
    progress: ProgressSummary | None


# Enough of the first lesson's HTML for a summary, however long the lesson.
_SUMMARY_SOURCE_CHARS = 4000


def _first_lesson_body():
    """The opening of a course's first published lesson (a correlated subquery):
    the text before the document's first section, where a summary comes from."""
    first = (
        Lesson.objects.filter(course=OuterRef("pk"), is_published=True)
        .order_by("module__position", "position", "id")
        .values("body_html")[:1]
    )
    return Substr(Subquery(first), 1, _SUMMARY_SOURCE_CHARS)


def course_summary(*, course: Course, first_lesson_html: str) -> str:
    """The course's description, or else the opening of its document."""
    return course.description.strip() or summary_from_html(first_lesson_html)


def course_list_for_catalogue(*, user) -> list[CatalogueCourse]:
    """Every course the user may open, with its lesson count, reading time,
    summary and (for a signed-in user) their enrolment and progress: one query
    whatever the number of courses."""
    published = Q(lessons__is_published=True)
    courses = Course.objects.visible_to(user).annotate(
        lesson_count=Count("lessons", filter=published),
        word_total=Sum("lessons__word_count", filter=published),
        first_body=_first_lesson_body(),
    )
    if user.is_authenticated:
        completed = (
            LessonProgress.objects.filter(
                user=user,
                course=OuterRef("pk"),
                status=LessonProgress.Status.COMPLETED,
                lesson__is_published=True,
            )
            .order_by()
            .values("course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        courses = courses.annotate(
            enrolled=Exists(
                Enrollment.objects.filter(user=user, course=OuterRef("pk"))
            ),
            completed=Subquery(completed),
        )
    # Meta.ordering is dropped from GROUP BY queries, so the order is explicit.
    return [
        CatalogueCourse(
            course=course,
            lesson_count=course.lesson_count,
            minutes=reading_minutes(course.word_total or 0),
            summary=course_summary(
                course=course, first_lesson_html=course.first_body or ""
            ),
            progress=(
                ProgressSummary(
                    completed=course.completed or 0, total=course.lesson_count
                )
                if getattr(course, "enrolled", False)
                else None
            ),
        )
        for course in courses.order_by("title", "pk")
    ]


@dataclass(frozen=True)
class CourseFacts:
    """The course page's summary and time estimate."""

    summary: str
    minutes: int
    lesson_count: int


def course_facts(*, course: Course, outline) -> CourseFacts:
    """The time estimate from the outline the page already has; the summary as
    the catalogue words it, cached until the course's content changes."""
    lessons = outline_lessons(outline)

    def first_lesson_html() -> str:
        body = (
            Course.objects.filter(pk=course.pk)
            .annotate(first_body=_first_lesson_body())
            .values_list("first_body", flat=True)
            .first()
        )
        return body or ""

    summary = course.description.strip() or site_cache.course_content(
        course.pk,
        "summary",
        build=lambda: summary_from_html(first_lesson_html()),
    )
    return CourseFacts(
        summary=summary,
        minutes=reading_minutes(sum(lesson.words for lesson in lessons)),
        lesson_count=len(lessons),
    )


def course_get_for_user(*, slug: str, user) -> Course:
    """The course under ``slug`` if the user may open it (published, or taught
    by them: ``CourseContentQuerySet.visible_to``'s rule), else 404.

    Read from the course as cached under its pk until its content changes
    (``_course_by_slug``): a repeat visit costs no query, except the one
    that asks whether a teacher teaches an unpublished course. The course is
    shared between requests: never change it.
    """
    course = _course_by_slug(slug)
    if course is None or not (course.is_published or manages_course(user, course)):
        raise Http404("No such course")
    return course


def lesson_get_for_user(*, course: Course, slug: str, user) -> Lesson:
    lessons = Lesson.objects.filter(course=course).select_related("module")
    try:
        return lessons.visible_to(user).get(slug=slug)
    except Lesson.DoesNotExist:
        raise Http404("No such lesson") from None


def course_outline(*, course: Course, user=None) -> tuple[OutlineModule, ...]:
    """The course's modules and lessons in order, for the syllabus and side outline.

    Built from two queries and then served from the cache until the course's
    content changes; unpublished lessons (and modules left empty) are dropped for
    non-staff users (and when no user is given).
    """
    everything = user is not None and manages_course(user, course)
    return site_cache.course_content(
        course.pk,
        # v2: lessons carry their words and summary.
        "outline-v2",
        "all" if everything else "pub",
        build=lambda: _build_outline(course, everything=everything),
    )


# A lesson's line in the syllabus: its opening sentence, or about this many words.
LESSON_SUMMARY_WORDS = 24


def _build_outline(course: Course, *, everything: bool) -> tuple[OutlineModule, ...]:
    lessons_by_module: dict[int, list[OutlineLesson]] = {}
    lessons = Lesson.objects.filter(course=course).order_by("position", "id")
    if not everything:
        lessons = lessons.filter(is_published=True)
    for lesson in lessons:
        lessons_by_module.setdefault(lesson.module_id, []).append(
            OutlineLesson(
                id=lesson.pk,
                title=lesson.title,
                slug=lesson.slug,
                url=reverse(
                    "lessons:lesson-detail",
                    kwargs={"course_slug": course.slug, "lesson_slug": lesson.slug},
                ),
                is_published=lesson.is_published,
                words=lesson.word_count,
                summary=summary_from_html(
                    lesson.body_html, max_words=LESSON_SUMMARY_WORDS
                ),
            )
        )
    modules = Module.objects.filter(course=course).order_by("position", "id")
    return tuple(
        OutlineModule(
            id=module.pk,
            title=module.title,
            slug=module.slug,
            lessons=tuple(lessons_by_module.get(module.pk, ())),
        )
        for module in modules
        if everything or module.pk in lessons_by_module
    )


def outline_lessons(outline) -> list[OutlineLesson]:
    return [lesson for module in outline for lesson in module.lessons]


def lesson_neighbours(*, outline, lesson_id: int):
    """The lessons before and after one lesson in course order (None at the ends)."""
    ordered = outline_lessons(outline)
    for index, item in enumerate(ordered):
        if item.id == lesson_id:
            previous = ordered[index - 1] if index > 0 else None
            following = ordered[index + 1] if index + 1 < len(ordered) else None
            return previous, following
    return None, None


@dataclass(frozen=True)
class _CourseIndex:
    """A course as cached under its pk, with its lessons' pks by slug."""

    course: Course
    lesson_ids: dict[str, int]


def _cached_course(course_id: int) -> Course | None:
    return site_cache.course_content(
        course_id,
        "course",
        build=lambda: Course.objects.filter(pk=course_id).first(),
    )


def _course_by_slug(slug: str) -> Course | None:
    """The course now under ``slug``. The slug only points at a pk (a hint kept
    by this process, checked against the course cached under that pk, or one
    query): a renamed, deleted or re-created course is never served under it."""
    hint = site_cache.course_hint(slug)
    if hint is not None:
        course = _cached_course(hint)
        if course is not None and course.slug == slug:
            return course
    course_id = Course.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if course_id is None:
        return None
    site_cache.course_hint_remember(slug, course_id)
    course = _cached_course(course_id)
    if course is None or course.slug != slug:
        # Renamed a moment ago, before its content generation moved on.
        course = Course.objects.filter(pk=course_id).first()
    return course


def _course_index_by_slug(slug: str) -> _CourseIndex | None:
    course = _course_by_slug(slug)
    if course is None:
        return None
    lesson_ids = site_cache.course_content(
        course.pk,
        "lesson-ids",
        build=lambda: dict(
            Lesson.objects.filter(course_id=course.pk).values_list("slug", "pk")
        ),
    )
    return _CourseIndex(course=course, lesson_ids=lesson_ids)


def lesson_page_get(*, course_slug: str, lesson_slug: str, user) -> Lesson:
    """A lesson with its course and module; 404 if the user may not see the course
    or the lesson (unpublished ones are visible to staff only).

    Cached until the course's content changes: a repeat visit costs no query.
    """
    index = _course_index_by_slug(course_slug)
    if index is None:
        raise Http404("No such course")
    lesson_id = index.lesson_ids.get(lesson_slug)
    if lesson_id is None:
        raise Http404("No such lesson")
    lesson = site_cache.course_content(
        index.course.pk,
        "lesson",
        lesson_id,
        build=lambda: (
            Lesson.objects.select_related("course", "module")
            .filter(pk=lesson_id, course_id=index.course.pk)
            .first()
        ),
    )
    if lesson is None:
        raise Http404("No such lesson")
    published = lesson.is_published and lesson.course.is_published
    if not published and not manages_course(user, lesson.course):
        raise Http404("No such lesson")
    return lesson


@dataclass(frozen=True)
class LearnerState:
    """One student's standing in one course: enrolment and per-lesson progress."""

    enrollment_id: int | None
    last_lesson_id: int | None
    progress: dict[int, str]

    @property
    def enrolled(self) -> bool:
        return self.enrollment_id is not None


def learner_state(*, user, course: Course) -> LearnerState:
    """Cached until one of the lessons services changes it
    (``coursesite.cache.learner_changed``)."""
    if not user.is_authenticated:
        return LearnerState(None, None, {})
    return site_cache.learner_data(
        user.pk, course.pk, "state", build=lambda: _build_learner_state(user, course)
    )


def _build_learner_state(user, course: Course) -> LearnerState:
    enrollment = (
        Enrollment.objects.filter(user=user, course=course)
        .values("pk", "last_lesson_id")
        .first()
    )
    return LearnerState(
        enrollment_id=enrollment["pk"] if enrollment else None,
        last_lesson_id=enrollment["last_lesson_id"] if enrollment else None,
        progress=progress_by_lesson(user=user, course=course),
    )


def is_enrolled(*, user, course: Course) -> bool:
    """Whether the user is enrolled in the course: one query, then cached until
    one of the lessons services changes their standing in it (as
    ``learner_state``, which costs two queries to rebuild)."""
    if not user.is_authenticated:
        return False
    return site_cache.learner_data(
        user.pk,
        course.pk,
        "enrolled",
        build=lambda: Enrollment.objects.filter(user=user, course=course).exists(),
    )


def enrollment_get(*, user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def progress_by_lesson(*, user, course: Course) -> dict[int, str]:
    """Map lesson id -> progress status for one user in one course."""
    if not user.is_authenticated:
        return {}
    return dict(
        LessonProgress.objects.filter(user=user, course=course).values_list(
            "lesson_id", "status"
        )
    )


def progress_summary(*, outline, progress: dict[int, str]) -> ProgressSummary:
    lessons = outline_lessons(outline)
    completed = sum(
        1
        for lesson in lessons
        if progress.get(lesson.id) == LessonProgress.Status.COMPLETED
    )
    return ProgressSummary(completed=completed, total=len(lessons))


def next_unfinished_lesson(*, outline, progress: dict[int, str]):
    for lesson in outline_lessons(outline):
        if progress.get(lesson.id) != LessonProgress.Status.COMPLETED:
            return lesson
    return None


@dataclass(frozen=True)
class DashboardRow:
    course: Course
    summary: ProgressSummary
    next_lesson_url: str | None
    next_lesson_title: str | None


def enrollments_for_dashboard(*, user) -> list[DashboardRow]:
    """The user's enrolled courses with progress and the lesson to continue with.

    One query whatever the number of courses: counts and the first unfinished lesson
    are subqueries.
    """
    published = Lesson.objects.filter(course=OuterRef("course"), is_published=True)
    completed = LessonProgress.objects.filter(
        user=user,
        course=OuterRef("course"),
        status=LessonProgress.Status.COMPLETED,
        lesson__is_published=True,
    )
    first_unfinished = published.exclude(
        pk__in=LessonProgress.objects.filter(
            user=user, status=LessonProgress.Status.COMPLETED
        ).values("lesson_id")
    ).order_by("module__position", "position", "id")
    enrollments = (
        Enrollment.objects.filter(
            user=user,
            course__in=Course.objects.visible_to(user).values("pk"),
        )
        .select_related("course")
        .annotate(
            lesson_total=Subquery(
                published.order_by()
                .values("course")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            lesson_completed=Subquery(
                completed.order_by()
                .values("course")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            next_lesson_slug=Subquery(first_unfinished.values("slug")[:1]),
            next_lesson_title=Subquery(first_unfinished.values("title")[:1]),
        )
        # Courses never opened yet go last on every database (PostgreSQL would
        # otherwise sort their NULL activity first).
        .order_by(F("last_activity_at").desc(nulls_last=True), "-enrolled_at")
    )
    return [
        DashboardRow(
            course=enrollment.course,
            summary=ProgressSummary(
                completed=enrollment.lesson_completed or 0,
                total=enrollment.lesson_total or 0,
            ),
            next_lesson_url=reverse(
                "lessons:lesson-detail",
                kwargs={
                    "course_slug": enrollment.course.slug,
                    "lesson_slug": enrollment.next_lesson_slug,
                },
            )
            if enrollment.next_lesson_slug
            else None,
            next_lesson_title=enrollment.next_lesson_title,
        )
        for enrollment in enrollments
    ]
