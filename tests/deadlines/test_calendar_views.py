"""The functional administrator's "Kalenders" pages: the overview with the KB days, a school's
calendar (region, closures per school year, adding with errors next to the fields), deleting, and
the access rules (another board's school or closure answers 404, other roles 403).

The clock stands on Friday 20 March 2026: the current school year is 2025-2026. Numbers of national
rows as worked out in tests/deadlines/test_calendar_services.py (midden: 28 in all, 9 in 2025-2026).
"""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.utils import dateformat, translation

from lev.audit.models import AuditEvent
from lev.deadlines.calendar_services import school_closure_add, school_region_set
from lev.deadlines.models import ClosureKind, SchoolCalendar, SchoolClosure
from tests.conftest import signed_in_client
from tests.i18n_helpers import t

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def text(response) -> str:
    return unescape(response.content.decode())


def shown(day: str) -> str:
    """A date as the pages show it: Dutch weekday abbreviation and d-m-Y ("vr 03-04-2026")."""
    with translation.override("nl"):
        return dateformat.format(D(day), "D d-m-Y")


def calendar_events():
    return AuditEvent.objects.filter(action__startswith="school_c")


def page_url(school, year=None) -> str:
    url = f"/termijnen/kalenders/scholen/{school.pk}/"
    return f"{url}?jaar={year}" if year else url


def seed(world, region="midden", school=None):
    return school_region_set(school=school or world.school_a, region=region, actor=None, now=NOW)


def test_the_admin_menu_links_to_the_calendars(world):
    html = text(signed_in_client(world.functional_admin).get("/"))
    assert 'href="/termijnen/kalenders/"' in html
    assert 'href="/termijnen/kalenders/"' not in text(signed_in_client(world.director_a).get("/"))


def test_overview_lists_the_boards_schools_with_region_and_closures_this_school_year(world):
    seed(world)
    seed(world, school=world.school_b)
    html = text(signed_in_client(world.functional_admin).get("/termijnen/kalenders/"))
    assert f'href="/termijnen/kalenders/scholen/{world.school_a.pk}/"' in html
    assert "De Vuurtoren" not in html
    assert f"<td>{t('Central')}</td>" in html
    assert '<td class="text-end">9</td>' in html  # 2025-2026 only, not all 28
    assert t("Calendars per school, school year %(year)s", year="2025-2026") in html
    assert (
        t(
            "Each school has its own calendar: school holidays, public holidays on which the school is "
            "closed, and study days. LEV uses the calendar only to count the length of a time-out or "
            "schorsing in school days. A school calendar never extends a statutory term: those are counted "
            "with the Algemene termijnenwet."
        )
        in html
    )


def test_overview_shows_the_kb_days_read_only_with_their_status(world):
    html = text(signed_in_client(world.functional_admin).get("/termijnen/kalenders/"))
    # Loaded by migration 0002 from data/kb_days.json, all unverified.
    assert shown("2026-05-15") in html
    assert "vrijdag na Hemelvaartsdag" in html
    assert "manage.py kb_days" in html
    assert html.count(t("not verified")) == 10
    assert "<form" not in html.split('id="kb-days"')[1]


def test_school_page_without_region_says_so(world):
    response = signed_in_client(world.functional_admin).get(page_url(world.school_a))
    html = text(response)
    assert response.context["school_year"] == "2025-2026"
    assert (
        t(
            "No holiday region has been chosen, so LEV has filled in no national holidays. Choose the "
            "region above, or enter the holidays yourself."
        )
        in html
    )
    assert response.context["rows"] == []
    # The current and the next school year, and those the data file knows for any region.
    assert response.context["school_years"] == ["2024-2025", "2025-2026", "2026-2027"]


def test_region_change_seeds_and_is_idempotent(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        page_url(world.school_a), {"action": "region", "region": "midden", "jaar": "2025-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(world.school_a, "2025-2026")
    assert SchoolClosure.objects.filter(school=world.school_a, national=True).count() == 28
    assert SchoolCalendar.objects.get(school=world.school_a).region == "midden"
    follow = text(client.get(response["Location"]))
    assert (
        t(
            "The region has been saved. National days added: %(added)d; removed: %(removed)d.",
            added=28,
            removed=0,
        )
        in follow
    )
    assert follow.count(t("national advice, not verified")) == 9
    assert shown("2026-04-03") in follow  # Goede Vrijdag
    assert "Goede Vrijdag" in follow

    again = client.post(
        page_url(world.school_a), {"action": "region", "region": "midden", "jaar": "2025-2026"}
    )
    assert again.status_code == 302
    assert t("Nothing has changed: the calendar was already up to date.") in text(
        client.get(again["Location"])
    )
    assert SchoolClosure.objects.filter(school=world.school_a).count() == 28
    assert AuditEvent.objects.filter(action="school_calendar_region_set").count() == 1


def test_a_school_year_lev_does_not_know_is_said_honestly(world):
    seed(world, region="noord")
    client = signed_in_client(world.functional_admin)
    html = text(client.get(page_url(world.school_a, "2026-2027")))
    unknown = "LEV does not know the national school holidays for %(year)s in region %(region)s; enter them yourself."
    assert t(unknown, year="2026-2027", region=t("North")) in html
    known = text(client.get(page_url(world.school_a, "2025-2026")))
    assert t(unknown, year="2025-2026", region=t("North")) not in known
    assert known.count(t("national advice, not verified")) == 9


def test_an_invalid_school_year_falls_back_to_the_current_one(world):
    response = signed_in_client(world.functional_admin).get(page_url(world.school_a, "2025-2027"))
    assert response.context["school_year"] == "2025-2026"


def test_a_school_year_outside_the_list_is_shown_and_offered(world):
    response = signed_in_client(world.functional_admin).get(page_url(world.school_a, "2029-2030"))
    assert response.context["school_year"] == "2029-2030"
    assert response.context["school_years"] == ["2024-2025", "2025-2026", "2026-2027", "2029-2030"]
    assert 'aria-current="page" href="?jaar=2029-2030"' in text(response)


def test_add_a_closure(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        page_url(world.school_a),
        {
            "action": "add",
            "jaar": "2025-2026",
            "first_day": "2026-09-16",
            "last_day": "2026-09-16",
            "kind": ClosureKind.STUDY_DAY,
            "name": "Studiedag team",
        },
    )
    assert response.status_code == 302
    # The page opens on the school year of the new closure.
    assert response["Location"] == page_url(world.school_a, "2026-2027")
    closure = SchoolClosure.objects.get(school=world.school_a)
    assert (closure.first_day, closure.last_day, closure.kind, closure.name, closure.national) == (
        D("2026-09-16"),
        D("2026-09-16"),
        "study_day",
        "Studiedag team",
        False,
    )
    assert closure.created_by == world.functional_admin
    event = AuditEvent.objects.get(action="school_closure_added")
    assert (event.actor, event.board, event.summary["closure_id"]) == (
        world.functional_admin,
        world.board,
        closure.pk,
    )
    html = text(client.get(response["Location"]))
    assert t("The closure has been added to the calendar.") in html
    assert shown("2026-09-16") in html
    assert t("entered by the school") in html


def test_errors_are_shown_next_to_the_field_and_keep_the_input(world):
    client = signed_in_client(world.functional_admin)
    response = client.post(
        page_url(world.school_a),
        {
            "action": "add",
            "jaar": "2025-2026",
            "first_day": "2026-03-04",
            "last_day": "2026-03-03",
            "kind": ClosureKind.OTHER,
            "name": "Studiedag bovenbouw",
        },
    )
    assert response.status_code == 200
    html = text(response)
    error = t(
        "The last day cannot be before the first day (%(first)s). Choose %(first)s or a later day.",
        first="04-03-2026",
    )
    assert f'<div id="id_last_day_error" class="lev-field-error" role="alert">{error}</div>' in html
    assert 'value="2026-03-04"' in html and 'value="2026-03-03"' in html
    assert 'value="Studiedag bovenbouw"' in html
    assert '<option value="other" selected>' in html
    assert not SchoolClosure.objects.exists()
    assert not calendar_events().exists()


def test_missing_fields_and_a_duplicate_are_refused(world):
    client = signed_in_client(world.functional_admin)
    empty = client.post(page_url(world.school_a), {"action": "add"})
    assert empty.status_code == 200
    assert set(empty.context["add_form"].errors) == {"first_day", "last_day", "kind", "name"}
    data = {
        "action": "add",
        "first_day": "2026-03-04",
        "last_day": "2026-03-04",
        "kind": "study_day",
        "name": "A",
    }
    assert client.post(page_url(world.school_a), data).status_code == 302
    duplicate = client.post(page_url(world.school_a), {**data, "name": "B"})
    assert duplicate.status_code == 200
    assert list(duplicate.context["add_form"].errors) == ["first_day"]
    assert 'value="B"' in text(duplicate)
    assert SchoolClosure.objects.count() == 1


def test_delete_a_closure(world):
    closure = school_closure_add(
        school=world.school_a,
        first_day=D("2026-03-04"),
        last_day=D("2026-03-04"),
        kind=ClosureKind.STUDY_DAY,
        name="Studiedag team",
        actor=None,
        now=NOW,
    )
    client = signed_in_client(world.functional_admin)
    url = f"/termijnen/kalenders/sluitingen/{closure.pk}/verwijderen/"
    confirm = text(client.get(url))
    assert "Studiedag team" in confirm and shown("2026-03-04") in confirm
    assert SchoolClosure.objects.filter(pk=closure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == page_url(world.school_a, "2025-2026")
    assert not SchoolClosure.objects.filter(pk=closure.pk).exists()
    event = AuditEvent.objects.get(action="school_closure_removed")
    assert (event.actor, event.summary["closure_id"]) == (world.functional_admin, closure.pk)
    assert t("The closure has been deleted from the calendar.") in text(client.get(response["Location"]))


def test_another_boards_school_and_closure_answer_404_and_change_nothing(world):
    other = school_closure_add(
        school=world.school_b,
        first_day=D("2026-03-04"),
        last_day=D("2026-03-04"),
        kind=ClosureKind.STUDY_DAY,
        name="Studiedag",
        actor=None,
        now=NOW,
    )
    client = signed_in_client(world.functional_admin)
    assert client.get(page_url(world.school_b)).status_code == 404
    assert client.post(page_url(world.school_b), {"action": "region", "region": "zuid"}).status_code == 404
    add = {
        "action": "add",
        "first_day": "2026-03-05",
        "last_day": "2026-03-05",
        "kind": "study_day",
        "name": "X",
    }
    assert client.post(page_url(world.school_b), add).status_code == 404
    delete = f"/termijnen/kalenders/sluitingen/{other.pk}/verwijderen/"
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    assert list(SchoolClosure.objects.values_list("pk", flat=True)) == [other.pk]
    assert not SchoolCalendar.objects.exists()
    assert calendar_events().count() == 1  # the closure added above, by nobody


@pytest.mark.parametrize("persona", ["director_a", "board_member", "teacher_a"])
def test_other_roles_get_403_and_change_nothing(world, persona):
    seed(world)
    closure = SchoolClosure.objects.filter(school=world.school_a).first()
    client = signed_in_client(getattr(world, persona))
    assert client.get("/termijnen/kalenders/").status_code == 403
    assert client.post(page_url(world.school_a), {"action": "region", "region": ""}).status_code == 403
    assert client.post(f"/termijnen/kalenders/sluitingen/{closure.pk}/verwijderen/").status_code == 403
    assert SchoolClosure.objects.filter(school=world.school_a).count() == 28
    assert SchoolCalendar.objects.get(school=world.school_a).region == "midden"
