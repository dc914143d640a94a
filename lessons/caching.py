"""A process-local layer in front of the shared cache, for values whose cache key
names a content version.

Such a value never changes under its key (a new version gets a new key), so each
worker process can keep the unpickled object and skip the shared cache (and the
cost of unpickling) on the next request. The local layer is small and simply
emptied when full. Objects handed out are shared between requests: never mutate
them.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

LOCAL_MAX_ENTRIES = 2048
_MISSING = object()
_local: dict[str, Any] = {}


def get_versioned(key: str, build: Callable[[], Any], *, timeout=None) -> Any:
    """The value under ``key`` (which must include a content version)."""
    value = _local.get(key, _MISSING)
    if value is not _MISSING:
        return value
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    if len(_local) >= LOCAL_MAX_ENTRIES:
        _local.clear()
    _local[key] = value
    return value


def clear_local() -> None:
    """Forget the process-local layer (tests do, between databases)."""
    _local.clear()
