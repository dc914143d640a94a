"""The quiz's front page states its rules, and a timed attempt starts only once
the student confirms it (Moodle's "Start attempt" dialog, as a page of its own
that works without JavaScript)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt
from tests.factories import AccommodationFactory, make_question, make_quiz
from tests.quizzes.samples import single
from tests.quizzes.support import start_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(
        course=course,
        slug="exam",
        title="Exam",
        description="Read *every* question twice.",
        questions=[single(), single(), single()],
        attempts_allowed=2,
        grading_method="average",
    )


@pytest.fixture
def timed(quiz):
    quiz.time_limit = timedelta(minutes=30)
    quiz.save()
    return quiz


def page(client, quiz) -> str:
    response = client.get(quiz.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, testid: str) -> str:
    part = html[html.index(f'data-testid="{testid}"') :]
    return part[: part.index("</d")]


def test_the_quiz_page_introduces_the_quiz(enrolled_client, quiz):
    html = page(enrolled_client, quiz)

    intro = between(html, "quiz-introduction")
    assert "Read <em>every</em> question twice." in intro


def test_the_quiz_page_states_its_rules(enrolled_client, quiz):
    html = page(enrolled_client, quiz)

    assert "3 questions" in between(html, "question-count")
    assert "None: take as long as you need." in between(html, "time-limit")
    assert "2 (2 left)" in between(html, "attempts-allowed")
    method = between(html, "grading-method")
    assert "Average grade" in method
    assert "The average of your attempts counts." in method


def test_the_quiz_page_says_how_many_questions_a_drawn_quiz_asks(enrolled_client, quiz):
    quiz.draw_count = 2
    quiz.save()

    assert "2 questions" in between(page(enrolled_client, quiz), "question-count")


def test_a_description_block_is_not_counted_as_a_question(
    enrolled_client, quiz, course
):
    from quizzes.models import QuizQuestion

    block = make_question(
        course=course, data={"type": "description", "text": "Read this first."}
    )
    QuizQuestion.objects.create(quiz=quiz, question=block, position=9)

    assert "3 questions" in between(page(enrolled_client, quiz), "question-count")


def test_the_review_policy_is_stated_in_words(enrolled_client, quiz):
    quiz.review_options = {
        "during": [],
        "immediately": ["responses", "marks"],
        "open": ["responses", "marks", "right_answers"],
        "closed": [],
    }
    quiz.save()

    policy = page(enrolled_client, quiz)
    policy = policy[policy.index('data-testid="review-policy"') :].split("</dd>")[0]

    assert "Right after you submit:</span> your answers, your marks" in policy
    assert (
        "Later, while the quiz is open:</span> your answers, your marks, "
        "the right answers" in policy
    )
    # No close date: the "closed" moment never comes, and is not mentioned.
    assert "closes" not in policy


def test_the_same_review_at_every_moment_is_said_once(enrolled_client, quiz):
    policy = page(enrolled_client, quiz)
    policy = policy[policy.index('data-testid="review-policy"') :].split("</dd>")[0]

    assert policy.count("<li>") == 1
    assert "After each attempt:" in policy
    assert "the right answers" in policy


def test_a_timed_quiz_says_it_will_ask_before_the_clock_starts(enrolled_client, timed):
    html = page(enrolled_client, timed)

    assert "30 minutes" in between(html, "time-limit")
    assert "you will be asked to confirm before the clock starts" in html


# --------------------------------------------------------------------------
# Confirmation before a timed attempt


def test_starting_a_timed_quiz_asks_for_confirmation_first(
    enrolled_client, student, timed
):
    response = enrolled_client.post(start_url(timed))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your attempt will have a time limit of 30 minutes." in html
    assert "cannot be paused" in html
    assert "Are you sure you wish to start now?" in html
    assert 'name="confirm" value="1"' in html
    assert f'href="{timed.get_absolute_url()}">Cancel</a>' in html
    assert not Attempt.objects.filter(quiz=timed, user=student).exists()


def test_confirming_starts_the_timed_attempt(enrolled_client, student, timed):
    response = enrolled_client.post(start_url(timed), {"confirm": "1"})

    attempt = Attempt.objects.get(quiz=timed, user=student)
    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])
    assert attempt.deadline is not None


def test_an_untimed_quiz_starts_at_once(enrolled_client, student, quiz):
    response = enrolled_client.post(start_url(quiz))

    assert response.status_code == 302
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == 1


def test_a_timed_attempt_in_progress_resumes_without_asking_again(
    enrolled_client, student, timed
):
    attempt = services.attempt_start(quiz=timed, user=student)

    response = enrolled_client.post(start_url(timed))

    assert response.status_code == 302
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])


def test_the_confirmation_counts_the_students_extra_time(
    enrolled_client, student, timed, course
):
    AccommodationFactory(user=student, course=course, time_multiplier="1.5")

    html = enrolled_client.post(start_url(timed)).content.decode()

    assert "a time limit of 45 minutes." in html
    assert "extra-time accommodation" in html


def test_an_override_that_times_an_untimed_quiz_asks_too(
    enrolled_client, student, quiz
):
    from tests.factories import QuizOverrideFactory

    QuizOverrideFactory(quiz=quiz, user=student, time_limit=timedelta(minutes=10))

    html = enrolled_client.post(start_url(quiz)).content.decode()

    assert "a time limit of 10 minutes." in html
    assert not Attempt.objects.filter(quiz=quiz, user=student).exists()


def test_the_start_url_still_refuses_a_get(enrolled_client, timed):
    assert enrolled_client.get(start_url(timed)).status_code == 405


def test_the_quiz_page_says_what_the_quiz_covers(enrolled_client, quiz, lesson):
    assert "The whole course" in between(page(enrolled_client, quiz), "quiz-covers")

    quiz.lesson = lesson
    quiz.draw_count = 2
    # As the admin saves it: the service marks the course's content changed.
    services.quiz_save(quiz=quiz)

    covers = between(page(enrolled_client, quiz), "quiz-covers")
    assert f"The lesson “{lesson.title}”" in covers
    assert "draws its questions at random" in covers
