"""A quiz taken end to end by 16 concurrent students, and saving answers.

``quiz-journey``: 16 students (made by ``bench/site_setup.py`` with :func:`setup`,
each with a session made there, so no password is hashed during the run) take a
20-question lesson quiz at the same time on the shared gunicorn server, step by
step: all 16 start an attempt (POST), then all 16 load the attempt page (GET),
then all 16 save an answer to every question (the autosave POST, JSON answer),
then all 16 submit (POST), then all 16 load their result page (GET). Between
steps the server's workers are idle, so the CPU they used during a step (read
from /proc, as for the throughput figures) is that step's cost: the table gives
server CPU ms and SQL queries per request for each step and per journey. Queries
are counted by the server itself: ``bench/query_count.py``, a bench-only
middleware (``BENCH_COUNT_QUERIES=1``), answers each request with its count in a
header. A first journey per student is not counted (it completes the lesson and
fills caches); then ``ROUNDS`` journeys each, the quiz allowing any number of
attempts.

The save form is read from the attempt page as a browser reads it (the option
tokens, hidden sequence fields, ...); unanswered questions get an answer (the
first option, the last choice of a list, a word, a number): the grade does not
matter, the work does.

``quiz-page`` also measures the throughput of saving (``save_target``): the
autosave POST of a 20-question page that changes one answer, as
``static/js/attempt-autosave.js`` posts it (it posts only when something
changed), from 4 connections, each on an attempt of its own (so the sequence
number each post carries is known in advance and every post writes).
"""

import http.client
import itertools
import json
import re
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.core import Context, Table, benchmark

STUDENTS = 16
JOURNEY_SLUG = "bench-journey"
SAVE_SLUG = "bench-save"
SAVE_ATTEMPTS = 4  # one per load-generator connection (bench.pages.CONNECTIONS)
QUERIES_HEADER = "X-Bench-Queries"  # bench/query_count.py
# Issue 14's figures for a journey before this bench existed, and django_quiz's.
ISSUE_CPU_MS, ISSUE_QUERIES = 64, 40
STEPS = ("start", "attempt page", "save answers", "submit", "result")


# --------------------------------------------------------------------------
# Seed data (run by bench/site_setup.py inside the server's environment)


def setup(*, course, lesson_id: int) -> dict:
    """The journey's students (enrolled, with sessions), its quiz, and the
    save quiz with one attempt in progress per load-generator connection."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    from bench import quiz_bench
    from lessons import services

    lessons = course.lessons.order_by("module__position", "position")
    lesson = course.lessons.get(pk=lesson_id)
    other = lessons.exclude(pk=lesson_id).first()
    quiz, save_quiz = quiz_bench.bench_quizzes_import(
        course=course,
        quizzes=[
            quiz_bench.bench_quiz_data(
                size=quiz_bench.QUIZ_SIZE, slug=JOURNEY_SLUG, lesson=lesson.slug
            ),
            quiz_bench.bench_quiz_data(
                size=quiz_bench.QUIZ_SIZE, slug=SAVE_SLUG, lesson=other.slug
            ),
        ],
    )
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "coursesite.auth.CachedModelBackend"
    students = []
    for number in range(STUDENTS):
        user = User.objects.create_user(f"journey-{number:02d}")  # no password
        services.enrollment_create(user=user, course=course)
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        entry = {"username": user.username, "session": store.session_key}
        if number < SAVE_ATTEMPTS:
            attempt = quiz_bench.attempt_answered(quiz=save_quiz, user=user, every=2)
            entry["save_path"] = attempt.get_absolute_url()
        students.append(entry)
    return {
        "journey_quiz_path": quiz.get_absolute_url(),
        "journey_start_path": quiz.get_absolute_url() + "start/",
        "journey_students": students,
    }


# --------------------------------------------------------------------------
# The attempt form, read as a browser reads it


@dataclass
class _Field:
    tag: str
    kind: str
    name: str
    value: str
    checked: bool = False
    decimal: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The fields of ``<form id="attempt-form">`` (buttons left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[_Field] = []
        self._in_form = False
        self._select: _Field | None = None
        self._textarea: _Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form" and attrs.get("id") == "attempt-form":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name", "")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            self.fields.append(
                _Field(
                    "input",
                    attrs.get("type", "text"),
                    name,
                    attrs.get("value", ""),
                    checked="checked" in attrs,
                    decimal=attrs.get("inputmode") == "decimal",
                )
            )
        elif tag == "select" and name:
            self._select = _Field("select", "select", name, "")
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = _Field("textarea", "textarea", name, "")
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _fields(page: str) -> list[_Field]:
    reader = _FormReader()
    reader.feed(page)
    return reader.fields


def attempt_form(page: str, *, answer_all: bool) -> list[tuple[str, str]]:
    """The attempt form's fields as a browser posts them: the answers the page
    shows; with ``answer_all``, an answer to every question left unanswered."""
    fields = _fields(page)
    pairs: list[tuple[str, str]] = []
    chosen: set[str] = {f.name for f in fields if f.checked}
    for item in fields:
        if item.kind in {"radio", "checkbox"}:
            if item.checked or (answer_all and item.name not in chosen):
                pairs.append((item.name, item.value))
                chosen.add(item.name)
        elif item.kind == "select":
            selected = [value for value, on in item.options if on]
            if selected:
                pairs.append((item.name, selected[0]))
            elif answer_all and item.options:
                pairs.append((item.name, item.options[-1][0]))
            elif item.options:
                pairs.append((item.name, item.options[0][0]))
        elif item.kind == "text" and answer_all and not item.value:
            pairs.append((item.name, "42" if item.decimal else "an answer"))
        elif item.tag == "textarea" and answer_all and not item.value:
            pairs.append((item.name, "An answer in a few words."))
        else:
            pairs.append((item.name, item.value))
    return pairs


# --------------------------------------------------------------------------
# HTTP, one connection per request (gunicorn's sync workers close each one)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def queries(self) -> int:
        return int(self.headers.get(QUERIES_HEADER.lower(), "0"))


class Student:
    """A logged-in student: session cookie and a CSRF secret of its own (the
    cookie and the X-CSRFToken header carry the same 32 characters)."""

    def __init__(self, site, session: str) -> None:
        self.site = site
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        self.csrf = "".join(secrets.choice(alphabet) for _ in range(32))
        self.cookie = f"csrftoken={self.csrf}; sessionid={session}"
        self.attempt_path = ""
        self.form: list[tuple[str, str]] = []

    def request(self, method: str, path: str, form=None) -> Answer:
        headers = {"Cookie": self.cookie, "Accept": "text/html,*/*"}
        body = None
        if method == "POST":
            body = urlencode(form or [])
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.csrf,
                }
            )
        conn = http.client.HTTPConnection(self.site.host, self.site.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8")
            found = {name.lower(): value for name, value in response.getheaders()}
            return Answer(response.status, found, text)
        finally:
            conn.close()


class JourneyError(RuntimeError):
    """A step did not answer what a student gets: the bench is broken."""


def _expect(answer: Answer, status: int, what: str) -> Answer:
    if answer.status != status:
        raise JourneyError(f"{what}: HTTP {answer.status}, expected {status}")
    return answer


def _start(student: Student, info: dict) -> Answer:
    answer = _expect(student.request("POST", info["journey_start_path"]), 302, "start")
    location = answer.headers.get("location", "")
    if not re.fullmatch(r"/attempts/\d+/", location):
        raise JourneyError(f"start led to {location!r}, not an attempt")
    student.attempt_path = location
    return answer


def _attempt_page(student: Student, info: dict) -> Answer:
    answer = _expect(student.request("GET", student.attempt_path), 200, "attempt")
    student.form = attempt_form(answer.body, answer_all=True)
    if 'id="attempt-form"' not in answer.body or not student.form:
        raise JourneyError(f"GET {student.attempt_path}: no attempt form")
    return answer


def _save(student: Student, info: dict) -> Answer:
    form = [*student.form, ("autosave", "1")]
    answer = _expect(student.request("POST", student.attempt_path, form), 200, "save")
    reply = json.loads(answer.body)
    if reply.get("errors") or reply.get("conflicts") or not reply.get("saved"):
        raise JourneyError(f"save of {student.attempt_path}: {answer.body[:300]}")
    return answer


def _submit(student: Student, info: dict) -> Answer:
    answer = student.request("POST", student.attempt_path + "submit/")
    return _expect(answer, 302, "submit")


def _result(student: Student, info: dict) -> Answer:
    answer = _expect(
        student.request("GET", student.attempt_path + "result/"), 200, "result"
    )
    if 'id="result-heading"' not in answer.body:
        raise JourneyError(f"{student.attempt_path}result/ is not a result page")
    return answer


_STEP_FUNCTIONS = (_start, _attempt_page, _save, _submit, _result)


@dataclass
class StepTotals:
    requests: int = 0
    cpu: float = 0.0
    queries: int = 0


def _run_step(pool, site, students, step, info, totals: StepTotals | None) -> None:
    before = site.worker_cpu()
    answers = list(pool.map(lambda s: step(s, info), students))
    after = site.worker_cpu()
    if totals is not None:
        totals.requests += len(answers)
        totals.cpu += after - before
        totals.queries += sum(a.queries for a in answers)


def _livez_round(ctx: Context, site) -> tuple[float, int]:
    """A short /livez round: the server's CPU seconds and the requests answered."""
    from bench.loadgen import measure
    from bench.pages import CONNECTIONS

    target = site.target("livez", "/livez", logged_in=False)
    found = measure(
        site.host,
        site.port,
        target,
        seconds=ctx.pick(0.5, 0.3),
        connections=CONNECTIONS,
        server_cpu=site.worker_cpu,
    )
    return found.server_cpu, found.ok


@benchmark(
    "quiz-journey",
    title="A quiz taken end to end by 16 concurrent students",
    order=42,
)
def quiz_journey(ctx: Context) -> Table:
    site = ctx.site()
    info = site.info
    if site.worker_cpu() is None:
        raise JourneyError("the server's CPU time cannot be read (/proc)")
    students = [Student(site, s["session"]) for s in info["journey_students"]]
    rounds = ctx.pick(5, 2)
    totals = {name: StepTotals() for name in STEPS}
    livez_cpu, livez_ok = 0.0, 0
    with ThreadPoolExecutor(max_workers=len(students)) as pool:
        for round_number in range(rounds + 1):  # the first is a warm-up
            for name, step in zip(STEPS, _STEP_FUNCTIONS, strict=True):
                counted = totals[name] if round_number else None
                _run_step(pool, site, students, step, info, counted)
            if round_number:  # /livez between rounds: the same machine load
                cpu, ok = _livez_round(ctx, site)
                livez_cpu, livez_ok = livez_cpu + cpu, livez_ok + ok
    livez = livez_cpu / livez_ok * 1000

    table = Table(
        f"A 20-question quiz end to end, {len(students)} students at once "
        "(server CPU and SQL queries)",
        ["step", "requests", "CPU ms/req", "SQL queries/req", "x livez by CPU"],
    )
    journey_cpu = journey_queries = 0.0
    for name, total in totals.items():
        cpu = total.cpu / total.requests * 1000
        queries = total.queries / total.requests
        journey_cpu += cpu
        journey_queries += queries
        table.add(name, total.requests, f"{cpu:.2f}", f"{queries:.1f}",
                  f"{livez / cpu:.2f}")  # fmt: skip
    journeys = len(students) * rounds
    table.add(
        "journey (5 requests)",
        journeys,
        f"{journey_cpu:.1f}",
        f"{journey_queries:.0f}",
        f"{livez / journey_cpu:.3f}",
    )
    table.notes.append(
        f"per student journey: {journey_cpu:.1f} ms of server CPU and "
        f"{journey_queries:.0f} SQL queries (issue 14 before this bench: about "
        f"{ISSUE_CPU_MS} ms and {ISSUE_QUERIES}; django_quiz about twice the CPU "
        "and 180 queries); /livez between the rounds: "
        f"{livez:.2f} CPU ms/req, so a journey costs {journey_cpu / livez:.0f} /livez"
    )
    table.notes.append(
        f"{site.description}, DEBUG off, SQLite; {len(students)} students do each "
        f"step at once, then the next step; {rounds} journeys each after an "
        "uncounted one; CPU = gunicorn workers' CPU during the step (/proc), "
        "queries counted by the server (bench/query_count.py); the summary page "
        "between finishing and submitting is not part of it"
    )
    table.data = {
        "journey_cpu_ms": journey_cpu,
        "journey_queries": journey_queries,
        "livez_cpu_ms": livez,
        "journeys": journeys,
        "steps": {
            name: {
                "cpu_ms": t.cpu / t.requests * 1000,
                "queries": t.queries / t.requests,
                "requests": t.requests,
            }
            for name, t in totals.items()
        },
    }
    return table


# --------------------------------------------------------------------------
# Saving answers: a load target whose every post writes one answer


class SaveStream:
    """Autosave posts for the load generator, one attempt per connection.

    Each post is the whole page as the browser posts it with one short answer
    changed (alternately two words) and that question's sequence number one
    more than at the last post (every post writes, so the server adds one).
    ``check`` reads the attempts back: each answer's sequence must have moved
    by the number of posts sent on its connection.
    """

    def __init__(self, site) -> None:
        self.site = site
        self.students = [s for s in site.info["journey_students"] if s.get("save_path")]
        self.forms: list[list[tuple[str, str]]] = []
        self.changed: list[tuple[str, int]] = []  # (field, its sequence at first)
        self.sent = [0] * len(self.students)
        self.lock = threading.Lock()
        self.cookies: list[tuple[str, str]] = []
        for entry in self.students:
            student = Student(site, entry["session"])
            page = _expect(
                student.request("GET", entry["save_path"]), 200, "save page"
            ).body
            form = attempt_form(page, answer_all=False)
            names = dict(form)
            text = next(  # a short answer (a text field that is not a number)
                item.name
                for item in _fields(page)
                if item.kind == "text"
                and not item.decimal
                and re.fullmatch(r"q\d+", item.name)
            )
            self.changed.append((text, int(names[f"{text}-seq"])))
            self.forms.append(
                [(n, v) for n, v in form if n not in {text, f"{text}-seq"}]
            )
            self.cookies.append((student.cookie, student.csrf))

    def stream(self, connection: int) -> Iterator[bytes]:
        index = connection % len(self.students)
        path = self.students[index]["save_path"]
        cookie, csrf = self.cookies[index]
        name, first = self.changed[index]
        for _ in itertools.count():
            with self.lock:
                number = self.sent[index]
                self.sent[index] += 1
            form = [
                *self.forms[index],
                (name, "alpha" if number % 2 else "beta"),
                (f"{name}-seq", str(first + number)),
                ("autosave", "1"),
            ]
            body = urlencode(form).encode()
            head = (
                f"POST {path} HTTP/1.1\r\n"
                f"Host: {self.site.host}:{self.site.port}\r\n"
                "User-Agent: coursesite-bench\r\n"
                "Accept: application/json\r\n"
                f"Cookie: {cookie}\r\n"
                f"X-CSRFToken: {csrf}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            yield head.encode("latin-1") + body

    def check(self) -> int:
        """Posts that did not write (their sequence was not the expected one)."""
        missed = 0
        for index, entry in enumerate(self.students):
            student = Student(self.site, entry["session"])
            page = student.request("GET", entry["save_path"]).body
            name, first = self.changed[index]
            found = re.search(rf'name="{name}-seq" value="(\d+)"', page)
            now = int(found.group(1)) if found else first
            missed += self.sent[index] - (now - first)
        return missed


def save_target(site):
    """The ``save`` load target of ``quiz-page`` and its stream (for ``check``)."""
    from bench.loadgen import Target

    stream = SaveStream(site)
    path = stream.students[0]["save_path"]
    return Target(name="save", path=path, stream=stream.stream), stream
