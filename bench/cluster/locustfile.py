"""The class-sized load (run by bench/cluster/loadtest.py, not by hand).

Students open the final exam, start it, answer every question one at a time with
an autosave each (as attempt-autosave.js posts), open the summary and submit.
Staff log in and browse the gradebook, the item statistics, the regrade dry run
and both CSV exports until the run ends.

Every answer a student sent, and whether the site acknowledged it, is written to
``LOAD_RECORD`` (JSON lines) for the audit. Requests that may be repeated are
retried after a connection error or a 502/503/504 (an app server killed under
them): the GETs, and the attempt's POSTs, which the site makes safe to repeat
(starting returns the attempt in progress, an answer equal to the stored one is
not written again, a second submit changes nothing).

Environment: LOAD_USERS (users.json from prepare.py), LOAD_RECORD, LOAD_THINK
(seconds between answers, default 1).
"""

import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

USERS = json.loads(Path(os.environ["LOAD_USERS"]).read_text())
THINK = float(os.environ.get("LOAD_THINK", "1"))
# Open for the whole run, line-buffered: every line is on disk when written.
RECORD = open(os.environ["LOAD_RECORD"], "a", buffering=1)  # noqa: SIM115
COURSE, QUIZ = USERS["course"], USERS["quiz"]
RETRYABLE = {0, 502, 503, 504}
RETRIES = 6

_next_student = iter(USERS["students"])
_next_staff = iter(USERS["staff"])
_finished = {"students": 0, "started": 0}


def record(**row) -> None:
    RECORD.write(json.dumps(row) + "\n")


class AttemptForm(HTMLParser):
    """The attempt page's form: its fields, grouped by question position."""

    def __init__(self):
        super().__init__()
        self.csrf = ""
        self.questions: dict[int, dict] = {}
        self._select = None

    def _question(self, name: str):
        match = re.fullmatch(r"q(\d+)(?:-(.+))?", name or "")
        if not match:
            return None, None
        q = self.questions.setdefault(
            int(match[1]),
            {"radio": {}, "checkbox": {}, "text": [], "select": {}, "hidden": {}},
        )
        return q, match[2]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name", "")
        if tag == "input" and name == "csrfmiddlewaretoken":
            self.csrf = a.get("value", "")
            return
        q, suffix = self._question(name)
        if q is None:
            if tag == "option" and self._select is not None and a.get("value"):
                self._select.append(a["value"])
            return
        kind = a.get("type", "text") if tag == "input" else tag
        if kind == "radio":
            q["radio"].setdefault(name, []).append(a.get("value", ""))
        elif kind == "checkbox":
            q["checkbox"].setdefault(name, []).append(a.get("value", ""))
        elif kind == "hidden":
            q["hidden"][name] = a.get("value", "")
        elif tag == "select":
            self._select = q["select"].setdefault(name, [])
        elif kind in {"text", "textarea", "number"}:
            q["text"].append((name, a.get("inputmode", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def answer_fields(q: dict, rng: random.Random) -> dict[str, list[str]]:
    """What a student might post for one question (every field of it)."""
    fields: dict[str, list[str]] = {}
    for name, value in q["hidden"].items():
        if name.endswith("-order"):
            items = value.split(",")
            rng.shuffle(items)
            fields[name] = [",".join(items)]
        elif not name.endswith("-seq"):
            fields[name] = [value]
    for name, values in q["radio"].items():
        fields[name] = [rng.choice(values)]
    for name, values in q["checkbox"].items():
        fields[name] = rng.sample(values, rng.randint(1, len(values)))
    for name, options in q["select"].items():
        if options:
            fields[name] = [rng.choice(options)]
    for name, inputmode in q["text"]:
        if inputmode in {"decimal", "numeric"}:
            fields[name] = [str(rng.randint(1, 2000))]
        else:
            fields[name] = [rng.choice(["Lima", "Brasilia", "peace", "UNASUR"])]
    return fields


def encode(fields: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in fields.items() for value in values]


class Client(FastHttpUser):
    abstract = True
    host = "http://127.0.0.1:8080"

    def call(self, method: str, path: str, name: str, ok=(200, 302), **kwargs):
        """One request, retried while the answer says a server is away. Each
        failed try counts as an error; the last answer is returned (None: gave
        up)."""
        for attempt in range(RETRIES):
            with self.client.request(
                method,
                path,
                name=name,
                catch_response=True,
                allow_redirects=False,
                **kwargs,
            ) as response:
                if response.status_code in ok:
                    response.success()
                    return response
                response.failure(f"{response.status_code}")
                if response.status_code not in RETRYABLE:
                    return None
            record(kind="retry", name=name, status=response.status_code)
            gevent.sleep(0.3 * 2**attempt)
        return None

    def post(self, path: str, name: str, data, csrf: str, **kwargs):
        if isinstance(data, dict):
            data = list(data.items())
        body = [("csrfmiddlewaretoken", csrf), *data]
        from urllib.parse import urlencode

        return self.call(
            "POST",
            path,
            name,
            data=urlencode(body),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                **kwargs.pop("headers", {}),
            },
            **kwargs,
        )


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Student(Client):
    wait_time = between(0, 0)

    def on_start(self):
        from requests.cookies import create_cookie

        try:
            account = next(_next_student)
        except StopIteration:
            raise StopUser() from None
        self.username = account["username"]
        self.client.cookiejar.set_cookie(
            create_cookie("sessionid", account["session"], domain="127.0.0.1")
        )
        self.rng = random.Random(self.username)

    @task
    def take_the_final_exam(self):
        _finished["started"] += 1
        try:
            self._take()
        finally:
            _finished["students"] += 1
        raise StopUser()

    def _take(self):
        quiz_url = f"/courses/{COURSE}/quizzes/{QUIZ}/"
        page = self.call("GET", quiz_url, "student: quiz page", ok=(200,))
        if page is None:
            record(kind="error", user=self.username, what="no quiz page")
            return
        token = CSRF_INPUT.search(page.text)
        if token is None:
            alerts = re.findall(r'class="alert[^"]*"[^>]*>(.*?)<', page.text, re.S)
            record(
                kind="error",
                user=self.username,
                what="no start form",
                status=page.status_code,
                upstream=page.headers.get("X-Upstream"),
                alerts=[a.strip() for a in alerts],
                page=page.text[-3000:],
            )
            return
        # confirm=1: the student read that a timed attempt's clock cannot be paused
        # (the confirmation page of a timed quiz posts it; older code ignores it).
        started = self.post(
            quiz_url + "start/", "student: start", {"confirm": "1"}, token[1]
        )
        if started is None or "/attempts/" not in started.headers.get("Location", ""):
            record(kind="error", user=self.username, what="start refused")
            return
        attempt_id = int(re.search(r"/attempts/(\d+)/", started.headers["Location"])[1])
        record(kind="start", user=self.username, attempt=attempt_id)
        url = f"/attempts/{attempt_id}/"
        page = self.call("GET", url, "student: attempt page")
        if page is None:
            return
        form = AttemptForm()
        form.feed(page.text)
        for position in sorted(form.questions):
            q = form.questions[position]
            seq_name = f"q{position}-seq"
            if seq_name not in q["hidden"]:
                continue  # a description: nothing to answer
            gevent.sleep(self.rng.uniform(0.5, 1.5) * THINK)
            fields = answer_fields(q, self.rng)
            body = [
                ("page", "1"),
                ("autosave", "1"),
                (seq_name, q["hidden"][seq_name]),
                *encode(fields),
            ]
            saved = self.post(
                url,
                "student: autosave",
                body,
                form.csrf,
                headers={"Accept": "application/json"},
            )
            reply = None
            if saved is not None:
                try:
                    reply = saved.json()
                except ValueError:
                    reply = None
            acked = (
                bool(reply) and not reply.get("conflicts") and not reply.get("errors")
            )
            record(
                kind="save",
                user=self.username,
                attempt=attempt_id,
                position=position,
                fields=fields,
                acked=acked,
                reply=None if acked else reply,
            )
            if reply and seq_name in reply.get("sequences", {}):
                q["hidden"][seq_name] = str(reply["sequences"][seq_name])
        self.call("GET", url + "summary/", "student: summary")
        submitted = self.post(url + "submit/", "student: submit", {}, form.csrf)
        record(
            kind="submit",
            user=self.username,
            attempt=attempt_id,
            acked=submitted is not None,
            at=time.time(),
        )
        if submitted is not None:
            self.call("GET", url + "result/", "student: result")


class Staff(Client):
    fixed_count = int(os.environ.get("LOAD_STAFF", "20"))
    wait_time = between(1, 3)

    def on_start(self):
        try:
            account = next(_next_staff)
        except StopIteration:
            raise StopUser() from None
        page = self.call("GET", "/accounts/login/", "staff: login page")
        token = CSRF_INPUT.search(page.text) if page is not None else None
        if token is None:
            raise StopUser()
        done = self.post(
            "/accounts/login/",
            "staff: log in",
            {"username": account["username"], "password": account["password"]},
            token[1],
            ok=(302,),
        )
        if done is None:
            record(kind="error", user=account["username"], what="login failed")
            raise StopUser()

    @task(4)
    def gradebook(self):
        sort = random.choice(["", "?sort=-total", "?sort=name", "?page=2"])
        self.call("GET", f"/teach/courses/{COURSE}/{sort}", "staff: gradebook")

    @task(2)
    def statistics(self):
        self.call(
            "GET",
            f"/teach/courses/{COURSE}/quizzes/{QUIZ}/statistics/",
            "staff: statistics",
        )

    @task(1)
    def gradebook_csv(self):
        self.call(
            "GET", f"/teach/courses/{COURSE}/gradebook.csv", "staff: gradebook.csv"
        )

    @task(1)
    def responses_csv(self):
        self.call(
            "GET", f"/teach/courses/{COURSE}/responses.csv", "staff: responses.csv"
        )

    @task(1)
    def regrade_dry_run(self):
        self.call(
            "GET",
            f"/teach/courses/{COURSE}/regrade/?quiz={QUIZ}",
            "staff: regrade dry run",
        )


@events.test_start.add_listener
def _stop_when_students_are_done(environment, **kwargs):
    """End the run once every student has submitted (the staff stop with it)."""
    total = len(USERS["students"])

    def watch():
        while _finished["students"] < total:
            gevent.sleep(1)
        gevent.sleep(3)
        environment.runner.quit()

    gevent.spawn(watch)
