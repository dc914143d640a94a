"""A course export carries its quizzes and questions; importing the export as a new
course recreates them, tied to the new course's lessons."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from lessons.models import Course
from quizzes.models import Attempt, Question, Quiz
from quizzes.services import attempt_start
from quizzes.snapshots import question_to_dict
from tests.factories import make_quiz
from tests.quizzes.samples import ALL_TYPES, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def quizzes(course, lessons):
    """A lesson check with every type, and a timed course exam drawing from it."""
    check = make_quiz(
        course=course,
        lesson=lessons[0],
        slug="check",
        title="Lesson check",
        pass_mark=0.75,
        review_options={"immediately": ["marks"], "open": [], "closed": []},
        overall_feedback=[{"min": 0.5, "text": "Half way"}],
        questions=[sample(kind, key=f"k-{kind}") for kind in ALL_TYPES],
    )
    exam = make_quiz(
        course=course,
        module=lessons[2].module,
        slug="exam",
        title="Exam",
        time_limit=timedelta(minutes=30),
        attempts_allowed=2,
        draw_count=3,
        shuffle_questions=True,
        questions=[Question.objects.get(key="k-single")],
    )
    return check, exam


def export(slug: str) -> dict:
    out = io.StringIO()
    call_command("export_course", slug, stdout=out)
    return json.loads(out.getvalue())


def import_copy(tmp_path, data: dict, slug: str = "copy") -> Course:
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_document", str(path), slug=slug, stdout=io.StringIO())
    return Course.objects.get(slug=slug)


def comparable(question: Question) -> dict:
    """A question as grading sees it, without what differs between copies."""
    data = question_to_dict(question)
    data.pop("lesson_id")
    for key in ("options", "pairs", "items"):
        for entry in data.get(key, ()):
            entry.pop("id")
    return data


def test_the_export_lists_the_quizzes_with_their_questions(course, quizzes):
    data = export(course.slug)

    assert [q["slug"] for q in data["quizzes"]] == ["check", "exam"]
    check, exam = data["quizzes"]
    assert check["lesson"] == quizzes[0].lesson.slug
    assert check["pass_mark"] == 0.75
    assert [q["key"] for q in check["questions"]] == [f"k-{kind}" for kind in ALL_TYPES]
    assert [q["type"] for q in check["questions"]] == list(ALL_TYPES)
    assert exam["module"] == quizzes[1].module.slug
    assert exam["time_limit_minutes"] == 30
    assert exam["draw"] == 3
    assert [q["key"] for q in exam["questions"]] == ["k-single"]


def test_exported_questions_are_valid_bank_questions(course, quizzes):
    from quizzes import grading

    data = export(course.slug)

    for quiz in data["quizzes"]:
        for question in quiz["questions"]:
            assert grading.validate_question(question) == [], question["key"]


def test_the_export_holds_no_attempts(course, quizzes, student):
    attempt_start(quiz=quizzes[0], user=student)

    text = json.dumps(export(course.slug))

    assert "attempt" not in text.replace("attempts_allowed", "").replace(
        "attempt_delay", ""
    )


def test_importing_the_export_as_a_copy_recreates_quizzes_and_questions(
    course, quizzes, tmp_path
):
    copy = import_copy(tmp_path, export(course.slug))

    assert copy.pk != course.pk
    copied = {quiz.slug: quiz for quiz in Quiz.objects.filter(course=copy)}
    assert set(copied) == {"check", "exam"}
    check, exam = copied["check"], copied["exam"]
    assert check.lesson.course == copy
    assert check.lesson.slug == quizzes[0].lesson.slug
    assert check.pass_mark == 0.75
    assert exam.module.course == copy
    assert exam.time_limit == timedelta(minutes=30)
    assert (exam.attempts_allowed, exam.draw_count) == (2, 3)
    assert exam.shuffle_questions
    originals = {q.key: comparable(q) for q in Question.objects.filter(course=course)}
    copies = {q.key: comparable(q) for q in Question.objects.filter(course=copy)}
    assert copies == originals
    assert [s.question.key for s in check.slots.order_by("position")] == [
        f"k-{kind}" for kind in ALL_TYPES
    ]
    assert Question.objects.filter(course=copy, lesson__course=course).count() == 0


def test_the_copy_keeps_the_review_policy_and_feedback_bands(course, quizzes, tmp_path):
    copy = import_copy(tmp_path, export(course.slug))

    check = Quiz.objects.get(course=copy, slug="check")
    assert check.review_options == quizzes[0].review_options
    assert check.overall_feedback == quizzes[0].overall_feedback


def test_the_copied_quiz_can_be_taken(course, quizzes, tmp_path, student):
    copy = import_copy(tmp_path, export(course.slug))

    attempt = attempt_start(
        quiz=Quiz.objects.get(course=copy, slug="check"), user=student
    )

    assert attempt.responses.count() == len(ALL_TYPES)
    assert not Attempt.objects.filter(quiz__course=course).exists()


def test_importing_the_export_again_changes_nothing(course, quizzes, tmp_path):
    data = export(course.slug)
    copy = import_copy(tmp_path, data)
    versions = dict(Question.objects.filter(course=copy).values_list("key", "version"))

    import_copy(tmp_path, data)

    assert Quiz.objects.filter(course=copy).count() == 2
    assert (
        dict(Question.objects.filter(course=copy).values_list("key", "version"))
        == versions
    )


def test_unpublished_questions_stay_unpublished_in_the_copy(course, quizzes, tmp_path):
    Question.objects.filter(key="k-essay").update(is_published=False)

    copy = import_copy(tmp_path, export(course.slug))

    assert not Question.objects.get(course=copy, key="k-essay").is_published
    assert Question.objects.get(course=copy, key="k-single").is_published


def test_a_course_without_quizzes_exports_an_empty_list_and_copies(course, tmp_path):
    data = export(course.slug)

    copy = import_copy(tmp_path, data)

    assert data["quizzes"] == []
    assert copy.lessons.count() == course.lessons.count()
    assert not Quiz.objects.filter(course=copy).exists()


def test_a_course_export_reimported_without_a_slug_updates_the_same_course(
    course, quizzes, tmp_path
):
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(export(course.slug)), encoding="utf-8")
    before = Course.objects.count()

    call_command("import_document", str(path), stdout=io.StringIO())

    assert Course.objects.count() == before
    assert Quiz.objects.filter(course=course).count() == 2


def test_the_quiz_of_a_removed_section_stays_out_of_the_export_and_badges(
    course, quizzes, lessons, tmp_path, enrolled_client
):
    from lessons.models import Lesson

    Lesson.objects.filter(pk=lessons[0].pk).update(is_published=False)
    from lessons.services import course_touch

    course_touch(course=course)

    data = export(course.slug)
    assert [quiz["slug"] for quiz in data["quizzes"]] == ["exam"]
    copy = import_copy(tmp_path, data)  # imports cleanly
    assert list(Quiz.objects.filter(course=copy).values_list("slug", flat=True)) == [
        "exam"
    ]
    html = enrolled_client.get("/learning/").content.decode()
    assert "Quizzes passed: 0 of 1" in html
