"""The access chokepoint for pupils, and the one wrapper around django-guardian.

- Another school's object answers 404, exactly like a missing one.
- Within the school, a role that may not use a record gets 403.
- Teachers see pupils of their own groups; other pupils of their school after giving a reason.
- Every successful (and every refused) read of a pupil's file is written to the access log.

This is the only module that imports guardian (a test asserts it).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user, get_users_with_perms, remove_perm

from lev.audit.services import read

from .access import AccessContext
from .models import GroupPlacement, Membership, Pupil, Role, School

# Roles that see every pupil's chronology at their school.
PUPIL_FILE_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})


class ReasonRequired(Exception):
    """A teacher opens the file of a pupil outside their groups: a reason must be given first."""

    def __init__(self, pupil: Pupil) -> None:
        super().__init__("reason required")
        self.pupil = pupil


@dataclass(frozen=True)
class PupilAccess:
    pupil: Pupil
    roles: frozenset[str]
    own_group: bool
    reason: str


def teaches_pupil(user: Any, pupil: Pupil, *, today: Any = None) -> bool:
    day = today or timezone.localdate()
    return (
        GroupPlacement.objects.filter(pupil=pupil, group__teachers=user, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .exists()
    )


def access_pupil_for_user(ctx: AccessContext, pupil_id: int, *, reason: str = "") -> PupilAccess:
    """Return the pupil if the user may read the pupil's file; log the read.

    Raises Http404 (other school, missing), PermissionDenied (a role without access at this school)
    or ReasonRequired (a teacher outside their groups without a reason).
    """
    user = ctx.user
    school_ids = [s.pk for s in ctx.schools]
    pupil = Pupil.objects.select_related("school").filter(pk=pupil_id, school_id__in=school_ids).first()
    if pupil is None:
        raise Http404
    roles = ctx.roles_at(pupil.school_id)
    own_group = False
    if roles & PUPIL_FILE_ROLES:
        granted_role = next(
            r for r in (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR) if r in roles
        )
    elif Role.TEACHER in roles:
        granted_role = Role.TEACHER
        own_group = teaches_pupil(user, pupil)
        if not own_group and not reason.strip():
            raise ReasonRequired(pupil)
    else:
        read(user=user, obj=pupil, pupil_id=pupil.pk, role=",".join(sorted(roles)), granted=False)
        raise PermissionDenied
    read(user=user, obj=pupil, pupil_id=pupil.pk, role=granted_role, reason=reason.strip())
    return PupilAccess(pupil=pupil, roles=roles, own_group=own_group, reason=reason.strip())


# --- The guardian wrapper: per-object exceptions only ------------------------------------------


def objects_granted(user: Any, perm: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Objects on which `user` holds `perm` by an explicit per-object grant.

    Never through model-wide permissions, never as superuser (SECURITY.md pitfall 1).
    """
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=False, with_superuser=False, use_groups=False)  # fmt: skip


def has_object_grant(user: Any, perm: str, obj: Model) -> bool:
    return objects_granted(user, perm, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def users_granted(perm: str, obj: Model) -> list[Any]:
    """The users holding PERM on OBJ by an explicit per-object grant (no superusers, no groups).
    PERM is the codename without the app label."""
    return list(
        get_users_with_perms(obj, only_with_perms_in=[perm], with_superusers=False, with_group_users=False)
    )


def grant_object(user: Any, perm: str, obj: Model) -> None:
    assign_perm(perm, user, obj)


def revoke_object(user: Any, perm: str, obj: Model) -> None:
    remove_perm(perm, user, obj)


# --- For services: the roles a user holds on a day (no request context there) -------------------


def roles_on(user: Any, school: School | int, day: date) -> frozenset[str]:
    """The roles USER holds at SCHOOL on DAY."""
    school_id = school.pk if isinstance(school, School) else school
    return frozenset(
        Membership.objects.active_on(day)
        .filter(user=user, school_id=school_id)
        .values_list("role", flat=True)
    )


def is_board_member(user: Any, board_id: int, day: date) -> bool:
    """USER holds the board role (bevoegd gezag) of BOARD_ID on DAY."""
    return (
        Membership.objects.active_on(day)
        .filter(user=user, board_id=board_id, school__isnull=True, role=Role.BOARD)
        .exists()
    )


def _joined(roles: frozenset[str]) -> str:
    return ",".join(sorted(roles))


def refuse_role_at_pupils_school(
    ctx: AccessContext,
    pupil_id: int,
    allowed: Collection[str],
    *,
    role_label: Callable[[frozenset[str]], str] = _joined,
) -> None:
    """PermissionDenied (403) before a pupil's file is read when the user works at the pupil's school
    only in roles outside ALLOWED, logged as a refused read with ROLE_LABEL of their roles; a pupil
    of another school, or none, is left to the pupil chokepoint (404)."""
    school_id = Pupil.objects.filter(pk=pupil_id).values_list("school_id", flat=True).first()
    roles = ctx.roles_at(school_id) if school_id is not None else frozenset()
    if roles and not roles & frozenset(allowed):
        read(
            user=ctx.user,
            object_type="schools.pupil",
            object_id=pupil_id,
            pupil_id=pupil_id,
            role=role_label(roles),
            granted=False,
        )
        raise PermissionDenied
