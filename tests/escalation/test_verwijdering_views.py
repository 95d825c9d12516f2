"""The verwijdering pages (escalation/verwijdering_views.py): starting one, the one page with its small
forms (POST-redirect-GET to the part's anchor; errors at the field, what was typed kept), the board's
decision page, access (403 same school, 404 other school/board) and the access log.

The clock is set with time-machine to the day each step happens (dates as in the service tests)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from communications.letter_models import Letter
from escalation import verwijdering_services as svc
from escalation.domain.verwijdering import MESSAGES
from escalation.models import Verwijdering, VerwijderingStatus
from escalation.verwijdering_board import verwijdering_approvals, verwijdering_board_section
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.schools.access import AccessContext
from lev.schools.models import Membership
from tests.conftest import signed_in_client
from tests.escalation.test_verwijdering_services import (
    DECIDED,
    PARENTS_HEARD,
    STARTED,
    TEACHER_HEARD,
    at,
    bezwaar,
    decided,
    hear,
    sent,
    start,
)
from tests.i18n_helpers import h, t

pytestmark = pytest.mark.django_db
D = dt.date


def message(code: str, **params: str) -> str:
    with translation.override("nl"):
        return str(MESSAGES[code]).format(**params)


def html_of(response) -> str:
    return response.content.decode()


def detail(row: Verwijdering) -> str:
    return f"/stappenplan/verwijdering/{row.pk}/"


def board_page(row: Verwijdering) -> str:
    return f"/stappenplan/bestuur/verwijdering/{row.pk}/"


def ctx_for(user) -> AccessContext:
    memberships = list(Membership.objects.filter(user=user).select_related("school", "board"))
    return AccessContext(user=user, memberships=memberships)


# --- starting -------------------------------------------------------------------------------------


def test_the_start_page_offers_the_four_grounds_and_says_what_ground_2_needs(world):
    with time_machine.travel(at(STARTED), tick=False):
        response = signed_in_client(world.director_a).get(
            f"/stappenplan/leerling/{world.pupil_a.pk}/verwijdering/nieuw/"
        )
    html = html_of(response)
    assert response.status_code == 200
    for value in (1, 2, 3, 4):
        assert re.search(rf'type="radio" name="ground" value="{value}"', html)
    assert h(t("Serious misconduct by the pupil")) in html
    assert (
        h(
            t(
                "Ground 2 needs lighter measures that did not help and a warning to the pupil and/or the parents "
                "that a next time leads to verwijdering (Bijlage 4)."
            )
        )
        in html
    )
    log = AccessLogEntry.objects.get()
    assert (log.object_type, log.pupil_id, log.outcome) == (
        "schools.pupil",
        world.pupil_a.pk,
        AccessOutcome.GRANTED,
    )


def test_a_refused_start_keeps_what_was_typed_and_says_why_at_the_ground(world):
    client = signed_in_client(world.director_a)
    data = {
        "ground": "2",
        "ground_explanation": "Anna sloeg drie keer een klasgenoot.",
        "earlier_measures": "Twee schorsingen.",
        "interim_arrangement": "Anna blijft in groep 5a.",
    }
    with time_machine.travel(at(STARTED), tick=False):
        response = client.post(f"/stappenplan/leerling/{world.pupil_a.pk}/verwijdering/nieuw/", data)
    html = html_of(response)
    assert response.status_code == 200
    assert re.search(
        r'id="id_ground_error" class="lev-field-error" role="alert">'
        + re.escape(h(message("ground_2_conditions"))),
        html,
    )
    assert "Anna sloeg drie keer een klasgenoot.</textarea>" in html
    assert "Twee schorsingen.</textarea>" in html
    assert re.search(r'value="2" id="[^"]+" checked', html)
    assert not Verwijdering.objects.exists()


def test_starting_leads_to_the_page(world):
    client = signed_in_client(world.deputy_a)
    data = {
        "ground": "1",
        "ground_explanation": "De ondersteuningsbehoefte is te groot.",
        "interim_arrangement": "Anna blijft in groep 5a, met een eigen programma.",
    }
    with time_machine.travel(at(STARTED), tick=False):
        response = client.post(f"/stappenplan/leerling/{world.pupil_a.pk}/verwijdering/nieuw/", data)
        row = Verwijdering.objects.get()
        assert response.status_code == 302 and response["Location"] == detail(row)
        html = html_of(client.get(detail(row)))
        # A second start leads to the running one.
        again = client.get(f"/stappenplan/leerling/{world.pupil_a.pk}/verwijdering/nieuw/")
    assert again.status_code == 302 and again["Location"] == detail(row)
    assert "Anna blijft in groep 5a, met een eigen programma." in html  # R10: shown on the page
    for anchor in (
        "ground",
        "rapport",
        "hearings",
        "decision",
        "letters",
        "leerplicht",
        "bezwaar",
        "gpo",
        "search",
        "removal",
    ):
        assert f'id="{anchor}"' in html
    assert row.status == VerwijderingStatus.STARTED


def test_only_the_director_and_deputy_start_and_another_schools_pupil_is_404(world):
    url = f"/stappenplan/leerling/{world.pupil_a.pk}/verwijdering/nieuw/"
    assert signed_in_client(world.ib_a).get(url).status_code == 403
    assert signed_in_client(world.teacher_a).get(url).status_code == 403
    assert signed_in_client(world.board_member).get(url).status_code == 404
    assert (
        signed_in_client(world.director_a)
        .get(f"/stappenplan/leerling/{world.pupil_b.pk}/verwijdering/nieuw/")
        .status_code
        == 404
    )


# --- the page --------------------------------------------------------------------------------------


def test_who_reads_the_page_and_who_acts(world):
    row = start(world)
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        for persona in ("director_a", "deputy_a", "ib_a"):
            assert signed_in_client(getattr(world, persona)).get(detail(row)).status_code == 200
        for persona in ("teacher_a", "staff_a", "confidant_a", "board_member", "privacy_officer"):
            assert signed_in_client(getattr(world, persona)).get(detail(row)).status_code == 403
        assert signed_in_client(world.teacher_b).get(detail(row)).status_code == 404
        ib = html_of(signed_in_client(world.ib_a).get(detail(row)))
        director = html_of(signed_in_client(world.director_a).get(detail(row)))
    assert 'action="/stappenplan/verwijdering/' not in ib  # the IB reads only
    assert f'action="/stappenplan/verwijdering/{row.pk}/horen/"' in director
    assert f'action="/stappenplan/verwijdering/{row.pk}/rapport/"' in director
    # Without a mandate setting the decision is the board's: not on the director's page.
    assert 'id="decide-form"' not in director
    assert h(t("Not decided yet. The board decides after the hearings.")) in director
    granted = AccessLogEntry.objects.filter(
        outcome=AccessOutcome.GRANTED, object_type="escalation.verwijdering"
    )
    denied = AccessLogEntry.objects.filter(
        outcome=AccessOutcome.DENIED, object_type="escalation.verwijdering"
    )
    assert granted.count() == 5 and denied.count() == 5


def test_a_hearing_without_minutes_keeps_the_date_and_says_so_at_the_field(world):
    row = start(world)
    client = signed_in_client(world.director_a)
    with time_machine.travel(at(TEACHER_HEARD, 16), tick=False):
        response = client.post(
            f"/stappenplan/verwijdering/{row.pk}/horen/",
            {"hearing-who": "groepsleraar", "hearing-heard_on": "2026-03-16", "hearing-note": " "},
        )
        html = html_of(response)
        assert response.status_code == 200
        assert re.search(
            r'id="id_hearing-note_error" class="lev-field-error" role="alert">'
            + re.escape(h(t("Write down what was said in the hearing."))),
            html,
        )
        assert 'value="2026-03-16"' in html
        response = client.post(
            f"/stappenplan/verwijdering/{row.pk}/horen/",
            {
                "hearing-who": "groepsleraar",
                "hearing-heard_on": "2026-03-16",
                "hearing-note": "De leerkracht is gehoord.",
            },
        )
    assert response.status_code == 302 and response["Location"] == detail(row) + "#hearings"
    row.refresh_from_db()
    assert row.groepsleraar_heard_on == TEACHER_HEARD


def test_the_board_page_is_the_boards(world):
    row = start(world)
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        assert signed_in_client(world.board_member).get(board_page(row)).status_code == 200
        for persona in ("director_a", "deputy_a", "ib_a", "teacher_a", "privacy_officer", "functional_admin"):
            assert signed_in_client(getattr(world, persona)).get(board_page(row)).status_code == 403
        assert signed_in_client(world.teacher_b).get(board_page(row)).status_code == 404


def test_the_board_decision_is_refused_without_both_hearings_and_keeps_the_reasons(world):
    row = start(world)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    client = signed_in_client(world.board_member)
    with time_machine.travel(at(DECIDED), tick=False):
        html = html_of(client.get(board_page(row)))
        assert 'id="decide-form"' in html
        assert h(message("parents_not_heard", decided_on="26-03-2026")) in html  # shown before deciding
        response = client.post(
            f"/stappenplan/bestuur/verwijdering/{row.pk}/besluit/",
            {
                "page": "board",
                "decide-decided_on": "2026-03-26",
                "decide-reasons": "Onze redenen, zorgvuldig geschreven.",
            },
        )
    html = html_of(response)
    assert response.status_code == 200
    assert "Onze redenen, zorgvuldig geschreven.</textarea>" in html
    form = html[html.index('id="decide-form"') :]
    assert h(message("parents_not_heard", decided_on="26-03-2026")) in form[: form.index("</form>")]
    row.refresh_from_db()
    assert row.status == VerwijderingStatus.STARTED
    hear(world, row, "parents", PARENTS_HEARD)
    with time_machine.travel(at(DECIDED), tick=False):
        response = client.post(
            f"/stappenplan/bestuur/verwijdering/{row.pk}/besluit/",
            {"page": "board", "decide-decided_on": "2026-03-26", "decide-reasons": "Onze redenen."},
        )
        assert response.status_code == 302 and response["Location"] == board_page(row) + "#decision"
        html = html_of(client.get(board_page(row)))
    assert '<dd class="col-sm-8" id="decided-on">26-03-2026</dd>' in html
    assert 'id="decide-form"' not in html
    # The director may not post a decision (no mandate setting).
    with time_machine.travel(at(DECIDED), tick=False):
        denied = signed_in_client(world.director_a).post(
            f"/stappenplan/verwijdering/{row.pk}/besluit/",
            {"decide-decided_on": "2026-03-26", "decide-reasons": "x"},
        )
    assert denied.status_code == 403


def test_a_second_decision_at_the_same_time_is_told_it_was_decided_already(world):
    row = start(world)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    hear(world, row, "parents", PARENTS_HEARD)
    svc.verwijdering_decide(
        verwijdering=row, decided_on=DECIDED, reasons="Eerste.", actor=world.board_member, now=at(DECIDED)
    )
    from tests.escalation.test_verwijdering_services import second_board_member

    with time_machine.travel(at(DECIDED, 11), tick=False):
        response = signed_in_client(second_board_member(world)).post(
            f"/stappenplan/bestuur/verwijdering/{row.pk}/besluit/",
            {"page": "board", "decide-decided_on": "2026-03-26", "decide-reasons": "Tweede."},
        )
    html = html_of(response)
    assert response.status_code == 200
    stale = html[html.index('id="verwijdering-stale-errors"') :]
    assert (
        h(t("This verwijdering was already decided on %(day)s.", day="26-03-2026"))
        in stale[: stale.index("</div>")]
    )
    row.refresh_from_db()
    assert row.decision_reasons == "Eerste."


def test_the_bezwaar_terms_are_shown_with_dates_and_on_time_or_late(world):
    row = sent(world)
    bezwaar(world, row, D(2026, 5, 27), D(2026, 5, 18))  # posted on the last day, arrived after the week
    with time_machine.travel(at(D(2026, 5, 28)), tick=False):
        html = html_of(signed_in_client(world.director_a).get(detail(row)))
    term = html[html.index('data-lev-deadline="bezwaar-verwijdering"') :]
    assert h(t("due %(due)s", due="18-05-2026")) in term[: term.index("</p>")]
    assert h(t("Late")) in html
    assert (
        h(
            t(
                "The term ran to %(end)s; a bezwaar posted by then is on time when it arrives by %(grace)s (Awb art. 6:9).",
                end="18-05-2026",
                grace="26-05-2026",
            )
        )
        in html
    )
    assert (
        h(t("A late bezwaar is received all the same; the board decides whether it is admissible.")) in html
    )


def test_a_running_gpo_case_blocks_the_decision_on_the_page(world):
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 5, 13))
    svc.gpo_case_file(
        verwijdering=row, filed_on=D(2026, 5, 20), actor=world.director_a, now=at(D(2026, 5, 20))
    )
    svc.verwijdering_bezwaar_hearing(
        objection=objection,
        heard_on=D(2026, 5, 26),
        note="Gehoord.",
        actor=world.board_member,
        now=at(D(2026, 5, 26)),
    )
    client = signed_in_client(world.board_member)
    with time_machine.travel(at(D(2026, 5, 28)), tick=False):
        html = html_of(client.get(board_page(row)))
        assert (
            h(
                t(
                    "A case at the GPO is running: the board may not decide on this bezwaar, and its decision term is suspended (WPO art. 43 lid 4)."
                )
            )
            in html
        )
        assert h(t("suspended since %(since)s", since="20-05-2026")) in html
        assert h(t("Verweer of the board within two weeks: by %(due)s.", due="03-06-2026")) in html
        response = client.post(
            f"/stappenplan/bestuur/verwijdering/bezwaar/{objection.pk}/besluit/",
            {
                f"bezwaar-decide-{objection.pk}-decided_on": "2026-05-28",
                f"bezwaar-decide-{objection.pk}-outcome": "upheld",
                f"bezwaar-decide-{objection.pk}-reasons": "Ongegrond verklaard.",
                "page": "board",
            },
        )
    html = html_of(response)
    assert response.status_code == 200
    assert re.search(
        rf'id="id_bezwaar-decide-{objection.pk}-decided_on_error" class="lev-field-error" role="alert">'
        + re.escape(h(message("gpo_case_running"))),
        html,
    )
    assert "Ongegrond verklaard.</textarea>" in html


def test_the_decision_letter_is_written_from_the_record(world):
    row = decided(world)
    with time_machine.travel(at(D(2026, 3, 27)), tick=False):
        response = signed_in_client(world.board_member).post(
            f"/stappenplan/verwijdering/{row.pk}/brief/",
            {"page": "board", "letter-kind": "verwijdering_besluit"},
        )
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("communications:letter_detail", args=[letter.pk])
    assert letter.kind == "verwijdering_besluit"
    row.refresh_from_db()
    assert row.letter_id == letter.pk


def test_definitive_removal_without_an_accepting_school_is_refused_on_the_page(world):
    row = decided(world)
    with time_machine.travel(at(D(2026, 4, 1)), tick=False):
        response = signed_in_client(world.director_a).post(
            f"/stappenplan/verwijdering/{row.pk}/definitief/", {"complete-removed_on": "2026-04-01"}
        )
    html = html_of(response)
    assert response.status_code == 200
    form = html[html.index('id="complete-form"') :]
    assert h(message("no_accepting_school")) in form[: form.index("</form>")]
    assert 'value="2026-04-01"' in form[: form.index("</form>")]


# --- the board's page and start page ---------------------------------------------------------------


def test_the_board_section_and_the_start_page(world):
    row = start(world)
    hear(world, row, "groepsleraar", TEACHER_HEARD)
    ctx = ctx_for(world.board_member)
    with translation.override("nl"):
        section = verwijdering_board_section(ctx, world.board)
        assert [(i.pupil, i.waiting) for i in section.items] == [(world.pupil_a.full_name, False)]
        assert verwijdering_approvals(ctx) == []
        hear(world, row, "parents", PARENTS_HEARD)
        section = verwijdering_board_section(ctx, world.board)
        assert [(i.url, i.waiting) for i in section.items] == [(board_page(row), True)]
        approvals = verwijdering_approvals(ctx)
        assert [a["url"] for a in approvals] == [board_page(row)]
        # Not the director's, and nothing of another board.
        assert verwijdering_approvals(ctx_for(world.director_a)) == []
        assert verwijdering_board_section(ctx_for(world.director_a), world.board).items == []


def test_bezwaren_and_gpo_cases_wait_on_the_boards_page(world):
    row = sent(world)
    objection = bezwaar(world, row, D(2026, 5, 13))
    svc.gpo_case_file(
        verwijdering=row, filed_on=D(2026, 5, 20), actor=world.director_a, now=at(D(2026, 5, 20))
    )
    ctx = ctx_for(world.board_member)
    with translation.override("nl"):
        section = verwijdering_board_section(ctx, world.board)
        whats = [i.what for i in section.items]
        assert len(whats) == 2
        assert t("the decision term is suspended (GPO case)") in whats[0]
        assert (
            t(
                "Case at the GPO filed on %(filed)s: the board's verweer is due by %(due)s",
                filed="20-05-2026",
                due="03-06-2026",
            )
            == whats[1]
        )
        approvals = verwijdering_approvals(ctx)
        assert [a["url"] for a in approvals] == [board_page(row)]
    assert objection.verwijdering_id == row.pk
