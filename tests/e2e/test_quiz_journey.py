"""A student takes a timed lesson quiz of the shipped course in a real browser:
from the lesson page through the countdown to the review, running out of time,
and answering by keyboard alone."""

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from lessons.selectors import course_outline, outline_lessons
from quizzes.models import Answer, Attempt, Question, Quiz, QuizQuestion, Response
from quizzes.presenting import option_token
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.browser

QUESTIONS_FILE = Path("content/military-diplomacy.questions.json")
QUIZ_SLUG = "check-peru"
LESSON_TITLE = "Peru"
# check-peru asks multiple, single, true/false, short-answer and ordering
# questions; these two from the same bank add a matching and a numerical one, so
# every input of the attempt page is used (radio, checkbox, text, select, Up/Down).
EXTRA_KEYS = ("peru-role-06", "key-players-01")
SIGN_UP_PASSWORD = "Correct-horse-battery-9"
FACTORY_PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's
ATTEMPT_SCREENSHOT = Path("/tmp/e2e-quiz-attempt.png")
REVIEW_SCREENSHOT = Path("/tmp/e2e-quiz-review.png")
TIMED_OUT_SCREENSHOT = Path("/tmp/e2e-quiz-timed-out.png")
KEYBOARD_SCREENSHOT = Path("/tmp/e2e-quiz-keyboard-focus.png")
CLOCK_BEHIND = timedelta(seconds=2)


@pytest.fixture
def quiz(seed_course) -> Quiz:
    """check-peru from the shipped question bank, 5 minutes long, every input type."""
    call_command(
        "import_questions",
        str(settings.BASE_DIR / QUESTIONS_FILE),
        "--course",
        seed_course.slug,
        stdout=io.StringIO(),
    )
    quiz = Quiz.objects.get(course=seed_course, slug=QUIZ_SLUG)
    quiz.time_limit = timedelta(minutes=5)
    quiz.save(update_fields=["time_limit"])
    last = quiz.slots.order_by("-position").first().position
    for offset, key in enumerate(EXTRA_KEYS, start=1):
        QuizQuestion.objects.create(
            quiz=quiz,
            question=Question.objects.get(course=seed_course, key=key),
            position=last + offset,
        )
    kinds = set(quiz.slots.values_list("question__type", flat=True))
    assert kinds >= {"single", "multiple", "truefalse", "shortanswer", "numerical",
                     "matching", "ordering"}, kinds  # fmt: skip
    assert "essay" not in kinds, "an essay waits for a teacher: no 100% at once"
    return quiz


# --------------------------------------------------------------------------
# Helpers: the right answers come from the database (the question bank), and are
# given through the page the way a student would.


def _log_in(page: Page, *, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Log in", exact=True).click()
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _enrolled_student(course, username: str) -> None:
    EnrollmentFactory(user=UserFactory(username=username), course=course)


def _start(page: Page, quiz: Quiz) -> Attempt:
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start the quiz").click()
    # A timed quiz asks first (the confirmation page).
    page.get_by_role("button", name="Start attempt").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    return Attempt.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def _fieldset(page: Page, response: Response) -> Locator:
    return page.locator(f"fieldset#q{response.position}")


def _rows(response: Response) -> list[Answer]:
    return list(Answer.objects.filter(question_id=response.question_id))


def _right_choice(response: Response) -> Answer:
    return max(_rows(response), key=lambda row: row.fraction)


def _move_into_order(page: Page, response: Response) -> None:
    """Put an ordering question's items right with the Up buttons (each one posts
    the page and comes back to it)."""
    wanted = [row.text for row in sorted(_rows(response), key=lambda r: r.position)]
    items = _fieldset(page, response).locator("li .me-auto")
    shown = items.all_inner_texts()
    assert sorted(shown) == sorted(wanted)
    assert shown != wanted, "the items are shown in their right order"
    for target, text in enumerate(wanted):
        while (index := shown.index(text)) > target:
            _fieldset(page, response).get_by_role(
                "button", name=f"Move “{text}” up"
            ).click()
            shown[index - 1], shown[index] = shown[index], shown[index - 1]
            expect(items).to_have_text(shown)
    assert shown == wanted


def _answer_rightly(page: Page, response: Response) -> None:
    """Give the right answer to one question through its inputs."""
    box = _fieldset(page, response)
    kind = response.snapshot["type"]
    rows = _rows(response)
    if kind == "single":
        box.get_by_label(_right_choice(response).text, exact=True).check()
    elif kind == "multiple":
        for row in rows:
            option = box.get_by_label(row.text, exact=True)
            if row.fraction > 0:
                option.check()
            else:
                option.uncheck()
    elif kind == "truefalse":
        right = next(row for row in rows if row.fraction >= 1)
        box.get_by_label(right.text, exact=True).check()  # "True" or "False"
    elif kind == "shortanswer":
        accepted = [r.text for r in rows if r.fraction >= 1 and "*" not in r.text]
        box.get_by_label("Your answer", exact=True).fill(accepted[0])
    elif kind == "numerical":
        best = max(rows, key=lambda row: row.fraction)
        box.get_by_label("Your answer (a number)").fill(f"{best.number:g}")
    elif kind == "matching":
        for row in rows:
            if row.text.strip():  # a row without a prompt is a distractor
                box.get_by_label(row.text, exact=True).select_option(row.match_text)
    elif kind == "ordering":
        _move_into_order(page, response)
    else:
        raise AssertionError(f"no way to answer a {kind} question")


def _secrets(quiz: Quiz) -> list[str]:
    """Texts an attempt page must never show: feedback and accepted answers."""
    rows = Answer.objects.filter(question__slots__quiz=quiz)
    texts = [row.feedback for row in rows]
    texts += [
        row.text
        for row in rows.filter(question__type="shortanswer", fraction__gt=0)
        if "*" not in row.text
    ]
    texts += Question.objects.filter(slots__quiz=quiz).values_list(
        "general_feedback", flat=True
    )
    return [text for text in texts if len(text) > 3]


def _countdown(page: Page) -> Locator:
    box = page.locator("[data-countdown]")
    expect(box).to_be_visible()
    expect(box).to_contain_text("Time left")
    expect(box.get_by_role("timer")).to_have_count(1)
    return box.locator("[data-countdown-value]")


def _seconds(clock_text: str) -> int:
    minutes, seconds = clock_text.split(":")
    return int(minutes) * 60 + int(seconds)


def _progress(page: Page) -> int:
    bar = page.get_by_test_id("progress-bar")
    expect(bar).to_be_visible()
    return int(bar.get_attribute("aria-valuenow"))


def _focus_is_visible(locator: Locator) -> bool:
    """The focused control draws a ring: an outline or Bootstrap's box-shadow."""
    return locator.evaluate(
        """el => {
            const style = getComputedStyle(el);
            return (style.outlineStyle !== "none" && style.outlineWidth !== "0px")
                || style.boxShadow !== "none";
        }"""
    )


# --------------------------------------------------------------------------


def test_student_takes_a_timed_lesson_quiz_and_passes_it(
    page: Page, live_server, seed_course, quiz
):
    lessons = outline_lessons(course_outline(course=seed_course))
    lesson = quiz.lesson

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.locator("#id_username").fill("paula")
    page.locator("#id_email").fill("paula@example.com")
    page.locator("#id_password1").fill(SIGN_UP_PASSWORD)
    page.locator("#id_password2").fill(SIGN_UP_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, paula!")

    page.goto(seed_course.get_absolute_url())
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    assert _progress(page) == 0

    outline = page.get_by_role("navigation", name="Course outline")
    # Modules other than the current lesson's are folded: open the lesson's.
    outline.locator("summary", has_text=lesson.module.title).click()
    outline.get_by_role("link", name=LESSON_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    page.get_by_role("link", name="Take the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    expect(page.get_by_test_id("time-limit")).to_contain_text("5 minutes")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_test_id("start-confirm")).to_contain_text(
        "Your attempt will have a time limit of 5 minutes."
    )
    page.get_by_role("button", name="Start attempt").click()

    # The attempt page: a countdown from (just under) five minutes, ticking.
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(quiz=quiz, user__username="paula")
    value = _countdown(page)
    expect(value).to_have_text(re.compile(r"^[45]:\d\d$"))
    first = value.inner_text()
    assert 4 * 60 < _seconds(first) <= 5 * 60, first
    expect(value).not_to_have_text(first, timeout=3_000)
    assert _seconds(value.inner_text()) < _seconds(first)

    html = page.content()
    leaked = [text for text in _secrets(quiz) if text in html]
    assert not leaked, f"the attempt page shows {leaked!r}"
    assert "fraction" not in html

    responses = list(attempt.responses.order_by("position"))
    assert len(responses) == 8
    # Moving an ordering item posts the page, so order first, then the rest.
    ordering = [r for r in responses if r.snapshot["type"] == "ordering"]
    for response in ordering + [r for r in responses if r not in ordering]:
        _answer_rightly(page, response)
    page.screenshot(path=ATTEMPT_SCREENSHOT, full_page=True)
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    saved = Response.objects.filter(attempt=attempt, answer__isnull=False)
    assert saved.count() == len(responses)

    page.get_by_role("button", name="Finish attempt…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of your attempt")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(responses))
    expect(page.get_by_text("Not yet answered")).to_have_count(0)
    expect(page.get_by_role("cell", name="Answer saved")).to_have_count(len(responses))
    _countdown(page)
    page.get_by_role("button", name="Submit all and finish").click()

    # The review, as the default policy shows it right after submitting.
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.pk}/result/$"))
    expect(page.get_by_test_id("result-score")).to_have_text("9 / 9 (100%)")
    expect(page.get_by_test_id("result-passed")).to_have_text("Passed")
    expect(page.get_by_text("submitted automatically")).to_have_count(0)
    for response in responses:
        article = page.locator(f"article#q{response.position}")
        expect(article.locator(".badge")).to_have_text("Correct")
        expect(article.get_by_role("heading", name="Your answer")).to_be_visible()
        expect(article.get_by_role("heading", name="Right answer")).to_be_visible()
        expect(article.locator(".border-start")).not_to_be_empty()  # general
        if response.snapshot["type"] == "single":
            expect(article).to_contain_text(_right_choice(response).feedback)
    page.screenshot(path=REVIEW_SCREENSHOT, full_page=True)

    # The course page: the lesson is ticked, progress moved, the badge has the score.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=seed_course.title
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed_course.title)
    assert _progress(page) == round(100 / len(lessons))
    expect(page.get_by_test_id("progress-percent")).to_contain_text(
        f"1 of {len(lessons)} lessons"
    )
    syllabus = page.get_by_role("region", name="Syllabus")
    entry = syllabus.get_by_role("link", name=LESSON_TITLE, exact=True).locator("..")
    expect(entry.locator(".tick")).to_have_text("✓")
    expect(entry).to_contain_text("(completed)")
    # The score is said as text: the lesson link beside it leads to the quiz.
    expect(entry.locator(".badge", has_text="Quiz: 100%")).to_be_visible()


def test_when_time_runs_out_the_page_submits_what_was_saved_in_time(
    page: Page, live_server, seed_course, quiz
):
    quiz.time_limit = timedelta(seconds=8)
    quiz.grace_period = timedelta(0)
    quiz.save(update_fields=["time_limit", "grace_period"])
    _enrolled_student(seed_course, "tomas")
    _log_in(page, username="tomas", password=FACTORY_PASSWORD)
    # The countdown runs on the browser's clock. This student's is 2 s slow, so
    # it reaches zero after the server's deadline (no grace) every run, and what
    # it posts then must be refused. (On an exact clock it may post up to half a
    # second early, in time: the next test.)
    page.clock.install(time=datetime.now(UTC) - CLOCK_BEHIND)

    attempt = _start(page, quiz)
    single = attempt.responses.filter(snapshot__type="single").first()
    truefalse = attempt.responses.filter(snapshot__type="truefalse").first()
    _answer_rightly(page, single)
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    assert timezone.now() < attempt.deadline, "the answer was saved too late"
    expect(
        _fieldset(page, single).get_by_label(_right_choice(single).text, exact=True)
    ).to_be_checked()
    _answer_rightly(page, truefalse)  # chosen, never saved: it goes with the late post

    # Nobody touches anything: the countdown reaches zero and the page submits.
    _countdown(page)
    expect(page).to_have_url(
        re.compile(rf"/attempts/{attempt.pk}/result/$"), timeout=20_000
    )
    expect(page.get_by_text("submitted automatically")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Time was up")
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    assert attempt.auto_submitted
    assert attempt.submitted_at > attempt.deadline
    expect(page.locator(f"article#q{single.position} .badge")).to_have_text("Correct")
    single.refresh_from_db()
    assert single.score == single.max_mark == 1
    truefalse.refresh_from_db()
    assert truefalse.answer is None, "an answer sent after the deadline counted"
    expect(page.locator(f"article#q{truefalse.position}")).to_contain_text(
        "Not answered"
    )
    # Saving the page also saved the ordering question's shown order (partly
    # right, at random); the total is whatever the saved answers earned.
    scores = Response.objects.filter(attempt=attempt).values_list("score", flat=True)
    assert attempt.score == pytest.approx(sum(s or 0 for s in scores))
    page.screenshot(path=TIMED_OUT_SCREENSHOT, full_page=True)


def test_the_countdowns_submit_in_the_grace_period_keeps_what_is_on_the_page(
    page: Page, live_server, seed_course, quiz
):
    """With an exact clock and the default grace period, the countdown's post
    arrives about when the time runs out: the answers on the page are saved and
    the attempt is submitted, automatically."""
    quiz.time_limit = timedelta(seconds=4)
    quiz.save(update_fields=["time_limit"])
    assert quiz.grace_period == timedelta(seconds=60)
    _enrolled_student(seed_course, "rosa")
    _log_in(page, username="rosa", password=FACTORY_PASSWORD)

    attempt = _start(page, quiz)
    single = attempt.responses.filter(snapshot__type="single").first()
    _answer_rightly(page, single)  # chosen, never saved by the student

    expect(page).to_have_url(
        re.compile(rf"/attempts/{attempt.pk}/result/$"), timeout=15_000
    )
    expect(page.get_by_text("submitted automatically")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    assert attempt.auto_submitted
    assert abs(attempt.submitted_at - attempt.deadline) < timedelta(seconds=2)
    single.refresh_from_db()
    assert single.score == single.max_mark == 1
    expect(page.locator(f"article#q{single.position} .badge")).to_have_text("Correct")


def test_a_single_choice_question_can_be_answered_and_saved_by_keyboard(
    page: Page, live_server, seed_course, quiz
):
    _enrolled_student(seed_course, "kiko")
    _log_in(page, username="kiko", password=FACTORY_PASSWORD)
    attempt = _start(page, quiz)
    single = attempt.responses.filter(snapshot__type="single").order_by("position")[0]
    right_id = str(_right_choice(single).pk)
    # The page shows each option as a token of its id (presenting.option_token).
    right = option_token(single.pk, right_id)
    group = f"q{single.position}"

    def focused(selector: str) -> bool:
        return page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)",
            selector,
        )

    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(f'input[type="radio"][name="{group}"]'):
            break
    else:
        pytest.fail("Tab never reached the single-choice question")
    for _ in range(10):  # arrow keys move through the options, choosing each
        if focused(f'input[value="{right}"]'):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail("the arrow keys never reached the right option")
    page.keyboard.press("Space")
    radio = _fieldset(page, single).get_by_label(_right_choice(single).text, exact=True)
    expect(radio).to_be_focused()
    expect(radio).to_be_checked()
    assert _focus_is_visible(radio), "the focused option shows no focus ring"
    page.screenshot(path=KEYBOARD_SCREENSHOT)

    save = page.get_by_role("button", name="Save answers")
    for _ in range(80):
        page.keyboard.press("Tab")
        if save.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Save answers button")
    assert _focus_is_visible(save), "the focused Save button shows no focus ring"
    page.keyboard.press("Space")

    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    single.refresh_from_db()
    assert single.answer == right_id
    expect(
        _fieldset(page, single).get_by_label(_right_choice(single).text, exact=True)
    ).to_be_checked()
