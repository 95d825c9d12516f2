"""The board's decision page ("Besluiten", UX.md): each measure module adds its section.

A section lists what waits for the board's decision, or what the board must see (a time-out the
director approved alone, with the reason), for the board of BOARD. Sources register themselves from
`EscalationConfig.ready`; the page shows them in ORDER.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from lev.schools.access import AccessContext
from lev.schools.models import Board


@dataclass(frozen=True)
class BoardItem:
    """One line: the school, the pupil, what it is, the date that matters and where to decide."""

    school: str
    pupil: str
    what: str
    when: str
    url: str
    waiting: bool = True  # waits for the board's decision (False: for information)


@dataclass(frozen=True)
class BoardSection:
    key: str
    title: str | Promise
    empty: str | Promise
    items: list[BoardItem] = field(default_factory=list)


BoardSource = Callable[[AccessContext, Board], BoardSection]
_SOURCES: dict[str, tuple[int, BoardSource]] = {}


def register_board_section(order: int, source: BoardSource) -> None:
    _SOURCES[f"{source.__module__}.{source.__qualname__}"] = (order, source)


def board_sections(ctx: AccessContext, board: Board) -> list[BoardSection]:
    return [source(ctx, board) for _order, source in sorted(_SOURCES.values(), key=lambda item: item[0])]
