"""Admin pages and actions for question-bank authoring that are not a ModelAdmin:
the GIFT upload page and the "Draft questions from the text" lesson action.

Wiring (kept out of ``quizzes/admin.py`` and ``lessons/admin.py`` on purpose):

- ``gift_upload_view(request, model_admin)`` is served by ``QuestionAdmin`` from
  its ``get_urls``, wrapped in ``admin_site.admin_view`` (login, staff, CSRF).
- ``draft_questions_action`` is an ordinary admin action over lessons. ``lessons``
  never imports ``quizzes``, so ``QuizzesConfig.ready`` registers it in
  ``lessons.hooks.lesson_admin_actions`` and ``LessonAdmin.get_actions`` offers
  what is registered there.

Both scope by ``lessons.selectors.courses_taught_by``: an instructor uploads into,
and drafts for, the courses they teach; a superuser for any course.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.problems import MAX_REPORTED, more_problems
from lessons.selectors import courses_taught_by
from quizzes.banks import gift_import, questions_draft_for_lesson
from quizzes.gift import GiftError, GiftProblem

GIFT_MAX_BYTES = 2 * 1024 * 1024
DRAFTS_PER_LESSON = 6


class GiftUploadForm(forms.Form):
    """A GIFT file and where to put its questions."""

    file = forms.FileField(
        label=_("GIFT file"),
        help_text=_("A Moodle GIFT text file (.gift or .txt), UTF-8."),
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=None,
        help_text=_("The questions go into this course's question bank."),
    )
    quiz = forms.SlugField(
        label=_("Also add to quiz (slug)"),
        required=False,
        max_length=100,
        help_text=_(
            "Optional. A quiz of the course with this slug; created as an "
            "unpublished draft if there is none."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_taught_by(user).order_by("title")

    def clean_file(self) -> str:
        """The file's text (the form's ``cleaned_data["file"]`` is a str)."""
        upload = self.cleaned_data["file"]
        if upload.size > GIFT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": GIFT_MAX_BYTES // (1024 * 1024)}
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text (byte %(at)d).") % {"at": error.start}
            ) from error


def gift_upload_view(request, model_admin):
    """Upload a GIFT file into a course's bank; every error is shown, or all of it
    is imported and the question list opens with a summary."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    problems: list[GiftProblem] = []
    more = 0
    if request.method == "POST":
        form = GiftUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                report = gift_import(
                    course=form.cleaned_data["course"],
                    text=form.cleaned_data["file"],
                    quiz_slug=form.cleaned_data["quiz"] or None,
                    user=request.user,
                )
            except GiftError as error:
                problems, more = error.errors, error.more
            except ValueError as error:
                form.add_error("quiz", str(error))
            else:
                model_admin.message_user(
                    request,
                    _("GIFT file imported: %(summary)s.")
                    % {"summary": report.summary()},
                    messages.SUCCESS,
                )
                for warning in report.warnings[:MAX_REPORTED]:
                    model_admin.message_user(
                        request,
                        _("Line %(line)d: %(message)s")
                        % {"line": warning.line, "message": warning.message},
                        messages.WARNING,
                    )
                opts = model_admin.model._meta
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
    else:
        form = GiftUploadForm(user=request.user)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Import questions from a GIFT file"),
        "form": form,
        "problems": problems,
        "problem_count": len(problems) + more,
        "more_problems": more_problems(more) if more else "",
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/quizzes/gift_upload.html", context)


@admin.action(
    description=_("Draft questions from the text (unpublished)"),
    permissions=["change"],
)
def draft_questions_action(modeladmin, request, queryset):
    """Draft questions for each selected lesson of a course the user teaches."""
    if not request.user.has_perm("quizzes.add_question"):
        modeladmin.message_user(
            request, _("You may not add questions."), messages.ERROR
        )
        return
    lessons = queryset.filter(
        course__in=courses_taught_by(request.user).values("pk")
    ).select_related("course")
    created = 0
    count = 0
    for lesson in lessons:
        created += len(
            questions_draft_for_lesson(
                lesson=lesson, count=DRAFTS_PER_LESSON, user=request.user
            )
        )
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(created)d draft question created for %(lessons)d lesson(s); they "
            "stay unpublished until you publish them.",
            "%(created)d draft questions created for %(lessons)d lesson(s); they "
            "stay unpublished until you publish them.",
            created,
        )
        % {"created": created, "lessons": count},
        messages.SUCCESS if created else messages.INFO,
    )
