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

from django.utils.translation import gettext_lazy as _

from lev.deadlines.domain import AtwCalendar, Deadline, due_date, resolve_rule
from lev.deadlines.domain.rules import SchoolType

from .errors import Notice, Outcome, StrPromise, fmt

PUPIL_HEARD_FROM_AGE = 12  # the plan, Bijlage 4 Stap 7 (not a statutory requirement)
AWB_GRACE_DAYS = 7  # Awb 6:9 lid 1: received "niet later dan een week na afloop van de termijn"


class VerwijderingGround(IntEnum):
    """The four grounds of Bijlage 4, numbered as the plan numbers them."""

    ONDERSTEUNINGSBEHOEFTE = 1
    ERNSTIG_WANGEDRAG = 2
    GEDRAG_OUDERS = 3
    GRONDSLAG = 4


GROUND_LABELS: dict[VerwijderingGround, StrPromise] = {
    VerwijderingGround.ONDERSTEUNINGSBEHOEFTE: _(
        "The school cannot (or can no longer) meet the pupil's support needs"
    ),
    VerwijderingGround.ERNSTIG_WANGEDRAG: _("Serious misconduct by the pupil"),
    VerwijderingGround.GEDRAG_OUDERS: _(
        "The conduct of the parents, or the relationship between the school and the parents"
    ),
    VerwijderingGround.GRONDSLAG: _("Conduct that conflicts with the school's grondslag"),
}

# The texts by code: English msgids, shown in the active language (Dutch) when a notice is made.
MESSAGES: dict[str, StrPromise] = {
    "ground_missing": _(
        "First choose the ground for the verwijdering: the support needs, serious misconduct, the "
        "conduct of the parents or the school's grondslag (Bijlage 4)."
    ),
    "ground_2_conditions": _(
        "A verwijdering for serious misconduct first needs lighter measures that did not help and a "
        "warning to the parents (Bijlage 4)."
    ),
    "groepsleraar_not_heard": _(
        "A verwijdering can only be decided after the class teacher has been heard (WPO art. 40 lid "
        "11). Record when the class teacher was heard, on or before {decided_on}."
    ),
    "parents_not_heard": _(
        "A verwijdering can only be decided after the parents have been heard (WPO art. 40 lid 11). "
        "Record when the parents were heard, on or before {decided_on}."
    ),
    "pupil_not_heard": _(
        "The pupil is {age} years old. The policy plan also asks to hear pupils aged 12 and over "
        "(Bijlage 4); the law does not require it. Record the conversation with the pupil if there "
        "was one."
    ),
    "sent_before_decision": _(
        "The letter cannot have been sent before the decision of {decided_on}. Choose a sending date on "
        "or after {decided_on}."
    ),
    "not_decided": _(
        "The pupil can only be removed permanently after the decision on the verwijdering. Take the "
        "decision first."
    ),
    "no_accepting_school": _(
        "The pupil can only be removed permanently once another school has said it will admit the "
        "pupil (WPO art. 40 lid 11). First record the school that admits the pupil."
    ),
    "no_enrolment_notice": _(
        "The pupil can only be de-registered once the new school has reported that the pupil is "
        "enrolled (WPO art. 42). First record the date of that notice."
    ),
    "parents_not_heard_on_bezwaar": _(
        "The board hears the parents on their bezwaar before it decides (WPO art. 63 lid 3; Awb art. "
        "7:2). Record when the parents were heard, on or before {decided_on}."
    ),
    "gpo_case_running": _(
        "While the Geschillencommissie passend onderwijs is handling the case, the board may not "
        "decide on the bezwaar (WPO art. 43 lid 4). Wait for its opinion; the decision term is "
        "suspended until then."
    ),
}


def _notice(code: str, field: str, **params: str) -> Notice:
    """The notice CODE for FIELD: its text translated now (the active language), then formatted."""
    return Notice(code, field, str(MESSAGES[code]).format(**params), params)


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
    *,
    decided_on: date,
    parents_heard_on: date | None,
    gpo_case: GpoCase | None = None,
    inadmissible: bool = False,
) -> Outcome:
    """R19: no decision on the bezwaar while a GPO case runs; R17: the parents heard first — except
    when the bezwaar is declared inadmissible (Awb art. 7:3 sub a: hearing may be left out when the
    bezwaar is kennelijk niet-ontvankelijk)."""
    refusals: list[Notice] = []
    if gpo_case_running(gpo_case, decided_on):
        refusals.append(_notice("gpo_case_running", "decided_on"))
    if not inadmissible and not _heard_by(parents_heard_on, decided_on):
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
