"""Admin for courses, modules and lessons: declarations; writes go through services."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons import services
from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["position", "title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    ordering = ["position"]
    show_change_link = True


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["position", "title", "slug", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    ordering = ["position"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
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

    @admin.display(description=_("lessons"), ordering="_lesson_count")
    def lesson_count(self, obj):
        return obj._lesson_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.course_touch(course=form.instance)

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
            ngettext("%d course unpublished.", "%d courses unpublished.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_display_links = ["title"]
    list_editable = ["position"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["title", "course__title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline]
    ordering = ["course", "position"]

    def save_formset(self, request, form, formset, change):
        # Lessons added inline belong to the module's course.
        for lesson_form in formset.forms:
            lesson = lesson_form.instance
            if isinstance(lesson, Lesson) and not lesson.course_id:
                lesson.course_id = form.instance.course_id
        super().save_formset(request, form, formset, change)
        services.course_touch(course=form.instance.course)


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "module", "position", "is_published", "updated_at"]
    list_display_links = ["title"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published", "course"]
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

    def save_model(self, request, obj, form, change):
        services.lesson_render(lesson=obj)
        super().save_model(request, obj, form, change)
        services.course_touch(course=obj.course)

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
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "enrolled_at", "last_activity_at"]
    list_filter = ["course"]
    list_select_related = ["user", "course"]
    search_fields = ["user__username", "user__email", "course__title"]
    raw_id_fields = ["user", "last_lesson"]
    date_hierarchy = "enrolled_at"


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "status", "started_at", "completed_at"]
    list_filter = ["status", "course"]
    list_select_related = ["user", "lesson"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]
