"""A question bank is refused whole, with a message naming the quiz or question
and the field, when its settings are out of range or a text cannot be rendered;
the database's constraints never end an import with an IntegrityError."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from quizzes.bank_checks import quiz_settings_problems
from quizzes.models import Question, Quiz
from quizzes.services import BankError, question_bank_import
from tests.quizzes.samples import sample

pytestmark = pytest.mark.django_db

NESTED = "".join("    " * level + "- a\n" for level in range(300))


def _bank(lesson, **quiz) -> dict:
    return {
        "quizzes": [
            {
                "slug": "check",
                "title": "Check",
                "lesson": lesson.slug,
                "questions": [sample("single", key="q-single")],
                **quiz,
            }
        ]
    }


def _write(tmp_path, data) -> str:
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_percentage_pass_mark_is_refused_naming_the_quiz_and_field(course, lesson):
    with pytest.raises(BankError) as caught:
        question_bank_import(course=course, data=_bank(lesson, pass_mark=50))

    assert "quiz 'check'" in str(caught.value)
    assert "'pass_mark'" in str(caught.value)
    assert not Quiz.objects.filter(course=course).exists()
    assert not Question.objects.filter(course=course).exists()


def test_import_questions_with_a_percentage_pass_mark_fails_with_a_message(
    tmp_path, course, lesson
):
    path = _write(tmp_path, _bank(lesson, pass_mark=50))

    with pytest.raises(CommandError, match="pass_mark"):
        call_command("import_questions", path, course=course.slug, stdout=io.StringIO())
    assert not Quiz.objects.filter(course=course).exists()


def test_unknown_review_options_are_refused(course, lesson):
    data = _bank(lesson, review_options={"immediately": ["marks", "secrets"]})

    with pytest.raises(BankError, match="review_options.*secrets"):
        question_bank_import(course=course, data=data)
    assert not Quiz.objects.filter(course=course).exists()


def test_valid_review_options_are_stored(course, lesson):
    options = {"immediately": ["responses", "marks"], "closed": ["marks"]}

    question_bank_import(course=course, data=_bank(lesson, review_options=options))

    assert Quiz.objects.get(course=course, slug="check").review_options == options


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pass_mark", -0.1),
        ("pass_mark", "0.5"),
        ("attempts_allowed", -1),
        ("attempts_allowed", 1.5),
        ("questions_per_page", -2),
        ("draw_count", -1),
        ("weight", -1),
        ("time_limit_minutes", -5),
        ("grading_method", "best"),
        ("shuffle_options", "yes"),
        ("review_options", ["marks"]),
        ("marks", {"q-single": -5}),
    ],
)
def test_out_of_range_settings_are_named(field, value):
    problems = quiz_settings_problems({"slug": "exam", field: value})

    assert len(problems) == 1
    assert "quiz 'exam'" in problems[0] and field in problems[0]


def test_the_seed_bank_settings_pass():
    from tests.helpers import CONTENT_DIR  # noqa: PLC0415

    data = json.loads(
        (CONTENT_DIR / "military-diplomacy.questions.json").read_text("utf-8")
    )
    assert [p for quiz in data["quizzes"] for p in quiz_settings_problems(quiz)] == []


def test_a_question_text_nested_too_deeply_is_refused(course, lesson):
    question = sample("single", key="deep") | {"text": NESTED[:20_000]}
    data = _bank(lesson) | {}
    data["quizzes"][0]["questions"] = [question]

    with pytest.raises(BankError, match="question 'deep': text: .*nested"):
        question_bank_import(course=course, data=data)
    assert not Question.objects.filter(course=course).exists()


def test_a_bank_with_thousands_of_problems_reports_the_first_hundred_and_a_count(
    course, lesson
):
    data = _bank(lesson)
    data["quizzes"][0]["questions"] = [
        {"key": f"k{n}", "type": "single", "text": "?", "options": []}
        for n in range(5000)
    ]

    with pytest.raises(BankError) as caught:
        question_bank_import(course=course, data=data)

    lines = str(caught.value).splitlines()
    assert len(lines) == 101
    assert "more problems" in lines[-1]
