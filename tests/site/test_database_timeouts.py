"""Database connect and statement timeouts come from the environment, with sane
defaults, so a database that never answers cannot hold a worker for long."""

import json
import os
import subprocess
import sys

from tests.site.test_settings import PROJECT_DIR

PRINT_OPTIONS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)
POSTGRES_URL = "postgres://coursesite:secret@127.0.0.1:5432/coursesite"


def database_options(**env) -> dict:
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "coursesite.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DEBUG": "1",
    }
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgres_gets_a_connect_and_a_statement_timeout_by_default():
    options = database_options(DATABASE_URL=POSTGRES_URL)

    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=30000"


def test_postgres_timeouts_come_from_the_environment():
    options = database_options(
        DATABASE_URL=POSTGRES_URL, DB_CONNECT_TIMEOUT="3", DB_STATEMENT_TIMEOUT="7.5"
    )

    assert options["connect_timeout"] == 3
    assert options["options"] == "-c statement_timeout=7500"


def test_sqlite_busy_timeout_follows_the_statement_timeout():
    options = database_options(DB_STATEMENT_TIMEOUT="12")

    assert options["timeout"] == 12


def test_a_timeout_that_is_not_a_positive_number_refuses_to_start():
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "coursesite.settings",
        "DEBUG": "1",
        "DB_CONNECT_TIMEOUT": "soon",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        cwd=PROJECT_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DB_CONNECT_TIMEOUT must be a positive number" in result.stderr
