"""Verwijdering (step 7 of the ladder): the grounds, the hearings, the accepting school and the terms.

Sources:

- The policy plan, Bijlage 4 "Protocol grensoverschrijdend gedrag", Stap 7 and the four grounds
  ("In grote lijnen zijn er vier gronden voor verwijdering"): 1 the school cannot (any longer) meet
  the pupil's support needs; 2 serious misconduct of the pupil — lighter measures must have failed
  and the pupil and/or the parents must have been warned; 3 the conduct of the parents or the
  relation between school and parents; 4 conduct against the school's grondslag.
- WPO art. 40 lid 11 (LEGAL.md R11, R13): before deciding, the board hears the groepsleraar and
  the parents; a pupil is removed only after another school has agreed to admit them. The plan adds
  "en de leerling vanaf 12 jaar oud". The law does not require that hearing, so LEV does not refuse
  a decision without it: `check_decision` gives a **warning**, not a refusal, when a pupil of 12 or
  older was not heard.
- WPO art. 63 lid 2 and Awb 3:41 (R12): the decision is made known (sent) separately from being
  taken; it cannot be sent before it is taken.
- WPO art. 42 (R20): de-registration only after the new school's notice of enrolment.
- WPO art. 63 lid 3, Awb 6:7–6:9 (R16): the bezwaar within 6 weeks of sending (bijzonder: the
  mededeling, LEGAL.md §10.1) or of bekendmaking (openbaar); where an old letter promised "na
  ontvangst", also from delivery, and the later end wins. Awb 6:9 grace: a bezwaar posted by the end
  of the term and received at most a week later is on time (LEV accepts the same for bijzonder).
- WPO art. 63 lid 3 (bijzonder: 4 weeks from receipt of the bezwaar) and WPO art. 40 lid 12
  (openbaar: 4 weeks from the Atw-extended end of the bezwaar term) (R18); the board hears the
  parents before it decides (R17; WPO art. 63 lid 3, Awb art. 7:2).
- WPO art. 43 lid 4 (R19): while the Geschillencommissie passend onderwijs (GPO) handles the case,
  the board may not decide on the bezwaar. Here only the guard; the suspension of the decision term
  is `suspended_days` of the suspendable rule in the deadline calculator.
- Leerplichtwet 1969 art. 18 (R14): the leerplichtambtenaar is told terstond.

Every term is computed by the deadline calculator (`lev.deadlines.domain`: `resolve_rule` and
`due_date`); nothing here counts statutory days itself.

Interpretation (not in LEGAL.md, for legal review): the one week of the Awb 6:9 grace is a
statutory term, so when it ends on a Saturday, Sunday or Atw holiday it runs on to the next open day
(Atw art. 1). That reading accepts more bezwaren as on time, never fewer.

Pure: no database, no clock; dates and the Atw calendar are arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from lev.deadlines.domain import AtwCalendar, Deadline, due_date, resolve_rule
from lev.deadlines.domain.rules import SchoolType

from .errors import Notice, Outcome, fmt

PUPIL_HEARD_FROM_AGE = 12  # the plan, Bijlage 4 Stap 7 (not a statutory requirement)
AWB_GRACE_DAYS = 7  # Awb 6:9 lid 1: received "niet later dan een week na afloop van de termijn"


class VerwijderingGround(IntEnum):
    """The four grounds of Bijlage 4, numbered as the plan numbers them."""

    ONDERSTEUNINGSBEHOEFTE = 1
    ERNSTIG_WANGEDRAG = 2
    GEDRAG_OUDERS = 3
    GRONDSLAG = 4


GROUND_LABELS: dict[VerwijderingGround, str] = {
    VerwijderingGround.ONDERSTEUNINGSBEHOEFTE: (
        "De school kan niet (langer) voldoen aan de ondersteuningsbehoefte van de leerling"
    ),
    VerwijderingGround.ERNSTIG_WANGEDRAG: "Ernstig wangedrag van de leerling",
    VerwijderingGround.GEDRAG_OUDERS: "Het gedrag van de ouders of de relatie tussen school en ouders",
    VerwijderingGround.GRONDSLAG: "Gedrag dat in strijd is met de grondslag van de school",
}

# Dutch texts kept as data, by code.
MESSAGES: dict[str, str] = {
    "ground_missing": (
        "Kies eerst de grond voor de verwijdering: de ondersteuningsbehoefte, ernstig wangedrag, het "
        "gedrag van de ouders of de grondslag van de school (Bijlage 4)."
    ),
    "ground_2_conditions": (
        "Een verwijdering wegens ernstig wangedrag vraagt eerst dat lichtere maatregelen niet hielpen "
        "en dat de ouders zijn gewaarschuwd (Bijlage 4)."
    ),
    "groepsleraar_not_heard": (
        "Een besluit tot verwijdering kan pas nadat de groepsleraar is gehoord (WPO art. 40 lid 11). "
        "Leg vast wanneer de groepsleraar is gehoord, op of vóór {decided_on}."
    ),
    "parents_not_heard": (
        "Een besluit tot verwijdering kan pas nadat de ouders zijn gehoord (WPO art. 40 lid 11). "
        "Leg vast wanneer de ouders zijn gehoord, op of vóór {decided_on}."
    ),
    "pupil_not_heard": (
        "De leerling is {age} jaar. Het beleidsplan vraagt ook de leerling vanaf 12 jaar te horen "
        "(Bijlage 4); de wet eist dit niet. Leg het gesprek met de leerling vast als het er was."
    ),
    "sent_before_decision": (
        "De brief kan niet zijn verzonden vóór het besluit van {decided_on}. Kies een verzenddatum op "
        "of na {decided_on}."
    ),
    "not_decided": "Definitief verwijderen kan pas na het besluit tot verwijdering. Neem eerst het besluit.",
    "no_accepting_school": (
        "Definitief verwijderen kan pas als een andere school heeft laten weten de leerling toe te "
        "laten (WPO art. 40 lid 11). Leg eerst de school vast die de leerling toelaat."
    ),
    "no_enrolment_notice": (
        "Uitschrijven kan pas als de nieuwe school heeft laten weten dat de leerling is ingeschreven "
        "(WPO art. 42). Leg eerst de datum van die kennisgeving vast."
    ),
    "parents_not_heard_on_bezwaar": (
        "Het bestuur hoort de ouders over hun bezwaar voordat het beslist (WPO art. 63 lid 3; "
        "Awb art. 7:2). Leg vast wanneer de ouders zijn gehoord, op of vóór {decided_on}."
    ),
    "gpo_case_running": (
        "Zolang de Geschillencommissie passend onderwijs de zaak behandelt, mag het bestuur niet "
        "beslissen op het bezwaar (WPO art. 43 lid 4). Wacht op het oordeel; de beslistermijn is "
        "zolang opgeschort."
    ),
}


def _notice(code: str, field: str, **params: str) -> Notice:
    return Notice(code, field, MESSAGES[code].format(**params), params)


# --- the ground (Bijlage 4) --------------------------------------------------------------------


def check_ground(
    ground: VerwijderingGround | None, *, lighter_measures_failed: bool, warning_given: bool
) -> Outcome:
    """A verwijdering needs a ground; ground 2 also needs failed lighter measures and a warning.

    Grounds 1, 3 and 4 need no earlier step of the ladder (Bijlage 4).
    """
    if ground is None:
        return Outcome(refusals=(_notice("ground_missing", "ground"),))
    if ground is VerwijderingGround.ERNSTIG_WANGEDRAG and not (lighter_measures_failed and warning_given):
        return Outcome(refusals=(_notice("ground_2_conditions", "ground"),))
    return Outcome()


# --- the decision (R11, R12) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hearings:
    """The days on which the board heard each party about the intended verwijdering (None: not heard)."""

    groepsleraar_on: date | None = None
    parents_on: date | None = None
    pupil_on: date | None = None


def age_on(birth_date: date, day: date) -> int:
    """The age in whole years on DAY."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _heard_by(heard_on: date | None, decided_on: date) -> bool:
    return heard_on is not None and heard_on <= decided_on


def check_decision(
    *,
    decided_on: date,
    hearings: Hearings,
    pupil_birth_date: date | None = None,
    sent_on: date | None = None,
) -> Outcome:
    """R11: refused unless the groepsleraar and the parents were heard on or before DECIDED_ON.

    A pupil of 12 or older (on DECIDED_ON) who was not heard gives a warning only: the plan asks for
    it, the law does not (WPO art. 40 lid 11). R12: SENT_ON (the bekendmaking) cannot precede the
    decision.
    """
    refusals: list[Notice] = []
    warnings: list[Notice] = []
    when = fmt(decided_on)
    if not _heard_by(hearings.groepsleraar_on, decided_on):
        refusals.append(_notice("groepsleraar_not_heard", "groepsleraar_heard_on", decided_on=when))
    if not _heard_by(hearings.parents_on, decided_on):
        refusals.append(_notice("parents_not_heard", "parents_heard_on", decided_on=when))
    if sent_on is not None and sent_on < decided_on:
        refusals.append(_notice("sent_before_decision", "sent_on", decided_on=when))
    if pupil_birth_date is not None:
        age = age_on(pupil_birth_date, decided_on)
        if age >= PUPIL_HEARD_FROM_AGE and not _heard_by(hearings.pupil_on, decided_on):
            warnings.append(_notice("pupil_not_heard", "pupil_heard_on", age=str(age)))
    return Outcome(refusals=tuple(refusals), warnings=tuple(warnings))


# --- definitive removal and de-registration (R13, R20) -------------------------------------------


def check_definitive_removal(*, decided_on: date | None, accepting_school: str) -> Outcome:
    """R13: removal only after the decision and with a recorded school that agreed to admit the pupil."""
    refusals: list[Notice] = []
    if decided_on is None:
        refusals.append(_notice("not_decided", "decided_on"))
    if not accepting_school.strip():
        refusals.append(_notice("no_accepting_school", "accepting_school"))
    return Outcome(refusals=tuple(refusals))


def check_deregistration(*, enrolment_notice_on: date | None) -> Outcome:
    """R20: de-registration only after the new school's notice of enrolment."""
    if enrolment_notice_on is None:
        return Outcome(refusals=(_notice("no_enrolment_notice", "enrolment_notice_on"),))
    return Outcome()


# --- the bezwaar: the GPO guard and the hearing (R17, R19) --------------------------------------


@dataclass(frozen=True)
class GpoCase:
    """A case at the Geschillencommissie passend onderwijs: filed, and ended by its opinion or withdrawal."""

    filed_on: date
    opinion_on: date | None = None
    withdrawn_on: date | None = None

    @property
    def ended_on(self) -> date | None:
        ends = [day for day in (self.opinion_on, self.withdrawn_on) if day is not None]
        return min(ends) if ends else None


def gpo_case_running(case: GpoCase | None, on: date) -> bool:
    """True from the filing up to (not including) the day the opinion arrives or the case is withdrawn."""
    if case is None or on < case.filed_on:
        return False
    ended = case.ended_on
    return ended is None or on < ended


def check_bezwaar_decision(
    *, decided_on: date, parents_heard_on: date | None, gpo_case: GpoCase | None = None
) -> Outcome:
    """R19: no decision on the bezwaar while a GPO case runs; R17: the parents heard first."""
    refusals: list[Notice] = []
    if gpo_case_running(gpo_case, decided_on):
        refusals.append(_notice("gpo_case_running", "decided_on"))
    if not _heard_by(parents_heard_on, decided_on):
        refusals.append(
            _notice("parents_not_heard_on_bezwaar", "parents_heard_on", decided_on=fmt(decided_on))
        )
    return Outcome(refusals=tuple(refusals))


# --- the terms (R14, R16, R18) ------------------------------------------------------------------


@dataclass(frozen=True)
class BezwaarTerm:
    """The bezwaar term: counted from sending, and from delivery only when an old letter said so."""

    from_sending: Deadline
    from_delivery: Deadline | None = None

    @property
    def end(self) -> date:
        """The (Atw-extended) last day; the later end wins (LEGAL.md R16)."""
        ends = [self.from_sending.due]
        if self.from_delivery is not None:
            ends.append(self.from_delivery.due)
        return max(ends)


def bezwaar_term(
    *,
    school_type: SchoolType | str,
    sent_on: date,
    calendar: AtwCalendar,
    delivered_on: date | None = None,
    letter_counts_from_receipt: bool = False,
) -> BezwaarTerm:
    """R16: 6 weeks from SENT_ON (the sending; for openbaar the bekendmaking by sending, Awb 3:41).

    Only when LETTER_COUNTS_FROM_RECEIPT (an old letter promised "na ontvangst") and DELIVERED_ON is
    known is the term also counted from delivery.
    """
    rule = resolve_rule("bezwaar-verwijdering", school_type=str(school_type))
    from_delivery = None
    if letter_counts_from_receipt and delivered_on is not None:
        from_delivery = due_date(rule, delivered_on, calendar)
    return BezwaarTerm(from_sending=due_date(rule, sent_on, calendar), from_delivery=from_delivery)


def awb_grace_end(term_end: date, calendar: AtwCalendar) -> date:
    """The last day a bezwaar posted in time may arrive (Awb 6:9; see the module's interpretation)."""
    return calendar.next_open_day(term_end + timedelta(days=AWB_GRACE_DAYS))


def bezwaar_on_time(
    *, term_end: date, received_on: date, posted_on: date | None, calendar: AtwCalendar
) -> bool:
    """Received by TERM_END, or posted by TERM_END and received within the Awb 6:9 week."""
    if received_on <= term_end:
        return True
    return (
        posted_on is not None and posted_on <= term_end and received_on <= awb_grace_end(term_end, calendar)
    )


def bezwaar_decision_term(
    *,
    school_type: SchoolType | str,
    bezwaar_received_on: date,
    bezwaar_term_end: date,
    calendar: AtwCalendar,
    suspended_days: int = 0,
) -> Deadline:
    """R18: bijzonder 4 weeks from the receipt of the bezwaar; openbaar 4 weeks from the bezwaar term's end.

    BEZWAAR_TERM_END is the Atw-extended end (`BezwaarTerm.end`); SUSPENDED_DAYS are the days of a
    GPO case (R19), added by the deadline calculator to the raw end before the Atw.
    """
    kind = SchoolType(str(school_type))
    rule = resolve_rule("beslissing-bezwaar-verwijdering", school_type=kind.value)
    start = bezwaar_received_on if kind is SchoolType.BIJZONDER else bezwaar_term_end
    return due_date(rule, start, calendar, suspended_days=suspended_days)


def leerplicht_report_due(decided_on: date, calendar: AtwCalendar) -> Deadline:
    """R14: the leerplichtambtenaar is told terstond of the decision (an "onverwijld" task)."""
    return due_date(resolve_rule("leerplicht-melding-verwijdering"), decided_on, calendar)
