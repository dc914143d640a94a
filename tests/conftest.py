import pytest
from django.core.cache import cache

from lessons.caching import clear_local
from tests.factories import StaffFactory, UserFactory, make_course

# Chromium + Playwright fixtures for every browser test.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Cached fragments must not leak from one test into the next."""
    cache.clear()
    clear_local()
    yield
    cache.clear()
    clear_local()


@pytest.fixture
def student(db):
    return UserFactory(username="stu")


@pytest.fixture
def staff(db):
    """A site administrator (staff and superuser): sees every course, published or
    not. Instructors, who see only their own courses, have fixtures of their own
    (tests/admin, tests/teach, tests/lessons/test_instructor_visibility.py)."""
    return StaffFactory(username="teacher", is_superuser=True)


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


@pytest.fixture
def course(db):
    return make_course(modules=2, lessons_per_module=2, slug="demo", title="Demo")


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's SQLite test database file and its WAL companions."""
    import os
    from pathlib import Path

    for leftover in (Path(__file__).resolve().parent.parent / "var").glob(
        f"test-{os.getpid()}.sqlite3*"
    ):
        leftover.unlink(missing_ok=True)
