"""Who sees which letters (ARCHITECTURE.md §4).

- The care coordinator, director and deputy director of a school see that school's letters.
- A board member sees the letters the board decides (verwijdering, decisions on bezwaar, and a
  schorsing the board decides) — the "decision pages of cases submitted to it" — of the board's
  schools, once they are submitted.
- Everyone else of the school gets 403 (a letter's existence is not confidential within the
  school); a letter of another school or board answers 404, exactly like a missing one.
Reading a letter about a pupil is access-logged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Role, School

from .letter_models import Letter, LetterStatus
from .letter_services import board_decided_q

SCHOOL_LETTER_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})


def may_list_school_letters(ctx: AccessContext, school: School | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & SCHOOL_LETTER_ROLES)


def _board_ids(ctx: AccessContext) -> list[int]:
    return [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]


def board_letters_q(board_ids: list[int]) -> Q:
    return Q(board_id__in=board_ids) & board_decided_q() & ~Q(status=LetterStatus.DRAFT)


def letters_for_school(ctx: AccessContext, school: School) -> QuerySet[Letter]:
    if not may_list_school_letters(ctx, school):
        return Letter.objects.none()
    return Letter.objects.filter(school=school).select_related("pupil", "author", "approved_by", "school")


def letters_for_board(ctx: AccessContext) -> QuerySet[Letter]:
    ids = _board_ids(ctx)
    if not ids:
        return Letter.objects.none()
    return Letter.objects.filter(board_letters_q(ids)).select_related(
        "pupil", "author", "approved_by", "school"
    )


def letter_for_user(ctx: AccessContext, letter_id: int, *, log: bool = True) -> Letter:
    """The letter, if the reader may see it: 404 for another school's letter or a missing one,
    403 for a role of the school that does not handle letters. A read is access-logged."""
    letter = (
        Letter.objects.select_related("school__board", "pupil", "template", "author", "approved_by")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404
    school_roles = ctx.roles_at(letter.school_id)
    allowed = (
        bool(school_roles & SCHOOL_LETTER_ROLES)
        or Letter.objects.filter(board_letters_q(_board_ids(ctx)), pk=letter.pk).exists()
    )
    if not allowed:
        if school_roles or ctx.board_roles(letter.board_id):
            raise PermissionDenied
        raise Http404
    if log and letter.pupil_id is not None:
        role = next(iter(sorted(school_roles & SCHOOL_LETTER_ROLES)), Role.BOARD)
        read(
            user=ctx.user,
            obj=letter,
            school=letter.school,
            board=letter.board,
            pupil_id=letter.pupil_id,
            role=role,
        )
    return letter
