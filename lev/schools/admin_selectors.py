"""Reads for the functional administrator's pages, scoped to the boards the user administers.

Only a board-wide `functional_admin` membership opens these pages, and only for that board: an
object of another board answers 404 exactly like a missing one. Nothing here touches case content
(chronologies, signals, Meldcode): functional administrators configure, they do not read files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import AccessContext
from .models import (
    Board,
    Membership,
    Pupil,
    Role,
    School,
    SchoolGroup,
    SchoolYear,
    SocialMapEntry,
    SocialMapKind,
)


def admin_boards(ctx: AccessContext) -> list[Board]:
    """The boards on which the user holds the functional administrator role today."""
    seen: dict[int, Board] = {}
    for m in ctx.memberships:
        if m.role == Role.FUNCTIONAL_ADMIN and m.school_id is None:
            seen.setdefault(m.board_id, m.board)
    return sorted(seen.values(), key=lambda b: b.name)


def require_admin_boards(ctx: AccessContext) -> list[Board]:
    """The administered boards; 403 for every other role (the pages exist, but not for them)."""
    boards = admin_boards(ctx)
    if not boards:
        raise PermissionDenied
    return boards


def _board_ids(boards: Iterable[Board]) -> list[int]:
    return [b.pk for b in boards]


def _one(qs: QuerySet[Any], pk: int) -> Any:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# --- Schools --------------------------------------------------------------------------------


def schools_for_admin(boards: list[Board], *, today: date) -> QuerySet[School]:
    """Schools of the administered boards with the number of pupils currently enrolled."""
    current = (
        Pupil.objects.filter(school=OuterRef("pk"))
        .exclude(enrolments__left_on__lt=today, enrolments__left_confirmed=True)
        .order_by()
        .values("school")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return (
        School.objects.filter(board_id__in=_board_ids(boards))
        .select_related("board")
        .annotate(pupil_count=Subquery(current, output_field=IntegerField()))
        .order_by("board__name", "name")
    )


def school_for_admin(boards: list[Board], school_id: int) -> School:
    return _one(School.objects.filter(board_id__in=_board_ids(boards)).select_related("board"), school_id)


def school_member_users(school: School, *, today: date, roles: Iterable[str] | None = None) -> QuerySet[Any]:
    """Active users holding a role at this school today (optionally only the given roles)."""
    memberships = Membership.objects.active_on(today).filter(school=school)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    user_model = get_user_model()
    return user_model.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )


# --- School years and groups ----------------------------------------------------------------


def years_for_admin(boards: list[Board]) -> QuerySet[SchoolYear]:
    return (
        SchoolYear.objects.filter(board_id__in=_board_ids(boards))
        .select_related("board")
        .annotate(group_count=Count("groups"))
        .order_by("board__name", "-starts_on")
    )


def year_for_admin(boards: list[Board], year_id: int) -> SchoolYear:
    return _one(SchoolYear.objects.filter(board_id__in=_board_ids(boards)).select_related("board"), year_id)


def overlapping_year(board: Board, starts_on: date, ends_on: date) -> SchoolYear | None:
    """Another year of the board whose period shares at least one day with the given one."""
    return (
        SchoolYear.objects.filter(board=board, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )


@dataclass
class SchoolGroups:
    school: School
    groups: list[SchoolGroup]


def groups_of_year(year: SchoolYear) -> list[SchoolGroups]:
    """Per school of the year's board, its groups in that year (schools without groups included)."""
    groups = (
        SchoolGroup.objects.filter(school_year=year)
        .prefetch_related("teachers")
        .annotate(pupil_count=Count("placements__pupil", distinct=True))
        .order_by("name")
    )
    by_school: dict[int, list[SchoolGroup]] = {}
    for group in groups:
        by_school.setdefault(group.school_id, []).append(group)
    return [
        SchoolGroups(school=school, groups=by_school.get(school.pk, []))
        for school in School.objects.filter(board=year.board).order_by("name")
    ]


def group_for_admin(boards: list[Board], group_id: int) -> SchoolGroup:
    return _one(
        SchoolGroup.objects.filter(board_id__in=_board_ids(boards)).select_related(
            "school", "school_year", "board"
        ),
        group_id,
    )


# --- Users and memberships ------------------------------------------------------------------


def users_for_admin(boards: list[Board], *, today: date, search: str = "") -> QuerySet[Any]:
    """Users with a membership (past or present) at an administered board.

    Each user carries `current_memberships` (active today, at these boards only) and `has_2fa`.
    """
    board_ids = _board_ids(boards)
    user_model = get_user_model()
    qs = user_model.objects.filter(
        pk__in=Membership.objects.filter(board_id__in=board_ids).values("user_id")
    ).annotate(has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    for term in search.split():
        qs = qs.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
        )
    current = (
        Membership.objects.active_on(today)
        .filter(board_id__in=board_ids)
        .select_related("school")
        .order_by("school__name", "role")
    )
    return qs.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))


def user_for_admin(boards: list[Board], user_id: int) -> Any:
    """A user of an administered board (any membership there, past or present); 404 otherwise."""
    user_model = get_user_model()
    qs = user_model.objects.filter(
        pk__in=Membership.objects.filter(board_id__in=_board_ids(boards)).values("user_id")
    ).annotate(has_2fa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    return _one(qs, user_id)


def memberships_for_admin(boards: list[Board], user: Any) -> QuerySet[Membership]:
    """The user's memberships at the administered boards only (never another board's)."""
    return (
        Membership.objects.filter(user=user, board_id__in=_board_ids(boards))
        .select_related("school", "board")
        .order_by("-active_to", "board__name", "school__name", "role")
    )


def membership_for_admin(boards: list[Board], membership_id: int) -> Membership:
    return _one(
        Membership.objects.filter(board_id__in=_board_ids(boards)).select_related("user", "school", "board"),
        membership_id,
    )


def active_elsewhere(user: Any, boards: list[Board], *, today: date) -> bool:
    """Whether the user holds a role today at a board this administrator does not administer."""
    return (
        Membership.objects.active_on(today)
        .filter(user=user)
        .exclude(board_id__in=_board_ids(boards))
        .exists()
    )


# --- Social map -----------------------------------------------------------------------------


@dataclass
class SocialMapSection:
    kind: str
    label: str
    entries: list[SocialMapEntry]


def social_map_for_admin(school: School) -> list[SocialMapSection]:
    """The school's social map grouped by kind, in the order of the kinds."""
    entries = list(SocialMapEntry.objects.filter(school=school).order_by("kind", "organisation", "pk"))
    sections: list[SocialMapSection] = []
    for value, label in SocialMapKind.choices:
        of_kind = [e for e in entries if e.kind == value]
        if of_kind:
            sections.append(SocialMapSection(kind=value, label=str(label), entries=of_kind))
    return sections


def social_map_counts(boards: list[Board]) -> QuerySet[School]:
    return (
        School.objects.filter(board_id__in=_board_ids(boards))
        .select_related("board")
        .annotate(entry_count=Count("social_map"))
        .order_by("board__name", "name")
    )


def social_map_entry_for_admin(boards: list[Board], entry_id: int) -> SocialMapEntry:
    return _one(
        SocialMapEntry.objects.filter(board_id__in=_board_ids(boards)).select_related("school"), entry_id
    )
