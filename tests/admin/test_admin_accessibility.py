"""The admin pages instructors use name every input and say whose admin it is."""

import re

import pytest
from django.contrib.auth.models import Group

from lessons.roles import INSTRUCTORS_GROUP
from tests.factories import StaffFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor_client(client):
    course = make_course(slug="history")
    user = StaffFactory(username="ines")
    user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    course.instructors.add(user)
    client.force_login(user)
    client.course = course
    return client


def test_the_admin_says_coursesite_not_django(instructor_client):
    html = instructor_client.get("/admin/").content.decode()
    assert "coursesite administration" in html
    assert "Django administration" not in html


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<(input|textarea|select)[^>]*id="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def test_inline_answer_inputs_carry_their_column_name(instructor_client):
    html = instructor_client.get("/admin/quizzes/question/add/").content.decode()
    assert 'aria-label="Text"' in _tag(html, "id_answers-0-text")
    assert 'aria-label="Matching answer"' in _tag(html, "id_answers-0-match_text")


def test_split_date_and_time_inputs_are_each_named(instructor_client):
    html = instructor_client.get("/admin/quizzes/quiz/add/").content.decode()
    assert 'aria-label="Opens: date"' in _tag(html, "id_open_at_0")
    assert 'aria-label="Opens: time"' in _tag(html, "id_open_at_1")


def test_list_editing_inputs_are_named(instructor_client):
    html = instructor_client.get("/admin/lessons/lesson/").content.decode()
    assert 'aria-label="Position"' in _tag(html, "id_form-0-position")


def test_inline_delete_boxes_say_which_row(instructor_client):
    from tests.factories import make_question

    question = make_question(
        course=instructor_client.course,
        data={
            "type": "single",
            "text": "Which?",
            "options": [
                {"text": "A", "fraction": 1.0},
                {"text": "B", "fraction": 0.0},
            ],
        },
    )
    url = f"/admin/quizzes/question/{question.pk}/change/"
    html = instructor_client.get(url).content.decode()
    assert 'aria-label="Delete row 2"' in _tag(html, "id_answers-1-DELETE")
