"""Step 7 of the ladder: the verwijdering (WPO art. 40, 42, 43, 63; Leerplichtwet art. 18; LEGAL.md
R10–R20; the plan's Bijlage 4, Stap 7 and the four grounds; the letters of Bijlage 5 as LEGAL.md §8
corrects them).

Every write follows the core's pattern (`escalation.services`): one transaction; the pupil's episode
row is locked first (`locked_episode`) and the verwijdering re-read under that lock, so two people
acting at once are served one after the other and the second sees the first one's result (two
board members deciding at once end in one decision; the second is told it was decided already).
The domain rules (`escalation.domain.verwijdering`) decide; their refusals become a
`ValidationError` keyed by the form field they concern, so the form shows the message next to the
field and keeps what was typed. Every change writes an audit event (ids and codes only) and a
`DossierEntry` of kind "verwijdering" with stored Dutch text; every statutory term is a deadline row.

Decided here:

- **Who decides (R12, R4; LEGAL.md §2).** The bevoegd gezag decides a verwijdering (WPO art. 40);
  the plan lets the director decide when the managementstatuut mandates it ("In het geval dat de
  directeur gemandateerd is ... geeft deze dit ter kennisname door aan het bevoegd gezag. Anders
  zal het bevoegd gezag formeel toestemming moeten geven"). The school setting
  `School.expulsion_decided_by` says which: the board (the default) — a board member of the
  school's board (`is_board_member`) — or the director under mandate (authority `mandate`; never
  the deputy), and the board sees that decision for information; a board member may always decide
  (authority `board`).
- **Who else acts.** The director and the deputy prepare (start, rapport), report to leerplicht,
  complete the removal and de-register. The hearings, the sending, the letters, the bezwaar and its
  hearing, the GPO case, the search for a school and a withdrawal are recorded by the director, the
  deputy or a board member (the plan: "de directeur/het bevoegd gezag"). Only a board member decides
  on the bezwaar (WPO art. 63 lid 3; R17, R18).
- **R10.** While the verwijdering is prepared the pupil attends school or an agreed alternative,
  with education continued: the arrangement is required when starting and shown on the page. A
  "tijdelijke verwijdering" is not offered; excluding the pupil meanwhile is one schorsing (the
  schorsing workflow and the ladder's guard).
- **The terms.** The bezwaar term (`bezwaar-verwijdering`, 6 weeks) starts at the sending: for
  bijzonder the mededeling counted from the day after sending (LEGAL.md §10.1), for openbaar the
  bekendmaking, which is the sending of the letter (Awb 3:41); LEV's letters say "na de datum van
  verzending", so the delivery date is recorded but does not count. The leerplicht report
  (`leerplicht-melding-verwijdering`, terstond) is opened when the decision is recorded, counted
  from the decision date — not at the sending: the law asks for it at once after the decision, so
  the task must be there before the letter goes. The decision on the bezwaar
  (`beslissing-bezwaar-verwijdering`) counts for bijzonder from the receipt of the bezwaar, for
  openbaar from the Atw-extended end of the bezwaar term. While a GPO case runs (R19) that term is
  suspended (`deadline_suspend` from the filing, or from the receipt of a bezwaar that came later)
  and resumed on the day of the opinion or the withdrawal (`deadline_resume`: the suspended days are
  added to the raw end, then the Atw once).
- **A late bezwaar** (Awb 6:9; LEV accepts the same for bijzonder) is recorded and shown as late —
  never refused: it is received and the board decides that it is inadmissible.
- **A bezwaar that succeeds** (outcome "revoked") withdraws a verwijdering that was decided and not
  yet carried out: the pupil stays, the episode stays on step 7 until the director closes it.

The page (`verwijdering_page`) is read here too, like `escalation.services` reads the episode: it
says which parts are open in the verwijdering's state; the views add who may use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.letter_models import Letter, LetterStatus
from communications.letter_services import dutch_date, letter_create
from incidents.models import Incident
from lev.audit.services import record
from lev.deadlines.calendar_data import atw_calendar
from lev.deadlines.domain import AtwCalendar
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.services import (
    deadline_meet,
    deadline_open,
    deadline_resume,
    deadline_suspend,
    deadline_waive,
)
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_verwijdering_decided, count_verwijdering_started
from lev.schools.models import DecisionMaker, Pupil, Role, School
from lev.schools.permissions import is_board_member, roles_on

from .domain.errors import Notice
from .domain.ladder import Event, LadderRefused, State
from .domain.ladder import check as ladder_check
from .domain.verwijdering import (
    GROUND_LABELS,
    Hearings,
    VerwijderingGround,
    age_on,
    awb_grace_end,
    bezwaar_on_time,
    bezwaar_term,
    check_bezwaar_decision,
    check_decision,
    check_definitive_removal,
    check_deregistration,
    check_ground,
)
from .domain.verwijdering import GpoCase as GpoFacts
from .models import (
    ApproachAnswer,
    Authority,
    Episode,
    GpoCase,
    Objection,
    ObjectionKind,
    ObjectionOutcome,
    SchoolApproach,
    Verwijdering,
    VerwijderingStatus,
)
from .permissions import LEAD_ROLES
from .services import advance, episode_for_action, facts_for, happened_at, locked_episode, require_roles

DOSSIER_KIND = "verwijdering"
INVITATION = "verwijdering_uitnodiging"
DECISION_LETTER = "verwijdering_besluit"
BEZWAAR_LETTER = "besluit_bezwaar"
LETTER_KINDS = (INVITATION, DECISION_LETTER)
HEARING_PARTIES = ("groepsleraar", "parents", "pupil")
GPO_DEFENCE_DAYS = 14  # the board's verweer within two weeks of the filing (guidance; LEGAL.md R19)

RULE_BEZWAAR = "bezwaar-verwijdering"
RULE_DECISION = "beslissing-bezwaar-verwijdering"
RULE_LEERPLICHT = "leerplicht-melding-verwijdering"
RULE_GPO = "gpo-oordeel"

# The ladder's refusals of a start that concern the ground field.
GROUND_FIELDS = {"ground_chosen": "ground", "ground_2_conditions": "ground"}
OPEN_STATUSES = (VerwijderingStatus.STARTED, VerwijderingStatus.DECIDED)
DECIDED_STATUSES = (VerwijderingStatus.DECIDED, VerwijderingStatus.REMOVED)

# The grounds in the plan's own words (Bijlage 4): stored in dossier entries and letters, which are
# Dutch evidence whatever the reader's language.
GROUND_DUTCH: dict[int, str] = {
    1: "de school kan niet (langer) voldoen aan de ondersteuningsbehoefte van de leerling",
    2: "ernstig wangedrag van de leerling",
    3: "het gedrag van de ouders of de relatie tussen de school en de ouders",
    4: "gedrag dat in strijd is met de grondslag van de school",
}
PARTY_DUTCH = {"groepsleraar": "de groepsleraar", "parents": "de ouders", "pupil": "de leerling"}
OUTCOME_DUTCH = {
    ObjectionOutcome.UPHELD: "Het bezwaar is ongegrond: het besluit blijft van kracht.",
    ObjectionOutcome.REVOKED: "Het bezwaar is gegrond: het besluit tot verwijdering is herroepen.",
    ObjectionOutcome.CHANGED: "Het bezwaar is deels gegrond: het besluit is gewijzigd.",
    ObjectionOutcome.WITHDRAWN: "De ouders hebben het bezwaar ingetrokken.",
    ObjectionOutcome.INADMISSIBLE: "Het bezwaar is niet-ontvankelijk: het besluit blijft van kracht.",
}


def _d(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day is not None else ""


# --- who may act ---------------------------------------------------------------------------------


def mandate_applies(school: School) -> bool:
    """True when the school's managementstatuut lets the director decide a verwijdering."""
    return bool(school.expulsion_decided_by == DecisionMaker.DIRECTOR)


def decision_authority(actor: Any, verwijdering: Verwijdering, day: date) -> str | None:
    """`board` for a board member of the school's board; `mandate` for the school's director when
    the mandate applies; None for anyone else."""
    if is_board_member(actor, verwijdering.board_id, day):
        return Authority.BOARD
    if mandate_applies(verwijdering.school) and Role.DIRECTOR in roles_on(actor, verwijdering.school_id, day):
        return Authority.MANDATE
    return None


def _lead(actor: Any, school_id: int, now: datetime) -> None:
    require_roles(actor, school_id, LEAD_ROLES, now)


def _lead_or_board(actor: Any, verwijdering: Verwijdering, now: datetime) -> None:
    if is_board_member(actor, verwijdering.board_id, timezone.localdate(now)):
        return
    require_roles(actor, verwijdering.school_id, LEAD_ROLES, now)


def _board(actor: Any, board_id: int, now: datetime) -> None:
    if not is_board_member(actor, board_id, timezone.localdate(now)):
        raise PermissionDenied("Only the board decides this.")


# --- small helpers -------------------------------------------------------------------------------


def _errors(notices: Iterable[Notice], rename: Mapping[str, str] | None = None) -> ValidationError:
    """Refusals as a ValidationError keyed by form field ("" = the whole form)."""
    errors: dict[str, list[str]] = {}
    for notice in notices:
        name = (rename or {}).get(notice.code) or notice.field or NON_FIELD_ERRORS
        errors.setdefault(name, []).append(notice.message)
    return ValidationError(errors)


def _add_notices(errors: dict[str, list[str]], notices: Iterable[Notice]) -> None:
    for notice in notices:
        errors.setdefault(notice.field or NON_FIELD_ERRORS, []).append(notice.message)


def _date_errors(
    errors: dict[str, list[str]],
    name: str,
    day: date | None,
    today: date,
    *,
    required: bool = True,
    missing: str | None = None,
) -> None:
    if day is None:
        if required:
            errors.setdefault(name, []).append(missing or _("Give the date."))
    elif day > today:
        errors.setdefault(name, []).append(_("The date cannot lie in the future."))


def _refuse(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [message]})


def _locked(verwijdering: Verwijdering) -> tuple[Episode, Verwijdering]:
    """The episode locked, then the verwijdering re-read under that lock."""
    episode = locked_episode(Episode(pk=verwijdering.episode_id))
    row = Verwijdering.objects.select_related("school", "board", "pupil").get(pk=verwijdering.pk)
    return episode, row


def _status_refusal(row: Verwijdering, allowed: Sequence[str]) -> ValidationError | None:
    """Why this part cannot be used in the verwijdering's state, or None."""
    if row.status in allowed:
        return None
    if row.status == VerwijderingStatus.WITHDRAWN:
        return _refuse(_("This verwijdering has been withdrawn. Nothing can be added any more."))
    if row.status == VerwijderingStatus.REMOVED:
        return _refuse(_("The pupil has been removed from the school; this part is closed."))
    if row.status == VerwijderingStatus.DECIDED:
        return _refuse(
            _("The verwijdering was decided on %(day)s. This part belongs before the decision.")
            % {"day": _d(row.decided_on)}
        )
    return _refuse(_("The verwijdering has not been decided yet. Record the decision first."))


def _require_status(row: Verwijdering, allowed: Sequence[str]) -> None:
    """Refuse the part when the verwijdering's state is not one of ALLOWED (`_status_refusal`)."""
    refused = _status_refusal(row, allowed)
    if refused is not None:
        raise refused


def _dossier(
    row: Verwijdering,
    *,
    title: str,
    lines: Sequence[str],
    day: date,
    actor: Any,
    now: datetime,
    source: Any = None,
) -> None:
    entry_record(
        pupil=row.pupil,
        kind=DOSSIER_KIND,
        title=title,
        summary="\n".join(line for line in lines if line),
        happened_at=happened_at(day, now),
        author=actor,
        now=now,
        source=source if source is not None else row,
    )


def _audit(action: str, row: Verwijdering, obj: Any, actor: Any, now: datetime, **summary: Any) -> None:
    record(
        action,
        actor=actor,
        board=row.board,
        obj=obj,
        summary={"verwijdering_id": row.pk, "pupil_id": row.pupil_id, **summary},
        now=now,
    )


def deadlines_of(subject: Any, rule_code: str | None = None) -> list[Deadline]:
    """The deadline rows of SUBJECT (a verwijdering, bezwaar or GPO case), newest last."""
    query = Deadline.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))
    if rule_code is not None:
        query = query.filter(rule_code=rule_code)
    return list(query.order_by("pk"))


def _open_deadline(subject: Any, rule_code: str) -> Deadline | None:
    rows = [
        d
        for d in deadlines_of(subject, rule_code)
        if d.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED)
    ]
    return rows[-1] if rows else None


def _meet(subject: Any, rule_code: str, actor: Any, now: datetime) -> None:
    row = _open_deadline(subject, rule_code)
    if row is not None:
        deadline_meet(deadline=row, actor=actor, now=now)


def _waive_all(subject: Any, reason: str, actor: Any, now: datetime) -> None:
    for row in deadlines_of(subject):
        if row.status not in (DeadlineStatus.MET, DeadlineStatus.WAIVED):
            deadline_waive(deadline=row, reason=reason, actor=actor, now=now)


def _incidents_of_school(incidents: Sequence[Incident], school_id: int, errors: dict[str, list[str]]) -> None:
    if any(incident.school_id != school_id for incident in incidents):
        errors["incidents"] = [_("This incident is not of this school.")]


# --- starting (Bijlage 4, the four grounds; R10) -------------------------------------------------


def verwijdering_start(
    *,
    pupil: Pupil,
    ground: int | None,
    ground_explanation: str,
    earlier_measures: str,
    lighter_measures_failed: bool,
    warning_given_on: date | None,
    warning_note: str,
    incidents: Sequence[Incident],
    interim_arrangement: str,
    actor: Any,
    now: datetime,
) -> Verwijdering:
    """The director or deputy starts preparing a verwijdering of PUPIL on a ground of Bijlage 4.

    Grounds 1, 3 and 4 may start from any step; ground 2 (serious misconduct) needs lighter
    measures that failed and a warning. The ladder (START_VERWIJDERING) refuses a second open one."""
    _lead(actor, pupil.school_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    chosen = VerwijderingGround(ground) if ground in {g.value for g in VerwijderingGround} else None
    outcome = check_ground(
        chosen, lighter_measures_failed=lighter_measures_failed, warning_given=warning_given_on is not None
    )
    _add_notices(errors, outcome.refusals)
    if not ground_explanation.strip():
        errors["ground_explanation"] = [
            _("Explain the ground: what happened, and why the school can no longer keep the pupil.")
        ]
    _date_errors(errors, "warning_given_on", warning_given_on, today, required=False)
    if warning_given_on is not None and not warning_note.strip():
        errors["warning_note"] = [_("Write down what the warning said and to whom it was given.")]
    if not interim_arrangement.strip():
        errors["interim_arrangement"] = [
            _(
                "Say where the pupil goes to school while the verwijdering is prepared: at this school, "
                "or an agreed alternative with education continued. A 'temporary verwijdering' does not "
                "exist (WPO art. 40)."
            )
        ]
    _incidents_of_school(incidents, pupil.school_id, errors)
    if errors:
        raise ValidationError(errors)
    assert chosen is not None
    with transaction.atomic():
        episode = episode_for_action(
            pupil=pupil,
            actor=actor,
            now=now,
            incident=incidents[0] if incidents else None,
            why="Verwijdering voorbereid.",
        )
        facts = facts_for(
            episode,
            today,
            verwijdering_ground=chosen,
            lighter_measures_failed=lighter_measures_failed,
            warning_given=warning_given_on is not None,
        )
        allowed = ladder_check(State(episode.state), Event.START_VERWIJDERING, facts)
        if not allowed.allowed:
            raise _errors(allowed.refusals, GROUND_FIELDS)
        row = Verwijdering.objects.create(
            episode=episode,
            board_id=pupil.board_id,
            school_id=pupil.school_id,
            pupil=pupil,
            ground=chosen.value,
            ground_explanation=ground_explanation.strip(),
            earlier_measures=earlier_measures.strip(),
            lighter_measures_failed=lighter_measures_failed,
            warning_given_on=warning_given_on,
            warning_note=warning_note.strip(),
            interim_arrangement=interim_arrangement.strip(),
            started_by=actor,
            started_at=now,
        )
        row.incidents.set(incidents)
        advance(episode, Event.START_VERWIJDERING, facts, actor=actor, now=now, obj=row)
        count_verwijdering_started(row)
        row = Verwijdering.objects.select_related("school", "board", "pupil").get(pk=row.pk)
        _audit(
            "verwijdering_started",
            row,
            row,
            actor,
            now,
            ground=chosen.value,
            episode_id=episode.pk,
            incident_ids=sorted(i.pk for i in incidents),
        )
        lines = [
            f"Grond {chosen.value}: {GROUND_DUTCH[chosen.value]}.",
            row.ground_explanation,
            f"Eerdere maatregelen: {row.earlier_measures}" if row.earlier_measures else "",
            "Lichtere maatregelen hebben niet geholpen." if lighter_measures_failed else "",
            f"Gewaarschuwd op {_d(warning_given_on)}: {row.warning_note}" if warning_given_on else "",
            "Incidenten: " + ", ".join(i.number for i in incidents) if incidents else "",
            f"Onderwijs in de tussentijd: {row.interim_arrangement}",
        ]
        _dossier(row, title="Verwijdering voorbereid", lines=lines, day=today, actor=actor, now=now)
    return row


# --- preparing: the rapport and the hearings (R11) -----------------------------------------------


def verwijdering_report(
    *, verwijdering: Verwijdering, made_on: date | None, actor: Any, now: datetime
) -> Verwijdering:
    """The onderwijskundig rapport is made (the plan; later sent to the new school, R20)."""
    _lead(actor, verwijdering.school_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "made_on", made_on, today)
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, OPEN_STATUSES)
        if errors:
            raise ValidationError(errors)
        assert made_on is not None
        row.report_on = made_on
        row.save(update_fields=["report_on"])
        _audit("verwijdering_report_recorded", row, row, actor, now)
        _dossier(
            row,
            title="Onderwijskundig rapport opgesteld",
            lines=[f"Het onderwijskundig rapport is opgesteld op {_d(made_on)}."],
            day=made_on,
            actor=actor,
            now=now,
        )
    return row


def verwijdering_hearing(
    *,
    verwijdering: Verwijdering,
    who: str,
    heard_on: date | None,
    note: str,
    actor: Any,
    now: datetime,
) -> Verwijdering:
    """A hearing about the intended verwijdering: the groepsleraar, the parents or the pupil (WPO
    art. 40 lid 11; the plan: the pupil from 12). Recorded before the decision."""
    _lead_or_board(actor, verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if who not in HEARING_PARTIES:
        errors["who"] = [_("Choose who was heard: the class teacher, the parents or the pupil.")]
    _date_errors(errors, "heard_on", heard_on, today)
    if not note.strip():
        errors["note"] = [_("Write down what was said in the hearing.")]
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, (VerwijderingStatus.STARTED,))
        if errors:
            raise ValidationError(errors)
        assert heard_on is not None
        setattr(row, f"{who}_heard_on", heard_on)
        setattr(row, f"{who}_note", note.strip())
        row.save(update_fields=[f"{who}_heard_on", f"{who}_note"])
        _audit("verwijdering_hearing_recorded", row, row, actor, now, who=who)
        _dossier(
            row,
            title=f"Verwijdering: {PARTY_DUTCH[who]} gehoord",
            lines=[f"Gehoord op {_d(heard_on)}.", note.strip()],
            day=heard_on,
            actor=actor,
            now=now,
        )
    return row


# --- the decision and its bekendmaking (R11, R12, R14) -------------------------------------------


def verwijdering_decide(
    *, verwijdering: Verwijdering, decided_on: date | None, reasons: str, actor: Any, now: datetime
) -> Verwijdering:
    """The decision: by the board (or the director under a mandate, see the module docstring);
    refused unless the class teacher and the parents were heard on or before the decision date.
    A pupil of 12 or older who was not heard is a warning shown on the page, not a refusal.
    Opens the leerplicht task (terstond, from the decision date)."""
    today = timezone.localdate(now)
    authority = decision_authority(actor, verwijdering, today)
    if authority is None:
        raise PermissionDenied("Only the board, or the director under a mandate, decides a verwijdering.")
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "decided_on", decided_on, today)
    if not reasons.strip():
        errors["reasons"] = [_("Write down the reasons of the decision (WPO art. 63 lid 2).")]
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        if row.status in DECIDED_STATUSES:
            raise _refuse(
                _("This verwijdering was already decided on %(day)s.") % {"day": _d(row.decided_on)}
            )
        _require_status(row, (VerwijderingStatus.STARTED,))
        if errors:
            raise ValidationError(errors)
        assert decided_on is not None
        outcome = check_decision(
            decided_on=decided_on,
            hearings=Hearings(row.groepsleraar_heard_on, row.parents_heard_on, row.pupil_heard_on),
            pupil_birth_date=row.pupil.date_of_birth,
        )
        if outcome.refusals:
            raise _errors(outcome.refusals)
        row.status = VerwijderingStatus.DECIDED
        row.authority = authority
        row.decided_on = decided_on
        row.decided_by = actor
        row.decision_reasons = reasons.strip()
        row.save(update_fields=["status", "authority", "decided_on", "decided_by", "decision_reasons"])
        count_verwijdering_decided(row)
        _audit(
            "verwijdering_decided",
            row,
            row,
            actor,
            now,
            authority=authority,
            warnings=list(outcome.warning_codes),
        )
        who = "het bestuur" if authority == Authority.BOARD else "de directeur (mandaat)"
        _dossier(
            row,
            title="Besluit tot verwijdering",
            lines=[
                f"Besloten op {_d(decided_on)} door {who}.",
                f"Grond {row.ground}: {GROUND_DUTCH[row.ground]}.",
                row.decision_reasons,
            ],
            day=decided_on,
            actor=actor,
            now=now,
        )
        deadline_open(
            rule_code=RULE_LEERPLICHT,
            start=decided_on,
            school=row.school,
            subject=row,
            responsible_role=Role.DIRECTOR,
            responsible_user=None,
            actor=actor,
            now=now,
        )
    return row


def verwijdering_sent(
    *,
    verwijdering: Verwijdering,
    sent_on: date | None,
    delivered_on: date | None = None,
    actor: Any,
    now: datetime,
) -> Verwijdering:
    """The bekendmaking: the decision sent (or handed) to the parents, separate from the decision
    date (R12). Opens the parents' bezwaar term (6 weeks from the sending, R16). A delivery date may
    be added later; it does not move the term (LEV's letters count from the sending)."""
    _lead_or_board(actor, verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "sent_on", sent_on, today)
    _date_errors(errors, "delivered_on", delivered_on, today, required=False)
    if sent_on is not None and delivered_on is not None and delivered_on < sent_on:
        errors.setdefault("delivered_on", []).append(
            _("The letter cannot have been received before it was sent on %(day)s.") % {"day": _d(sent_on)}
        )
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, DECIDED_STATUSES)
        if row.sent_on is not None and sent_on != row.sent_on:
            errors.setdefault("sent_on", []).append(
                _(
                    "The sending was recorded already: %(day)s. The bezwaar term counts from that day; "
                    "only the date of receipt can be added."
                )
                % {"day": _d(row.sent_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert sent_on is not None and row.decided_on is not None
        outcome = check_decision(
            decided_on=row.decided_on,
            hearings=Hearings(row.groepsleraar_heard_on, row.parents_heard_on, row.pupil_heard_on),
            sent_on=sent_on,
        )
        if outcome.refusals:
            raise _errors(outcome.refusals)
        first = row.sent_on is None
        row.sent_on = sent_on
        if delivered_on is not None:
            row.delivered_on = delivered_on
        row.save(update_fields=["sent_on", "delivered_on"])
        _audit("verwijdering_sent", row, row, actor, now, delivered=delivered_on is not None, first=first)
        lines = [f"Het besluit is verzonden op {_d(sent_on)}."]
        if delivered_on is not None:
            lines.append(f"Door de ouders ontvangen op {_d(delivered_on)}.")
        _dossier(
            row,
            title="Besluit tot verwijdering verzonden" if first else "Ontvangst van het besluit vastgelegd",
            lines=lines,
            day=delivered_on if (not first and delivered_on) else sent_on,
            actor=actor,
            now=now,
        )
        if first:
            deadline_open(
                rule_code=RULE_BEZWAAR,
                start=sent_on,
                school=row.school,
                subject=row,
                responsible_role=Role.DIRECTOR,
                responsible_user=None,
                actor=actor,
                now=now,
                others_term=True,  # the parents' term: a reminder, never "missed" for the school
            )
    return row


def verwijdering_leerplicht_reported(
    *, verwijdering: Verwijdering, reported_on: date | None, actor: Any, now: datetime
) -> Verwijdering:
    """The leerplichtambtenaar has been told of the decision (Leerplichtwet art. 18; R14)."""
    _lead(actor, verwijdering.school_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "reported_on", reported_on, today)
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, DECIDED_STATUSES)
        if row.leerplicht_reported_on is not None:
            raise _refuse(
                _("The report to leerplicht was recorded already: %(day)s.")
                % {"day": _d(row.leerplicht_reported_on)}
            )
        assert row.decided_on is not None
        if reported_on is not None and reported_on < row.decided_on:
            errors.setdefault("reported_on", []).append(
                _("Leerplicht is told of the decision of %(day)s: choose that day or later.")
                % {"day": _d(row.decided_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert reported_on is not None
        row.leerplicht_reported_on = reported_on
        row.save(update_fields=["leerplicht_reported_on"])
        _meet(row, RULE_LEERPLICHT, actor, now)
        _audit("verwijdering_leerplicht_reported", row, row, actor, now)
        _dossier(
            row,
            title="Verwijdering gemeld aan de leerplichtambtenaar",
            lines=[f"Gemeld op {_d(reported_on)} (Leerplichtwet art. 18)."],
            day=reported_on,
            actor=actor,
            now=now,
        )
    return row


# --- letters (Bijlage 5 as LEGAL.md §8 corrects it) ----------------------------------------------


def _letter_values(row: Verwijdering, kind: str) -> dict[str, str]:
    ground = GROUND_DUTCH[row.ground]
    if kind == INVITATION:
        return {"redenen": row.ground_explanation, "grond": ground}
    accepted = (
        row.approaches.filter(answer=ApproachAnswer.ACCEPTED, school_name=row.accepting_school)
        .order_by("-answered_on", "-pk")
        .first()
    )
    board_name = row.board.name
    return {
        "hoorzitting_ouders_datum": dutch_date(row.parents_heard_on, weekday=True)
        if row.parents_heard_on
        else "",
        "hoorzitting_leerkracht_datum": (
            dutch_date(row.groepsleraar_heard_on, weekday=True) if row.groepsleraar_heard_on else ""
        ),
        "grond": ground,
        "redenen": row.decision_reasons,
        "toelatende_school": row.accepting_school,
        "toelating_datum": (
            dutch_date(accepted.answered_on, weekday=True) if accepted and accepted.answered_on else ""
        ),
        "verzenddatum": dutch_date(row.sent_on, weekday=True) if row.sent_on else "",
        "bezwaar_adres": f"het bestuur van {board_name}",
    }


def _letter(kind: str, row: Verwijdering, actor: Any, now: datetime, values: dict[str, str]) -> Letter:
    try:
        return letter_create(
            kind_code=kind,
            school=row.school,
            actor=actor,
            now=now,
            pupil=row.pupil,
            values=values,
            source=row,
        )
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc


def verwijdering_letter(*, verwijdering: Verwijdering, kind: str, actor: Any, now: datetime) -> Letter:
    """A letter from the letters engine, pre-filled from the record: the invitation to be heard
    (before the decision; no bezwaar clause) or the decision letter (after it; stored as
    `verwijdering.letter`). The user edits, submits, has it approved and sends it on the letter's
    own pages."""
    _lead_or_board(actor, verwijdering, now)
    if kind not in LETTER_KINDS:
        raise ValidationError({"kind": [_("Choose the invitation to be heard or the decision letter.")]})
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        if kind == INVITATION:
            refused = _status_refusal(row, (VerwijderingStatus.STARTED,))
        else:
            refused = _status_refusal(row, DECIDED_STATUSES)
            if refused is None and row.letter_id is not None:
                existing = Letter.objects.get(pk=row.letter_id)
                if existing.status != LetterStatus.WITHDRAWN:
                    refused = _refuse(
                        _("There is a decision letter already (%(reference)s). Open it to continue.")
                        % {"reference": existing.reference}
                    )
        if refused is not None:
            raise refused
        letter = _letter(kind, row, actor, now, _letter_values(row, kind))
        if kind == DECISION_LETTER:
            row.letter = letter
            row.save(update_fields=["letter"])
        _audit("verwijdering_letter_created", row, row, actor, now, letter_id=letter.pk, kind=kind)
    return letter


def letters_of(verwijdering: Verwijdering) -> list[Letter]:
    """The letters written from this verwijdering (the invitations and the decision letter)."""
    return list(
        Letter.objects.filter(
            source_type=verwijdering._meta.label_lower, source_id=str(verwijdering.pk)
        ).order_by("created_at", "pk")
    )


# --- the bezwaar (R16–R18) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    term_end: date
    grace_end: date
    on_time: bool


def bezwaar_timeliness(
    row: Verwijdering, objection: Objection, calendar: AtwCalendar | None = None
) -> Timeliness | None:
    """Whether OBJECTION came in time: by the end of the bezwaar term, or posted by then and received
    within the Awb 6:9 week. None when the sending was not recorded."""
    if row.sent_on is None:
        return None
    calendar = calendar or atw_calendar()[0]
    term = bezwaar_term(school_type=row.school.denominatie, sent_on=row.sent_on, calendar=calendar)
    return Timeliness(
        term_end=term.end,
        grace_end=awb_grace_end(term.end, calendar),
        on_time=bezwaar_on_time(
            term_end=term.end,
            received_on=objection.received_on,
            posted_on=objection.posted_on,
            calendar=calendar,
        ),
    )


def _gpo_facts(row: Verwijdering) -> GpoFacts | None:
    """The running GPO case, else the latest one (for the guard on the bezwaar decision)."""
    cases = list(row.gpo_cases.order_by("filed_on", "pk"))
    running = [c for c in cases if c.opinion_on is None and c.withdrawn_on is None]
    case = running[-1] if running else (cases[-1] if cases else None)
    if case is None:
        return None
    return GpoFacts(filed_on=case.filed_on, opinion_on=case.opinion_on, withdrawn_on=case.withdrawn_on)


def _running_case(row: Verwijdering) -> GpoCase | None:
    return row.gpo_cases.filter(opinion_on__isnull=True, withdrawn_on__isnull=True).first()


def verwijdering_bezwaar_record(
    *,
    verwijdering: Verwijdering,
    posted_on: date | None,
    received_on: date | None,
    grounds: str,
    actor: Any,
    now: datetime,
) -> Objection:
    """The parents' bezwaar has come in. Recorded on time or late (Awb 6:9) — a late one is received
    all the same; the board decides it is inadmissible. Opens the board's decision term."""
    _lead_or_board(actor, verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "received_on", received_on, today)
    _date_errors(errors, "posted_on", posted_on, today, required=False)
    if posted_on is not None and received_on is not None and received_on < posted_on:
        errors.setdefault("received_on", []).append(_("A bezwaar cannot arrive before it was posted."))
    if not grounds.strip():
        errors["grounds"] = [
            _("Write down what the parents object to (or attach it to the dossier and summarise it).")
        ]
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, DECIDED_STATUSES)
        if row.sent_on is None:
            raise _refuse(
                _("Record first when the decision was sent: the bezwaar term counts from that day.")
            )
        if received_on is not None and received_on < row.sent_on:
            errors.setdefault("received_on", []).append(
                _("The decision was sent on %(day)s; a bezwaar against it arrives on that day or later.")
                % {"day": _d(row.sent_on)}
            )
        if row.objections.filter(decided_on__isnull=True).exists():
            raise _refuse(
                _("A bezwaar against this verwijdering is already waiting for the board's decision.")
            )
        if errors:
            raise ValidationError(errors)
        assert received_on is not None
        objection = Objection.objects.create(
            verwijdering=row,
            board_id=row.board_id,
            school_id=row.school_id,
            kind=ObjectionKind.BEZWAAR,
            posted_on=posted_on,
            received_on=received_on,
            grounds=grounds.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        calendar = atw_calendar()[0]
        timeliness = bezwaar_timeliness(row, objection, calendar)
        assert timeliness is not None
        start = received_on if row.school.denominatie == "bijzonder" else timeliness.term_end
        decision = deadline_open(
            rule_code=RULE_DECISION,
            start=start,
            school=row.school,
            subject=objection,
            responsible_role=Role.BOARD,
            responsible_user=None,
            actor=actor,
            now=now,
            visibility=Visibility.BOARD_ONLY,
        )
        case = _running_case(row)
        if case is not None:
            deadline_suspend(deadline=decision, actor=actor, now=now, on=max(case.filed_on, received_on))
        _meet(row, RULE_BEZWAAR, actor, now)
        _audit(
            "verwijdering_bezwaar_recorded",
            row,
            objection,
            actor,
            now,
            objection_id=objection.pk,
            on_time=timeliness.on_time,
        )
        when = f"Ontvangen op {_d(received_on)}" + (
            f", op de post gedaan op {_d(posted_on)}." if posted_on else "."
        )
        if timeliness.on_time:
            verdict = f"Op tijd: de bezwaartermijn liep tot en met {_d(timeliness.term_end)}."
        else:
            verdict = (
                f"Te laat: de bezwaartermijn liep tot en met {_d(timeliness.term_end)} en een bezwaar dat "
                f"op tijd op de post is gedaan, moest uiterlijk {_d(timeliness.grace_end)} binnen zijn "
                "(Awb art. 6:9). Het bestuur beslist over de ontvankelijkheid."
            )
        _dossier(
            row,
            title="Bezwaar tegen de verwijdering ontvangen",
            lines=[when, verdict, objection.grounds],
            day=received_on,
            actor=actor,
            now=now,
            source=objection,
        )
    return objection


def _locked_objection(objection: Objection) -> tuple[Episode, Verwijdering, Objection]:
    """The episode locked, then the bezwaar's verwijdering and the bezwaar re-read under that lock."""
    assert objection.verwijdering_id is not None
    episode, row = _locked(Verwijdering.objects.only("pk", "episode_id").get(pk=objection.verwijdering_id))
    return episode, row, Objection.objects.get(pk=objection.pk)


def verwijdering_bezwaar_hearing(
    *, objection: Objection, heard_on: date | None, note: str, actor: Any, now: datetime
) -> Objection:
    """The board hears the parents on their bezwaar before it decides (R17)."""
    assert objection.verwijdering is not None
    _lead_or_board(actor, objection.verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "heard_on", heard_on, today)
    if not note.strip():
        errors["note"] = [_("Write down what the parents said in the hearing.")]
    with transaction.atomic():
        _episode, row, locked = _locked_objection(objection)
        if locked.decided_on is not None:
            raise _refuse(_("The board decided on this bezwaar on %(day)s.") % {"day": _d(locked.decided_on)})
        if heard_on is not None and heard_on < locked.received_on:
            errors.setdefault("heard_on", []).append(
                _("The bezwaar came in on %(day)s; the hearing is on that day or later.")
                % {"day": _d(locked.received_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert heard_on is not None
        locked.hearing_on = heard_on
        locked.hearing_note = note.strip()
        locked.save(update_fields=["hearing_on", "hearing_note"])
        _audit("verwijdering_bezwaar_hearing", row, locked, actor, now, objection_id=locked.pk)
        _dossier(
            row,
            title="Ouders gehoord over hun bezwaar",
            lines=[f"Gehoord op {_d(heard_on)}.", locked.hearing_note],
            day=heard_on,
            actor=actor,
            now=now,
            source=locked,
        )
    return locked


def verwijdering_bezwaar_decide(
    *,
    objection: Objection,
    decided_on: date | None,
    outcome: str,
    reasons: str,
    actor: Any,
    now: datetime,
) -> Objection:
    """The board's decision on the bezwaar (R18): refused before the parents were heard (R17) and
    while a GPO case runs (R19). "The parents withdrew it" needs neither."""
    assert objection.verwijdering is not None
    _board(actor, objection.board_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "decided_on", decided_on, today)
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the bezwaar.")]
    if not reasons.strip():
        errors["reasons"] = [_("Write down the reasons of the decision on the bezwaar.")]
    with transaction.atomic():
        episode, row, locked = _locked_objection(objection)
        if locked.decided_on is not None:
            raise _refuse(_("The board decided on this bezwaar on %(day)s.") % {"day": _d(locked.decided_on)})
        if decided_on is not None and decided_on < locked.received_on:
            errors.setdefault("decided_on", []).append(
                _("The bezwaar came in on %(day)s; the decision is on that day or later.")
                % {"day": _d(locked.received_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert decided_on is not None
        if outcome != ObjectionOutcome.WITHDRAWN:
            checked = check_bezwaar_decision(
                decided_on=decided_on,
                parents_heard_on=locked.hearing_on,
                gpo_case=_gpo_facts(row),
                inadmissible=outcome == ObjectionOutcome.INADMISSIBLE,
            )
            if checked.refusals:
                raise _errors(checked.refusals)
        locked.decided_on = decided_on
        locked.outcome = outcome
        locked.decision_reasons = reasons.strip()
        locked.save(update_fields=["decided_on", "outcome", "decision_reasons"])
        if outcome == ObjectionOutcome.WITHDRAWN:
            _waive_all(locked, "De ouders hebben het bezwaar ingetrokken.", actor, now)
        else:
            _meet(locked, RULE_DECISION, actor, now)
        _audit(
            "verwijdering_bezwaar_decided", row, locked, actor, now, objection_id=locked.pk, outcome=outcome
        )
        _dossier(
            row,
            title="Beslissing op het bezwaar tegen de verwijdering",
            lines=[
                f"Beslist op {_d(decided_on)}.",
                OUTCOME_DUTCH[ObjectionOutcome(outcome)],
                locked.decision_reasons,
            ],
            day=decided_on,
            actor=actor,
            now=now,
            source=locked,
        )
        if outcome == ObjectionOutcome.REVOKED and row.status == VerwijderingStatus.DECIDED:
            _withdraw(episode, row, "Herroepen na bezwaar.", actor, now)
    return locked


def verwijdering_bezwaar_letter(*, objection: Objection, actor: Any, now: datetime) -> Letter:
    """The letter with the board's decision on the bezwaar (letters engine, `besluit_bezwaar`),
    pre-filled; stored as `objection.letter`."""
    assert objection.verwijdering is not None
    _lead_or_board(actor, objection.verwijdering, now)
    with transaction.atomic():
        _episode, row, locked = _locked_objection(objection)
        if locked.decided_on is None:
            raise _refuse(_("The board has not decided on this bezwaar yet. Record the decision first."))
        if locked.letter_id is not None:
            existing = Letter.objects.get(pk=locked.letter_id)
            if existing.status != LetterStatus.WITHDRAWN:
                raise _refuse(
                    _("There is a letter about this decision already (%(reference)s). Open it to continue.")
                    % {"reference": existing.reference}
                )
        decided = dutch_date(row.decided_on) if row.decided_on else ""
        values = {
            "bestreden_besluit": f"ons besluit van {decided} om {row.pupil.full_name} van school te verwijderen",
            "ontvangen_op": dutch_date(locked.received_on, weekday=True),
            "hoorzitting_datum": dutch_date(locked.hearing_on, weekday=True) if locked.hearing_on else "",
            "beslissing": OUTCOME_DUTCH[ObjectionOutcome(locked.outcome)],
            "redenen": locked.decision_reasons,
        }
        letter = _letter(BEZWAAR_LETTER, row, actor, now, values)
        locked.letter = letter
        locked.save(update_fields=["letter"])
        _audit(
            "verwijdering_letter_created", row, locked, actor, now, letter_id=letter.pk, kind=BEZWAAR_LETTER
        )
    return letter


# --- the Geschillencommissie passend onderwijs (WPO art. 43; R19) --------------------------------


def _decision_deadlines(row: Verwijdering) -> list[Deadline]:
    rows: list[Deadline] = []
    for objection in row.objections.filter(decided_on__isnull=True):
        rows.extend(deadlines_of(objection, RULE_DECISION))
    return rows


def gpo_case_file(*, verwijdering: Verwijdering, filed_on: date | None, actor: Any, now: datetime) -> GpoCase:
    """The parents took the verwijdering to the GPO: the case is recorded with a reminder of the
    commission's 10-week term, and the board's decision term on a pending bezwaar is suspended from
    the filing (the board may not decide while the case runs)."""
    _lead_or_board(actor, verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "filed_on", filed_on, today)
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, DECIDED_STATUSES)
        if _running_case(row) is not None:
            raise _refuse(_("A case at the GPO is already running for this verwijdering."))
        assert row.decided_on is not None
        if filed_on is not None and filed_on < row.decided_on:
            errors.setdefault("filed_on", []).append(
                _("The GPO is asked about the decision of %(day)s: choose that day or later.")
                % {"day": _d(row.decided_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert filed_on is not None
        case = GpoCase.objects.create(verwijdering=row, filed_on=filed_on, recorded_by=actor, recorded_at=now)
        deadline_open(
            rule_code=RULE_GPO,
            start=filed_on,
            school=row.school,
            subject=case,
            responsible_role=Role.BOARD,
            responsible_user=None,
            actor=actor,
            now=now,
            visibility=Visibility.BOARD_ONLY,
        )
        suspended = 0
        for deadline in _decision_deadlines(row):
            if deadline.status == DeadlineStatus.OPEN:
                deadline_suspend(
                    deadline=deadline, actor=actor, now=now, on=max(filed_on, deadline.start_on or filed_on)
                )
                suspended += 1
        _audit("verwijdering_gpo_filed", row, case, actor, now, gpo_case_id=case.pk, suspended=suspended)
        _dossier(
            row,
            title="Zaak bij de Geschillencommissie passend onderwijs",
            lines=[
                f"Ingediend op {_d(filed_on)}.",
                f"Verweer van het bestuur binnen twee weken: uiterlijk {_d(filed_on + timedelta(days=GPO_DEFENCE_DAYS))}.",
                "Zolang de zaak loopt, beslist het bestuur niet op het bezwaar (WPO art. 43 lid 4).",
            ],
            day=filed_on,
            actor=actor,
            now=now,
            source=case,
        )
    return case


def _locked_case(case: GpoCase) -> tuple[Verwijdering, GpoCase]:
    _episode, row = _locked(Verwijdering.objects.only("pk", "episode_id").get(pk=case.verwijdering_id))
    return row, GpoCase.objects.get(pk=case.pk)


def gpo_defence_sent(*, case: GpoCase, sent_on: date | None, actor: Any, now: datetime) -> GpoCase:
    """The board's verweer sent to the GPO (within two weeks of the filing, guidance)."""
    _lead_or_board(actor, case.verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "sent_on", sent_on, today)
    with transaction.atomic():
        row, locked = _locked_case(case)
        if locked.defence_sent_on is not None:
            raise _refuse(
                _("The verweer was recorded already: %(day)s.") % {"day": _d(locked.defence_sent_on)}
            )
        if sent_on is not None and sent_on < locked.filed_on:
            errors.setdefault("sent_on", []).append(
                _("The case was filed on %(day)s; the verweer is sent on that day or later.")
                % {"day": _d(locked.filed_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert sent_on is not None
        locked.defence_sent_on = sent_on
        locked.save(update_fields=["defence_sent_on"])
        due = locked.filed_on + timedelta(days=GPO_DEFENCE_DAYS)
        _audit("verwijdering_gpo_defence", row, locked, actor, now, gpo_case_id=locked.pk, late=sent_on > due)
        _dossier(
            row,
            title="Verweer ingediend bij de GPO",
            lines=[f"Verzonden op {_d(sent_on)} (uiterlijk {_d(due)})."],
            day=sent_on,
            actor=actor,
            now=now,
            source=locked,
        )
    return locked


def _end_case(
    *, case: GpoCase, ended_on: date | None, opinion: str, withdrawn: bool, actor: Any, now: datetime
) -> GpoCase:
    _lead_or_board(actor, case.verwijdering, now)
    today = timezone.localdate(now)
    name = "withdrawn_on" if withdrawn else "opinion_on"
    errors: dict[str, list[str]] = {}
    _date_errors(errors, name, ended_on, today)
    if not withdrawn and not opinion.strip():
        errors["opinion"] = [_("Write down the commission's opinion in a few sentences.")]
    with transaction.atomic():
        row, locked = _locked_case(case)
        if locked.opinion_on is not None or locked.withdrawn_on is not None:
            raise _refuse(_("This GPO case has ended already."))
        if ended_on is not None and ended_on < locked.filed_on:
            errors.setdefault(name, []).append(
                _("The case was filed on %(day)s; choose that day or later.") % {"day": _d(locked.filed_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert ended_on is not None
        setattr(locked, name, ended_on)
        if not withdrawn:
            locked.opinion = opinion.strip()
        locked.save(update_fields=[name, "opinion"])
        gpo = _open_deadline(locked, RULE_GPO)
        if gpo is not None:
            if withdrawn:
                deadline_waive(
                    deadline=gpo, reason="De zaak bij de GPO is ingetrokken.", actor=actor, now=now
                )
            else:
                deadline_meet(deadline=gpo, actor=actor, now=now)
        resumed = 0
        for deadline in _decision_deadlines(row):
            if deadline.status == DeadlineStatus.SUSPENDED and deadline.suspended_since is not None:
                deadline_resume(
                    deadline=deadline, actor=actor, now=now, on=max(ended_on, deadline.suspended_since)
                )
                resumed += 1
        _audit(
            "verwijdering_gpo_withdrawn" if withdrawn else "verwijdering_gpo_opinion",
            row,
            locked,
            actor,
            now,
            gpo_case_id=locked.pk,
            resumed=resumed,
        )
        if withdrawn:
            title, lines = "Zaak bij de GPO ingetrokken", [f"Ingetrokken op {_d(ended_on)}."]
        else:
            title, lines = "Oordeel van de GPO", [f"Ontvangen op {_d(ended_on)}.", locked.opinion]
        lines.append("Het bestuur kan weer op het bezwaar beslissen; de beslistermijn loopt weer.")
        _dossier(row, title=title, lines=lines, day=ended_on, actor=actor, now=now, source=locked)
    return locked


def gpo_opinion(
    *, case: GpoCase, opinion_on: date | None, opinion: str, actor: Any, now: datetime
) -> GpoCase:
    """The GPO's opinion has come: the decision term on the bezwaar runs again, moved by the days it
    was suspended (WPO art. 43 lid 4)."""
    return _end_case(case=case, ended_on=opinion_on, opinion=opinion, withdrawn=False, actor=actor, now=now)


def gpo_case_withdrawn(*, case: GpoCase, withdrawn_on: date | None, actor: Any, now: datetime) -> GpoCase:
    """The parents withdrew the GPO case: as with an opinion, the decision term runs again."""
    return _end_case(case=case, ended_on=withdrawn_on, opinion="", withdrawn=True, actor=actor, now=now)


# --- the search for another school (R13) ---------------------------------------------------------


def school_approach_add(
    *,
    verwijdering: Verwijdering,
    school_name: str,
    approached_on: date | None,
    note: str = "",
    actor: Any,
    now: datetime,
) -> SchoolApproach:
    """A school asked to admit the pupil (WPO art. 40 lid 11: removal only once one agrees)."""
    _lead_or_board(actor, verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if not school_name.strip():
        errors["school_name"] = [_("Give the name of the school (and its place).")]
    _date_errors(errors, "approached_on", approached_on, today)
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        _require_status(row, OPEN_STATUSES)
        if errors:
            raise ValidationError(errors)
        assert approached_on is not None
        approach = SchoolApproach.objects.create(
            verwijdering=row,
            school_name=school_name.strip(),
            approached_on=approached_on,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        _audit("verwijdering_school_approached", row, approach, actor, now, approach_id=approach.pk)
        _dossier(
            row,
            title="Andere school benaderd",
            lines=[f"{approach.school_name} benaderd op {_d(approached_on)}.", approach.note],
            day=approached_on,
            actor=actor,
            now=now,
            source=approach,
        )
    return approach


def school_approach_answer(
    *,
    approach: SchoolApproach,
    answer: str,
    answered_on: date | None,
    tlv_requested_on: date | None = None,
    note: str = "",
    actor: Any,
    now: datetime,
) -> SchoolApproach:
    """The school's answer (will admit / will not), and a TLV request if one was made. An accepting
    answer records that school as the school that admits the pupil (R13)."""
    _lead_or_board(actor, approach.verwijdering, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if answer not in ApproachAnswer.values:
        errors["answer"] = [_("Choose the school's answer.")]
    _date_errors(
        errors,
        "answered_on",
        answered_on,
        today,
        required=answer in (ApproachAnswer.ACCEPTED, ApproachAnswer.REFUSED),
        missing=_("Give the date of the answer."),
    )
    _date_errors(errors, "tlv_requested_on", tlv_requested_on, today, required=False)
    with transaction.atomic():
        _episode, row = _locked(approach.verwijdering)
        locked = SchoolApproach.objects.get(pk=approach.pk)
        _require_status(row, OPEN_STATUSES)
        if answered_on is not None and answered_on < locked.approached_on:
            errors.setdefault("answered_on", []).append(
                _("The school was approached on %(day)s; its answer came on that day or later.")
                % {"day": _d(locked.approached_on)}
            )
        if errors:
            raise ValidationError(errors)
        locked.answer = answer
        locked.answered_on = answered_on if answer != ApproachAnswer.WAITING else None
        locked.tlv_requested_on = tlv_requested_on
        if note.strip():
            locked.note = note.strip()
        locked.save(update_fields=["answer", "answered_on", "tlv_requested_on", "note"])
        if answer == ApproachAnswer.ACCEPTED:
            row.accepting_school = locked.school_name
        elif row.accepting_school == locked.school_name:
            other = (
                row.approaches.filter(answer=ApproachAnswer.ACCEPTED)
                .exclude(pk=locked.pk)
                .order_by("-answered_on", "-pk")
                .first()
            )
            row.accepting_school = other.school_name if other is not None else ""
        row.save(update_fields=["accepting_school"])
        _audit(
            "verwijdering_school_answered",
            row,
            locked,
            actor,
            now,
            approach_id=locked.pk,
            answer=answer,
            tlv=tlv_requested_on is not None,
        )
        words = {
            ApproachAnswer.ACCEPTED: "is bereid de leerling toe te laten",
            ApproachAnswer.REFUSED: "laat de leerling niet toe",
            ApproachAnswer.WAITING: "heeft nog niet geantwoord",
        }[ApproachAnswer(answer)]
        lines = [
            f"{locked.school_name} {words}" + (f" (antwoord van {_d(answered_on)})." if answered_on else ".")
        ]
        if tlv_requested_on is not None:
            lines.append(f"Toelaatbaarheidsverklaring aangevraagd op {_d(tlv_requested_on)}.")
        lines.append(note.strip())
        _dossier(
            row,
            title="Antwoord van een benaderde school",
            lines=lines,
            day=answered_on or today,
            actor=actor,
            now=now,
            source=locked,
        )
    return locked


# --- definitive removal, de-registration, withdrawal (R13, R20) ---------------------------------


def verwijdering_complete(
    *, verwijdering: Verwijdering, removed_on: date | None, actor: Any, now: datetime
) -> Verwijdering:
    """Definitive removal: only after the decision and with a school that agreed to admit the pupil
    (R13). Closes the episode (the ladder's COMPLETE_VERWIJDERING)."""
    _lead(actor, verwijdering.school_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    _date_errors(errors, "removed_on", removed_on, today)
    with transaction.atomic():
        episode, row = _locked(verwijdering)
        _require_status(row, OPEN_STATUSES)
        checked = check_definitive_removal(decided_on=row.decided_on, accepting_school=row.accepting_school)
        if checked.refusals:
            raise _errors(checked.refusals)
        assert row.decided_on is not None
        if removed_on is not None and removed_on < row.decided_on:
            errors.setdefault("removed_on", []).append(
                _("The verwijdering was decided on %(day)s; the pupil leaves on that day or later.")
                % {"day": _d(row.decided_on)}
            )
        if errors:
            raise ValidationError(errors)
        assert removed_on is not None
        try:
            advance(
                episode, Event.COMPLETE_VERWIJDERING, facts_for(episode, today), actor=actor, now=now, obj=row
            )
        except LadderRefused as exc:
            raise _errors(exc.refusals) from exc
        row.status = VerwijderingStatus.REMOVED
        row.removed_on = removed_on
        row.save(update_fields=["status", "removed_on"])
        _audit("verwijdering_completed", row, row, actor, now)
        _dossier(
            row,
            title="Leerling definitief verwijderd",
            lines=[
                f"Verwijderd op {_d(removed_on)}.",
                f"De school die de leerling toelaat: {row.accepting_school}.",
            ],
            day=removed_on,
            actor=actor,
            now=now,
        )
    return row


def verwijdering_deregister(
    *,
    verwijdering: Verwijdering,
    enrolment_notice_on: date | None,
    deregistered_on: date | None,
    actor: Any,
    now: datetime,
) -> Verwijdering:
    """De-registration after the new school's notice of enrolment (WPO art. 42; R20)."""
    _lead(actor, verwijdering.school_id, now)
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    checked = check_deregistration(enrolment_notice_on=enrolment_notice_on)
    _add_notices(errors, checked.refusals)
    _date_errors(errors, "enrolment_notice_on", enrolment_notice_on, today, required=False)
    _date_errors(errors, "deregistered_on", deregistered_on, today)
    if (
        enrolment_notice_on is not None
        and deregistered_on is not None
        and deregistered_on < enrolment_notice_on
    ):
        errors.setdefault("deregistered_on", []).append(
            _(
                "The pupil is de-registered after the notice of enrolment of %(day)s: choose that day or later."
            )
            % {"day": _d(enrolment_notice_on)}
        )
    with transaction.atomic():
        _episode, row = _locked(verwijdering)
        if row.status in OPEN_STATUSES:
            raise _refuse(_("Record the definitive removal first; then the pupil is de-registered."))
        _require_status(row, (VerwijderingStatus.REMOVED,))
        if row.deregistered_on is not None:
            raise _refuse(
                _("The de-registration was recorded already: %(day)s.") % {"day": _d(row.deregistered_on)}
            )
        if errors:
            raise ValidationError(errors)
        row.enrolment_notice_on = enrolment_notice_on
        row.deregistered_on = deregistered_on
        row.save(update_fields=["enrolment_notice_on", "deregistered_on"])
        _audit("verwijdering_deregistered", row, row, actor, now)
        assert deregistered_on is not None
        _dossier(
            row,
            title="Leerling uitgeschreven",
            lines=[
                f"Kennisgeving van inschrijving door de nieuwe school ontvangen op {_d(enrolment_notice_on)}.",
                f"Uitgeschreven op {_d(deregistered_on)}.",
            ],
            day=deregistered_on,
            actor=actor,
            now=now,
        )
    return row


def _withdraw(episode: Episode, row: Verwijdering, reason: str, actor: Any, now: datetime) -> None:
    today = timezone.localdate(now)
    try:
        advance(
            episode, Event.WITHDRAW_VERWIJDERING, facts_for(episode, today), actor=actor, now=now, obj=row
        )
    except LadderRefused as exc:
        raise _errors(exc.refusals) from exc
    row.status = VerwijderingStatus.WITHDRAWN
    row.withdrawn_at = now
    row.withdrawn_reason = reason
    row.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    _waive_all(row, "De verwijdering is ingetrokken.", actor, now)
    _audit("verwijdering_withdrawn", row, row, actor, now)
    _dossier(row, title="Verwijdering ingetrokken", lines=[reason], day=today, actor=actor, now=now)


def verwijdering_withdraw(
    *, verwijdering: Verwijdering, reason: str, actor: Any, now: datetime
) -> Verwijdering:
    """The verwijdering is stopped (before the removal); the pupil stays. WITHDRAW_VERWIJDERING."""
    _lead_or_board(actor, verwijdering, now)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the verwijdering is withdrawn.")]})
    with transaction.atomic():
        episode, row = _locked(verwijdering)
        _require_status(row, OPEN_STATUSES)
        _withdraw(episode, row, reason.strip(), actor, now)
    return row


# --- reading: the page ---------------------------------------------------------------------------


@dataclass
class ObjectionRow:
    objection: Objection
    timeliness: Timeliness | None
    deadline: Deadline | None
    letter: Letter | None
    pending: bool
    forms: dict[str, Any] = field(default_factory=dict)


@dataclass
class GpoRow:
    case: GpoCase
    running: bool
    defence_due: date
    deadline: Deadline | None
    forms: dict[str, Any] = field(default_factory=dict)


@dataclass
class ApproachRow:
    approach: SchoolApproach
    forms: dict[str, Any] = field(default_factory=dict)


@dataclass
class VerwijderingPage:
    verwijdering: Verwijdering
    ground_label: str
    pupil_age: int
    pupil_warning: str  # the plan's pupil-from-12 hearing: a warning, never a refusal
    hearings_missing: list[str]  # why a decision today would be refused (R11)
    invitations: list[Letter]
    decision_letter: Letter | None
    bezwaar_deadline: Deadline | None
    leerplicht_deadline: Deadline | None
    objections: list[ObjectionRow]
    gpo_cases: list[GpoRow]
    gpo_running: bool
    approaches: list[ApproachRow]
    mandate: bool
    # The parts open in the verwijdering's state; the views add who may use them.
    open_parts: frozenset[str]


def open_parts(row: Verwijdering, *, gpo_running: bool, pending_objection: bool) -> frozenset[str]:
    """Which of the page's forms the verwijdering's state allows (before any role is considered).

    Per-row forms (a bezwaar's hearing and decision, a GPO case's verweer and end, a school's
    answer) are named here too; the row itself says whether it still takes them."""
    parts: set[str] = set()
    status = row.status
    if status in OPEN_STATUSES:
        parts |= {"report", "approach", "answer", "withdraw"}
    if status == VerwijderingStatus.STARTED:
        parts |= {"hearing", "decide", "invitation"}
    if status == VerwijderingStatus.DECIDED:
        parts.add("complete")
    if status in DECIDED_STATUSES:
        if row.sent_on is None or row.delivered_on is None:
            parts.add("sent")
        if row.leerplicht_reported_on is None:
            parts.add("leerplicht")
        parts |= {"bezwaar_hearing", "bezwaar_decide", "bezwaar_letter"}
        if row.letter is None or row.letter.status == LetterStatus.WITHDRAWN:
            parts.add("decision_letter")
        parts |= {"gpo_defence", "gpo_end"}
        if row.sent_on is not None and not pending_objection:
            parts.add("bezwaar")
        if not gpo_running:
            parts.add("gpo")
    if status == VerwijderingStatus.REMOVED and row.deregistered_on is None:
        parts.add("deregister")
    return frozenset(parts)


def verwijdering_page(verwijdering: Verwijdering, *, today: date) -> VerwijderingPage:
    """Everything the verwijdering page shows (the reader's access is checked by the view)."""
    row = Verwijdering.objects.select_related(
        "school", "board", "pupil", "started_by", "decided_by", "letter"
    ).get(pk=verwijdering.pk)
    calendar = atw_calendar()[0]
    objections = []
    for objection in row.objections.select_related("letter").order_by("received_on", "pk"):
        decision = deadlines_of(objection, RULE_DECISION)
        objections.append(
            ObjectionRow(
                objection=objection,
                timeliness=bezwaar_timeliness(row, objection, calendar),
                deadline=decision[-1] if decision else None,
                letter=objection.letter,
                pending=objection.decided_on is None,
            )
        )
    cases = []
    for case in row.gpo_cases.order_by("filed_on", "pk"):
        gpo = deadlines_of(case, RULE_GPO)
        cases.append(
            GpoRow(
                case=case,
                running=case.opinion_on is None and case.withdrawn_on is None,
                defence_due=case.filed_on + timedelta(days=GPO_DEFENCE_DAYS),
                deadline=gpo[-1] if gpo else None,
            )
        )
    gpo_running = any(c.running for c in cases)
    age = age_on(row.pupil.date_of_birth, today)
    warning, missing = "", []
    if row.status == VerwijderingStatus.STARTED:
        outcome = check_decision(
            decided_on=today,
            hearings=Hearings(row.groepsleraar_heard_on, row.parents_heard_on, row.pupil_heard_on),
            pupil_birth_date=row.pupil.date_of_birth,
        )
        missing = [notice.message for notice in outcome.refusals]
        warning = outcome.warnings[0].message if outcome.warnings else ""
    bezwaar = deadlines_of(row, RULE_BEZWAAR)
    leerplicht = deadlines_of(row, RULE_LEERPLICHT)
    return VerwijderingPage(
        verwijdering=row,
        ground_label=str(GROUND_LABELS[VerwijderingGround(row.ground)]),
        pupil_age=age,
        pupil_warning=warning,
        hearings_missing=missing,
        invitations=[letter for letter in letters_of(row) if letter.kind == INVITATION],
        decision_letter=row.letter,
        bezwaar_deadline=bezwaar[-1] if bezwaar else None,
        leerplicht_deadline=leerplicht[-1] if leerplicht else None,
        objections=objections,
        gpo_cases=cases,
        gpo_running=gpo_running,
        approaches=[ApproachRow(a) for a in row.approaches.order_by("approached_on", "pk")],
        mandate=mandate_applies(row.school),
        open_parts=open_parts(
            row, gpo_running=gpo_running, pending_objection=any(o.pending for o in objections)
        ),
    )


def open_verwijdering_of(pupil: Pupil) -> Verwijdering | None:
    """The pupil's verwijdering that is being prepared or decided (at most one per episode)."""
    return (
        Verwijdering.objects.filter(pupil=pupil, status__in=OPEN_STATUSES)
        .order_by("-started_at", "-pk")
        .first()
    )
