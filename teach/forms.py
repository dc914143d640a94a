"""Forms of the staff area: they validate; the services write."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

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
            {"min": 0, "max": max_mark, "step": "any", "autofocus": True}
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
        choices=[
            ("first", _("First attempt of each student")),
            ("highest", _("Highest-graded attempt of each student")),
            ("last", _("Last attempt of each student")),
            ("all", _("All graded attempts")),
        ],
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
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        help_text=_("Kept in each changed attempt's audit trail."),
    )
