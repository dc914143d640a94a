"""The question-bank upload page takes every format (sniffed, or chosen), shows
what will be created before anything is written, and is all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Question, Quiz

pytestmark = pytest.mark.django_db

URL = reverse("admin:quizzes_question_import_gift")
AIKEN = (
    "Which river flows through Lima?\nA) Rimac\nB) Amazon\nANSWER: A\n\n"
    "How many sides has a pentagon?\nA. four\nB. five\nANSWER: B\n"
    "FEEDBACK: not part of Aiken\n"
)
BAD_AIKEN = "Stem on\ntwo lines?\nA) a\nB) b\nANSWER: A\n\nNext?\nA) a\nANSWER: A\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads wait for their import under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, course, text, **extra):
    upload = SimpleUploadedFile("bank.txt", text.encode(), content_type="text/plain")
    return client.post(URL, {"file": upload, "course": course.pk, **extra})


def test_the_page_offers_every_format_with_auto_first(instructor_client):
    html = instructor_client.get(URL).content.decode()

    for value in ("auto", "gift", "moodle-xml", "aiken", "json"):
        assert f'value="{value}"' in html
    assert html.index('value="auto"') < html.index('value="gift"')


def test_an_aiken_file_is_sniffed_and_imported(instructor_client, course_a):
    response = _post(instructor_client, course_a, AIKEN, quiz="week-1")

    assert response.status_code == 302
    questions = Question.objects.filter(course=course_a)
    assert sorted(questions.values_list("text", flat=True)) == [
        "How many sides has a pentagon?",
        "Which river flows through Lima?",
    ]
    assert Quiz.objects.get(course=course_a, slug="week-1").slots.count() == 2


def test_the_chosen_format_is_used(instructor_client, course_a):
    gift = "Capital? {=Lima ~Cusco}\n"

    response = _post(instructor_client, course_a, gift, format="aiken")

    assert response.status_code == 200  # read as Aiken, it has no ANSWER line
    assert "ANSWER" in response.content.decode()
    assert not Question.objects.filter(course=course_a).exists()


def test_a_bad_aiken_file_imports_nothing_and_names_every_line(
    instructor_client, course_a
):
    response = _post(instructor_client, course_a, BAD_AIKEN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2" in html and "Line 9" in html
    assert not Question.objects.filter(course=course_a).exists()


def test_the_preview_shows_what_will_be_created_and_writes_nothing(
    instructor_client, course_a
):
    response = _post(instructor_client, course_a, AIKEN, _preview="1")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="bank-preview"' in html
    assert "Which river flows through Lima?" in html
    assert "2 created" in html
    assert "Line 10" in html  # the warning: the FEEDBACK line is left out
    assert not Question.objects.filter(course=course_a).exists()


def test_importing_from_the_preview_stores_the_previewed_file(
    instructor_client, course_a
):
    html = _post(instructor_client, course_a, AIKEN, _preview="1").content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]

    response = instructor_client.post(
        URL, {"token": token, "course": course_a.pk, "format": "auto", "_import": "1"}
    )

    assert response.status_code == 302
    assert Question.objects.filter(course=course_a).count() == 2


def test_a_token_from_another_session_is_refused(
    instructor_client, superuser_client, course_a
):
    html = _post(superuser_client, course_a, AIKEN, _preview="1").content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]

    response = instructor_client.post(
        URL, {"token": token, "course": course_a.pk, "format": "auto", "_import": "1"}
    )

    assert response.status_code == 200
    assert not Question.objects.filter(course=course_a).exists()


def test_a_file_of_unknown_format_is_refused_clearly(instructor_client, course_a):
    response = _post(instructor_client, course_a, "Just notes.\n")

    assert "cannot tell the file&#x27;s format" in response.content.decode()
