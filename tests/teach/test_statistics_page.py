"""The item statistics page: which attempts are analysed, figures with their n,
"not enough data" below the threshold, distractors, flags leading to the admin
and the regrade dry run, and charts with a table alternative."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from quizzes.statistics import MIN_ATTEMPTS_FOR_STATISTICS
from teach import selectors
from tests.teach.conftest import SINGLE, TRUEFALSE, attempt_row, make_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(course):
    return make_quiz(course, questions=(SINGLE, TRUEFALSE))


def _url(course, quiz, **query):
    url = reverse("teach:statistics", args=[course.slug, quiz.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _class_of(quiz, enrolled, size):
    """``size`` students: strong ones answer both right, weak ones both wrong,
    the middle ones Cusco (never Quito) and True: Quito is an unused option."""
    students = enrolled(*[f"s{n:02d}" for n in range(size)])
    for n, student in enumerate(students):
        if n < size // 3:
            take(quiz, student, {"capital": "Lima", "amazon": "true"})
        elif n < 2 * size // 3:
            take(quiz, student, {"capital": "Cusco", "amazon": "true"})
        else:
            take(quiz, student, {"capital": "Cusco", "amazon": "false"})
    return students


@pytest.mark.parametrize(
    ("which", "expected"),
    [("first", [0.1]), ("last", [0.5]), ("highest", [0.9]), ("all", [0.1, 0.9, 0.5])],
)
def test_the_attempts_analysed(quiz, enrolled, staff, which, expected):
    (ana,) = enrolled("ana")
    for number, fraction in enumerate((0.1, 0.9, 0.5), start=1):
        attempt_row(quiz, ana, number=number, fraction=fraction)
    attempt_row(quiz, ana, number=4, fraction=1.0, is_preview=True)
    attempt_row(quiz, ana, number=5, state="needs_grading")
    attempts = selectors.analysed_attempts(quiz=quiz, which=which)
    assert sorted(attempts.values_list("fraction", flat=True)) == sorted(expected)


def test_the_default_selection_follows_the_grading_method():
    assert selectors.default_attempts_analysed("first") == "first"
    assert selectors.default_attempts_analysed("average") == "all"


def test_below_the_threshold_the_page_says_not_enough_data(
    teacher_client, course, quiz, enrolled
):
    _class_of(quiz, enrolled, MIN_ATTEMPTS_FOR_STATISTICS - 1)
    page = teacher_client.get(_url(course, quiz)).content.decode()
    assert 'data-testid="not-enough-data"' in page
    assert "not enough data" in page
    assert 'data-testid="flagged"' not in page


def test_the_page_shows_figures_with_n_flags_and_distractors(
    teacher_client, course, quiz, enrolled
):
    _class_of(quiz, enrolled, 12)

    response = teacher_client.get(_url(course, quiz, attempts="all"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="not-enough-data"' not in page
    assert page.count('<td class="text-end">12</td>') >= 10  # n beside figures
    assert "An option nobody chose." in page
    capital = quiz.slots.get(question__key="check-capital").question
    assert reverse("admin:quizzes_question_change", args=[capital.pk]) in page
    regrade = reverse("teach:regrade", args=[course.slug]) + f"?question={capital.pk}"
    assert regrade in page
    assert 'data-testid="distractors"' in page
    assert "<svg" in page and 'role="img"' in page
    assert 'data-testid="histogram-table"' in page


def test_from_a_flag_to_the_admin_and_the_dry_run(
    teacher_client, instructor, course, quiz, enrolled
):
    """The instructor follows the flagged question's links: both pages open."""
    _class_of(quiz, enrolled, 12)
    page = teacher_client.get(_url(course, quiz)).content.decode()
    capital = quiz.slots.get(question__key="check-capital").question
    edit = reverse("admin:quizzes_question_change", args=[capital.pk])
    assert edit in page
    instructor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_question", "view_question"])
    )
    assert teacher_client.get(edit).status_code == 200
    dry_run = reverse("teach:regrade", args=[course.slug]) + f"?question={capital.pk}"
    assert teacher_client.get(dry_run).status_code == 200


def test_a_tampered_selection_is_a_400(teacher_client, course, quiz):
    assert teacher_client.get(_url(course, quiz, attempts="best")).status_code == 400


def test_a_quiz_without_attempts_renders(teacher_client, course, quiz):
    page = teacher_client.get(_url(course, quiz))
    assert page.status_code == 200
    assert "No graded attempt yet." in page.content.decode()


def test_a_cloze_question_gets_a_row_per_gap(teacher_client, course, enrolled):
    cloze = {
        "key": "gaps",
        "type": "cloze",
        "title": "Gaps",
        "text": "Peru: {1:SHORTANSWER:=Lima} and {1:MULTICHOICE:=Callao~Cusco}.",
    }
    quiz = make_quiz(course, slug="gaps", questions=(cloze, TRUEFALSE))
    students = enrolled(*[f"g{n:02d}" for n in range(MIN_ATTEMPTS_FOR_STATISTICS)])
    for n, student in enumerate(students):
        first = "Lima" if n % 2 else "Quito"
        take(quiz, student, {"gaps": {"1": first}, "amazon": "true"})

    page = teacher_client.get(_url(course, quiz, attempts="all")).content.decode()

    assert page.count('data-testid="item-part"') == 2
    assert "Q1, gap 1" in page and "Q1, gap 2" in page
    gap_one = page.split('data-part="1"')[1].split("</tr>")[0]
    assert f'<td class="text-end">{MIN_ATTEMPTS_FOR_STATISTICS}</td>' in gap_one
    assert '<td class="text-end">50%</td>' in gap_one  # facility
    gap_two = page.split('data-part="2"')[1].split("</tr>")[0]
    assert '<td class="text-end">0%</td>' in gap_two
