# ruff: noqa: E501  (XML fixtures read best one element per line)
"""Moodle XML into and out of a course's bank (quizzes.banks.moodle_xml_*)."""

import base64

import pytest
from django.core.exceptions import PermissionDenied

from lessons.rendering import render_markdown
from quizzes.banks import moodle_xml_export, moodle_xml_import
from quizzes.models import Question, Quiz
from quizzes.moodle_xml import MoodleXmlError
from quizzes.snapshots import question_to_dict
from tests.factories import UserFactory, make_course

PNG = b"\x89PNG\r\n\x1a\n not really a picture"

XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/Geography/Capitals</text></category></question>
<question type="multichoice">
  <name><text>Capital of Peru</text></name>
  <questiontext format="html"><text><![CDATA[<p>What is the capital of <b>Peru</b>? <img src="@@PLUGINFILE@@/flag%20pe.png" alt="flag"></p>]]></text>
    <file name="flag pe.png" path="/" encoding="base64">{base64.b64encode(PNG).decode()}</file>
  </questiontext>
  <generalfeedback format="html"><text>Lima.</text></generalfeedback>
  <defaultgrade>2</defaultgrade>
  <idnumber>peru-capital</idnumber>
  <single>true</single>
  <answer fraction="100" format="html"><text>Lima</text><feedback format="html"><text>Right.</text></feedback></answer>
  <answer fraction="0" format="html"><text>Cusco</text><feedback format="html"><text></text></feedback></answer>
  <tags><tag><text>easy</text></tag></tags>
</question>
<question type="truefalse">
  <name><text>Lima on the coast</text></name>
  <questiontext format="moodle_auto_format"><text>Lima is on the coast.</text></questiontext>
  <answer fraction="100"><text>true</text></answer>
  <answer fraction="0"><text>false</text></answer>
</question>
<question type="category"><category><text>$course$/top/History</text></category></question>
<question type="numerical">
  <name><text>Independence</text></name>
  <questiontext format="html"><text>In which year?</text></questiontext>
  <answer fraction="100"><text>1821</text><tolerance>0</tolerance></answer>
</question>
<question type="essay">
  <name><text>War</text></name>
  <questiontext format="html"><text>Describe the War of the Pacific.</text></questiontext>
  <responsetemplate format="html"><text>It began in</text></responsetemplate>
</question>
</quiz>
""".encode()


@pytest.fixture
def course(db):
    return make_course(modules=1, lessons_per_module=1, slug="geo", title="Geography")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def test_import_stores_each_question_with_category_tags_key_and_mark(course, media):
    report = moodle_xml_import(course=course, data=XML)
    assert len(report.created) == 4
    peru = Question.objects.get(course=course, key="peru-capital")
    assert peru.type == "single"
    assert peru.category == "Geography/Capitals"
    assert peru.tags == ["category:Geography/Capitals", "easy"]
    assert peru.default_mark == 2.0
    assert peru.general_feedback == "Lima."
    assert [(a.text, a.fraction) for a in peru.answers.order_by("pk")] == [
        ("Lima", 1.0),
        ("Cusco", 0.0),
    ]
    essay = Question.objects.get(course=course, title="War")
    assert essay.category == "History"
    assert essay.response_template == "It began in"
    assert Question.objects.get(course=course, title="Independence").type == "numerical"


def test_embedded_files_go_to_storage_and_links_are_rewritten(course, media):
    report = moodle_xml_import(course=course, data=XML)
    assert report.files_saved == 1
    peru = Question.objects.get(course=course, key="peru-capital")
    (stored,) = list((media / "questions" / str(course.pk)).iterdir())
    assert stored.read_bytes() == PNG
    assert stored.suffix == ".png"
    assert f'src="/media/questions/{course.pk}/{stored.name}"' in peru.text
    assert "@@PLUGINFILE@@" not in peru.text


def test_html_question_text_renders_sanitised(course, media):
    moodle_xml_import(
        course=course,
        data=XML.replace(b"<b>Peru</b>", b"<b>Peru</b><script>x()</script>"),
    )
    html = render_markdown(Question.objects.get(course=course, key="peru-capital").text)
    assert "<p>What is the capital of <b>Peru</b>?" in html
    assert "<script" not in html


def test_a_dry_run_writes_nothing(course, media):
    report = moodle_xml_import(course=course, data=XML, dry_run=True)
    assert len(report.created) == 4 and report.dry_run
    assert not Question.objects.filter(course=course).exists()
    assert not (media / "questions").exists()


def test_importing_twice_creates_nothing_and_idnumber_finds_a_renamed_question(
    course, media
):
    moodle_xml_import(course=course, data=XML)
    again = moodle_xml_import(course=course, data=XML)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 4)
    renamed = moodle_xml_import(
        course=course, data=XML.replace(b"Capital of Peru", b"Peru's capital")
    )
    assert [q.key for q in renamed.updated] == ["peru-capital"]
    assert Question.objects.filter(course=course).count() == 4


def test_a_broken_file_is_refused_whole(course, media):
    broken = XML.replace(b'type="numerical"', b'type="calculated"')
    with pytest.raises(MoodleXmlError, match="type 'calculated' is not supported"):
        moodle_xml_import(course=course, data=broken)
    assert not Question.objects.filter(course=course).exists()


def test_bank_problems_are_reported_with_the_question_line(course, media):
    no_right_answer = XML.replace(
        b'<answer fraction="100"><text>1821', b'<answer fraction="0"><text>1821'
    )
    with pytest.raises(MoodleXmlError) as caught:
        moodle_xml_import(course=course, data=no_right_answer)
    assert [str(p) for p in caught.value.errors] == [
        "line 24, <question>: At least one answer must be worth 100%."
    ]


def test_only_instructors_import(course, media):
    with pytest.raises(PermissionDenied):
        moodle_xml_import(course=course, data=XML, user=UserFactory())


def test_import_into_a_quiz(course, media):
    report = moodle_xml_import(course=course, data=XML, quiz_slug="week-1")
    assert report.quiz_created and report.added_to_quiz == 4
    assert Quiz.objects.get(course=course, slug="week-1").slots.count() == 4


def _bank(course) -> list[dict]:
    rows = (
        Question.objects.filter(course=course)
        .prefetch_related("answers")
        .order_by("key")
    )
    out = []
    for question in rows:
        data = question_to_dict(question)
        for name in ("options", "pairs", "items"):
            for entry in data.get(name) or ():
                entry.pop("id")
        data.pop("lesson_id")
        data.update(category=question.category, tags=question.tags)
        # Each course keeps its files in its own folder.
        data["text"] = data["text"].replace(f"/questions/{course.pk}/", "/questions/N/")
        out.append(data)
    return out


def test_export_then_import_into_another_course_is_the_same_bank(course, media):
    moodle_xml_import(course=course, data=XML)
    other = make_course(modules=1, lessons_per_module=1, slug="copy", title="Copy")
    moodle_xml_import(course=other, data=moodle_xml_export(course=course).encode())
    assert _bank(other) == _bank(course)


def test_export_of_one_quiz(course, media):
    moodle_xml_import(course=course, data=XML, quiz_slug="week-1")
    xml = moodle_xml_export(course=course, quiz=Quiz.objects.get(slug="week-1"))
    assert xml.count("<question type=") == 4 + 2


SAME_NAMES = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="truefalse">
  <name><text>True or false?</text></name>
  <questiontext format="html"><text>The sky is blue.</text></questiontext>
  <answer fraction="100"><text>true</text></answer>
  <answer fraction="0"><text>false</text></answer>
</question>
<question type="truefalse">
  <name><text>True or false?</text></name>
  <questiontext format="html"><text>Grass is red.</text></questiontext>
  <answer fraction="0"><text>true</text></answer>
  <answer fraction="100"><text>false</text></answer>
</question>
</quiz>
"""


def test_questions_with_the_same_name_are_told_apart_by_their_text(course, media):
    """Moodle takes a file whose questions share a name; so do we, with a warning."""
    report = moodle_xml_import(course=course, data=SAME_NAMES)
    assert len(report.created) == 2
    assert "same name as the question on line 3" in str(report.warnings[0])
    again = moodle_xml_import(course=course, data=SAME_NAMES)
    assert len(again.unchanged) == 2


def test_export_embeds_the_stored_files_and_a_copy_links_its_own(course, media):
    moodle_xml_import(course=course, data=XML)
    xml = moodle_xml_export(course=course)
    assert '<file name="' in xml and "@@PLUGINFILE@@/" in xml
    assert "/media/questions/" not in xml
    other = make_course(modules=1, lessons_per_module=1, slug="copy", title="Copy")
    moodle_xml_import(course=other, data=xml.encode())
    copied = Question.objects.get(course=other, key="peru-capital")
    (stored,) = list((media / "questions" / str(other.pk)).iterdir())
    assert stored.read_bytes() == PNG
    assert f'src="/media/questions/{other.pk}/{stored.name}"' in copied.text


def test_hidden_questions_arrive_unpublished_and_unpublished_ones_leave_hidden(
    course, media
):
    moodle_xml_import(
        course=course, data=XML.replace(b"<idnumber>", b"<hidden>1</hidden><idnumber>")
    )
    assert not Question.objects.get(course=course, key="peru-capital").is_published
    assert Question.objects.get(course=course, title="War").is_published
    xml = moodle_xml_export(course=course)
    assert xml.count("<hidden>1</hidden>") == 1
    other = make_course(modules=1, lessons_per_module=1, slug="copy", title="Copy")
    moodle_xml_import(course=other, data=xml.encode())
    assert not Question.objects.get(course=other, key="peru-capital").is_published
