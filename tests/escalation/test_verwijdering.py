"""Verwijdering rules of escalation/domain/verwijdering.py, with dates worked out by hand (no database).

Weekday anchors (2026): Thu 2 Apr, Fri 3 Apr Goede Vrijdag, Mon 6 Apr Tweede Paasdag, Tue 7 Apr,
Wed 13 May, Thu 14 May Hemelvaartsdag, Fri 15 May a KB-gelijkgestelde dag, Mon 18 May, Mon 25 May
Tweede Pinksterdag, Wed 10 Jun, Mon 15 Jun. The terms come from the deadline calculator
(`lev.deadlines.domain`); the expected dates below are counted by hand: n weeks = the same weekday n
weeks later, then a Saturday, Sunday, holiday or KB day moves the end to the next open day (Atw art. 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from escalation.domain.verwijdering import (
    GROUND_LABELS,
    GpoCase,
    Hearings,
    VerwijderingGround,
    age_on,
    awb_grace_end,
    bezwaar_decision_term,
    bezwaar_on_time,
    bezwaar_term,
    check_bezwaar_decision,
    check_decision,
    check_definitive_removal,
    check_deregistration,
    check_ground,
    gpo_case_running,
    leerplicht_report_due,
)
from lev.deadlines.domain import AtwCalendar, KBDay
from lev.deadlines.domain.rules import SchoolType

D = date.fromisoformat
G = VerwijderingGround
CAL = AtwCalendar([KBDay(D("2026-05-15"), "vrijdag na Hemelvaartsdag", "Stcrt.")])


@pytest.fixture(autouse=True, scope="module")
def _dutch() -> Iterator[None]:
    """The texts are checked in Dutch, the interface language: the Dutch catalogue translates the msgids."""
    with translation.override("nl"):
        yield


# --- the ground (Bijlage 4) ---------------------------------------------------------------------


def test_the_four_grounds_are_the_plans() -> None:
    assert [int(ground) for ground in G] == [1, 2, 3, 4]
    assert str(GROUND_LABELS[G.ERNSTIG_WANGEDRAG]) == "Ernstig wangedrag van de leerling"


@pytest.mark.parametrize(
    ("ground", "failed", "warned", "codes"),
    [
        (None, True, True, ("ground_missing",)),
        (G.ONDERSTEUNINGSBEHOEFTE, False, False, ()),
        (G.GEDRAG_OUDERS, False, False, ()),
        (G.GRONDSLAG, False, False, ()),
        (G.ERNSTIG_WANGEDRAG, False, False, ("ground_2_conditions",)),
        (G.ERNSTIG_WANGEDRAG, True, False, ("ground_2_conditions",)),
        (G.ERNSTIG_WANGEDRAG, False, True, ("ground_2_conditions",)),
        (G.ERNSTIG_WANGEDRAG, True, True, ()),
    ],
)
def test_the_ground(
    ground: VerwijderingGround | None, failed: bool, warned: bool, codes: tuple[str, ...]
) -> None:
    outcome = check_ground(ground, lighter_measures_failed=failed, warning_given=warned)
    assert outcome.codes == codes


# --- the decision: both hearings (R11), the bekendmaking (R12) ------------------------------------

DECIDED = D("2026-03-20")  # Fri


@pytest.mark.parametrize(
    ("hearings", "codes"),
    [
        (Hearings(groepsleraar_on=D("2026-03-16"), parents_on=D("2026-03-18")), ()),
        (Hearings(groepsleraar_on=DECIDED, parents_on=DECIDED), ()),  # heard the same day, then decided
        (Hearings(parents_on=D("2026-03-18")), ("groepsleraar_not_heard",)),
        (Hearings(groepsleraar_on=D("2026-03-16")), ("parents_not_heard",)),
        (Hearings(), ("groepsleraar_not_heard", "parents_not_heard")),
        # A hearing after the decision does not count: the hearing comes first.
        (Hearings(groepsleraar_on=D("2026-03-16"), parents_on=D("2026-03-23")), ("parents_not_heard",)),
    ],
)
def test_a_verwijdering_decision_needs_both_hearings(hearings: Hearings, codes: tuple[str, ...]) -> None:
    assert check_decision(decided_on=DECIDED, hearings=hearings).codes == codes


def test_the_refusal_says_what_to_record() -> None:
    notice = check_decision(decided_on=DECIDED, hearings=Hearings(groepsleraar_on=D("2026-03-16"))).refusals[
        0
    ]
    assert notice.field == "parents_heard_on"
    assert notice.message == (
        "Een besluit tot verwijdering kan pas nadat de ouders zijn gehoord (WPO art. 40 lid 11). Leg vast "
        "wanneer de ouders zijn gehoord, op of vóór 20-03-2026."
    )


BOTH = Hearings(groepsleraar_on=D("2026-03-16"), parents_on=D("2026-03-18"))


@pytest.mark.parametrize(
    ("birth", "pupil_on", "warnings", "why"),
    [
        ("2013-06-01", None, ("pupil_not_heard",), "12 on 20 Mar 2026, not heard: a warning"),
        ("2013-06-01", "2026-03-18", (), "12 and heard"),
        ("2014-03-20", None, ("pupil_not_heard",), "12 on the day of the decision itself"),
        ("2014-03-21", None, (), "11 on 20 Mar 2026: turns 12 the day after"),
        (None, None, (), "birth date unknown: nothing to say"),
    ],
)
def test_the_pupil_from_12_is_a_warning_not_a_refusal(
    birth: str | None, pupil_on: str | None, warnings: tuple[str, ...], why: str
) -> None:
    outcome = check_decision(
        decided_on=DECIDED,
        hearings=Hearings(BOTH.groepsleraar_on, BOTH.parents_on, D(pupil_on) if pupil_on else None),
        pupil_birth_date=D(birth) if birth else None,
    )
    assert outcome.ok, why  # the law asks only for the leraar and the parents
    assert outcome.warning_codes == warnings, why
    if warnings:
        assert outcome.warnings[0].message.startswith("De leerling is 12 jaar.")
        assert "de wet eist dit niet" in outcome.warnings[0].message


def test_age_on_a_leap_day_birthday() -> None:
    assert age_on(D("2012-02-29"), D("2024-02-28")) == 11
    assert age_on(D("2012-02-29"), D("2024-02-29")) == 12
    assert age_on(D("2012-02-29"), D("2025-02-28")) == 12


def test_the_decision_is_not_sent_before_it_is_taken() -> None:
    assert check_decision(decided_on=DECIDED, hearings=BOTH, sent_on=D("2026-03-19")).codes == (
        "sent_before_decision",
    )
    assert check_decision(decided_on=DECIDED, hearings=BOTH, sent_on=D("2026-03-23")).ok


# --- definitive removal (R13) and de-registration (R20) -----------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "school", "codes"),
    [
        (DECIDED, "", ("no_accepting_school",)),
        (DECIDED, "   ", ("no_accepting_school",)),
        (None, "", ("not_decided", "no_accepting_school")),
        (None, "SBO De Regenboog", ("not_decided",)),
        (DECIDED, "SBO De Regenboog", ()),
    ],
)
def test_definitive_removal_needs_an_accepting_school(
    decided_on: date | None, school: str, codes: tuple[str, ...]
) -> None:
    outcome = check_definitive_removal(decided_on=decided_on, accepting_school=school)
    assert outcome.codes == codes
    if "no_accepting_school" in codes:
        notice = outcome.refusals[-1]
        assert notice.field == "accepting_school"
        assert "WPO art. 40 lid 11" in notice.message


def test_deregistration_waits_for_the_new_schools_notice() -> None:
    assert check_deregistration(enrolment_notice_on=None).codes == ("no_enrolment_notice",)
    assert check_deregistration(enrolment_notice_on=D("2026-06-01")).ok


# --- the decision on the bezwaar: the GPO (R19) and the hearing (R17) ---------------------------


def test_the_decision_is_blocked_while_a_gpo_case_runs() -> None:
    case = GpoCase(filed_on=D("2026-05-20"))
    blocked = check_bezwaar_decision(
        decided_on=D("2026-06-01"), parents_heard_on=D("2026-05-27"), gpo_case=case
    )
    assert blocked.codes == ("gpo_case_running",)
    assert blocked.refusals[0].message.startswith(
        "Zolang de Geschillencommissie passend onderwijs de zaak behandelt, mag het bestuur niet beslissen"
    )
    # With the opinion in on Wed 29 Jul the board may decide that day.
    done = GpoCase(filed_on=D("2026-05-20"), opinion_on=D("2026-07-29"))
    assert check_bezwaar_decision(
        decided_on=D("2026-07-28"), parents_heard_on=D("2026-05-27"), gpo_case=done
    ).codes == ("gpo_case_running",)
    assert check_bezwaar_decision(
        decided_on=D("2026-07-29"), parents_heard_on=D("2026-05-27"), gpo_case=done
    ).ok


def test_an_inadmissible_bezwaar_needs_no_hearing_but_waits_for_the_gpo() -> None:
    """Awb 7:3 sub a: the hearing may be left out for a bezwaar that is kennelijk niet-ontvankelijk
    (a late one, say); the GPO block (WPO art. 43 lid 4) stays."""
    unheard = {"decided_on": D("2026-06-01"), "parents_heard_on": None}
    assert check_bezwaar_decision(**unheard).codes == ("parents_not_heard_on_bezwaar",)
    assert check_bezwaar_decision(**unheard, inadmissible=True).ok
    running = GpoCase(filed_on=D("2026-05-20"))
    assert check_bezwaar_decision(**unheard, gpo_case=running, inadmissible=True).codes == (
        "gpo_case_running",
    )


@pytest.mark.parametrize(
    ("case", "on", "running"),
    [
        (None, "2026-06-01", False),
        (GpoCase(D("2026-05-20")), "2026-05-19", False),  # before the filing
        (GpoCase(D("2026-05-20")), "2026-05-20", True),
        (GpoCase(D("2026-05-20"), withdrawn_on=D("2026-06-03")), "2026-06-02", True),
        (GpoCase(D("2026-05-20"), withdrawn_on=D("2026-06-03")), "2026-06-03", False),
        (
            GpoCase(D("2026-05-20"), opinion_on=D("2026-07-29"), withdrawn_on=D("2026-06-03")),
            "2026-06-10",
            False,
        ),
    ],
)
def test_gpo_case_running(case: GpoCase | None, on: str, running: bool) -> None:
    assert gpo_case_running(case, D(on)) is running


def test_the_parents_are_heard_on_the_bezwaar_before_the_decision() -> None:
    outcome = check_bezwaar_decision(decided_on=D("2026-06-08"), parents_heard_on=None)
    assert outcome.codes == ("parents_not_heard_on_bezwaar",)
    assert check_bezwaar_decision(decided_on=D("2026-06-08"), parents_heard_on=D("2026-06-09")).codes == (
        "parents_not_heard_on_bezwaar",
    )
    assert check_bezwaar_decision(decided_on=D("2026-06-08"), parents_heard_on=D("2026-06-04")).ok


# --- the terms from the same dates, bijzonder and openbaar (R16, R18) ---------------------------

# The decision is sent (bijzonder: the mededeling; openbaar: the bekendmaking by sending) and the
# bezwaar arrives; the two school types count from the same dates.
# (school type, sent, bezwaar received, bezwaar term end, decision due, reasoning)
TERMS = [
    ("bijzonder", "2026-04-02", "2026-05-13", "2026-05-18", "2026-06-10",
     "bezwaar: Thu 2 Apr + 6 weeks = Thu 14 May Hemelvaart, Fri 15 KB day, weekend -> Mon 18 May; "
     "decision: 4 weeks from receipt Wed 13 May = Wed 10 Jun"),
    ("openbaar", "2026-04-02", "2026-05-13", "2026-05-18", "2026-06-15",
     "bezwaar: the same Mon 18 May; decision: 4 weeks from the end of the bezwaar term Mon 18 May = "
     "Mon 15 Jun"),
    ("bijzonder", "2026-04-07", "2026-04-17", "2026-05-19", "2026-05-18",
     "bezwaar: Tue 7 Apr + 6 weeks = Tue 19 May; decision: Fri 17 Apr + 4 weeks = Fri 15 May KB day, "
     "weekend -> Mon 18 May (before the bezwaar term even ends)"),
    ("openbaar", "2026-04-07", "2026-04-17", "2026-05-19", "2026-06-16",
     "bezwaar: Tue 19 May; decision: Tue 19 May + 4 weeks = Tue 16 Jun"),
]  # fmt: skip


@pytest.mark.parametrize(("school_type", "sent", "received", "bezwaar_end", "decision_due", "why"), TERMS)
def test_bezwaar_and_decision_terms(
    school_type: str, sent: str, received: str, bezwaar_end: str, decision_due: str, why: str
) -> None:
    term = bezwaar_term(school_type=school_type, sent_on=D(sent), calendar=CAL)
    assert term.end == D(bezwaar_end), why
    decision = bezwaar_decision_term(
        school_type=school_type, bezwaar_received_on=D(received), bezwaar_term_end=term.end, calendar=CAL
    )
    assert decision.due == D(decision_due), why
    assert decision.rule.code == "beslissing-bezwaar-verwijdering"


def test_the_rules_count_from_sending_and_from_bekendmaking() -> None:
    bijzonder = bezwaar_term(school_type=SchoolType.BIJZONDER, sent_on=D("2026-04-02"), calendar=CAL)
    openbaar = bezwaar_term(school_type=SchoolType.OPENBAAR, sent_on=D("2026-04-02"), calendar=CAL)
    assert bijzonder.from_sending.rule.start_event == "verzending"
    assert openbaar.from_sending.rule.start_event == "bekendmaking"
    assert bijzonder.from_sending.raw_end == D("2026-05-14")


@pytest.mark.parametrize(
    ("school_type", "suspended", "due", "why"),
    [
        ("bijzonder", 10, "2026-06-22", "raw end Wed 10 Jun + 10 = Sat 20 Jun, weekend -> Mon 22 Jun"),
        ("openbaar", 10, "2026-06-25", "raw end Mon 15 Jun + 10 = Thu 25 Jun"),
    ],
)
def test_a_gpo_case_moves_the_decision_term(school_type: str, suspended: int, due: str, why: str) -> None:
    decision = bezwaar_decision_term(
        school_type=school_type,
        bezwaar_received_on=D("2026-05-13"),
        bezwaar_term_end=D("2026-05-18"),
        calendar=CAL,
        suspended_days=suspended,
    )
    assert decision.due == D(due), why
    assert any("opgeschort" in line for line in decision.explanation)


def test_an_old_letter_promising_receipt_counts_from_delivery_too_and_the_later_end_wins() -> None:
    # Sent Thu 2 Apr -> Mon 18 May (above). Delivered Tue 7 Apr (after Easter) -> Tue 19 May.
    old = bezwaar_term(
        school_type="bijzonder",
        sent_on=D("2026-04-02"),
        delivered_on=D("2026-04-07"),
        letter_counts_from_receipt=True,
        calendar=CAL,
    )
    assert old.from_delivery is not None
    assert old.end == D("2026-05-19")
    # LEV's own letters say "na de datum van verzending": the delivery does not count.
    own = bezwaar_term(
        school_type="bijzonder", sent_on=D("2026-04-02"), delivered_on=D("2026-04-07"), calendar=CAL
    )
    assert own.from_delivery is None
    assert own.end == D("2026-05-18")


@pytest.mark.parametrize(
    ("posted", "received", "on_time", "why"),
    [
        (None, "2026-05-18", True, "received on the last day"),
        (None, "2026-05-19", False, "received the day after, no posting date"),
        ("2026-05-18", "2026-05-22", True, "posted on the last day, received within the week"),
        ("2026-05-19", "2026-05-20", False, "posted after the end"),
        ("2026-05-18", "2026-05-26", True,
         "end + 7 = Mon 25 May, Tweede Pinksterdag -> Tue 26 May (Atw on the Awb 6:9 week)"),
        ("2026-05-18", "2026-05-27", False, "after the week"),
    ],
)  # fmt: skip
def test_awb_6_9_grace(posted: str | None, received: str, on_time: bool, why: str) -> None:
    assert awb_grace_end(D("2026-05-18"), CAL) == D("2026-05-26")
    assert (
        bezwaar_on_time(
            term_end=D("2026-05-18"),
            received_on=D(received),
            posted_on=D(posted) if posted else None,
            calendar=CAL,
        )
        is on_time
    ), why


def test_leerplicht_is_told_terstond() -> None:
    # Decided Tue 10 Mar 2026: due that day, overdue after Wed 11 Mar.
    deadline = leerplicht_report_due(D("2026-03-10"), CAL)
    assert deadline.due == D("2026-03-10")
    assert deadline.late_after == D("2026-03-11")
