"""Reads of the incident register (Bijlage 11, ch. 7): the rows a user may see, filtered, and their
counts per month and per category.

Scope comes from `permissions.incidents_visible_to`: a director, deputy director or IB sees every
incident of the school, a teacher or staff member only those they reported or recorded, anyone
else none. Every function here starts from that queryset, so the screen, the CSV and the PDF can
never show different rows for the same filters.

The rows are fetched with a fixed number of queries whatever their number: the reporter is joined,
the pupils with their roles and (for the PDF) the staff involved and the attachments are prefetched,
and the number of attachments is a subquery.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncYear

from lev.schools.access import AccessContext
from lev.schools.models import GroupPlacement, Pupil, School, SchoolGroup

from .models import (
    Incident,
    IncidentAttachment,
    IncidentCategory,
    IncidentPupil,
    IncidentStatus,
    PupilRole,
    Severity,
)
from .permissions import LEAD_ROLES, RECORDING_ROLES, incidents_visible_to

Scope = Literal["school", "own"]

# Pupils in the order of ch. 17.3: who took the initiative, who experienced it, bystanders.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(PupilRole.values)),
    default=Value(len(PupilRole.values)),
    output_field=IntegerField(),
)
# Above this many months in the range, the counts are per calendar year instead of per month.
MAX_MONTHS = 36


@dataclass(frozen=True)
class RegisterFilters:
    """The register's filters; every one is optional. Pupils and groups by id only."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    category: str = ""
    group_id: int | None = None
    pupil_id: int | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return self != RegisterFilters()

    def summary(self) -> dict[str, Any]:
        """The filters for the audit trail: dates, codes and ids only, never a name."""
        return {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "category": self.category,
            "group_id": self.group_id or "",
            "pupil_id": self.pupil_id or "",
            "status": self.status,
        }


def register_scope(ctx: AccessContext, school: School | None) -> Scope | None:
    """ "school" for a lead (the whole register), "own" for a teacher or staff member (their own
    incidents), None for every other role (the board, the FG, the administrator, the confidant)."""
    if school is None:
        return None
    roles = ctx.roles_at(school)
    if roles & LEAD_ROLES:
        return "school"
    if roles & RECORDING_ROLES:
        return "own"
    return None


def _placed_in_group(group_id: int) -> Exists:
    """An incident with at least one pupil who was in the group on the day it happened."""
    placements = GroupPlacement.objects.filter(
        group_id=group_id,
        pupil_id=OuterRef("pupil_id"),
        starts_on__lte=OuterRef(OuterRef("happened_on")),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(OuterRef("happened_on"))))
    involved = IncidentPupil.objects.filter(incident_id=OuterRef("pk")).filter(Exists(placements))
    return Exists(involved)


def filtered(ctx: AccessContext, school: School, filters: RegisterFilters) -> QuerySet[Incident]:
    """The incidents of SCHOOL the user may see that pass FILTERS (no ordering, no prefetching)."""
    qs = incidents_visible_to(ctx, school)
    if filters.date_from:
        qs = qs.filter(happened_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(happened_on__lte=filters.date_to)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.pupil_id:
        qs = qs.filter(
            Exists(IncidentPupil.objects.filter(incident_id=OuterRef("pk"), pupil_id=filters.pupil_id))
        )
    if filters.group_id:
        qs = qs.filter(_placed_in_group(filters.group_id))
    return qs


def register_rows(
    ctx: AccessContext,
    school: School,
    *,
    filters: RegisterFilters,
    oldest_first: bool = False,
    for_print: bool = False,
) -> QuerySet[Incident]:
    """The register: newest first on the screen, oldest first in a printed register.

    Each incident carries `attachment_count` and its `involvements` (pupil and role; who took the
    initiative first, then who experienced it, then bystanders); FOR_PRINT also prefetches the staff involved and the attachments' names. The number of
    queries does not depend on the number of rows.
    """
    time_order = (
        F("happened_time").asc(nulls_first=True) if oldest_first else F("happened_time").desc(nulls_last=True)
    )
    order = ("happened_on", time_order, "id") if oldest_first else ("-happened_on", time_order, "-id")
    attachments = (
        IncidentAttachment.objects.filter(incident_id=OuterRef("pk"))
        .order_by()
        .values("incident_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    qs = (
        filtered(ctx, school, filters)
        .select_related("reporter")
        .annotate(attachment_count=Coalesce(Subquery(attachments, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=IncidentPupil.objects.select_related("pupil")
                .annotate(role_rank=ROLE_ORDER)
                .order_by("role_rank", "pupil__achternaam", "pupil__roepnaam", "id"),
            )
        )
        .order_by(*order)
    )
    if for_print:
        qs = qs.prefetch_related(
            Prefetch("staff_involved"),
            Prefetch(
                "attachments",
                queryset=IncidentAttachment.objects.only(
                    "id", "incident_id", "original_name", "description", "uploaded_at"
                ).order_by("uploaded_at", "id"),
            ),
        )
    return qs


def choice_labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """code → label, translated once (a model's get_FOO_display() translates on every call)."""
    return {code: str(label) for code, label in choices}


@dataclass(frozen=True)
class ScreenRow:
    """One row of the register page, with its labels looked up once per page."""

    incident: Incident
    category: str
    severity: str
    status: str
    pupils: tuple[tuple[str, str], ...]  # (name, role) of the first SHOWN_PUPILS pupils
    more_pupils: int  # how many more pupils are involved


# A row names at most this many pupils; a longer list ends with "and N other pupils".
SHOWN_PUPILS = 3


def screen_rows(incidents: Iterable[Incident]) -> list[ScreenRow]:
    """The register page's rows for INCIDENTS from `register_rows` (no queries of its own)."""
    categories = choice_labels(IncidentCategory.choices)
    severities = choice_labels(Severity.choices)
    statuses = choice_labels(IncidentStatus.choices)
    roles = choice_labels(PupilRole.choices)
    rows = []
    for incident in incidents:
        involved = list(incident.involvements.all())
        rows.append(
            ScreenRow(
                incident=incident,
                category=categories.get(incident.category, incident.category),
                severity=severities.get(incident.severity, incident.severity),
                status=statuses.get(incident.status, incident.status),
                pupils=tuple(
                    (inv.pupil.full_name, roles.get(inv.role, inv.role)) for inv in involved[:SHOWN_PUPILS]
                ),
                more_pupils=max(0, len(involved) - SHOWN_PUPILS),
            )
        )
    return rows


@dataclass(frozen=True)
class PeriodCount:
    start: dt.date  # the first day of the month (or year)
    per_category: tuple[int, ...]  # in the order of RegisterCounts.categories
    total: int


@dataclass(frozen=True)
class RegisterCounts:
    """Counts of the filtered incidents per period and per category.

    `periods` covers every month (or year, for ranges over MAX_MONTHS months) from the start of
    the range to its end, zeros included, so a quiet month shows as a quiet month. The range is the
    filter's period; an open end is taken from the first or last incident.
    """

    unit: Literal["month", "year"]
    categories: tuple[tuple[str, str], ...]  # (code, label) of the categories that occur
    periods: tuple[PeriodCount, ...]
    per_category: tuple[int, ...]
    total: int
    category_totals: Mapping[str, int] = field(default_factory=dict)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def period_starts(first: dt.date, last: dt.date) -> tuple[Literal["month", "year"], list[dt.date]]:
    """The months (or, over MAX_MONTHS months, the years) from FIRST to LAST."""
    months = _month_starts(first, last)
    if len(months) <= MAX_MONTHS:
        return "month", months
    return "year", [dt.date(year, 1, 1) for year in range(first.year, last.year + 1)]


def register_counts(ctx: AccessContext, school: School, *, filters: RegisterFilters) -> RegisterCounts:
    """Counts per month (or year) and per category of the register rows for FILTERS: one query for
    the range, one for the counts."""
    qs = filtered(ctx, school, filters).order_by()
    first, last = filters.date_from, filters.date_to
    if first is None or last is None:
        bounds = qs.aggregate(n=Count("id"), low=Min("happened_on"), high=Max("happened_on"))
        if not bounds["n"]:
            return RegisterCounts(unit="month", categories=(), periods=(), per_category=(), total=0)
        first = first or bounds["low"]
        last = last or bounds["high"]
    assert first is not None and last is not None
    if last < first:
        return RegisterCounts(unit="month", categories=(), periods=(), per_category=(), total=0)
    unit, starts = period_starts(first, last)
    trunc = TruncMonth("happened_on") if unit == "month" else TruncYear("happened_on")
    cells: dict[tuple[dt.date, str], int] = {}
    for row in qs.annotate(period=trunc).values("period", "category").annotate(n=Count("id")):
        period = row["period"]
        if isinstance(period, dt.datetime):  # pragma: no cover - TruncMonth on a DateField gives a date
            period = period.date()
        cells[(period, row["category"])] = row["n"]
    present = {category for _period, category in cells}
    categories = tuple((code, str(label)) for code, label in IncidentCategory.choices if code in present)
    periods = tuple(
        PeriodCount(
            start=start,
            per_category=tuple(cells.get((start, code), 0) for code, _label in categories),
            total=sum(n for (period, _code), n in cells.items() if period == start),
        )
        for start in starts
    )
    category_totals = {
        code: sum(n for (_period, c), n in cells.items() if c == code) for code, _label in categories
    }
    return RegisterCounts(
        unit=unit,
        categories=categories,
        periods=periods,
        per_category=tuple(category_totals[code] for code, _label in categories),
        total=sum(cells.values()),
        category_totals=category_totals,
    )


def filter_pupil_choices(ctx: AccessContext, school: School) -> list[tuple[int, str]]:
    """(id, "Achternaam, Roepnaam") of the pupils the pupil filter offers: those involved in an
    incident the user may see."""
    involved = IncidentPupil.objects.filter(incident__in=incidents_visible_to(ctx, school)).values("pupil_id")
    pupils = (
        Pupil.objects.filter(school=school, pk__in=involved)
        .order_by("achternaam", "roepnaam", "id")
        .values_list("id", "roepnaam", "tussenvoegsel", "achternaam")
    )
    return [
        (pk, f"{achternaam}, {' '.join(p for p in (roepnaam, tussenvoegsel) if p)}")
        for pk, roepnaam, tussenvoegsel, achternaam in pupils
    ]


def filter_group_choices(school: School) -> list[tuple[int, str]]:
    """(id, "5a (2026-2027)") of every group of the school, the newest school year first."""
    groups = (
        SchoolGroup.objects.filter(school=school)
        .order_by("-school_year__starts_on", "name")
        .values_list("id", "name", "school_year__name")
    )
    return [(pk, f"{name} ({year})") for pk, name, year in groups]


def filter_pupil(school: School, pupil_id: int) -> Pupil | None:
    return Pupil.objects.filter(school=school, pk=pupil_id).first()
