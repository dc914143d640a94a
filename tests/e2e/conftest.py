"""Fixtures for the journeys in tests/e2e (the browser itself: tests/browser.py)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from lessons.models import Course

SEED_DOCUMENT = Path("content/military-diplomacy-in-south-america.txt")
SEED_SLUG = "military-diplomacy"


@pytest.fixture
def seed_course(transactional_db) -> Course:
    """The course the site ships with, imported the way `make content` does."""
    call_command(
        "import_document",
        str(settings.BASE_DIR / SEED_DOCUMENT),
        "--slug",
        SEED_SLUG,
        "--publish",
        stdout=io.StringIO(),
    )
    return Course.objects.get(slug=SEED_SLUG)
