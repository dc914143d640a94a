"""generate_demo_data: realistic students whose attempts are graded by the real
grading functions, fast enough for thousands, reproducible with a seed."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from lessons.models import Enrollment, LessonProgress
from quizzes import grading
from quizzes.models import Attempt, AttemptState, GradeChange, Response
from teach.demo import demo_data_generate
from tests.factories import make_course
from tests.teach.conftest import ESSAY, SINGLE, TRUEFALSE, make_quiz

pytestmark = pytest.mark.django_db

MULTIPLE = {
    "key": "andes",
    "type": "multiple",
    "title": "Andes",
    "text": "Which lie in the Andes?",
    "options": [
        {"id": "a", "text": "Chile", "fraction": 0.5, "feedback": ""},
        {"id": "b", "text": "Bolivia", "fraction": 0.5, "feedback": ""},
        {"id": "c", "text": "Uruguay", "fraction": -1.0, "feedback": ""},
    ],
}


@pytest.fixture
def demo_course(course, instructor):
    lessons = list(course.lessons.order_by("module__position", "position"))
    make_quiz(course, slug="one", questions=(SINGLE, TRUEFALSE), lesson=lessons[0].slug)
    make_quiz(course, slug="two", questions=(MULTIPLE, ESSAY), lesson=lessons[1].slug)
    make_quiz(
        course,
        slug="final",
        questions=(SINGLE, MULTIPLE, TRUEFALSE),
        attempts_allowed=2,
    )
    return course


def test_students_get_enrolments_progress_and_graded_attempts(demo_course):
    report = demo_data_generate(course=demo_course, students=60, seed=3)

    assert report.students == 60
    assert Enrollment.objects.filter(course=demo_course).count() == 60
    assert Attempt.objects.count() == report.attempts > 60
    assert Response.objects.count() == report.responses
    assert LessonProgress.objects.filter(status="completed").count() == (
        report.lessons_completed
    )
    fractions = list(
        Attempt.objects.filter(state=AttemptState.GRADED).values_list(
            "fraction", flat=True
        )
    )
    assert len(set(fractions)) > 3  # a mix of abilities


def test_answers_are_scored_by_the_real_grading(demo_course):
    demo_data_generate(course=demo_course, students=20, seed=4)
    for response in Response.objects.exclude(snapshot__type="essay")[:200]:
        result = grading.grade(response.snapshot, response.answer)
        assert response.score == grading.score(
            response.snapshot, result, response.max_mark
        )
    for attempt in Attempt.objects.filter(state=AttemptState.GRADED)[:50]:
        total = sum(r.score or 0 for r in attempt.responses.all())
        assert attempt.score == pytest.approx(total)


def test_most_essays_are_graded_with_an_audit_row_and_some_wait(demo_course):
    report = demo_data_generate(course=demo_course, students=80, seed=5)
    essays = Response.objects.filter(snapshot__type="essay")
    graded = essays.filter(needs_manual=False, graded_by__isnull=False)
    assert graded.count() == GradeChange.objects.count() > 0
    assert essays.filter(needs_manual=True).count() == report.waiting > 0
    waiting = Attempt.objects.filter(state=AttemptState.NEEDS_GRADING)
    assert waiting.count() == essays.filter(needs_manual=True).count()


def test_passing_a_lesson_quiz_completes_the_lesson(demo_course):
    demo_data_generate(course=demo_course, students=30, seed=6)
    for attempt in Attempt.objects.filter(passed=True, quiz__lesson__isnull=False):
        assert LessonProgress.objects.get(
            user=attempt.user, lesson=attempt.quiz.lesson
        ).completed_at


def test_the_same_seed_gives_the_same_students(demo_course):
    def run():
        with transaction.atomic():
            demo_data_generate(course=demo_course, students=15, seed=9)
            result = list(
                Attempt.objects.order_by(
                    "user__username", "quiz_id", "number"
                ).values_list("user__username", "quiz__slug", "number", "fraction")
            )
            transaction.set_rollback(True)
        return result

    assert run() == run()


def test_running_again_adds_more_students(demo_course):
    demo_data_generate(course=demo_course, students=3, seed=1)
    demo_data_generate(course=demo_course, students=2, seed=1)
    usernames = sorted(Enrollment.objects.values_list("user__username", flat=True))
    assert usernames == [f"demo-{n:05d}" for n in range(1, 6)]


def test_the_command_reports_and_dry_run_writes_nothing(demo_course):
    out = io.StringIO()
    call_command("generate_demo_data", "--students", "5", "--dry-run", stdout=out)
    assert "would create in demo: 5 students" in out.getvalue()
    assert not Enrollment.objects.exists()
    call_command(
        "generate_demo_data", "--students", "5", "--course", "demo", stdout=out
    )
    assert Enrollment.objects.count() == 5


def test_the_command_needs_a_course_when_there_are_several(demo_course):
    make_course(slug="second")
    with pytest.raises(CommandError, match="--course"):
        call_command("generate_demo_data", "--students", "1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no course"):
        call_command(
            "generate_demo_data", "--students", "1", "--course", "nope",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_description_slots_are_worth_nothing_in_demo_attempts(course, instructor):
    """The demo uses the quizzes' own pool rule: a description carries no marks,
    whatever its default mark says."""
    description = {
        "key": "intro",
        "type": "description",
        "title": "Intro",
        "text": "Read this first.",
        "default_mark": 2.0,
    }
    quiz = make_quiz(course, slug="desc", questions=(description, SINGLE))

    demo_data_generate(course=course, students=5, seed=1)

    responses = Response.objects.filter(attempt__quiz=quiz)
    assert responses.exists()
    assert set(
        responses.filter(snapshot__type="description").values_list(
            "max_mark", flat=True
        )
    ) == {0.0}
    assert {a.max_score for a in Attempt.objects.filter(quiz=quiz)} == {1.0}


def test_demo_students_answer_cloze_gaps(course, instructor):
    cloze = {
        "key": "gaps",
        "type": "cloze",
        "title": "Gaps",
        "text": "Peru: {1:SHORTANSWER:=Lima} and {1:MULTICHOICE:=Callao~Cusco}.",
    }
    make_quiz(course, slug="gaps", questions=(cloze, SINGLE))
    demo_data_generate(course=course, students=20, seed=5)
    responses = Response.objects.filter(snapshot__type="cloze")
    assert responses.exists()
    fractions = {r.fraction for r in responses}
    assert {0.0, 1.0} <= fractions  # blank or right, gap by gap
    for response in responses:
        assert set(response.detail["parts"]) == {"1", "2"}
        assert "Lima" not in response.snapshot["text"]


def test_demo_attempts_are_one_graded_attempt_per_user_at_one_quiz(
    demo_course, enrolled
):
    """The load test's regrade walks these: graded as a submit grades them."""
    from quizzes.models import Quiz
    from teach.demo import demo_attempts_generate

    final = Quiz.objects.get(course=demo_course, slug="final")
    users = enrolled("r1", "r2", "r3")
    assert demo_attempts_generate(quiz=final, users=users, seed=3) == 3
    attempts = Attempt.objects.filter(quiz=final).prefetch_related("responses")
    assert sorted(a.user.username for a in attempts) == ["r1", "r2", "r3"]
    for attempt in attempts:
        assert (attempt.number, attempt.state) == (1, AttemptState.GRADED)
        total = 0.0
        for response in attempt.responses.all():
            result = grading.grade(response.snapshot, response.answer)
            score = grading.score(response.snapshot, result, response.max_mark)
            assert response.score == pytest.approx(score)
            total += score
        assert attempt.score == pytest.approx(total)
