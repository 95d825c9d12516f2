"""School calendar writes on the real database: seeding the region's national days (idempotent,
own rows kept), adding and removing closures, and the non-school days the time-out and schorsing
code will read.

Expected numbers worked out by hand from data/school_holidays.json and the public holidays
(tests/deadlines/test_school_calendar_domain.py): region midden knows 2024-2025 (5 periods + Goede
Vrijdag, Tweede Paasdag, 5 May 2025, Hemelvaart, Tweede Pinksterdag = 10), 2025-2026 (5 + Goede
Vrijdag, Tweede Paasdag, Hemelvaart, Tweede Pinksterdag = 9) and 2026-2027 (5 + Goede Vrijdag
26 Mar, Tweede Paasdag 29 Mar, Hemelvaart 6 May, Tweede Pinksterdag 17 May 2027 = 9): 28 rows.
Region noord knows 2024-2025 (10) and 2025-2026 (9): 19 rows, of which 14 are identical to
midden's (2024-2025: kerst, mei and the five public holidays; 2025-2026: herfst, kerst, mei and
the four public holidays).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lev.audit.models import AuditEvent
from lev.deadlines import calendar_services as services
from lev.deadlines.calendar_data import SCHOOL_HOLIDAYS_FILE, school_holiday_data
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.domain import school_calendar as domain
from lev.deadlines.models import ClosureKind, Region, SchoolCalendar, SchoolClosure
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
D = dt.date.fromisoformat


def set_region(world, region, **kwargs):
    return services.school_region_set(
        school=world.school_a, region=region, actor=world.functional_admin, now=NOW, **kwargs
    )


def add(world, first, last, kind=ClosureKind.STUDY_DAY, name="Studiedag team", school=None):
    return services.school_closure_add(
        school=school or world.school_a,
        first_day=D(first),
        last_day=D(last),
        kind=kind,
        name=name,
        actor=world.functional_admin,
        now=NOW,
    )


def national_rows(school):
    return set(
        SchoolClosure.objects.filter(school=school, national=True).values_list(
            "kind", "first_day", "last_day", "name"
        )
    )


def test_domain_and_model_choices_agree():
    assert set(ClosureKind.values) == {k.value for k in domain.ClosureKind}
    assert tuple(Region.values) == domain.REGIONS


def test_region_midden_seeds_28_national_rows_and_one_audit_row(world):
    result = set_region(world, "midden")
    assert (result.changed, result.added, result.removed) == (True, 28, 0)
    assert result.school_years == ("2024-2025", "2025-2026", "2026-2027")
    calendar = SchoolCalendar.objects.get(school=world.school_a)
    assert (calendar.region, calendar.board, calendar.updated_at) == ("midden", world.board, NOW)
    rows = SchoolClosure.objects.filter(school=world.school_a)
    assert rows.count() == 28
    assert set(rows.values_list("national", "board", "created_by")) == {
        (True, world.board.pk, world.functional_admin.pk)
    }
    assert rows.filter(kind=ClosureKind.VACATION).count() == 15
    assert rows.filter(
        first_day=D("2026-04-03"), kind=ClosureKind.PUBLIC_HOLIDAY, name="Goede Vrijdag"
    ).exists()
    # Koningsdag 2026 lies in the meivakantie: no row of its own. 5 May 2026 is no closure.
    assert not rows.filter(first_day=D("2026-04-27")).exists()
    assert not rows.filter(first_day=D("2026-05-05")).exists()
    assert not SchoolClosure.objects.filter(school=world.school_b).exists()
    event = AuditEvent.objects.get(action="school_calendar_region_set")
    assert event.summary == {
        "school_id": world.school_a.pk,
        "region": "midden",
        "previous_region": "",
        "school_years": ["2024-2025", "2025-2026", "2026-2027"],
        "added": 28,
        "removed": 0,
    }
    assert (event.board, event.actor, event.object_id) == (
        world.board,
        world.functional_admin,
        str(calendar.pk),
    )


def test_setting_the_same_region_twice_writes_nothing(world):
    set_region(world, "midden")
    before = list(SchoolClosure.objects.order_by("pk").values())
    again = set_region(world, "midden")
    assert (again.changed, again.added, again.removed) == (False, 0, 0)
    assert list(SchoolClosure.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.filter(action="school_calendar_region_set").count() == 1
    assert SchoolCalendar.objects.get(school=world.school_a).updated_at == NOW


def test_changing_the_region_replaces_national_rows_and_keeps_own_rows(world):
    set_region(world, "midden")
    study_day = add(world, "2025-10-15", "2025-10-15")
    result = set_region(world, "noord")
    assert (result.changed, result.added, result.removed) == (True, 5, 14)
    assert result.school_years == ("2024-2025", "2025-2026")
    assert SchoolClosure.objects.filter(school=world.school_a, national=True).count() == 19
    assert SchoolClosure.objects.filter(pk=study_day.pk, national=False).exists()
    noord = {
        (c.kind, c.first_day, c.last_day, c.name)
        for year in ("2024-2025", "2025-2026")
        for c in domain.national_closures(school_holiday_data(), "noord", year)
    }
    assert national_rows(world.school_a) == noord
    assert SchoolCalendar.objects.get(school=world.school_a).region == "noord"
    assert AuditEvent.objects.filter(action="school_calendar_region_set").last().summary[
        "previous_region"
    ] == ("midden")


def test_no_region_removes_every_national_row(world):
    set_region(world, "zuid")
    add(world, "2026-03-04", "2026-03-04")
    result = set_region(world, "")
    assert (result.changed, result.added, result.removed, result.school_years) == (True, 0, 19, ())
    assert list(SchoolClosure.objects.filter(school=world.school_a).values_list("national", flat=True)) == [
        False
    ]
    assert SchoolCalendar.objects.get(school=world.school_a).region == ""


def test_a_national_row_the_school_has_as_its_own_is_not_added_twice(world):
    own = add(world, "2025-10-18", "2025-10-26", kind=ClosureKind.VACATION, name="Herfstvakantie")
    result = set_region(world, "midden")
    assert result.added == 27
    assert SchoolClosure.objects.filter(school=world.school_a, first_day=D("2025-10-18")).get() == own
    assert set_region(world, "midden").changed is False


def test_a_corrected_data_file_replaces_the_changed_period(world):
    set_region(world, "midden")
    raw = json.loads(SCHOOL_HOLIDAYS_FILE.read_text(encoding="utf-8"))
    corrected = copy.deepcopy(raw)
    herfst = corrected["school_years"]["2025-2026"]["midden"][0]
    herfst.update(first_day="2025-10-11", last_day="2025-10-19")
    result = set_region(world, "midden", data=domain.parse_holiday_data(corrected))
    assert (result.changed, result.added, result.removed) == (True, 1, 1)
    herfst_rows = SchoolClosure.objects.filter(
        school=world.school_a, name="Herfstvakantie", first_day__year=2025
    )
    assert list(herfst_rows.values_list("first_day", "last_day")) == [(D("2025-10-11"), D("2025-10-19"))]


def test_an_unknown_region_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        set_region(world, "oost")
    assert "region" in refused.value.error_dict
    assert not SchoolCalendar.objects.exists()
    assert not AuditEvent.objects.exists()


def test_add_a_study_day_is_audited_without_its_name(world):
    closure = add(world, "2026-03-04", "2026-03-04", name="  Studiedag team  ")
    assert (closure.board, closure.school, closure.national, closure.name) == (
        world.board,
        world.school_a,
        False,
        "Studiedag team",
    )
    assert (closure.created_by, closure.created_at) == (world.functional_admin, NOW)
    event = AuditEvent.objects.get(action="school_closure_added")
    assert event.summary == {
        "closure_id": closure.pk,
        "school_id": world.school_a.pk,
        "kind": "study_day",
        "days": 1,
    }
    assert "Studiedag" not in json.dumps(event.summary)


@pytest.mark.parametrize(
    ("first", "last", "name", "field", "message"),
    [
        (
            "2026-03-04",
            "2026-03-03",
            "Studiedag",
            "last_day",
            (
                "The last day cannot be before the first day (%(first)s). Choose %(first)s or a later day.",
                {"first": "04-03-2026"},
            ),
        ),
        (
            "2027-08-01",
            "2028-08-01",
            "Jaar",
            "last_day",
            (
                "A closure lasts at most %(max)d days. Enter a longer period as several closures.",
                {"max": 366},
            ),
        ),
        ("2026-03-04", "2026-03-04", "   ", "name", ("Give a name, for example 'Studiedag team'.", {})),
    ],
)
def test_add_refuses_invalid_input_next_to_the_field(world, first, last, name, field, message):
    with pytest.raises(ValidationError) as refused:
        add(world, first, last, name=name)
    msgid, params = message
    assert refused.value.message_dict == {field: [t(msgid, **params)]}
    assert not SchoolClosure.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_closure_of_366_days_is_allowed(world):
    # 1 Aug 2027 - 31 Jul 2028 is 366 days (2028 is a leap year).
    assert add(world, "2027-08-01", "2028-07-31", name="Jaar").day_count == 366


def test_add_refuses_a_duplicate_of_the_same_kind_and_dates(world):
    add(world, "2026-03-04", "2026-03-04")
    with pytest.raises(ValidationError) as refused:
        add(world, "2026-03-04", "2026-03-04", name="Nog een studiedag")
    assert list(refused.value.message_dict) == ["first_day"]
    # Another kind on the same day, and the same day at another school, are fine.
    add(world, "2026-03-04", "2026-03-04", kind=ClosureKind.OTHER, name="Staking")
    add(world, "2026-03-04", "2026-03-04", school=world.school_b)
    assert SchoolClosure.objects.count() == 3
    assert AuditEvent.objects.filter(action="school_closure_added").count() == 3


def test_add_refuses_a_duplicate_of_a_national_row(world):
    set_region(world, "midden")
    with pytest.raises(ValidationError):
        add(world, "2026-04-03", "2026-04-03", kind=ClosureKind.PUBLIC_HOLIDAY, name="Goede Vrijdag")
    assert SchoolClosure.objects.filter(first_day=D("2026-04-03")).count() == 1


def test_the_database_refuses_a_closure_that_ends_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolClosure.objects.create(
            board=world.board,
            school=world.school_a,
            first_day=D("2026-03-04"),
            last_day=D("2026-03-03"),
            kind=ClosureKind.OTHER,
            name="x",
            created_at=NOW,
        )


def test_remove_deletes_and_audits(world):
    set_region(world, "midden")
    national = SchoolClosure.objects.get(
        school=world.school_a, name="Hemelvaartsdag", first_day=D("2026-05-14")
    )
    services.school_closure_remove(closure=national, actor=world.functional_admin, now=NOW)
    assert not SchoolClosure.objects.filter(pk=national.pk).exists()
    event = AuditEvent.objects.get(action="school_closure_removed")
    assert event.summary == {
        "closure_id": national.pk,
        "school_id": world.school_a.pk,
        "kind": "public_holiday",
        "national": True,
        "days": 1,
    }
    assert event.board == world.board
    # Saving the region again puts the national day back.
    assert set_region(world, "midden").added == 1


def test_school_non_school_days(world):
    set_region(world, "midden")
    add(world, "2025-10-15", "2025-10-15")
    add(world, "2025-10-15", "2025-10-15", school=world.school_b)
    days = school_non_school_days(world.school_a, D("2025-10-13"), D("2025-10-31"))
    # The study day Wed 15 Oct and the herfstvakantie Sat 18 - Sun 26 Oct 2025.
    assert sorted(days) == [D("2025-10-15")] + [D("2025-10-18") + dt.timedelta(days=n) for n in range(9)]
    # School B has no region: only its own study day.
    assert school_non_school_days(world.school_b, D("2025-10-13"), D("2025-10-31")) == {D("2025-10-15")}
    # Koningsdag 2026 is a non-school day through the meivakantie; 5 May 2026 is not one.
    spring = school_non_school_days(world.school_a, D("2026-04-27"), D("2026-05-05"))
    assert D("2026-04-27") in spring and D("2026-05-05") not in spring
    assert len(spring) == 7  # 27 Apr - 3 May
