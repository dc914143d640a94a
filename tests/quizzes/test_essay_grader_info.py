# ruff: noqa: E501  (XML fixtures read best one element per line)
"""An essay's information for graders (Moodle's ``<graderinfo>``): stored on the
question, carried by every bank format that can say it, edited in the admin for
essays only, and never shown to the student who answers."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from quizzes import services
from quizzes.banks import (
    bank_export_json,
    bank_import_json,
    gift_export,
    gift_import,
    moodle_xml_export,
    moodle_xml_import,
)
from quizzes.grading import validate_question
from quizzes.grading_services import response_grade_manually
from quizzes.models import Question, QuestionType
from tests.admin.support import question_change_post, question_post
from tests.factories import UserFactory, make_course, make_question, make_quiz
from tests.quizzes.support import attempt_url, result_url, summary_url

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n not really a picture"
GRADER_INFO = "GRADER-INFO-MARKER: award 4 marks for the mediator."

# An essay as Moodle 4.x exports it (question/format/xml/format.php).
XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="essay">
    <name>
      <text>Treaty essay</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Discuss the treaty of 1828.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>A model answer names the mediator.</p>]]></text>
    </generalfeedback>
    <defaultgrade>10.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>treaty-essay</idnumber>
    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit></maxwordlimit>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist></filetypeslist>
    <graderinfo format="html">
      <text><![CDATA[<p>Award <strong>4 marks</strong> for the mediator.</p><p><img src="@@PLUGINFILE@@/rubric.png" alt="rubric"></p>]]></text>
      <file name="rubric.png" path="/" encoding="base64">{base64.b64encode(PNG).decode()}</file>
    </graderinfo>
    <responsetemplate format="html">
      <text></text>
    </responsetemplate>
  </question>
</quiz>
""".encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


@pytest.fixture
def bank(course, media):
    moodle_xml_import(course=course, data=XML)
    return Question.objects.get(course=course, key="treaty-essay")


# ------------------------------------------------------------------ banks


def test_moodle_xml_import_stores_the_grader_information_with_its_file(bank, media):
    (stored,) = list((media / "questions" / str(bank.course_id)).iterdir())
    assert stored.read_bytes() == PNG
    assert bank.grader_info == (
        "<p>Award <strong>4 marks</strong> for the mediator.</p>"
        f'<p><img src="/media/questions/{bank.course_id}/{stored.name}" alt="rubric"></p>'
    )
    assert bank.general_feedback == "<p>A model answer names the mediator.</p>"


def test_moodle_xml_export_writes_it_back_and_the_copy_is_the_same(bank, course):
    xml = moodle_xml_export(course=course)

    graderinfo = xml.split("<graderinfo")[1].split("</graderinfo>")[0]
    assert "Award <strong>4 marks</strong>" in graderinfo
    assert "@@PLUGINFILE@@/" in graderinfo and '<file name="' in graderinfo
    assert moodle_xml_import(course=course, data=xml.encode()).unchanged == [bank]
    other = make_course(slug="copy", title="Copy")
    moodle_xml_import(course=other, data=xml.encode())
    copied = Question.objects.get(course=other, key="treaty-essay")
    assert copied.grader_info == bank.grader_info.replace(
        f"/questions/{course.pk}/", f"/questions/{other.pk}/"
    )


def test_importing_the_same_file_again_changes_nothing(bank, course):
    again = moodle_xml_import(course=course, data=XML)

    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 1)


def test_a_file_with_new_grader_information_updates_the_question(bank, course):
    edited = XML.replace(b"Award <strong>4 marks</strong>", b"Award 5 marks")

    report = moodle_xml_import(course=course, data=edited)

    assert report.updated == [bank]
    bank.refresh_from_db()
    assert bank.grader_info.startswith("<p>Award 5 marks for the mediator.</p>")


def test_the_json_bank_carries_it(bank, course):
    data = bank_export_json(course)

    (exported,) = data["questions"]
    assert exported["grader_info"] == bank.grader_info
    other = make_course(slug="copy", title="Copy")
    bank_import_json(course=other, data=data)
    assert Question.objects.get(course=other, key=bank.key).grader_info == (
        bank.grader_info
    )


def test_a_gift_re_import_keeps_what_gift_cannot_say(bank, course):
    """GIFT has no grader information: re-importing a bank's GIFT keeps it."""
    text = gift_export([bank]).text

    report = gift_import(course=course, text=text)

    assert report.unchanged == [bank]
    bank.refresh_from_db()
    assert bank.grader_info.startswith("<p>Award <strong>4 marks</strong>")


# ------------------------------------------------------------------ admin


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_editor_edits_an_essay_s_grader_information(admin_client, course):
    question = make_question(
        course=course, data={"type": "essay", "key": "q-essay", "text": "Discuss."}
    )
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    assert 'name="grader_info"' in admin_client.get(url).content.decode()

    response = admin_client.post(
        url, question_change_post(question, grader_info="Look for **the date**.")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.grader_info == "Look for **the date**."


def test_another_type_saves_no_grader_information(admin_client, course):
    response = admin_client.post(
        reverse("admin:quizzes_question_add"),
        question_post(
            course=course,
            type=QuestionType.DESCRIPTION,
            grader_info="Not for a description",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.get(key="q-admin").grader_info == ""


# ------------------------------------------------------------------ students


@pytest.fixture
def essay_quiz(course):
    return make_quiz(
        course=course,
        questions=[
            {
                "type": "essay",
                "title": "Your view",
                "text": "Discuss the treaty.",
                "general_feedback": "A model answer.",
                "grader_info": GRADER_INFO,
            }
        ],
    )


def test_the_student_s_attempt_pages_never_show_it(
    enrolled_client, student, essay_quiz
):
    attempt = services.attempt_start(quiz=essay_quiz, user=student)
    page = enrolled_client.get(attempt_url(attempt))
    saved = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0": "The treaty settled it."}
    )
    summary = enrolled_client.get(summary_url(attempt))

    assert page.status_code == 200
    assert "Discuss the treaty." in page.content.decode()
    for response in (page, saved, summary):
        assert "GRADER-INFO-MARKER" not in response.content.decode()


def test_the_student_s_review_never_shows_it(enrolled_client, student, essay_quiz):
    """Not while the essay waits, nor once graded, with every review option on."""
    attempt = services.attempt_start(quiz=essay_quiz, user=student)
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0": "The treaty settled it."}
    )
    services.attempt_submit(attempt=attempt)
    waiting = enrolled_client.get(result_url(attempt)).content.decode()
    response_grade_manually(
        response=attempt.responses.get(),
        score=1.0,
        feedback="Good.",
        user=UserFactory(username="grader", is_staff=True, is_superuser=True),
    )
    graded = enrolled_client.get(result_url(attempt)).content.decode()

    assert "A model answer." in graded  # the review shows the general feedback
    assert "Good." in graded
    assert "GRADER-INFO-MARKER" not in waiting
    assert "GRADER-INFO-MARKER" not in graded


def test_grader_information_that_is_not_text_is_refused():
    essay = {"type": "essay", "title": "E", "text": "Discuss.", "default_mark": 1.0}

    assert validate_question({**essay, "grader_info": "Look for dates."}) == []
    assert "The information for graders must be text." in validate_question(
        {**essay, "grader_info": ["not", "text"]}
    )
