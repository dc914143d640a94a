"""Extension points for apps built on top of lessons.

``lessons`` never imports the apps that extend it (dependencies point one way:
``quizzes`` imports ``lessons``). Instead, those apps register callables here in
their ``AppConfig.ready``:

``lesson_panels``      (request, course, lesson) -> list of ``Panel``: boxes shown
                       under a lesson (e.g. "Check your understanding").
``course_panels``      (request, course) -> list of ``Panel``: boxes on the course
                       page (e.g. the final exam).
``completion_gates``   (course, lesson) -> str | None: a reason why the student may
                       not mark the lesson complete by hand (e.g. it requires passing
                       the lesson's quiz), or None.
``outline_badges``     (request, course) -> {lesson_id: Badge}: a short status shown
                       beside each lesson in the syllabus (e.g. a quiz's best score).
``dashboard_badges``   (user, course_ids) -> {course_id: [Badge, ...]}.
``course_links``       (user, courses) -> {course_id: [Link, ...]}: pages of
                       the user's own in a course (e.g. "Grades"), linked from
                       the course page and "My learning".
``course_exporters``   (course) -> dict merged into ``export_course``'s JSON.
``course_importers``   (course, data: dict) -> None, called by ``import_document``
                       with the whole JSON when it imports a course export.
``lesson_source_changed`` (course, lessons: list[Lesson]) -> None, called by
                       ``services.course_import`` inside its transaction with the
                       lessons whose source text a re-import changed (e.g. to flag
                       the questions that test them for review).
``lesson_source_change_preview`` (course, lessons: list[Lesson]) -> list[str]:
                       what ``lesson_source_changed`` would do to these lessons,
                       named for a person (e.g. the questions it would flag for
                       review), for the preview of a re-import. Reads only.
``content_unpublished`` (lesson_ids, course_ids) -> None, called when lessons or
                       whole courses are unpublished (by ``lesson_set_published``,
                       ``course_set_published`` or a re-import that removed
                       sections), e.g. to submit the attempts in progress on
                       their quizzes.
``lesson_admin_actions`` admin actions ``(modeladmin, request, queryset)`` offered on
                       the lesson list in the admin (e.g. "Draft questions from
                       the text"); ``LessonAdmin.get_actions`` adds them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Badge:
    text: str
    url: str = ""
    tone: str = "secondary"  # a Bootstrap colour name


@dataclass(frozen=True)
class Link:
    text: str
    url: str


lesson_panels: list[Callable] = []
course_panels: list[Callable] = []
completion_gates: list[Callable] = []
outline_badges: list[Callable] = []
dashboard_badges: list[Callable] = []
course_links: list[Callable] = []
course_exporters: list[Callable] = []
course_importers: list[Callable] = []
lesson_source_changed: list[Callable] = []
lesson_source_change_preview: list[Callable] = []
content_unpublished: list[Callable] = []
lesson_admin_actions: list[Callable] = []


def collect_panels(request, course, lesson) -> list[Panel]:
    return [panel for hook in lesson_panels for panel in hook(request, course, lesson)]


def collect_course_panels(request, course) -> list[Panel]:
    return [panel for hook in course_panels for panel in hook(request, course)]


def completion_block_reason(course, lesson) -> str | None:
    for gate in completion_gates:
        reason = gate(course, lesson)
        if reason:
            return reason
    return None


def collect_outline_badges(request, course) -> dict:
    badges: dict = {}
    for hook in outline_badges:
        badges.update(hook(request, course))
    return badges


def collect_dashboard_badges(user, course_ids) -> dict:
    badges: dict = {}
    for hook in dashboard_badges:
        for course_id, items in hook(user, course_ids).items():
            badges.setdefault(course_id, []).extend(items)
    return badges


def collect_course_links(user, courses) -> dict:
    links: dict = {}
    for hook in course_links:
        for course_id, items in hook(user, courses).items():
            links.setdefault(course_id, []).extend(items)
    return links


def notify_lesson_source_changed(course, lessons) -> None:
    if lessons:
        for hook in lesson_source_changed:
            hook(course, lessons)


def notify_content_unpublished(*, lesson_ids=(), course_ids=()) -> None:
    lesson_ids, course_ids = list(lesson_ids), list(course_ids)
    if lesson_ids or course_ids:
        for hook in content_unpublished:
            hook(lesson_ids, course_ids)
