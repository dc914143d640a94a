"""Commit hooks in tests run when the code under test commits, as in production.

pytest-django wraps each test in a transaction that is rolled back, so
``transaction.on_commit`` callbacks would never run, and cache invalidations that
happen at commit (``coursesite.cache``) would never be seen. This plugin treats
the outermost atomic block *of the code under test* (one opened while only the
test's own blocks are open) as the commit: when it exits without an error, the
callbacks registered inside it run, in order. A callback registered outside any
such block runs at once, as in autocommit mode. A savepoint rolled back inside
still drops its callbacks (Django does that). With ``transaction=True`` tests
nothing changes: their commits are real.
"""

import pytest
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def _only_test_blocks(connection) -> bool:
    blocks = connection.atomic_blocks
    return bool(blocks) and all(block._from_testcase for block in blocks)


def _install(monkeypatch) -> None:
    original_enter = transaction.Atomic.__enter__
    original_exit = transaction.Atomic.__exit__
    original_on_commit = BaseDatabaseWrapper.on_commit

    def enter(self):
        connection = transaction.get_connection(self.using)
        marks = connection.__dict__.setdefault("_test_commit_marks", [])
        if not self._from_testcase and _only_test_blocks(connection):
            # (depth once this block is closed again, callbacks before it)
            marks.append((len(connection.atomic_blocks), len(connection.run_on_commit)))
        return original_enter(self)

    def exit(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        committed = False
        try:
            result = original_exit(self, exc_type, exc_value, traceback)
            committed = exc_type is None
        finally:
            marks = connection.__dict__.get("_test_commit_marks") or []
            closing = marks and marks[-1][0] == len(connection.atomic_blocks)
            if closing:
                _depth, before = marks.pop()
        if closing and committed:
            due = connection.run_on_commit[before:]
            del connection.run_on_commit[before:]
            for _sids, func, _robust in due:
                func()
        return result

    def on_commit(self, func, robust=False):
        if _only_test_blocks(self):
            func()  # autocommit: no transaction of the code under test is open
            return
        original_on_commit(self, func, robust)

    monkeypatch.setattr(transaction.Atomic, "__enter__", enter)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit)
    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)


@pytest.fixture(autouse=True)
def _commit_hooks_run_at_commit(monkeypatch):
    _install(monkeypatch)
