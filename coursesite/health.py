"""Is the database answering? Asked by /healthz, with a bound on the wait.

A database server that accepts TCP connections but never answers would block the
asking thread until the connect timeout (or, on a connection already open, for as
long as the socket stays up): no per-statement setting helps there, because the
server is the one that would enforce it. So the check runs on a thread of its own,
and the caller waits for it at most ``timeout`` seconds. At most one check per
database runs at a time: a caller that comes while one is under way (another
thread of a threaded worker) waits for that one's answer; once it has been waiting
longer than its callers' bound, it hangs, and the next caller is told "no" at once
instead of starting another.

That thread keeps its connection between checks, so a check costs one
``SELECT 1`` on an open connection, not a connection and its set-up (SQLite's
pragmas, PostgreSQL's authentication) each time a load balancer asks. It lives as
long as its connection works: on a failure it closes the connection and ends, and
the next check starts a new thread on a new connection. A connection that had
worked and fails (the server restarted) is given one new connection at once before
the answer is "no". When the database settings change (tests point a database
elsewhere), the thread reconnects to the new ones.
"""

import contextlib
import queue
import threading
import time

from django.db import connections


def _select_one(alias: str) -> bool:
    connection = connections[alias]  # this thread's own, kept open
    if connection.settings_dict is not connections.settings[alias]:
        connection.close()
        del connections[alias]
        connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to answer is "not answering"
        with contextlib.suppress(Exception):
            connection.close()
        return False


class _Checker:
    """The health-check thread of one database, and its one question at a time."""

    def __init__(self, alias: str):
        self.alias = alias
        # Held from a question until its answer: a hung check refuses the next.
        self.busy = threading.Lock()
        self.questions: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.pending: dict | None = None  # the question under way
        self.guard = threading.Lock()

    def ask(self, timeout: float) -> dict | None:
        """Put a question, or share the one under way; None when the one under
        way has waited longer than ``timeout`` (it hangs)."""
        with self.guard:
            pending = self.pending
            if pending is not None and not pending["done"].is_set():
                if time.monotonic() - pending["asked"] <= timeout:
                    return pending
                return None
            if not self.busy.acquire(blocking=False):
                return None
            answer = {"done": threading.Event(), "ok": False}
            answer["asked"] = time.monotonic()
            self.pending = answer
            # Not alive: ended after a failure, or left behind by a fork.
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._serve, name=f"healthz-{self.alias}", daemon=True
                )
                self.thread.start()
        self.questions.put(answer)
        return answer

    def _serve(self) -> None:
        answered_before = False
        while True:
            answer = self.questions.get()
            ok = _select_one(self.alias)
            if not ok and answered_before:
                ok = _select_one(self.alias)  # the server restarted: reconnect once
            answered_before = answered_before or ok
            if not ok:
                with self.guard:
                    self.thread = None  # the next question starts a new thread
            answer["ok"] = ok
            self.busy.release()
            answer["done"].set()
            if not ok:
                return


_checkers: dict[str, _Checker] = {}
_checkers_guard = threading.Lock()


def _checker_for(alias: str) -> _Checker:
    with _checkers_guard:
        if alias not in _checkers:
            _checkers[alias] = _Checker(alias)
        return _checkers[alias]


def databases_answer(*, timeout: float) -> bool:
    """True when every configured database answers ``SELECT 1`` within ``timeout``
    seconds (all asked at once)."""
    answers = []
    for alias in connections:
        answer = _checker_for(alias).ask(timeout)
        if answer is None:
            return False  # the previous check of this database still hangs
        answers.append(answer)
    deadline = time.monotonic() + timeout
    for answer in answers:
        if not answer["done"].wait(max(0.0, deadline - time.monotonic())):
            return False
    return all(answer["ok"] for answer in answers)
