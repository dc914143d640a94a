"""Tests for quizzes.banks (GIFT import into a course's bank, a quiz as JSON) and
the admin pages of quizzes.admin_upload (GIFT upload form, drafting action)."""

import json
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from lessons.models import Lesson
from lessons.roles import INSTRUCTORS_GROUP, ensure_instructor_group
from quizzes.admin_upload import (
    GiftUploadForm,
    draft_questions_action,
    gift_upload_view,
)
from quizzes.banks import (
    gift_export,
    gift_import,
    normalise_category,
    quiz_export_json,
    quiz_import_json,
    quiz_questions,
)
from quizzes.gift import GiftError
from quizzes.models import Question, Quiz, QuizQuestion
from quizzes.services import BankError, attempt_start
from quizzes.snapshots import question_to_dict
from tests.factories import StaffFactory, UserFactory, make_course

DOCS = Path(__file__).resolve().parents[2] / "docs"

GIFT = """\
$CATEGORY: $course$/top/Geography/Capitals

// [tag:easy]
::Capital of Peru::What is the capital of Peru? {=Lima#Right. ~Cusco ~Quito}

::Lima on the coast::Lima is on the coast.{T}

$CATEGORY: History

::Independence::In which year did Peru declare independence? {#1821}

Describe the War of the Pacific. {}
"""


@pytest.fixture
def bank_course(db):
    return make_course(modules=1, lessons_per_module=2, slug="geo", title="Geography")


def bank(course) -> list[Question]:
    return list(Question.objects.filter(course=course).order_by("key"))


# ------------------------------------------------------------------ GIFT


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("", ""),
        ("Geography", "Geography"),
        ("$course$/top/Geography/Capitals", "Geography/Capitals"),
        ("$system$/top", ""),
        ("$course$/top", ""),
        ("top/Week 1", "Week 1"),
        ("$cat1$/Week 1/ Day 2 ", "Week 1/Day 2"),
        ("a//b", "a/b"),
    ],
)
def test_gift_categories_lose_moodles_context_and_top(path, category):
    assert normalise_category(path) == category


def test_gift_categories_become_the_category_and_a_tag(bank_course):
    gift_import(course=bank_course, text=GIFT)
    capital = Question.objects.get(course=bank_course, title="Capital of Peru")
    assert capital.category == "Geography/Capitals"
    assert capital.tags == ["category:Geography/Capitals", "easy"]
    essay = Question.objects.get(course=bank_course, type="essay")
    assert essay.category == "History"
    assert essay.tags == ["category:History"]


def test_gift_keys_are_slugs_of_titles_or_texts_made_unique(bank_course):
    Question.objects.create(
        course=bank_course, key="capital-of-peru", type="essay", text="Older."
    )
    gift_import(course=bank_course, text=GIFT)
    assert {q.key for q in bank(bank_course)} == {
        "capital-of-peru",
        "capital-of-peru-2",
        "lima-on-the-coast",
        "independence",
        "describe-the-war-of-the-pacific",
    }


def test_importing_the_same_gift_twice_creates_nothing(bank_course):
    first = gift_import(course=bank_course, text=GIFT)
    again = gift_import(course=bank_course, text=GIFT)
    assert (len(first.created), len(again.created), len(again.updated)) == (4, 0, 0)
    assert len(again.unchanged) == 4
    assert Question.objects.filter(course=bank_course).count() == 4


def test_an_edited_gift_updates_the_questions_with_the_same_title(bank_course):
    gift_import(course=bank_course, text=GIFT, quiz_slug="w")
    attempt_start(quiz=Quiz.objects.get(slug="w"), user=UserFactory(), preview=True)
    capital = Question.objects.get(course=bank_course, title="Capital of Peru")
    edited = GIFT.replace("~Quito", "~Arequipa")
    report = gift_import(course=bank_course, text=edited)
    assert [q.pk for q in report.updated] == [capital.pk]
    capital.refresh_from_db()
    assert capital.version == 2
    assert [a.text for a in capital.answers.all()] == ["Lima", "Cusco", "Arequipa"]


def test_reimporting_keeps_what_gift_cannot_say(bank_course):
    gift_import(course=bank_course, text=GIFT)
    lesson = bank_course.lessons.first()
    capital = Question.objects.get(course=bank_course, title="Capital of Peru")
    Question.objects.filter(pk=capital.pk).update(
        lesson=lesson, default_mark=3, is_published=False
    )
    report = gift_import(course=bank_course, text=GIFT)
    assert capital.pk in {q.pk for q in report.unchanged}
    capital.refresh_from_db()
    assert (capital.lesson, capital.default_mark, capital.is_published) == (
        lesson,
        3,
        False,
    )


def test_a_gift_file_with_problems_writes_nothing_and_lists_them_all(bank_course):
    text = (
        "::A::Fine {=a ~b}\n\n"
        "::B::Weights {~%150%a ~%50%b}\n\n"
        "::C::Never closed {=a ~b\n"
    )
    with pytest.raises(GiftError) as info:
        gift_import(course=bank_course, text=text, quiz_slug="week-1")
    assert [problem.line for problem in info.value.errors] == [3, 5]
    assert not Question.objects.exists()
    assert not Quiz.objects.exists()


def test_what_the_bank_cannot_store_is_a_problem_with_its_line(bank_course):
    text = (
        "::A::Fine {=a ~b}\n\n"
        f"::{'x' * 201}::Long title {{T}}\n\n"
        "::A::Same title as line 1 {T}\n\n"
        "$CATEGORY: other\n\n"
        f"$CATEGORY: {'c' * 256}\n\n"
        "::A::Same title, other category {T}\n"
    )
    with pytest.raises(GiftError) as info:
        gift_import(course=bank_course, text=text)
    # Same titles are not a problem (tests/quizzes/test_gift_identity.py).
    assert [(p.line, p.message.split(" (")[0]) for p in info.value.errors] == [
        (3, "title longer than 200 characters"),
        (11, "category path longer than 255 characters"),
    ]
    assert not Question.objects.exists()


def test_gift_import_into_a_quiz_creates_it_as_an_unpublished_draft(bank_course):
    report = gift_import(course=bank_course, text=GIFT, quiz_slug="week-1")
    quiz = Quiz.objects.get(course=bank_course, slug="week-1")
    assert (report.quiz_created, quiz.is_published, quiz.title) == (
        True,
        False,
        "Week 1",
    )
    assert [q.title for q in quiz_questions(quiz)] == [
        "Capital of Peru",
        "Lima on the coast",
        "Independence",
        "",
    ]
    again = gift_import(course=bank_course, text=GIFT, quiz_slug="week-1")
    assert (again.quiz_created, again.added_to_quiz) == (False, 0)
    assert quiz.slots.count() == 4


def test_gift_import_into_a_published_quiz_leaves_it_published(bank_course):
    Quiz.objects.create(
        course=bank_course, slug="exam", title="Exam", is_published=True
    )
    gift_import(course=bank_course, text=GIFT, quiz_slug="exam")
    assert Quiz.objects.get(slug="exam").is_published


def test_a_bad_quiz_slug_is_refused_before_writing(bank_course):
    with pytest.raises(ValueError, match="not a valid quiz slug"):
        gift_import(course=bank_course, text=GIFT, quiz_slug="Week 1!")
    assert not Question.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(bank_course):
    report = gift_import(course=bank_course, text=GIFT, quiz_slug="w", dry_run=True)
    assert (len(report.created), report.quiz_created) == (4, True)
    assert report.summary().startswith("[dry run] 4 created")
    assert not Question.objects.exists()
    assert not Quiz.objects.exists()


def test_only_a_courses_instructors_import_into_it(bank_course):
    stranger = StaffFactory(username="stranger")
    with pytest.raises(PermissionDenied):
        gift_import(course=bank_course, text=GIFT, user=stranger)
    bank_course.instructors.add(stranger)
    assert gift_import(course=bank_course, text=GIFT, user=stranger).created


def test_gift_export_skips_what_gift_cannot_hold(bank_course):
    ordering = Question.objects.create(
        course=bank_course, key="order", type="ordering", text="Order them."
    )
    gift_import(course=bank_course, text=GIFT)
    questions = [ordering, *Question.objects.filter(course=bank_course, type="essay")]
    exported = gift_export(questions)
    assert [question for question, _ in exported.skipped] == [ordering]
    assert "Describe the War of the Pacific" in exported.text


def test_gift_export_keeps_an_uncategorised_question_out_of_the_category_before_it(
    bank_course,
):
    gift_import(course=bank_course, text="$CATEGORY: A\n\n::One::First {T}\n")
    gift_import(course=bank_course, text="::Two::Second {F}\n")
    questions = list(Question.objects.filter(course=bank_course).order_by("title"))
    text = gift_export(questions).text
    assert "$CATEGORY: $course$/top" in text
    other = make_course(slug="other")
    gift_import(course=other, text=text)
    assert {(q.title, q.category) for q in Question.objects.filter(course=other)} == {
        ("One", "A"),
        ("Two", ""),
    }


# ------------------------------------------------------------------ JSON


def normalised(question: Question) -> dict:
    data = question_to_dict(question)
    for key in ("lesson_id",):
        data.pop(key)
    for name in ("options", "pairs"):
        for entry in data.get(name, ()):
            entry.pop("id")
    data["category"] = question.category
    data["tags"] = question.tags
    data["is_published"] = question.is_published
    return data


@pytest.fixture
def exam(bank_course):
    gift_import(course=bank_course, text=GIFT, quiz_slug="exam")
    quiz = Quiz.objects.get(course=bank_course, slug="exam")
    quiz.lesson = bank_course.lessons.order_by("pk").first()
    # A lesson check's questions test its lesson (the import links them so).
    Question.objects.filter(course=bank_course).update(lesson=quiz.lesson)
    quiz.pass_mark = 0.7
    quiz.overall_feedback = [{"min": 0.7, "text": "Well done"}]
    quiz.save()
    slot = quiz.slots.order_by("position").first()
    slot.mark = 2.5
    slot.save()
    return quiz


def test_a_quiz_exports_as_documented_json(exam):
    data = quiz_export_json(exam)
    assert (data["format"], data["version"], data["course"]) == (
        "coursesite-quiz",
        1,
        "geo",
    )
    (entry,) = data["quizzes"]
    assert entry["slug"] == "exam"
    assert entry["lesson"] == exam.lesson.slug
    assert entry["overall_feedback"] == [{"min": 0.7, "text": "Well done"}]
    assert entry["marks"] == {"capital-of-peru": 2.5}
    first = entry["questions"][0]
    assert [option["id"] for option in first["options"]] == ["a", "b", "c"]
    assert first["tags"] == ["category:Geography/Capitals", "easy"]
    json.dumps(data)  # plain JSON


def test_quiz_json_round_trips_into_another_course(exam, bank_course):
    data = quiz_export_json(exam)
    other = make_course(modules=1, lessons_per_module=2, slug="geo-2")
    first = Lesson.objects.filter(course=other).order_by("pk").first()
    Lesson.objects.filter(pk=first.pk).update(slug=exam.lesson.slug)
    report = quiz_import_json(course=other, data=data)
    assert (report.questions_created, report.quizzes_created) == (4, 1)
    copy = Quiz.objects.get(course=other, slug="exam")
    assert quiz_export_json(copy)["quizzes"] == data["quizzes"]
    assert [normalised(q) for q in quiz_questions(copy)] == [
        normalised(q) for q in quiz_questions(exam)
    ]
    assert copy.slots.get(position=0).mark == 2.5


def test_importing_an_exported_quiz_into_its_own_course_changes_nothing(exam):
    data = quiz_export_json(exam)
    report = quiz_import_json(course=exam.course, data=data)
    assert (report.questions_created, report.questions_updated) == (0, 0)
    assert report.quizzes_updated == 0


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(format="moodle"), "'format' must be 'coursesite-quiz'"),
        (lambda d: d.update(version=2), "'version' must be 1"),
        (lambda d: d.update(quizzes=[]), "'quizzes' must be a non-empty list"),
        (lambda d: d["quizzes"][0].update(slug="Bad slug"), "'slug' must be a slug"),
        (
            lambda d: d["quizzes"][0]["questions"][0]["options"][0].update(fraction=0),
            "question 'capital-of-peru'",
        ),
    ],
)
def test_a_bad_quiz_json_imports_nothing(exam, change, problem):
    data = quiz_export_json(exam)
    change(data)
    other = make_course(slug="empty")
    with pytest.raises(BankError, match=re.escape(problem)):
        quiz_import_json(course=other, data=data)
    assert not Question.objects.filter(course=other).exists()


def test_the_documented_json_example_imports(bank_course):
    text = (DOCS / "quiz-json.md").read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    report = quiz_import_json(course=bank_course, data=json.loads(example))
    assert (report.questions_created, report.quizzes_created) == (2, 1)
    quiz = Quiz.objects.get(course=bank_course, slug="capitals")
    assert quiz.time_limit.total_seconds() == 600
    assert quiz.slots.get(question__key="independence-year").mark == 3.0


# ------------------------------------------------------------------ admin


@pytest.fixture
def instructor(db):
    ensure_instructor_group()
    user = StaffFactory(username="ines")
    user.groups.add(Group.objects.get(name=INSTRUCTORS_GROUP))
    return user


@pytest.fixture
def other_course(db):
    return make_course(slug="not-mine", title="Not mine")


def admin_request(user, method="get", data=None):
    factory = RequestFactory()
    path = "/admin/quizzes/question/import-gift/"
    request = factory.post(path, data) if method == "post" else factory.get(path)
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    return request


def question_admin():
    return admin.site.get_model_admin(Question)


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_the_upload_form_offers_only_the_courses_the_user_teaches(
    instructor, bank_course, other_course
):
    bank_course.instructors.add(instructor)
    form = GiftUploadForm(user=instructor)
    assert list(form.fields["course"].queryset) == [bank_course]
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert set(GiftUploadForm(user=root).fields["course"].queryset) == {
        bank_course,
        other_course,
    }


def test_the_upload_page_renders_for_an_instructor(instructor, bank_course):
    bank_course.instructors.add(instructor)
    response = gift_upload_view(admin_request(instructor), question_admin())
    response.render()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import questions from a question bank file" in html
    assert 'name="file"' in html
    assert 'enctype="multipart/form-data"' in html


def test_an_uploaded_gift_file_is_imported_and_the_list_opens(instructor, bank_course):
    bank_course.instructors.add(instructor)
    request = admin_request(
        instructor,
        "post",
        {"file": upload("q.gift", GIFT), "course": bank_course.pk, "quiz": "week-1"},
    )
    response = gift_upload_view(request, question_admin())
    assert response.status_code == 302
    assert response.url == "/admin/quizzes/question/"
    assert Question.objects.filter(course=bank_course).count() == 4
    assert not Quiz.objects.get(slug="week-1").is_published
    (message,) = [str(m) for m in get_messages(request)]
    assert "4 created" in message


def test_an_uploaded_file_with_errors_lists_each_line_and_imports_nothing(
    instructor, bank_course
):
    bank_course.instructors.add(instructor)
    text = "::A::Fine {=a ~b}\n\n::B::Weights {~%150%a ~%50%b}\n\n::C::Open {=a ~b\n"
    request = admin_request(
        instructor, "post", {"file": upload("bad.gift", text), "course": bank_course.pk}
    )
    response = gift_upload_view(request, question_admin())
    response.render()
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file has 2 problems. Nothing was imported" in html
    assert "Line 3: weight %150% is out of range" in html
    assert "Line 5: &#x27;{&#x27; is never closed" in html
    assert not Question.objects.exists()


def test_an_instructor_cannot_upload_into_a_course_they_do_not_teach(
    instructor, bank_course, other_course
):
    bank_course.instructors.add(instructor)
    request = admin_request(
        instructor, "post", {"file": upload("q.gift", GIFT), "course": other_course.pk}
    )
    response = gift_upload_view(request, question_admin())
    response.render()
    assert "Select a valid choice" in response.content.decode()
    assert not Question.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(instructor, bank_course):
    bank_course.instructors.add(instructor)
    bad = SimpleUploadedFile("q.gift", b"\xff\xfe::A::x {T}")
    request = admin_request(instructor, "post", {"file": bad, "course": bank_course.pk})
    response = gift_upload_view(request, question_admin())
    response.render()
    assert "not UTF-8 text" in response.content.decode()


def test_users_who_may_not_add_questions_cannot_upload(db, bank_course):
    clerk = StaffFactory(username="clerk")
    with pytest.raises(PermissionDenied):
        gift_upload_view(admin_request(clerk), question_admin())


def test_the_drafting_action_drafts_only_for_courses_the_user_teaches(
    instructor, bank_course, other_course
):
    bank_course.instructors.add(instructor)
    text = (
        "The Andean Community (CAN) was founded by the Cartagena Agreement in 1969 "
        "to promote trade among its members."
    )
    Lesson.objects.filter(course=bank_course).update(body_markdown=text)
    Lesson.objects.filter(course=other_course).update(body_markdown=text)
    request = admin_request(instructor, "post")
    draft_questions_action(
        admin.site.get_model_admin(Lesson), request, Lesson.objects.all()
    )
    assert Question.objects.filter(course=bank_course).exists()
    assert not Question.objects.filter(course=other_course).exists()
    assert not Question.objects.filter(is_published=True).exists()
    (message,) = [str(m) for m in get_messages(request)]
    assert "for 2 lesson(s)" in message


def test_the_drafting_action_is_offered_on_the_lesson_list(instructor):
    request = admin_request(instructor)
    actions = admin.site.get_model_admin(Lesson).get_actions(request)
    assert "draft_questions_action" in actions


def test_slots_of_a_quiz_are_exported_in_order(exam):
    QuizQuestion.objects.filter(quiz=exam, position=0).update(position=9)
    titles = [q.title for q in quiz_questions(exam)]
    assert titles[-1] == "Capital of Peru"


def test_the_drafting_action_refuses_users_who_may_not_add_questions(db, bank_course):
    clerk = StaffFactory(username="clerk", is_superuser=False)
    bank_course.instructors.add(clerk)
    request = admin_request(clerk, "post")
    draft_questions_action(
        admin.site.get_model_admin(Lesson), request, Lesson.objects.all()
    )
    assert not Question.objects.exists()
    (message,) = [str(m) for m in get_messages(request)]
    assert message == "You may not add questions."
