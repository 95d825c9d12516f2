"""Reads for the import pages, scoped by the user's functional-administrator memberships."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from ..access import AccessContext
from ..models import Role, School, SchoolYear


def import_board_ids(ctx: AccessContext) -> set[int]:
    """Boards where the user is functional administrator today."""
    return {m.board_id for m in ctx.memberships if m.role == Role.FUNCTIONAL_ADMIN}


def import_schools(ctx: AccessContext) -> list[School]:
    """The schools the user may import into. A user who is no functional administrator gets 403."""
    boards = import_board_ids(ctx)
    if not boards:
        raise PermissionDenied
    return list(School.objects.filter(board_id__in=boards).select_related("board").order_by("name"))


def import_school(ctx: AccessContext, school_id: object) -> School:
    """One school the user may import into; another board's school answers 404 like a missing one."""
    boards = import_board_ids(ctx)
    if not boards:
        raise PermissionDenied
    try:
        pk = int(str(school_id))
    except ValueError:
        raise Http404 from None
    school = School.objects.select_related("board").filter(pk=pk, board_id__in=boards).first()
    if school is None:
        raise Http404
    return school


def import_school_year(school: School, school_year_id: object) -> SchoolYear:
    try:
        pk = int(str(school_year_id))
    except ValueError:
        raise Http404 from None
    year = SchoolYear.objects.filter(pk=pk, board_id=school.board_id).first()
    if year is None:
        raise Http404
    return year


def import_school_years(ctx: AccessContext, *, today: date) -> list[SchoolYear]:
    """School years of the user's boards that have not ended: an import may fill these."""
    return list(
        SchoolYear.objects.filter(board_id__in=import_board_ids(ctx), ends_on__gte=today)
        .select_related("board")
        .order_by("board__name", "starts_on")
    )


def schools_with_provisional_leavers(ctx: AccessContext) -> list[School]:
    """The user's import schools, each annotated with `provisional_left`: leavings to confirm."""
    return list(
        School.objects.filter(board_id__in=import_board_ids(ctx))
        .annotate(
            provisional_left=Count(
                "pupils__enrolments",
                filter=Q(pupils__enrolments__left_on__isnull=False, pupils__enrolments__left_confirmed=False),
            )
        )
        .order_by("name")
    )
