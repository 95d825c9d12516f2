"""Who may see and handle signals and incidents (ARCHITECTURE.md §4).

- The director, the deputy director and the IB see every signal and incident of their school and
  handle incidents (assess, follow up, close).
- Teachers and staff without a group see their own records: what they wrote or reported.
- Everyone else — the vertrouwenspersoon in that role, the board, the FG, the functional
  administrator — sees no signal or incident (the board sees aggregates on the dashboard).
- Another school's record answers 404 exactly like a missing one; a record of the user's own school
  that their role may not use answers 403. Every read of a signal or incident is access-logged.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Role, School

from .models import Incident, Signal

# Roles that see and handle every signal and incident of their school.
LEAD_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})
# Roles that record signals and incidents (and see their own).
RECORDING_ROLES = frozenset(
    {Role.TEACHER, Role.STAFF, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR}
)

# The order in which a member's roles name them (a label, the responsible role of a deadline).
ROLE_ORDER = (
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
    Role.CARE_COORDINATOR,
    Role.TEACHER,
    Role.STAFF,
    Role.CONFIDANT,
)

Need = Literal["view", "manage"]


def _role_text(roles: frozenset[str]) -> str:
    lead = next((r for r in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR) if r in roles), None)
    return str(lead) if lead is not None else ",".join(sorted(roles))


def is_lead(ctx: AccessContext, school: School | int) -> bool:
    return bool(ctx.roles_at(school) & LEAD_ROLES)


def may_record(ctx: AccessContext, school: School | int) -> bool:
    return bool(ctx.roles_at(school) & RECORDING_ROLES)


def signals_visible_to(ctx: AccessContext, school: School) -> QuerySet[Signal]:
    """The signals of SCHOOL the user may see: all for a lead, their own for a recorder."""
    roles = ctx.roles_at(school)
    qs = Signal.objects.filter(school=school)
    if roles & LEAD_ROLES:
        return qs
    if roles & RECORDING_ROLES:
        return qs.filter(author=ctx.user)
    return qs.none()


def incidents_visible_to(ctx: AccessContext, school: School) -> QuerySet[Incident]:
    """The incidents of SCHOOL the user may see: all for a lead, those they reported or recorded
    for a teacher or staff member, none for anyone else."""
    roles = ctx.roles_at(school)
    qs = Incident.objects.filter(school=school)
    if roles & LEAD_ROLES:
        return qs
    if roles & RECORDING_ROLES:
        return qs.filter(Q(reporter=ctx.user) | Q(recorded_by=ctx.user))
    return qs.none()


def log_list_read(ctx: AccessContext, school: School, what: Literal["signals", "register"]) -> None:
    """One access-log row for opening a list of the school's signals or incidents: the list shows
    pupils' names with what happened, so reading it is a read of sensitive records."""
    read(
        user=ctx.user,
        object_type=f"incidents.{what}",
        object_id=str(school.pk),
        school=school,
        board=school.board,
        role=_role_text(ctx.roles_at(school)),
    )


def access_signal_for_user(ctx: AccessContext, signal_id: int) -> Signal:
    """The signal, if the user may read it; the read is access-logged (granted or refused)."""
    school_ids = [s.pk for s in ctx.schools]
    signal = (
        Signal.objects.select_related("school", "author")
        .filter(pk=signal_id, school_id__in=school_ids)
        .first()
    )
    if signal is None:
        raise Http404
    roles = ctx.roles_at(signal.school_id)
    allowed = bool(roles & LEAD_ROLES) or (bool(roles & RECORDING_ROLES) and signal.author_id == ctx.user.pk)
    read(user=ctx.user, obj=signal, role=_role_text(roles), granted=allowed)
    if not allowed:
        raise PermissionDenied
    return signal


def access_incident_for_user(ctx: AccessContext, incident_id: int, *, need: Need = "view") -> Incident:
    """The incident, if the user may read it (`view`) or handle it (`manage`: leads only).

    404 for another school's or a missing incident; 403 for a role of this school that may not use
    it. A granted or refused read is access-logged.
    """
    school_ids = [s.pk for s in ctx.schools]
    incident = (
        Incident.objects.select_related("school", "reporter", "recorded_by")
        .filter(pk=incident_id, school_id__in=school_ids)
        .first()
    )
    if incident is None:
        raise Http404
    roles = ctx.roles_at(incident.school_id)
    own = ctx.user.pk in (incident.reporter_id, incident.recorded_by_id)
    if need == "manage":
        allowed = bool(roles & LEAD_ROLES)
    else:
        allowed = bool(roles & LEAD_ROLES) or (bool(roles & RECORDING_ROLES) and own)
    read(user=ctx.user, obj=incident, role=_role_text(roles), granted=allowed)
    if not allowed:
        raise PermissionDenied
    return incident
