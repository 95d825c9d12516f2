"""The schorsing pages: preparing one (errors at the field, typed input kept, the previous schorsing
shown), the school's page with its forms, the board's page, and the start page and board sections.

The clock stands still on Thu 1 Oct 2026 09:00 (Amsterdam); school A has no closures, so its school
days are Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from communications.letter_models import Letter
from escalation import schorsing_services as s
from escalation.domain.exclusion import MESSAGES
from escalation.models import Authority, Episode, Schorsing, SchorsingStatus
from escalation.schorsing_board import schorsing_approvals, schorsing_board_section
from escalation.services import episode_open, serious_incident_record
from incidents.models import Incident, IncidentPupil
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.schools.access import build_access_context
from lev.schools.models import DecisionMaker
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=AMS)  # Thu 1 Oct 2026
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def incident(world, number: str, happened: str = "2026-09-30") -> Incident:
    row = Incident.objects.create(
        board=world.board,
        school=world.school_a,
        number=number,
        happened_on=D(happened),
        location="Gymzaal",
        category="pesten",
        description="Geslagen.",
        severity="severe",
        reporter=world.teacher_a,
        recorded_by=world.teacher_a,
        created_at=NOW,
    )
    IncidentPupil.objects.create(incident=row, pupil=world.pupil_a, role="initiative")
    return row


def ready(world) -> Incident:
    first = incident(world, "2026-0001")
    episode = episode_open(pupil=world.pupil_a, actor=world.director_a, now=NOW, incident=first)
    serious_incident_record(
        episode=episode, incident=first, reason="Zeer ernstig.", actor=world.director_a, now=NOW
    )
    return first


def mandate(world) -> None:
    world.school_a.suspension_decided_by = DecisionMaker.DIRECTOR
    world.school_a.save()


def new_url(world) -> str:
    return f"/stappenplan/leerling/{world.pupil_a.pk}/schorsing/nieuw/"


def message(code: str, **params: str) -> str:
    with translation.override("nl"):
        return str(MESSAGES[code]).format(**params)


def field_error(html: str, field: str) -> list[str]:
    return re.findall(rf'<div id="id_{field}_error" class="lev-field-error" role="alert">(.*?)</div>', html)


# --- preparing ------------------------------------------------------------------------------------


def test_the_mandate_choice_is_offered_only_to_the_director_of_a_school_with_a_mandate(world):
    ready(world)
    director = signed_in_client(world.director_a)
    assert 'name="use_mandate"' not in director.get(new_url(world)).content.decode()
    mandate(world)
    assert 'name="use_mandate"' in director.get(new_url(world)).content.decode()
    assert 'name="use_mandate"' not in signed_in_client(world.deputy_a).get(new_url(world)).content.decode()


def test_the_incidents_of_the_pupil_are_offered_newest_first(world):
    first = ready(world)
    second = incident(world, "2026-0002", happened="2026-09-30")
    older = incident(world, "2026-0000", happened="2026-09-01")
    html = signed_in_client(world.director_a).get(new_url(world)).content.decode()
    positions = [html.index(f'value="{row.pk}"') for row in (second, first, older)]
    assert positions == sorted(positions)


def test_a_refusal_keeps_everything_typed_and_puts_the_message_at_its_field(world):
    first = ready(world)
    client = signed_in_client(world.director_a)
    before = AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED).count()
    response = client.post(
        new_url(world),
        {
            "first_day": "2026-10-05",
            "last_day": "2026-10-12",  # Mon 5 to Mon 12 Oct: 6 school days
            "reasons": "Klasgenoot geslagen & bedreigd.",
            "earlier_measures": "Time-out op 28-09.",
            "incidents": [first.pk],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, "last_day") == [
        h(message("more_than_5_school_days", school_days="6", latest="09-10-2026"))
    ]
    assert 'value="2026-10-05"' in html and 'value="2026-10-12"' in html
    assert "Klasgenoot geslagen &amp; bedreigd.</textarea>" in html
    assert "Time-out op 28-09.</textarea>" in html
    assert re.search(rf'value="{first.pk}" id="[^"]+" checked', html)
    assert Schorsing.objects.count() == 0
    # The page shown again is one more read of the pupil's data.
    assert AccessLogEntry.objects.filter(outcome=AccessOutcome.GRANTED).count() == before + 1


def test_a_back_to_back_schorsing_shows_the_previous_one_and_asks_for_a_new_incident(world):
    first = ready(world)
    mandate(world)
    previous = s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=D("2026-10-01"),
        last_day=D("2026-10-02"),
        reasons="Eerste schorsing.",
        earlier_measures="",
        incidents=[first],
        actor=world.director_a,
        now=NOW,
        use_mandate=True,
    )
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0, tzinfo=AMS), tick=False):
        client = signed_in_client(world.director_a)  # a new session: the old one timed out
        html = client.get(new_url(world)).content.decode()
        assert 'id="schorsing-previous"' in html
        assert f'href="/stappenplan/schorsing/{previous.pk}/"' in html
        # Tue 6 Oct: the school days after the previous one (ended Fri 2 Oct) up to it are Mon 5 and
        # Tue 6 = 2 (≤ 5), so back-to-back; only the old incident linked.
        response = client.post(
            new_url(world),
            {
                "first_day": "2026-10-06",
                "last_day": "2026-10-06",
                "reasons": "Opnieuw geslagen.",
                "incidents": [first.pk],
                "use_mandate": "on",
            },
        )
    html = response.content.decode()
    assert field_error(html, "incidents") == [
        h(message("needs_new_incident", previous_first="01-10-2026", previous_last="02-10-2026"))
    ]
    assert re.search(r'name="use_mandate" id="id_use_mandate" class="form-check-input" checked', html)


def test_preparing_under_mandate_goes_to_the_page_with_the_inspectie_task(world):
    first = ready(world)
    mandate(world)
    client = signed_in_client(world.director_a)
    response = client.post(
        new_url(world),
        {
            "first_day": "2026-10-02",  # Fri 2 + Mon 5 Oct: two school days
            "last_day": "2026-10-05",
            "reasons": "Geslagen.",
            "incidents": [first.pk],
            "use_mandate": "on",
        },
    )
    row = Schorsing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/stappenplan/schorsing/{row.pk}/"
    assert (row.status, row.authority) == (SchorsingStatus.DECIDED, Authority.MANDATE)
    html = client.get(response["Location"]).content.decode()
    assert "02-10-2026" in html and "05-10-2026" in html
    inspectie = html[html.index('id="inspectie-status"') :]
    # Onverwijld from the decision on Thu 1 Oct: due that day, too late after Fri 2 Oct.
    assert h(t("To do: due on %(due)s.", due="01-10-2026")) in inspectie[:400]
    assert h(t("late after %(day)s", day="02-10-2026")) in inspectie[:600]
    assert 'id="schorsing-inspectie-form"' in html
    assert 'id="schorsing-withdraw-form"' not in html


def test_without_a_mandate_the_schorsing_is_submitted_and_the_board_decides_on_its_page(world):
    first = ready(world)
    director = signed_in_client(world.director_a)
    response = director.post(
        new_url(world),
        {
            "first_day": "2026-10-05",
            "last_day": "2026-10-06",
            "reasons": "Geslagen.",
            "incidents": [first.pk],
        },
    )
    row = Schorsing.objects.get()
    assert (response.status_code, row.status) == (302, SchorsingStatus.SUBMITTED)
    detail = director.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert 'id="schorsing-withdraw-form"' in detail
    # The board member: 403 on the school's page, the decision on the board's page.
    board = signed_in_client(world.board_member)
    assert board.get(f"/stappenplan/schorsing/{row.pk}/").status_code == 403
    assert director.get(f"/stappenplan/bestuur/schorsing/{row.pk}/").status_code == 403
    html = board.get(f"/stappenplan/bestuur/schorsing/{row.pk}/").content.decode()
    assert h(world.pupil_a.full_name) in html
    assert 'id="schorsing-decision-form"' in html
    # Not approving without a note: the message at the note, the choice kept.
    response = board.post(
        f"/stappenplan/bestuur/schorsing/{row.pk}/besluit/", {"decision-decision": "reject"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "decision-note") == [
        h(t("Say why the board does not approve the schorsing: the director reads it."))
    ]
    assert re.search(r'value="reject" id="[^"]+" checked', html)
    response = board.post(
        f"/stappenplan/bestuur/schorsing/{row.pk}/besluit/",
        {"decision-decision": "approve", "decision-note": ""},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.authority, row.board_decided_by) == (
        SchorsingStatus.DECIDED,
        Authority.BOARD,
        world.board_member,
    )
    assert Episode.objects.get().state == "step_6"
    # A second decision is refused above the page.
    response = board.post(
        f"/stappenplan/bestuur/schorsing/{row.pk}/besluit/",
        {"decision-decision": "reject", "decision-note": "Toch."},
        follow=True,
    )
    assert h(
        t("This schorsing has already been decided or withdrawn: {status}.").format(status=t("Decided"))
    ) in (response.content.decode())


def test_the_board_sees_the_submission_on_its_start_page_and_decision_page(world):
    first = ready(world)
    row = s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=D("2026-10-05"),
        last_day=D("2026-10-06"),
        reasons="Geslagen.",
        earlier_measures="",
        incidents=[first],
        actor=world.director_a,
        now=NOW,
    )
    ctx = build_access_context(world.board_member, today=D("2026-10-01"), active_school_id=None)
    items = schorsing_approvals(ctx)
    assert items == [
        {
            "label": t("Schorsing of %(pupil)s") % {"pupil": "Anna Jansen"},
            "detail": t("%(days)s, %(school)s")
            % {
                "days": t("%(first)s to %(last)s") % {"first": "05-10-2026", "last": "06-10-2026"},
                "school": "De Regenboog",
            },
            "url": f"/stappenplan/bestuur/schorsing/{row.pk}/",
        }
    ]
    section = schorsing_board_section(ctx, world.board)
    assert [(i.pupil, i.when, i.url) for i in section.items] == [
        ("Anna Jansen", "05-10-2026", f"/stappenplan/bestuur/schorsing/{row.pk}/")
    ]
    # Nothing for the director (not a board member) or another board's member.
    director = build_access_context(
        world.director_a, today=D("2026-10-01"), active_school_id=world.school_a.pk
    )
    assert schorsing_approvals(director) == []
    assert schorsing_board_section(director, world.board).items == []


def test_an_open_objection_is_listed_with_its_decision_date(world):
    first = ready(world)
    mandate(world)
    row = s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=D("2026-10-01"),
        last_day=D("2026-10-01"),
        reasons="Geslagen.",
        earlier_measures="",
        incidents=[first],
        actor=world.director_a,
        now=NOW,
        use_mandate=True,
    )
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/stappenplan/schorsing/{row.pk}/beroep/nieuw/",
        {"objection-received_on": "2026-10-01", "objection-grounds": "Te zwaar."},
    )
    assert response.status_code == 302
    ctx = build_access_context(world.board_member, today=D("2026-10-01"), active_school_id=None)
    # Bijzonder: 14 days from receipt on Thu 1 Oct 2026 → Thu 15 Oct 2026.
    assert [i.when for i in schorsing_board_section(ctx, world.board).items] == ["15-10-2026"]
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert "15-10-2026" in html[html.index('id="objections"') :]


# --- the school's page: parts and letters --------------------------------------------------------------


def decided(world) -> Schorsing:
    first = ready(world)
    mandate(world)
    return s.schorsing_prepare(
        pupil=world.pupil_a,
        first_day=D("2026-10-02"),
        last_day=D("2026-10-05"),
        reasons="Geslagen.",
        earlier_measures="",
        incidents=[first],
        actor=world.director_a,
        now=NOW,
        use_mandate=True,
    )


def test_the_inspectie_form_keeps_the_input_and_then_records_the_report(world):
    row = decided(world)
    client = signed_in_client(world.director_a)
    url = f"/stappenplan/schorsing/{row.pk}/inspectie/"
    response = client.post(url, {"inspectie-reported_on": "2026-10-01", "inspectie-reference": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "inspectie-reference") != []
    assert 'value="2026-10-01"' in html
    response = client.post(url, {"inspectie-reported_on": "2026-10-01", "inspectie-reference": "ISD-1"})
    assert response.status_code == 302
    assert response["Location"] == f"/stappenplan/schorsing/{row.pk}/#inspectie"
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert "ISD-1" in html
    assert 'id="schorsing-inspectie-form"' not in html


def test_the_ib_reads_but_does_not_act(world):
    row = decided(world)
    ib = signed_in_client(world.ib_a)
    html = ib.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert 'id="schorsing-title"' in html
    assert "<form" not in html[html.index('id="facts"') :]
    assert ib.post(f"/stappenplan/schorsing/{row.pk}/onderwijs/", {}).status_code == 403


def test_the_decision_letter_is_made_from_the_page(world):
    row = decided(world)
    client = signed_in_client(world.director_a)
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert 'value="schorsing_besluit"' in html
    response = client.post(
        f"/stappenplan/schorsing/{row.pk}/brieven/nieuw/", {"letter-kind": "schorsing_besluit"}
    )
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/brieven/{letter.pk}/"
    row.refresh_from_db()
    assert row.letter == letter
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert f'href="/brieven/{letter.pk}/"' in html
    assert 'value="schorsing_besluit"' not in html  # one live decision letter


def test_the_conversation_refusal_is_next_to_its_field(world):
    row = decided(world)
    client = signed_in_client(world.director_a)
    response = client.post(
        f"/stappenplan/schorsing/{row.pk}/gesprek/",
        {
            "conversation-invited_on": "2026-10-01",
            "conversation-held_on": "2026-09-30",
            "conversation-report": "Besproken.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "conversation-held_on") == [
        h(t("The conversation cannot be held before the invitation."))
    ]
    assert "Besproken.</textarea>" in html


def test_the_objection_form_follows_the_denominatie(world):
    row = decided(world)
    client = signed_in_client(world.director_a)
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert 'name="objection-adviescommissie"' not in html
    assert 'name="objection-bekendmaking_on"' not in html
    world.school_a.denominatie = "openbaar"
    world.school_a.save()
    html = client.get(f"/stappenplan/schorsing/{row.pk}/").content.decode()
    assert 'name="objection-adviescommissie"' in html
    assert 'name="objection-bekendmaking_on"' in html
