"""Tags are typed as "a, b, c" in a plain text box; the server stores the list."""

import pytest
from django.urls import reverse

from quizzes.admin_forms import parse_tags
from quizzes.models import Question
from tests.admin.support import SINGLE, question_change_post
from tests.factories import make_question


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("", []),
        ("treaties", ["treaties"]),
        ("treaties, 1828", ["treaties", "1828"]),
        (" treaties ,, 1828 ,", ["treaties", "1828"]),
        ("Treaties, treaties, TREATIES", ["Treaties"]),
        ("border   disputes, war", ["border disputes", "war"]),
        ('["treaties", "1828"]', ["treaties", "1828"]),
        ("[not json", ["[not json"]),
    ],
)
def test_typed_tags_become_a_list(typed, tags):
    assert parse_tags(typed) == tags


@pytest.mark.django_db
def test_the_editor_shows_tags_comma_separated_and_saves_them_as_a_list(
    instructor_client, course_a
):
    question = make_question(course=course_a, data=SINGLE, tags=["treaties", "1828"])
    url = reverse("admin:quizzes_question_change", args=[question.pk])

    html = instructor_client.get(url).content.decode()
    assert 'value="treaties, 1828"' in html
    assert "data-tags" in html

    data = question_change_post(question, tags="treaties, border disputes, ")
    response = instructor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get(pk=question.pk).tags == ["treaties", "border disputes"]
