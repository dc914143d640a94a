"""Admin pages and actions for question-bank authoring that are not a ModelAdmin:
the question-bank upload page and the "Draft questions from the text" lesson
action.

Wiring (kept out of ``quizzes/admin.py`` and ``lessons/admin.py`` on purpose):

- ``bank_upload_view(request, model_admin)`` (also named ``gift_upload_view``,
  the GIFT-only page it replaced) is served by ``QuestionAdmin`` from its
  ``get_urls``, wrapped in ``admin_site.admin_view`` (login, staff, CSRF).
- ``draft_questions_action`` is an ordinary admin action over lessons. ``lessons``
  never imports ``quizzes``, so ``QuizzesConfig.ready`` registers it in
  ``lessons.hooks.lesson_admin_actions`` and ``LessonAdmin.get_actions`` offers
  what is registered there.

Both scope by ``lessons.selectors.courses_taught_by``: an instructor uploads into,
and drafts for, the courses they teach; a superuser for any course.

The upload takes every format of ``quizzes.bank_formats`` (sniffed by default).
"Preview" imports in a dry run and shows what would be created, updated and left
unchanged; the file waits (``lessons.document_import.document_upload_store``,
purged like document uploads) under a token kept in the session, and "Import"
stores it. "Import" straight from the file skips the preview. Either way it is
all or nothing.

A file of more than ``IMPORT_DIRECT_MAX_BYTES`` is previewed or imported by a
background job instead (``quizzes/jobs.py``): the page shows its progress, then
its preview (with the "Import" button), its summary, or its problems by line.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coursesite import jobs
from coursesite.models import Job
from lessons.document_import import (
    document_upload_discard,
    document_upload_read,
    document_upload_store,
)
from lessons.problems import MAX_REPORTED, more_problems
from lessons.selectors import courses_taught_by
from quizzes.bank_formats import (
    AUTO,
    FORMATS,
    BankFileError,
    BankProblem,
    bank_import,
    import_format_names,
)
from quizzes.banks import questions_draft_for_lesson
from quizzes.jobs import bank_job_summary

GIFT_MAX_BYTES = 2 * 1024 * 1024
BANK_MAX_BYTES = GIFT_MAX_BYTES
DRAFTS_PER_LESSON = 6
SESSION_TOKENS = "quizzes_bank_uploads"


def _format_choices() -> list[tuple[str, str]]:
    return [(AUTO, _("Recognise it from the content"))] + [
        (name, FORMATS[name].label) for name in import_format_names()
    ]


def _warning_text(warning: BankProblem) -> str:
    if warning.line:
        return _("Line %(line)d: %(message)s") % {
            "line": warning.line,
            "message": warning.message,
        }
    return warning.message


class BankUploadForm(forms.Form):
    """A bank file (or the token of one waiting since its preview), its format
    and where to put its questions."""

    file = forms.FileField(
        label=_("Question bank file"),
        required=False,
        help_text=_(
            "GIFT, Moodle XML, Aiken or coursesite JSON (UTF-8), as exported by "
            "Moodle or written by hand."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=_format_choices, initial=AUTO, required=False
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
            "unpublished draft if there is none. (A JSON bank names its own "
            "quizzes.)"
        ),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, tokens=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_taught_by(user).order_by("title")
        self.tokens = set(tokens)

    def clean_file(self) -> bytes | None:
        """The file's bytes (the form's ``cleaned_data["file"]``)."""
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        if upload.size > BANK_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": BANK_MAX_BYTES // (1024 * 1024)}
            )
        return upload.read()

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or AUTO

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") is None and "file" not in self.errors:
            token = cleaned.get("token") or ""
            data = None
            if token in self.tokens:
                try:
                    data = document_upload_read(token=token)
                except ValueError:
                    data = None
            if data is None:
                self.add_error(
                    "file",
                    _("Choose a file (the previewed file is no longer waiting).")
                    if token
                    else _("Choose a file."),
                )
            cleaned["file"] = data
        return cleaned


def bank_upload_view(request, model_admin):
    """Upload a question bank into a course: preview it, then import it; every
    error is shown, or all of it is imported and the question list opens with a
    summary."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    problems: list[BankProblem] = []
    more = 0
    preview = None
    token = ""
    tokens = request.session.get(SESSION_TOKENS, [])
    if request.method == "POST":
        form = BankUploadForm(
            request.POST, request.FILES, user=request.user, tokens=tokens
        )
        if form.is_valid():
            dry_run = "_preview" in request.POST
            if len(form.cleaned_data["file"]) > settings.IMPORT_DIRECT_MAX_BYTES:
                _start_job(request, form, dry_run=dry_run, tokens=tokens)
                return redirect(request.path)
            try:
                result = bank_import(
                    course=form.cleaned_data["course"],
                    data=form.cleaned_data["file"],
                    format_name=form.cleaned_data["format"],
                    quiz_slug=form.cleaned_data["quiz"] or None,
                    user=request.user,
                    dry_run=dry_run,
                )
            except BankFileError as error:
                problems, more = error.errors, error.more
            except ValueError as error:
                form.add_error("quiz", str(error))
            else:
                if dry_run:
                    preview = result
                    token = form.cleaned_data["token"] or document_upload_store(
                        data=form.cleaned_data["file"], name="bank"
                    )
                    if token not in tokens:
                        request.session[SESSION_TOKENS] = [*tokens, token][-10:]
                else:
                    _forget(request, form.cleaned_data["token"])
                    model_admin.message_user(
                        request,
                        _("Question bank imported (%(format)s): %(summary)s.")
                        % {"format": result.format, "summary": result.summary},
                        messages.SUCCESS,
                    )
                    for warning in result.warnings[:MAX_REPORTED]:
                        model_admin.message_user(
                            request, _warning_text(warning), messages.WARNING
                        )
                    opts = model_admin.model._meta
                    return redirect(
                        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                    )
    else:
        form = BankUploadForm(user=request.user)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Import questions from a question bank file"),
        "form": form,
        "problems": problems,
        "problem_count": len(problems) + more,
        "more_problems": more_problems(more) if more else "",
        "preview": preview,
        "token": token,
        "media": model_admin.media + form.media,
        "bank_jobs": _jobs_for_page(request.user),
    }
    return TemplateResponse(request, "admin/quizzes/bank_upload.html", context)


def _start_job(request, form, *, dry_run: bool, tokens: list) -> Job:
    """Keep a large file and hand its preview or import to a background job."""
    token = form.cleaned_data["token"] or document_upload_store(
        data=form.cleaned_data["file"], name="bank"
    )
    if token not in tokens:
        request.session[SESSION_TOKENS] = [*tokens, token][-10:]
    job = jobs.job_start(
        kind=Job.Kind.BANK_IMPORT,
        owner=request.user,
        course=form.cleaned_data["course"],
        params={
            "token": token,
            "format": form.cleaned_data["format"],
            "quiz": form.cleaned_data["quiz"] or "",
            "dry_run": dry_run,
        },
    )
    if not job.finished:
        messages.info(
            request,
            _(
                "The file is large: it is read in the background, and its progress "
                "shows below."
            ),
        )
    return job


def _jobs_for_page(user) -> list[dict]:
    """The user's last bank jobs, each with what its card shows once finished."""
    entries = []
    for job in jobs.jobs_recent(
        user=user, course=jobs.ANY_COURSE, kinds=[Job.Kind.BANK_IMPORT]
    ):
        result = job.result
        entries.append(
            {
                "card": [(job, bank_job_summary(job))],
                "job": job,
                "problems": [
                    BankProblem(line, message)
                    for line, message in result.get("problems", [])
                ],
                "more_problems": more_problems(result["more"])
                if result.get("more")
                else "",
                "warnings": [
                    BankProblem(line, message)
                    for line, message in result.get("warnings", [])
                ],
                "preview": job.status == Job.Status.DONE and job.params["dry_run"],
            }
        )
    return entries


gift_upload_view = bank_upload_view  # the page's name when it took GIFT only
GiftUploadForm = BankUploadForm


def _forget(request, token: str) -> None:
    """Drop a previewed upload once it is imported."""
    tokens = request.session.get(SESSION_TOKENS, [])
    if token and token in tokens:
        request.session[SESSION_TOKENS] = [t for t in tokens if t != token]
        document_upload_discard(token=token)


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
