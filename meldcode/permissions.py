"""Who may see and act on a Meldcode case (ARCHITECTURE.md §4; PRODUCT.md capability 2; SECURITY.md).

A case's existence is itself confidential: everyone without access gets 404, the same answer as
for a case that does not exist — a teacher of the school, the IB who does not manage it, the board
(the board sees no case, only anonymised counts and the anonymised yearly bundle).

Access to a case, for a user who is a member of the case's school today:

- the **case manager**, while they hold a care coordinator, director or deputy role at the school;
- the school's **director** and **deputy director** (PRODUCT.md: "Meldcode cases of own school");
- the school's **eindverantwoordelijke** for the decision (`School.meldcode_final_responsible`);
- staff **granted** the case explicitly: a per-object grant through `lev.schools.permissions`
  (guardian), revocable, audited. A grant gives read access; the work is done by those above.

A membership is read on every request, so leaving the school ends every kind of access at once,
a grant included. Every read of a case is written to the access log (`read_case`).

Who may write: the case manager, the director, the deputy and the eindverantwoordelijke record
steps, answers, meldingen, feedback, help and the report; granting access is for the case manager,
the director and the deputy; opening a case is for the school's care coordinators, directors and
deputies.

The teacher who signalled sees only `teacher_status` ("in behandeling bij de IB" / "afgerond") of
the cases their signals are part of — never the step, the melding or the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import Membership, Role
from lev.schools.permissions import objects_granted, refuse_role_at_pupils_school

from .models import MeldcodeCase

CASE_PERM = "meldcode.access_case"
OPEN_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
SCHOOL_WIDE_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
# Who may be a case manager, and who may be granted a case (staff of the school).
CASE_MANAGER_ROLES = OPEN_ROLES
GRANTABLE_ROLES = frozenset(
    {Role.TEACHER, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CONFIDANT, Role.STAFF}
)


class Basis(StrEnum):
    """Why a user may open a case (written to the access log as the role)."""

    CASE_MANAGER = "case_manager"
    SCHOOL_LEAD = "school_lead"
    FINAL_RESPONSIBLE = "final_responsible"
    GRANTED = "granted"


WRITE_BASES = frozenset({Basis.CASE_MANAGER, Basis.SCHOOL_LEAD, Basis.FINAL_RESPONSIBLE})
GRANT_BASES = frozenset({Basis.CASE_MANAGER, Basis.SCHOOL_LEAD})


def _granted_ids(user: Any) -> QuerySet[Any]:
    return objects_granted(user, CASE_PERM, MeldcodeCase.objects.all()).values("pk")


def access_basis(user: Any, case: MeldcodeCase, day: date | None = None) -> Basis | None:
    """Why USER may open CASE on DAY (None: they may not). Read from the database every time."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    day = day or timezone.localdate()
    roles = frozenset(
        Membership.objects.active_on(day)
        .filter(user=user, school_id=case.school_id)
        .values_list("role", flat=True)
    )
    if not roles:
        return None
    if case.case_manager_id == user.pk and roles & CASE_MANAGER_ROLES:
        return Basis.CASE_MANAGER
    if roles & SCHOOL_WIDE_ROLES:
        return Basis.SCHOOL_LEAD
    if case.school.meldcode_final_responsible_id == user.pk:
        return Basis.FINAL_RESPONSIBLE
    if MeldcodeCase.objects.filter(pk=case.pk, pk__in=_granted_ids(user)).exists():
        return Basis.GRANTED
    return None


# The role written to the access log for a refused read: the most responsible role held at the
# school, in this order.
LOG_ROLE_ORDER = (
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
    Role.CARE_COORDINATOR,
    Role.CONFIDANT,
    Role.TEACHER,
    Role.STAFF,
    Role.BOARD,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONAL_ADMIN,
)


def logged_role(roles: frozenset[str]) -> str:
    """The one role of ROLES the access log records ("" for none)."""
    return next((str(role) for role in LOG_ROLE_ORDER if role in roles), "")


def user_may_open(user: Any, case_id: int, day: date) -> bool:
    """Whether USER may open the case CASE_ID on DAY (for those told about its terms)."""
    case = MeldcodeCase.objects.select_related("school").filter(pk=case_id).first()
    return case is not None and access_basis(user, case, day) is not None


def cases_for(ctx: AccessContext) -> QuerySet[MeldcodeCase]:
    """The cases USER may open, at the schools they are a member of today."""
    user = ctx.user
    school_ids = [school.pk for school in ctx.schools]
    if not school_ids:
        return MeldcodeCase.objects.none()
    lead_school_ids = [sid for sid in school_ids if ctx.roles_at(sid) & SCHOOL_WIDE_ROLES]
    manager_school_ids = [sid for sid in school_ids if ctx.roles_at(sid) & CASE_MANAGER_ROLES]
    visible = (
        Q(school_id__in=lead_school_ids)
        | Q(case_manager=user, school_id__in=manager_school_ids)
        | Q(school__meldcode_final_responsible=user)
        | Q(pk__in=_granted_ids(user))
    )
    return MeldcodeCase.objects.filter(school_id__in=school_ids).filter(visible)


def case_ids_for(ctx: AccessContext) -> QuerySet[Any]:
    """The ids of `cases_for` (for the chronology and the deadline lists)."""
    return cases_for(ctx).values("pk")


def may_open_case(ctx: AccessContext) -> bool:
    """Whether the user opens cases at any of their schools (the case list's button)."""
    return any(ctx.roles_at(school) & OPEN_ROLES for school in ctx.schools)


def read_case(
    ctx: AccessContext, case_id: int, *, allowed: Callable[[Basis], bool] | None = None
) -> tuple[MeldcodeCase, Basis]:
    """The case if the user may open it, with the basis; every read is access-logged. Everyone
    else: Http404, the same answer as for a case that does not exist (logged as refused when the
    case exists, whoever asked: a try at another school's or board's case is in the log too).

    ALLOWED, for a write, says whether the basis may do it: when it may not, the attempt is logged
    as refused (not as a read) and answers 403 — the user may read the case, so it is no secret."""
    case = (
        MeldcodeCase.objects.select_related(
            "school", "pupil", "case_manager", "school__meldcode_final_responsible"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    basis = access_basis(ctx.user, case) if case.school_id in {s.pk for s in ctx.schools} else None
    if basis is None:
        if getattr(ctx.user, "pk", None) is not None:
            read(
                user=ctx.user,
                obj=case,
                school=case.school,
                pupil_id=case.pupil_id,
                role=logged_role(ctx.roles_at(case.school_id) | ctx.board_roles(case.board_id)),
                granted=False,
            )
        raise Http404
    if allowed is not None and not allowed(basis):
        read(
            user=ctx.user,
            obj=case,
            school=case.school,
            pupil_id=case.pupil_id,
            role=str(basis),
            granted=False,
        )
        raise PermissionDenied
    read(user=ctx.user, obj=case, school=case.school, pupil_id=case.pupil_id, role=str(basis))
    return case, basis


def log_case_list_read(ctx: AccessContext) -> None:
    """One access-log row for opening the case list: it shows pupils' names beside Meldcode cases."""
    read(
        user=ctx.user,
        object_type="meldcode.case_list",
        object_id=ctx.active_school.pk if ctx.active_school else "",
        school=ctx.active_school,
    )


def may_write(basis: Basis | None) -> bool:
    return basis in WRITE_BASES


def may_write_report(basis: Basis | None) -> bool:
    """The Rapportage Meldcode is written by the case manager, the director and the deputy; the
    eindverantwoordelijke decides but does not write it, a granted reader only reads it."""
    return may_write(basis) and basis is not Basis.FINAL_RESPONSIBLE


def refuse_non_opener(ctx: AccessContext, pupil_id: int) -> None:
    """403 before the pupil's file is read when the user works at the pupil's school in a role that
    does not open cases (logged as a refused read); a pupil of another school stays a 404 through
    the pupil chokepoint."""
    refuse_role_at_pupils_school(ctx, pupil_id, OPEN_ROLES)


def may_grant(basis: Basis | None) -> bool:
    return basis in GRANT_BASES
