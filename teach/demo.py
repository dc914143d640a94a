"""Demo students for a course: enrolments, lesson progress and graded attempts, so
the gradebook, the grading queue and the item statistics have something to show
(``manage.py generate_demo_data``), and benchmarks have realistic volumes.

The model: each student has an ability (standard normal) and an engagement (how
far into the course they get). Each question has a difficulty and a
discrimination; a student answers it right with the item-response probability
``1 / (1 + exp(-1.7 a (ability - difficulty)))``, partly right on questions that
give partial credit, and otherwise picks a wrong option, some wrong options
being far more tempting than others (a few never chosen). A few questions
discriminate negatively, as flawed questions do. So the statistics page shows
spread facilities, mostly positive discrimination and a few flags.

Answers are graded by the real grading functions (``quizzes.grading``) against
snapshots built as an attempt builds them, and attempts are totalled by
``quizzes.services.attempt_total``; passing a lesson's quiz completes the lesson,
as ``attempt_after_grading`` does. Most essays are graded (with an audit row, by
the course's first instructor); about one in ten waits in the grading queue.

Rows are written with ``bulk_create`` in batches of students, so thousands of
students take seconds to a minute, not hours.
"""

import copy
import math
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lessons.models import Course, Enrollment, LessonProgress
from quizzes import grading
from quizzes.models import (
    Attempt,
    AttemptState,
    GradeChange,
    Question,
    Quiz,
    Response,
)
from quizzes.services import attempt_total, question_pool
from quizzes.snapshots import question_to_dict
from teach.gradebook_totals import enrolment_totals_refresh
from teach.stored_statistics import statistics_refresh

User = get_user_model()

FIRST_NAMES = (
    "Ana", "Bruno", "Camila", "Diego", "Elena", "Felipe", "Gabriela", "Hugo",
    "Isabel", "Javier", "Karina", "Luis", "María", "Nicolás", "Olivia", "Pablo",
    "Renata", "Sofía", "Tomás", "Valentina", "Joaquín", "Lucía", "Mateo", "Paula",
)  # fmt: skip
LAST_NAMES = (
    "Álvarez", "Benítez", "Castro", "Díaz", "Espinoza", "Fernández", "García",
    "Herrera", "Ibáñez", "Jiménez", "López", "Martínez", "Núñez", "Ortiz", "Pérez",
    "Quispe", "Rojas", "Silva", "Torres", "Vargas", "Mamani", "Souza", "Gómez",
)  # fmt: skip
ESSAY_TEXTS = (
    "The treaty changed the balance of power in the region.",
    "Cooperation grew through joint exercises and training.",
    "I am not sure, but I think the agreements mattered less than trade.",
    "External powers shaped the choices each country could make.",
)
USERNAME_PREFIX = "demo-"


@dataclass
class DemoReport:
    students: int = 0
    lessons_completed: int = 0
    attempts: int = 0
    responses: int = 0
    waiting: int = 0  # essays left for the grading queue


@dataclass
class _Item:
    """A question's behaviour in the simulation."""

    difficulty: float
    discrimination: float
    temptation: dict  # wrong option id -> weight


@dataclass
class _QuizPlan:
    quiz: Quiz
    pool: list  # [(question, mark)]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class _Simulation:
    def __init__(self, *, course: Course, rng: random.Random, now):
        self.course = course
        self.rng = rng
        self.now = now
        self.lessons = list(
            course.lessons.filter(is_published=True).order_by(
                "module__position", "position", "id"
            )
        )
        quizzes = list(Quiz.objects.published().filter(course=course).order_by("id"))
        self.lesson_quiz = {}
        self.finals = []
        for quiz in quizzes:
            plan = _QuizPlan(quiz=quiz, pool=question_pool(quiz))
            if not plan.pool:
                continue
            if quiz.lesson_id and quiz.lesson_id not in self.lesson_quiz:
                self.lesson_quiz[quiz.lesson_id] = plan
            elif not quiz.lesson_id:
                self.finals.append(plan)
        self.snapshots: dict[int, dict] = {}
        self.items: dict[int, _Item] = {}
        self.grader = course.instructors.order_by("pk").first()

    # --- questions -------------------------------------------------------------

    def _base(self, question: Question) -> dict:
        if question.pk not in self.snapshots:
            self.snapshots[question.pk] = question_to_dict(
                question, answers=question.answers.all(), html=True
            )
            self.items[question.pk] = self._item(self.snapshots[question.pk])
        return self.snapshots[question.pk]

    def _item(self, snap: dict) -> _Item:
        rng = self.rng
        discrimination = rng.uniform(0.5, 2.2)
        if rng.random() < 0.06:  # a flawed question
            discrimination = -rng.uniform(0.3, 1.0)
        temptation = {}
        for option in snap.get("options", ()):
            if option["fraction"] <= 0:
                temptation[option["id"]] = rng.choice((0.0, 0.3, 1.0, 3.0))
        return _Item(
            difficulty=rng.gauss(-0.3, 1.0),
            discrimination=discrimination,
            temptation=temptation,
        )

    def _asked(self, quiz: Quiz, question: Question) -> dict:
        """The question as an attempt asks it (display order fixed)."""
        rng = self.rng
        snap = copy.copy(self._base(question))
        kind = snap["type"]
        if kind in ("single", "multiple") and quiz.shuffle_options:
            snap["options"] = rng.sample(snap["options"], len(snap["options"]))
        if kind == "ordering":
            ids = [item["id"] for item in snap["items"]]
            shown = ids[:]
            while len(ids) > 1 and shown == ids:
                rng.shuffle(shown)
            snap["display_order"] = shown
        if kind == "matching":
            choices = sorted(
                {p["answer"] for p in snap["pairs"]} | set(snap["distractors"])
            )
            rng.shuffle(choices)
            snap["choices"] = choices
        return snap

    def _answer(self, snap: dict, item: _Item, ability: float):
        """What a student of this ability answers (canonical form)."""
        rng = self.rng
        p = _sigmoid(1.7 * item.discrimination * (ability - item.difficulty))
        right = rng.random() < p
        kind = snap["type"]
        if rng.random() < 0.02 and kind != "essay":
            return None  # left blank
        if kind == "single":
            if right:
                return grading.correct_response(snap)
            return self._tempting(item) or grading.correct_response(snap)
        if kind == "multiple":
            chosen = [
                o["id"]
                for o in snap["options"]
                if (o["fraction"] > 0 and rng.random() < p + 0.1)
                or (o["fraction"] <= 0 and rng.random() < (1 - p) * 0.5)
            ]
            return [o["id"] for o in snap["options"] if o["id"] in chosen] or None
        if kind == "truefalse":
            return bool(snap["correct"]) == right
        if kind == "shortanswer":
            if right:
                return str(grading.correct_response(snap)).replace("*", "")
            return rng.choice(("I do not know", "Brazil", "the treaty", "1990"))
        if kind == "numerical":
            value = float(grading.correct_response(snap))
            return str(value if right else value * 1.5 + 7)
        if kind == "matching":
            answers = [pair["answer"] for pair in snap["pairs"]]
            return {
                pair["id"]: pair["answer"]
                if rng.random() < p
                else rng.choice(answers + list(snap["distractors"]))
                for pair in snap["pairs"]
            }
        if kind == "ordering":
            order = [i["id"] for i in snap["items"]]
            if not right and len(order) > 1:
                a, b = rng.sample(range(len(order)), 2)
                order[a], order[b] = order[b], order[a]
            return order
        if kind == "essay":
            return rng.choice(ESSAY_TEXTS)
        if kind == "cloze":
            # Each gap right with the student's chance, else left blank.
            right_answers = grading.correct_response(snap)
            return {
                gap: value
                for gap, value in right_answers.items()
                if rng.random() < p + 0.1
            } or None
        return None

    def _tempting(self, item: _Item):
        weights = item.temptation
        if not weights or not any(weights.values()):
            return None
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    # --- attempts --------------------------------------------------------------

    def attempt(self, *, plan: _QuizPlan, user, number: int, ability: float, start):
        """An unsaved attempt with its unsaved responses (and grade changes)."""
        rng = self.rng
        quiz = plan.quiz
        chosen = plan.pool
        if quiz.draw_count and quiz.draw_count < len(chosen):
            picked = sorted(rng.sample(range(len(chosen)), quiz.draw_count))
            chosen = [chosen[i] for i in picked]
        if quiz.shuffle_questions:
            chosen = rng.sample(chosen, len(chosen))
        seconds = sum(rng.uniform(20, 90) for _ in chosen) * (1.3 - 0.2 * ability)
        if quiz.time_limit:
            seconds = min(seconds, quiz.time_limit.total_seconds() * 0.98)
        submitted = min(start + timedelta(seconds=max(seconds, 30)), self.now)
        attempt = Attempt(
            quiz=quiz,
            user=user,
            number=number,
            started_at=start,
            submitted_at=submitted,
            deadline=start + quiz.time_limit if quiz.time_limit else None,
            max_score=sum(mark for _q, mark in chosen),
        )
        responses, changes = [], []
        for position, (question, mark) in enumerate(chosen):
            snap = self._asked(quiz, question)
            answer = grading.normalise_response(
                snap, self._answer(snap, self.items[question.pk], ability)
            )
            result = grading.grade(snap, answer)
            response = Response(
                question=question,
                question_version=question.version,
                position=position,
                snapshot=snap,
                max_mark=mark,
                answer=answer,
                answered_at=start + (submitted - start) * (position + 1) / len(chosen)
                if answer is not None
                else None,
                fraction=result.fraction,
                score=grading.score(snap, result, mark),
                feedback=list(result.feedback),
                detail=dict(result.detail),
                needs_manual=result.needs_manual,
            )
            if response.needs_manual and rng.random() < 0.9:
                changes.append(self._grade_essay(response, ability, submitted))
            responses.append(response)
        attempt_total(attempt=attempt, responses=responses)
        return attempt, responses, changes

    def _grade_essay(self, response, ability: float, submitted) -> GradeChange:
        quality = _sigmoid(ability + self.rng.gauss(0, 0.6))
        score = round(response.max_mark * quality * 2) / 2
        graded_at = min(submitted + timedelta(days=self.rng.uniform(0.5, 4)), self.now)
        response.score = score
        response.fraction = score / response.max_mark if response.max_mark else 0.0
        response.needs_manual = False
        response.grader_comment = "Clear argument." if quality > 0.6 else "Cite more."
        response.graded_by = self.grader
        response.graded_at = graded_at
        return GradeChange(
            response=response,
            kind=GradeChange.Kind.MANUAL,
            changed_by=self.grader,
            changed_at=graded_at,
            old_score=None,
            new_score=score,
        )


def _next_number() -> int:
    taken = User.objects.filter(username__startswith=USERNAME_PREFIX).values_list(
        "username", flat=True
    )
    suffixes = [username[len(USERNAME_PREFIX) :] for username in taken]
    numbers = [int(suffix) for suffix in suffixes if suffix.isdigit()]
    return max(numbers, default=0) + 1


def _student(sim: _Simulation, user, report, out):
    """Simulate one student's course; append unsaved rows to ``out``."""
    rng = sim.rng
    ability = rng.gauss(0, 1)
    lessons = sim.lessons
    if rng.random() < 0.3:
        reached = len(lessons)
    else:
        reached = int(rng.betavariate(1.3, 1.6) * len(lessons))
    enrolled_at = sim.now - timedelta(days=rng.uniform(15, 120))
    span = (sim.now - enrolled_at) * 0.9
    moment = enrolled_at
    last_lesson = None
    for index, lesson in enumerate(lessons[: reached + 1]):
        moment = min(
            moment + span / max(len(lessons), 1) * rng.uniform(0.3, 1.7),
            sim.now - timedelta(minutes=5),
        )
        last_lesson = lesson
        progress = LessonProgress(
            user=user, lesson=lesson, course=sim.course, started_at=moment
        )
        out["progress"].append(progress)
        if index == reached:
            break  # the lesson they are on now: started only
        plan = sim.lesson_quiz.get(lesson.pk)
        completed_at = None
        if plan is not None and rng.random() < 0.9:
            passed, moment = _take(sim, plan, user, ability, moment, out, report)
            if passed:
                completed_at = moment
        if completed_at is None and not (
            sim.course.completion_requires_quiz and plan is not None
        ):
            completed_at = moment if rng.random() < 0.8 else None
        if completed_at is not None:
            progress.status = LessonProgress.Status.COMPLETED
            progress.completed_at = completed_at
            report.lessons_completed += 1
    if reached >= len(lessons):
        for plan in sim.finals:
            _passed, moment = _take(sim, plan, user, ability + 0.2, moment, out, report)
    out["enrollments"].append(
        Enrollment(
            user=user,
            course=sim.course,
            last_lesson=last_lesson,
            last_activity_at=moment,
        )
    )


def _take(sim, plan, user, ability, moment, out, report):
    """One to a few attempts at a quiz, retrying after a fail; (passed, time)."""
    rng = sim.rng
    allowed = plan.quiz.attempts_allowed or 3
    passed = False
    for number in range(1, allowed + 1):
        start = min(moment + timedelta(minutes=rng.uniform(5, 90)), sim.now)
        attempt, responses, changes = sim.attempt(
            plan=plan, user=user, number=number, ability=ability, start=start
        )
        out["attempts"].append((attempt, responses, changes))
        report.attempts += 1
        report.responses += len(responses)
        report.waiting += sum(1 for r in responses if r.needs_manual)
        moment = attempt.submitted_at
        passed = bool(attempt.passed)
        if attempt.state != AttemptState.GRADED or passed or rng.random() < 0.4:
            break
        ability += 0.4  # they studied before trying again
    return passed, moment


def _write(out) -> None:
    Enrollment.objects.bulk_create(out["enrollments"], batch_size=500)
    LessonProgress.objects.bulk_create(out["progress"], batch_size=1000)
    attempts = [attempt for attempt, _r, _c in out["attempts"]]
    Attempt.objects.bulk_create(attempts, batch_size=500)
    responses, changes = [], []
    for attempt, attempt_responses, attempt_changes in out["attempts"]:
        for response in attempt_responses:
            response.attempt = attempt
        responses += attempt_responses
        for change in attempt_changes:
            change.attempt = attempt
        changes += attempt_changes
    # bulk_create fills in the foreign keys of rows built around unsaved parents.
    Response.objects.bulk_create(responses, batch_size=1000)
    GradeChange.objects.bulk_create(changes, batch_size=1000)


def demo_data_generate(
    *, course: Course, students: int, seed: int = 0, now=None, batch: int = 200
) -> DemoReport:
    """Create ``students`` demo students in ``course`` (see the module docstring).

    Usernames are ``demo-00001`` and up, after any demo students already there, so
    running it again adds more. The same seed on the same course gives the same
    students. All or nothing: one transaction.
    """
    now = now or timezone.now()
    rng = random.Random(seed)
    report = DemoReport()
    password = make_password(None)  # unusable: demo students cannot log in
    with transaction.atomic():
        sim = _Simulation(course=course, rng=rng, now=now)
        first = _next_number()
        for offset in range(0, students, batch):
            count = min(batch, students - offset)
            users = []
            for number in range(first + offset, first + offset + count):
                first_name = rng.choice(FIRST_NAMES)
                last_name = rng.choice(LAST_NAMES)
                users.append(
                    User(
                        username=f"{USERNAME_PREFIX}{number:05d}",
                        first_name=first_name,
                        last_name=last_name,
                        email=f"{USERNAME_PREFIX}{number:05d}@example.com",
                        password=password,
                    )
                )
            User.objects.bulk_create(users)
            out = {"enrollments": [], "progress": [], "attempts": []}
            for user in users:
                _student(sim, user, report, out)
            _write(out)
            report.students += count
        # Written in bulk, past the grading services: what they keep after a
        # grade (course totals, then the stored statistics) is brought up here.
        enrolment_totals_refresh(course=course)
        for quiz_id in Quiz.objects.filter(course=course).values_list("pk", flat=True):
            transaction.on_commit(partial(statistics_refresh, quiz_id=quiz_id))
    return report


def demo_attempts_generate(*, quiz: Quiz, users, seed: int = 0, now=None) -> int:
    """One graded attempt at ``quiz`` for each of ``users`` (enrolled already, with
    no attempt there yet), simulated and graded as ``demo_data_generate`` does: a
    quiz with many attempts, e.g. for the load test's regrade. Returns how many
    attempts were written."""
    now = now or timezone.now()
    rng = random.Random(seed)
    with transaction.atomic():
        sim = _Simulation(course=quiz.course, rng=rng, now=now)
        plan = _QuizPlan(quiz=quiz, pool=question_pool(quiz))
        out = {"enrollments": [], "progress": [], "attempts": []}
        for user in users:
            start = now - timedelta(hours=rng.uniform(1, 48))
            out["attempts"].append(
                sim.attempt(
                    plan=plan,
                    user=user,
                    number=1,
                    ability=rng.gauss(0, 1),
                    start=start,
                )
            )
        _write(out)
    return len(out["attempts"])
