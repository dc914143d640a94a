import pytest
from django.core.cache import cache

from coursesite.cache import local_clear
from tests.factories import StaffFactory, UserFactory, make_course

# Chromium + Playwright fixtures for every browser test; commit hooks that run
# when the code under test commits (tests/commits.py).
pytest_plugins = ["tests.browser", "tests.commits"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Cached fragments must not leak from one test into the next."""
    cache.clear()
    local_clear()
    yield
    cache.clear()
    local_clear()


@pytest.fixture
def caches_on(settings):
    """Every cache as in production, across the requests of a test.

    The suite turns the user cache off (coursesite/test_settings.py: query-count
    tests compare requests one after another); this turns it back on. Nothing is
    cleared between the requests of a test (only between tests), and
    invalidations happen when the writing code commits (tests/commits.py), so a
    test can write, read from another request, and see the new value.
    """
    settings.AUTH_USER_CACHE_SECONDS = 600


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
