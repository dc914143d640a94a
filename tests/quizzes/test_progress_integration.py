"""Quizzes in the course: passing a lesson's quiz completes the lesson; the lesson
page, syllabus and My learning show quiz status; staff previews count for nothing."""

import pytest
from django.urls import reverse

from lessons.models import LessonProgress
from quizzes import services
from quizzes.models import Attempt
from tests.factories import make_quiz
from tests.quizzes.samples import sample, single
from tests.quizzes.support import (
    attempt_url,
    right_option_id,
    start_url,
    submit_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course, lesson):
    """A lesson check of two questions; passing needs both (pass mark 100%)."""
    return make_quiz(
        course=course,
        lesson=lesson,
        slug="check",
        title="Lesson check",
        pass_mark=1.0,
        questions=[single("First"), single("Second")],
    )


def take(client, quiz, *, right: int) -> Attempt:
    """Start the quiz in the browser, answer ``right`` questions right, submit."""
    client.post(start_url(quiz))
    attempt = Attempt.objects.filter(quiz=quiz).latest("pk")
    data = {"page": "1"}
    for number, response in enumerate(attempt.responses.order_by("position")):
        text = "Right" if number < right else "Wrong"
        data[f"q{response.position}"] = right_option_id(response, text)
    client.post(attempt_url(attempt), data)
    client.post(submit_url(attempt))
    attempt.refresh_from_db()
    return attempt


def completed(user, lesson) -> bool:
    return LessonProgress.objects.filter(
        user=user, lesson=lesson, status=LessonProgress.Status.COMPLETED
    ).exists()


def complete_url(lesson) -> str:
    return reverse(
        "lessons:lesson-complete",
        kwargs={"course_slug": lesson.course.slug, "lesson_slug": lesson.slug},
    )


# --------------------------------------------------------------------------
# Progress


def test_passing_a_lesson_quiz_completes_the_lesson(
    enrolled_client, student, quiz, lesson
):
    attempt = take(enrolled_client, quiz, right=2)

    assert attempt.passed
    assert completed(student, lesson)


def test_failing_a_lesson_quiz_does_not_complete_the_lesson(
    enrolled_client, student, quiz, lesson
):
    attempt = take(enrolled_client, quiz, right=1)

    assert attempt.passed is False
    assert not completed(student, lesson)


def test_passing_after_failing_completes_the_lesson(
    enrolled_client, student, quiz, lesson
):
    take(enrolled_client, quiz, right=0)

    take(enrolled_client, quiz, right=2)

    assert completed(student, lesson)


def test_an_attempt_awaiting_manual_grading_does_not_complete_the_lesson(
    student, course, lesson
):
    quiz = make_quiz(course=course, lesson=lesson, questions=[sample("essay")])
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(attempt=attempt, answers={0: "An essay."})

    services.attempt_submit(attempt=attempt)

    assert not completed(student, lesson)


def test_passing_a_course_quiz_completes_no_lesson(student, course):
    quiz = make_quiz(course=course, questions=[single()])
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(
        attempt=attempt,
        answers={0: right_option_id(attempt.responses.get(), "Right")},
    )

    services.attempt_submit(attempt=attempt)

    assert not LessonProgress.objects.filter(user=student).exists()


def test_passing_again_keeps_the_first_completion_time(
    enrolled_client, student, quiz, lesson
):
    take(enrolled_client, quiz, right=2)
    first = LessonProgress.objects.get(user=student, lesson=lesson).completed_at

    take(enrolled_client, quiz, right=2)

    assert LessonProgress.objects.get(user=student, lesson=lesson).completed_at == (
        first
    )


# --------------------------------------------------------------------------
# Completion that requires the quiz


def test_a_lesson_with_a_quiz_shows_mark_complete_unless_the_course_requires_it(
    enrolled_client, quiz, lesson
):
    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert "Mark complete" in html


def test_when_the_quiz_is_required_the_lesson_page_hides_mark_complete(
    enrolled_client, quiz, lesson, course
):
    course.completion_requires_quiz = True
    course.save()

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert "Mark complete" not in html
    assert complete_url(lesson) not in html
    assert "Pass this lesson&#x27;s quiz to complete the lesson." in html


def test_when_the_quiz_is_required_marking_complete_by_hand_is_refused(
    enrolled_client, student, quiz, lesson, course
):
    course.completion_requires_quiz = True
    course.save()

    response = enrolled_client.post(complete_url(lesson), follow=True)

    assert response.redirect_chain[0] == (lesson.get_absolute_url(), 302)
    assert "Pass this lesson" in response.content.decode()
    assert not completed(student, lesson)


def test_when_the_quiz_is_required_passing_it_still_completes_the_lesson(
    enrolled_client, student, quiz, lesson, course
):
    course.completion_requires_quiz = True
    course.save()

    take(enrolled_client, quiz, right=2)

    assert completed(student, lesson)
    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()
    assert "You completed this lesson." in html


def test_lessons_without_a_quiz_can_still_be_marked_complete(
    enrolled_client, student, quiz, lessons, course
):
    course.completion_requires_quiz = True
    course.save()

    enrolled_client.post(complete_url(lessons[1]))

    assert completed(student, lessons[1])


def test_an_unpublished_quiz_does_not_block_completion(
    enrolled_client, student, quiz, lesson, course
):
    course.completion_requires_quiz = True
    course.save()
    quiz.is_published = False
    quiz.save()

    enrolled_client.post(complete_url(lesson))

    assert completed(student, lesson)


# --------------------------------------------------------------------------
# Lesson page panel, syllabus, My learning


def test_the_lesson_page_invites_the_student_to_take_its_quiz(
    enrolled_client, quiz, lesson
):
    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    # A quiz with a name of its own is headed by it.
    assert f'id="lesson-quiz-{quiz.pk}">Lesson check</h2>' in html
    assert "2 questions" in html
    assert "Take the quiz" in html
    assert quiz.get_absolute_url() in html


@pytest.mark.parametrize(
    "title", ["Check: {lesson}", "{lesson}", "Quiz - {lesson}", "check:  {lesson} "]
)
def test_a_check_named_after_its_lesson_is_introduced_once(
    enrolled_client, quiz, lesson, title
):
    """Not "Check your understanding" and then "Check: Introduction" again."""
    quiz.title = title.format(lesson=lesson.title)
    quiz.save()

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    panel = html[html.index('class="card my-4 lesson-check"') :]
    panel = panel[: panel.index("</section>")]
    assert "Check your understanding" in panel
    assert quiz.title.strip() not in panel


def test_the_lesson_panel_shows_an_attempt_in_progress(
    enrolled_client, student, quiz, lesson
):
    services.attempt_start(quiz=quiz, user=student)

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert "Continue the quiz" in html


def test_the_lesson_panel_shows_the_best_score(enrolled_client, quiz, lesson):
    take(enrolled_client, quiz, right=1)
    take(enrolled_client, quiz, right=2)
    take(enrolled_client, quiz, right=0)

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert "best score 100%" in html
    assert "Passed" in html
    assert "Open the quiz" in html


def test_other_lessons_show_no_quiz_panel(enrolled_client, quiz, lessons):
    html = enrolled_client.get(lessons[1].get_absolute_url()).content.decode()

    assert "lesson-check" not in html


def test_the_syllabus_shows_no_quiz_badge_before_any_attempt(
    enrolled_client, quiz, course
):
    """A "Quiz" badge on every line of the syllabus said nothing."""
    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert f'href="{quiz.get_absolute_url()}">Quiz</a>' not in html
    assert f'href="{quiz.get_absolute_url()}"' not in html


def test_the_syllabus_shows_the_best_score_of_a_lesson_quiz(
    enrolled_client, quiz, course
):
    take(enrolled_client, quiz, right=1)

    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert "text-bg-warning" in html
    # Said as text (a tiny link was too small a target; the lesson leads there).
    assert '<span class="badge text-bg-warning">Quiz: 50%</span>' in html


def test_the_syllabus_badge_turns_green_once_passed(enrolled_client, quiz, course):
    take(enrolled_client, quiz, right=2)

    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert '<span class="badge text-bg-success">Quiz: 100%</span>' in html


def test_the_syllabus_shows_an_attempt_awaiting_grading(
    enrolled_client, student, course, lesson
):
    quiz = make_quiz(course=course, lesson=lesson, questions=[sample("essay")])
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_save_answers(attempt=attempt, answers={0: "An essay."})
    services.attempt_submit(attempt=attempt)

    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert "Quiz: awaiting grading" in html


def test_my_learning_counts_the_quizzes_passed_and_the_exam_best(
    enrolled_client, student, quiz, course
):
    exam = make_quiz(
        course=course, slug="final", title="Final exam", questions=[single(), single()]
    )
    take(enrolled_client, quiz, right=2)
    take(enrolled_client, exam, right=1)

    html = enrolled_client.get(reverse("lessons:my-learning")).content.decode()

    assert "Quizzes passed: 2 of 2" in html  # the exam's pass mark is 50%
    assert "Final exam: best 50%" in html
    # The exam's score is said as text; the Grades page lists every quiz.
    assert f'href="/courses/{course.slug}/grades/">Grades' in html


def test_my_learning_counts_a_failed_quiz_as_not_passed(enrolled_client, quiz, course):
    take(enrolled_client, quiz, right=1)

    html = enrolled_client.get(reverse("lessons:my-learning")).content.decode()

    assert "Quizzes passed: 0 of 1" in html


def test_the_course_page_lists_its_exams_with_the_best_score(enrolled_client, course):
    exam = make_quiz(
        course=course, slug="final", title="Final exam", questions=[single(), single()]
    )
    take(enrolled_client, exam, right=1)

    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert exam.get_absolute_url() in html
    assert "best 50%" in html


# --------------------------------------------------------------------------
# Staff previews


def test_a_staff_preview_that_passes_records_no_progress(
    staff_client, staff, quiz, lesson
):
    attempt = take(staff_client, quiz, right=2)

    assert attempt.is_preview
    assert attempt.passed
    assert not LessonProgress.objects.filter(user=staff).exists()


def test_staff_previews_do_not_use_up_attempts(staff_client, staff, quiz):
    quiz.attempts_allowed = 1
    quiz.save()

    take(staff_client, quiz, right=2)
    take(staff_client, quiz, right=2)

    assert Attempt.objects.filter(user=staff, is_preview=True).count() == 2
    html = staff_client.get(quiz.get_absolute_url()).content.decode()
    assert "1 (1 left)" in html
    assert "Preview the quiz" in html


def test_staff_previews_do_not_show_as_a_best_score(staff_client, quiz, course, lesson):
    take(staff_client, quiz, right=2)

    syllabus = staff_client.get(course.get_absolute_url()).content.decode()
    lesson_page = staff_client.get(lesson.get_absolute_url()).content.decode()

    assert "Quiz: 100%" not in syllabus
    assert "best score" not in lesson_page
    assert (
        'data-testid="quiz-grade"'
        not in staff_client.get(quiz.get_absolute_url()).content.decode()
    )
