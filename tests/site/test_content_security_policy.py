"""Every page carries a Content-Security-Policy without 'unsafe-inline', and no
template needs inline script or style (tests/e2e/test_content_security_policy.py
checks the pages in Chromium)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/password_reset/", "/admin/login/"]
)
def test_pages_carry_the_policy(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == EXPECTED


def test_pages_of_a_logged_in_student_carry_the_policy(student_client, course):
    response = student_client.get(reverse("lessons:my-learning"))

    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert directives(response["Content-Security-Policy"]) == EXPECTED


INLINE = [
    ("a style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("a <style> element", re.compile(r"<style[\s>]", re.I)),
    ("an inline <script>", re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)),
    ("an inline event handler", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("a javascript: URL", re.compile(r"javascript:", re.I)),
]


@pytest.mark.parametrize(
    "template",
    sorted(TEMPLATES.rglob("*.html")),
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_no_template_needs_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")

    found = [what for what, pattern in INLINE if pattern.search(text)]

    assert not found, f"{template.relative_to(TEMPLATES)} has {', '.join(found)}"


def test_lesson_images_from_other_hosts_are_allowed_once_listed():
    show = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", show],
        cwd=TEMPLATES.parent,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "coursesite.settings",
            "DEBUG": "1",
            "CSP_IMG_SOURCES": "https://images.example.org, https://cdn.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "'self'",
        "data:",
        "https://images.example.org",
        "https://cdn.example.org",
    ]
