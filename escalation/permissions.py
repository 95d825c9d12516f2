"""Who may see and act on the stappenplan (ARCHITECTURE.md §4; PRODUCT.md roles; Bijlage 4).

Decided here:

- The ladder page of a pupil is read through the pupil chokepoint
  (`lev.schools.permissions.access_pupil_for_user`): the director, the deputy and the IB of the
  school; a teacher for pupils of their own groups (others after giving a reason, logged). Every
  read is access-logged there.
- Steps 1–4 are recorded by the teacher, the IB, the director and the deputy (PRODUCT.md: the
  teacher "records ladder steps 1–4, requests a time-out").
- A time-out is requested by a teacher, the director or the deputy, and approved by the director
  before it starts; when the director asked for it, the deputy approves, or the director decides
  alone with a reason the board sees (R1; the plan's stap 5).
- The director and the deputy open and close an episode, prepare a schorsing or a verwijdering and
  record their steps. A decision under mandate is the director's alone (the managementstatuut gives
  the mandate to the director). The board (role `board` of the school's board) approves a
  schorsing submitted to it, decides a verwijdering that is not mandated, and decides on beroep
  and bezwaar; it sees pupil data only on those decision pages (§4).
- Another school's episode or measure answers 404; a role of the school that may not use it 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Role, School

from .models import Episode

LEAD_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
VIEW_ROLES = LEAD_ROLES | {Role.CARE_COORDINATOR, Role.TEACHER}
STEP_ROLES = VIEW_ROLES
TIME_OUT_REQUEST_ROLES = frozenset({Role.TEACHER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
# The pages of a time-out, a schorsing and a verwijdering are read by the school's lead and its IB
# (a teacher reads a time-out of their own pupil, decided in `timeout_views`).
CASE_READ_ROLES = LEAD_ROLES | {Role.CARE_COORDINATOR}
# The school-wide views (the overview of pupils on the ladder): the teacher sees only own pupils
# through their pages, not the school's list.
OVERVIEW_ROLES = CASE_READ_ROLES
ROLE_ORDER = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR, Role.TEACHER, Role.BOARD)


def role_text(roles: frozenset[str]) -> str:
    held = next((role for role in ROLE_ORDER if role in roles), None)
    return str(held) if held is not None else ",".join(sorted(roles))


def held_roles(ctx: AccessContext, school_id: int, board_id: int) -> tuple[frozenset[str], frozenset[str]]:
    """The roles the user holds at the school of a measure and board-wide at its board; a measure of a
    school where they hold nothing and of a board where they hold no board-wide role answers 404."""
    school_roles = ctx.roles_at(school_id)
    board_roles = ctx.board_roles(board_id)
    if not school_roles and not board_roles:
        raise Http404
    return school_roles, board_roles


def may_view_overview(ctx: AccessContext, school: School | int | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & OVERVIEW_ROLES)


def may_lead(ctx: AccessContext, school: School | int | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & LEAD_ROLES)


def may_decide_board(ctx: AccessContext, board_id: int | None) -> bool:
    return board_id is not None and Role.BOARD in ctx.board_roles(board_id)


def access_episode_for_user(ctx: AccessContext, episode_id: int, *, lead: bool = False) -> Episode:
    """An episode of a school the user works at: 404 otherwise; 403 for a role that may not act on it.

    LEAD asks for the director's or deputy's roles (opening, closing, the measures); otherwise the
    roles that may record steps. The pupil's file itself is read through the pupil chokepoint by the
    ladder page; this check guards the forms that post to an episode and logs the access.
    """
    episode = Episode.objects.select_related("school", "pupil").filter(pk=episode_id).first()
    if episode is None:
        raise Http404
    roles = ctx.roles_at(episode.school_id)
    if not roles:
        raise Http404
    allowed = bool(roles & (LEAD_ROLES if lead else STEP_ROLES))
    if not allowed:
        read(user=ctx.user, obj=episode, pupil_id=episode.pupil_id, role=role_text(roles), granted=False)
        raise PermissionDenied
    return episode
