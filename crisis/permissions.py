"""Who may see and handle a crisis (ARCHITECTURE.md §4; plan ch. 16.3).

Decided here:

- The director and the deputy director of the school start a crisis, manage it (every part of the
  page) and close it. The plan makes the director responsible for managing a calamity (ch. 16.3)
  and lets the deputy run it when the director cannot.
- The care coordinator (IB) of the school sees every crisis of the school (list and page): the IB
  coaches the teachers and guides the process (ch. 16.4). The IB works on the actions assigned to
  them — their status and note — and changes nothing else.
- Teachers, staff without a group and the vertrouwenspersoon of the school get 403: a crisis is not
  secret within the school's management, but it is not theirs to read (its page names pupils).
  The board-wide roles (board, FG, functional administrator) of the school's board get 403 too: the
  board sees aggregates, and pupil data only on decision pages (§4).
- A crisis of another school, or a missing one, answers 404.
- Every read of a crisis page is access-logged in this module (granted or refused), once per page.
- An action's owner is a user holding one of the crisis roles at the school, so an owner can always
  open the crisis they work on.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Membership, Role, School
from lev.schools.permissions import roles_on

from .models import Crisis, CrisisAction

MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
VIEW_ROLES = MANAGE_ROLES | {Role.CARE_COORDINATOR}
# The order in which a held role names the access (the access log's role column).
ROLE_ORDER = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR)

Need = Literal["view", "manage"]


def may_view(ctx: AccessContext, school: School | int | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & VIEW_ROLES)


def may_manage(ctx: AccessContext, school: School | int | None) -> bool:
    return school is not None and bool(ctx.roles_at(school) & MANAGE_ROLES)


def _role_text(roles: frozenset[str]) -> str:
    held = next((role for role in ROLE_ORDER if role in roles), None)
    return str(held) if held is not None else ",".join(sorted(roles))


def crises_visible_to(ctx: AccessContext, school: School) -> QuerySet[Crisis]:
    """The crises of SCHOOL the user may see: all of them for the crisis roles, none otherwise."""
    if not may_view(ctx, school):
        return Crisis.objects.none()
    return Crisis.objects.filter(school=school)


def access_crisis_for_user(
    ctx: AccessContext, crisis_id: int, *, need: Need = "view", log: bool = True
) -> Crisis:
    """The crisis, if the user may read it (`view`) or manage it (`manage`).

    404 for a missing crisis or one of a school the user holds nothing at (and whose board they
    hold no board-wide role at); 403 for a role that may not use it. With LOG, the granted or
    refused read is written to the access log.
    """
    crisis = Crisis.objects.select_related("school", "board").filter(pk=crisis_id).first()
    if crisis is None:
        raise Http404
    roles = ctx.roles_at(crisis.school_id)
    if not roles and not ctx.board_roles(crisis.board_id):
        raise Http404
    allowed = bool(roles & (MANAGE_ROLES if need == "manage" else VIEW_ROLES))
    if log:
        held = roles or ctx.board_roles(crisis.board_id)
        read(user=ctx.user, obj=crisis, role=_role_text(held), granted=allowed)
    if not allowed:
        raise PermissionDenied
    return crisis


def log_crisis_read(ctx: AccessContext, crisis: Crisis) -> None:
    """Write the access-log row of a crisis page shown after a write (a form with its errors)."""
    read(user=ctx.user, obj=crisis, role=_role_text(ctx.roles_at(crisis.school_id)))


def may_work_on_action(ctx: AccessContext, action: CrisisAction, crisis: Crisis) -> bool:
    """A manager may change every action; the IB the actions they own (status and note)."""
    roles = ctx.roles_at(crisis.school_id)
    if roles & MANAGE_ROLES:
        return True
    return bool(roles & VIEW_ROLES) and action.owner_id is not None and action.owner_id == ctx.user.pk


def access_action_for_user(ctx: AccessContext, crisis: Crisis, action_id: int) -> CrisisAction:
    """An action of CRISIS the user may work on: 404 when it is not this crisis's, 403 otherwise."""
    action = CrisisAction.objects.filter(pk=action_id, crisis=crisis).first()
    if action is None:
        raise Http404
    if not may_work_on_action(ctx, action, crisis):
        raise PermissionDenied
    return action


# --- For services: the roles ACTOR holds at a school on a day (no request context there) --------


def manager_role(actor: Any, school: School | int, day: date) -> str | None:
    """The role in which ACTOR manages crises at SCHOOL on DAY (director before deputy), or None."""
    held = roles_on(actor, school, day)
    return next((role.value for role in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR) if role in held), None)


def crisis_members(school: School, day: date) -> QuerySet[Any]:
    """The users who may own an action or be designated spokesperson from the school: those holding
    a crisis role at SCHOOL on DAY, active, sorted by name."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.active_on(day).filter(school=school, role__in=list(VIEW_ROLES)).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=ids)
        .order_by("last_name", "first_name", "username")
    )
