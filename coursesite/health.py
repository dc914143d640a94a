"""Is the database answering? Asked by /healthz, with a bound on the wait.

A database server that accepts TCP connections but never answers would block the
asking thread until the connect timeout (or, on a connection already open, for as
long as the socket stays up): no per-statement setting helps there, because the
server is the one that would enforce it. So the check runs on a thread of its own,
on a connection of its own, and the caller waits for it at most ``timeout``
seconds. At most one check per database runs at a time: while a hung check is still
waiting, the next caller is told "no" at once instead of starting another thread.
"""

import threading
import time

from django.db import connections

_running: dict[str, threading.Lock] = {}
_running_guard = threading.Lock()


def _lock_for(alias: str) -> threading.Lock:
    with _running_guard:
        return _running.setdefault(alias, threading.Lock())


def _ask(alias: str, lock: threading.Lock, answers: dict) -> None:
    try:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                answers[alias] = cursor.fetchone() == (1,)
        finally:
            # This thread's connection dies with it; never leave it open.
            connection.close()
    except Exception:  # any failure to answer is "not answering"
        answers[alias] = False
    finally:
        lock.release()


def databases_answer(*, timeout: float) -> bool:
    """True when every configured database answers ``SELECT 1`` within ``timeout``
    seconds (all asked at once)."""
    answers: dict[str, bool] = {}
    threads = []
    for alias in connections:
        lock = _lock_for(alias)
        if not lock.acquire(blocking=False):
            return False  # the previous check of this database still hangs
        thread = threading.Thread(
            target=_ask,
            args=(alias, lock, answers),
            name=f"healthz-{alias}",
            daemon=True,
        )
        thread.start()
        threads.append((alias, thread))
    deadline = time.monotonic() + timeout
    for _alias, thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return all(answers.get(alias, False) for alias, _thread in threads)
