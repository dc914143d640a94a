"""Writes for courses, lessons and progress: one function per state change.

Every function is keyword-only, atomic, and safe to call twice (a double click on
"Mark complete" or "Enrol" changes nothing the second time).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from coursesite import cache as site_cache
from lessons import hooks
from lessons.importing import ParsedDocument, diff_lessons
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.rendering import count_words, render_lesson


def lesson_render(*, lesson: Lesson) -> None:
    """Render the lesson's Markdown into its stored HTML (does not save)."""
    lesson.body_html = render_lesson(lesson.body_markdown)
    lesson.word_count = count_words(lesson.body_markdown)


def course_touch(*, course: Course) -> None:
    """Mark the course's content as changed: ``content_version`` goes up, and
    once the transaction commits every cached page of the course is rebuilt."""
    courses_touch(course_ids=[course.pk])
    course.refresh_from_db(fields=["slug", "content_version", "updated_at"])


def courses_touch(*, course_ids: Iterable[int]) -> None:
    """``course_touch`` for several courses (ids of deleted ones are fine)."""
    course_ids = {pk for pk in course_ids if pk}
    Course.objects.filter(pk__in=course_ids).update(
        content_version=F("content_version") + 1, updated_at=timezone.now()
    )
    site_cache.course_content_changed(course_ids)


@transaction.atomic
def course_save(*, course: Course) -> None:
    """Save a course edited by hand (the admin form). Its modules and lessons
    written in the same transaction are covered too: caches move on at commit."""
    course.save()
    course_touch(course=course)


@transaction.atomic
def courses_delete(*, course_ids: Iterable[int]) -> int:
    """Delete courses with their content; their cached pages die with them."""
    course_ids = list(course_ids)
    count = 0
    for course in Course.objects.filter(pk__in=course_ids):
        course.delete()
        count += 1
    site_cache.course_content_changed(course_ids)
    return count


def course_delete(*, course: Course) -> None:
    courses_delete(course_ids=[course.pk])


def _course_id_in_database(model, pk) -> int | None:
    if pk is None:
        return None
    return model.objects.filter(pk=pk).values_list("course_id", flat=True).first()


@transaction.atomic
def module_save(*, module: Module) -> None:
    """Save a module edited by hand; moved to another course, both courses'
    content changes (the old one loses it, the new one gains it)."""
    before = _course_id_in_database(Module, module.pk)
    module.save()
    courses_touch(course_ids={before, module.course_id})


@transaction.atomic
def lesson_save(*, lesson: Lesson) -> None:
    """Render and save a lesson edited by hand; moved to another course, both
    courses' content changes."""
    before = _course_id_in_database(Lesson, lesson.pk)
    lesson_render(lesson=lesson)
    lesson.save()
    courses_touch(course_ids={before, lesson.course_id})


def course_rows_delete(queryset) -> tuple[int, set[int]]:
    """Delete the rows of ``queryset`` (rows with a ``course_id``) one by one, so
    each row's own ``delete`` and cascades run; how many, and their courses (for
    the caller's flush). The caller holds the transaction."""
    rows = list(queryset)
    for row in rows:
        row.delete()
    return len(rows), {row.course_id for row in rows}


@transaction.atomic
def modules_delete(*, module_ids: Iterable[int]) -> int:
    count, course_ids = course_rows_delete(Module.objects.filter(pk__in=module_ids))
    courses_touch(course_ids=course_ids)
    return count


@transaction.atomic
def lessons_delete(*, lesson_ids: Iterable[int]) -> int:
    count, course_ids = course_rows_delete(Lesson.objects.filter(pk__in=lesson_ids))
    courses_touch(course_ids=course_ids)
    return count


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
            if report.removed:
                hooks.notify_content_unpublished(
                    lesson_ids=Lesson.objects.filter(
                        course=course, slug__in=report.removed
                    ).values_list("pk", flat=True)
                )
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
    # Any write can change the outline (titles, order, what is published).
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


def _learners_changed(pairs) -> None:
    for user_id, course_id in {pair for pair in pairs if pair}:
        site_cache.learner_changed(user_id=user_id, course_id=course_id)


@transaction.atomic
def learner_row_save(*, row: Enrollment | LessonProgress) -> None:
    """Save an enrolment or a progress row edited by hand (the admin): the
    student's state in the course, before and after, is rebuilt at commit."""
    model = type(row)
    before = (
        model.objects.filter(pk=row.pk).values_list("user_id", "course_id").first()
        if row.pk
        else None
    )
    row.save()
    _learners_changed([before, (row.user_id, row.course_id)])


@transaction.atomic
def learner_rows_delete(*, model, row_ids) -> int:
    """Delete enrolments or progress rows (the admin); the students' states in
    those courses are rebuilt at commit."""
    rows = model.objects.filter(pk__in=list(row_ids))
    pairs = list(rows.values_list("user_id", "course_id"))
    count = len(pairs)
    for row in rows:
        row.delete()
    _learners_changed(pairs)
    return count


def enrollment_create(*, user, course: Course) -> Enrollment:
    """Enrol a user in a course; enrolling twice returns the same enrolment."""
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(
                user=user, course=course
            )
            if created:
                hooks.notify_enrolled(enrollment)
    except IntegrityError:  # a concurrent request enrolled first
        enrollment = Enrollment.objects.get(user=user, course=course)
    site_cache.learner_changed(user_id=user.pk, course_id=course.pk)
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
    site_cache.learner_changed(user_id=user.pk, course_id=lesson.course_id)


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
    site_cache.learner_changed(user_id=user.pk, course_id=lesson.course_id)
    return progress


@transaction.atomic
def course_set_published(*, course_ids, published: bool) -> int:
    count = Course.objects.filter(pk__in=course_ids).update(
        is_published=published, updated_at=timezone.now()
    )
    courses_touch(course_ids=course_ids)
    if not published:
        hooks.notify_content_unpublished(course_ids=course_ids)
    return count


@transaction.atomic
def lesson_set_published(*, lesson_ids, published: bool) -> int:
    course_ids = set(
        Lesson.objects.filter(pk__in=lesson_ids).values_list("course_id", flat=True)
    )
    count = Lesson.objects.filter(pk__in=lesson_ids).update(
        is_published=published, updated_at=timezone.now()
    )
    courses_touch(course_ids=course_ids)
    if not published:
        hooks.notify_content_unpublished(lesson_ids=lesson_ids)
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
