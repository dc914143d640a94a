"""Tests for export_gift (a quiz's or a course's questions as GIFT) and the
"Export selected questions as GIFT" admin action."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from quizzes.banks import quiz_questions
from quizzes.models import Question, Quiz
from tests.admin import conftest as admin_fixtures
from tests.factories import make_course, make_question, make_quiz
from tests.quizzes.samples import sample
from tests.quizzes.test_gift_commands import comparable

# The admin fixtures (tests/admin/conftest.py): an instructor of course A only.
instructors_group = admin_fixtures.instructors_group
instructor = admin_fixtures.instructor
course_a = admin_fixtures.course_a
course_b = admin_fixtures.course_b
instructor_client = admin_fixtures.instructor_client
superuser = admin_fixtures.superuser
superuser_client = admin_fixtures.superuser_client

# One question of every type GIFT can express, with only what GIFT can say.
EXPRESSIBLE = [
    sample("single"),
    sample("multiple"),
    sample("truefalse"),
    sample("shortanswer"),
    sample("numerical"),
    sample("matching"),
    sample("essay", max_length=None, response_template=""),
    sample("description", default_mark=0.0),
]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_gift", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def courses(db):
    return make_course(slug="first"), make_course(slug="second")


@pytest.fixture
def quiz(courses):
    return make_quiz(course=courses[0], slug="all-types", questions=EXPRESSIBLE)


def test_quiz_export_round_trips_through_import_gift(tmp_path, courses, quiz):
    text, err = run("--quiz", "all-types", "--course", "first")
    assert err == ""
    assert "::Capital of Peru::" in text and "::Read this::" in text
    path = tmp_path / "out.gift"
    path.write_text(text, encoding="utf-8")
    call_command(
        "import_gift", str(path), "--course", "second", "--quiz", "copy",
        stdout=io.StringIO(),
    )  # fmt: skip
    copies = quiz_questions(Quiz.objects.get(course=courses[1], slug="copy"))
    assert len(copies) == len(EXPRESSIBLE)
    assert [comparable(q) for q in copies] == [
        comparable(q) for q in quiz_questions(quiz)
    ]


def test_course_export_writes_the_whole_bank(courses, quiz):
    first, second = courses
    make_question(course=first, data=sample("truefalse", title="Not in a quiz"))
    make_question(course=second, data=sample("truefalse", title="Other course"))
    text, _ = run("--course", "first")
    assert "::Not in a quiz::" in text and "::Capital of Peru::" in text
    assert "Other course" not in text
    quiz_text, _ = run("--quiz", "all-types", "--course", "first")
    assert "Not in a quiz" not in quiz_text


def test_ordering_questions_are_skipped_with_a_note(courses):
    first, _ = courses
    make_quiz(
        course=first, slug="mixed", questions=[sample("ordering"), sample("single")]
    )
    for args in (("--quiz", "mixed", "--course", "first"), ("--course", "first")):
        text, err = run(*args)
        assert "Capital of Peru" in text
        assert "Events in order" not in text
        assert "GIFT cannot hold a question of type 'ordering'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --course"),
        (("--quiz", "all-types"), "give --course"),
        (("--course", "nope"), "no course with slug 'nope'"),
        (("--course", "first", "--quiz", "nope"), "no quiz 'nope' in course 'first'"),
    ],
)
def test_errors(courses, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# ---------------------------------------------------------------- admin action


def export_action(client, questions):
    return client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "export_gift", "_selected_action": [q.pk for q in questions]},
    )


def test_admin_action_downloads_the_selected_questions(superuser_client, db):
    course = make_course(slug="c")
    chosen = make_question(course=course, data=sample("single"))
    make_question(course=course, data=sample("matching"))
    response = export_action(superuser_client, [chosen])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="questions.gift"'
    body = response.content.decode()
    assert "::Capital of Peru::" in body
    assert "Capitals" not in body


def test_admin_action_exports_nothing_of_another_course(
    instructor_client, course_a, course_b
):
    own = make_question(course=course_a, data=sample("truefalse", title="Mine"))
    other = make_question(course=course_b, data=sample("single", title="Theirs"))
    response = export_action(instructor_client, [other])
    assert response["Content-Disposition"] == 'attachment; filename="questions.gift"'
    assert response.content == b""
    response = export_action(instructor_client, [own, other])
    body = response.content.decode()
    assert "::Mine::" in body
    assert "Theirs" not in body
    assert Question.objects.filter(course=course_b).count() == 1
