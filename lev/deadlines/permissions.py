"""Who may use the deadline lists: the active school's director and deputy director see the school's
deadlines; the board role sees the board-only deadlines of its board(s)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lev.schools.access import AccessContext
from lev.schools.models import Board, School

from .selectors import may_list_board, may_list_school


@dataclass(frozen=True)
class ListScopes:
    school: School | None = None
    boards: list[Board] = field(default_factory=list)


def list_scopes(ctx: AccessContext) -> ListScopes:
    school = ctx.active_school if may_list_school(ctx, ctx.active_school) else None
    boards = sorted((b for b in ctx.boards if may_list_board(ctx, b)), key=lambda b: b.name)
    return ListScopes(school=school, boards=boards)
