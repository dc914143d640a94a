"""Writes for courses, lessons and progress: one function per state change.

Every function is keyword-only, atomic, and safe to call twice (a double click on
"Mark complete" or "Enrol" changes nothing the second time).
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from lessons import hooks
from lessons.importing import ParsedDocument, diff_lessons
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.rendering import count_words, render_markdown
from lessons.selectors import course_version_key, learner_state_key


def lesson_render(*, lesson: Lesson) -> None:
    """Render the lesson's Markdown into its stored HTML (does not save)."""
    lesson.body_html = render_markdown(lesson.body_markdown)
    lesson.word_count = count_words(lesson.body_markdown)


def course_touch(*, course: Course) -> None:
    """Mark the course's content as changed, so cached outlines are rebuilt."""
    Course.objects.filter(pk=course.pk).update(
        content_version=F("content_version") + 1, updated_at=timezone.now()
    )
    course.refresh_from_db(fields=["slug", "content_version", "updated_at"])
    course_versions_forget(course_ids=[course.pk])


def course_versions_forget(*, course_ids) -> None:
    """Drop the cached content versions of these courses (cached lesson pages are
    keyed by them), now and once the current write commits."""
    slugs = list(
        Course.objects.filter(pk__in=course_ids).values_list("slug", flat=True)
    )
    keys = [course_version_key(slug) for slug in slugs]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def course_old_slug_forget(*, slug: str) -> None:
    """Drop the cached content version under a slug the course no longer has: it
    would keep the old address serving cached lesson pages (as they were before
    the change, published or not) until it expired."""
    key = course_version_key(slug)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


@dataclass
class ImportReport:
    course_slug: str
    created: bool
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Modules or lessons renamed or moved without a change to any lesson body.
    restructured: bool = False
    dry_run: bool = False

    @property
    def has_changes(self) -> bool:
        return (
            self.created
            or self.restructured
            or bool(self.added or self.changed or self.removed)
        )


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""


def course_import(
    *,
    parsed: ParsedDocument,
    slug: str | None = None,
    title: str | None = None,
    publish: bool = False,
    source_name: str = "",
    dry_run: bool = False,
    raw_export: dict | None = None,
) -> ImportReport:
    """Create a course from a parsed document, or update it in place.

    Lessons are matched by slug (derived from their heading). A lesson whose
    checksum changed is updated in place, so its URL and every student's progress
    stay. Sections that disappeared from the document are unpublished, not deleted:
    progress and quiz links survive, and an instructor can delete them in the admin.

    ``raw_export`` is the whole JSON of a course export; the apps registered in
    ``hooks.course_importers`` read their parts of it (quizzes, questions) inside
    the same transaction, so a bad part rolls the whole import back.
    """
    slug = slug or slugify(title or parsed.title)[:200] or "course"
    report = ImportReport(course_slug=slug, created=False, dry_run=dry_run)
    try:
        with transaction.atomic():
            course, source_changed = _import_into(
                parsed=parsed,
                slug=slug,
                title=title or parsed.title,
                publish=publish,
                source_name=source_name,
                report=report,
            )
            # Inside the transaction: a failing hook rolls the import back, and a
            # dry run rolls back what the hooks wrote too.
            hooks.notify_lesson_source_changed(course, source_changed)
            if raw_export is not None:
                for importer in hooks.course_importers:
                    importer(course, raw_export)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_into(
    *, parsed, slug, title, publish, source_name, report
) -> tuple[Course, list[Lesson]]:
    """Write the parsed document; return the course and the existing lessons
    whose source text changed (the ones ``hooks.lesson_source_changed`` hears of)."""
    course = Course.objects.select_for_update().filter(slug=slug).first()
    if course is None:
        course = Course.objects.create(
            slug=slug,
            title=title,
            is_published=publish,
            source_name=source_name,
            source_format=parsed.source_format,
        )
        report.created = True
    elif publish and not course.is_published:
        course.is_published = True
        course.save(update_fields=["is_published", "updated_at"])

    existing = {lesson.slug: lesson for lesson in course.lessons.all()}
    changes = diff_lessons(
        {s: lesson.source_checksum for s, lesson in existing.items()},
        {lesson.slug: lesson.checksum for lesson in parsed.lessons()},
    )
    # A section that comes back after it was removed (and so unpublished) is added
    # again as far as students can tell, whether or not its text changed.
    returning = {
        s
        for s in (*changes.changed, *changes.unchanged)
        if not existing[s].is_published
    }
    report.added = [
        lesson.slug
        for lesson in parsed.lessons()
        if lesson.slug not in existing or lesson.slug in returning
    ]
    report.changed = [s for s in changes.changed if s not in returning]
    report.removed = [s for s in changes.removed if existing[s].is_published]
    report.unchanged = [s for s in changes.unchanged if s not in returning]

    modules = {module.slug: module for module in course.modules.all()}
    wrote = False
    for module_position, parsed_module in enumerate(parsed.modules):
        module = modules.get(parsed_module.slug)
        if module is None:
            module = Module.objects.create(
                course=course,
                slug=parsed_module.slug,
                title=parsed_module.title,
                position=module_position,
                source_heading=parsed_module.source_heading,
            )
            wrote = True
        else:
            wanted = {
                "title": parsed_module.title,
                "position": module_position,
                "source_heading": parsed_module.source_heading,
            }
            # Only what differs is written: re-importing an unchanged document
            # must not write at all.
            stale = [
                name for name, value in wanted.items() if getattr(module, name) != value
            ]
            if stale:
                for name in stale:
                    setattr(module, name, wanted[name])
                module.save(update_fields=stale)
                wrote = True
        for lesson_position, parsed_lesson in enumerate(parsed_module.lessons):
            wrote |= _lesson_upsert(
                course=course,
                module=module,
                position=lesson_position,
                parsed=parsed_lesson,
                existing=existing.get(parsed_lesson.slug),
            )
    for slug_removed in changes.removed:
        lesson = existing[slug_removed]
        if lesson.is_published:
            lesson.is_published = False
            lesson.save(update_fields=["is_published", "updated_at"])
            wrote = True
    report.restructured = wrote and not report.has_changes
    # Any write can change the outline (titles, order, what is published), and the
    # cached outline is keyed by content_version.
    if wrote:
        course_touch(course=course)
    return course, [existing[s] for s in changes.changed]


def _lesson_upsert(*, course, module, position, parsed, existing) -> bool:
    """Create or update one lesson; return whether anything was written."""
    lesson = existing or Lesson(course=course, slug=parsed.slug)
    unchanged = (
        existing is not None
        and existing.source_checksum == parsed.checksum
        and existing.title == parsed.title
        and existing.module_id == module.pk
        and existing.position == position
        and existing.source_position == parsed.position
        and existing.source_heading == parsed.source_heading
        and existing.is_published
    )
    if unchanged:
        return False
    lesson.module = module
    lesson.title = parsed.title
    lesson.position = position
    lesson.is_published = True
    lesson.source_heading = parsed.source_heading
    lesson.source_position = parsed.position
    if lesson.source_checksum != parsed.checksum:
        lesson.body_markdown = parsed.body_markdown
        lesson.source_checksum = parsed.checksum
        lesson_render(lesson=lesson)
    lesson.save()
    return True


def learner_state_forget(*, user_id: int, course_id: int) -> None:
    """Drop the cached learner state after a write that changes it (once the
    write is committed, so no reader can cache the old state again)."""
    key = learner_state_key(user_id, course_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def enrollment_create(*, user, course: Course) -> Enrollment:
    """Enrol a user in a course; enrolling twice returns the same enrolment."""
    try:
        with transaction.atomic():
            enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
    except IntegrityError:  # a concurrent request enrolled first
        enrollment = Enrollment.objects.get(user=user, course=course)
    learner_state_forget(user_id=user.pk, course_id=course.pk)
    return enrollment


def lesson_start(*, user, lesson: Lesson, enrollment: Enrollment | None = None) -> None:
    """Record that the user opened a lesson (first visit starts it)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            LessonProgress.objects.get_or_create(
                user=user,
                lesson=lesson,
                defaults={"course_id": lesson.course_id, "started_at": now},
            )
    except IntegrityError:
        pass
    if enrollment is not None and enrollment.last_lesson_id != lesson.pk:
        enrollment.last_lesson = lesson
        enrollment.last_activity_at = now
        enrollment.save(update_fields=["last_lesson", "last_activity_at"])
    learner_state_forget(user_id=user.pk, course_id=lesson.course_id)


def lesson_complete(*, user, lesson: Lesson) -> LessonProgress:
    """Mark a lesson complete for a user; completing it again keeps the first time
    and writes nothing.

    Safe under a double click: the row is created once (unique constraint) and
    updated under a row lock.
    """
    done = LessonProgress.Status.COMPLETED
    existing = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if existing is not None and existing.status == done:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            progress = LessonProgress.objects.create(
                user=user,
                lesson=lesson,
                course_id=lesson.course_id,
                started_at=now,
                status=done,
                completed_at=now,
            )
    except IntegrityError:  # the student had started (or completed) it already
        with transaction.atomic():
            progress = LessonProgress.objects.select_for_update().get(
                user=user, lesson=lesson
            )
            if progress.status != done:
                progress.status = done
                progress.completed_at = now
                progress.save(update_fields=["status", "completed_at"])
    Enrollment.objects.filter(user=user, course_id=lesson.course_id).update(
        last_activity_at=now
    )
    learner_state_forget(user_id=user.pk, course_id=lesson.course_id)
    return progress


def course_set_published(*, course_ids, published: bool) -> int:
    count = Course.objects.filter(pk__in=course_ids).update(
        is_published=published,
        content_version=F("content_version") + 1,
        updated_at=timezone.now(),
    )
    course_versions_forget(course_ids=course_ids)
    return count


def lesson_set_published(*, lesson_ids, published: bool) -> int:
    course_ids = set(
        Lesson.objects.filter(pk__in=lesson_ids).values_list("course_id", flat=True)
    )
    count = Lesson.objects.filter(pk__in=lesson_ids).update(
        is_published=published, updated_at=timezone.now()
    )
    Course.objects.filter(pk__in=course_ids).update(
        content_version=F("content_version") + 1, updated_at=timezone.now()
    )
    course_versions_forget(course_ids=course_ids)
    return count


DEMO_ACCOUNTS = (
    # role, username, password: printed by `make run`; created only with DEBUG on.
    ("student", "student", "student-demo-1"),
    ("instructor", "instructor", "instructor-demo-1"),
    ("admin", "admin", "admin-demo-1"),
)


@transaction.atomic
def demo_accounts_ensure() -> tuple[tuple[str, str, str], ...]:
    """Create the demo accounts if missing; the instructor teaches every course.

    Running it again changes nothing (existing accounts keep their passwords).
    """
    from django.contrib.auth.models import Group, User

    from lessons.roles import INSTRUCTORS_GROUP

    for role, username, password in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                email=f"{username}@example.com",
                is_staff=role in {"instructor", "admin"},
                is_superuser=role == "admin",
            )
            user.set_password(password)
            user.save()
        if role == "instructor":
            group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
            user.groups.add(group)
            for course in Course.objects.all():
                course.instructors.add(user)
    return DEMO_ACCOUNTS


def course_add_instructor(*, course: Course, user) -> None:
    """Make ``user`` one of the course's instructors (adding them twice is a no-op)."""
    course.instructors.add(user)
