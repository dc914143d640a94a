"""Admin for questions and quizzes: declarations; writes go through services.

Every admin here is course-scoped (``lessons.admin.CourseScopedMixin``): an
instructor sees the questions, quizzes, overrides and attempts of the courses they
teach, and picks lessons, modules and questions from those courses only.
"""

import copy
import json
import random
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.access import students_taught_by
from lessons.admin import (
    CourseScopedMixin,
    ReorderableInlineMixin,
    TaughtCourseFilter,
    UserPagesMixin,
)
from quizzes import moodle_options, presenting, selectors, services
from quizzes.admin_forms import (
    AnswerInlineFormSet,
    QuestionAdminForm,
    QuizAdminForm,
    QuizQuestionInlineFormSet,
    type_help_html,
)
from quizzes.admin_upload import gift_upload_view
from quizzes.banks import gift_export
from quizzes.models import (
    Accommodation,
    Answer,
    Attempt,
    Question,
    Quiz,
    QuizOverride,
    QuizQuestion,
    Response,
)
from quizzes.snapshots import question_snapshot

# Moodle's question options (quizzes.moodle_options), in the editor's order.
MOODLE_OPTION_FIELDS = [
    "idnumber",
    "penalty",
    "hints",
    "shuffle_answers",
    "answer_numbering",
    *moodle_options.COMBINED_FEEDBACK,
    "show_num_correct",
]


class StudentChoicesMixin:
    """Student pickers list only the students of the courses the user teaches."""

    student_fields = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.student_fields:
            kwargs["queryset"] = students_taught_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --------------------------------------------------------------------------
# Questions


class AnswerInline(CourseScopedMixin, ReorderableInlineMixin, admin.TabularInline):
    model = Answer
    course_path = "question__course"
    formset = AnswerInlineFormSet
    extra = 0
    fields = [
        "position",
        "text",
        "match_text",
        "fraction",
        "feedback",
        "number",
        "tolerance",
        "number_max",
    ]
    ordering = ["position", "id"]
    # Rows fit the window: short boxes that grow with the text (the matching
    # answer is a box too, never cut off), narrow number fields.
    TEXT_BOXES = {"text", "match_text", "feedback"}
    NUMBERS = {"position", "fraction", "number", "tolerance", "number_max"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.TEXT_BOXES:
            kwargs["widget"] = forms.Textarea(
                attrs={"rows": 2, "cols": 20, "class": "answer-text"}
            )
        elif db_field.name in self.NUMBERS:
            step = "1" if db_field.name == "position" else "any"
            kwargs["widget"] = forms.NumberInput(
                attrs={"class": "answer-number", "step": step}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_extra(self, request, obj=None, **kwargs):
        # A new question starts with empty rows to fill in; unused ones are ignored.
        return 4 if obj is None else 0


def _findings_html(findings, *, with_fields: bool = False):
    """Findings as a list the admin shows (escaped: evidence quotes the author)."""
    return render_to_string(
        "admin/quizzes/_check_findings.html",
        {"rows": [(f, "") for f in findings], "with_fields": with_fields},
    )


@admin.register(Question)
class QuestionAdmin(CourseScopedMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    change_list_template = "admin/quizzes/question/change_list.html"
    list_display = [
        "__str__",
        "type",
        "course",
        "lesson",
        "is_published",
        "needs_review",
        "version",
    ]
    list_filter = [
        "needs_review",
        "is_published",
        "type",
        ("course", TaughtCourseFilter),
    ]
    list_select_related = ["course", "lesson"]
    search_fields = ["key", "title", "text"]
    inlines = [AnswerInline]

    def get_urls(self):
        upload = self.admin_site.admin_view(partial(gift_upload_view, model_admin=self))
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("import-gift/", upload, name="quizzes_question_import_gift"),
            path("<path:object_id>/preview/", preview, name="quizzes_question_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The question as a student sees it on the attempt page (the same
        partial), answers never shown: for those who may view the question."""
        question = self.get_object(request, object_id)  # scoped to courses taught
        if question is None:
            raise Http404
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        snap = question_snapshot(
            question, rng=random.Random(question.pk), shuffle_options=True
        )
        return TemplateResponse(
            request,
            "admin/quizzes/question/preview.html",
            {
                "question": question,
                "q": presenting.question_preview(snap, max_mark=question.default_mark),
                "change_url": reverse(
                    "admin:quizzes_question_change", args=[question.pk]
                ),
            },
        )

    readonly_fields = [
        "question_checks",
        "version",
        "version_history",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "course",
                    "lesson",
                    "key",
                    "type",
                    "title",
                    "text",
                    "question_checks",
                ]
            },
        ),
        (
            _("Grading"),
            {
                "fields": [
                    "default_mark",
                    "case_sensitive",
                    "general_feedback",
                    "max_length",
                    "essay_options",
                    "response_template",
                    "grader_info",
                ]
            },
        ),
        (
            _("Moodle options"),
            {
                "classes": ["collapse"],
                "description": _(
                    "Kept so that the question goes to Moodle and comes back as it "
                    "was. Penalty and hints change nothing here (one try, no "
                    "hints); the combined feedback shows in the review with the "
                    "feedback; numbering and shuffling apply to choice options."
                ),
                "fields": MOODLE_OPTION_FIELDS,
            },
        ),
        (
            _("Publishing and review"),
            {"fields": ["is_published", "needs_review", "category", "tags"]},
        ),
        (
            _("Versions"),
            {"fields": ["version", "version_history", "created_at", "updated_at"]},
        ),
        (
            _("How to fill in the answers"),
            {"fields": [], "description": type_help_html()},
        ),
    ]
    actions = ["publish", "unpublish", "clear_review_flag", "export_gift"]

    def get_fieldsets(self, request, obj=None):
        """A saved question's form leaves out the options its type does not take
        (a new question's type is not known yet: all are shown)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        field
                        for field in options["fields"]
                        if field not in MOODLE_OPTION_FIELDS
                        or moodle_options.applies(obj.type, field)
                    ],
                },
            )
            for name, options in fieldsets
        ]

    class Media:
        js = [
            "js/question-type-help.js",
            "js/question-type-fields.js",
            "js/tag-input.js",
        ]
        css = {"all": ["css/admin-authoring.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk is not None:
            # Warnings beside the field they are about; they never block a save.
            by_field: dict[str, list] = {}
            for finding in selectors.question_check_findings(question=obj):
                by_field.setdefault(finding.field or "text", []).append(finding)
            for name, findings in by_field.items():
                field = form.base_fields.get(name)
                if field is not None:
                    # A copy: a field declared on the form class is shared.
                    field = form.base_fields[name] = copy.copy(field)
                    field.help_text = format_html(
                        "{}{}", field.help_text, _findings_html(findings)
                    )
        return form

    @admin.display(description=_("question checks"))
    def question_checks(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        findings = selectors.question_check_findings(question=obj)
        if not findings:
            return _("No finding.")
        return _findings_html(findings, with_fields=True)

    @admin.display(description=_("version history"))
    def version_history(self, obj):
        if obj.pk is None:
            return "—"
        rows = selectors.question_version_history(question=obj)
        return render_to_string(
            "admin/quizzes/question/_version_history.html",
            {
                "rows": [
                    (row, json.dumps(row.data, indent=2, ensure_ascii=False))
                    for row in rows
                ]
            },
        )

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
        # An edit is saved in save_related, with its answers, by one service that
        # can compare before and after and keep the old version if it was answered.

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            return

        def save_changes():
            super(QuestionAdmin, self).save_model(request, form.instance, form, change)
            super(QuestionAdmin, self).save_related(request, form, formsets, change)

        kept = services.question_save_with_version(
            question=form.instance, save_changes=save_changes, user=request.user
        )
        # Saved whatever the checks say; what they found is said once more.
        for finding in selectors.question_check_findings(question=form.instance):
            self.message_user(
                request,
                _("Question check (%(level)s): %(reason)s Found: %(evidence)s")
                % {
                    "level": finding.level,
                    "reason": finding.reason,
                    "evidence": finding.evidence,
                },
                messages.WARNING,
            )
        if kept is not None:
            self.message_user(
                request,
                _(
                    "Students had answered this question, so this edit is version "
                    "%(new)d; their attempts keep version %(old)d."
                )
                % {"new": form.instance.version, "old": kept.version},
                messages.INFO,
            )

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected questions"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        count = services.question_set_published(
            question_ids=list(queryset.values_list("pk", flat=True)),
            published=published,
        )
        self.message_user(
            request,
            ngettext("%d question updated.", "%d questions updated.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Export selected questions as GIFT"), permissions=["view"]
    )
    def export_gift(self, request, queryset):
        # ``queryset`` is already scoped to the courses the user teaches.
        questions = queryset.prefetch_related("answers").order_by(
            "course_id", "category", "key"
        )
        exported = gift_export(questions)
        for question, reason in exported.skipped:
            self.message_user(
                request, f"Skipped {question.key!r}: {reason}", messages.WARNING
            )
        for question, what in exported.lost:
            self.message_user(
                request, f"Lost in {question.key!r}: {what}", messages.WARNING
            )
        response = HttpResponse(exported.text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="questions.gift"'
        return response

    @admin.action(description=_("Clear review flag"), permissions=["change"])
    def clear_review_flag(self, request, queryset):
        count = services.question_clear_review(
            question_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "Review flag cleared on %d question.",
                "Review flag cleared on %d questions.",
                count,
            )
            % count,
            messages.SUCCESS,
        )


# --------------------------------------------------------------------------
# Quizzes


class QuizQuestionInline(
    CourseScopedMixin, ReorderableInlineMixin, admin.TabularInline
):
    model = QuizQuestion
    course_path = "quiz__course"
    formset = QuizQuestionInlineFormSet
    extra = 0
    fields = ["position", "question", "mark"]
    ordering = ["position", "id"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        question = formset.form.base_fields.get("question")
        if obj is not None and question is not None:
            # The quiz's own bank; the formset re-checks when the course changes.
            question.queryset = question.queryset.filter(course_id=obj.course_id)
        return formset


class QuizOverrideInline(
    UserPagesMixin, StudentChoicesMixin, CourseScopedMixin, admin.TabularInline
):
    model = QuizOverride
    course_path = "quiz__course"
    extra = 0
    raw_id_fields = ["user"]


def _save_overrides(formset) -> None:
    """The quiz form's override inline, through the services (they forget the
    students' cached settings)."""
    instances = formset.save(commit=False)
    services.quiz_overrides_delete(
        override_ids=[obj.pk for obj in formset.deleted_objects]
    )
    for override in instances:
        services.quiz_override_save(override=override)


@admin.register(Quiz)
class QuizAdmin(CourseScopedMixin, admin.ModelAdmin):
    form = QuizAdminForm
    list_display = [
        "title",
        "course",
        "lesson",
        "is_published",
        "question_count",
        "time_limit",
    ]
    list_filter = ["is_published", ("course", TaughtCourseFilter)]
    list_select_related = ["course", "lesson"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizQuestionInline, QuizOverrideInline]
    actions = ["publish", "unpublish", "duplicate"]
    readonly_fields = ["question_checks"]

    @admin.display(description=_("question checks"))
    def question_checks(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = selectors.course_check_rows(course=obj.course, quiz=obj)
        if not rows:
            return _("No finding.")
        return render_to_string(
            "admin/quizzes/_check_findings.html",
            {
                "rows": [
                    (
                        row.finding,
                        reverse("admin:quizzes_question_change", args=[row.question_id])
                        if row.question_id
                        else "",
                    )
                    for row in rows
                ],
                "teach_url": reverse("teach:checks", args=[obj.course.slug, obj.slug]),
            },
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_question_count=Count("slots"))

    # Lesson and course pages cache the course's quizzes: the services mark the
    # content changed (the change view is one transaction, inlines included).
    def save_model(self, request, obj, form, change):
        services.quiz_save(quiz=obj)

    def delete_model(self, request, obj):
        services.quizzes_delete(quiz_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.quizzes_delete(quiz_ids=list(queryset.values_list("pk", flat=True)))

    def save_formset(self, request, form, formset, change):
        if formset.model is QuizOverride:
            _save_overrides(formset)
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description=_("questions"), ordering="_question_count")
    def question_count(self, obj):
        return obj._question_count

    @admin.action(description=_("Publish selected quizzes"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish selected quizzes"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        count = services.quiz_set_published(
            quiz_ids=list(queryset.values_list("pk", flat=True)), published=published
        )
        self.message_user(
            request,
            ngettext("%d quiz updated.", "%d quizzes updated.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Duplicate selected quizzes"), permissions=["add"])
    def duplicate(self, request, queryset):
        for quiz in queryset.order_by("pk"):
            copy = services.quiz_duplicate(quiz=quiz)
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a> ({})',
                    _("Created"),
                    reverse("admin:quizzes_quiz_change", args=[copy.pk]),
                    copy.title,
                    _("unpublished"),
                ),
                messages.SUCCESS,
            )


@admin.register(QuizOverride)
class QuizOverrideAdmin(
    UserPagesMixin, StudentChoicesMixin, CourseScopedMixin, admin.ModelAdmin
):
    course_path = "quiz__course"
    list_display = ["quiz", "user", "open_at", "close_at", "time_limit"]
    list_filter = [("quiz__course", TaughtCourseFilter)]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__username", "quiz__title"]
    raw_id_fields = ["user"]

    # A student's settings are cached per quiz: the services forget them.
    def save_model(self, request, obj, form, change):
        services.quiz_override_save(override=obj)

    def delete_model(self, request, obj):
        services.quiz_overrides_delete(override_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.quiz_overrides_delete(
            override_ids=list(queryset.values_list("pk", flat=True))
        )


@admin.register(Accommodation)
class AccommodationAdmin(
    UserPagesMixin, StudentChoicesMixin, CourseScopedMixin, admin.ModelAdmin
):
    # Per course: an instructor sees, adds and edits the accommodations of the
    # courses they teach only, and they apply to those courses' quizzes only.
    list_display = ["user", "course", "time_multiplier", "note"]
    list_filter = [("course", TaughtCourseFilter)]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user"]
    search_fields = ["user__username", "course__title"]

    def save_model(self, request, obj, form, change):
        services.accommodation_save(accommodation=obj)

    def delete_model(self, request, obj):
        services.accommodations_delete(accommodation_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.accommodations_delete(
            accommodation_ids=list(queryset.values_list("pk", flat=True))
        )


# --------------------------------------------------------------------------
# Attempts (read-only: grading has its own pages and audit trail)


class ResponseInline(CourseScopedMixin, admin.TabularInline):
    model = Response
    course_path = "attempt__quiz__course"
    extra = 0
    can_delete = False
    fields = [
        "position",
        "question",
        "question_version",
        "answer",
        "fraction",
        "score",
        "needs_manual",
    ]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(UserPagesMixin, CourseScopedMixin, admin.ModelAdmin):
    course_path = "quiz__course"
    list_display = [
        "quiz",
        "user",
        "number",
        "state",
        "is_preview",
        "fraction",
        "submitted_at",
    ]
    list_filter = ["state", "is_preview", ("quiz__course", TaughtCourseFilter)]
    list_select_related = ["quiz", "user"]
    search_fields = ["user__username", "quiz__title"]
    readonly_fields = [
        "quiz",
        "user",
        "number",
        "state",
        "is_preview",
        "started_at",
        "deadline",
        "submitted_at",
        "auto_submitted",
        "score",
        "max_score",
        "fraction",
        "passed",
    ]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False
