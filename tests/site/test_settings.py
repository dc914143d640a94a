"""coursesite.settings: everything comes from the environment, and an unsafe
production configuration refuses to start."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = PROJECT_DIR / "coursesite" / "settings.py"
SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_DIR",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND",
    "DB_CONN_MAX_AGE",
)
START = (
    "import django; django.setup(); from django.conf import settings; "
    "print('started', settings.DEBUG)"
)


def start_django(**env) -> subprocess.CompletedProcess:
    """Start Django with coursesite.settings in a fresh process and a clean env."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "coursesite.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", START],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_with_debug_off_and_no_secret_key():
    result = start_django()

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_refuses_to_start_with_debug_explicitly_off_and_an_empty_key():
    result = start_django(DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_refuses_to_start_in_production_with_the_insecure_development_key():
    result = start_django(SECRET_KEY="django-insecure-something-from-a-tutorial")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_starts_with_debug_on_and_no_secret_key():
    result = start_django(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "started True" in result.stdout


def test_starts_with_debug_off_and_a_real_secret_key():
    result = start_django(SECRET_KEY="a-long-random-production-secret-key-0123456789")

    assert result.returncode == 0, result.stderr
    assert "started False" in result.stdout


# --------------------------------------------------------------------------
# Reading the environment (the settings module, loaded afresh in this process)


@pytest.fixture
def load_settings(monkeypatch):
    """Load coursesite/settings.py as a new module with the given environment."""

    def load(**env):
        for name in SETTINGS_ENV:
            monkeypatch.delenv(name, raising=False)
        env.setdefault("SECRET_KEY", "a-long-random-production-secret-key-0123456789")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location(
            "settings_under_test", SETTINGS_FILE
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_database_defaults_to_sqlite_in_the_project_folder(load_settings):
    settings = load_settings()

    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == PROJECT_DIR / "db.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    # Kept open between requests, as PostgreSQL's: a sync worker has one thread.
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    "url",
    [
        f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        "postgres://course:s3cret@db.example.com:6543/coursesite",
    ],
)
def test_db_conn_max_age_sets_how_long_a_connection_is_kept(load_settings, url):
    settings = load_settings(DATABASE_URL=url, DB_CONN_MAX_AGE="0")

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_a_db_conn_max_age_that_is_not_a_whole_number_is_refused(load_settings):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE"):
        load_settings(DB_CONN_MAX_AGE="-5")


def test_database_url_for_postgresql_is_parsed(load_settings):
    settings = load_settings(
        DATABASE_URL="postgres://course:s3cret@db.example.com:6543/coursesite"
    )

    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "coursesite"
    assert database["USER"] == "course"
    assert database["PASSWORD"] == "s3cret"
    assert database["HOST"] == "db.example.com"
    assert database["PORT"] == 6543
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert "init_command" not in database.get("OPTIONS", {})


def test_database_url_for_postgresql_without_password_or_port(load_settings):
    settings = load_settings(DATABASE_URL="postgres://postgres@127.0.0.1/test")

    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["HOST"], database["NAME"]) == (
        "postgres",
        "127.0.0.1",
        "test",
    )
    assert not database["PASSWORD"]


def test_database_url_for_another_sqlite_file(load_settings, tmp_path):
    settings = load_settings(DATABASE_URL=f"sqlite:///{tmp_path}/site.db")

    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == f"{tmp_path}/site.db"
    assert (
        database["CONN_MAX_AGE"] == 60
    )  # kept between requests, as for the default file


def test_the_development_server_caches_in_process_without_redis(load_settings):
    settings = load_settings(DEBUG="1")

    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_production_workers_share_a_cache_on_disk_without_redis(
    load_settings, tmp_path
):
    """Invalidations (progress, deactivated accounts) must reach every worker."""
    settings = load_settings(CACHE_DIR=str(tmp_path))

    cache = settings.CACHES["default"]
    assert cache["BACKEND"].endswith("FileBasedCache")
    assert cache["LOCATION"] == str(tmp_path)


def test_redis_url_switches_the_cache_to_redis(load_settings):
    settings = load_settings(REDIS_URL="redis://127.0.0.1:6379/2")

    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"
    # A Redis restart is a cache miss, not an error page.
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def test_allowed_hosts_are_read_as_a_comma_separated_list(load_settings):
    settings = load_settings(ALLOWED_HOSTS="courses.example.com, www.example.com ,")

    assert settings.ALLOWED_HOSTS == ["courses.example.com", "www.example.com"]


def test_production_defaults_are_safe(load_settings):
    settings = load_settings()

    assert settings.DEBUG is False
    assert settings.ALLOWED_HOSTS == []
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    assert "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_debug_accepts_the_usual_true_spellings(load_settings, value):
    settings = load_settings(DEBUG=value, SECRET_KEY="")

    assert settings.DEBUG is True
    assert settings.ALLOWED_HOSTS == ["localhost", "127.0.0.1", "[::1]"]
    assert settings.SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_debug_is_off_for_anything_else(load_settings, value):
    settings = load_settings(DEBUG=value)

    assert settings.DEBUG is False


def test_the_document_size_limit_is_20_mb_unless_set(load_settings, monkeypatch):
    """Issue 11: files over the size limit are refused; the limit is a setting,
    20 MB by default."""
    monkeypatch.delenv("DOCUMENT_MAX_BYTES", raising=False)
    assert load_settings().DOCUMENT_MAX_BYTES == 20_000_000
    assert load_settings(DOCUMENT_MAX_BYTES="5000000").DOCUMENT_MAX_BYTES == 5_000_000
