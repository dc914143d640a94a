"""The question type registry (quizzes/types): every type has every hook, in a
fixed order; a new type is one module plus ``register``, and flows through
grading's public functions; the admin editor shows only the chosen type's
fields and ignores the others on save."""

from __future__ import annotations

import json
import re

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from quizzes import grading
from quizzes import types as question_types
from quizzes.admin_forms import type_columns, type_fields
from quizzes.grading import Grade, InvalidResponse
from quizzes.models import Question, QuestionType
from quizzes.types.base import COMMON_FIELDS, NOT_POSTED
from quizzes.types.base import QuestionType as BaseType
from tests.admin.support import answer_row, question_post
from tests.factories import UserFactory, make_course, make_question

BUILTIN = [
    "single",
    "multiple",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "ordering",
    "essay",
    "description",
    "cloze",
]

HOOKS = [
    "validate",
    "normalise",
    "grade",
    "parts",
    "correct_response",
    "read_post",
    "posted_value",
    "page_fields",
    "freeze",
    "regrade_key",
    "describe_answer",
    "describe_right_answer",
    "dict_from_rows",
    "rows_from_dict",
    "row_problems",
    "gift_text",
    "gift_write",
    "moodle_xml_read",
    "moodle_xml_write",
]
ATTRIBUTES = [
    "name",
    "label",
    "auto_graded",
    "takes_answer",
    "admin_fields",
    "answer_columns",
    "admin_help",
    "moodle_xml_names",
    "moodle_xml_type",
    "page_template",
]


# --------------------------------------------------------------------------
# The registry


def test_the_builtin_types_are_registered_in_order():
    assert question_types.names()[: len(BUILTIN)] == BUILTIN
    assert [kind.name for kind in question_types.all_types()] == (
        question_types.names()
    )


def test_the_registry_matches_the_model_choices():
    assert set(BUILTIN) <= set(QuestionType.values)
    for name in BUILTIN:
        assert str(question_types.get(name).label) == QuestionType(name).label


@pytest.mark.parametrize("name", BUILTIN)
def test_every_type_has_every_hook(name):
    kind = question_types.get(name)
    assert isinstance(kind, BaseType)
    assert kind.name == name
    for hook in HOOKS:
        assert callable(getattr(kind, hook)), hook
    for attribute in ATTRIBUTES:
        assert hasattr(kind, attribute), attribute
    assert str(kind.label) and str(kind.admin_help)
    # Its attempt page fields have a template (description takes no answer).
    if kind.takes_answer:
        get_template(kind.page_template)
    else:
        assert kind.page_template == ""
    # Grading's hooks are the type's own, not the base's placeholders.
    assert type(kind).normalise is not BaseType.normalise
    assert type(kind).grade is not BaseType.grade
    # Admin fields are Question fields outside the common ones.
    model_fields = {field.name for field in Question._meta.get_fields()}
    assert set(kind.admin_fields) <= model_fields - set(COMMON_FIELDS)


def test_grading_constants_follow_the_registry():
    assert sorted(grading.QUESTION_TYPES) == sorted(BUILTIN)
    assert sorted(grading.AUTO_GRADED_TYPES) == sorted(
        set(BUILTIN) - {"essay", "description"}
    )
    assert "essay" in grading.QUESTION_TYPES
    assert "essay" not in grading.AUTO_GRADED_TYPES


def test_unknown_types_are_refused():
    assert question_types.find("cloze-nope") is None
    with pytest.raises(KeyError):
        question_types.get("cloze-nope")
    with pytest.raises(ValueError, match="Unknown question type"):
        grading.grade({"type": "cloze-nope", "text": "x"}, "a")
    assert grading.validate_question({"type": "cloze-nope"}) == [
        "Unknown question type 'cloze-nope'."
    ]


def test_registering_something_else_is_refused():
    with pytest.raises(TypeError):
        question_types.register(object())
    with pytest.raises(TypeError):
        question_types.register(BaseType())  # no name


# --------------------------------------------------------------------------
# A new type is one class + register, and flows through grading's functions


class Gaps(BaseType):
    """A fake two-gap type: the response is {gap id: word}, graded per gap."""

    name = "test-gaps"
    label = "Gaps"
    admin_help = "One row per gap."
    answer_columns = ("text",)

    def validate(self, question):
        gaps = question.get("gaps")
        if not isinstance(gaps, dict) or not gaps:
            return ["Add at least one gap."]
        return []

    def parts(self, question):
        return list(question["gaps"])

    def normalise(self, question, raw):
        if not isinstance(raw, dict) or not set(raw) <= set(question["gaps"]):
            raise InvalidResponse("Unknown gap.", code="unknown_gap")
        answered = {gap: word.strip() for gap, word in raw.items() if word.strip()}
        return answered or None

    def grade(self, question, response):
        given = response or {}
        parts = {
            gap: 1.0 if given.get(gap) == word else 0.0
            for gap, word in question["gaps"].items()
        }
        return Grade(
            grading.clamp(sum(parts.values()) / len(parts)), detail={"parts": parts}
        )

    def correct_response(self, question):
        return dict(question["gaps"])

    def read_post(self, post, key, snapshot, response):
        found = {
            gap: post[f"{key}-{gap}"]
            for gap in snapshot["gaps"]
            if f"{key}-{gap}" in post
        }
        return found or NOT_POSTED


@pytest.fixture
def gaps_type():
    question_types.register(Gaps)
    yield question_types.get("test-gaps")
    question_types.unregister("test-gaps")


GAPS = {
    "type": "test-gaps",
    "text": "Lima is in {1}, Quito in {2}.",
    "gaps": {"1": "Peru", "2": "Ecuador"},
}


def test_a_registered_type_flows_through_grading(gaps_type):
    assert question_types.names()[-1] == "test-gaps"
    assert "test-gaps" in grading.QUESTION_TYPES
    assert "test-gaps" in grading.AUTO_GRADED_TYPES
    assert grading.validate_question(GAPS) == []
    assert grading.validate_question({**GAPS, "gaps": {}, "text": ""}) == [
        "Write the question text.",
        "Add at least one gap.",
    ]
    assert grading.normalise_response(GAPS, {}) is None  # blank: no answer
    assert grading.normalise_response(GAPS, {"1": " Peru "}) == {"1": "Peru"}
    with pytest.raises(InvalidResponse):
        grading.normalise_response(GAPS, {"9": "x"})
    result = grading.grade(GAPS, {"1": "Peru", "2": "Chile"})
    assert result.fraction == 0.5
    assert result.detail["parts"] == {"1": 1.0, "2": 0.0}
    assert grading.score(GAPS, result, 4) == 2.0
    assert grading.correct_response(GAPS) == {"1": "Peru", "2": "Ecuador"}
    assert grading.grade(GAPS, grading.correct_response(GAPS)).fraction == 1.0


def test_a_registered_type_reads_its_posted_fields(gaps_type):
    from django.http import QueryDict

    from quizzes.forms import answers_from_post

    class Response:
        position = 3
        snapshot = GAPS
        answer = None

    post = QueryDict("q3-1=Peru&q3-2=&other=1")
    assert answers_from_post(post, [Response()]) == {3: {"1": "Peru", "2": ""}}
    assert answers_from_post(QueryDict("q4-1=x"), [Response()]) == {}


class XmlGaps(Gaps):
    """The fake type, with its own Moodle XML and GIFT parts."""

    moodle_xml_names = ("testgaps",)
    moodle_xml_type = "testgaps"

    def moodle_xml_read(self, reader, element, question, files):
        question["type"] = self.name
        question["gaps"] = {
            node.get("id"): reader.answer_text(node)
            for node in element.findall("answer")
        }
        if not question["gaps"]:
            reader.error(element, "a gaps question needs an answer")
            return False
        return None

    def moodle_xml_write(self, question, out):
        for gap, word in question["gaps"].items():
            out.add(f'<answer id="{gap}" fraction="100">')
            out.add(f"  <text>{out.cdata(word)}</text>")
            out.add("</answer>")

    def gift_write(self, question, fmt, out):
        return " ".join(f"={out.text(word, fmt)}" for word in question["gaps"].values())


@pytest.fixture
def xml_gaps_type():
    question_types.register(XmlGaps)
    yield
    question_types.unregister("test-gaps")


def test_a_registered_type_reads_and_writes_its_file_parts(xml_gaps_type):
    from quizzes.gift import write_gift
    from quizzes.moodle_xml import MoodleXmlError, parse_moodle_xml, write_moodle_xml

    question = {**GAPS, "title": "Capitals", "default_mark": 2.0}
    written = write_moodle_xml([question])
    assert '<question type="testgaps">' in written
    (parsed,) = parse_moodle_xml(written.encode()).questions
    assert parsed.question["type"] == "test-gaps"
    assert parsed.question["gaps"] == GAPS["gaps"]
    assert parsed.question["default_mark"] == 2.0
    refused = b'<?xml version="1.0"?><quiz><question type="testgaps"><name><text>x'
    refused += b"</text></name></question></quiz>"
    with pytest.raises(MoodleXmlError, match="a gaps question needs an answer"):
        parse_moodle_xml(refused)
    assert "{=Peru =Ecuador}" in write_gift([question])


def test_unregistering_removes_the_type(gaps_type):
    question_types.unregister("test-gaps")
    assert "test-gaps" not in grading.QUESTION_TYPES
    question_types.register(Gaps)  # the fixture unregisters it again


# --------------------------------------------------------------------------
# The admin editor shows only the chosen type's fields


def _layout(html: str) -> dict:
    match = re.search(r'data-type-layout="([^"]*)"', html)
    assert match, "the type menu carries the fields of each type"
    from html import unescape

    return json.loads(unescape(match.group(1)))


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_editor_carries_the_field_list_per_type(admin_client):
    response = admin_client.get(reverse("admin:quizzes_question_add"))
    html = response.content.decode()
    layout = _layout(html)
    assert list(layout) == question_types.names()
    assert layout["shortanswer"] == {
        "fields": ["case_sensitive"],
        "columns": ["text", "fraction", "feedback"],
    }
    assert layout["essay"] == {
        "fields": ["max_length", "essay_options", "response_template", "grader_info"],
        "columns": [],
    }
    assert layout["numerical"]["columns"] == [
        "number",
        "tolerance",
        "number_max",
        "fraction",
        "feedback",
    ]
    assert layout["description"] == {"fields": [], "columns": []}
    # The script that reads it, and no inline script.
    assert "js/question-type-fields.js" in html
    assert "<script>" not in html.replace(" ", "")
    # Every type-specific field is on the page (the script hides the others).
    for name in type_fields():
        assert f'name="{name}"' in html
    assert set(type_columns()) >= {"text", "match_text", "number"}


@pytest.mark.django_db
def test_saving_a_short_answer_ignores_an_essay_field(admin_client):
    course = make_course(slug="c", title="C")
    response = admin_client.post(
        reverse("admin:quizzes_question_add"),
        question_post(
            course=course,
            type=QuestionType.SHORTANSWER,
            rows=[answer_row("Lima", 1, number=5, match_text="x")],
            response_template="Write here",
            max_length="300",
            case_sensitive="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(key="q-admin")
    assert question.response_template == ""
    assert question.max_length is None
    assert question.case_sensitive is True  # a field of the type is kept
    row = question.answers.get()
    assert (row.text, row.fraction) == ("Lima", 1.0)
    # Columns the type does not use are cleared too.
    assert row.number is None and row.match_text == ""


@pytest.mark.django_db
def test_changing_an_essay_to_a_description_clears_its_fields(admin_client):
    course = make_course(slug="c", title="C")
    question = make_question(
        course=course,
        data={
            "type": "essay",
            "key": "q-essay",
            "text": "Discuss.",
            "response_template": "Intro:",
            "max_length": 500,
        },
    )
    from tests.admin.support import question_change_post

    post = question_change_post(
        question,
        type=QuestionType.DESCRIPTION,
        response_template="Intro:",
        max_length="500",
    )
    response = admin_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]), post
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.type == "description"
    assert (question.response_template, question.max_length) == ("", None)
