"""The Meldcode in the browser, on the demo data (seeded once for this module): a care coordinator
takes a case from signals to a melding at Veilig Thuis, and finds the reminder to ask for Veilig
Thuis's feedback on "Mijn termijnen".

Two people click, each in their own browser. The group 5 teacher of De Regenboog
(leerkracht.regenboog) records a signal about a pupil of the group who has no Meldcode case. The
care coordinator (ib.regenboog) opens a case from it on the signal's page, records steps 1 to 3,
answers questions 1 and 2 of the afwegingskader "yes" (structural unsafety: a melding is required,
questions 3 to 5 follow with Veilig Thuis), records step 4 with the Balansmodel and step 5 (melden
yes, hulp no; decided by the school's eindverantwoordelijke, the director in the demo), records the
melding, and sees the feedback reminder (5 working days after the melding, Veilig Thuis's own term)
on the case page and on "Mijn termijnen". The teacher, who holds no grant, gets 404 on the case and
sees of it only "in behandeling bij de IB" on their signal.

The melding is recorded at the current minute: the reminder is listed on "Mijn termijnen" from the
moment it exists. Texts are compared through gettext (tests.i18n_helpers), so the test passes whether
or not the new Meldcode texts are translated yet.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import override, pgettext
from playwright.sync_api import Page, expect

from meldcode.domain.afwegingskader import OUTCOME_LABELS, Outcome
from meldcode.domain.steps import TEACHER_STATUS_LABELS, TeacherStatus
from tests.e2e.conftest import expect_message, shell_json, sign_in, signed_in
from tests.i18n_helpers import t

PASSWORD = "Demo-Schoolplein-2741"
# The rule's title as LEV stores it (lev/deadlines/domain/rules.py, stored Dutch text).
FEEDBACK_TITLE = "Veiligheidsbeoordeling door Veilig Thuis"
CANARY = "E2E-meldcode-4417"
SIGNAL_TEXT = (
    f"De leerling had bij binnenkomst blauwe plekken op beide bovenarmen en zei: 'papa was boos'. {CANARY}"
)
REASON = "Blauwe plekken op de bovenarmen en een uitspraak van de leerling over thuis; eerder al zorgen."
Q1_REASONING = "De blauwe plekken, de uitspraak van de leerling en het gesprek met de ouders samen."
Q2_REASONING = "Het is de derde keer dit schooljaar: herhaling van geweld, dus structurele onveiligheid."
DECISION_REASONS = "Structurele onveiligheid (vraag 2 ja): melden is verplicht. Hulp wacht op Veilig Thuis."
VT_REFERENCE = "VT-2741-0042"
NOT_FOUND_LOG = (
    "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"
)


# A group 5 pupil (the demo teacher's own group) without any Meldcode case, and the people.
CHOOSE = """
import json
from django.utils import timezone
from lev.accounts.models import User
from lev.schools.models import GroupPlacement, School
from meldcode.models import CasePupil, MeldcodeCase

school = School.objects.get(brin="99AA")
today = timezone.localdate()
busy = set(MeldcodeCase.objects.values_list("pupil_id", flat=True))
busy |= set(CasePupil.objects.values_list("pupil_id", flat=True))
placement = (
    GroupPlacement.objects.filter(
        school=school,
        group__name="5",
        group__school_year__starts_on__lte=today,
        group__school_year__ends_on__gte=today,
        ends_on__isnull=True,
    )
    .exclude(pupil_id__in=busy)
    .select_related("pupil")
    .order_by("-pupil__admin_number")
    .first()
)
pupil = placement.pupil
print(json.dumps({
    "pupil": pupil.pk,
    "name": pupil.full_name,
    "surname": pupil.achternaam,
    "final_responsible": school.meldcode_final_responsible.username,
    "director": User.objects.get(username="directeur.regenboog").pk,
    "ib": User.objects.get(username="ib.regenboog").pk,
}))
"""

# The melding's moment: the current minute in the server's time zone, and the day the reminder is due
# on by the Meldcode's own reckoning (5 working days: weekends and the Atw holidays left out).
MOMENT = """
import json
from django.utils import timezone
from lev.deadlines.calendar_data import atw_calendar
from meldcode.domain.steps import feedback_reminder_due

moment = timezone.localtime().replace(second=0, microsecond=0)
reminder = feedback_reminder_due(moment, atw_calendar()[0])
print(json.dumps({
    "local": moment.strftime("%Y-%m-%dT%H:%M"),
    "day": reminder.melding_on.isoformat(),
    "due": reminder.remind_on.isoformat(),
}))
"""

OUTCOME = """
import json
from incidents.models import Signal
from lev.deadlines.models import Deadline
from meldcode.models import AfwegingAnswer, MeldcodeCase, Melding

case = MeldcodeCase.objects.get(pk={case})
melding = Melding.objects.get(case=case)
deadline = Deadline.objects.get(pk=melding.reminder_id)
print(json.dumps({{
    "case": [case.pupil_id, case.status, case.case_manager.username,
             sorted(case.signals.values_list("pk", flat=True))],
    "steps": sorted(case.step_records.values_list("step", "author__username")),
    "decision": list(case.step_records.filter(step=5).values_list(
        "decision_melden", "decision_hulp", "decided_by__username").get()),
    "answers": sorted(AfwegingAnswer.objects.filter(case=case).values_list("question", "answer")),
    "melding": [melding.reference, melding.identity_shield, melding.filed_by.username,
                melding.parents_informed_on.isoformat() if melding.parents_informed_on else None],
    "deadline": [deadline.pk, deadline.rule_code, deadline.status, deadline.responsible_user.username,
                 deadline.start_on.isoformat(), deadline.due_on.isoformat(), deadline.reminder_only],
}}))
"""


def _dmy(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _nl(text: Any) -> str:
    """A lazy text of the code (a label) in the interface language."""
    with override("nl"):
        return str(text)


def test_care_coordinator_takes_a_case_from_signals_to_a_melding(lev_server, browser, page):
    chosen = shell_json(lev_server, CHOOSE)
    # The demo's eindverantwoordelijke for the Meldcode decision is the director.
    assert chosen["final_responsible"] == "directeur.regenboog"
    pupil_id, name = chosen["pupil"], chosen["name"]
    problems: list[str] = []
    others: list[Page] = []
    try:
        # --- The teacher records a signal about the pupil. ----------------------------------------
        teacher = signed_in(browser, lev_server, "leerkracht.regenboog", PASSWORD, problems)
        others.append(teacher)
        teacher.goto(lev_server.url("/signalen/nieuw/"))
        teacher.locator("#pupil-search").fill(chosen["surname"][:4])
        choice = teacher.locator(f"#pupil-choices #pupil-{pupil_id}")
        expect(choice).to_be_visible()
        choice.check()
        teacher.locator("#id_description").fill(SIGNAL_TEXT)
        teacher.locator("input[name='source'][value='observed']").check()
        teacher.locator("#id_location").fill("Klaslokaal groep 5")
        teacher.locator("#signal-form button[type='submit']").click()
        expect(teacher).to_have_url(re.compile(r"/signalen/nieuw/\?vastgelegd=\d+$"))
        expect_message(teacher, t("Recorded. The IB sees this signal."))
        signal_id = int(teacher.url.rsplit("=", 1)[1])
        signal_url = f"/signalen/{signal_id}/"

        # --- The care coordinator opens a case from the signal's page. ----------------------------
        sign_in(page, lev_server, "ib.regenboog", PASSWORD)
        expect(page).to_have_url(re.compile(r"/$"))
        # The pupil's page offers the case; the signal's page offers it with the signal chosen.
        page.goto(lev_server.url(f"/leerlingen/{pupil_id}/"))
        with override("nl"):
            pupil_action = pgettext("pupil action", "Meldcode case")
        expect(page.get_by_role("link", name=pupil_action, exact=True)).to_have_attribute(
            "href", f"/meldcode/nieuw/{pupil_id}/"
        )
        page.goto(lev_server.url(signal_url))
        expect(page.locator("main")).to_contain_text(CANARY)
        page.get_by_role("link", name=f"{t('Open a Meldcode case')}: {name}").click()
        expect(page).to_have_url(re.compile(rf"/meldcode/nieuw/{pupil_id}/\?signaal={signal_id}$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t("Open a Meldcode case for %(name)s", name=name)
        )
        expect(page.locator("#no-signals")).to_have_count(0)
        # The signal is one of the choices; the care coordinator is the case manager by default.
        signal_box = page.locator(f"input[name='signals'][value='{signal_id}']")
        expect(signal_box).to_be_checked()
        expect(page.locator("#id_case_manager")).to_have_value(str(chosen["ib"]))
        page.locator("#id_reason").fill(REASON)
        page.locator("#case-open-submit").click()
        expect(page).to_have_url(re.compile(r"/meldcode/\d+/$"))
        expect_message(page, t("The Meldcode case is opened."))
        case_url = page.url
        case_id = int(case_url.rstrip("/").rsplit("/", 1)[1])
        expect(page.locator("#case-pupil")).to_have_text(name)
        expect(page.locator("#signalen")).to_contain_text("blauwe plekken")
        expect(page.locator("#stap-1 .badge")).to_have_text(t("current step"))
        # No melding before the decision of step 5: the button is disabled and says why.
        melding_item = page.locator("#next-actions li").filter(
            has_text=t("Record the melding at Veilig Thuis")
        )
        expect(melding_item.get_by_role("button")).to_be_disabled()
        expect(melding_item).to_contain_text(
            t("Record the decision of step 5 (decide on melden and help) first.")
        )

        # --- Step 1: the signals. -------------------------------------------------------------------
        page.locator("#next-actions").get_by_role("link", name=t("Record step 1: map the signals")).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/stap/1/$"))
        page.locator("#id_history").fill(
            "In groep 3 en groep 4 eerder blauwe plekken gemeld; toen verklaard."
        )
        page.locator("#id_signals").fill(
            "Maandag 8.30 uur, leerkracht groep 5: blauwe plekken op beide bovenarmen (zelf gezien)."
        )
        page.locator("#id_signal_list").fill(
            "Blauwe plekken op ongebruikelijke plaatsen\nAngst voor een ouder"
        )
        page.locator("#id_question_how_often").fill("Derde keer dit schooljaar.")
        page.locator("#id_kindcheck").fill("Geen andere kinderen in het gezin buiten deze school bekend.")
        page.locator("#step-submit").click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/(#stap-1)?$"))
        expect_message(page, t("Step %(step)s is recorded.", step=1))
        expect(page.locator("#stap-1 .badge")).to_have_text(t("done"))
        expect(page.locator("#stap-2 .badge")).to_have_text(t("current step"))

        # --- Step 2: collegial consultation, Veilig Thuis asked anonymously. -----------------------
        page.locator("#next-actions").get_by_role(
            "link", name=t("Record step 2: collegial consultation and advice")
        ).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/stap/2/$"))
        page.locator("#id_consulted").fill("De directeur en de jeugdverpleegkundige (GGD), op dezelfde dag.")
        page.locator("#id_advice").fill("Gesprek met de ouders voeren; daarna opnieuw wegen.")
        page.locator("input[name='veilig_thuis_advice'][value='anonymous']").check()
        page.locator("#step-submit").click()
        expect_message(page, t("Step %(step)s is recorded.", step=2))
        expect(page.locator("#stap-2 .badge")).to_have_text(t("done"))

        # --- Step 3: the conversation with the parents. ---------------------------------------------
        page.locator("#next-actions").get_by_role(
            "link", name=t("Record step 3: the conversation with the parents")
        ).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/stap/3/$"))
        expect(page.locator("#skip-link")).to_be_visible()  # leaving it out needs a reason (M4)
        page.locator("#id_participants").fill("Beide ouders, de leerkracht van groep 5, de IB.")
        page.locator("#id_discussed").fill("De ouders zeggen dat het kind van de trap viel; het kind zweeg.")
        page.locator("#id_agreements").fill("Over twee weken een vervolggesprek.")
        page.locator("input[name='signed'][value='no']").check()
        page.locator("#step-submit").click()
        expect_message(page, t("Step %(step)s is recorded.", step=3))
        expect(page.locator("#stap-3 .badge")).to_have_text(t("done"))
        expect(page.locator("#stap-4 .badge")).to_have_text(t("current step"))

        # --- The afwegingskader: question 1 and question 2 "yes". ------------------------------------
        answer_form = page.locator("#answer-form")
        expect(page.locator("#next-question h3")).to_contain_text(t("Question %(number)s", number=1))
        answer_form.locator("input[name='answer-answer'][value='yes']").check()
        answer_form.locator("#id_answer-reasoning").fill(Q1_REASONING)
        answer_form.locator("button[type='submit']").click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/(#afweging)?$"))
        expect_message(page, t("The answer is recorded."))
        expect(page.locator("#answer-q1")).to_contain_text(Q1_REASONING)
        expect(page.locator("#next-question h3")).to_contain_text(t("Question %(number)s", number=2))
        answer_form.locator("input[name='answer-answer'][value='yes']").check()
        answer_form.locator("#id_answer-reasoning").fill(Q2_REASONING)
        answer_form.locator("button[type='submit']").click()
        expect_message(page, t("The answer is recorded."))
        expect(page.locator("#answer-q2")).to_contain_text(Q2_REASONING)
        # A melding is required; question 3 waits for it (answered together with Veilig Thuis).
        outcome = page.locator("#outcome")
        expect(outcome).to_contain_text(
            t("Outcome so far: %(label)s", label=_nl(OUTCOME_LABELS[Outcome.REPORT]))
        )
        expect(outcome).to_contain_text(t("A melding at Veilig Thuis is required."))
        expect(page.locator("#answer-form")).to_have_count(0)
        expect(page.locator("#answer-not-yet")).to_contain_text(
            t(
                "A melding is required, and questions 3 to 5 are then answered together with Veilig "
                "Thuis. Record the melding first (Bijlage 27)."
            )
        )

        # --- Step 4: the weighing, with the Balansmodel. ---------------------------------------------
        page.locator("#next-actions").get_by_role(
            "link", name=t("Record step 4: weigh and assess the worries")
        ).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/stap/4/$"))
        page.locator("#id_weighing_direct_danger").fill("Nee, niet vandaag; wel herhaling.")
        page.locator("#id_weighing_upbringing").fill("Ja: de leerling is bang voor vader.")
        page.locator("#id_weighing_near_future").fill("Ja: het geweld herhaalt zich.")
        page.locator("#id_risk_1_level").select_option("micro")
        page.locator("#id_risk_1_description").fill("Herhaald letsel zonder passende verklaring")
        page.locator("#id_protective_1_level").select_option("meso")
        page.locator("#id_protective_1_description").fill("Betrokken grootouders in de buurt")
        page.locator("#id_context_score").fill("3")
        page.locator("#id_goals").fill("Veiligheid thuis\nVerklaring van het letsel")
        page.locator("#step-submit").click()
        expect_message(page, t("Step %(step)s is recorded.", step=4))
        expect(page.locator("#stap-4 .badge")).to_have_text(t("done"))
        expect(page.locator("#stap-4 .lev-balans")).to_contain_text(
            "Herhaald letsel zonder passende verklaring"
        )

        # --- Step 5: melden yes, hulp no, decided by the eindverantwoordelijke. ----------------------
        page.locator("#next-actions").get_by_role(
            "link", name=t("Record step 5: decide on melden and help")
        ).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/stap/5/$"))
        expect(page.locator("#step-outcome")).to_contain_text(t("A melding at Veilig Thuis is required."))
        # The school's eindverantwoordelijke is the only one who decides: chosen already.
        expect(page.locator("#id_decided_by")).to_have_value(str(chosen["director"]))
        page.locator("input[name='decision_melden'][value='yes']").check()
        page.locator("input[name='decision_hulp'][value='no']").check()
        page.locator("#id_reasons").fill(DECISION_REASONS)
        page.locator("#step-submit").click()
        expect_message(page, t("Step %(step)s is recorded.", step=5))
        expect(page.locator("#stap-5 .badge")).to_have_text(t("done"))
        expect(page.locator("#stap-5")).to_contain_text(DECISION_REASONS)

        # --- The melding, made this minute. --------------------------------------------------------
        moment = shell_json(lev_server, MOMENT)
        melding_day, due = date.fromisoformat(moment["day"]), date.fromisoformat(moment["due"])
        # Five working days: later than the melding, on a weekday, at least 6 calendar days on.
        assert due.weekday() < 5 and (due - melding_day).days >= 6, moment
        page.locator("#next-actions").get_by_role(
            "link", name=t("Record the melding at Veilig Thuis")
        ).click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/melding/$"))
        expect(page.locator("#id_filed_by")).to_have_value(str(chosen["ib"]))
        page.locator("#id_melded_at").fill(moment["local"])
        page.locator("#id_reference").fill(VT_REFERENCE)
        page.locator("#id_identity_shield").check()
        page.locator("#id_parents_informed_on").fill(melding_day.isoformat())
        page.locator("#case-form-submit").click()
        expect(page).to_have_url(re.compile(rf"/meldcode/{case_id}/(#meldingen)?$"))
        expect_message(
            page,
            t(
                "The melding is recorded. Veilig Thuis decides within 5 working days; LEV reminds you to ask "
                "for the feedback."
            ),
        )
        meldingen = page.locator("#meldingen")
        expect(meldingen).to_contain_text(VT_REFERENCE)
        expect(meldingen).to_contain_text(
            t(
                "Veilig Thuis decides within 5 working days. Ask for the feedback from %(day)s if it has "
                "not come.",
                day=_dmy(due),
            )
        )
        case_terms = page.locator("#case-deadlines tbody tr").filter(has_text=FEEDBACK_TITLE)
        expect(case_terms).to_have_count(1)
        expect(case_terms).to_contain_text(_dmy(due))

        # --- "Mijn termijnen": the reminder to ask for the feedback. -------------------------------
        outcome_row = shell_json(lev_server, OUTCOME.format(case=case_id))
        deadline_id = outcome_row["deadline"][0]
        page.get_by_role("navigation", name=t("Main menu")).get_by_role(
            "link", name=t("My deadlines"), exact=True
        ).click()
        expect(page).to_have_url(re.compile(r"/termijnen/mijn/$"))
        mine = page.locator("table tbody tr").filter(has=page.locator(f"a[href='/termijnen/{deadline_id}/']"))
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(FEEDBACK_TITLE)
        expect(mine).to_contain_text(_dmy(due))
        expect(mine).to_contain_text("CBS De Regenboog")
        expect(mine).to_contain_text(t("Another party's term (reminder)"))

        # --- The signalling teacher: 404 on the case, only "in behandeling" on the signal. --------
        with teacher.expect_console_message(lambda message: "404" in message.text):
            response = teacher.goto(lev_server.url(f"/meldcode/{case_id}/"))
        assert response is not None and response.status == 404
        expect(teacher.get_by_role("heading", level=1)).to_have_text(t("Page not found"))
        expect(teacher.locator("body")).not_to_contain_text(REASON)
        expect(teacher.locator("body")).not_to_contain_text(name)
        # Chromium logs the 404 it was sent on purpose; that one is no problem of the page.
        problems.remove(NOT_FOUND_LOG)
        status = _nl(TEACHER_STATUS_LABELS[TeacherStatus.IN_PROGRESS])
        teacher.goto(lev_server.url("/signalen/mijn/"))
        own = teacher.locator("li").filter(has=teacher.locator(f"a[href='{signal_url}']"))
        expect(own).to_have_count(1)
        expect(own).to_contain_text(status)
        teacher.goto(lev_server.url(signal_url))
        main = teacher.locator("main")
        expect(main).to_contain_text(status)
        for hidden in (VT_REFERENCE, REASON, DECISION_REASONS, FEEDBACK_TITLE):
            expect(main).not_to_contain_text(hidden)
        expect(teacher.locator("a[href^='/meldcode/']")).to_have_count(0)
    finally:
        for other in others:
            other.context.close()
    assert not problems, "Browser reported problems:\n" + "\n".join(problems)

    # --- The database agrees. -------------------------------------------------------------------
    assert outcome_row["case"] == [pupil_id, "open", "ib.regenboog", [signal_id]]
    assert outcome_row["steps"] == [[step, "ib.regenboog"] for step in range(1, 6)]
    assert outcome_row["decision"] == [True, False, "directeur.regenboog"]
    assert outcome_row["answers"] == [["q1", True], ["q2", True]]
    assert outcome_row["melding"] == [VT_REFERENCE, True, "ib.regenboog", melding_day.isoformat()]
    # The reminder: Veilig Thuis's term, for the case manager, from the melding's day.
    assert outcome_row["deadline"][1:] == [
        "veilig-thuis-beoordeling",
        "open",
        "ib.regenboog",
        melding_day.isoformat(),
        due.isoformat(),
        True,
    ]
