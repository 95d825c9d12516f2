"""The stappenplan in the browser, on the demo data (seeded once for this module): a director takes
a pupil from the conversations of steps 3 and 4 through a time-out to a schorsing the board approves,
makes the decision letter, has the board approve it, records how it was sent, and finds the report
to the Inspectie on "Mijn termijnen".

Four people click, each in their own browser: the director (directeur.regenboog), the deputy who
approves the director's own time-out request (adjunct.regenboog; Bijlage 4 stap 5, R1), and the
board member (bestuur) who approves the schorsing beforehand (WPO art. 40c, R4: De Regenboog leaves
schorsingen to the board, the demo's default) and the decision letter (a board letter: only a board
member may approve it). The dates are worked out from today on the school's calendar, so the test
runs on any day: the time-out on the first school day from today, the schorsing on the next two
school days after it (more than one school day, so the Inspectie must be told, R6).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import override, pgettext
from playwright.sync_api import Page, expect

from communications.letter_models import DispatchMethod, LetterStatus
from communications.letter_services import dutch_date
from escalation.models import ApprovalKind, SchorsingStatus, TimeOutStatus
from tests.e2e.conftest import expect_message, shell_json, sign_in, signed_in
from tests.i18n_helpers import t, tn

PASSWORD = "Demo-Schoolplein-2741"
# The rule's title as LEV stores it (lev/deadlines/domain/rules.py, stored Dutch text).
INSPECTIE_TITLE = "Melding van een schorsing aan de Inspectie"
REASONS = (
    "Op het schoolplein sloeg de leerling een klasgenoot meermaals en bedreigde daarna de leerkracht. "
    "De afspraken van stap 4 en de time-out hebben niet geholpen."
)
EDUCATION = "De leerling krijgt elke dag werk mee; de groepsleerkracht belt dagelijks om 14.00 uur."
APPEAL_ADDRESS = "het bestuur van Stichting LEV, Postbus 100, 2770 AC Boskoop"


# The pupil and the dates, read in the server's own time zone and from the school's calendar.
CHOOSE = """
import json
from datetime import timedelta
from django.utils import timezone
from communications.letter_models import Letter
from escalation.domain.exclusion import latest_schorsing_end, next_school_day
from escalation.models import Episode, Schorsing, TimeOut
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.schools.models import GroupPlacement, PupilGuardian, School

school = School.objects.get(brin="99AA")
today = timezone.localdate()
closed = school_non_school_days(school, today, today + timedelta(days=150))
time_out_day = next_school_day(today, closed)
first = next_school_day(time_out_day + timedelta(days=1), closed)
while True:
    last = next_school_day(first + timedelta(days=1), closed)
    if last <= latest_schorsing_end(first, closed):
        break
    first = next_school_day(first + timedelta(days=1), closed)
with_parents = (
    PupilGuardian.objects.filter(school=school, has_gezag=True, guardian__address_shielded=False)
    .exclude(guardian__street="")
    .values("pupil_id")
)
busy = set(Episode.objects.values_list("pupil_id", flat=True))
busy |= set(TimeOut.objects.values_list("pupil_id", flat=True))
busy |= set(Schorsing.objects.values_list("pupil_id", flat=True))
busy |= set(Letter.objects.exclude(pupil=None).values_list("pupil_id", flat=True))
placement = (
    GroupPlacement.objects.filter(
        school=school,
        group__name="5",
        group__school_year__starts_on__lte=today,
        group__school_year__ends_on__gte=today,
        ends_on__isnull=True,
        pupil_id__in=with_parents,
    )
    .exclude(pupil_id__in=busy)
    .select_related("pupil")
    .order_by("pupil__admin_number")
    .first()
)
pupil = placement.pupil
print(json.dumps({
    "pupil": pupil.pk,
    "name": pupil.full_name,
    "surname": pupil.achternaam,
    "today": today.isoformat(),
    "time_out": time_out_day.isoformat(),
    "first": first.isoformat(),
    "last": last.isoformat(),
    "timeout_decided_by": school.timeout_decided_by,
    "suspension_decided_by": school.suspension_decided_by,
}))
"""

OUTCOME = """
import json
from communications.letter_models import Letter
from escalation.models import Episode, Schorsing, TimeOut
from lev.deadlines.models import Deadline

pupil_id = {pupil}
time_out = TimeOut.objects.get(pupil_id=pupil_id)
schorsing = Schorsing.objects.get(pupil_id=pupil_id)
letter = Letter.objects.get(pk=schorsing.letter_id)
deadline = Deadline.objects.get(
    subject_type="escalation.schorsing", subject_id=str(schorsing.pk), rule_code="inspectie-melding-schorsing"
)
print(json.dumps({{
    "episode_state": Episode.objects.get(pupil_id=pupil_id).state,
    "time_out": [time_out.status, time_out.approval_kind, time_out.requested_by.username,
                 time_out.decided_by.username, time_out.first_day.isoformat(), time_out.last_day.isoformat()],
    "schorsing": [schorsing.status, schorsing.authority, schorsing.decided_by.username,
                  schorsing.prepared_by.username, schorsing.first_day.isoformat(),
                  schorsing.last_day.isoformat(), schorsing.inspectie_needed],
    "letter": [letter.kind, letter.status, letter.author.username, letter.approved_by.username,
               letter.sent_at is not None, letter.source_type, letter.source_id == str(schorsing.pk)],
    "copies_unsent": letter.copies.filter(is_copy=False, method="").count(),
    "deadline": [deadline.pk, deadline.status, deadline.responsible_role,
                 deadline.responsible_user_id, deadline.start_on.isoformat(), deadline.due_on.isoformat()],
}}))
"""


def _dmy(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _label(choice: Any) -> str:
    """A model choice's label in the interface language."""
    with override("nl"):
        return str(choice.label)


def test_director_takes_a_pupil_from_time_out_to_an_approved_schorsing_and_a_sent_letter(
    lev_server, browser, page
):
    chosen = shell_json(lev_server, CHOOSE)
    # The demo's settings this journey rests on: the director decides time-outs (the deputy approves
    # the director's own request), the board decides schorsingen.
    assert chosen["timeout_decided_by"] == "director"
    assert chosen["suspension_decided_by"] == "board"
    pupil_id, name = chosen["pupil"], chosen["name"]
    today = date.fromisoformat(chosen["today"])
    time_out_day = date.fromisoformat(chosen["time_out"])
    first, last = date.fromisoformat(chosen["first"]), date.fromisoformat(chosen["last"])
    # The schorsing spans two school days within one week, after the time-out, from today on.
    assert today <= time_out_day < first < last and (last - first).days <= 6
    ladder_url = f"/stappenplan/leerling/{pupil_id}/"

    problems: list[str] = []
    others: list[Page] = []
    try:
        # --- The director opens the pupil's stappenplan from the pupil page. ---------------------
        sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
        expect(page).to_have_url(re.compile(r"/$"))
        page.get_by_role("navigation", name=t("Main menu")).get_by_role("link", name=t("Pupils")).click()
        page.locator("#id_q").fill(chosen["surname"])
        page.get_by_role("button", name=t("Search")).click()
        page.locator(f"table tbody a[href='/leerlingen/{pupil_id}/']").click()
        with override("nl"):
            ladder_action = pgettext("pupil action", "Step in the stappenplan")
        page.get_by_role("link", name=ladder_action).click()
        expect(page).to_have_url(re.compile(re.escape(ladder_url) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Stappenplan of %(name)s", name=name))
        expect(page.locator("#ladder-state")).to_have_text(t("No stappenplan is running for this pupil."))
        next_steps = page.locator("#next-steps")
        # No time-out yet: it follows step 4 (or a serious incident), the button says why.
        expect(next_steps.get_by_role("button", name=t("Request a time-out"))).to_be_disabled()

        # --- Step 3: the conversation with the pupils and the teacher. ----------------------------
        next_steps.get_by_role("link", name=t("Record step 3: We look for a solution together")).click()
        expect(page.get_by_label(t("Step 3: We look for a solution together"))).to_be_checked()
        page.locator("#id_summary").fill(
            "Gesprek met de leerling en de klasgenoot over het duwen en schoppen in de pauze."
        )
        page.locator("#id_participants").fill("de leerling, de klasgenoot (S.), de groepsleerkracht, de IB")
        page.locator("#id_agreements").fill("Bij boosheid loopt de leerling naar de pleinwacht.")
        page.locator("#id_parents_informed").check()
        page.locator("#id_parents_informed_how").fill("Dezelfde middag telefonisch.")
        page.locator("#step-submit").click()
        expect(page).to_have_url(re.compile(re.escape(ladder_url) + "$"))
        expect_message(page, t("Step %(step)s is recorded.", step=3))
        expect(page.locator("#step-3 .badge")).to_have_text(t("current step"))
        expect(page.locator("#step-1 .badge")).to_have_text(t("taken (implied by step 3)"))

        # --- Step 4: the conversation with the parents. -------------------------------------------
        next_steps.get_by_role("link", name=t("Record step 4: School and parents work together")).click()
        expect(page.get_by_label(t("Step 4: School and parents work together"))).to_be_checked()
        page.locator("#id_summary").fill("Gesprek met beide ouders over het gedrag op het plein.")
        page.locator("#id_participants").fill("de ouders, de groepsleerkracht, de directeur")
        page.locator("#id_agreements").fill(
            "Dagelijks een kort briefje mee naar huis; over twee weken evalueren."
        )
        page.locator("#id_parents_informed").check()
        page.locator("#id_parents_informed_how").fill("In het gesprek op school.")
        page.locator("#step-submit").click()
        expect_message(page, t("Step %(step)s is recorded.", step=4))
        expect(page.locator("#step-4 .badge")).to_have_text(t("current step"))
        expect(page.locator("#step-3 .badge")).to_have_text(t("done"))

        # --- The director asks for a time-out (rest of the day, inside the school). --------------
        next_steps.get_by_role("link", name=t("Request a time-out")).click()
        expect(page.locator("#timeout-request-form")).to_be_visible()
        page.locator("#id_reason").fill(
            "De leerling schopte in de klas een klasgenoot en bleef na twee waarschuwingen schreeuwen."
        )
        page.locator("#id_first_day").fill(time_out_day.isoformat())
        page.locator("#id_last_day").fill(time_out_day.isoformat())
        expect(
            page.get_by_label(
                t("In the school: in another group, or with a professional elsewhere in the school")
            )
        ).to_be_checked()
        page.locator("#id_where").fill("in groep 7, bij meester Jansen")
        page.locator("#id_work").fill("Rekenen blok 4 en stillezen.")
        page.get_by_label(t("Gym lessons")).check()
        page.locator("#timeout-request-submit").click()
        expect(page).to_have_url(re.compile(r"/stappenplan/time-out/\d+/$"))
        expect_message(page, t("The time-out has been requested. It needs approval before it starts."))
        expect(page.locator("#timeout-status")).to_have_text(_label(TimeOutStatus.REQUESTED))
        expect(page.locator("#timeout-days")).to_contain_text(_dmy(time_out_day))
        time_out_url = page.url
        # The director's own request: approved by the deputy (or alone, with a reason the board sees).
        expect(page.locator("#timeout-approve-submit")).to_have_text(t("Approve alone, with this reason"))

        # --- The deputy approves it from the start page. ------------------------------------------
        deputy = signed_in(browser, lev_server, "adjunct.regenboog", PASSWORD, problems)
        others.append(deputy)
        approvals = deputy.locator("section[aria-labelledby='section-approvals']")
        approvals.get_by_role("link", name=t("Time-out for %(pupil)s", pupil=name)).click()
        expect(deputy).to_have_url(time_out_url)
        expect(deputy.locator("#id_approve-self_reason")).to_have_count(0)
        deputy.locator("#timeout-approve-submit").click()
        expect_message(
            deputy, t("The time-out has been approved. Phone the parents and send them the letter today.")
        )
        expect(deputy.locator("#timeout-status")).to_have_text(_label(TimeOutStatus.APPROVED))
        expect(deputy.locator("#timeout-decided")).to_contain_text(_label(ApprovalKind.DEPUTY))

        # --- Back on the ladder: step 5; the director prepares a schorsing for the board. --------
        page.goto(lev_server.url(ladder_url))
        expect(page.locator("#step-5 .badge")).to_have_text(t("current step"))
        next_steps.get_by_role("link", name=t("Prepare a schorsing")).click()
        expect(page).to_have_url(re.compile(rf"/stappenplan/leerling/{pupil_id}/schorsing/nieuw/$"))
        # The board decides at De Regenboog: no mandate to choose.
        expect(page.locator("#id_use_mandate")).to_have_count(0)
        page.locator("#id_first_day").fill(first.isoformat())
        page.locator("#id_last_day").fill(last.isoformat())
        page.locator("#id_reasons").fill(REASONS)
        page.locator("#id_earlier_measures").fill(
            f"Gesprekken (stap 3 en 4); time-out op {_dmy(time_out_day)}."
        )
        page.locator("#schorsing-new-submit").click()
        expect(page).to_have_url(re.compile(r"/stappenplan/schorsing/\d+/$"))
        schorsing_url = page.url
        expect_message(
            page, t("The schorsing has been submitted to the board. The board decides before it starts.")
        )
        expect(page.locator("#schorsing-status")).to_have_text(_label(SchorsingStatus.SUBMITTED))
        period = page.locator("#schorsing-period")
        expect(period).to_contain_text(t("%(first)s to %(last)s", first=_dmy(first), last=_dmy(last)))
        expect(period).to_contain_text(tn("%(days)s school day", "%(days)s school days", 2, days=2))
        expect(page.locator("#schorsing-decision")).to_contain_text(
            t("Waiting for the board's approval. The board decides before the schorsing starts.")
        )

        # --- The board member approves it on the board's decision page. ---------------------------
        board = signed_in(browser, lev_server, "bestuur", PASSWORD, problems)
        others.append(board)
        board.get_by_role("navigation", name=t("Main menu")).get_by_role("link", name=t("Decisions")).click()
        row = board.locator("#board-schorsingen tbody tr").filter(has_text=name)
        expect(row).to_have_count(1)
        row.get_by_role("link").click()
        expect(board).to_have_url(re.compile(r"/stappenplan/bestuur/schorsing/\d+/$"))
        expect(board.locator("#schorsing-reasons")).to_contain_text(REASONS)
        board.get_by_label(t("Approve the schorsing")).check()
        board.locator("#schorsing-decision-submit").click()
        expect_message(
            board, t("The board has approved the schorsing. The director is told on the schorsing's page.")
        )
        expect(board.locator("#schorsing-status")).to_have_text(_label(SchorsingStatus.DECIDED))

        # --- The director: the conversation, the education, the decision letter. ----------------
        page.goto(schorsing_url)
        expect(page.locator("#schorsing-status")).to_have_text(_label(SchorsingStatus.DECIDED))
        expect(page.locator("#schorsing-decision")).to_contain_text(_label(ApprovalKind.BOARD))
        expect(page.locator("#inspectie-status")).to_contain_text(_dmy(today))
        conversation = page.locator("#conversation")
        conversation.locator("summary", has_text=t("Record the conversation")).click()
        page.locator("#id_conversation-invited_on").fill(today.isoformat())
        page.locator("#id_conversation-teacher_invited").check()
        page.locator("#id_conversation-confidant_offered").check()
        page.locator("#id_conversation-held_on").fill(today.isoformat())
        page.locator("#id_conversation-report").fill(
            "De ouders begrijpen het besluit; zij halen het werk dagelijks op."
        )
        page.locator("#schorsing-conversation-submit").click()
        expect_message(page, t("The conversation with the parents has been saved."))
        page.locator("#id_education-education_arrangements").fill(EDUCATION)
        page.locator("#id_education-tests_arrangements").fill("Er valt geen toets in deze dagen.")
        page.locator("#schorsing-education-submit").click()
        expect_message(page, t("The arrangements for education and tests have been saved."))
        expect(page.locator("#education-arrangements")).to_have_text(EDUCATION)
        page.locator("#id_letter-kind").select_option("schorsing_besluit")
        page.locator("#schorsing-letter-submit").click()
        expect(page).to_have_url(re.compile(r"/brieven/\d+/$"))
        letter_url = page.url
        expect_message(
            page,
            t(
                "The letter has been made with the details of the schorsing. Check it, then submit it for approval."
            ),
        )
        expect(page.get_by_text(t("the board: only a board member can approve this letter"))).to_be_visible()
        # Filled in from the schorsing; the author adds where the parents may appeal.
        page.get_by_role("link", name=t("Edit"), exact=True).click()
        expect(page.locator("#id_value_eerste_dag")).to_have_value(dutch_date(first, weekday=True))
        expect(page.locator("#id_value_laatste_dag")).to_have_value(dutch_date(last, weekday=True))
        expect(page.locator("#id_value_redenen")).to_have_value(REASONS)
        expect(page.locator("#id_value_gesprek_datum")).to_have_value(dutch_date(today, weekday=True))
        expect(page.locator("#id_value_onderwijsmaatregelen")).to_contain_text(EDUCATION)
        page.locator("#id_value_beroep_adres").fill(APPEAL_ADDRESS)
        page.get_by_role("button", name=t("Save"), exact=True).click()
        expect(page).to_have_url(letter_url)
        expect_message(page, t("The letter has been saved."))
        expect(page.get_by_text(t("Every required element is there."))).to_be_visible()
        page.get_by_role("button", name=t("Submit for approval")).click()
        expect_message(page, t("The letter awaits approval by a second person."))
        # The director wrote it and the board decides it: no approve button for the director.
        expect(page.get_by_role("button", name=t("Approve"), exact=True)).to_have_count(0)
        reference = page.locator("main p.lev-muted").first.inner_text().split(" · ")[0].strip()
        assert reference.startswith("LEV-"), reference

        # --- The board member approves the letter from the start page. ----------------------------
        board.goto(lev_server.url("/"))
        approvals = board.locator("section[aria-labelledby='section-approvals']")
        approvals.locator("li", has_text=reference).get_by_role("link").click()
        expect(board).to_have_url(letter_url)
        board.get_by_role("button", name=t("Approve"), exact=True).click()
        expect_message(
            board, t("The letter has been approved. LEV is making the PDFs; then record how each was sent.")
        )

        # --- The job runner makes the PDFs; the director records how each letter went out. -------
        assert "Jobs run: " in lev_server.manage("run_jobs", "--once")
        page.goto(letter_url)
        bar = page.locator("#letter-progress-bar")
        total = bar.get_attribute("max")
        assert total is not None and int(total) >= 1
        expect(bar).to_have_attribute("value", total, timeout=20_000)
        links = page.locator("a[href$='/verzending/']")
        expect(links).to_have_count(int(total))
        for index in range(int(total)):
            row = page.locator("#letter-recipients tbody tr").nth(index)
            is_copy = t("Copy for:") in row.locator("td").first.inner_text()
            row.locator("a[href$='/verzending/']").click()
            expect(page).to_have_url(re.compile(r"/verzending/$"))
            if is_copy:
                page.locator("#id_method").select_option(DispatchMethod.POST.value)
            else:
                page.locator("#id_method").select_option(DispatchMethod.REGISTERED_MAIL.value)
                page.locator("#id_tracking_number").fill(f"3SLEV{pupil_id:06d}{index}")
            page.locator("#id_sent_on").fill(today.isoformat())
            page.get_by_role("button", name=t("Save"), exact=True).click()
            expect(page).to_have_url(letter_url)
            expect_message(page, t("The dispatch has been recorded."))
        expect(page.locator("main p.lev-muted").first).to_contain_text(_label(LetterStatus.SENT))

        # --- "Mijn termijnen": the report to the Inspectie, due today (onverwijld). --------------
        outcome = shell_json(lev_server, OUTCOME.format(pupil=pupil_id))
        deadline_id = outcome["deadline"][0]
        page.get_by_role("navigation", name=t("Main menu")).get_by_role(
            "link", name=t("My deadlines"), exact=True
        ).click()
        expect(page).to_have_url(re.compile(r"/termijnen/mijn/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(t("My deadlines"))
        mine = page.locator("table tbody tr").filter(has=page.locator(f"a[href='/termijnen/{deadline_id}/']"))
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(INSPECTIE_TITLE)
        expect(mine).to_contain_text(_dmy(today))
        expect(mine).to_contain_text("CBS De Regenboog")
    finally:
        for other in others:
            other.context.close()
    assert not problems, "Browser reported problems:\n" + "\n".join(problems)

    # --- The database agrees. -------------------------------------------------------------------
    assert outcome["episode_state"] == "step_6"
    assert outcome["time_out"] == [
        "approved",
        "deputy",
        "directeur.regenboog",
        "adjunct.regenboog",
        time_out_day.isoformat(),
        time_out_day.isoformat(),
    ]
    assert outcome["schorsing"] == [
        "decided",
        "board",
        "bestuur",
        "directeur.regenboog",
        first.isoformat(),
        last.isoformat(),
        True,
    ]
    assert outcome["letter"] == [
        "schorsing_besluit",
        "sent",
        "directeur.regenboog",
        "bestuur",
        True,
        "escalation.schorsing",
        True,
    ]
    assert outcome["copies_unsent"] == 0
    # Open, for the director's role (no person), started and due on the day of the decision.
    assert outcome["deadline"][1:] == ["open", "director", None, today.isoformat(), today.isoformat()]
