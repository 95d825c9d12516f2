"""The time-out pages: the request form (errors next to the field, everything typed kept, the
schorsing offered for "at home"), the time-out's page with its actions (POST-redirect-GET), access
(404 other school, 403 other roles, reads logged), the start page's approvals and the board's
section. Time stands still at Tue 8 Dec 2026, 09:00 in Amsterdam (see test_timeout_services)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse

from escalation import timeout_services as svc
from escalation.models import TimeOut, TimeOutStatus
from escalation.timeout_board import timeout_approvals, timeout_board_section
from incidents.models import Incident
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.schools.access import build_access_context
from lev.schools.models import DecisionMaker
from tests.conftest import signed_in_client
from tests.escalation.test_timeout_services import NEXT_DAY, NOW, ask, at_step_4, prepare, second_director
from tests.i18n_helpers import h, t

pytestmark = pytest.mark.django_db

AT_HOME = t(
    "A pupil who stays at home is suspended, whatever the school calls it: a time-out is always inside the "
    "school. Start a schorsing instead of a time-out."
)


@pytest.fixture
def w(world):
    prepare(world)
    at_step_4(world)
    return world


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def new_url(pupil) -> str:
    return f"/stappenplan/leerling/{pupil.pk}/time-out/nieuw/"


def detail_url(time_out) -> str:
    return f"/stappenplan/time-out/{time_out.pk}/"


def field_error(html: str, field_id: str) -> str:
    found = re.search(
        rf'<div id="{re.escape(field_id)}_error" class="lev-field-error" role="alert">(.*?)</div>', html
    )
    return found.group(1) if found else ""


def form_data(**changes) -> dict:
    data = {
        "reason": "Sam schopte tegen de deur en bleef schreeuwen.",
        "first_day": "2026-12-08",
        "last_day": "2026-12-08",
        "place": "in_school",
        "where": "in groep 6a, bij juf Ans",
        "work": "Taal blz. 30 & 31",
        "excluded_activities": ["gym", "after_school_care"],
    }
    data.update(changes)
    return data


def ctx_of(user):
    return build_access_context(user, today=dt.date(2026, 12, 8), active_school_id=None)


# --- the request form ------------------------------------------------------------------------------


def test_form_prefilled_from_an_incident(w):
    incident = Incident.objects.create(
        board=w.board,
        school=w.school_a,
        number="2026-0042",
        happened_on=dt.date(2026, 12, 8),
        location="Gang",
        category="pesten",
        description="Sam schopte een klasgenoot.",
        severity="serious",
        reporter=w.teacher_a,
        recorded_by=w.teacher_a,
        created_at=NOW,
    )
    response = signed_in_client(w.teacher_a).get(new_url(w.pupil_a) + f"?incident={incident.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam schopte een klasgenoot.</textarea>" in html
    assert 'name="first_day" value="2026-12-08"' in html
    # A teacher cannot confirm for the director: no such box on the teacher's form.
    assert 'name="longer_confirmed"' not in html
    assert (
        'name="longer_confirmed"' in signed_in_client(w.director_a).get(new_url(w.pupil_a)).content.decode()
    )
    # The incident travels along: the request is linked to it.
    response = signed_in_client(w.teacher_a).post(
        new_url(w.pupil_a) + f"?incident={incident.pk}", form_data()
    )
    assert response.status_code == 302
    assert TimeOut.objects.get().incident == incident


def test_at_home_refused_next_to_the_field_with_the_schorsing_offered(w):
    client = signed_in_client(w.teacher_a)
    response = client.post(new_url(w.pupil_a), form_data(place="at_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_place") == h(AT_HOME)
    assert 'id="timeout-schorsing-offer"' in html
    try:
        schorsing = reverse("escalation:schorsing_new", args=[w.pupil_a.pk])
    except NoReverseMatch:
        schorsing = None
    if schorsing is not None:
        assert f'href="{schorsing}" id="timeout-schorsing-link"' in html
    # Everything typed is still there.
    assert "Sam schopte tegen de deur en bleef schreeuwen.</textarea>" in html
    assert 'value="in groep 6a, bij juf Ans"' in html
    assert f"{h('Taal blz. 30 & 31')}</textarea>" in html
    assert re.search(r'value="at_home" id="id_place_1" checked', html)
    assert re.search(r'value="gym" id="id_excluded_activities_0" checked', html)
    assert re.search(r'value="after_school_care" id="id_excluded_activities_3" checked', html)
    assert not re.search(r'value="lunch_break" id="id_excluded_activities_2" checked', html)
    assert not TimeOut.objects.exists()


def test_at_home_named_at_once_even_with_the_dates_missing(w):
    response = signed_in_client(w.director_a).post(
        new_url(w.pupil_a), form_data(place="at_home", first_day="", last_day="", where="")
    )
    html = response.content.decode()
    assert field_error(html, "id_place") == h(AT_HOME)
    assert field_error(html, "id_first_day") == h(t("Enter the first day of the time-out."))
    assert 'id="timeout-schorsing-offer"' in html
    assert not TimeOut.objects.exists()


def test_longer_than_the_school_allows_refused_at_the_end_date(w):
    response = signed_in_client(w.teacher_a).post(new_url(w.pupil_a), form_data(last_day="2026-12-09"))
    assert response.status_code == 200
    html = response.content.decode()
    expected = t(
        "Under the school's setting, a time-out lasts at most the rest of the day (Bijlage 4, stap 5). "
        "Choose {first_day} as the end date."
    ).format(first_day="08-12-2026")
    assert field_error(html, "id_last_day") == h(expected)
    assert 'name="last_day" value="2026-12-09"' in html
    assert "Sam schopte tegen de deur en bleef schreeuwen.</textarea>" in html


def test_required_fields_named_at_the_field(w):
    response = signed_in_client(w.teacher_a).post(new_url(w.pupil_a), form_data(reason="", first_day=""))
    html = response.content.decode()
    assert field_error(html, "id_reason") == h(
        t("Write down what happened: the facts. The parents receive them in the letter.")
    )
    assert field_error(html, "id_first_day") == h(t("Enter the first day of the time-out."))
    assert 'value="in groep 6a, bij juf Ans"' in html


def test_request_then_the_page(w):
    response = signed_in_client(w.teacher_a).post(new_url(w.pupil_a), form_data())
    row = TimeOut.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(row)
    html = signed_in_client(w.teacher_a).get(detail_url(row)).content.decode()
    assert t("Waiting for approval") in html
    assert "08-12-2026" in html
    assert h("Taal blz. 30 & 31") in html
    assert h(t("Gym lessons")) in html and h(t("Buitenschoolse opvang (after-school care)")) in html
    # The teacher may withdraw and record the call, not decide.
    assert 'id="timeout-withdraw-form"' in html and 'id="timeout-phone-form"' in html
    assert 'id="timeout-approve-form"' not in html and 'id="timeout-reject-form"' not in html
    director = signed_in_client(w.director_a).get(detail_url(row)).content.decode()
    assert 'id="timeout-approve-form"' in director and 'id="timeout-reject-form"' in director
    assert 'name="approve-self_reason"' not in director


def test_form_access(w):
    url = new_url(w.pupil_a)
    assert signed_in_client(w.ib_a).get(url).status_code == 403
    assert signed_in_client(w.staff_a).get(url).status_code == 403
    assert signed_in_client(w.teacher_a).get(new_url(w.pupil_a_other)).status_code == 403
    assert signed_in_client(w.director_a).get(new_url(w.pupil_a_other)).status_code == 200
    assert signed_in_client(w.director_a).get(new_url(w.pupil_b)).status_code == 404
    assert signed_in_client(w.board_member).get(url).status_code == 404
    assert signed_in_client(w.teacher_a).post(new_url(w.pupil_a_other), form_data()).status_code == 403
    assert not TimeOut.objects.exists()


# --- the time-out's page ---------------------------------------------------------------------------


def test_director_approves_and_the_same_day_reminder_shows(w):
    row = ask(w)
    client = signed_in_client(w.director_a)
    response = client.post(f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1"})
    assert response.status_code == 302 and response["Location"] == detail_url(row) + "#parents"
    row.refresh_from_db()
    assert (row.status, row.approval_kind) == (TimeOutStatus.APPROVED, "director")
    html = client.get(detail_url(row)).content.decode()
    assert 'id="timeout-reminder"' in html
    assert h(t("Today: tell the parents, by phone and in writing")) in html
    assert 'id="reminder-phone"' in html and 'id="reminder-letter"' in html
    assert 'id="timeout-approve-form"' not in html
    # After the call and the letter's making, only the sending is still missing.
    svc.timeout_parents_phoned(time_out=row, phoned_at=NOW, note="", actor=w.teacher_a, now=NOW)
    response = client.post(f"{detail_url(row)}brief/", {"letter-confirm": "1"})
    row.refresh_from_db()
    assert row.letter is not None
    assert response.status_code == 302 and response["Location"] == reverse(
        "communications:letter_detail", args=[row.letter.pk]
    )
    html = client.get(detail_url(row)).content.decode()
    assert 'id="reminder-phone"' not in html and 'id="reminder-letter"' not in html
    assert 'id="reminder-letter-sent"' in html
    assert f'href="{reverse("communications:letter_detail", args=[row.letter.pk])}"' in html


def test_empty_button_post_decides_nothing(w):
    row = ask(w)
    response = signed_in_client(w.director_a).post(f"{detail_url(row)}goedkeuren/", {})
    assert response.status_code == 200
    assert h(t("Use the button on the page to do this.")) in response.content.decode()
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED


def test_director_alone_needs_the_reason_and_the_board_sees_it(w):
    row = ask(w, actor=w.director_a)
    client = signed_in_client(w.director_a)
    html = client.get(detail_url(row)).content.decode()
    assert 'name="approve-self_reason"' in html
    response = client.post(
        f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1", "approve-self_reason": ""}
    )
    assert response.status_code == 200
    assert field_error(response.content.decode(), "id_approve-self_reason") == h(
        t(
            "You requested this time-out yourself. Have the deputy director approve it, or write down why "
            "you are deciding yourself: the board sees that reason."
        )
    )
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED
    # The board does not see a request it does not decide.
    assert signed_in_client(w.board_member).get(detail_url(row)).status_code == 403
    response = client.post(
        f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1", "approve-self_reason": "Adjunct ziek."}
    )
    assert response.status_code == 302
    board = signed_in_client(w.board_member).get(detail_url(row))
    assert board.status_code == 200
    assert "Adjunct ziek." in board.content.decode()
    assert h(t("The director decided alone")) in board.content.decode()
    section = timeout_board_section(ctx_of(w.board_member), w.board)
    assert [(i.pupil, i.waiting, i.url) for i in section.items] == [
        (w.pupil_a.full_name, False, detail_url(row))
    ]
    assert "Adjunct ziek." in section.items[0].what
    # Not for whoever holds no board role; not for another board.
    assert timeout_board_section(ctx_of(w.director_a), w.board).items == []
    assert timeout_board_section(ctx_of(w.board_member), w.school_b.board).items == []


def test_board_section_keeps_twelve_months(w):
    row = svc.timeout_approve(
        time_out=ask(w, actor=w.director_a), actor=w.director_a, now=NOW, self_reason="Alleen."
    )
    assert len(timeout_board_section(ctx_of(w.board_member), w.board).items) == 1
    TimeOut.objects.filter(pk=row.pk).update(decided_at=dt.datetime(2025, 12, 7, 12, 0, tzinfo=dt.UTC))
    assert timeout_board_section(ctx_of(w.board_member), w.board).items == []


def test_deputy_may_not_approve_a_teachers_request(w):
    row = ask(w)
    response = signed_in_client(w.deputy_a).post(f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1"})
    assert response.status_code == 403
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REQUESTED
    assert (
        'id="timeout-approve-form"' not in signed_in_client(w.deputy_a).get(detail_url(row)).content.decode()
    )


def test_second_approval_is_told_who_decided(w):
    row = ask(w)
    other = second_director(w)
    svc.timeout_approve(time_out=row, actor=w.director_a, now=NOW)
    client = signed_in_client(other)
    response = client.post(f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1"})
    assert response.status_code == 302 and response["Location"] == detail_url(row)
    html = client.get(detail_url(row)).content.decode()
    assert (
        h(
            t(
                "This time-out was already approved by %(name)s on %(date)s.",
                name=w.director_a.display_name,
                date="08-12-2026",
            )
        )
        in html
    )


def test_too_late_to_approve_on_the_next_day(w, frozen):
    row = ask(w)
    frozen.move_to(NEXT_DAY)
    html = signed_in_client(w.director_a).get(detail_url(row)).content.decode()
    assert 'id="timeout-too-late"' in html
    assert 'id="timeout-approve-form"' not in html
    assert 'id="timeout-reject-form"' in html
    response = signed_in_client(w.director_a).post(
        f"{detail_url(row)}afwijzen/", {"reject-reason": "Te laat."}
    )
    assert response.status_code == 302
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.REJECTED


def test_phone_form_errors_keep_the_note(w):
    row = ask(w)
    client = signed_in_client(w.teacher_a)
    response = client.post(
        f"{detail_url(row)}telefoongesprek/", {"phone-phoned_at": "", "phone-note": "Vader gesproken."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "id_phone-phoned_at") == h(t("Enter the date and time of the call."))
    assert "Vader gesproken.</textarea>" in html
    response = client.post(
        f"{detail_url(row)}telefoongesprek/",
        {"phone-phoned_at": "2026-12-08T09:00", "phone-note": "Vader gesproken."},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.parents_phoned_by == w.teacher_a and row.phone_note == "Vader gesproken."


def test_withdraw_and_reject_need_a_reason(w):
    row = ask(w)
    response = signed_in_client(w.teacher_a).post(f"{detail_url(row)}intrekken/", {"withdraw-reason": ""})
    assert field_error(response.content.decode(), "id_withdraw-reason") == h(
        t("Write down why the request is withdrawn.")
    )
    response = signed_in_client(w.director_a).post(f"{detail_url(row)}afwijzen/", {"reject-reason": ""})
    assert field_error(response.content.decode(), "id_reject-reason") == h(
        t("Write down why the time-out is rejected.")
    )
    response = signed_in_client(w.teacher_a).post(
        f"{detail_url(row)}intrekken/", {"withdraw-reason": "Opgelost."}
    )
    assert response.status_code == 302
    assert TimeOut.objects.get(pk=row.pk).status == TimeOutStatus.WITHDRAWN


def test_page_access_and_reads_logged(w):
    row = ask(w)
    url = detail_url(row)
    for persona in ("director_a", "deputy_a", "ib_a", "teacher_a"):
        assert signed_in_client(getattr(w, persona)).get(url).status_code == 200, persona
    for persona in ("staff_a", "confidant_a", "board_member", "privacy_officer"):
        assert signed_in_client(getattr(w, persona)).get(url).status_code == 403, persona
    assert signed_in_client(w.teacher_b).get(url).status_code == 404
    logged = AccessLogEntry.objects.filter(object_type="escalation.timeout", object_id=str(row.pk))
    assert logged.filter(outcome=AccessOutcome.GRANTED).count() == 4
    assert logged.exclude(outcome=AccessOutcome.GRANTED).count() == 4
    assert signed_in_client(w.director_a).get("/stappenplan/time-out/999999/").status_code == 404


# --- the board decides (school setting) and the start page ----------------------------------------


def test_board_decides_when_the_school_says_so(w):
    school = w.school_a
    school.timeout_decided_by = DecisionMaker.BOARD
    school.save()
    row = ask(w, actor=w.director_a)
    assert (
        signed_in_client(w.director_a)
        .post(f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1"})
        .status_code
        == 403
    )
    html = signed_in_client(w.director_a).get(detail_url(row)).content.decode()
    # A {% translate %} text is put in the page as it is (not escaped).
    assert (
        t("Waiting for the board's approval (the school's managementstatuut leaves time-outs to the board).")
        in html
    )
    assert timeout_approvals(ctx_of(w.director_a)) == []
    approvals = timeout_approvals(ctx_of(w.board_member))
    assert [a["url"] for a in approvals] == [detail_url(row)]
    section = timeout_board_section(ctx_of(w.board_member), w.board)
    assert [(i.waiting, i.url) for i in section.items] == [(True, detail_url(row))]
    client = signed_in_client(w.board_member)
    assert 'id="timeout-approve-form"' in client.get(detail_url(row)).content.decode()
    assert client.post(f"{detail_url(row)}goedkeuren/", {"approve-confirm": "1"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.approval_kind, row.decided_by) == (
        TimeOutStatus.APPROVED,
        "board",
        w.board_member,
    )
    assert h(t("Approved by the board")) in client.get(detail_url(row)).content.decode()
    assert timeout_approvals(ctx_of(w.board_member)) == []


def test_start_page_approvals(w):
    teachers = ask(w)
    director_items = timeout_approvals(ctx_of(w.director_a))
    assert [i["url"] for i in director_items] == [detail_url(teachers)]
    assert director_items[0]["label"] == t("Time-out for %(pupil)s", pupil=w.pupil_a.full_name)
    # The deputy decides only the director's requests; the board nothing here; the teacher nothing.
    assert timeout_approvals(ctx_of(w.deputy_a)) == []
    assert timeout_approvals(ctx_of(w.board_member)) == []
    assert timeout_approvals(ctx_of(w.teacher_a)) == []
    svc.timeout_withdraw(time_out=teachers, reason="Dubbel.", actor=w.teacher_a, now=NOW)
    directors = ask(w, actor=w.director_a)
    assert [i["url"] for i in timeout_approvals(ctx_of(w.deputy_a))] == [detail_url(directors)]
    assert [i["url"] for i in timeout_approvals(ctx_of(w.director_a))] == [detail_url(directors)]
