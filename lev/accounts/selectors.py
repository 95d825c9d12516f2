"""Account reads: deputies, who receives a user's approvals and reminders, the account overview and
the board's two-factor decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.audit.models import AuditEvent
from lev.schools.access import AccessContext
from lev.schools.models import Board, Membership, Role

from .models import Deputy, User
from .policy import two_factor_required


def deputy_candidates(user: Any, *, day: date) -> QuerySet[User]:
    """Active users who work for one of the user's boards on `day` (which covers every school of
    those boards), the user excluded."""
    boards = Membership.objects.active_on(day).filter(user=user).values("board_id")
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=Membership.objects.active_on(day).filter(board_id__in=boards).values("user_id"))
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
    )


def deputies_named_by(user: Any) -> QuerySet[Deputy]:
    """The deputies a user named, newest period first (the deputies page lists and revokes these)."""
    return Deputy.objects.filter(user=user).select_related("deputy").order_by("-starts_on", "-pk")


def deputies_on(user: Any, day: date) -> QuerySet[Deputy]:
    return (
        Deputy.objects.filter(
            user=user,
            revoked_at__isnull=True,
            starts_on__lte=day,
            ends_on__gte=day,
            deputy__is_active=True,
        )
        .select_related("deputy")
        .order_by("deputy__last_name", "deputy__first_name", "deputy__username")
    )


def deputising_for(user: Any, *, from_day: date) -> QuerySet[Deputy]:
    """Periods, current or to come, in which the user stands in for someone else."""
    return (
        Deputy.objects.filter(deputy=user, revoked_at__isnull=True, ends_on__gte=from_day)
        .select_related("user")
        .order_by("starts_on", "pk")
    )


def recipients_for(user: Any, day: date) -> list[User]:
    """Who receives the user's approvals and reminders on `day`: the user and every active deputy
    whose period (first and last day included) covers that day and that was not revoked."""
    recipients: list[User] = [user]
    seen = {user.pk}
    for entry in deputies_on(user, day):
        if entry.deputy.pk not in seen:
            seen.add(entry.deputy.pk)
            recipients.append(entry.deputy)
    return recipients


def deputy_of_user(user: Any, deputy_id: int) -> Deputy | None:
    """One of the user's own deputy entries; anyone else's answers None (the view answers 404)."""
    return Deputy.objects.filter(user=user, pk=deputy_id).first()


# --- The account page -----------------------------------------------------------------------


@dataclass
class RolePlace:
    """Where a user holds roles: a school, or a board for the board-wide roles."""

    name: str
    board_wide: bool
    roles: list[str] = field(default_factory=list)


def roles_by_place(ctx: AccessContext) -> list[RolePlace]:
    places: dict[tuple[str, int], RolePlace] = {}
    for m in ctx.memberships:
        if m.school is not None:
            key, place = ("school", m.school.pk), RolePlace(name=m.school.name, board_wide=False)
        else:
            key, place = ("board", m.board.pk), RolePlace(name=m.board.name, board_wide=True)
        label = str(Role(m.role).label)
        entry = places.setdefault(key, place)
        if label not in entry.roles:
            entry.roles.append(label)
    return sorted(places.values(), key=lambda p: (p.board_wide, p.name))


@dataclass(frozen=True)
class TwoFactorStatus:
    has_device: bool
    verified: bool
    required: bool


def two_factor_status(user: Any) -> TwoFactorStatus:
    return TwoFactorStatus(
        has_device=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        verified=bool(getattr(user, "is_verified", lambda: False)()),
        required=two_factor_required(user),
    )


def has_confirmed_device(user: Any) -> bool:
    return any(True for _d in devices_for_user(user, confirmed=True))


# --- The board's two-factor decision ----------------------------------------------------------


def boards_decided_by(ctx: AccessContext) -> list[Board]:
    """Boards for which the user holds the board role today (they decide the teacher exemption)."""
    return [b for b in sorted(ctx.boards, key=lambda b: b.name) if Role.BOARD in ctx.board_roles(b)]


def exemption_history(board: Board, *, limit: int = 20) -> QuerySet[AuditEvent]:
    """Earlier decisions on the teacher exemption (who, when, exempt or not), newest first."""
    return (
        AuditEvent.objects.filter(
            Q(board=board) | Q(object_type="schools.board", object_id=str(board.pk)),
            action="teachers_2fa_exemption_changed",
        )
        .select_related("actor")
        .order_by("-occurred_at", "-sequence")[:limit]
    )
