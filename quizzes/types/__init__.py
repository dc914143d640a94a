"""The registry of question types: one module per type, found by name.

``get("single")`` gives the type's object (a ``base.QuestionType``), ``all_types()``
every type in order (the order of ``BUILTIN`` first, then any registered later),
``names()`` their names. The built-in modules are imported on first use, so that
the pure modules they use (``grading``) may import this package at their top.

Adding a type is one new module here that ends with ``register(MyType())`` (or
decorates its class with ``@register``), plus its name in ``BUILTIN``. The
interface is documented in ``base.py``.
"""

from __future__ import annotations

import importlib
import threading

from quizzes.types.base import QuestionType

# The built-in types, in the order menus, help and exports list them.
BUILTIN = (
    "single",
    "multiple",
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "ordering",
    "essay",
    "description",
    "cloze",
)

_registry: dict[str, QuestionType] = {}
_loaded = False
_loading = False
_lock = threading.RLock()


def register(qtype):
    """Register a type (an instance, or a class, which is instantiated).

    Returns its argument, so it can decorate a class. Registering a name again
    replaces the earlier type (in its place in the order).
    """
    instance = qtype() if isinstance(qtype, type) else qtype
    if not isinstance(instance, QuestionType) or not instance.name:
        raise TypeError(f"{qtype!r} is not a QuestionType with a name")
    if not _loading:
        _load()  # the built-ins come first in the order
    with _lock:
        _registry[instance.name] = instance
    return qtype


def unregister(name: str) -> None:
    """Remove a type (for tests that register a fake one)."""
    with _lock:
        _registry.pop(name, None)


def _load() -> None:
    global _loaded, _loading
    if _loaded:
        return
    with _lock:
        if _loaded or _loading:
            return
        _loading = True
        try:
            for module in BUILTIN:
                importlib.import_module(f"quizzes.types.{module}")
        finally:
            _loading = False
        _loaded = True


def get(name: str) -> QuestionType:
    """The type called ``name``; ``KeyError`` for an unknown one."""
    _load()
    return _registry[name]


def find(name) -> QuestionType | None:
    """The type called ``name``, or None (also for a name that is not a str)."""
    _load()
    return _registry.get(name) if isinstance(name, str) else None


def all_types() -> list[QuestionType]:
    """Every registered type: the built-ins in ``BUILTIN`` order, then the rest."""
    _load()
    return list(_registry.values())


def names() -> list[str]:
    return [qtype.name for qtype in all_types()]
