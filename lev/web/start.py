"""What each role's start page shows: what needs their attention (UX.md).

Each section is built by a provider; process issues add providers for their own work (signals to
read, approvals waiting, deadlines). A section with nothing in it shows an empty state that says
what will appear there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from lev.schools.access import AccessContext
from lev.schools.models import Role


@dataclass
class StartSection:
    key: str
    title: str | Promise
    empty: str | Promise
    items: list[dict[str, Any]] = field(default_factory=list)
    action_label: str | Promise | None = None
    action_url: str | None = None


Provider = Callable[[AccessContext], StartSection | None]
PROVIDERS: dict[str, list[Provider]] = {}


def provides(*roles: str) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        for role in roles:
            PROVIDERS.setdefault(role, []).append(fn)
        return fn

    return register


def start_sections(ctx: AccessContext) -> list[StartSection]:
    sections: list[StartSection] = []
    seen: set[str] = set()
    for role in Role:
        if role not in ctx.roles:
            continue
        for provider in PROVIDERS.get(role, []):
            section = provider(ctx)
            if section is not None and section.key not in seen:
                seen.add(section.key)
                sections.append(section)
    return sections
