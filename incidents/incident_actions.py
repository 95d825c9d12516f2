"""Actions other apps offer on the incident page (registered from their `AppConfig.ready`), so the
rule who may use them stays in the app that owns it and incidents imports none of those apps.

An action source is `fn(ctx, incident) -> IncidentAction | None`; None when this viewer may not use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lev.schools.access import AccessContext

from .models import Incident


@dataclass(frozen=True)
class IncidentAction:
    label: str
    url: str


IncidentActionSource = Callable[[AccessContext, Incident], "IncidentAction | None"]
_SOURCES: dict[str, IncidentActionSource] = {}


def register_incident_action(source: IncidentActionSource) -> None:
    _SOURCES[f"{source.__module__}.{source.__qualname__}"] = source


def incident_actions(ctx: AccessContext, incident: Incident) -> list[IncidentAction]:
    found = (source(ctx, incident) for source in _SOURCES.values())
    return [action for action in found if action is not None]
