"""Handlers for outbox items, by kind.

An app registers a handler next to the service it belongs to::

    @job_handler("email.privileged_grant")
    def notify_privileged_grant(membership_id: int, now: datetime | None = None) -> int: ...

The handler is called as `handler(**payload, now=now)`. Payloads hold ids only, so a handler
reads what it needs from the database when it runs. Handlers must be idempotent: an item can
run more than once (a worker that dies after the side effect but before the item is marked
done), never less.

Worker processes do not import every module the web process imports, so the first lookup
imports the `handlers` and `services` modules of every LEV app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

DEFAULT_MAX_ATTEMPTS = 8

F = TypeVar("F", bound=Callable[..., Any])
H = TypeVar("H", bound=Callable[[datetime], int])


@dataclass(frozen=True)
class Handler:
    kind: str
    func: Callable[..., Any]
    max_attempts: int = DEFAULT_MAX_ATTEMPTS


_HANDLERS: dict[str, Handler] = {}
_discovered = False
_lock = threading.Lock()


def job_handler(kind: str, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Callable[[F], F]:
    """Register `func` as the handler for outbox items of `kind`. Returns `func` unchanged."""

    def decorator(func: F) -> F:
        existing = _HANDLERS.get(kind)
        name = f"{func.__module__}.{func.__qualname__}"
        if existing is not None and f"{existing.func.__module__}.{existing.func.__qualname__}" != name:
            raise ValueError(f"Job kind {kind!r} is already registered to another handler.")
        _HANDLERS[kind] = Handler(kind=kind, func=func, max_attempts=max_attempts)
        return func

    return decorator


_HOUSEKEEPING: dict[str, Callable[[datetime], int]] = {}


def housekeeping(name: str) -> Callable[[H], H]:
    """Register `func(now) -> count` to run with every housekeeping round (a purge of what LEV
    must not keep, such as expired drafts). It must be cheap and idempotent."""

    def decorator(func: H) -> H:
        _HOUSEKEEPING[name] = func
        return func

    return decorator


def housekeeping_tasks() -> dict[str, Callable[[datetime], int]]:
    discover()
    return dict(_HOUSEKEEPING)


def discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if not _discovered:
            base = Path(settings.BASE_DIR).resolve()
            for config in apps.get_app_configs():
                path = Path(config.path).resolve()
                if not path.is_relative_to(base) or "site-packages" in path.parts:
                    continue  # only LEV's own apps register handlers
                for name in ("handlers", "services"):
                    if module_has_submodule(config.module, name):
                        import_module(f"{config.name}.{name}")
            _discovered = True


def get_handler(kind: str) -> Handler | None:
    discover()
    return _HANDLERS.get(kind)


def registered_kinds() -> list[str]:
    discover()
    return sorted(_HANDLERS)
