"""The attempt page, its summary and the review in a real browser.

- The whole student journey with the keyboard alone (Tab, Shift+Tab, Space,
  Enter, arrows, typing; no click): log in, open the course and a lesson, mark it
  done, start a quiz with one question of every registered type, answer them all,
  flag one, submit and read the review.
- Ordering without a reload (buttons and drag, announced), and with JavaScript
  off (the buttons post the page); flags without a reload, and without
  JavaScript; the navigation panel across pages; the essay counter.
- At 1280 and 375 px: no page wider than the window, no serious or critical axe
  violation, targets of 44 px; screenshots in var/screenshots/ (not committed).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from lessons.models import LessonProgress
from quizzes import types as question_types
from quizzes.models import Attempt, Quiz, Response
from tests.axe import overflow, serious_violations
from tests.browser import log_in
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    UserFactory,
    make_course,
    make_quiz,
)
from tests.quizzes.samples import ALL_TYPES, sample

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 740)}
# Every registered type (the cloze type too, once it is on main), in this order.
ORDER = ["description", "single", "multiple", "truefalse", "shortanswer",
         "numerical", "matching", "ordering", "cloze", "essay"]  # fmt: skip


def registered_kinds() -> list[str]:
    names = {qtype.name for qtype in question_types.all_types()}
    kinds = [kind for kind in ORDER if kind in names]
    missing = names - set(kinds)
    assert not missing, f"a type this test does not answer yet: {missing}"
    assert set(kinds) <= set(ALL_TYPES), "a registered type has no sample question"
    return kinds


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def course(transactional_db):
    return make_course(modules=1, lessons_per_module=3, slug="andes", title="Andes")


@pytest.fixture
def student(course):
    user = UserFactory(username="kim")
    EnrollmentFactory(user=user, course=course)
    return user


@pytest.fixture
def lessons(course) -> list:
    return list(course.lessons.order_by("module__position", "position"))


@pytest.fixture
def quiz(course, lessons) -> Quiz:
    """A check of the second lesson with a question of every registered type,
    all on one page, untimed."""
    return make_quiz(
        course=course,
        lesson=lessons[1],
        title="Every kind of question",
        slug="every-kind",
        questions=[sample(kind) for kind in registered_kinds()],
    )


@pytest.fixture
def paged_quiz(course) -> Quiz:
    return make_quiz(
        course=course,
        slug="paged",
        questions=[
            sample("single"),
            sample("truefalse"),
            sample("shortanswer"),
            sample("ordering"),
            sample("essay"),
        ],
        questions_per_page=2,
    )


# --------------------------------------------------------------------------
# Keyboard helpers: focus moves with Tab (or Shift+Tab when the target comes
# before the focused element) until the wanted element has it.

_IS_FOCUSED = "el => el === document.activeElement"
# Whether the element comes after the focused one (Tab reaches it), or before.
_AFTER_FOCUS = """el => {
  const a = document.activeElement;
  if (!a || a === document.body) return true;
  return !!(a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def focus(page: Page, target: Locator, *, limit: int = 400) -> None:
    """Tab (or Shift+Tab) to ``target``: never a click, never element.focus()."""
    target = target.first
    target.wait_for()
    forward = target.evaluate(_AFTER_FOCUS)
    key = "Tab" if forward else "Shift+Tab"
    for _ in range(limit):
        if target.evaluate(_IS_FOCUSED):
            return
        page.keyboard.press(key)
    pytest.fail(f"{key} never reached {target}")


def focus_into(page: Page, selector: str, *, limit: int = 400) -> None:
    """Tab to the first focus stop matching ``selector`` (a radio group's)."""
    first = page.locator(selector).first
    forward = first.evaluate(_AFTER_FOCUS)
    key = "Tab" if forward else "Shift+Tab"
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press(key)
    pytest.fail(f"{key} never reached {selector}")


def press_on(page: Page, target: Locator, key: str = "Enter") -> None:
    focus(page, target)
    page.keyboard.press(key)


def choose_radio(page: Page, fieldset: str, label: str) -> None:
    """Into the radio group, then the arrows (which choose) to ``label``."""
    focus_into(page, f"{fieldset} input[type=radio]")
    for _ in range(10):
        if page.evaluate(
            "t => document.activeElement.labels[0].textContent.trim() === t", label
        ):
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail(f"the arrows never reached {label!r}")
    page.keyboard.press("Space")
    expect(page.locator(f"{fieldset}").get_by_label(label, exact=True)).to_be_checked()


def type_into(page: Page, target: Locator, text: str) -> None:
    focus(page, target)
    page.keyboard.type(text)


def fieldset(kind: str, attempt: Attempt) -> str:
    position = attempt.responses.get(snapshot__type=kind).position
    return f"fieldset#q{position}"


def log_in_by_keyboard(page: Page, username: str) -> None:
    page.goto("/")
    press_on(page, page.get_by_role("link", name="Log in", exact=True))
    type_into(page, page.locator("#id_username"), username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


# --------------------------------------------------------------------------
# Answering each type with the keyboard


def answer_ordering(page: Page, box: str) -> None:
    """Put the items right with the Up buttons, which move them in place."""
    items = page.locator(f"{box} li .me-auto")
    wanted = [item["text"] for item in ALL_TYPES["ordering"]["items"]]
    shown = items.all_inner_texts()
    assert shown != wanted
    for target, text in enumerate(wanted):
        index = shown.index(text)
        if index == target:
            continue
        press_on(
            page, page.locator(box).get_by_role("button", name=f"Move “{text}” up")
        )
        for _ in range(index - target - 1):
            page.keyboard.press("Enter")  # focus stays on the moved item's button
        shown.insert(target, shown.pop(index))
        expect(items).to_have_text(shown)
    assert shown == wanted


def answer_everything(page: Page, attempt: Attempt, kinds: list[str]) -> None:
    if "single" in kinds:
        choose_radio(page, fieldset("single", attempt), "Lima")
    if "multiple" in kinds:
        box = page.locator(fieldset("multiple", attempt))
        for label in ("Chile", "Bolivia"):
            press_on(page, box.get_by_label(label, exact=True), "Space")
            expect(box.get_by_label(label, exact=True)).to_be_checked()
    if "truefalse" in kinds:
        choose_radio(page, fieldset("truefalse", attempt), "True")
    if "shortanswer" in kinds:
        box = fieldset("shortanswer", attempt)
        type_into(page, page.locator(f"{box} input[type=text]"), "zebraquux")
    if "numerical" in kinds:
        box = fieldset("numerical", attempt)
        type_into(page, page.locator(f"{box} input[type=text]"), "987654.25")
    if "matching" in kinds:
        box = page.locator(fieldset("matching", attempt))
        for pair in ALL_TYPES["matching"]["pairs"]:
            select = box.get_by_label(pair["prompt"], exact=True)
            focus(page, select)
            page.keyboard.type(pair["answer"])  # a select's type-ahead
            expect(select).to_have_value(pair["answer"])
    if "ordering" in kinds:
        answer_ordering(page, fieldset("ordering", attempt))
    if "cloze" in kinds:
        box = fieldset("cloze", attempt)
        fields = page.locator(
            f"{box} input:not([type=hidden]):not([type=radio]), {box} select"
        )
        expect(fields).to_have_count(3)
        type_into(page, fields.nth(0), "clozequux")
        focus(page, fields.nth(1))
        page.keyboard.type("Ecuador")
        type_into(page, fields.nth(2), "123987")
    if "essay" in kinds:
        box = fieldset("essay", attempt)
        textarea = page.locator(f"{box} textarea")
        focus(page, textarea)
        page.keyboard.press("End")
        page.keyboard.type(" diplomacy builds trust.")
        length = len("I think that diplomacy builds trust.")
        expect(page.locator(f"{box} .essay-count")).to_have_text(
            f"{length} of 500 characters"
        )


# --------------------------------------------------------------------------
# The journey


def test_the_whole_student_journey_by_keyboard_alone(
    page: Page, live_server, course, lessons, student, quiz
):
    kinds = registered_kinds()
    log_in_by_keyboard(page, "kim")

    press_on(page, page.get_by_role("link", name="Courses", exact=True))
    press_on(page, page.locator(f'main a[href="{course.get_absolute_url()}"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    press_on(page, page.locator(f'main a[href="{lessons[0].get_absolute_url()}"]'))
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    press_on(page, page.get_by_role("button", name="Mark complete"))
    expect(page.get_by_role("status")).to_contain_text("marked complete")
    assert LessonProgress.objects.filter(user=student, lesson=lessons[0]).exists()

    # The second lesson (where "Mark complete" leads) checks itself with the quiz.
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    press_on(page, page.locator(f'main a[href="{quiz.get_absolute_url()}"]'))
    press_on(page, page.get_by_role("button", name="Start the quiz"))
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    attempt = Attempt.objects.get(user=student, quiz=quiz)

    answer_everything(page, attempt, kinds)
    # Flag the essay for later: in place, without a reload.
    page.evaluate("window.__samePage = true")
    flag = page.locator(f"{fieldset('essay', attempt)} [data-flag-toggle]")
    press_on(page, flag, "Space")
    expect(flag).to_have_attribute("aria-pressed", "true")
    essay = attempt.responses.get(snapshot__type="essay")
    expect(page.locator(f'[data-nav-item="{essay.position}"]')).to_have_class(
        re.compile(r"\bis-flagged\b")
    )
    assert page.evaluate("window.__samePage === true")
    # Every question now shows as answered in the panel.
    for response in attempt.responses.exclude(snapshot__type="description"):
        expect(page.locator(f'[data-nav-item="{response.position}"]')).to_have_class(
            re.compile(r"\bis-answered\b")
        )
    essay.refresh_from_db()
    assert essay.flagged
    shoot(page, "keyboard-attempt-answered")

    press_on(page, page.get_by_role("button", name="Finish attempt…"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of your attempt")
    expect(page.get_by_text("Not yet answered")).to_have_count(0)
    expect(page.get_by_test_id("summary-flagged")).to_have_count(1)
    press_on(page, page.get_by_role("button", name="Submit all and finish"))

    expect(page).to_have_url(re.compile(r"/attempts/\d+/result/$"))
    attempt.refresh_from_db()
    for response in attempt.responses.exclude(
        snapshot__type__in=["description", "essay"]
    ):
        assert response.fraction == 1, (response.snapshot["type"], response.answer)
        expect(
            page.locator(f"article#q{response.position} .card-header .badge")
        ).to_have_text("Correct")
    expect(page.get_by_test_id("result-pending")).to_be_visible()
    shoot(page, "keyboard-review")


# --------------------------------------------------------------------------
# Ordering


def _ordering_response(attempt) -> Response:
    return attempt.responses.get(snapshot__type="ordering")


def _start(page: Page, quiz: Quiz) -> Attempt:
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    return Attempt.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))


def test_ordering_moves_in_place_announces_and_is_saved(
    page: Page, live_server, student, paged_quiz
):
    log_in(page, "kim")
    attempt = _start(page, paged_quiz)
    page.goto(f"{attempt.get_absolute_url()}?page=2")
    response = _ordering_response(attempt)
    box = page.locator(f"fieldset#q{response.position}")
    items = box.locator("li .me-auto")
    shown = items.all_inner_texts()
    page.evaluate("window.__samePage = true")

    box.get_by_role("button", name=f"Move “{shown[1]}” up").click()

    moved = [shown[1], shown[0], *shown[2:]]
    expect(items).to_have_text(moved)
    assert page.evaluate("window.__samePage === true"), "the page was reloaded"
    order = box.locator("input[name$='-order']")
    assert order.input_value().split(",") == [
        li.get_attribute("data-item-id") for li in box.locator("li").all()
    ]
    expect(box.get_by_role("button", name=f"Move “{shown[1]}” up")).to_be_disabled()
    expect(box.get_by_role("button", name=f"Move “{shown[1]}” down")).to_be_focused()
    expect(box.locator("[aria-live]")).to_have_text(
        f"“{shown[1]}” moved to position 1 of 5."
    )

    # Drag the last item to the top by its handle.
    last = box.locator("li").nth(4)
    handle = last.locator(".ordering-handle")
    start = handle.bounding_box()
    top = box.locator("li").nth(0).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, top["y"] + 5, steps=12)
    page.mouse.up()
    dragged = [moved[4], *moved[:4]]
    expect(items).to_have_text(dragged)
    expect(box.locator("[aria-live]")).to_have_text(
        f"“{moved[4]}” moved to position 1 of 5."
    )

    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    response.refresh_from_db()
    texts = {i["id"]: i["text"] for i in response.snapshot["items"]}
    assert [texts[i] for i in response.answer] == dragged


def test_without_javascript_the_ordering_and_flag_buttons_post_the_page(
    chromium, live_server, student, paged_quiz
):
    context = chromium.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
    )
    page = context.new_page()
    try:
        log_in(page, "kim")
        attempt = _start(page, paged_quiz)
        page.goto(f"{attempt.get_absolute_url()}?page=2")
        response = _ordering_response(attempt)
        box = page.locator(f"fieldset#q{response.position}")
        items = box.locator("li .me-auto")
        shown = items.all_inner_texts()

        box.get_by_role("button", name=f"Move “{shown[2]}” up").click()

        expect(page).to_have_url(re.compile(rf"\?page=2#q{response.position}$"))
        expect(items).to_have_text([shown[0], shown[2], shown[1], *shown[3:]])

        box.get_by_role("button", name="Flag for later").click()
        expect(page).to_have_url(re.compile(rf"\?page=2#q{response.position}$"))
        expect(box.get_by_role("button", name="Flag for later")).to_have_attribute(
            "aria-pressed", "true"
        )
        response.refresh_from_db()
        assert response.flagged
        assert response.answer is not None
    finally:
        context.close()


# --------------------------------------------------------------------------
# Navigation across pages, flags, counter


def test_the_panel_reaches_a_question_on_another_page_and_keeps_the_answers(
    page: Page, live_server, student, paged_quiz
):
    log_in(page, "kim")
    attempt = _start(page, paged_quiz)
    truefalse = attempt.responses.get(snapshot__type="truefalse")
    essay = attempt.responses.get(snapshot__type="essay")
    choose_radio(page, f"fieldset#q{truefalse.position}", "False")

    # By keyboard: the panel's button for a question on page 3.
    press_on(page, page.locator(f'[data-nav-item="{essay.position}"]'))

    expect(page).to_have_url(re.compile(rf"\?page=3#q{essay.position}$"))
    truefalse.refresh_from_db()
    assert truefalse.answer is False
    item = page.locator(f'[data-nav-item="{truefalse.position}"]')
    expect(item).to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator(f'[data-nav-item="{essay.position}"]')).to_have_attribute(
        "aria-current", "true"
    )


def test_a_flag_toggles_in_place_and_back(page: Page, live_server, student, paged_quiz):
    log_in(page, "kim")
    attempt = _start(page, paged_quiz)
    single = attempt.responses.get(snapshot__type="single")
    flag = page.locator(f"fieldset#q{single.position} [data-flag-toggle]")
    nav = page.locator(f'[data-nav-item="{single.position}"]')
    page.evaluate("window.__samePage = true")

    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "true")
    expect(nav).to_have_class(re.compile(r"\bis-flagged\b"))
    expect(nav.locator("[data-nav-flagged]")).to_be_attached()
    single.refresh_from_db()
    assert single.flagged

    flag.click()
    expect(flag).to_have_attribute("aria-pressed", "false")
    expect(nav).not_to_have_class(re.compile(r"\bis-flagged\b"))
    assert page.evaluate("window.__samePage === true")
    single.refresh_from_db()
    assert not single.flagged


def test_the_essay_counter_counts_against_the_limit(
    page: Page, live_server, student, course
):
    quiz = make_quiz(
        course=course,
        slug="short-essay",
        questions=[sample("essay", max_length=20, response_template="")],
    )
    log_in(page, "kim")
    attempt = _start(page, quiz)
    box = f"fieldset#q{attempt.responses.get().position}"
    counter = page.locator(f"{box} .essay-count")
    expect(counter).to_have_text("0 of 20 characters")

    page.locator(f"{box} textarea").fill("ñandú\nllama")  # a line break counts 1
    expect(counter).to_have_text("11 of 20 characters")
    page.locator(f"{box} textarea").fill("x" * 23)
    expect(counter).to_have_text("23 of 20 characters: 3 too many")
    expect(counter).to_have_class(re.compile(r"\btext-danger\b"))
    expect(page.locator(f"{box} [data-char-announce]")).to_have_text(
        "23 of 20 characters: 3 too many"
    )


def test_the_essay_counts_words_against_moodle_s_word_limits(
    page: Page, live_server, student, course
):
    quiz = make_quiz(
        course=course,
        slug="word-essay",
        questions=[
            sample(
                "essay",
                response_template="",
                min_word_limit=3,
                max_word_limit=5,
                response_field_lines=6,
                response_format="monospaced",
            )
        ],
    )
    log_in(page, "kim")
    attempt = _start(page, quiz)
    box = f"fieldset#q{attempt.responses.get().position}"
    words = page.locator(f"{box} .essay-word-count")
    textarea = page.locator(f"{box} textarea")
    expect(page.locator(f"{box} [data-testid=essay-word-limits]")).to_have_text(
        "Write from 3 to 5 words."
    )
    expect(textarea).to_have_attribute("rows", "6")
    expect(textarea).to_have_class(re.compile(r"\bessay-monospaced\b"))
    expect(words).to_have_text("0 words")

    textarea.fill("two words")
    expect(words).to_have_text("2 words: at least 3 asked for")
    expect(words).to_have_class(re.compile(r"\btext-danger\b"))
    textarea.fill("one—two three\nfour")  # an em dash parts words, as in Moodle
    expect(words).to_have_text("4 words")
    expect(words).not_to_have_class(re.compile(r"\btext-danger\b"))
    textarea.fill("one two three four five six")
    expect(words).to_have_text("6 words: at most 5 asked for")
    expect(page.locator(f"{box} [data-char-announce]")).to_have_text(
        "27 of 500 characters 6 words: at most 5 asked for"
    )


# --------------------------------------------------------------------------
# Widths, axe, targets, screenshots


def _small_targets(page: Page) -> list[str]:
    """Buttons and navigation items of the attempt page under 44 x 44 px."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
              '#attempt-form button:not(.visually-hidden), .attempt-nav-item')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el, el.getBoundingClientRect()])
             .filter(([el, box]) => box.width < 44 || box.height < 44)
             .map(([el, b]) => `${el.textContent.trim()} ${b.width}x${b.height}`)"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_attempt_summary_and_review_fit_and_pass_axe(
    chromium, live_server, student, quiz, width
):
    w, h = WIDTHS[width]
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": w, "height": h}
    )
    page = context.new_page()
    try:
        log_in(page, "kim")
        attempt = _start(page, quiz)
        single = attempt.responses.get(snapshot__type="single")
        page.locator(f"fieldset#q{single.position} [data-flag-toggle]").click()
        page.locator(f"fieldset#q{single.position}").get_by_label("Quito").check()
        multiple = page.locator(fieldset("multiple", attempt))
        multiple.get_by_label("Chile", exact=True).check()
        multiple.get_by_label("Uruguay", exact=True).check()  # 0.5 - 1: incorrect
        shortanswer = page.locator(fieldset("shortanswer", attempt))
        shortanswer.locator("input[type=text]").fill("zebraquux")
        page.locator(f"{fieldset('essay', attempt)} textarea").fill("Some words.")
        expect(
            page.locator(f"fieldset#q{single.position} [data-flag-toggle]")
        ).to_have_attribute("aria-pressed", "true")

        assert overflow(page) == 0
        assert serious_violations(page) == []
        assert _small_targets(page) == []
        shoot(page, f"attempt-{width}")

        page.get_by_role("button", name="Finish attempt…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Summary of your attempt"
        )
        expect(page.get_by_test_id("summary-flagged")).to_have_count(1)
        assert overflow(page) == 0
        assert serious_violations(page) == []
        shoot(page, f"attempt-summary-{width}")

        page.get_by_role("button", name="Submit all and finish").click()
        expect(page).to_have_url(re.compile(r"/result/$"))
        assert overflow(page) == 0
        assert serious_violations(page) == []
        position = attempt.responses.get(snapshot__type="multiple").position
        article = page.locator(f"article#q{position}")
        expect(article.locator(".card-header .badge")).to_have_text("Incorrect")
        expect(article.locator(".alert-success")).to_contain_text("Chile:")
        expect(article.locator(".alert-danger")).to_contain_text("Uruguay:")
        expect(article.locator(".alert-secondary")).to_have_count(0)
        shoot(page, f"attempt-review-{width}")
    finally:
        context.close()
