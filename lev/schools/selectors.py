"""Reads for tenancy data, always scoped by the user's memberships."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .access import AccessContext
from .models import Enrolment, GroupPlacement, Pupil, PupilGuardian, Role, School, SchoolGroup

PUPIL_LIST_ROLES = frozenset({Role.TEACHER, Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})


def current_placements(day: object = None) -> QuerySet[GroupPlacement]:
    day = day or timezone.localdate()
    return GroupPlacement.objects.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def current_enrolments(day: date) -> QuerySet[Enrolment]:
    """Enrolments that still hold on `day`.

    Leaving is final only once its date is confirmed: a pupil an import marked as left stays
    current until someone confirms the date (see the import).
    """
    return Enrolment.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=day) | Q(left_confirmed=False))


def current_pupils(day: date, *, school: School) -> QuerySet[Pupil]:
    """The school's pupils with a current enrolment (a pupil who left and came back counts again).

    The enrolment subquery is limited to the school too: unrestricted, PostgreSQL scans every
    enrolment of the deployment (22 ms vs 1.6 ms at 100 schools).
    """
    enrolled = current_enrolments(day).filter(school=school).values("pupil")
    return Pupil.objects.filter(school=school, pk__in=enrolled)


def pupils_of_school(ctx: AccessContext, school: School, *, search: str = "") -> QuerySet[Pupil]:
    """Pupils of a school the user holds a pupil-list role at; empty otherwise."""
    if not ctx.roles_at(school) & PUPIL_LIST_ROLES:
        return Pupil.objects.none()
    qs = current_pupils(timezone.localdate(), school=school)
    for term in search.split():
        qs = qs.filter(Q(roepnaam__icontains=term) | Q(achternaam__icontains=term) | Q(admin_number=term))
    return qs.prefetch_related(
        Prefetch("placements", queryset=current_placements().select_related("group"), to_attr="current")
    )


def groups_taught_by(ctx: AccessContext, school: School) -> QuerySet[SchoolGroup]:
    day = timezone.localdate()
    return SchoolGroup.objects.filter(
        school=school, teachers=ctx.user, school_year__starts_on__lte=day, school_year__ends_on__gte=day
    )


def guardians_of(pupil: Pupil) -> QuerySet[PupilGuardian]:
    return PupilGuardian.objects.filter(pupil=pupil, school_id=pupil.school_id).select_related("guardian")
