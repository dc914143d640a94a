"""Forms of the staff area: they validate; the services write."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from lessons.document_import import document_too_large
from teach.models import QuizStatistics
from teach.presenting import marks_text
from teach.selectors import ATTEMPTS_ANALYSED


class _ScoreForm(forms.Form):
    score = forms.FloatField(label=_("Score"))

    def __init__(self, *args, max_mark: float, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["score"]
        field.validators += [MinValueValidator(0), MaxValueValidator(max_mark)]
        field.help_text = _("From 0 to %(max)s marks.") % {"max": marks_text(max_mark)}
        field.widget.attrs.update(
            {
                "min": 0,
                "max": max_mark,
                "step": "any",
                "autofocus": True,
                # A mark is a few digits: the box is sized for them (teach.css).
                "class": "score-input",
                "inputmode": "decimal",
            }
        )


class ResponseGradeForm(_ScoreForm):
    feedback = forms.CharField(
        label=_("Feedback to the student"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ctrl+Enter saves and opens the next answer."),
    )


class ResponseOverrideForm(_ScoreForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Kept in the attempt's audit trail."),
    )


class QueueFilterForm(forms.Form):
    course = forms.TypedChoiceField(
        label=_("Course"), required=False, coerce=int, empty_value=None
    )
    quiz = forms.TypedChoiceField(
        label=_("Quiz"), required=False, coerce=int, empty_value=None
    )
    question = forms.TypedChoiceField(
        label=_("Question"), required=False, coerce=int, empty_value=None
    )
    student = forms.TypedChoiceField(
        label=_("Student"), required=False, coerce=int, empty_value=None
    )
    attempt = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("course", "quiz", "question", "student"):
            self.fields[name].widget.attrs["class"] = "form-select"
        anything = [("", _("Any"))]
        self.fields["course"].choices = anything + choices.courses
        self.fields["quiz"].choices = anything + choices.quizzes
        self.fields["question"].choices = anything + choices.questions
        self.fields["student"].choices = anything + choices.students


STATUS_CHOICES = [
    ("", _("All students")),
    ("needs_grading", _("Needs grading")),
    ("passed", _("Passing")),
    ("failed", _("Not passing")),
    ("not_started", _("No attempt yet")),
]


class GradebookFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Show"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, book, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "type": "search"}
        )
        self.fields["status"].widget.attrs["class"] = "form-select"
        self.fields["sort"].widget.attrs["class"] = "form-select"
        labels = {
            "name": _("Name"),
            "completion": _("Lessons completed"),
            "total": _("Course total"),
        }
        labels.update({column.key: column.title for column in book.columns})
        choices = [("", _("Name (A–Z)"))]
        for key in book.sort_keys():
            base = key.lstrip("-")
            direction = _("high to low") if key.startswith("-") else _("low to high")
            if base == "name":
                direction = _("Z–A") if key.startswith("-") else _("A–Z")
            choices.append((key, f"{labels[base]} ({direction})"))
        self.fields["sort"].choices = choices


class StatisticsForm(forms.Form):
    attempts = forms.ChoiceField(
        label=_("Attempts analysed"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=QuizStatistics.Attempts.choices,
    )

    def clean_attempts(self):
        value = self.cleaned_data["attempts"]
        return value if value in ATTEMPTS_ANALYSED else ""


class RegradeTargetForm(forms.Form):
    """What to regrade, from the query string: one question, or one quiz."""

    question = forms.IntegerField(required=False, min_value=1)
    quiz = forms.SlugField(required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("question")) == bool(data.get("quiz")):
            raise forms.ValidationError(_("Choose one question or one quiz."))
        return data


class RegradeApplyForm(forms.Form):
    """The regrade page's POST: apply the regrade (the default), or run its dry
    run again (a large one, computed by a job)."""

    APPLY = "apply"
    DRY_RUN = "dry-run"

    action = forms.ChoiceField(
        choices=[(APPLY, APPLY), (DRY_RUN, DRY_RUN)], required=False
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        help_text=_("Kept in each changed attempt's audit trail."),
    )


FORMAT_LABELS = {
    "auto": _("Automatic (from the file name and content)"),
    "text": _("Plain text (headings guessed)"),
    "markdown": _("Markdown (# headings)"),
    "rst": _("reStructuredText (.rst)"),
    "html": _("Web page (.html)"),
    "docx": _("Word document (.docx)"),
    "zip": _("Zip of a Markdown or HTML document with its images (.zip)"),
}


class DocumentUploadForm(forms.Form):
    """A document to import: a file, or text pasted into the page."""

    document = forms.FileField(
        label=_("Document file"),
        required=False,
        help_text=_(
            "Plain text (.txt), Markdown (.md), a web page (.html), a Word document "
            "(.docx), a .zip of a document with its images, or a course export "
            "(.json)."
        ),
    )
    text = forms.CharField(
        label=_("…or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For long documents, upload the file instead."),
    )
    format = forms.ChoiceField(label=_("Format"), initial="auto")

    def __init__(self, *args, formats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [
            (name, FORMAT_LABELS.get(name, name)) for name in formats
        ]

    def clean(self):
        data = super().clean()
        upload, text = data.get("document"), data.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file to upload or paste the text."))
        too_large = document_too_large(upload.size if upload else len(text.encode()))
        if too_large:
            raise forms.ValidationError(too_large)
        return data

    def document_data(self) -> tuple[bytes, str]:
        """The uploaded bytes and a file name. Pasted text has a name without an
        extension, so that "automatic" goes by its content."""
        upload = self.cleaned_data.get("document")
        if upload:
            return b"".join(upload.chunks()), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted-text"


LEVEL_CHOICES = [(1, _("Module")), (2, _("Lesson"))]


class OutlineTitleForm(forms.Form):
    title = forms.CharField(label=_("Course title"), max_length=200)


class SectionAdjustForm(forms.Form):
    """One heading of the uploaded document, as the instructor wants it."""

    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    merge = forms.BooleanField(
        label=_("Merge into the section before"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


SectionAdjustFormSet = forms.formset_factory(SectionAdjustForm, extra=0)


class CheckDismissForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    check_name = forms.CharField(max_length=50, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2_000,
        help_text=_("Required. Kept in the question's audit trail."),
    )


class CheckRestoreForm(forms.Form):
    dismissal = forms.IntegerField(widget=forms.HiddenInput)
