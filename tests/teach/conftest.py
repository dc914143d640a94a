"""Fixtures for the staff-area tests: instructors of two courses, quizzes built
through the real question-bank import, and attempts taken through the real
attempt services (start, answer, submit)."""

import copy

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from lessons.roles import INSTRUCTORS_GROUP
from quizzes import services as quiz_services
from quizzes.models import Question, Quiz
from tests.factories import EnrollmentFactory, StaffFactory, UserFactory, make_course

SINGLE = {
    "key": "capital",
    "type": "single",
    "title": "Capital of Peru",
    "text": "Which city is the capital of Peru?",
    "options": [
        {"id": "a", "text": "Quito", "fraction": 0.0, "feedback": "No: Ecuador."},
        {"id": "b", "text": "Lima", "fraction": 1.0, "feedback": "Yes."},
        {"id": "c", "text": "Cusco", "fraction": 0.0, "feedback": "Old capital."},
    ],
}
TRUEFALSE = {
    "key": "amazon",
    "type": "truefalse",
    "title": "Amazon",
    "text": "The Amazon flows into the Atlantic.",
    "correct": True,
}
SHORTANSWER = {
    "key": "word",
    "type": "shortanswer",
    "title": "Secret word",
    "text": "Type the secret word.",
    "answers": [{"text": "zebra", "fraction": 1.0, "feedback": ""}],
}
ESSAY = {
    "key": "essay",
    "type": "essay",
    "title": "Discuss",
    "text": "Discuss the treaty.",
    "default_mark": 4.0,
}


def quiz_data(slug: str, questions, **settings) -> dict:
    return {
        "slug": slug,
        "title": settings.pop("title", slug.replace("-", " ").title()),
        "questions": [copy.deepcopy(q) for q in questions],
        "pass_mark": settings.pop("pass_mark", 0.5),
        **settings,
    }


def make_quiz(course, slug="check", questions=(SINGLE, TRUEFALSE), **settings) -> Quiz:
    """A published quiz of ``course`` made through ``question_bank_import``."""
    data = quiz_data(slug, questions, **settings)
    for question in data["questions"]:
        question["key"] = f"{slug}-{question['key']}"
    quiz_services.question_bank_import(course=course, data={"quizzes": [data]})
    return Quiz.objects.get(course=course, slug=slug)


def _raw(response, value):
    """A friendly answer (option text, or list of texts) as the form posts it."""
    snap = response.snapshot
    if snap["type"] == "single":
        return next(o["id"] for o in snap["options"] if o["text"] == value)
    if snap["type"] == "multiple":
        return [o["id"] for o in snap["options"] if o["text"] in value]
    return value


def take(quiz, user, answers: dict, *, now=None, flags=()):
    """Start, answer (by question key suffix) and submit an attempt; return it.
    The questions whose key suffix is in ``flags`` are flagged by the student."""
    now = now or timezone.now()
    attempt = quiz_services.attempt_start(quiz=quiz, user=user, now=now)
    raw = {}
    for response in attempt.responses.all():
        suffix = response.snapshot["key"].removeprefix(f"{quiz.slug}-")
        if suffix in answers:
            raw[response.position] = _raw(response, answers[suffix])
        if suffix in flags:
            quiz_services.response_flag_set(
                attempt=attempt, position=response.position, flagged=True
            )
    quiz_services.attempt_save_answers(attempt=attempt, answers=raw, now=now)
    quiz_services.attempt_submit(attempt=attempt, now=now)
    attempt.refresh_from_db()
    return attempt


def question(course, quiz_slug: str, key: str) -> Question:
    return Question.objects.get(course=course, key=f"{quiz_slug}-{key}")


@pytest.fixture
def instructors_group(db):
    return Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0]


@pytest.fixture
def instructor(db, course, instructors_group):
    """Staff in the Instructors group, teaching the demo course only."""
    user = StaffFactory(username="instructor", first_name="Ines", last_name="Tor")
    user.groups.add(instructors_group)
    course.instructors.add(user)
    return user


@pytest.fixture
def teacher_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def other_course(db, instructors_group):
    """A second course with its own instructor (who does not teach ``course``)."""
    other = make_course(slug="other", title="Other course")
    teacher = StaffFactory(username="other-teacher")
    teacher.groups.add(instructors_group)
    other.instructors.add(teacher)
    return other


@pytest.fixture
def enrolled(course):
    """Make students enrolled in the demo course: ``enrolled("ana", "bo")``."""

    def make(*usernames, target=None):
        users = []
        for username in usernames:
            user = UserFactory(username=username)
            EnrollmentFactory(user=user, course=target or course)
            users.append(user)
        return users

    return make


def attempt_row(quiz, user, *, number=1, fraction=None, state="graded", **fields):
    """An attempt written straight to the database (no responses): for gradebook
    tests that only need its grade. The student's stored total follows."""
    from datetime import timedelta

    from quizzes.models import Attempt
    from teach.gradebook_totals import enrolment_totals_refresh

    started = fields.pop("started_at", timezone.now() - timedelta(hours=1))
    max_score = fields.pop("max_score", 10.0)
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        state=state,
        started_at=started,
        submitted_at=fields.pop(
            "submitted_at",
            None if state == "in_progress" else started + timedelta(minutes=5),
        ),
        max_score=max_score,
        score=None if fraction is None else fraction * max_score,
        fraction=fraction,
        passed=None if fraction is None else fraction >= quiz.pass_mark,
        **fields,
    )
    # Past the grading services: store the student's course total as they would
    # (the gradebook sorts by it, teach/gradebook_totals.py).
    enrolment_totals_refresh(course=quiz.course, user_ids=[user.pk])
    return attempt
