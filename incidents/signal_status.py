"""What other apps add to a signal's pages (registered from their `AppConfig.ready`, so incidents
imports none of them):

- a **status for its author**: what became of the signal, in the words the author may see (the
  Meldcode tells the teacher only "in behandeling bij de IB" or "afgerond"); a source is
  `fn(signal_ids) -> {signal id: text}`;
- **actions for the school's lead** on the signal page (open a Meldcode case for a pupil); a source
  is `fn(ctx, signal) -> [SignalAction]`, empty when this viewer may not use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lev.schools.access import AccessContext

from .models import Signal


@dataclass(frozen=True)
class SignalAction:
    label: str
    url: str


StatusSource = Callable[[list[int]], dict[int, str]]
ActionSource = Callable[[AccessContext, Signal], list[SignalAction]]
_STATUS: dict[str, StatusSource] = {}
_ACTIONS: dict[str, ActionSource] = {}


def register_signal_status(source: StatusSource) -> None:
    _STATUS[f"{source.__module__}.{source.__qualname__}"] = source


def register_signal_action(source: ActionSource) -> None:
    _ACTIONS[f"{source.__module__}.{source.__qualname__}"] = source


def author_statuses(signals: Iterable[Signal]) -> dict[int, list[str]]:
    """signal id -> the status lines its author sees (only call this for the author's own signals)."""
    ids = [signal.pk for signal in signals]
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for source in _STATUS.values():
        for signal_id, text in source(ids).items():
            found.setdefault(signal_id, []).append(text)
    return found


def signal_actions(ctx: AccessContext, signal: Signal) -> list[SignalAction]:
    return [action for source in _ACTIONS.values() for action in source(ctx, signal)]
