"""Taking a quiz: the attempt page a student works on, and submitting and grading
an attempt.

``quiz-page``: a logged-in student's in-progress attempt at a 20-question lesson
quiz (questions of seven types from the seed question bank, half of them already
answered), resumed with a GET, against the shared gunicorn server, as a ratio to
/livez measured interleaved (``bench.pages.measure_pages``), with the quiz's
own page and the result page of a submitted 20-question attempt. The quiz and the
attempt are made by ``bench/site_setup.py`` with :func:`bench_quiz_data`,
:func:`bench_quizzes_import` and :func:`attempt_answered`.

``quiz-submit``: in process, ``quizzes.services.attempt_submit`` on a fresh attempt
with every question answered, median wall time over many runs, and the SQL queries
one submit issues for 5 and for 20 questions (the test suite asserts they are
equal; here they sit next to the time).

``--only quiz`` runs both (see ``bench.core.resolve``).
"""

import itertools
import json
import statistics
import time

from bench import journey
from bench.core import (
    SEED_DOCUMENT,
    SEED_QUESTIONS,
    SEED_SLUG,
    Context,
    Table,
    benchmark,
)
from bench.pages import measure_pages, throughput_table
from bench.profiling import add_profile_rows

# Goals, as ratios to /livez (issue 14): the quiz's page, the attempt page of 20
# questions and the result page.
QUIZ_PAGE_GOAL = 0.3
SAVE_GOAL = 0.2  # saving answers (the autosave POST)
QUIZ_SIZE = 20
SMALL_SIZE = 5
QUIZ_TIME_LIMIT_MINUTES = 360  # timed, so the page renders its countdown
# Seven types, so that the page renders every kind of input (radio, checkbox,
# text, number, select, Up/Down) and grading runs every kind of grader. No essay:
# it waits for a teacher, so a submit would not grade the whole attempt.
TYPES = (
    "single",
    "multiple",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "ordering",
)


def bench_quiz_data(
    *, size: int, slug: str, lesson: str, time_limit_minutes: int | None = None
) -> dict:
    """A quiz for ``question_bank_import``: ``size`` questions of the seed bank,
    taken in turn from each of ``TYPES`` (by key, so always the same ones)."""
    bank = json.loads(SEED_QUESTIONS.read_text())
    by_type: dict[str, dict[str, dict]] = {kind: {} for kind in TYPES}
    for quiz in bank["quizzes"]:
        for question in quiz.get("questions", ()):
            if question["type"] in by_type:
                by_type[question["type"]].setdefault(question["key"], question)
    pools = {kind: iter(sorted(found.items())) for kind, found in by_type.items()}
    chosen = []
    for kind in itertools.cycle(TYPES):
        if len(chosen) == size:
            break
        picked = next(pools[kind], None)
        if picked is None:
            raise RuntimeError(f"the seed bank has too few {kind} questions")
        chosen.append(picked[1])
    return {
        "slug": slug,
        "title": f"Bench quiz, {size} questions",
        "lesson": lesson,
        "time_limit_minutes": time_limit_minutes,
        "questions": chosen,
    }


def bench_quizzes_import(*, course, quizzes: list[dict]) -> list:
    """Import quizzes made by :func:`bench_quiz_data` with the real service (not the
    rest of the bank: the ``pages`` figures are of a course without quizzes)."""
    from quizzes.models import Quiz
    from quizzes.services import question_bank_import

    question_bank_import(course=course, data={"quizzes": quizzes})
    return [Quiz.objects.get(course=course, slug=quiz["slug"]) for quiz in quizzes]


def attempt_answered(*, quiz, user, every: int = 1):
    """Start an attempt and save the right answer to every ``every``-th question
    (1: all of them), as the student's posts would."""
    from quizzes import grading, services

    attempt = services.attempt_start(quiz=quiz, user=user)
    responses = attempt.responses.order_by("position")
    answers = {
        r.position: grading.correct_response(r.snapshot)
        for r in responses
        if r.position % every == 0
    }
    return services.attempt_save_answers(attempt=attempt, answers=answers).attempt


# --------------------------------------------------------------------------
# quiz-page: throughput of the attempt page


def _check_attempt_page(site) -> None:
    """What is measured must be the student's attempt page, not a redirect."""
    from bench.server import BenchSetupError

    path = site.info["attempt_path"]
    status, _, body = site.get(path, cookies=True)
    expected = [
        site.info["username"],
        site.info["quiz_title"],
        f"Question {site.info['quiz_questions']}",
        "data-countdown",
        'id="attempt-form"',
    ]
    missing = [text for text in expected if text not in body]
    if status != 200 or missing:
        raise BenchSetupError(f"GET {path}: HTTP {status}, page lacks {missing!r}")
    checked = body.count(" checked")
    if not checked:
        raise BenchSetupError(f"GET {path}: no saved answer shows on the page")


@benchmark("quiz-page", title="Quiz attempt page throughput (20 questions)", order=40)
def quiz_page(ctx: Context) -> Table:
    site = ctx.site()
    _check_attempt_page(site)
    quiz = site.target("quiz", site.info["quiz_path"])
    attempt = site.target("attempt", site.info["attempt_path"])
    result = site.target("result", site.info["result_path"])
    save, stream = journey.save_target(site)
    base, results = measure_pages(ctx, site, [quiz, attempt, result, save])
    missed = stream.check()
    table = throughput_table(
        "Throughput of a quiz, logged-in student (ratio to /livez)",
        site,
        base,
        results,
        {"quiz": QUIZ_PAGE_GOAL, "attempt": QUIZ_PAGE_GOAL, "result": QUIZ_PAGE_GOAL,
         "save": SAVE_GOAL},
    )  # fmt: skip
    table.notes.insert(
        0,
        f"attempt = {site.info['attempt_path']}: GET of an attempt in progress "
        f"(resumed), {site.info['quiz_questions']} questions of "
        f"{len(site.info['quiz_types'])} types "
        f"({', '.join(site.info['quiz_types'])}), half answered, timed (countdown); "
        f"quiz = {site.info['quiz_path']} (its page, the attempt in progress); "
        f"result = {site.info['result_path']} (a submitted attempt of 20 questions); "
        f"save = the autosave POST of a 20-question page changing one short answer, "
        f"each connection on an attempt of its own (bench/journey.py): "
        f"{sum(stream.sent)} posts, "
        + ("every one wrote" if not missed else f"{missed} did NOT write"),
    )
    return table


# --------------------------------------------------------------------------
# quiz-submit: submitting and grading, in process


def _seed_course():
    """The seed course, imported as ``import_document`` does (no question bank)."""
    from lessons import services
    from lessons.importing import decode_document, parse_document
    from lessons.models import Course

    hints_path = SEED_DOCUMENT.with_suffix(".hints.json")
    hints = json.loads(hints_path.read_text()) if hints_path.exists() else None
    parsed = parse_document(
        decode_document(SEED_DOCUMENT.read_bytes()),
        filename=SEED_DOCUMENT.name,
        hints=hints,
    )
    services.course_import(parsed=parsed, slug=SEED_SLUG, publish=True)
    return Course.objects.get(slug=SEED_SLUG)


def _submit_runs(quiz, user, runs: int) -> tuple[list[float], int]:
    """Time ``runs`` submits, each of a freshly answered attempt; also count the
    queries of the last one (by then the lesson is completed: the steady state)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes import services

    timings, queries = [], 0
    for run in range(runs + 1):  # the first completes the lesson: not counted
        attempt = attempt_answered(quiz=quiz, user=user)
        if run == runs:
            with CaptureQueriesContext(connection) as captured:
                result = services.attempt_submit(attempt=attempt)
            queries = len(captured)
        else:
            started = time.perf_counter()
            result = services.attempt_submit(attempt=attempt)
            elapsed = time.perf_counter() - started
            if run:
                timings.append(elapsed * 1000)
        if not (result.graded_now and result.attempt.state == "graded"):
            raise RuntimeError(f"attempt {attempt.pk} was not graded by its submit")
        if result.attempt.fraction != 1:
            raise RuntimeError(f"the right answers scored {result.attempt.fraction}")
    return timings, queries


@benchmark(
    "quiz-submit",
    title="Submit and grade an attempt, 5 vs 20 questions (in process)",
    order=41,
)
def quiz_submit(ctx: Context) -> Table:
    ctx.django().fresh_database()
    from django.contrib.auth.models import User

    from lessons import services

    course = _seed_course()
    student = User.objects.create_user("bench-student")
    services.enrollment_create(user=student, course=course)
    lessons = list(course.lessons.order_by("module__position", "position"))
    sizes = (SMALL_SIZE, QUIZ_SIZE)
    quizzes = bench_quizzes_import(
        course=course,
        quizzes=[
            bench_quiz_data(size=size, slug=f"bench-quiz-{size}", lesson=lesson.slug)
            for size, lesson in zip(sizes, lessons[-2:], strict=True)
        ],
    )
    runs = ctx.pick(30, 10)
    figures = {}
    for size, quiz in zip(sizes, quizzes, strict=True):
        timings, queries = _submit_runs(quiz, student, runs)
        figures[size] = {
            "median_ms": statistics.median(timings),
            "min_ms": min(timings),
            "max_ms": max(timings),
            "queries": queries,
            "runs": len(timings),
        }

    table = Table(
        "Submit and grade (quizzes.services.attempt_submit), every question answered",
        ["attempt", "median", "range", "SQL queries"],
    )
    for size, figure in figures.items():
        table.add(
            f"{size} questions",
            f"{figure['median_ms']:.1f} ms",
            f"{figure['min_ms']:.1f}-{figure['max_ms']:.1f} ms",
            figure["queries"],
        )
    small, large = figures[SMALL_SIZE]["queries"], figures[QUIZ_SIZE]["queries"]
    table.notes.append(
        f"queries {SMALL_SIZE} vs {QUIZ_SIZE} questions: {small} vs {large}, "
        + ("equal (as tests/quizzes/test_query_counts.py asserts)" if small == large
           else f"NOT equal: +{large - small} with the larger attempt")
    )  # fmt: skip
    table.notes.append(
        f"in process, SQLite; wall time of attempt_submit alone over {runs} runs, "
        "each on a fresh attempt started and answered rightly just before (not "
        "timed); the quiz is a lesson's, so passing it completes the lesson "
        "(done by a first, uncounted run)"
    )
    table.data = {str(size): figure for size, figure in figures.items()}
    return table


# --------------------------------------------------------------------------
# quiz-profile (opt-in): where the attempt page's time goes

# Parts of the request, by the function whose cumulative time stands for them;
# they nest, so the shares overlap (as in bench/profiling.py).
_BUCKETS = (
    ("whole request (WSGIHandler)", "django/core/handlers/wsgi.py", "__call__"),
    ("view function", "quizzes/views.py", "attempt_page"),
    ("  attempt lookup (selectors)", "quizzes/selectors.py",
     "attempt_get_for_user"),
    ("  questions_for_page", "quizzes/presenting.py", "questions_for_page"),
    ("template rendering", "django/template/backends/django.py", "render"),
    ("  i18n tags (translate, blocktranslate)", "django/templatetags/i18n.py",
     "render"),
    ("ORM: compile + run all queries", "django/db/models/sql/compiler.py",
     "execute_sql"),
    ("  SQL compiling (as_sql)", "django/db/models/sql/compiler.py", "as_sql"),
    ("  SQLite itself: executing them", "django/db/backends/utils.py", "_execute"),
    ("  JSON fields decoded", "django/db/models/fields/json.py", "from_db_value"),
    ("DB connect (+ PRAGMAs, functions)", "django/db/backends/base/base.py",
     "connect"),
    ("session load (cached_db)", "django/contrib/sessions/backends/cached_db.py",
     "load"),
    ("user lookup (auth)", "django/contrib/auth/__init__.py", "get_user"),
)  # fmt: skip


def _attempt_page_parts(attempt, student, path: str) -> dict[str, object]:
    """The attempt page's pieces, callable one by one (for unprofiled timings)."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from coursesite import cache as site_cache
    from quizzes import presenting, selectors
    from quizzes.templatetags.quiz_tags import render_questions

    request = RequestFactory().get(path)
    request.user = student
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    found = selectors.attempt_get_for_user(attempt_id=attempt.pk, user=student)
    responses = list(found.responses.all())

    def render(questions):
        # What the view renders when the page's markup is not cached yet.
        nav = presenting.navigation([responses], 1) if questions else []
        context = {
            "attempt": found,
            "quiz": found.quiz,
            "course": found.quiz.course,
            "questions_html": render_questions(questions),
            "navigation_html": render_to_string(
                site_cache.NAV_TEMPLATE, {"navigation": nav}
            ),
            "page": 1,
            "pages": 1,
            "error": "",
            "deadline_iso": found.deadline.isoformat() if found.deadline else "",
        }
        return render_to_string("quizzes/attempt_page.html", context, request)

    shown = presenting.questions_for_page(responses)
    return {
        "  query: attempt + quiz + course + lesson": lambda: (
            selectors.attempt_get_for_user(attempt_id=attempt.pk, user=student)
        ),
        "  query: the 20 responses (attempt.responses.all())": lambda: list(
            found.responses.all()
        ),
        "  query: the responses' page state (attempt_page_responses)": lambda: (
            selectors.attempt_page_responses(found)
        ),
        "  questions_for_page": lambda: presenting.questions_for_page(responses),
        "  template, 20 questions and the panel (not cached)": lambda: render(shown),
        "  template, no questions (the page around them)": lambda: render([]),
    }


@benchmark(
    "quiz-profile",
    title="Quiz attempt page profile (cProfile, in process)",
    default=False,
    order=91,
)
def quiz_profile(ctx: Context) -> Table:
    import cProfile
    import pstats

    ctx.django().fresh_database()
    from django.contrib.auth.models import User
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test import Client

    from bench.profiling import _request, cpu_ms_per_call
    from lessons import selectors, services

    app = get_wsgi_application()
    course = _seed_course()
    student = User.objects.create_user("bench-student")
    services.enrollment_create(user=student, course=course)
    lessons = selectors.outline_lessons(selectors.course_outline(course=course))
    (quiz,) = bench_quizzes_import(  # as on the throughput server
        course=course,
        quizzes=[
            bench_quiz_data(
                size=QUIZ_SIZE,
                slug="bench-quiz",
                lesson=course.lessons.get(pk=lessons[-1].id).slug,
                time_limit_minutes=QUIZ_TIME_LIMIT_MINUTES,
            )
        ],
    )
    attempt = attempt_answered(quiz=quiz, user=student, every=2)
    client = Client()
    client.force_login(student)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    path = attempt.get_absolute_url()
    paths = {"/livez": "/livez", "/healthz": "/healthz",
             "lesson": lessons[len(lessons) // 2].url,
             "attempt": path}  # fmt: skip
    for each in paths.values():  # warm: templates compiled, caches filled
        for _ in range(20):
            _request(app, each, cookie)
    count, batches = ctx.pick((200, 5), (100, 3))
    timings = {
        name: cpu_ms_per_call(
            lambda each=each: _request(app, each, cookie), count=count, batches=batches
        )
        for name, each in paths.items()
    }
    connection.ensure_connection()
    parts = {
        name: cpu_ms_per_call(part, count=count, batches=batches)
        for name, part in _attempt_page_parts(attempt, student, path).items()
    }

    def connect_and_close():
        connection.close()
        connection.ensure_connection()

    parts["  DB connect + close"] = cpu_ms_per_call(
        connect_and_close, count=count, batches=batches
    )
    connection.close()

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        _request(app, path, cookie)
    profiler.disable()
    entries = pstats.Stats(profiler).stats
    total = sum(tt for _, _, tt, _, _ in entries.values())

    whole = timings["attempt"]
    table = Table(
        "CPU time per request in process (ms), and a profile of the attempt page",
        ["part", "ms / request", "share of attempt page"],
    )
    for name, ms in timings.items():
        table.add(f"{name} (unprofiled)", f"{ms:.2f}", f"{ms / whole:.0%}")
    table.add("attempt page, piece by piece (unprofiled)", "", "")
    for name, ms in parts.items():
        table.add(name, f"{ms:.2f}", f"{ms / whole:.0%}")
    table.add("", "", "")
    add_profile_rows(
        table, "attempt page, profiled", entries, _BUCKETS, count=count, total=total
    )
    table.notes.append(
        f"attempt = {QUIZ_SIZE} questions of {len(TYPES)} types, half answered, "
        "timed; unprofiled: best of "
        f"{batches} batches of {count}, CPU time; the pieces are timed alone, so "
        "they do not add up to the page; profiled: cProfile inflates pure-Python "
        "code most, so read its shares (which overlap), not its milliseconds"
    )
    table.data = {"cpu_ms_per_request": timings, "parts_ms": parts}
    return table
