"""Forms behind the question and quiz admin.

A question and its answer rows are validated together, before anything is saved,
by the rules grading relies on: ``question_dict_from_forms`` builds the plain
question dict (``docs/question-format.md``) from the edited question and the
answer rows' cleaned data, and ``grading.validate_question`` names every problem.
Problems that only exist in the row representation (a true/false question's two
rows, rows on a type that takes none) are checked by ``answer_row_problems``.

The editor shows only the fields and answer columns of the chosen type: the type
menu carries each type's ``admin_fields`` and ``answer_columns``
(``data-type-layout``, read by static/js/question-type-fields.js), and on save
a field or column the type does not use is stored empty whatever was posted.
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons.markdown_guard import markdown_problems
from quizzes import moodle_options
from quizzes import types as question_types
from quizzes.grading import validate_question
from quizzes.models import Answer, Question, QuestionType
from quizzes.snapshots import question_to_dict

ANSWER_FIELDS = {
    "text": "",
    "match_text": "",
    "fraction": 0.0,
    "feedback": "",
    "number": None,
    "tolerance": None,
    "number_max": None,
}
# The texts of a question and of an answer row that pass the Markdown guard
# (lessons.markdown_guard): rendered on quiz pages, or shown beside them.
QUESTION_TEXT_FIELDS = (
    "text",
    "general_feedback",
    "response_template",
    "grader_info",
    *moodle_options.COMBINED_FEEDBACK,
)
ANSWER_TEXT_FIELDS = ("text", "match_text", "feedback")


# Question fields and answer columns that only some types use: the editor shows
# those of the chosen type (static/js/question-type-fields.js) and clears the
# others on save.
def type_fields() -> list[str]:
    """Every Question field some type uses beyond the common ones."""
    return list(
        dict.fromkeys(
            name for kind in question_types.all_types() for name in kind.admin_fields
        )
    )


def type_columns() -> list[str]:
    """Every Answer column some type uses."""
    return list(
        dict.fromkeys(
            name for kind in question_types.all_types() for name in kind.answer_columns
        )
    )


def type_layout_json() -> str:
    """For each type, the fields and answer columns it shows (a JSON object the
    question editor's script reads from the type menu's data attribute)."""
    return json.dumps(
        {
            kind.name: {
                "fields": list(kind.admin_fields),
                "columns": list(kind.answer_columns),
            }
            for kind in question_types.all_types()
        }
    )


def type_help_html() -> str:
    """The per-type help as a definition list (the admin shows the selected type's)."""
    return format_html(
        '<dl class="question-type-help">{}</dl>',
        format_html_join(
            "",
            '<div data-question-type="{}"><dt>{}</dt><dd>{}</dd></div>',
            (
                (value, label, question_types.get(value).admin_help)
                for value, label in QuestionType.choices
            ),
        ),
    )


def question_dict_from_forms(question: Question, rows: Iterable[Mapping]) -> dict:
    """The question dict for ``question`` (saved or not, with the edited fields
    set) and the answer rows' cleaned data, in the order given.

    Uses ``question_to_dict``, the mapping grading and snapshots use, on unsaved
    Answer objects; the rows have no primary keys yet, so ids are ``row-N``.
    """
    answers = [
        Answer(
            position=index,
            **{
                name: default if row.get(name) is None else row[name]
                for name, default in ANSWER_FIELDS.items()
            },
        )
        for index, row in enumerate(rows)
    ]
    data = question_to_dict(question, answers=answers)
    for key in ("options", "pairs", "items"):
        for number, thing in enumerate(data.get(key, ()), 1):
            thing["id"] = f"row-{number}"
    return data


def answer_row_problems(question_type: str, rows: list[Mapping[str, Any]]) -> list[str]:
    """Problems of the answer rows that the question dict cannot show."""
    kind = question_types.get(question_type)
    if not kind.answer_columns:
        if rows:
            return [
                _(
                    "A question of type “%(type)s” takes no answers: delete the "
                    "answer rows."
                )
                % {"type": QuestionType(question_type).label}
            ]
        return []
    return kind.row_problems(rows)


def question_problems(question: Question, rows: list[Mapping[str, Any]]) -> list[str]:
    """Every problem of a question with these answer rows; [] if it can be saved."""
    if question.type not in QuestionType.values:
        return []  # the type field reports its own error
    problems = answer_row_problems(question.type, rows)
    data = question_dict_from_forms(question, rows)
    if question_types.get(question.type).row_problems(rows):
        return problems  # the dict would be derived from malformed rows
    return problems + [
        problem
        for problem in validate_question(data)
        # The question form reports its own required fields.
        if not (problem == "Write the question text." and not question.text)
    ]


class AnswerInlineFormSet(BaseInlineFormSet):
    """A question's answers, validated with the question they belong to.

    ``self.instance`` is the question with the edited fields already applied (the
    admin validates the question form first), so the type and text are the new ones.
    """

    def _clear_unused_columns(self) -> None:
        """A column the type does not use is saved empty, whatever was posted
        (the editor hides it; a type change leaves old values behind)."""
        _clear_unused_columns_of(self)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        guarded = False
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            for name in ANSWER_TEXT_FIELDS:
                for problem in markdown_problems(form.cleaned_data.get(name) or ""):
                    form.add_error(name, problem)
                    guarded = True
        if guarded:
            return
        self._clear_unused_columns()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        # Students see the rows by position (ties in the order of the form).
        kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
        problems = question_problems(
            self.instance, [form.cleaned_data for form in kept]
        )
        if problems:
            raise ValidationError(problems)


def _clear_unused_columns_of(formset) -> None:
    kind = question_types.find(formset.instance.type)
    if kind is None:
        return
    unused = [name for name in type_columns() if name not in kind.answer_columns]
    for form in formset.forms:
        if not form.cleaned_data or formset._should_delete_form(form):
            continue
        for name in unused:
            default = Answer._meta.get_field(name).get_default()
            form.cleaned_data[name] = default
            setattr(form.instance, name, default)


def parse_tags(value: str) -> list[str]:
    """ "treaties, 1828, treaties" -> ["treaties", "1828"]: split on commas,
    trimmed, empty and repeated tags dropped (case kept, first spelling wins).
    A JSON list, as the field used to take, is read as its items."""
    value = (value or "").strip()
    if value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            items = None
        if isinstance(items, list):
            value = ",".join(str(item) for item in items)
    tags: list[str] = []
    seen: set[str] = set()
    for part in value.split(","):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class TagsField(forms.CharField):
    """Tags typed as "a, b, c" into a plain text box (stored as a JSON list);
    static/js/tag-input.js shows them as removable chips when it runs."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "class": "vTextField tag-input",
                    "data-tags": "",
                    "data-entry-label": gettext_lazy("Add a tag"),
                    "data-list-label": gettext_lazy("Tags chosen"),
                    # %s: the tag
                    "data-remove-label": gettext_lazy("Remove tag %s"),
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(tag) for tag in value)
        return value

    def to_python(self, value):
        return parse_tags(value if isinstance(value, str) else "")

    def has_changed(self, initial, data):
        return parse_tags(self.prepare_value(initial) or "") != self.to_python(data)


class QuestionAdminForm(forms.ModelForm):
    tags = TagsField(
        label=gettext_lazy("Tags"),
        help_text=gettext_lazy(
            "Words separated by commas, e.g. treaties, 1828. Press Enter or type a "
            "comma to add one."
        ),
    )

    # The admin supplies the model and the fields (from QuestionAdmin.fieldsets).
    class Meta:
        help_texts = {
            "type": gettext_lazy(
                "What the student does; the box under the questions explains how to "
                "fill in the answers for each type."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "type" in self.fields:
            # What static/js/question-type-fields.js shows for each type.
            self.fields["type"].widget.attrs["data-type-layout"] = type_layout_json()

    def _clear_unused_fields(self, cleaned: dict) -> None:
        """A field the chosen type does not use is saved empty, whatever was
        posted (the editor hides it; a type change leaves old values behind)."""
        kind = question_types.find(cleaned.get("type"))
        if kind is None:
            return
        for name in type_fields():
            if name in self.fields and name not in kind.admin_fields:
                cleaned[name] = Question._meta.get_field(name).get_default()

    def clean(self):
        cleaned = super().clean()
        self._clear_unused_fields(cleaned)
        for name in QUESTION_TEXT_FIELDS:
            if isinstance(cleaned.get(name), str):
                for problem in markdown_problems(cleaned[name]):
                    self.add_error(name, problem)
        course, lesson = cleaned.get("course"), cleaned.get("lesson")
        if course and lesson and lesson.course_id != course.pk:
            self.add_error("lesson", _("This lesson belongs to another course."))
        self._clean_moodle_options(cleaned)
        return cleaned

    def _clean_moodle_options(self, cleaned) -> None:
        """Moodle's options as ``quizzes.moodle_options`` checks them, each
        problem on its field (the form shows only the fields of the type)."""
        if "hints" in self.fields and cleaned.get("hints") is None:
            cleaned["hints"] = []
        values = {name: cleaned[name] for name in self.fields if name in cleaned}
        values.setdefault("type", getattr(self.instance, "type", ""))
        column = moodle_options.ESSAY_COLUMN
        if column in values:
            essay = values.pop(column)
            if essay is None:
                essay = cleaned[column] = {}
            wrong = moodle_options.essay_column_problems(essay)
            for problem in wrong:
                self.add_error(column, problem)
            if not wrong:
                values.update(essay)
                # Only what differs from the default is kept.
                cleaned[column] = moodle_options.columns(essay)[column]
        for problem in moodle_options.problems(values):
            field = next(
                (n for n in moodle_options.DEFAULTS if f"'{n}'" in problem), None
            )
            if field in moodle_options.ESSAY_OPTIONS:
                field = moodle_options.ESSAY_COLUMN
            self.add_error(field if field in self.fields else None, problem)


class QuizAdminForm(forms.ModelForm):
    # The admin supplies the model and the fields.

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        for name in ("lesson", "module"):
            value = cleaned.get(name)
            if course and value and value.course_id != course.pk:
                self.add_error(name, _("This belongs to another course."))
        return cleaned


class QuizQuestionInlineFormSet(BaseInlineFormSet):
    """A quiz's questions: each from the quiz's own course's question bank."""

    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.course_id:
            return
        for form in self.forms:
            question = form.cleaned_data.get("question")
            if (
                question is not None
                and not self._should_delete_form(form)
                and question.course_id != self.instance.course_id
            ):
                raise ValidationError(
                    _("“%(question)s” is in another course's question bank.")
                    % {"question": question}
                )
