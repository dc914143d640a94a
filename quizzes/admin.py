"""Admin for questions and quizzes: declarations; writes go through services."""

from django.contrib import admin

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


class AnswerInline(admin.TabularInline):
    model = Answer
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


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "type", "course", "lesson", "is_published", "version"]
    list_filter = ["type", "is_published", "course"]
    list_select_related = ["course", "lesson"]
    search_fields = ["key", "title", "text"]
    inlines = [AnswerInline]
    raw_id_fields = ["lesson"]


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    raw_id_fields = ["question"]
    fields = ["position", "question", "mark"]


class QuizOverrideInline(admin.TabularInline):
    model = QuizOverride
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "lesson", "is_published", "time_limit"]
    list_filter = ["is_published", "course"]
    list_select_related = ["course", "lesson"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["lesson", "module"]
    inlines = [QuizQuestionInline, QuizOverrideInline]


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin):
    list_display = ["user", "time_multiplier", "note"]
    raw_id_fields = ["user"]
    search_fields = ["user__username"]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    can_delete = False
    fields = ["position", "question", "answer", "fraction", "score", "needs_manual"]
    readonly_fields = fields


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "number", "state", "fraction", "submitted_at"]
    list_filter = ["state", "is_preview", "quiz__course"]
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
