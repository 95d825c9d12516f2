"""Where a deadline belongs: the page of the record whose term it is, for the deadline's own page.

The process apps register a resolver from their `AppConfig.ready` (the foundation never imports
them): `fn(ctx, deadline) -> SubjectLink | None`, None when the resolver does not know the
deadline's subject or the reader may not open it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lev.schools.access import AccessContext

from .models import Deadline


@dataclass(frozen=True)
class SubjectLink:
    label: str
    url: str


Resolver = Callable[[AccessContext, Deadline], "SubjectLink | None"]
_RESOLVERS: dict[str, Resolver] = {}


def register_subject_link(resolver: Resolver) -> None:
    _RESOLVERS[f"{resolver.__module__}.{resolver.__qualname__}"] = resolver


def subject_link(ctx: AccessContext, deadline: Deadline) -> SubjectLink | None:
    for resolver in _RESOLVERS.values():
        found: Any = resolver(ctx, deadline)
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None
