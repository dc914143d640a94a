"""An attempt from start to review, through the services and through the pages:
start, save on every page, resume, summary, submit, grade, review by policy."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptState, Question, Response
from quizzes.review import ITEMS
from tests.factories import EnrollmentFactory, make_quiz
from tests.quizzes.samples import sample, single
from tests.quizzes.support import (
    attempt_url,
    by_type,
    responses_state,
    result_url,
    right_option_id,
    start_url,
    submit_url,
    summary_url,
    text_of,
)

pytestmark = pytest.mark.django_db

NOTHING = {"during": [], "immediately": [], "open": [], "closed": []}
MARKS_ONLY = {"during": [], "immediately": ["marks"], "open": [], "closed": []}
EVERYTHING = {moment: list(ITEMS) for moment in ("immediately", "open", "closed")}


@pytest.fixture
def quiz(course, lesson):
    """A lesson check: single choice, short answer and true/false, one mark each."""
    return make_quiz(
        course=course,
        lesson=lesson,
        slug="check",
        title="Lesson check",
        questions=[sample("single"), sample("shortanswer"), sample("truefalse")],
    )


def start_in_browser(client, quiz) -> Attempt:
    response = client.post(start_url(quiz))
    attempt = Attempt.objects.get(quiz=quiz)
    assert response.status_code == 302
    assert response.url == attempt_url(attempt)
    return attempt


def right_answers(attempt) -> dict:
    """A POST answering every question of the fixture quiz right."""
    rows = by_type(attempt)
    return {
        f"q{rows['single'].position}": right_option_id(rows["single"], "Lima"),
        f"q{rows['shortanswer'].position}": "Zebraquux",
        f"q{rows['truefalse'].position}": "true",
    }


# --------------------------------------------------------------------------
# Services


def test_starting_freezes_every_question_into_the_attempt(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)

    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempt.number == 1
    assert attempt.max_score == 3
    assert attempt.deadline is None
    responses = list(attempt.responses.order_by("position"))
    assert [r.snapshot["type"] for r in responses] == [
        "single",
        "shortanswer",
        "truefalse",
    ]
    assert all(r.answer is None for r in responses)
    assert [r.question_version for r in responses] == [1, 1, 1]


def test_starting_again_resumes_the_attempt_in_progress(quiz, student):
    first = services.attempt_start(quiz=quiz, user=student)

    again = services.attempt_start(quiz=quiz, user=student)

    assert again.pk == first.pk
    assert Attempt.objects.filter(quiz=quiz, user=student).count() == 1


def test_saved_answers_are_stored_normalised(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    rows = by_type(attempt)
    now = timezone.now()

    services.attempt_save_answers(
        attempt=attempt,
        answers={
            rows["shortanswer"].position: "  zebraquux  ",
            rows["truefalse"].position: "false",
        },
        now=now,
    )

    saved = by_type(attempt)
    assert saved["shortanswer"].answer == "zebraquux"
    assert saved["shortanswer"].answered_at == now
    assert saved["truefalse"].answer is False
    assert saved["single"].answer is None


def test_saving_the_same_answer_again_keeps_the_time_it_was_given(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    position = by_type(attempt)["shortanswer"].position
    first = timezone.now()
    services.attempt_save_answers(attempt=attempt, answers={position: "a"}, now=first)

    services.attempt_save_answers(
        attempt=attempt, answers={position: "a"}, now=first + timedelta(minutes=5)
    )

    assert by_type(attempt)["shortanswer"].answered_at == first


def test_submit_grades_the_attempt_at_once(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    rows = by_type(attempt)
    services.attempt_save_answers(
        attempt=attempt,
        answers={
            rows["single"].position: right_option_id(rows["single"], "Lima"),
            rows["shortanswer"].position: "zebraqux",  # the 50% wildcard answer
        },
    )

    result = services.attempt_submit(attempt=attempt)

    attempt.refresh_from_db()
    assert result.graded_now
    assert attempt.state == AttemptState.GRADED
    assert attempt.submitted_at is not None
    assert not attempt.auto_submitted
    assert attempt.score == 1.5
    assert attempt.fraction == pytest.approx(0.5)
    assert attempt.passed  # the pass mark is 50%
    graded = by_type(attempt)
    assert (graded["single"].score, graded["single"].fraction) == (1, 1)
    assert graded["single"].feedback == ["FEEDBACK-MARKER-2"]
    assert graded["shortanswer"].score == 0.5
    assert (graded["truefalse"].score, graded["truefalse"].fraction) == (0, 0)


def test_a_second_submit_changes_nothing(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at

    again = services.attempt_submit(
        attempt=attempt, now=timezone.now() + timedelta(hours=1)
    )

    attempt.refresh_from_db()
    assert not again.graded_now
    assert attempt.submitted_at == submitted_at


def test_answers_to_a_submitted_attempt_are_refused(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=attempt)
    before = responses_state(attempt)

    with pytest.raises(services.AttemptError) as refused:
        services.attempt_save_answers(attempt=attempt, answers={0: "x"})

    assert refused.value.code == services.ATTEMPT_CLOSED
    assert responses_state(attempt) == before


def test_an_attempt_with_an_essay_waits_for_manual_grading(course, student):
    quiz = make_quiz(course=course, questions=[single(), sample("essay")])
    attempt = services.attempt_start(quiz=quiz, user=student)
    rows = by_type(attempt)
    services.attempt_save_answers(
        attempt=attempt,
        answers={
            rows["single"].position: right_option_id(rows["single"], "Right"),
            rows["essay"].position: "Diplomacy by other means.",
        },
    )

    services.attempt_submit(attempt=attempt)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert attempt.score is None
    assert attempt.fraction is None
    assert attempt.passed is None
    essay = by_type(attempt)["essay"]
    assert essay.needs_manual
    assert essay.score is None


def test_an_unanswered_essay_scores_zero_without_waiting(course, student):
    quiz = make_quiz(course=course, questions=[single(), sample("essay")])
    attempt = services.attempt_start(quiz=quiz, user=student)

    services.attempt_submit(attempt=attempt)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score == 0


def test_a_description_carries_no_marks(course, student):
    quiz = make_quiz(course=course, questions=[sample("description"), single()])
    attempt = services.attempt_start(quiz=quiz, user=student)
    right = right_option_id(by_type(attempt)["single"], "Right")
    services.attempt_save_answers(attempt=attempt, answers={1: right})

    services.attempt_submit(attempt=attempt)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.fraction == 1.0


def test_editing_a_question_later_does_not_change_an_attempt_in_progress(quiz, student):
    attempt = services.attempt_start(quiz=quiz, user=student)
    question = Question.objects.get(slots__quiz=quiz, type="single")
    lima = question.answers.get(text="Lima")
    lima.fraction = 0.0
    lima.save()
    question.answers.filter(text="Quito").update(fraction=1.0)
    rows = by_type(attempt)
    services.attempt_save_answers(
        attempt=attempt,
        answers={rows["single"].position: right_option_id(rows["single"], "Lima")},
    )

    services.attempt_submit(attempt=attempt)

    assert by_type(attempt)["single"].fraction == 1.0


def test_a_new_attempt_after_a_finished_one_gets_the_next_number(quiz, student):
    first = services.attempt_start(quiz=quiz, user=student)
    services.attempt_submit(attempt=first)

    second = services.attempt_start(quiz=quiz, user=student)

    assert second.pk != first.pk
    assert second.number == 2


def test_a_quiz_without_questions_cannot_be_started(course, student):
    quiz = make_quiz(course=course)

    with pytest.raises(services.AttemptError) as refused:
        services.attempt_start(quiz=quiz, user=student)

    assert refused.value.code == "no_questions"


def test_draft_questions_are_never_asked(course, student):
    quiz = make_quiz(course=course, questions=[single("Shown"), single("Draft")])
    Question.objects.filter(text="Draft").update(is_published=False)

    attempt = services.attempt_start(quiz=quiz, user=student)

    assert [r.snapshot["text"] for r in attempt.responses.all()] == ["Shown"]


# --------------------------------------------------------------------------
# Pages


def test_the_quiz_page_invites_an_enrolled_student_to_start(enrolled_client, quiz):
    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert "Start the quiz" in html
    assert start_url(quiz) in html


def test_a_student_not_enrolled_is_asked_to_enrol_and_cannot_start(
    student_client, student, quiz
):
    html = student_client.get(quiz.get_absolute_url()).content.decode()
    response = student_client.post(start_url(quiz))

    assert "Enrol in the course to take this quiz." in html
    assert response.status_code == 302
    assert response.url == quiz.course.get_absolute_url()
    assert not Attempt.objects.filter(user=student).exists()


def test_visitors_are_sent_to_log_in(client, quiz):
    response = client.get(quiz.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unpublished_quiz_is_hidden_from_students(enrolled_client, quiz):
    quiz.is_published = False
    quiz.save()

    assert enrolled_client.get(quiz.get_absolute_url()).status_code == 404
    assert enrolled_client.post(start_url(quiz)).status_code == 404


def test_starting_opens_the_attempt_page_with_every_question(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)

    html = enrolled_client.get(attempt_url(attempt)).content.decode()

    assert "Which city is the capital of Peru?" in html
    assert "Type the secret word." in html
    assert "The Amazon flows into the Atlantic." in html
    for text in ("Quito", "Lima", "Cusco"):
        assert f">{text}</label>" in html


def test_saving_a_page_stores_the_answers(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)

    response = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "save", **right_answers(attempt)}
    )

    assert response.status_code == 302
    assert response.url == attempt_url(attempt, page=1)
    rows = by_type(attempt)
    assert rows["shortanswer"].answer == "Zebraquux"
    assert rows["truefalse"].answer is True
    assert rows["single"].answer == right_option_id(rows["single"], "Lima")
    html = enrolled_client.get(response.url).content.decode()
    assert "Your answers are saved." in html
    assert 'value="Zebraquux"' in html


def test_answers_are_saved_on_every_page_post(enrolled_client, course, lesson):
    quiz = make_quiz(
        course=course,
        questions=[single("First"), single("Second"), single("Third")],
        questions_per_page=1,
    )
    attempt = start_in_browser(enrolled_client, quiz)
    rows = list(attempt.responses.order_by("position"))
    right = [right_option_id(r, "Right") for r in rows]
    wrong = [right_option_id(r, "Wrong") for r in rows]

    after_first = enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "next", "q0": right[0]}
    )
    after_second = enrolled_client.post(
        attempt_url(attempt), {"page": "2", "action": "next", "q1": wrong[1]}
    )
    back = enrolled_client.post(
        attempt_url(attempt), {"page": "3", "action": "previous", "q2": right[2]}
    )

    assert after_first.url == attempt_url(attempt, page=2)
    assert after_second.url == attempt_url(attempt, page=3)
    assert back.url == attempt_url(attempt, page=2)
    assert [r.answer for r in attempt.responses.order_by("position")] == [
        right[0],
        wrong[1],
        right[2],
    ]
    page_two = enrolled_client.get(attempt_url(attempt, page=2)).content.decode()
    assert "Second" in page_two
    assert "First" not in page_two


def test_a_returning_student_resumes_the_same_attempt(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "save", **right_answers(attempt)}
    )

    detail = enrolled_client.get(quiz.get_absolute_url()).content.decode()
    again = enrolled_client.post(start_url(quiz))

    assert "Continue your attempt" in detail
    assert again.url == attempt_url(attempt)
    assert Attempt.objects.filter(quiz=quiz).count() == 1
    html = enrolled_client.get(attempt_url(attempt)).content.decode()
    assert 'value="Zebraquux"' in html


def test_finishing_a_page_saves_it_and_opens_the_summary(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    rows = by_type(attempt)

    response = enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", "action": "finish", f"q{rows['truefalse'].position}": "false"},
    )

    assert response.url == summary_url(attempt)
    assert by_type(attempt)["truefalse"].answer is False


def test_the_summary_lists_unanswered_questions_first(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    rows = by_type(attempt)
    enrolled_client.post(
        attempt_url(attempt),
        {
            "page": "1",
            "action": "save",
            f"q{rows['single'].position}": right_option_id(rows["single"], "Lima"),
        },
    )

    html = enrolled_client.get(summary_url(attempt)).content.decode()

    order = [html.index(f"Question {n}</a>") for n in (1, 2, 3)]
    assert order[1] < order[2] < order[0]  # 2 and 3 unanswered, then 1
    assert html.count("Not yet answered") == 2
    assert html.count("Answer saved") == 1
    assert submit_url(attempt) in html


def test_submitting_grades_at_once_and_shows_the_result(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "save", **right_answers(attempt)}
    )

    response = enrolled_client.post(submit_url(attempt))

    assert response.status_code == 302
    assert response.url == result_url(attempt)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    assert attempt.score == 3
    html = enrolled_client.get(result_url(attempt)).content.decode()
    assert "3 / 3 (100%)" in html
    assert 'data-testid="result-passed"' in html


def test_a_submitted_attempt_page_leads_to_its_result(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    enrolled_client.post(submit_url(attempt))

    page = enrolled_client.get(attempt_url(attempt))
    summary = enrolled_client.get(summary_url(attempt))
    late_post = enrolled_client.post(
        attempt_url(attempt), {"page": "1", **right_answers(attempt)}
    )

    assert page.url == summary.url == late_post.url == result_url(attempt)
    assert all(r.answer is None for r in attempt.responses.all())


def test_submitting_twice_tells_the_student_it_was_already_submitted(
    enrolled_client, quiz
):
    attempt = start_in_browser(enrolled_client, quiz)
    enrolled_client.post(submit_url(attempt))

    response = enrolled_client.post(submit_url(attempt), follow=True)

    assert "This attempt had already been submitted." in response.content.decode()


def test_the_result_of_an_attempt_in_progress_is_the_attempt_itself(
    enrolled_client, quiz
):
    attempt = start_in_browser(enrolled_client, quiz)

    response = enrolled_client.get(result_url(attempt))

    assert response.url == attempt_url(attempt)


def test_an_essay_attempt_shows_that_it_awaits_grading(enrolled_client, course):
    quiz = make_quiz(course=course, questions=[single(), sample("essay")])
    attempt = start_in_browser(enrolled_client, quiz)
    essay = by_type(attempt)["essay"]
    enrolled_client.post(
        attempt_url(attempt),
        {"page": "1", f"q{essay.position}": "Diplomacy by other means."},
    )

    enrolled_client.post(submit_url(attempt))

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert attempt.score is None
    html = enrolled_client.get(result_url(attempt)).content.decode()
    assert 'data-testid="result-pending"' in html
    assert "Awaiting grading" in html
    assert 'data-testid="result-score"' not in html


def test_the_quiz_page_lists_attempts_and_the_grade(enrolled_client, quiz):
    attempt = start_in_browser(enrolled_client, quiz)
    enrolled_client.post(
        attempt_url(attempt), {"page": "1", "action": "save", **right_answers(attempt)}
    )
    enrolled_client.post(submit_url(attempt))

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert 'data-testid="quiz-grade">100%' in html
    assert result_url(attempt) in html
    assert "Start a new attempt" in html


# --------------------------------------------------------------------------
# Review policy on the result page


def submitted(client, quiz, answers=None) -> tuple[Attempt, str]:
    """Start, answer (right by default), submit; the result page's HTML."""
    attempt = start_in_browser(client, quiz)
    data = right_answers(attempt) if answers is None else answers(attempt)
    client.post(attempt_url(attempt), {"page": "1", "action": "save", **data})
    client.post(submit_url(attempt))
    attempt.refresh_from_db()
    return attempt, client.get(result_url(attempt)).content.decode()


def wrong_answers(attempt) -> dict:
    rows = by_type(attempt)
    return {
        f"q{rows['single'].position}": right_option_id(rows["single"], "Quito"),
        f"q{rows['shortanswer'].position}": "horse",
        f"q{rows['truefalse'].position}": "false",
    }


def test_review_with_nothing_allowed_shows_only_that_it_was_submitted(
    enrolled_client, quiz
):
    quiz.review_options = NOTHING
    quiz.overall_feedback = [{"min": 0, "text": "OVERALL-MARKER"}]
    quiz.save()

    _attempt, html = submitted(enrolled_client, quiz, wrong_answers)

    assert "Marks are not shown at this time." in html
    for hidden in (
        "FEEDBACK-MARKER-1",
        "GENERAL-MARKER",
        "OVERALL-MARKER",
        "Right answer",
        ">Your answer<",
        "Incorrect",
        "zebraquux",
        "horse",
        'data-testid="result-score"',
        "Not passed yet",
    ):
        assert hidden not in html, hidden


def test_review_with_marks_only_shows_the_score_and_nothing_else(enrolled_client, quiz):
    quiz.review_options = MARKS_ONLY
    quiz.save()

    _attempt, html = submitted(enrolled_client, quiz, wrong_answers)

    assert 'data-testid="result-score"' in html
    assert "0 / 3 (0%)" in html
    assert "Not passed yet" in html
    assert "0 / 1" in html  # each question's marks
    for hidden in (
        "FEEDBACK-MARKER",
        "GENERAL-MARKER",
        "Right answer",
        ">Your answer<",
        "Incorrect",
        "zebraquux",
        "Lima",
        "horse",
    ):
        assert hidden not in html, hidden


def test_review_with_everything_shows_answers_feedback_and_right_answers(
    enrolled_client, quiz
):
    quiz.review_options = EVERYTHING
    quiz.overall_feedback = [{"min": 0, "text": "OVERALL-MARKER"}]
    quiz.save()

    _attempt, html = submitted(enrolled_client, quiz, wrong_answers)

    text = text_of(html)
    assert "0 / 3 (0%)" in text
    assert "Your answer" in text
    assert "horse" in text
    assert "FEEDBACK-MARKER-1" in text  # the chosen option's feedback
    assert "FEEDBACK-MARKER-8" in text  # feedback for answering False
    assert "FEEDBACK-MARKER-2 " not in text  # not the feedback of unchosen options
    assert "GENERAL-MARKER-SINGLE" in text
    assert "GENERAL-MARKER-SHORTANSWER" in text
    # Choice options carry the label the attempt page gave them (a., b., c.).
    assert re.search(r"Right answer [abc]\. Lima", text)
    assert "Right answer zebraquux" in text
    assert "Right answer True" in text
    assert "Incorrect" in text
    assert "OVERALL-MARKER" in text


def test_review_shows_the_right_items_once_the_immediate_window_is_over(
    enrolled_client, quiz
):
    quiz.review_options = {
        "during": [],
        "immediately": list(ITEMS),
        "open": ["marks"],
        "closed": [],
    }
    quiz.save()
    attempt, immediately = submitted(enrolled_client, quiz, wrong_answers)
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=3)
    )

    later = enrolled_client.get(result_url(attempt)).content.decode()

    assert "Right answer" in immediately
    assert "Right answer" not in later
    assert "FEEDBACK-MARKER" not in later
    assert "0 / 3 (0%)" in later


def test_review_after_the_quiz_closed_follows_the_closed_options(enrolled_client, quiz):
    quiz.review_options = {
        "during": [],
        "immediately": [],
        "open": [],
        "closed": list(ITEMS),
    }
    quiz.save()
    attempt, before = submitted(enrolled_client, quiz, wrong_answers)
    quiz.close_at = timezone.now() - timedelta(seconds=1)
    quiz.save()

    after = enrolled_client.get(result_url(attempt)).content.decode()

    assert "Right answer" not in before
    assert "Right answer" in after
    assert "FEEDBACK-MARKER-1" in after


def test_the_quiz_page_hides_grades_the_policy_hides(enrolled_client, quiz):
    quiz.review_options = NOTHING
    quiz.save()
    submitted(enrolled_client, quiz)

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert "100%" not in html.split("Your attempts")[1]


def test_another_students_result_is_not_found(enrolled_client, quiz, course):
    from tests.factories import UserFactory

    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    attempt = services.attempt_start(quiz=quiz, user=other)
    services.attempt_submit(attempt=attempt)

    assert enrolled_client.get(result_url(attempt)).status_code == 404
    assert enrolled_client.get(summary_url(attempt)).status_code == 404
    assert enrolled_client.post(submit_url(attempt)).status_code == 404
    assert Response.objects.filter(attempt=attempt).count() == 3


# --------------------------------------------------------------------------
# Answering each kind of question on the page


@pytest.fixture
def mixed(course, student, enrolled_client):
    quiz = make_quiz(
        course=course,
        slug="mixed",
        questions=[sample(k) for k in ("multiple", "matching", "ordering", "essay")],
    )
    return services.attempt_start(quiz=quiz, user=student)


def test_unticking_every_box_clears_a_multiple_response_answer(enrolled_client, mixed):
    multiple = by_type(mixed)["multiple"]
    key = f"q{multiple.position}"
    chile = right_option_id(multiple, "Chile")
    enrolled_client.post(attempt_url(mixed), {"page": "1", key: chile})

    # The page shown after the first save carries that answer's sequence.
    enrolled_client.post(
        attempt_url(mixed), {"page": "1", f"{key}-present": "1", f"{key}-seq": "1"}
    )

    assert by_type(mixed)["multiple"].answer is None


def test_matching_answers_are_saved_pair_by_pair(enrolled_client, mixed):
    matching = by_type(mixed)["matching"]
    pairs = matching.snapshot["pairs"]
    key = f"q{matching.position}"

    enrolled_client.post(
        attempt_url(mixed),
        {"page": "1", f"{key}-{pairs[0]['id']}": "Lima", f"{key}-{pairs[1]['id']}": ""},
    )

    assert by_type(mixed)["matching"].answer == {pairs[0]["id"]: "Lima"}
    html = enrolled_client.get(attempt_url(mixed)).content.decode()
    assert '<option value="Lima" selected>Lima</option>' in html


def test_moving_an_ordering_item_up_saves_the_new_order(enrolled_client, mixed):
    ordering = by_type(mixed)["ordering"]
    shown = ordering.snapshot["display_order"]
    position = ordering.position

    response = enrolled_client.post(
        attempt_url(mixed),
        {
            "page": "1",
            f"q{position}-order": ",".join(shown),
            "move": f"{position}:{shown[1]}:up",
        },
    )

    assert response.url == f"{attempt_url(mixed, page=1)}#q{position}"
    assert by_type(mixed)["ordering"].answer == [shown[1], shown[0], *shown[2:]]


def test_a_students_own_markup_is_shown_as_text(enrolled_client, mixed):
    essay = by_type(mixed)["essay"]
    enrolled_client.post(
        attempt_url(mixed),
        {"page": "1", f"q{essay.position}": "<script>alert('x')</script>"},
    )

    page = enrolled_client.get(attempt_url(mixed)).content.decode()
    enrolled_client.post(submit_url(mixed))
    result = enrolled_client.get(result_url(mixed)).content.decode()

    for html in (page, result):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", "100%"), ("average", "50%"), ("first", "0%"), ("last", "50%")],
)
def test_the_quiz_grade_follows_the_grading_method(
    enrolled_client, course, method, expected
):
    quiz = make_quiz(
        course=course, grading_method=method, questions=[single(), single()]
    )
    for right in (0, 2, 1):
        attempt = start_in_browser_again(enrolled_client, quiz)
        data = {"page": "1"}
        for n, response in enumerate(attempt.responses.order_by("position")):
            data[f"q{n}"] = right_option_id(response, "Right" if n < right else "Wrong")
        enrolled_client.post(attempt_url(attempt), data)
        enrolled_client.post(submit_url(attempt))

    html = enrolled_client.get(quiz.get_absolute_url()).content.decode()

    assert f'data-testid="quiz-grade">{expected}<' in html


def start_in_browser_again(client, quiz) -> Attempt:
    client.post(start_url(quiz))
    return Attempt.objects.filter(quiz=quiz).latest("number")
