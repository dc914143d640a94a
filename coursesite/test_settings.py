"""Settings for the test suite: the real settings, with a throwaway secret key,
a fast password hasher and plain static file storage (no collectstatic needed)."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key-not-for-production-use-1234")

from coursesite.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the finders without a collectstatic run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The live server for browser tests speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Query-count tests compare requests made one after another; a user row cached by
# the first would make the second look cheaper. The ``caches_on`` fixture
# (tests/conftest.py) turns it back on, to run every cache as in production.
AUTH_USER_CACHE_SECONDS = 0

# Tests run against an SQLite *file*, as the site does: an in-memory database is
# shared between threads through SQLite's shared cache, which refuses a second
# writer at once instead of waiting, so the concurrency tests could not run on it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    # One file per test run, so parallel runs never share (and delete) it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }

# One process: the in-process cache (each test clears it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "coursesite-tests",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
