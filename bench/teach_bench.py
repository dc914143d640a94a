"""The staff area at scale: the gradebook of 2,000 students × 25 quizzes (one page
of 50 rows by name and by total, the whole CSV export, and storing every course
total once) and the item statistics of 5,000 attempts × 30 questions (computed,
as the background job does after grading; the page showing them stored; and the
long responses CSV of all 150,000 answers).

Each figure is the median wall time of a few requests through Django's test
client, in this process, on its own SQLite database, and the peak of Python
memory allocated during one more request (``tracemalloc``, measured apart from
the timings because tracing slows Python down). The data is written with
``bulk_create``: students, enrolments, half the lessons completed, one or two
graded attempts per student and quiz; for the statistics quiz every attempt has
its 30 stored answers with their question snapshots.

Registered as ``teach-gradebook`` and ``teach-statistics`` when ``bench/run.py``
imports this module; ``gradebook_figures`` and ``statistics_figures`` can also be
called on their own with Django set up.
"""

import random
import statistics as stats
import time
import tracemalloc
from datetime import timedelta

from bench.core import Context, Table, benchmark

GRADEBOOK_SHAPE = {"students": 2000, "quizzes": 25}
STATISTICS_SHAPE = {"attempts": 5000, "questions": 30}


def _measure(run, *, repeats: int) -> dict:
    """Median milliseconds over ``repeats`` runs, then the peak traced memory."""
    run()  # warm: templates compiled, caches filled
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    tracemalloc.reset_peak()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_ms": stats.median(timings), "peak_mb": peak / 2**20}


def _client(course):
    from django.contrib.auth.models import User
    from django.test import Client

    teacher, _ = User.objects.get_or_create(
        username="bench-teacher", defaults={"is_staff": True, "is_superuser": True}
    )
    course.instructors.add(teacher)
    client = Client()
    client.force_login(teacher)
    return client


def _export_job(client, url: str) -> int:
    """Request an export large enough to become a background job (run at once:
    no worker here), then the file it wrote; its size."""
    from coursesite.models import Job

    response = client.get(url)
    if response.status_code != 302:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not a job")
    job = Job.objects.order_by("-pk").first()
    if job is None or job.status != Job.Status.DONE:
        raise RuntimeError(f"the export job did not finish: {job and job.error}")
    from django.urls import reverse

    return _get(client, reverse("job-download", args=[job.pk]))


def _get(client, url: str) -> int:
    """Request ``url``, read the whole body (streamed or not); its size."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _course(slug: str, lessons: int):
    from lessons.models import Course, Lesson, Module

    course = Course.objects.create(slug=slug, title=slug.title(), is_published=True)
    module = Module.objects.create(course=course, slug="m", title="Module")
    Lesson.objects.bulk_create(
        Lesson(
            course=course, module=module, slug=f"l{i}", title=f"Lesson {i}", position=i
        )
        for i in range(lessons)
    )
    return course


def _students(course, count: int, rng: random.Random):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from lessons.models import Enrollment, LessonProgress

    now = timezone.now()
    users = User.objects.bulk_create(
        (
            User(
                username=f"{course.slug}-{n:05d}",
                first_name=f"First{n % 97}",
                last_name=f"Last{n % 89}",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    Enrollment.objects.bulk_create(
        (Enrollment(user=u, course=course) for u in users), batch_size=1000
    )
    lessons = list(course.lessons.all())
    LessonProgress.objects.bulk_create(
        (
            LessonProgress(
                user=u,
                lesson=lesson,
                course=course,
                status="completed",
                started_at=now,
                completed_at=now,
            )
            for u in users
            for lesson in lessons[: rng.randrange(len(lessons) + 1)]
        ),
        batch_size=5000,
    )
    return users


def _graded(quiz, user, number, fraction, now, max_score=10.0):
    from quizzes.models import Attempt

    return Attempt(
        quiz=quiz,
        user=user,
        number=number,
        state="graded",
        started_at=now - timedelta(minutes=40),
        submitted_at=now - timedelta(minutes=25),
        max_score=max_score,
        score=fraction * max_score,
        fraction=fraction,
        passed=fraction >= quiz.pass_mark,
    )


def build_gradebook(*, students: int, quizzes: int, seed: int = 1):
    """A course of ``quizzes`` quizzes whose ``students`` took each once or twice."""
    from django.utils import timezone

    from quizzes.models import Attempt, Quiz

    rng = random.Random(seed)
    now = timezone.now()
    course = _course("bench-gradebook", lessons=quizzes)
    methods = ["highest", "average", "first", "last"]
    made = Quiz.objects.bulk_create(
        Quiz(
            course=course,
            slug=f"quiz-{n}",
            title=f"Quiz {n}",
            is_published=True,
            grading_method=methods[n % 4],
            weight=1 + n % 3,
        )
        for n in range(quizzes)
    )
    users = _students(course, students, rng)
    attempts = []
    for user in users:
        ability = rng.random()
        for quiz in made:
            if rng.random() < 0.1:
                continue  # not taken yet
            for number in range(1, 1 + (1 if rng.random() < 0.6 else 2)):
                fraction = min(1.0, max(0.0, rng.gauss(ability, 0.2)))
                attempts.append(_graded(quiz, user, number, round(fraction, 2), now))
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    return course, len(attempts)


def gradebook_figures(*, quick: bool = False, **shape) -> dict:
    """Build the gradebook data, then time a page of 50 rows and the CSV export."""
    from django.urls import reverse

    from teach.gradebook_totals import enrolment_totals_refresh

    shape = {**GRADEBOOK_SHAPE, **shape}
    course, attempts = build_gradebook(**shape)
    # Written in bulk, past the grading services: store the totals they keep.
    started = time.perf_counter()
    enrolment_totals_refresh(course=course)
    refresh_ms = (time.perf_counter() - started) * 1000
    client = _client(course)
    page = reverse("teach:gradebook", args=[course.slug])
    export = reverse("teach:gradebook-csv", args=[course.slug])
    repeats = 3 if quick else 7
    return {
        "shape": {**shape, "attempts": attempts},
        "page (50 rows, by name)": _measure(
            lambda: _get(client, page), repeats=repeats
        ),
        "page (50 rows, by total)": _measure(
            lambda: _get(client, f"{page}?sort=-total"), repeats=repeats
        ),
        "CSV export (all rows)": _measure(
            lambda: _get(client, export), repeats=max(2, repeats // 2)
        ),
        "course totals stored (every student, as after a quiz change)": {
            "median_ms": refresh_ms,
            "peak_mb": None,
        },
    }


def build_statistics(
    *, attempts: int, questions: int, seed: int = 2, shuffled: bool = False
):
    """A quiz of ``questions`` questions with ``attempts`` graded attempts (one per
    student) and every answer stored with its question snapshot (``shuffled``:
    each attempt saw the options in an order of its own, as in a quiz that
    shuffles them)."""
    from django.utils import timezone

    from quizzes import grading
    from quizzes.models import Attempt, Quiz, QuizQuestion, Response
    from quizzes.services import question_bank_import
    from quizzes.snapshots import question_to_dict

    rng = random.Random(seed)
    now = timezone.now()
    course = _course("bench-statistics", lessons=3)
    data = {
        "slug": "exam",
        "title": "Exam",
        "questions": [
            {
                "key": f"q{n}",
                "type": "single",
                "text": f"Question {n}?",
                "options": [
                    {"id": c, "text": f"Option {c}", "fraction": float(c == "a")}
                    for c in "abcd"
                ],
            }
            for n in range(questions)
        ],
    }
    question_bank_import(course=course, data={"quizzes": [data]})
    quiz = Quiz.objects.get(course=course, slug="exam")
    slots = list(
        QuizQuestion.objects.filter(quiz=quiz)
        .select_related("question")
        .prefetch_related("question__answers")
        .order_by("position")
    )
    snapshots = [question_to_dict(s.question, html=True) for s in slots]
    difficulty = [rng.gauss(0, 1) for _ in slots]
    users = _students(course, attempts, rng)
    batch = 500
    for start in range(0, len(users), batch):
        made, answers = [], []
        for user in users[start : start + batch]:
            ability = rng.gauss(0, 1)
            row = []
            for snap, b in zip(snapshots, difficulty, strict=True):
                if shuffled:
                    order = list(snap["options"])
                    rng.shuffle(order)
                    snap = {**snap, "options": order}
                options = sorted(snap["options"], key=lambda o: o["id"])
                right = rng.random() < 1 / (1 + 2.718 ** (-(ability - b) * 1.7))
                chosen = options[0]["id"] if right else rng.choice(options[1:])["id"]
                result = grading.grade(snap, chosen)
                row.append((snap, chosen, result))
            score = sum(r.fraction for _s, _c, r in row)
            made.append(_graded(quiz, user, 1, score / len(row), now, len(row)))
            answers.append(row)
        Attempt.objects.bulk_create(made)
        Response.objects.bulk_create(
            (
                Response(
                    attempt=attempt,
                    question=slot.question,
                    position=position,
                    snapshot=snap,
                    max_mark=1.0,
                    answer=chosen,
                    answered_at=now,
                    score=result.fraction,
                    fraction=result.fraction,
                )
                for attempt, row in zip(made, answers, strict=True)
                for position, (slot, (snap, chosen, result)) in enumerate(
                    zip(slots, row, strict=True)
                )
            ),
            batch_size=2000,
        )
    return course, quiz


def statistics_figures(*, quick: bool = False, **shape) -> dict:
    """Build the statistics data, then time the page and the long responses CSV."""
    from django.urls import reverse

    from teach.selectors import default_attempts_analysed
    from teach.stored_statistics import statistics_compute

    shape = {**STATISTICS_SHAPE, **shape}
    course, quiz = build_statistics(**shape)
    client = _client(course)
    page = reverse("teach:statistics", args=[course.slug, quiz.slug])
    export = reverse("teach:responses-csv", args=[course.slug])
    repeats = 3 if quick else 5
    which = default_attempts_analysed(quiz.grading_method)
    return {
        "shape": {**shape, "answers": shape["attempts"] * shape["questions"]},
        # What the job does after grading (teach/stored_statistics.py).
        "statistics computed (the job's work)": _measure(
            lambda: statistics_compute(quiz=quiz, which=which), repeats=repeats
        ),
        # The first request queues the job (run at once here: no worker); the
        # timed ones show the stored figures.
        "statistics page (stored figures)": _measure(
            lambda: _get(client, page), repeats=repeats
        ),
        "responses CSV (every answer, a background job)": _measure(
            lambda: _export_job(client, export), repeats=max(2, repeats // 2)
        ),
    }


# Goals (issue 14), in milliseconds.
GOALS_MS = {
    "page (50 rows, by total)": 100,
    "statistics computed (the job's work)": 500,
}


def _table(title: str, figures: dict) -> Table:
    table = Table(title, ["measured", "median", "goal", "peak Python memory"])
    for name, result in figures.items():
        if name == "shape":
            continue
        goal = GOALS_MS.get(name)
        verdict = ""
        if goal is not None:
            met = "met" if result["median_ms"] < goal else "NOT met"
            verdict = f"< {goal} ms {met}"
        peak = result["peak_mb"]
        table.add(
            name,
            f"{result['median_ms']:.0f} ms",
            verdict,
            "" if peak is None else f"{peak:.1f} MB",
        )
    table.notes.append(
        "shape: " + ", ".join(f"{k} {v:,}" for k, v in figures["shape"].items())
    )
    from django.db import connection

    table.notes.append(
        f"in process (test client, {connection.vendor}); memory is tracemalloc's "
        "peak during one request, timings are medians of requests without tracing"
    )
    table.data = figures
    return table


@benchmark(
    "teach-gradebook",
    title="Gradebook: 2,000 students × 25 quizzes (page and CSV)",
    order=60,
)
def teach_gradebook(ctx: Context) -> Table:
    ctx.django().fresh_database()
    figures = gradebook_figures(quick=ctx.quick)
    return _table("Gradebook, 2,000 students × 25 quizzes", figures)


@benchmark(
    "teach-statistics",
    title="Item statistics: 5,000 attempts × 30 questions",
    order=61,
)
def teach_statistics(ctx: Context) -> Table:
    ctx.django().fresh_database()
    figures = statistics_figures(quick=ctx.quick)
    return _table("Item statistics, 5,000 attempts × 30 questions", figures)


REGRADE_SHAPE = {"attempts": 480, "questions": 30}


def regrade_figures(*, quick: bool = False, **shape) -> dict:
    """The load test's exam (480 attempts x 30 questions), its key changed (a
    second right option in every question): the regrade's dry run, computed as
    the page or its job does (``grading_services.regrade_preview``)."""
    from django.contrib.auth.models import User

    from quizzes import grading_services
    from quizzes.models import Answer

    shape = {**REGRADE_SHAPE, **shape}
    repeats = 3 if quick else 5
    figures = {"shape": {**shape, "answers": shape["attempts"] * shape["questions"]}}
    for shuffled, name in ((False, "one option order"), (True, "options shuffled")):
        course, quiz = build_statistics(**shape, shuffled=shuffled)
        Answer.objects.filter(question__course=course, text="Option b").update(
            fraction=1.0
        )
        figures[f"regrade dry run ({name})"] = _measure(
            lambda course=course, quiz=quiz: grading_services.regrade_preview(
                course=course, quiz=quiz
            ),
            repeats=repeats,
        )
        User.objects.filter(username__startswith=f"{course.slug}-").delete()
        course.delete()
    return figures


@benchmark(
    "teach-regrade",
    title="Regrade dry run: 480 attempts × 30 questions",
    order=62,
)
def teach_regrade(ctx: Context) -> Table:
    ctx.django().fresh_database()
    figures = regrade_figures(quick=ctx.quick)
    return _table("Regrade dry run, 480 attempts × 30 questions", figures)
