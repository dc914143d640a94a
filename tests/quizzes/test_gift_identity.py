"""Re-import identity of GIFT questions without titles (quizzes.banks.gift_import).

Moodle imports two questions with the same text and no ``::title::``; so do we.
A question of the file is the n-th question of the file with its category and
title (or text, without a title), and that is the n-th oldest bank question with
them: re-importing the same file changes nothing, whether titles are there or not.
"""

import io
import json

import pytest
from django.core.management import call_command

from lessons.models import Course
from quizzes.banks import gift_export, gift_import
from quizzes.models import Question
from tests.factories import make_course
from tests.helpers import CONTENT_DIR, SEED

SAME_TEXTS = (
    "What is the value of pi (to 3 decimal places)? {#3.1415:0.0005}.\n\n"
    "Is Lima the capital? {T}\n\n"
    "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.\n\n"
    "Is Lima the capital? {T#No#Yes}\n"
)


@pytest.fixture
def bank_course(db):
    return make_course(modules=1, lessons_per_module=1, slug="geo", title="Geo")


def answers(question: Question) -> list[tuple]:
    return [
        (a.text, a.number, a.tolerance, a.number_max, a.feedback)
        for a in question.answers.order_by("position")
    ]


def test_questions_with_the_same_text_and_no_title_are_all_imported(bank_course):
    report = gift_import(course=bank_course, text=SAME_TEXTS)
    assert len(report.created) == 4
    assert Question.objects.filter(course=bank_course).count() == 4


def test_reimporting_untitled_duplicates_changes_nothing(bank_course):
    gift_import(course=bank_course, text=SAME_TEXTS)
    again = gift_import(course=bank_course, text=SAME_TEXTS)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 4)


def test_an_edited_duplicate_updates_the_same_occurrence(bank_course):
    first = gift_import(course=bank_course, text=SAME_TEXTS)
    second_pi = first.created[2]
    edited = SAME_TEXTS.replace("{#3.141..3.142}", "{#3.14..3.15}")
    report = gift_import(course=bank_course, text=edited)
    assert [q.pk for q in report.updated] == [second_pi.pk]
    assert len(report.created) == 0
    second_pi.refresh_from_db()
    assert answers(second_pi)[0][1:4] == (3.14, None, 3.15)


def test_same_titles_are_told_apart_by_their_order(bank_course):
    text = "::Q::First {T}\n\n::Q::Second {F}\n"
    assert len(gift_import(course=bank_course, text=text).created) == 2
    again = gift_import(course=bank_course, text=text)
    assert (len(again.created), len(again.updated)) == (0, 0)
    edited = gift_import(course=bank_course, text=text.replace("Second", "Later"))
    assert [q.text for q in edited.updated] == ["Later"]


def test_a_gift_export_of_untitled_duplicates_reimports_unchanged(bank_course):
    gift_import(course=bank_course, text=SAME_TEXTS)
    exported = gift_export(Question.objects.filter(course=bank_course).order_by("pk"))
    again = gift_import(course=bank_course, text=exported.text)
    assert (len(again.created), len(again.updated)) == (0, 0)


def test_the_warnings_of_the_file_are_in_the_report(bank_course):
    report = gift_import(course=bank_course, text="// x\nIs it?\n{True}\n")
    assert [(w.line, "short answer" in w.message) for w in report.warnings] == [
        (3, True)
    ]
    assert "1 warning" in report.summary()


@pytest.fixture
def seed_course(db) -> Course:
    call_command("import_document", str(SEED), slug="seed", stdout=io.StringIO())
    return Course.objects.get(slug="seed")


def test_the_seed_bank_exported_to_gift_reimports_unchanged(seed_course):
    bank = json.loads(
        (CONTENT_DIR / "military-diplomacy.questions.json").read_text("utf-8")
    )
    call_command(
        "import_questions",
        str(CONTENT_DIR / "military-diplomacy.questions.json"),
        course=seed_course.slug,
        stdout=io.StringIO(),
    )
    assert bank["quizzes"]
    questions = Question.objects.filter(course=seed_course).order_by("pk")
    exported = gift_export(questions.prefetch_related("answers"))
    first = gift_import(course=seed_course, text=exported.text)
    again = gift_import(course=seed_course, text=exported.text)
    assert (len(again.created), len(again.updated)) == (0, 0)
    assert len(again.unchanged) == len(first.questions)


PLAIN = "::Plain::[plain]Plain *stars* and <b>tags</b>\\nstay. {T####See [1].}\n"


def test_a_plain_text_is_stored_so_that_markdown_shows_it_as_written(bank_course):
    from lessons.rendering import render_markdown

    gift_import(course=bank_course, text=PLAIN)
    question = Question.objects.get(course=bank_course)
    html = render_markdown(question.text)
    assert "*stars*" in html
    assert "&lt;b&gt;tags&lt;/b&gt;" in html or "&lt;b>tags&lt;/b>" in html
    assert "<br" in html
    assert "See [1]." in render_markdown(question.general_feedback)
    again = gift_import(course=bank_course, text=PLAIN)
    assert (len(again.created), len(again.updated)) == (0, 0)


def test_the_admin_upload_names_each_warning_with_its_line(db, bank_course):
    from django.contrib.messages import get_messages

    from quizzes.admin_upload import gift_upload_view
    from tests.factories import StaffFactory
    from tests.quizzes.test_banks import admin_request, question_admin, upload

    user = StaffFactory(is_superuser=True)
    request = admin_request(
        user,
        "post",
        {"file": upload("q.gift", "Is it?\n{True}\n"), "course": bank_course.pk},
    )
    response = gift_upload_view(request, question_admin())
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(request)]
    assert any("Line 2" in m and "short answer" in m for m in shown), shown
