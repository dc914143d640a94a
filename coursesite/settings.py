"""Settings for coursesite, read from the environment.

Every knob a deployment needs comes from an environment variable, so the same code
runs on a laptop (SQLite, DEBUG on) and behind gunicorn on PostgreSQL:

SECRET_KEY     required when DEBUG is off (the site refuses to start without one)
DEBUG          "1"/"true" turns debug mode on (default: off)
ALLOWED_HOSTS  comma-separated host names (default with DEBUG: localhost, 127.0.0.1)
DATABASE_URL   e.g. postgres://user@127.0.0.1:5432/coursesite (default: SQLite file
               db.sqlite3 in the project folder)
REDIS_URL      e.g. redis://127.0.0.1:6379/0 (optional cache; default: in-process
               with DEBUG, else a cache on disk shared by the workers: CACHE_DIR)
"""

import sysconfig
from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from coursesite.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

_INSECURE_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", default="")
if (
    not SECRET_KEY
    or SECRET_KEY == _INSECURE_KEY
    or SECRET_KEY.startswith("django-insecure")
):
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off coursesite refuses to start "
            "without a real secret key: set the SECRET_KEY environment variable to a "
            "long random string (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=1 for development."
        )
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [],
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "coursesite",
    "lessons",
    "quizzes",
    "teach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coursesite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "coursesite.wsgi.application"


def _env_conn_max_age() -> int:
    raw = env_str("DB_CONN_MAX_AGE", default="").strip()
    if not raw:
        return 60
    if not raw.isdigit():
        raise ImproperlyConfigured(
            f"DB_CONN_MAX_AGE must be a whole number of seconds, not {raw!r}."
        )
    return int(raw)


# Connections are kept between requests (0: a new one for each request), on
# SQLite as on PostgreSQL: a gunicorn sync worker serves one request at a time on
# one thread, and Django keeps one connection per thread (runserver's threads and
# gthread workers each keep their own). Health checks replace a dead one before
# a request uses it. Why this is safe: docs/scaling.md, "Connections".
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=_env_conn_max_age(),
        conn_health_checks=True,
    )
}


def _env_positive(name: str, *, default: float) -> float:
    raw = env_str(name, default="").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number, not {raw!r}.")
    return value


# A database that accepts connections but never answers must not hold a worker for
# long: connecting gives up after DB_CONNECT_TIMEOUT, a statement is cancelled by
# the server after DB_STATEMENT_TIMEOUT (SQLite: how long to wait for a lock).
DB_CONNECT_TIMEOUT = _env_positive("DB_CONNECT_TIMEOUT", default=5)
DB_STATEMENT_TIMEOUT = _env_positive("DB_STATEMENT_TIMEOUT", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # libpq counts whole seconds; below one it means "no limit".
            "connect_timeout": max(1, round(DB_CONNECT_TIMEOUT)),
            "options": f"-c statement_timeout={round(DB_STATEMENT_TIMEOUT * 1000)}",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at the same time; the busy timeout makes
    # a second writer wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": DB_STATEMENT_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis, to ride out a Redis restart: a failed cache call is a miss
    # (IGNORE_EXCEPTIONS), so pages are built from the database and sessions
    # (cached_db) read from it until Redis answers again. Short socket timeouts keep
    # a Redis that hangs from holding a request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coursesite",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
elif DEBUG:
    # The development server is one process: an in-process cache is enough.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "coursesite",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
else:
    # Several gunicorn workers must see each other's invalidations (a student's
    # progress, a deactivated account, an unpublished lesson): without Redis they
    # share a cache on disk. Several hosts need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", default=str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks (django-tasks, coursesite/jobs.py). Without a worker (the embedded
# default, `make run`, the tests) a task runs at once, inside the request that
# enqueued it. TASKS_BACKEND=database queues them in the database instead, for a
# worker process: `python manage.py db_worker` (README).
TASKS_BACKEND = env_str("TASKS_BACKEND", default="immediate").strip().lower()
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'immediate' or 'database', not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
# A job whose worker stopped (killed, restarted) is queued again by
# `manage.py requeue_jobs` once it has shown no progress for this long.
JOB_STALE_SECONDS = int(_env_positive("JOB_STALE_SECONDS", default=120))
# Exports of more rows than this are written to a file by a task; smaller ones
# stream at once.
EXPORT_DIRECT_MAX_ROWS = int(_env_positive("EXPORT_DIRECT_MAX_ROWS", default=5000))
# The dry run of a regrade touching more attempts than this is computed by a task
# and kept (teach/dry_run.py); a smaller one is computed in the page's request.
REGRADE_DIRECT_MAX_ATTEMPTS = int(
    _env_positive("REGRADE_DIRECT_MAX_ATTEMPTS", default=100)
)
# Question banks and documents uploaded in the staff pages of more bytes than this
# are read and imported by a task (the file kept in the default storage, so any
# worker reads it); smaller ones in the request.
IMPORT_DIRECT_MAX_BYTES = int(
    _env_positive("IMPORT_DIRECT_MAX_BYTES", default=1_000_000)
)
# How long coursesite.cache keeps what it stores (every entry has a timeout):
# course content (lessons, outlines, fragments), per-user state (progress, quiz
# figures), the user row, and the process-local layer in front of the cache.
CACHE_CONTENT_SECONDS = 24 * 60 * 60
CACHE_USER_SECONDS = 60 * 60
AUTH_USER_CACHE_SECONDS = 10 * 60
CACHE_LOCAL_SECONDS = 5 * 60
CACHE_LOCAL_MAX_ENTRIES = 2048

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password check.
    "axes.backends.AxesStandaloneBackend",
    "coursesite.auth.CachedModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lessons:my-learning"
LOGOUT_REDIRECT_URL = "lessons:catalogue"

# Login throttling (django-axes), on the site's login page and the admin's alike:
# after LOGIN_FAILURE_LIMIT wrong passwords for one account (from any address, and
# for that account from one address) the account is locked for
# LOGIN_LOCKOUT_MINUTES. A successful login clears its failures. An admin lifts a
# lock earlier by deleting it under "Axes > Access attempts", or with
# `manage.py axes_reset_username USERNAME`. Not by address alone: behind the TLS
# proxy every client has the proxy's address, and one would lock out everybody.
LOGIN_FAILURE_LIMIT = int(_env_positive("LOGIN_FAILURE_LIMIT", default=5))
LOGIN_LOCKOUT_MINUTES = _env_positive("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coursesite.views.locked_out"
# Failures are what locks need; a row for every successful login is not kept.
AXES_DISABLE_ACCESS_LOG = True
# The lock itself is logged; the start-up banner on every manage.py command is noise.
AXES_VERBOSE = False
# The header the TLS proxy puts the client's address in (e.g. X-Real-IP): throttling
# counts per client address, and without it every client has the proxy's.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", default="")
AXES_CLIENT_IP_CALLABLE = "coursesite.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "coursesite.client_ip.client_ip"
# Password-reset mail: at most this many per e-mail address and per client address
# an hour (coursesite.views.ThrottledPasswordResetView).
PASSWORD_RESET_MAILS_PER_ADDRESS = int(
    _env_positive("PASSWORD_RESET_MAILS_PER_ADDRESS", default=3)
)
PASSWORD_RESET_MAILS_PER_CLIENT = int(
    _env_positive("PASSWORD_RESET_MAILS_PER_CLIENT", default=10)
)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's CSS and JS come from the xstatic-bootstrap package: no CDN.
    (
        "bootstrap",
        Path(sysconfig.get_paths()["purelib"]) / "xstatic/pkg/bootstrap/data",
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="coursesite@localhost")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from our own static
# files, no inline script, style or event handler anywhere (JavaScript is wired by
# data- attributes from static/js), so injected markup cannot run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        # Lessons may show images from other hosts only once they are listed.
        "img-src": [csp.SELF, "data:", *env_list("CSP_IMG_SOURCES", default=[])],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # django-axes logs every successful login at INFO; lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Markdown the site accepts (lessons, questions): longer or more deeply nested text
# is refused with a message (lessons/markdown_guard.py).
MARKDOWN_MAX_CHARS = 100_000
MARKDOWN_MAX_DEPTH = 20

# Documents instructors import from the staff area (lessons/document_import.py):
# larger uploads are refused with a message. An upload waits for its import in the
# default storage under imports/ for DOCUMENT_IMPORT_HOLD_SECONDS. Pasted text is
# bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) like any form field;
# uploaded files above FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file.
DOCUMENT_MAX_BYTES = int(_env_positive("DOCUMENT_MAX_BYTES", default=20_000_000))
DOCUMENT_IMPORT_HOLD_SECONDS = 3600
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Uploaded and imported files (a document's images, lessons/media.py) are served
# from MEDIA_URL: by Django in development (DEBUG), by the proxy in production.
MEDIA_URL = env_str("MEDIA_URL", default="/media/")
# A document's images: larger ones, or ones of more pixels, are refused (the
# preview names them; the lesson shows their alt text).
DOCUMENT_IMAGE_MAX_BYTES = int(
    _env_positive("DOCUMENT_IMAGE_MAX_BYTES", default=5_000_000)
)
DOCUMENT_IMAGE_MAX_PIXELS = 40_000_000
