"""Every cache key, generation and flush of coursesite, in one place (after
Zulip's ``zerver/lib/cache.py``). Nothing else builds a key string.

**Generations, not deletes.** Each family of cached values hangs off a
*generation*: a random token stored in the shared cache under a key named by
primary keys (``gen:course:<pk>``, ``gen:learner:<user pk>:<course pk>``,
``gen:user:<pk>``). Every value is stored under a key that includes the token it
was read under. A write never deletes: once its transaction commits
(``transaction.on_commit``), the flush functions at the bottom SET a new token.
Readers that find no token ``add`` one (never ``set``), before they read the
database. So a request that read rows before a write committed can only store
them under the old token, which nobody reads any more: a late writer cannot put
an old value back under a live key. Tokens are random, so a generation never
comes back (not after a course is deleted and another takes its slug, not after
the token itself was evicted), and keys use primary keys, never slugs (a pk is
never reused). A URL's course slug only leads to a pk through a hint this
process keeps for a few minutes (``course_hint``), which the caller checks
against the course cached under that pk.

Flushes are called by the services that write (``lessons.services``,
``quizzes.services``), never by admin hooks. The one signal is on the user model
(``coursesite.auth``): Django's own views and admin save users, not our services.

**Timeouts everywhere.** Every entry has one (``settings.CACHE_*_SECONDS``):
entries under a dead generation are garbage that the cache drops in time.

**A process-local layer** (``local_get_or_set``) keeps values whose key names a
generation (they never change under it) as unpickled objects, bounded in size and
in age. Objects handed out are shared between requests: never mutate them.

**Fragments** (rendered HTML) carry the version of their templates in the key
(``template_version``): a deploy that changes a template never serves the old
markup from the shared cache.

**Within one request** each generation is read once and then kept for the rest
of the request, so a page is built from one consistent state (and pays one
cache read per generation).
"""

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started, setting_changed
from django.db import transaction
from django.dispatch import receiver

# Bump when the shape of a cached value changes (a dataclass gains a field, ...):
# values pickled by the previous code are then never read.
FORMAT = 1
_PREFIX = f"cs{FORMAT}"
_MISSING = object()


def _seconds(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def content_seconds() -> int:
    """How long course content (lessons, outlines, fragments) is kept."""
    return _seconds("CACHE_CONTENT_SECONDS", 24 * 60 * 60)


def user_seconds() -> int:
    """How long per-user state (progress, quiz figures) is kept."""
    return _seconds("CACHE_USER_SECONDS", 60 * 60)


def auth_user_seconds() -> int:
    """How long the user row is kept (0: not cached)."""
    return _seconds("AUTH_USER_CACHE_SECONDS", 600)


def _generation_seconds() -> int:
    # Outlives what hangs off it, so a live value is not orphaned early.
    return 2 * max(content_seconds(), user_seconds(), auth_user_seconds())


# --------------------------------------------------------------------------
# Generations


def _course_generation_key(course_id: int) -> str:
    return f"{_PREFIX}:gen:course:{course_id}"


def _learner_generation_key(user_id: int, course_id: int) -> str:
    return f"{_PREFIX}:gen:learner:{user_id}:{course_id}"


def _user_generation_key(user_id: int) -> str:
    return f"{_PREFIX}:gen:user:{user_id}"


def _new_token() -> str:
    return secrets.token_hex(8)


_request = threading.local()


@receiver(request_started, dispatch_uid="coursesite-cache-request-started")
def _request_begins(**kwargs) -> None:
    _request.generations = {}


@receiver(request_finished, dispatch_uid="coursesite-cache-request-finished")
def _request_ends(**kwargs) -> None:
    _request.generations = None


def _generation(key: str) -> str:
    """The current token under ``key``; a new one if there is none.

    Called before the database is read for a value: a write that commits after
    this point sets a new token, so the value stored under this one is dead.
    """
    memo = getattr(_request, "generations", None)
    if memo is not None:
        token = memo.get(key)
        if token is not None:
            return token
    token = cache.get(key)
    if token is None:
        token = _new_token()
        # add, never set: a token set by a write that just committed wins.
        if not cache.add(key, token, _generation_seconds()):
            token = cache.get(key) or token
    if memo is not None:
        memo[key] = token
    return token


def _renew(keys: list[str]) -> None:
    """Set new tokens once the current transaction commits (at once outside one)."""

    def renew():
        cache.set_many({key: _new_token() for key in keys}, _generation_seconds())
        memo = getattr(_request, "generations", None)
        if memo is not None:
            for key in keys:
                memo.pop(key, None)

    transaction.on_commit(renew)


# --------------------------------------------------------------------------
# The process-local layer

_local: dict[str, tuple[float, Any]] = {}
_clock = time.monotonic


def _local_limits() -> tuple[int, float]:
    return (
        _seconds("CACHE_LOCAL_MAX_ENTRIES", 2048),
        _seconds("CACHE_LOCAL_SECONDS", 5 * 60),
    )


def local_get_or_set(key: str, build: Callable[[], Any], *, timeout=None) -> Any:
    """The value under ``key`` (which must name a generation), from this process,
    else from the shared cache, else built and stored in both."""
    entry = _local.get(key)
    if entry is not None and entry[0] > _clock():
        return entry[1]
    value = _shared_get_or_set(key, build, timeout or content_seconds())
    _local_put(key, value)
    return value


def _local_put(key: str, value: Any) -> None:
    max_entries, local_seconds = _local_limits()
    while len(_local) >= max_entries:
        try:
            # The oldest entry goes first (dicts keep insertion order).
            _local.pop(next(iter(_local)), None)
        except (RuntimeError, StopIteration):  # another thread changed it
            _local.clear()
    _local[key] = (_clock() + local_seconds, value)


def _shared_get_or_set(key: str, build: Callable[[], Any], timeout: int) -> Any:
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    return value


def local_clear() -> None:
    """Forget the process-local layer (a new process; tests, between databases)."""
    _local.clear()
    _request.generations = None


def local_size() -> int:
    return len(_local)


# --------------------------------------------------------------------------
# Template versions (fragment keys)

_INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")
_template_versions: dict[str, str] = {}


def template_version(name: str) -> str:
    """A digest of the template's source and of the templates it includes, as
    this process loaded them (computed once per process)."""
    version = _template_versions.get(name)
    if version is None:
        from django.template.loader import get_template

        digest = hashlib.sha256()
        seen: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            source = get_template(current).template.source
            digest.update(current.encode() + b"\0" + source.encode() + b"\0")
            pending.extend(_INCLUDE.findall(source))
        version = _template_versions[name] = digest.hexdigest()[:16]
    return version


@receiver(setting_changed, dispatch_uid="coursesite-cache-templates-changed")
def _templates_changed(*, setting, **kwargs) -> None:
    if setting == "TEMPLATES":
        _template_versions.clear()


# --------------------------------------------------------------------------
# Course content: everything that changes only when a course's content does

OUTLINE_TEMPLATE = "includes/_outline.html"
SYLLABUS_TEMPLATE = "includes/_syllabus.html"
QUESTION_TEMPLATE = "quizzes/_question.html"


def _content_key(course_id: int, *parts) -> str:
    token = _generation(_course_generation_key(course_id))
    return ":".join([f"{_PREFIX}:course:{course_id}:{token}", *map(str, parts)])


def course_content(course_id: int, *parts, build: Callable[[], Any]) -> Any:
    """A value read from a course's content (``parts`` name it: ``"outline",
    "pub"``, ``"lesson", 12``, ...), kept until the course's content changes."""
    return local_get_or_set(_content_key(course_id, *parts), build)


def course_fragment(
    course_id: int, template_name: str, *parts, build: Callable[[], str]
) -> str:
    """Markup rendered from ``template_name`` and a course's content, kept until
    the content or the template changes (``parts`` name the language, ...)."""
    key = _content_key(course_id, "html", template_version(template_name), *parts)
    return local_get_or_set(key, build)


def site_fragment(template_name: str, *parts, build: Callable[[], str]) -> str:
    """Markup that depends on nothing but its template and ``parts`` (the
    language, the kind of visitor, ...): the page chrome. Kept like content
    fragments, under the template's version instead of a generation."""
    key = ":".join(
        [f"{_PREFIX}:site", template_name, template_version(template_name)]
        + [str(part) for part in parts]
    )
    return local_get_or_set(key, build)


def course_hint(slug: str) -> int | None:
    """The pk of the course a slug named lately, in this process (a hint: callers
    check it against the course as cached under its pk)."""
    entry = _local.get(f"{_PREFIX}:slug:{slug}")
    return entry[1] if entry is not None and entry[0] > _clock() else None


def course_hint_remember(slug: str, course_id: int) -> None:
    _local_put(f"{_PREFIX}:slug:{slug}", course_id)


# --------------------------------------------------------------------------
# Per user


def learner_data(
    user_id: int, course_id: int, *parts, build: Callable[[], Any], content=False
) -> Any:
    """A user's state in a course (``parts`` name it), kept until one of the
    lessons or quizzes services changes it; with ``content``, also until the
    course's content changes (what it holds depends on which quizzes exist)."""
    token = _generation(_learner_generation_key(user_id, course_id))
    key = f"{_PREFIX}:learner:{user_id}:{course_id}:{token}:" + ":".join(
        map(str, parts)
    )
    if content:
        key = f"{key}:{_generation(_course_generation_key(course_id))}"
    return _shared_get_or_set(key, build, user_seconds())


def user_row(user_id: int, build: Callable[[], Any]) -> Any:
    """The user row (for the authentication backend), kept until it is saved.
    Never kept in the process-local layer: views may change ``request.user``."""
    seconds = auth_user_seconds()
    if not seconds:
        return build()
    token = _generation(_user_generation_key(user_id))
    key = f"{_PREFIX}:user:{user_id}:{token}"
    user = cache.get(key)
    if user is None:
        user = build()
        if user is not None:
            cache.set(key, user, seconds)
    return user


def attempt_page_html(responses, language: str, build: Callable[[], str]) -> str:
    """The markup of a page of an attempt's questions while answering. It depends
    only on the responses (pk: their frozen questions; the sequence and time of
    their last answer; their flag) and the template, so it needs no invalidation."""
    state = ",".join(
        f"{r.pk}:{r.sequence}:{r.answered_at.timestamp() if r.answered_at else 0}"
        f":{int(r.flagged)}"
        for r in responses
    )
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    key = (
        f"{_PREFIX}:attempt-page:{template_version(QUESTION_TEMPLATE)}:"
        f"{digest}:{language}"
    )
    return _shared_get_or_set(key, build, user_seconds())


def markup_for_state(
    template_name: str, state: str, language: str, build: Callable[[], str]
) -> str:
    """Markup that depends only on ``state`` (a text naming everything it shows,
    e.g. ``CourseGrades.shown_state``), the language and the template: no
    invalidation needed, a new state is a new key."""
    digest = hashlib.sha256(state.encode()).hexdigest()[:32]
    key = (
        f"{_PREFIX}:markup:{template_name}:{template_version(template_name)}:"
        f"{digest}:{language}"
    )
    return _shared_get_or_set(key, build, user_seconds())


# --------------------------------------------------------------------------
# Flushes: called by services; they take effect when the transaction commits


def course_content_changed(course_ids: Iterable[int]) -> None:
    """The content of these courses changed (or they were deleted)."""
    keys = [_course_generation_key(pk) for pk in sorted(set(course_ids)) if pk]
    if keys:
        _renew(keys)


def learner_changed(*, user_id: int, course_id: int) -> None:
    """A user's enrolment, progress or attempts in a course changed."""
    _renew([_learner_generation_key(user_id, course_id)])


def user_changed(user_id: int) -> None:
    """The user row changed (or was deleted)."""
    _renew([_user_generation_key(user_id)])
