"""The access context of one request: which memberships the user holds today.

Memberships are read on every request, so a move, role change or leaving takes effect at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models import BOARD_WIDE_ROLES, Board, Membership, Role, School


@dataclass
class AccessContext:
    user: Any
    memberships: list[Membership] = field(default_factory=list)
    active_school: School | None = None

    @property
    def schools(self) -> list[School]:
        seen: dict[int, School] = {}
        for m in self.memberships:
            if m.school is not None:
                seen.setdefault(m.school.pk, m.school)
        return sorted(seen.values(), key=lambda s: s.name)

    @property
    def boards(self) -> list[Board]:
        seen: dict[int, Board] = {}
        for m in self.memberships:
            seen.setdefault(m.board.pk, m.board)
        return list(seen.values())

    @property
    def active_board(self) -> Board | None:
        if self.active_school is not None:
            return self.active_school.board
        boards = self.boards
        return boards[0] if boards else None

    def roles_at(self, school: School | int | None) -> frozenset[str]:
        school_id = school.pk if isinstance(school, School) else school
        return frozenset(
            m.role for m in self.memberships if m.school_id is not None and m.school_id == school_id
        )

    def board_roles(self, board: Board | int | None = None) -> frozenset[str]:
        board_id = board.pk if isinstance(board, Board) else board
        return frozenset(
            m.role
            for m in self.memberships
            if m.role in BOARD_WIDE_ROLES and (board_id is None or m.board_id == board_id)
        )

    @property
    def roles(self) -> frozenset[str]:
        """Roles in effect: those at the active school plus the board-wide ones."""
        return self.roles_at(self.active_school) | self.board_roles(self.active_board)

    def has_role(self, *roles: str, school: School | None = None) -> bool:
        held = self.roles if school is None else self.roles_at(school) | self.board_roles(school.board_id)
        return any(r in held for r in roles)

    @property
    def primary_role(self) -> str | None:
        """The role whose start page and navigation the user sees first."""
        order = [
            Role.DIRECTOR,
            Role.DEPUTY_DIRECTOR,
            Role.CARE_COORDINATOR,
            Role.TEACHER,
            Role.CONFIDANT,
            Role.STAFF,
            Role.BOARD,
            Role.PRIVACY_OFFICER,
            Role.FUNCTIONAL_ADMIN,
        ]
        held = self.roles
        return next((r.value for r in order if r in held), None)


def build_access_context(user: Any, *, today: date, active_school_id: int | None) -> AccessContext:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessContext(user=user)
    memberships = list(
        Membership.objects.active_on(today)
        .filter(user=user)
        .select_related("school", "school__board", "board")
    )
    ctx = AccessContext(user=user, memberships=memberships)
    schools = ctx.schools
    ctx.active_school = next(
        (s for s in schools if s.pk == active_school_id), schools[0] if schools else None
    )
    return ctx
