"""Background tasks' settings: at once in the request with no worker (the
default), queued in the database for a worker with TASKS_BACKEND=database."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.site.test_settings import load_settings  # noqa: F401  (fixture)


def test_tasks_run_at_once_by_default(load_settings, monkeypatch):  # noqa: F811
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    settings = load_settings()
    assert settings.TASKS["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )


def test_tasks_go_to_the_database_for_a_worker(load_settings):  # noqa: F811
    settings = load_settings(TASKS_BACKEND="database")
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings.INSTALLED_APPS


def test_an_unknown_tasks_backend_refuses_to_start(load_settings):  # noqa: F811
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND"):
        load_settings(TASKS_BACKEND="celery")
