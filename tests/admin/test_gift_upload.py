"""The GIFT upload page in the admin: all or nothing, scoped to taught courses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question

pytestmark = pytest.mark.django_db

URL = reverse("admin:quizzes_question_import_gift")
GOOD = "$CATEGORY: forts\n\n::Sea::Which sea? {=Pacific ~Atlantic}\n\nTrue? {T}\n"
BAD = "::One::First {=a ~b}\n\n::Two::Second {=a ~b\n\n::Three::Third {~a ~b}\n"


def _post(client, course, text, **extra):
    upload = SimpleUploadedFile("bank.gift", text.encode(), content_type="text/plain")
    return client.post(URL, {"file": upload, "course": course.pk, **extra})


def test_the_question_list_links_to_the_upload_page(superuser_client):
    html = superuser_client.get(reverse("admin:quizzes_question_changelist"))
    assert URL in html.content.decode()


def test_a_good_file_imports_every_question_into_the_course(
    instructor_client, course_a
):
    response = _post(instructor_client, course_a, GOOD)

    assert response.status_code == 302
    questions = Question.objects.filter(course=course_a)
    assert questions.count() == 2
    assert questions.get(title="Sea").category == "forts"


def test_a_bad_file_imports_nothing_and_names_every_broken_line(
    instructor_client, course_a
):
    response = _post(instructor_client, course_a, BAD)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 3" in html and "Line 5" in html
    assert not Question.objects.filter(course=course_a).exists()


def test_an_instructor_cannot_upload_into_a_course_they_do_not_teach(
    instructor_client, course_a, course_b
):
    response = _post(instructor_client, course_b, GOOD)

    assert response.status_code == 200  # the form refuses the choice
    assert not Question.objects.filter(course=course_b).exists()


def test_a_student_cannot_open_the_upload_page(client, course_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(URL).status_code == 302  # to the admin login
