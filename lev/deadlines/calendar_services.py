"""Writes for school calendars: the holiday region (which seeds the national holidays), and the
school's own closures (study days and other days off).

A school calendar counts only for the duration of a time-out or schorsing, never for a statutory
term (LEGAL.md §1, §2). Calendars are configuration, not case data: closures may be deleted.

Every function owns its transaction, serialises on the school's row (so two administrators cannot
seed or add the same days twice) and writes one audit row with ids, kinds and counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.schools.models import School

from .calendar_data import school_holiday_data
from .domain.school_calendar import Closure, HolidayData, national_closures
from .models import ClosureKind, Region, SchoolCalendar, SchoolClosure

MAX_CLOSURE_DAYS = 366
NAME_MAX_LENGTH = 100

ClosureKey = tuple[str, date, date, str]


@dataclass(frozen=True)
class RegionResult:
    """What setting the region did: the national rows added and removed, and the school years LEV
    knows for the region (empty when it knows none)."""

    changed: bool
    added: int
    removed: int
    school_years: tuple[str, ...]


def _key(closure: Closure | SchoolClosure) -> ClosureKey:
    return (str(closure.kind), closure.first_day, closure.last_day, closure.name)


def _wanted(data: HolidayData, region: str) -> dict[ClosureKey, Closure]:
    """The national rows a school of REGION should have, for every school year the data knows."""
    if not region:
        return {}
    return {_key(c): c for year in data.school_years(region) for c in national_closures(data, region, year)}


def school_region_set(
    *, school: School, region: str, actor: Any, now: datetime, data: HolidayData | None = None
) -> RegionResult:
    """Set the school's holiday region and replace its national rows with those of the region.

    For every school year the data file knows for REGION the national holiday periods and the public
    holidays outside them are seeded; national rows that do not belong there (another region, an
    older version of the file) are removed. The school's own rows are kept, and a national row whose
    kind and dates the school already has as its own is not added. Idempotent: when the region and
    the national rows are already right, nothing is written (no audit row either). A blank region
    removes every national row.
    """
    if region not in Region.values and region != "":
        raise ValidationError({"region": _("Choose one of the regions north, central or south.")})
    data = data or school_holiday_data()
    wanted = _wanted(data, region)
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        calendar = SchoolCalendar.objects.filter(school=school).first()
        previous = calendar.region if calendar is not None else ""
        national = {_key(row): row for row in SchoolClosure.objects.filter(school=school, national=True)}
        own = set(
            SchoolClosure.objects.filter(school=school, national=False).values_list(
                "kind", "first_day", "last_day"
            )
        )
        stale = [row.pk for key, row in national.items() if key not in wanted]
        missing = [
            closure
            for key, closure in wanted.items()
            if key not in national and (closure.kind, closure.first_day, closure.last_day) not in own
        ]
        school_years = data.school_years(region) if region else ()
        if calendar is not None and previous == region and not stale and not missing:
            return RegionResult(changed=False, added=0, removed=0, school_years=school_years)
        if calendar is None:
            calendar = SchoolCalendar.objects.create(
                board_id=school.board_id, school=school, region=region, updated_at=now
            )
        elif previous != region:
            calendar.region = region
            calendar.updated_at = now
            calendar.save(update_fields=["region", "updated_at"])
        SchoolClosure.objects.filter(pk__in=stale).delete()
        SchoolClosure.objects.bulk_create(
            SchoolClosure(
                board_id=school.board_id,
                school=school,
                first_day=c.first_day,
                last_day=c.last_day,
                kind=c.kind,
                name=c.name,
                national=True,
                created_by=actor if getattr(actor, "pk", None) else None,
                created_at=now,
            )
            for c in missing
        )
        record(
            "school_calendar_region_set",
            actor=actor,
            obj=calendar,
            board=school.board,
            summary={
                "school_id": school.pk,
                "region": region,
                "previous_region": previous,
                "school_years": list(school_years),
                "added": len(missing),
                "removed": len(stale),
            },
            now=now,
        )
    return RegionResult(changed=True, added=len(missing), removed=len(stale), school_years=school_years)


def _check_closure(*, first_day: date, last_day: date, kind: str, name: str) -> None:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give a name, for example 'Studiedag team'.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("A name has at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    if kind not in ClosureKind.values:
        errors["kind"] = _("Choose what kind of day off this is.")
    if last_day < first_day:
        errors["last_day"] = _(
            "The last day cannot be before the first day (%(first)s). Choose %(first)s or a later day."
        ) % {"first": first_day.strftime("%d-%m-%Y")}
    elif (last_day - first_day).days + 1 > MAX_CLOSURE_DAYS:
        errors["last_day"] = _(
            "A closure lasts at most %(max)d days. Enter a longer period as several closures."
        ) % {"max": MAX_CLOSURE_DAYS}
    if errors:
        raise ValidationError(errors)


def school_closure_add(
    *, school: School, first_day: date, last_day: date, kind: str, name: str, actor: Any, now: datetime
) -> SchoolClosure:
    """Add one of the school's own closures (a study day, a day off). Refuses a second closure of
    the same kind with the same dates, also when that one is national."""
    name = name.strip()
    _check_closure(first_day=first_day, last_day=last_day, kind=kind, name=name)
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)
        if SchoolClosure.objects.filter(
            school=school, kind=kind, first_day=first_day, last_day=last_day
        ).exists():
            raise ValidationError(
                {
                    "first_day": _(
                        "The calendar already has a %(kind)s from %(first)s to %(last)s. "
                        "Change the dates or the kind."
                    )
                    % {
                        "kind": str(ClosureKind(kind).label).lower(),
                        "first": first_day.strftime("%d-%m-%Y"),
                        "last": last_day.strftime("%d-%m-%Y"),
                    }
                },
                code="duplicate",
            )
        closure = SchoolClosure.objects.create(
            board_id=school.board_id,
            school=school,
            first_day=first_day,
            last_day=last_day,
            kind=kind,
            name=name,
            national=False,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=now,
        )
        record(
            "school_closure_added",
            actor=actor,
            obj=closure,
            board=school.board,
            summary={
                "closure_id": closure.pk,
                "school_id": school.pk,
                "kind": kind,
                "days": closure.day_count,
            },
            now=now,
        )
    return closure


def school_closure_remove(*, closure: SchoolClosure, actor: Any, now: datetime) -> None:
    """Delete a closure (own or national). Calendars are configuration, not evidence; audited."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=closure.school_id)
        locked = SchoolClosure.objects.filter(pk=closure.pk).first()
        if locked is None:
            return  # deleted by someone else in the meantime: nothing left to do
        record(
            "school_closure_removed",
            actor=actor,
            obj=locked,
            summary={
                "closure_id": locked.pk,
                "school_id": locked.school_id,
                "kind": locked.kind,
                "national": locked.national,
                "days": locked.day_count,
            },
            now=now,
        )
        locked.delete()
