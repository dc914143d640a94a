"""The GIFT upload page lists the first 100 problems of a file and counts the
rest: a file with a problem on every line must not make a page of megabytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lessons.problems import MAX_REPORTED
from quizzes.models import Question

pytestmark = pytest.mark.django_db

MANY_ERRORS = "::Q::Broken {=a ~b\n\n" * 5000


def test_the_upload_page_shows_the_first_hundred_problems_and_the_count(
    instructor_client, course_a
):
    upload = SimpleUploadedFile("bank.gift", MANY_ERRORS.encode())

    response = instructor_client.post(
        reverse("admin:quizzes_question_import_gift"),
        {"file": upload, "course": course_a.pk},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<li>Line ") == MAX_REPORTED
    assert "The file has 5000 problems" in html
    assert "4900 more problems" in html
    assert not Question.objects.filter(course=course_a).exists()
