"""Courses, their modules and lessons, and each student's enrolment and progress.

A course is built from a source document (see ``lessons.importing``): each top-level
section becomes a :class:`Module`, each section or sub-section a :class:`Lesson`.
Lessons keep their provenance (source heading, position, checksum) so that
re-importing an edited document updates them in place.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lessons.course_facts import reading_minutes


class CourseContentQuerySet(models.QuerySet):
    """Rows of a course's content (lessons, quizzes): published ones for everyone,
    and every row of the courses a user teaches (``lessons.access``)."""

    # The lookup from a row to its course's primary key.
    course_lookup = "course"

    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        # Imported here: ``lessons.access`` reads these models.
        from lessons.access import published_or_taught

        return published_or_taught(self, user=user, course_path=self.course_lookup)


class CourseQuerySet(CourseContentQuerySet):
    """Courses a user may open: published ones; superusers see all, and
    instructors also their own unpublished courses."""

    course_lookup = "pk"


class Course(models.Model):
    """A course: an ordered list of modules, each an ordered list of lessons."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="courses_taught",
        verbose_name=_("instructors"),
    )
    completion_requires_quiz = models.BooleanField(
        _("completion requires passing the lesson quiz"),
        default=False,
        help_text=_(
            "When on, a lesson with a quiz is completed by passing the quiz, not by "
            "the Mark complete button."
        ),
    )
    source_name = models.CharField(_("source document"), max_length=255, blank=True)
    source_format = models.CharField(_("source format"), max_length=20, blank=True)
    # What the instructor adjusted when importing the document (the chosen title,
    # sections' levels, merges, renames, by heading), re-applied to a new version
    # by "Update from a new version" (lessons.document_import).
    import_adjustments = models.JSONField(
        _("adjustments kept for updates"), default=dict, blank=True
    )
    # Counts edits of the course's content (lessons.services.course_touch). Caches
    # do not use it: coursesite.cache keeps a generation per course.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lessons:course-detail", kwargs={"course_slug": self.slug})


class Module(models.Model):
    """A group of lessons: a top-level section of the source document."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="modules",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    source_heading = models.CharField(_("source heading"), max_length=300, blank=True)

    class Meta:
        ordering = ["course_id", "position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="module_unique_slug_per_course"
            ),
        ]

    def __str__(self):
        return self.title


class LessonQuerySet(CourseContentQuerySet):
    pass


class Lesson(models.Model):
    """One section of the source document, rendered from Markdown.

    ``body_html`` is rendered once from ``body_markdown`` and stored sanitised
    (``lessons.rendering``); templates print it as is.
    """

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("course"),
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    body_markdown = models.TextField(_("body (Markdown)"), blank=True)
    body_html = models.TextField(_("body (rendered HTML)"), blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # Provenance: where in the source document this lesson came from.
    source_heading = models.CharField(_("source heading"), max_length=300, blank=True)
    source_position = models.PositiveIntegerField(_("source position"), default=0)
    source_checksum = models.CharField(_("source checksum"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["course_id", "module__position", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="lesson_unique_slug_per_course"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "lessons:lesson-detail",
            kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug},
        )

    def clean(self):
        # The outline groups a course's lessons under the course's own modules: a
        # lesson filed under another course's module would vanish from both.
        if (
            self.course_id
            and self.module_id
            and self.module.course_id != self.course_id
        ):
            raise ValidationError(
                {"module": _("This module belongs to another course.")}
            )

    @property
    def reading_minutes(self) -> int:
        """Reading time (``lessons.course_facts``), at least one minute."""
        return max(1, reading_minutes(self.word_count))


class Enrollment(models.Model):
    """A student taking a course."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("user"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # Last lesson the student opened: where "Continue" falls back to.
    last_lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last lesson"),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # The course total as the gradebook computes it (0..1, the weighted mean of
    # the quiz grades), stored so the gradebook sorts by it in the database. The
    # staff area keeps it current after every grade and quiz change
    # (teach/gradebook_totals.py); None until the student's first grade.
    grade_total = models.FloatField(_("course total"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="enrollment_unique_user_course"
            ),
        ]
        indexes = [
            models.Index(
                fields=["course", "grade_total"], name="enrollment_course_total"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    """A student's progress through one lesson: started, then completed."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("user"),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("lesson"),
    )
    # Denormalised from lesson.course so per-course progress is one indexed query.
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTED
    )
    started_at = models.DateTimeField(_("started"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="progress_unique_user_lesson"
            ),
            models.CheckConstraint(
                condition=Q(status="started", completed_at__isnull=True)
                | Q(status="completed", completed_at__isnull=False),
                name="progress_completed_has_timestamp",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "course", "status"], name="progress_user_course"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson} · {self.status}"
