"""Browser fixtures shared by every browser test (tests/e2e, tests/teach):
headless Chromium driven by Playwright, loaded as a plugin by tests/conftest.py.

One Chromium runs for the whole module and each test gets a fresh browser context
(its own cookies), talking to pytest-django's ``live_server``.
"""

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# The test machines have no network: without these Chromium stalls on start-up
# trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def find_chromium() -> str | None:
    """$CHROMIUM_PATH if set, else the first Chromium on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return shutil.which(configured)
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        where = (
            f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']!r} is not an executable"
            if os.environ.get("CHROMIUM_PATH")
            else f"none of {', '.join(CHROMIUM_NAMES)} is on PATH"
        )
        message = (
            f"Chromium not found ({where}). Install it with "
            "`apt-get install chromium`, or point CHROMIUM_PATH at a Chrome/Chromium "
            "binary."
        )
        if _running_in_ci():
            # A CI run that silently skips its browser tests proves nothing.
            pytest.fail(f"CI is set, so browser tests must run: {message}", False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def chromium(chromium_executable) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which
    # makes Django refuse ORM calls from the test (fixtures, database flush). The
    # ORM is still used synchronously, so the check is switched off, but only
    # while Playwright runs: the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server) -> Iterator:
    """A fresh tab with its own cookies, wide enough for the expanded navbar."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page, username: str) -> None:
    """Sign a factory user in through the login form, and wait to leave it."""
    import re

    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
