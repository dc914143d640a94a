"""Where a lesson-page request spends its time (opt-in: ``--only profile``).

Requests go through Django's real WSGI handler in this process, exactly as gunicorn
calls it (every middleware, and the database connection kept between requests
as ``DB_CONN_MAX_AGE`` says), minus the sockets. It prints the CPU time per
request of /healthz and the pages, single-threaded and without a load generator in
the way, then a cProfile of the lesson page: time inside a few well-known parts of
the stack, and the functions with the most time of their own.
"""

import cProfile
import io
import pstats
import sys
import time

from bench.core import ROOT, SEED_DOCUMENT, SEED_SLUG, Context, Table, benchmark

# Parts of a request, by the function whose cumulative time stands for them.
# They nest (queries run inside the view, the view inside the middleware), so the
# shares overlap and do not add up to 100%.
_BUCKETS = (
    ("whole request (WSGIHandler)", "django/core/handlers/wsgi.py", "__call__"),
    ("view function", "lessons/views.py", "lesson_detail"),
    ("template rendering", "django/template/backends/django.py", "render"),
    ("ORM: compile + run all queries", "django/db/models/sql/compiler.py",
     "execute_sql"),
    ("SQLite itself: executing them", "django/db/backends/utils.py", "_execute"),
    ("DB connect (+ PRAGMAs, functions)", "django/db/backends/base/base.py",
     "connect"),
    ("session load (cached_db)", "django/contrib/sessions/backends/cached_db.py",
     "load"),
    ("user lookup (auth)", "django/contrib/auth/__init__.py", "get_user"),
    ("outline (cache get + filter)", "lessons/selectors.py", "course_outline"),
    ("cache generations (coursesite/cache.py)", "coursesite/cache.py",
     "_generation"),
    ("URL reversing", "django/urls/base.py", "reverse"),
    ("i18n: {% translate %} / gettext", "django/utils/translation/trans_real.py",
     "gettext"),
)  # fmt: skip


def _environ(path: str, cookie: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _request(app, path: str, cookie: str) -> bytes:
    statuses = []
    result = app(_environ(path, cookie), lambda s, h, e=None: statuses.append(s))
    try:
        body = b"".join(result)
    finally:
        result.close()  # fires request_finished: closes the DB connection
    if not statuses[0].startswith("200"):
        raise RuntimeError(f"GET {path} answered {statuses[0]}")
    return body


def cpu_ms_per_call(func, *, count: int, batches: int) -> float:
    """CPU milliseconds per ``func()`` call: the best batch mean.

    CPU time of this process rather than wall time, and the best batch rather
    than the average, because other programs on the machine only ever add to it.
    """
    means = []
    for _ in range(batches):
        start = time.process_time()
        for _ in range(count):
            func()
        means.append((time.process_time() - start) / count * 1000)
    return min(means)


def _seed_site():
    """The seed course, a student enrolled with two lessons done, and their cookie."""
    import json

    from django.contrib.auth.models import User
    from django.test import Client

    from lessons import selectors, services
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
    course = Course.objects.get(slug=SEED_SLUG)
    student = User.objects.create_user("bench-student")
    services.enrollment_create(user=student, course=course)
    lessons = selectors.outline_lessons(selectors.course_outline(course=course))
    for lesson in course.lessons.filter(pk__in=[item.id for item in lessons[:2]]):
        services.lesson_complete(user=student, lesson=lesson)
    client = Client()
    client.force_login(student)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return cookie, lessons[len(lessons) // 2].url, course.get_absolute_url()


def add_profile_rows(table, title, entries, buckets, *, count, total) -> None:
    """Rows of a cProfile run: each bucket's cumulative time, then the functions
    with the most own time (``entries`` is ``pstats.Stats(...).stats``)."""
    table.add(title, "ms / request", "share")
    for label, file_suffix, function in buckets:
        cumulative = sum(
            ct
            for (file, _, func), (_, _, _, ct, _) in entries.items()
            if func == function and file.replace("\\", "/").endswith(file_suffix)
        )
        table.add(
            f"  {label}",
            f"{cumulative / count * 1000:.2f}",
            f"{cumulative / total:.0%}",
        )
    table.add("", "", "")
    table.add("top own time (profiled)", "ms / request", "share")
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    for (file, line, func), (_, calls, tt, _, _) in ranked[:12]:
        where = file.split("site-packages/")[-1].replace(f"{ROOT}/", "")
        table.add(
            f"  {func} ({where}:{line}) x{calls // count}",
            f"{tt / count * 1000:.2f}",
            f"{tt / total:.0%}",
        )


@benchmark(
    "profile",
    title="Lesson page profile (cProfile, in process)",
    default=False,
    order=90,
)
def profile(ctx: Context) -> Table:
    dj = ctx.django()
    dj.fresh_database()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    cookie, lesson_path, syllabus_path = _seed_site()
    paths = {
        "/livez": "/livez",
        "/healthz": "/healthz",
        "lesson": lesson_path,
        "syllabus": syllabus_path,
    }
    for path in paths.values():  # warm: templates compiled, outline cached
        for _ in range(20):
            _request(app, path, cookie)
    count, batches = ctx.pick((200, 5), (100, 3))
    timings = {
        name: cpu_ms_per_call(
            lambda path=path: _request(app, path, cookie), count=count, batches=batches
        )
        for name, path in paths.items()
    }
    from django.db import connection

    def connect_and_close():
        connection.ensure_connection()
        connection.close()

    connect_ms = cpu_ms_per_call(connect_and_close, count=count, batches=batches)

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        _request(app, lesson_path, cookie)
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries = stats.stats  # {(file, line, function): (cc, nc, tt, ct, callers)}
    total = sum(tt for _, _, tt, _, _ in entries.values())

    table = Table(
        "CPU time per request in process (ms), and a profile of the lesson page",
        ["part", "ms / request", "share of lesson"],
    )
    for name, ms in timings.items():
        table.add(f"{name} (unprofiled)", f"{ms:.2f}", f"{ms / timings['lesson']:.0%}")
    table.add(
        "  of which DB connect + close",
        f"{connect_ms:.2f}",
        f"{connect_ms / timings['lesson']:.0%}",
    )
    table.add("", "", "")
    add_profile_rows(
        table, "lesson page, profiled", entries, _BUCKETS, count=count, total=total
    )
    table.notes.append(
        f"unprofiled: best of {batches} batches of {count} requests, CPU time; "
        "profiled: cProfile inflates pure-Python code most, so read its shares "
        "(which overlap), not its milliseconds"
    )
    table.data = {"cpu_ms_per_request": timings, "connect_close_ms": connect_ms}
    return table
