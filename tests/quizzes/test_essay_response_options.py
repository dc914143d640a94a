# ruff: noqa: E501  (XML fixtures read best one element per line)
"""An essay's Moodle response options (quizzes.moodle_options, quizzes/types/
essay.py): read from Moodle 4.x XML, stored, written back; what coursesite
cannot honour (file attachments) is a warning naming the question and line;
the attempt page shapes its text box by them and states the word limits."""

from pathlib import Path

import pytest

from quizzes import moodle_options, services
from quizzes.banks import (
    bank_export_json,
    bank_import_json,
    gift_export,
    gift_import,
    moodle_xml_export,
    moodle_xml_import,
)
from quizzes.grading import grade, normalise_response, validate_question
from quizzes.models import Question
from quizzes.moodle_xml import parse_moodle_xml, write_moodle_xml
from quizzes.types.essay import word_count, word_limit_problem
from tests.factories import make_course, make_quiz
from tests.quizzes.support import attempt_url, summary_url

CORPUS = Path("/work/corpus/banks/xml/08-moodletools-essay.xml")


def essay_xml(options: str, name: str = "Treaty essay", idnumber: str = "") -> str:
    """An essay as Moodle 4.x writes it (question/format/xml/format.php):
    ``options`` are its response elements, in Moodle's order."""
    return f"""  <question type="essay">
    <name>
      <text>{name}</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Discuss the treaty of 1828.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>10.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>{idnumber}</idnumber>
{options}
    <graderinfo format="html">
      <text></text>
    </graderinfo>
    <responsetemplate format="html">
      <text></text>
    </responsetemplate>
  </question>"""


def quiz(*questions: str) -> bytes:
    body = "\n".join(questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


PLAIN_WITH_LIMITS = """    <responseformat>monospaced</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>10</responsefieldlines>
    <minwordlimit>50</minwordlimit>
    <maxwordlimit>500</maxwordlimit>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist></filetypeslist>"""

MOODLE_DEFAULTS = """    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit></maxwordlimit>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist></filetypeslist>"""

WITH_ATTACHMENTS = """    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit></maxwordlimit>
    <attachments>3</attachments>
    <attachmentsrequired>1</attachmentsrequired>
    <maxbytes>15360</maxbytes>
    <filetypeslist>document,.pdf,.docx</filetypeslist>"""

NO_INLINE = """    <responseformat>noinline</responseformat>
    <responserequired>0</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit></maxwordlimit>
    <attachments>1</attachments>
    <attachmentsrequired>1</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist>.pdf</filetypeslist>"""


def only(data: bytes) -> tuple[dict, list[str]]:
    parsed = parse_moodle_xml(data)
    (item,) = parsed.questions
    return item.question, [str(w) for w in parsed.warnings]


# ------------------------------------------------------------------ reading


def test_format_lines_and_word_limits_are_read():
    q, warnings = only(quiz(essay_xml(PLAIN_WITH_LIMITS)))

    assert q["response_format"] == "monospaced"
    assert q["response_field_lines"] == 10
    assert q["min_word_limit"] == 50
    assert q["max_word_limit"] == 500
    assert "response_required" not in q  # the default: required
    assert warnings == []


def test_moodle_s_defaults_add_nothing_to_the_dict():
    q, warnings = only(quiz(essay_xml(MOODLE_DEFAULTS)))

    assert not set(moodle_options.ESSAY_OPTIONS) & set(q)
    assert warnings == []


def test_an_old_file_without_the_elements_reads_as_moodle_s_defaults():
    q, warnings = only(quiz(essay_xml("")))

    assert not set(moodle_options.ESSAY_OPTIONS) & set(q)
    assert warnings == []


def test_text_input_optional_is_kept():
    q, _ = only(
        quiz(
            essay_xml(
                MOODLE_DEFAULTS.replace("<responserequired>1", "<responserequired>0")
            )
        )
    )

    assert q["response_required"] is False


def test_file_attachments_are_a_warning_naming_the_question_and_line():
    data = quiz(essay_xml(WITH_ATTACHMENTS, name="Lab report"))
    q, warnings = only(data)

    line = next(
        number
        for number, text in enumerate(data.decode().splitlines(), start=1)
        if "<attachments>" in text
    )
    assert warnings == [
        f"line {line}, <attachments>: the essay 'Lab report' asks for file "
        "attachments, which coursesite does not take: students can answer only "
        "in text"
    ]
    assert q["type"] == "essay"  # imported as a text essay


def test_no_inline_text_is_imported_as_a_text_essay_with_a_warning():
    data = quiz(essay_xml(NO_INLINE, name="Upload your drawing"))
    q, warnings = only(data)

    line = next(
        number
        for number, text in enumerate(data.decode().splitlines(), start=1)
        if "<responseformat>" in text
    )
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"line {line}, <responseformat>: the essay 'Upload your drawing' takes only "
        "file attachments in Moodle (no text), which coursesite does not take: it is "
        "imported with a text box"
    )
    assert q.get("response_format", "editor") == "editor"
    assert q["response_required"] is False


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            MOODLE_DEFAULTS.replace("<minwordlimit></", "<minwordlimit>many</"),
            "<minwordlimit> must be a whole number (found 'many')",
        ),
        (
            PLAIN_WITH_LIMITS.replace("<minwordlimit>50<", "<minwordlimit>600<"),
            "the minimum word limit (600) is above the maximum (500): neither is kept",
        ),
        (
            MOODLE_DEFAULTS.replace("<responseformat>editor<", "<responseformat>wiki<"),
            "unknown response format 'wiki': 'editor' is used",
        ),
    ],
)
def test_what_cannot_be_read_is_a_warning_and_the_default(options, message):
    q, warnings = only(quiz(essay_xml(options)))

    assert len(warnings) == 1 and warnings[0].endswith(message)
    assert "min_word_limit" not in q and "max_word_limit" not in q
    assert q.get("response_format", "editor") in moodle_options.RESPONSE_FORMATS


def test_the_moodletools_corpus_essays():
    """The first asks for an attachment (a warning); the second is plain text."""
    parsed = parse_moodle_xml(CORPUS.read_bytes())

    first, second = (item.question for item in parsed.questions)
    assert (first["min_word_limit"], first["max_word_limit"]) == (50, 500)
    assert first["response_field_lines"] == 10
    assert second["response_format"] == "plain"
    assert [w.element for w in parsed.warnings] == ["attachments"]
    assert "'Essay question'" in parsed.warnings[0].message


# ------------------------------------------------------------------ writing


def test_the_options_round_trip_through_the_writer():
    q, _ = only(
        quiz(
            essay_xml(
                PLAIN_WITH_LIMITS.replace("<responserequired>1", "<responserequired>0")
            )
        )
    )

    xml = write_moodle_xml([q])
    again, warnings = only(xml.encode())

    for name in moodle_options.ESSAY_OPTIONS:
        assert again[name] == q[name], name
    assert warnings == []
    assert "<responseformat>monospaced</responseformat>" in xml
    assert "<responserequired>0</responserequired>" in xml
    assert "<responsefieldlines>10</responsefieldlines>" in xml
    assert "<minwordlimit>50</minwordlimit>" in xml
    assert "<maxwordlimit>500</maxwordlimit>" in xml
    assert "<attachments>0</attachments>" in xml
    assert "<attachmentsrequired>0</attachmentsrequired>" in xml


def test_an_essay_without_options_is_written_with_moodle_s_defaults():
    xml = write_moodle_xml([{"type": "essay", "title": "E", "text": "Discuss."}])

    assert "<responseformat>editor</responseformat>" in xml
    assert "<responserequired>1</responserequired>" in xml
    assert "<responsefieldlines>15</responsefieldlines>" in xml
    assert "<minwordlimit></minwordlimit>" in xml
    assert "<maxwordlimit></maxwordlimit>" in xml


# ------------------------------------------------------------------ rules


ESSAY = {"type": "essay", "title": "E", "text": "Discuss.", "default_mark": 1.0}


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"response_format": "noinline"}, "'response_format' must be one of"),
        ({"response_field_lines": 0}, "'response_field_lines' must be from 1 to 100"),
        ({"min_word_limit": 0}, "'min_word_limit' must be empty or from 1"),
        ({"max_word_limit": "500"}, "'max_word_limit' must be empty or from 1"),
        (
            {"min_word_limit": 600, "max_word_limit": 500},
            "'min_word_limit' must not be above 'max_word_limit'",
        ),
        ({"response_required": "yes"}, "'response_required' must be true or false"),
    ],
)
def test_bad_options_are_problems(options, problem):
    found = moodle_options.problems({**ESSAY, **options})

    assert any(p.startswith(problem) for p in found), found


def test_the_options_are_for_essays_only():
    found = moodle_options.problems(
        {"type": "shortanswer", "min_word_limit": 10, "response_field_lines": 5}
    )

    assert "'min_word_limit' is not for the type 'shortanswer'" in found
    assert "'response_field_lines' is not for the type 'shortanswer'" in found
    assert validate_question({**ESSAY, "min_word_limit": 10}) == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("one", 1),
        ("  two\twords\n", 2),
        ("dash—separated–words", 3),
        ("don't split hyphen-ated", 3),
    ],
)
def test_words_are_counted_as_moodle_counts_them(text, count):
    assert word_count(text) == count


def test_word_limits_are_checked_only_when_the_answer_is_required():
    limited = {**ESSAY, "min_word_limit": 3, "max_word_limit": 5}

    assert word_limit_problem(limited, "too short") == {"count": 2, "min": 3}
    assert word_limit_problem(limited, "one two three four five six") == {
        "count": 6,
        "max": 5,
    }
    assert word_limit_problem(limited, "one two three") is None
    assert word_limit_problem(limited, "") is None
    assert word_limit_problem({**limited, "response_required": False}, "short") is None


def test_an_answer_outside_the_limits_is_saved_and_graded_by_hand():
    limited = {**ESSAY, "min_word_limit": 100}

    assert normalise_response(limited, "Too short.") == "Too short."
    assert grade(limited, "Too short.").needs_manual


def test_an_optional_empty_answer_is_still_unanswered():
    """Without attachments there is nothing to grade: 0, as any blank answer."""
    optional = {**ESSAY, "response_required": False}

    assert normalise_response(optional, "  ") is None
    result = grade(optional, None)
    assert result.fraction == 0.0 and not result.needs_manual


# ------------------------------------------------------------------ storing


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


@pytest.fixture
def bank(course, media):
    data = quiz(
        essay_xml(
            PLAIN_WITH_LIMITS.replace("<responserequired>1", "<responserequired>0"),
            idnumber="treaty-essay",
        )
    )
    moodle_xml_import(course=course, data=data)
    return Question.objects.get(course=course, key="treaty-essay")


STORED = {
    "response_format": "monospaced",
    "response_required": False,
    "response_field_lines": 10,
    "min_word_limit": 50,
    "max_word_limit": 500,
}


@pytest.mark.django_db
def test_an_import_stores_them_on_the_question(bank):
    assert bank.essay_options == STORED  # all differ from their default
    assert {k: moodle_options.row_values(bank)[k] for k in STORED} == STORED


@pytest.mark.django_db
def test_defaults_are_not_stored(course, media):
    moodle_xml_import(
        course=course, data=quiz(essay_xml(MOODLE_DEFAULTS, idnumber="plain-essay"))
    )

    assert Question.objects.get(key="plain-essay").essay_options == {}


@pytest.mark.django_db
def test_moodle_xml_export_writes_them_back_and_the_file_imports_unchanged(
    bank, course
):
    xml = moodle_xml_export(course=course)

    assert "<minwordlimit>50</minwordlimit>" in xml
    assert moodle_xml_import(course=course, data=xml.encode()).unchanged == [bank]


@pytest.mark.django_db
def test_the_json_bank_carries_them(bank, course):
    other = make_course(slug="other-course")
    bank_import_json(course=other, data=bank_export_json(course))

    copy = Question.objects.get(course=other, key="treaty-essay")
    assert copy.essay_options == STORED


@pytest.mark.django_db
def test_a_gift_re_import_keeps_them(bank, course):
    report = gift_import(course=course, text=gift_export([bank]).text)

    assert report.unchanged == [bank]
    bank.refresh_from_db()
    assert bank.essay_options == STORED


# ------------------------------------------------------------------ the page


@pytest.fixture
def limited_quiz(course):
    return make_quiz(
        course=course,
        questions=[
            {
                "type": "essay",
                "title": "Your view",
                "text": "Discuss the treaty.",
                "response_format": "monospaced",
                "response_field_lines": 10,
                "min_word_limit": 5,
                "max_word_limit": 50,
            }
        ],
    )


@pytest.mark.django_db
def test_the_page_shapes_the_box_and_states_the_limits(
    enrolled_client, student, limited_quiz
):
    attempt = services.attempt_start(quiz=limited_quiz, user=student)
    page = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert 'rows="10"' in page
    assert "essay-monospaced" in page
    assert 'data-word-min="5" data-word-max="50"' in page
    assert "Write from 5 to 50 words." in page
    assert 'data-testid="essay-word-problem"' not in page


@pytest.mark.django_db
def test_a_plain_essay_keeps_moodle_s_15_lines_and_no_word_counter(
    enrolled_client, student, course
):
    attempt = services.attempt_start(
        quiz=make_quiz(course=course, questions=[{**ESSAY, "text": "Discuss."}]),
        user=student,
    )
    page = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert 'rows="15"' in page
    assert "essay-monospaced" not in page
    assert "data-word-min" not in page


@pytest.mark.django_db
def test_too_few_words_are_saved_and_said_on_the_page_and_the_summary(
    enrolled_client, student, limited_quiz
):
    attempt = services.attempt_start(quiz=limited_quiz, user=student)
    autosave = enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", "q0": "Too short.", "autosave": "1"},
    )
    assert autosave.status_code == 200
    assert "words" not in autosave.content.decode()  # an autosave never complains

    saved = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0": "Too short."}
    )
    page = enrolled_client.get(attempt_url(attempt)).content.decode()
    summary = enrolled_client.get(summary_url(attempt)).content.decode()

    assert saved.status_code == 302
    assert attempt.responses.get().answer == "Too short."
    assert "This answer has 2 words: write at least 5 words." in page
    assert "Incomplete answer" in summary


@pytest.mark.django_db
def test_an_answer_within_the_limits_is_just_saved(
    enrolled_client, student, limited_quiz
):
    attempt = services.attempt_start(quiz=limited_quiz, user=student)
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "q0": "The treaty settled the border."}
    )

    page = enrolled_client.get(attempt_url(attempt)).content.decode()
    summary = enrolled_client.get(summary_url(attempt)).content.decode()
    assert 'data-testid="essay-word-problem"' not in page
    assert "Incomplete answer" not in summary
    assert "Answer saved" in summary


# ------------------------------------------------------------------ GIFT export


@pytest.mark.django_db
def test_a_gift_export_reports_what_an_essay_loses(bank, course):
    bank.grader_info = "Award 4 marks for the mediator."
    bank.response_template = "Dear ..."
    bank.save()

    exported = gift_export([bank])

    assert exported.skipped == []
    assert exported.lost == [
        (
            bank,
            "GIFT has no place for its information for graders, its response "
            "template, its word limits, its response format, its answer box lines "
            "and its answer being optional, left out of the file (importing it "
            "back into this bank keeps what the bank has)",
        )
    ]


@pytest.mark.django_db
def test_a_plain_essay_loses_nothing_worth_a_warning(course):
    plain = make_quiz(course=course, questions=[{**ESSAY, "text": "Discuss."}])

    assert gift_export(list(Question.objects.filter(course=plain.course))).lost == []


@pytest.mark.django_db
def test_the_export_commands_print_the_losses_on_stderr(bank, course):
    from io import StringIO

    from django.core.management import call_command

    bank.grader_info = "Award 4 marks."
    bank.save()
    for command, args in (
        ("export_gift", ["--course", course.slug]),
        ("export_bank", ["--course", course.slug, "--format", "gift"]),
    ):
        out, err = StringIO(), StringIO()
        call_command(command, *args, stdout=out, stderr=err)
        assert (
            "lost in 'treaty-essay': GIFT has no place for its information for graders"
            in err.getvalue()
        ), command
        assert "Discuss the treaty" in out.getvalue()


# ------------------------------------------------------------------ admin


@pytest.fixture
def admin_client():
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _essay_change(admin_client, course, essay_options: str):
    from django.urls import reverse

    from tests.admin.support import question_change_post
    from tests.factories import make_question

    question = make_question(
        course=course, data={"type": "essay", "key": "q-essay", "text": "Discuss."}
    )
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    assert 'name="essay_options"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, question_change_post(question, essay_options=essay_options)
    )
    question.refresh_from_db()
    return question, response


@pytest.mark.django_db
def test_the_editor_edits_an_essay_s_options_keeping_only_what_differs(
    admin_client, course
):
    question, response = _essay_change(
        admin_client,
        course,
        '{"min_word_limit": 50, "response_field_lines": 15, "response_format": "plain"}',
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert question.essay_options == {"response_format": "plain", "min_word_limit": 50}


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ('{"min_words": 50}', "has no option &#x27;min_words&#x27;"),
        ('{"min_word_limit": 600, "max_word_limit": 500}', "must not be above"),
        ('{"response_field_lines": 0}', "must be from 1 to 100"),
        ("[50]", "must be an object"),
    ],
)
@pytest.mark.django_db
def test_bad_essay_options_are_refused_on_their_field(
    admin_client, course, posted, message
):
    question, response = _essay_change(admin_client, course, posted)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert question.essay_options == {}


def test_the_grader_s_word_count_note_is_moodle_s():
    from quizzes.types.essay import word_count_note

    limited = {**ESSAY, "min_word_limit": 3, "max_word_limit": 5}

    assert word_count_note(limited, "one two") == (
        "Word count: 2, fewer than the limit of 3 words."
    )
    assert word_count_note(limited, "a b c d e f") == (
        "Word count: 6, more than the limit of 5 words."
    )
    assert word_count_note(limited, "a b c d") == "Word count: 4."
    assert word_count_note(ESSAY, "a b c d") == ""
    assert word_count_note(limited, "") == ""
