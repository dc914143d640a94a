"""Admin for courses, modules and lessons: declarations; writes go through services.

Instructors (staff in the "Instructors" group) see only the courses they teach:
every course-related admin here and in ``quizzes.admin`` mixes in
:class:`CourseScopedMixin`, which narrows querysets, foreign-key choices and so
also actions through ``lessons.access.courses_taught_by``. Superusers see
everything.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coursesite.admin_labels import LabelledFieldsMixin
from lessons import hooks, services
from lessons.access import (
    courses_taught_by,
    scope_to_courses_taught,
    teachers,
    teaches_every_course,
)
from lessons.markdown_guard import markdown_problems, validate_markdown
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.rendering import count_words, render_lesson


def course_path_of(admin_site, model) -> str | None:
    """The lookup from ``model`` to its course, if its admin is course-scoped."""
    try:
        model_admin = admin_site.get_model_admin(model)
    except NotRegistered:
        return None
    return getattr(model_admin, "course_path", None)


class CourseScopedMixin(LabelledFieldsMixin):
    """Limits a ModelAdmin or inline to the courses the user teaches.

    ``course_path`` is the lookup from the model to its course. The changelist,
    change and delete pages (``get_object`` goes through ``get_queryset``), actions
    (they receive ``get_queryset``'s rows only) and the choices of every foreign key
    or many-to-many to another course-scoped model are all narrowed, so another
    course's rows are neither listed, opened, acted on nor linked to.
    """

    course_path = "course"

    def get_queryset(self, request):
        return scope_to_courses_taught(
            super().get_queryset(request),
            user=request.user,
            course_path=self.course_path,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs) -> None:
        if "queryset" in kwargs:
            return
        model = db_field.related_model
        course_path = course_path_of(self.admin_site, model)
        if course_path is None:
            return
        queryset = model._default_manager.all()
        ordering = self.admin_site.get_model_admin(model).get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        kwargs["queryset"] = scope_to_courses_taught(
            queryset, user=request.user, course_path=course_path
        )


class UserPagesMixin:
    """Never link to the admin's user pages for someone who may not open them.

    Instructors hold no permission on users: a raw-id lookup, the name linked
    to the user's change page, or a read-only user field would all lead to a
    403. For them a user field is a plain menu (its choices scoped by the
    admin), and a read-only one shows the name without a link.
    """

    user_fields = ("user",)

    @staticmethod
    def _may_open_user_pages(request) -> bool:
        return request.user.has_perm("auth.view_user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.user_fields and not self._may_open_user_pages(request):
            kwargs.setdefault("widget", forms.Select)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _read_only_users(self, request, obj) -> set[str]:
        if obj is None or self._may_open_user_pages(request):
            return set()
        if self.has_change_permission(request, obj):
            readonly = set(super().get_readonly_fields(request, obj))
        else:
            readonly = set(self.user_fields)  # a view-only form: every field
        return readonly & set(self.user_fields)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        swap = self._read_only_users(request, obj)
        return ["user_name" if name in swap else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._read_only_users(request, obj):
            readonly = [n for n in readonly if n not in self.user_fields]
            readonly.append("user_name")
        return readonly

    @admin.display(description=_("user"))
    def user_name(self, obj):
        return str(obj.user)


class TaughtCourseFilter(admin.RelatedFieldListFilter):
    """The "By course" filter, offering only the courses the user teaches."""

    def field_choices(self, field, request, model_admin):
        return [
            (course.pk, str(course))
            for course in courses_taught_by(request.user).order_by("title")
        ]


class ReorderableInlineMixin:
    """Adds "move up"/"move down" buttons that renumber the rows' positions."""

    class Media:
        js = ["js/inline-reorder.js"]
        css = {"all": ["css/admin-authoring.css"]}


class ModuleInline(CourseScopedMixin, ReorderableInlineMixin, admin.TabularInline):
    model = Module
    fields = ["position", "title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    ordering = ["position"]
    show_change_link = True


class LessonInline(CourseScopedMixin, ReorderableInlineMixin, admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    ordering = ["position"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(CourseScopedMixin, admin.ModelAdmin):
    course_path = "pk"
    list_display = ["title", "slug", "is_published", "lesson_count", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["instructors"]
    readonly_fields = ["source_name", "source_format", "created_at", "updated_at"]
    inlines = [ModuleInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_lesson_count=Count("lessons"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Who teaches a course is the administrators' call: an instructor can
            # neither add themselves to a course nor remove a colleague.
            fields.append("instructors")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "instructors":
            kwargs["queryset"] = teachers()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("lessons"), ordering="_lesson_count")
    def lesson_count(self, obj):
        return obj._lesson_count

    # Writes go through services, which mark the content changed; the change
    # view is one transaction, so its inlines are covered too.
    def save_model(self, request, obj, form, change):
        services.course_save(course=obj)

    def delete_model(self, request, obj):
        services.course_delete(course=obj)

    def delete_queryset(self, request, queryset):
        services.courses_delete(course_ids=list(queryset.values_list("pk", flat=True)))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not teaches_every_course(request.user):
            # A course an instructor creates is theirs, or they could not open it.
            services.course_add_instructor(course=form.instance, user=request.user)

    @admin.action(description=_("Publish selected courses"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.course_set_published(
            course_ids=list(queryset.values_list("pk", flat=True)), published=True
        )
        self.message_user(
            request,
            ngettext("%d course published.", "%d courses published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected courses"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.course_set_published(
            course_ids=list(queryset.values_list("pk", flat=True)), published=False
        )
        self.message_user(
            request,
            ngettext("%d course unpublished.", "%d courses unpublished.", count)
            % count,
            messages.SUCCESS,
        )


@admin.register(Module)
class ModuleAdmin(CourseScopedMixin, admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = [("course", TaughtCourseFilter)]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline]
    ordering = ["course", "position"]

    def save_model(self, request, obj, form, change):
        # Also reached from the changelist's editable "position" column. The
        # service marks the old and the new course's content changed; the inline
        # lessons are saved in the same transaction.
        services.module_save(module=obj)

    def save_formset(self, request, form, formset, change):
        # Lessons added inline belong to the module's course.
        for lesson_form in formset.forms:
            lesson = lesson_form.instance
            if isinstance(lesson, Lesson) and not lesson.course_id:
                lesson.course_id = form.instance.course_id
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.modules_delete(module_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.modules_delete(module_ids=list(queryset.values_list("pk", flat=True)))


class LessonAdminForm(forms.ModelForm):
    # The admin supplies the model and the fields.

    def clean_body_markdown(self):
        body = self.cleaned_data.get("body_markdown", "")
        validate_markdown(body)
        return body


@admin.register(Lesson)
class LessonAdmin(CourseScopedMixin, admin.ModelAdmin):
    form = LessonAdminForm
    list_display = [
        "title",
        "course",
        "module",
        "position",
        "is_published",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published", ("course", TaughtCourseFilter)]
    list_select_related = ["course", "module"]
    search_fields = ["title", "body_markdown", "source_heading"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["course", "module__position", "position"]
    readonly_fields = [
        "source_heading",
        "source_position",
        "source_checksum",
        "word_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["course", "module", "title", "slug", "position"]}),
        (None, {"fields": ["is_published", "body_markdown"]}),
        (
            _("Provenance"),
            {"classes": ["collapse"], "fields": readonly_fields},
        ),
    ]
    actions = ["publish", "unpublish"]

    class Media:
        # The change form (templates/admin/lessons/lesson/change_form.html) holds
        # the preview pane; the script fills it as the instructor types.
        js = ["js/markdown-preview.js"]
        css = {"all": ["css/admin-authoring.css"]}

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        # Actions other apps offer on lessons (e.g. drafting questions from the
        # text), filtered by their permissions as Django filters its own.
        for action in hooks.lesson_admin_actions:
            func, name, description = self.get_action(action)
            needed = getattr(func, "allowed_permissions", ())
            if all(getattr(self, f"has_{p}_permission")(request) for p in needed):
                actions[name] = (func, name, description)
        return actions

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="lessons_lesson_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """The Markdown posted as ``text``, rendered exactly as students will see
        it (same renderer, same sanitiser), as JSON ``{"html", "words"}``.

        Staff only (``admin_view``), POST with a CSRF token (``admin_view`` wraps
        it in ``csrf_protect``), and only for users who may write lessons. Text the
        Markdown guard refuses answers 400 with ``{"error"}``, the guard's message.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        text = request.POST.get("text", "")
        # The guard's problems, not a rendering: text it refuses is never rendered,
        # and the answer comes at once, whatever the text.
        problems = markdown_problems(text)
        if problems:
            return JsonResponse({"error": " ".join(problems)}, status=400)
        return JsonResponse({"html": render_lesson(text), "words": count_words(text)})

    def save_model(self, request, obj, form, change):
        services.lesson_save(lesson=obj)

    def delete_model(self, request, obj):
        services.lessons_delete(lesson_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.lessons_delete(lesson_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description=_("Publish selected lessons"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected lessons"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        count = services.lesson_set_published(
            lesson_ids=list(queryset.values_list("pk", flat=True)), published=published
        )
        self.message_user(
            request,
            ngettext("%d lesson updated.", "%d lessons updated.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Enrollment)
class EnrollmentAdmin(UserPagesMixin, CourseScopedMixin, admin.ModelAdmin):
    list_display = ["user", "course", "enrolled_at", "last_activity_at"]
    list_filter = [("course", TaughtCourseFilter)]
    list_select_related = ["user", "course"]
    search_fields = ["user__username", "user__email", "course__title"]
    raw_id_fields = ["user", "last_lesson"]
    date_hierarchy = "enrolled_at"

    def save_model(self, request, obj, form, change):
        services.learner_row_save(row=obj)

    def delete_model(self, request, obj):
        services.learner_rows_delete(model=Enrollment, row_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.learner_rows_delete(
            model=Enrollment, row_ids=list(queryset.values_list("pk", flat=True))
        )


@admin.register(LessonProgress)
class LessonProgressAdmin(UserPagesMixin, CourseScopedMixin, admin.ModelAdmin):
    list_display = ["user", "lesson", "status", "started_at", "completed_at"]
    list_filter = ["status", ("course", TaughtCourseFilter)]
    list_select_related = ["user", "lesson"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]

    def save_model(self, request, obj, form, change):
        services.learner_row_save(row=obj)

    def delete_model(self, request, obj):
        services.learner_rows_delete(model=LessonProgress, row_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.learner_rows_delete(
            model=LessonProgress, row_ids=list(queryset.values_list("pk", flat=True))
        )
