"""Step 6 of the stappenplan: the schorsing (WPO art. 40c; LEGAL.md R3–R9, §8, §10.3).

The process, as the plan's Stap 6 and the law have it:

- The director or the deputy prepares the schorsing: the dates, the reasons (the parents receive
  them in writing), the earlier measures and the incidents it follows (`schorsing_prepare`). The
  period is at most one week: 5 school days **and** an end at most 6 calendar days after the start
  (R3, §10.3, counted from the school's calendar). A schorsing starting within 5 school days after
  the end of the pupil's previous one needs a new incident and the board's approval, even under a
  mandate (R3: no back-to-back schorsingen to get round the week); LEV names the previous one.
- The board decides beforehand (R4; plan: "voorafgaand aan de schorsing ... om goedkeuring
  gevraagd"). Only when the school's settings give the director a mandate
  (`School.suspension_decided_by == "director"`, the managementstatuut) may the director — not the
  deputy — decide at once, and then not for a back-to-back schorsing. Otherwise the schorsing is
  submitted and a board member of the school's board approves or rejects it
  (`schorsing_board_decide`); the ladder moves to step 6 only with the decision. The ladder's
  guards (a schorsing follows a time-out or a very serious incident; at most one during a
  verwijdering; not while one runs) are asked at the submission too, so a submission the ladder
  refuses is refused at once.
- A decided schorsing spanning more than one school day (a Friday + Monday one too) is reported to
  the Inspectie onverwijld (R6): a deadline row `inspectie-melding-schorsing` from the decision
  date, met when the Internet Schooldossier reference is recorded (`schorsing_inspectie_reported`).
- The parent conversation (invitation, teacher invited, vertrouwenspersoon offered, the report
  signed "voor gezien") and the education and test arrangements (R9) are recorded; the
  conversation is not a condition for the decision. The letters come from the letters engine
  (`schorsing_letter`): the invitation, the decision (only once decided; pre-filled with the dates,
  reasons, education and the conversation date when it was held) and the report. Their copies
  ("in afschrift aan") follow the school's settings through the engine's defaults (R7).
- The parents' beroep (bijzonder: the school's procedure, the board decides within 14 days of
  receipt) or bezwaar (openbaar: Awb, 6 weeks from the bekendmaking, a hearing, the decision within
  6 weeks after the bezwaar term ends, 12 with an adviescommissie, extendable once by 6 weeks) (R8):
  `schorsing_objection_record`, `objection_hearing`, `objection_extend`, `objection_decide`.

Every write locks the pupil's episode (or the record) first, so two people acting at once end in
one outcome: two board members deciding the same submission, two schorsingen for one pupil and
period. Every change writes an audit event (ids only) and a dossier entry (stored Dutch text).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.letter_models import Letter, LetterStatus
from communications.letter_services import dutch_date, letter_create
from incidents.models import Incident, IncidentPupil
from lev.audit.services import record
from lev.deadlines.calendar_data import atw_calendar
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.domain import Deadline as ComputedDeadline
from lev.deadlines.domain import due_date, resolve_rule
from lev.deadlines.domain.schooldays import ExclusionDuration, exclusion_duration
from lev.deadlines.models import Deadline, DeadlineStatus, Visibility
from lev.deadlines.services import deadline_meet, deadline_open, deadline_waive
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_schorsing
from lev.schools.models import DecisionMaker, GroupPlacement, Pupil, Role, School
from lev.schools.permissions import is_board_member, roles_on

from .domain.errors import Notice, fmt
from .domain.exclusion import PreviousSchorsing, SchorsingRequest, check_schorsing
from .domain.ladder import Event, State
from .domain.ladder import check as ladder_check
from .domain.verwijdering import awb_grace_end
from .models import (
    Authority,
    Episode,
    Objection,
    ObjectionKind,
    ObjectionOutcome,
    Schorsing,
    SchorsingStatus,
)
from .permissions import LEAD_ROLES
from .services import advance, episode_for_action, facts_for, locked_episode, require_roles

DOSSIER_KIND = "schorsing"
SUBJECT_TYPE = "escalation.schorsing"
OBJECTION_TYPE = "escalation.objection"
INSPECTIE_RULE = "inspectie-melding-schorsing"
DECISION_RULE = "beroep-schorsing"  # the board's decision on the beroep (bijzonder) or bezwaar (openbaar)
BEZWAAR_RULE = "bezwaar-schorsing"  # the parents' Awb term (openbaar only)
# How far past a schorsing the school calendar is read: enough for the longest school holiday, so
# that "choose <next school day>" and the latest end are found inside the range read.
CALENDAR_MARGIN = timedelta(days=70)

LETTER_KINDS = ("schorsing_uitnodiging", "schorsing_besluit", "schorsing_verslag", "besluit_bezwaar")


# --- small helpers -------------------------------------------------------------------------------


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _error(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field or NON_FIELD_ERRORS, []).append(message)


def _notices(errors: dict[str, list[str]], notices: Iterable[Notice]) -> None:
    for notice in notices:
        _error(errors, notice.field, notice.message)


def _require_board(actor: Any, board_id: int, now: datetime) -> None:
    if not is_board_member(actor, board_id, _today(now)):
        raise PermissionDenied("Only a board member of the school's board may do this.")


def _period_text(schorsing: Schorsing) -> str:
    return f"van {fmt(schorsing.first_day)} tot en met {fmt(schorsing.last_day)}"


def _incident_numbers(schorsing: Schorsing) -> str:
    return ", ".join(schorsing.incidents.order_by("happened_on", "pk").values_list("number", flat=True))


def non_school_days(school: School, first: date, last: date) -> frozenset[date]:
    """The school's non-school days around FIRST..LAST (with a margin for the checks' messages)."""
    return school_non_school_days(school, first - timedelta(days=7), last + CALENDAR_MARGIN)


def duration_of(schorsing: Schorsing) -> ExclusionDuration:
    days = non_school_days(schorsing.school, schorsing.first_day, schorsing.last_day)
    return exclusion_duration(schorsing.first_day, schorsing.last_day, days)


def previous_schorsing(pupil: Pupil | int, *, exclude: int | None = None) -> Schorsing | None:
    """The pupil's latest decided schorsing (by its last day), whatever the episode."""
    pupil_id = pupil.pk if isinstance(pupil, Pupil) else pupil
    query = Schorsing.objects.filter(pupil_id=pupil_id, status=SchorsingStatus.DECIDED)
    if exclude is not None:
        query = query.exclude(pk=exclude)
    return query.order_by("-last_day", "-pk").first()


def _as_previous(schorsing: Schorsing | None) -> PreviousSchorsing | None:
    if schorsing is None:
        return None
    return PreviousSchorsing(
        first_day=schorsing.first_day,
        last_day=schorsing.last_day,
        incidents=frozenset(schorsing.incidents.values_list("pk", flat=True)),
    )


@dataclass(frozen=True)
class PeriodCheck:
    """What LEV found about a period, for the service and for the form's messages."""

    errors: dict[str, list[str]]
    back_to_back: bool
    needs_inspectie_report: bool
    previous: Schorsing | None


def _check_period(
    *,
    school: School,
    pupil: Pupil,
    first_day: date,
    last_day: date,
    reasons: str,
    incident_ids: Collection[int],
    exclude: int | None = None,
) -> PeriodCheck:
    """R3 and R6 for FIRST_DAY..LAST_DAY: the duration, the reasons, the overlap with and distance
    to the previous decided schorsing (a new incident needed). The board's approval is assumed:
    who decides is settled by the caller (R4)."""
    previous = previous_schorsing(pupil, exclude=exclude)
    start = min(first_day, previous.last_day) if previous is not None else first_day
    days = non_school_days(school, start, max(first_day, last_day))
    outcome = check_schorsing(
        SchorsingRequest(
            first_day=first_day,
            last_day=last_day,
            reasons=reasons,
            incidents=frozenset(incident_ids),
            board_approved=True,
        ),
        days,
        _as_previous(previous),
    )
    errors: dict[str, list[str]] = {}
    _notices(errors, outcome.refusals)
    return PeriodCheck(
        errors=errors,
        back_to_back=outcome.back_to_back,
        needs_inspectie_report=outcome.needs_inspectie_report,
        previous=previous,
    )


def _check_ladder(episode: Episode, today: date, errors: dict[str, list[str]]) -> Any:
    """The ladder's guards for START_SCHORSING (the authority is settled elsewhere); the facts."""
    facts = facts_for(episode, today, schorsing_authorised=True)
    allowed = ladder_check(State(episode.state), Event.START_SCHORSING, facts)
    if not allowed.allowed:
        _notices(errors, allowed.refusals)
    return facts


def _locked_schorsing(schorsing: Schorsing) -> tuple[Episode, Schorsing]:
    """The episode and the schorsing, both locked (the episode first, as every writer does)."""
    episode = locked_episode(schorsing.episode)
    row = (
        Schorsing.objects.select_for_update().select_related("school", "pupil", "board").get(pk=schorsing.pk)
    )
    return episode, row


def _dossier(schorsing: Schorsing, title: str, lines: list[str], *, actor: Any, now: datetime) -> None:
    entry_record(
        pupil=schorsing.pupil,
        kind=DOSSIER_KIND,
        title=title,
        summary="\n".join(line for line in lines if line),
        happened_at=now,
        author=actor,
        now=now,
        source=schorsing,
    )


def _audit(action: str, schorsing: Schorsing, *, actor: Any, now: datetime, **summary: Any) -> None:
    record(
        action,
        actor=actor,
        board=schorsing.board,
        obj=schorsing,
        summary={"pupil_id": schorsing.pupil_id, "status": schorsing.status, **summary},
        now=now,
    )


def _summary_lines(schorsing: Schorsing) -> list[str]:
    duration = duration_of(schorsing)
    lines = [
        f"Periode: {_period_text(schorsing)} ({duration.school_days} "
        f"{'schooldag' if duration.school_days == 1 else 'schooldagen'}).",
        f"Redenen: {schorsing.reasons}",
    ]
    if schorsing.earlier_measures:
        lines.append(f"Eerdere maatregelen: {schorsing.earlier_measures}")
    numbers = _incident_numbers(schorsing)
    if numbers:
        lines.append(f"Incidenten: {numbers}.")
    if schorsing.back_to_back and schorsing.previous is not None:
        lines.append(
            f"Begint binnen 5 schooldagen na de vorige schorsing ({_period_text(schorsing.previous)}): "
            "alleen met een nieuw incident en de goedkeuring van het bestuur."
        )
    if schorsing.during_verwijdering:
        lines.append("Tijdens de voorbereiding van een verwijdering (ten hoogste één schorsing).")
    return lines


# --- preparing and deciding (R3, R4) -------------------------------------------------------------


def schorsing_prepare(
    *,
    pupil: Pupil,
    first_day: date,
    last_day: date,
    reasons: str,
    earlier_measures: str,
    incidents: Iterable[Incident],
    actor: Any,
    now: datetime,
    use_mandate: bool = False,
) -> Schorsing:
    """Prepare a schorsing of PUPIL (the director or the deputy).

    Decided at once under the director's recorded mandate (USE_MANDATE, the director only, not for
    a back-to-back schorsing); otherwise submitted to the board. Refused, with every message at its
    field, when the period, the reasons, the previous schorsing or the ladder forbid it.
    """
    held = require_roles(actor, pupil.school_id, LEAD_ROLES, now)
    school = School.objects.select_related("board").get(pk=pupil.school_id)
    today = _today(now)
    reasons = reasons.strip()
    earlier_measures = earlier_measures.strip()
    incidents = list(incidents)
    errors: dict[str, list[str]] = {}
    if first_day < today:
        _error(
            errors,
            "first_day",
            _(
                "A schorsing is decided before it starts (WPO art. 40c): the first day cannot lie in the "
                "past. Choose today or a later school day."
            ),
        )
    involved = set(
        IncidentPupil.objects.filter(incident__in=incidents, pupil=pupil).values_list(
            "incident_id", flat=True
        )
    )
    for incident in incidents:
        if incident.school_id != pupil.school_id or incident.pk not in involved:
            _error(errors, "incidents", _("Link only incidents in which this pupil was involved."))
            break
    if use_mandate:
        if school.suspension_decided_by != DecisionMaker.DIRECTOR:
            _error(
                errors,
                "use_mandate",
                _("The school's settings give the director no mandate for a schorsing: the board decides."),
            )
        elif Role.DIRECTOR not in held:
            _error(
                errors,
                "use_mandate",
                _("The mandate is the director's. Submit the schorsing to the board instead."),
            )
    with transaction.atomic():
        episode = episode_for_action(
            pupil=pupil,
            actor=actor,
            now=now,
            incident=incidents[0] if incidents else None,
            why="Schorsing voorbereid.",
        )
        period = _check_period(
            school=school,
            pupil=pupil,
            first_day=first_day,
            last_day=last_day,
            reasons=reasons,
            incident_ids=[i.pk for i in incidents],
        )
        for field, messages in period.errors.items():
            errors.setdefault(field, []).extend(messages)
        waiting = Schorsing.objects.filter(pupil=pupil, status=SchorsingStatus.SUBMITTED).first()
        if waiting is not None:
            _error(
                errors,
                "",
                _(
                    "A schorsing of this pupil ({first} to {last}) is already waiting for the board. Wait "
                    "for the board's decision, or withdraw it first."
                ).format(first=fmt(waiting.first_day), last=fmt(waiting.last_day)),
            )
        facts = _check_ladder(episode, today, errors)
        if errors:
            raise ValidationError(errors)
        mandate = use_mandate and not period.back_to_back
        schorsing = Schorsing.objects.create(
            episode=episode,
            board_id=school.board_id,
            school=school,
            pupil=pupil,
            status=SchorsingStatus.DECIDED if mandate else SchorsingStatus.SUBMITTED,
            first_day=first_day,
            last_day=last_day,
            reasons=reasons,
            earlier_measures=earlier_measures,
            back_to_back=period.back_to_back,
            previous=period.previous,
            during_verwijdering=facts.verwijdering_open,
            prepared_by=actor,
            prepared_at=now,
            authority=Authority.MANDATE if mandate else "",
            decided_at=now if mandate else None,
            decided_by=actor if mandate else None,
        )
        schorsing.incidents.set(incidents)
        _audit(
            "schorsing_prepared",
            schorsing,
            actor=actor,
            now=now,
            incident_ids=[i.pk for i in incidents],
            back_to_back=period.back_to_back,
            previous_id=getattr(period.previous, "pk", None),
            mandate_asked=use_mandate,
        )
        lines = _summary_lines(schorsing)
        if mandate:
            advance(episode, Event.START_SCHORSING, facts, actor=actor, now=now, obj=schorsing)
            _after_decision(schorsing, actor=actor, now=now)
            _dossier(schorsing, "Schorsing besloten door de directeur (mandaat)", lines, actor=actor, now=now)
        else:
            if use_mandate:
                lines.append(
                    "Voorgelegd aan het bestuur: een schorsing kort na de vorige vraagt altijd zijn goedkeuring."
                )
            _dossier(schorsing, "Schorsing voorgelegd aan het bestuur", lines, actor=actor, now=now)
    return schorsing


def _after_decision(schorsing: Schorsing, *, actor: Any, now: datetime) -> None:
    """What follows every decision: the Inspectie report when it spans more than one school day (R6),
    and the counts of the dashboards."""
    duration = duration_of(schorsing)
    needed = duration.more_than_one_school_day
    schorsing.inspectie_needed = needed
    schorsing.save(update_fields=["inspectie_needed"])
    count_schorsing(schorsing, school_days=duration.school_days)
    _audit(
        "schorsing_decided", schorsing, actor=actor, now=now, authority=schorsing.authority, inspectie=needed
    )
    if needed:
        deadline_open(
            rule_code=INSPECTIE_RULE,
            start=_today(now),
            school=schorsing.school,
            subject=schorsing,
            responsible_role=Role.DIRECTOR,
            responsible_user=None,
            actor=actor,
            now=now,
        )


def schorsing_board_decide(
    *, schorsing: Schorsing, approve: bool, note: str, actor: Any, now: datetime
) -> Schorsing:
    """A board member of the school's board approves or rejects a submitted schorsing (R4).

    Approval is refused once the first day has passed (the board decides beforehand), or when the
    period or the ladder no longer allow it; a rejection needs a note. A second decision is refused.
    """
    _require_board(actor, schorsing.board_id, now)
    today = _today(now)
    note = note.strip()
    with transaction.atomic():
        episode, row = _locked_schorsing(schorsing)
        if row.status != SchorsingStatus.SUBMITTED:
            raise ValidationError(
                _("This schorsing has already been decided or withdrawn: {status}.").format(
                    status=row.get_status_display()
                )
            )
        errors: dict[str, list[str]] = {}
        if not approve:
            if not note:
                _error(
                    errors,
                    "note",
                    _("Say why the board does not approve the schorsing: the director reads it."),
                )
                raise ValidationError(errors)
            row.status = SchorsingStatus.REJECTED
            row.board_decided_by = actor
            row.board_decided_at = now
            row.board_note = note
            row.save()
            _audit("schorsing_rejected", row, actor=actor, now=now)
            _dossier(
                row,
                "Schorsing niet goedgekeurd door het bestuur",
                [f"Periode: {_period_text(row)}.", f"Toelichting van het bestuur: {note}"],
                actor=actor,
                now=now,
            )
            return row
        if row.first_day < today:
            _error(
                errors,
                "",
                _(
                    "The first day ({first}) has passed: the board approves a schorsing before it starts "
                    "(WPO art. 40c). Reject it, so that the director can prepare a new one."
                ).format(first=fmt(row.first_day)),
            )
        period = _check_period(
            school=row.school,
            pupil=row.pupil,
            first_day=row.first_day,
            last_day=row.last_day,
            reasons=row.reasons,
            incident_ids=list(row.incidents.values_list("pk", flat=True)),
            exclude=row.pk,
        )
        for messages in period.errors.values():
            errors.setdefault(NON_FIELD_ERRORS, []).extend(messages)
        facts = _check_ladder(episode, today, errors)
        if errors:
            raise ValidationError(errors)
        advance(episode, Event.START_SCHORSING, facts, actor=actor, now=now, obj=row)
        row.status = SchorsingStatus.DECIDED
        row.authority = Authority.BOARD
        row.board_decided_by = actor
        row.board_decided_at = now
        row.board_note = note
        row.decided_at = now
        row.decided_by = actor
        row.back_to_back = period.back_to_back
        row.previous = period.previous
        row.save()
        _after_decision(row, actor=actor, now=now)
        lines = _summary_lines(row)
        if note:
            lines.append(f"Toelichting van het bestuur: {note}")
        _dossier(row, "Schorsing goedgekeurd door het bestuur", lines, actor=actor, now=now)
    return row


def schorsing_withdraw(*, schorsing: Schorsing, reason: str, actor: Any, now: datetime) -> Schorsing:
    """The director or the deputy withdraws a schorsing that waits for the board."""
    require_roles(actor, schorsing.school_id, LEAD_ROLES, now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the schorsing is withdrawn.")]})
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        if row.status != SchorsingStatus.SUBMITTED:
            raise ValidationError(_("Only a schorsing that waits for the board can be withdrawn."))
        row.status = SchorsingStatus.WITHDRAWN
        row.withdrawn_at = now
        row.withdrawn_reason = reason
        row.save()
        _audit("schorsing_withdrawn", row, actor=actor, now=now)
        _dossier(
            row,
            "Schorsing ingetrokken",
            [f"Periode: {_period_text(row)}.", f"Reden: {reason}"],
            actor=actor,
            now=now,
        )
    return row


# --- after the decision: Inspectie, conversation, education (R6, R9) -----------------------------


def inspectie_deadline(schorsing: Schorsing) -> Deadline | None:
    return (
        Deadline.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id=str(schorsing.pk), rule_code=INSPECTIE_RULE
        )
        .order_by("-pk")
        .first()
    )


def schorsing_inspectie_reported(
    *, schorsing: Schorsing, reported_on: date | None, reference: str, actor: Any, now: datetime
) -> Schorsing:
    """Record the report to the Inspectie (Internet Schooldossier) and meet its deadline (R6)."""
    require_roles(actor, schorsing.school_id, LEAD_ROLES, now)
    reference = reference.strip()
    today = _today(now)
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        if row.status != SchorsingStatus.DECIDED or not row.inspectie_needed:
            raise ValidationError(
                _("Only a decided schorsing of more than one school day is reported to the Inspectie.")
            )
        if row.inspectie_reported_on is not None:
            raise ValidationError(_("The report to the Inspectie has already been recorded."))
        errors: dict[str, list[str]] = {}
        decided_on = timezone.localdate(row.decided_at) if row.decided_at else today
        if reported_on is None:
            _error(errors, "reported_on", _("Enter the date of the report."))
        elif reported_on > today:
            _error(errors, "reported_on", _("The date cannot lie in the future."))
        elif reported_on < decided_on:
            _error(
                errors,
                "reported_on",
                _("The report follows the decision of {decided}: choose that day or later.").format(
                    decided=fmt(decided_on)
                ),
            )
        if not reference:
            _error(
                errors,
                "reference",
                _(
                    "Enter the reference the Internet Schooldossier gave the report, so it can be found again."
                ),
            )
        if errors:
            raise ValidationError(errors)
        assert reported_on is not None
        row.inspectie_reported_on = reported_on
        row.inspectie_reference = reference
        row.save(update_fields=["inspectie_reported_on", "inspectie_reference"])
        deadline = inspectie_deadline(row)
        if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
            deadline_meet(deadline=deadline, actor=actor, now=now)
        _audit("schorsing_inspectie_reported", row, actor=actor, now=now)
        _dossier(
            row,
            "Schorsing gemeld bij de Inspectie",
            [f"Gemeld op {fmt(reported_on)} via het Internet Schooldossier, kenmerk {reference}."],
            actor=actor,
            now=now,
        )
    return row


def _open_for_records(row: Schorsing) -> None:
    if row.status == SchorsingStatus.WITHDRAWN:
        raise ValidationError(_("This schorsing was withdrawn: nothing can be added."))


def schorsing_conversation(
    *,
    schorsing: Schorsing,
    invited_on: date | None,
    held_on: date | None,
    teacher_invited: bool,
    confidant_offered: bool,
    report: str,
    signed_on: date | None,
    actor: Any,
    now: datetime,
) -> Schorsing:
    """The conversation with the parents (plan, stap 6): not a condition for the decision."""
    require_roles(actor, schorsing.school_id, LEAD_ROLES, now)
    today = _today(now)
    report = report.strip()
    errors: dict[str, list[str]] = {}
    for field, day in (("invited_on", invited_on), ("held_on", held_on), ("signed_on", signed_on)):
        if day is not None and day > today:
            _error(errors, field, _("The date cannot lie in the future."))
    if held_on is not None and invited_on is not None and held_on < invited_on:
        _error(errors, "held_on", _("The conversation cannot be held before the invitation."))
    if signed_on is not None:
        if held_on is None:
            _error(
                errors, "signed_on", _("The report is signed after the conversation: enter its date first.")
            )
        elif signed_on < held_on:
            _error(errors, "signed_on", _("The report cannot be signed before the conversation."))
        if not report:
            _error(errors, "report", _("Write down the report the parents signed 'voor gezien'."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        _open_for_records(row)
        before = (row.conversation_invited_on, row.conversation_on, row.report_signed_on)
        row.conversation_invited_on = invited_on
        row.conversation_on = held_on
        row.teacher_invited = teacher_invited
        row.confidant_offered = confidant_offered
        row.conversation_report = report
        row.report_signed_on = signed_on
        row.save()
        _audit(
            "schorsing_conversation_recorded",
            row,
            actor=actor,
            now=now,
            fields=["invited_on", "held_on", "teacher_invited", "confidant_offered", "report", "signed_on"],
        )
        if before != (invited_on, held_on, signed_on):
            lines = []
            if invited_on:
                lines.append(f"Ouders uitgenodigd op {fmt(invited_on)}.")
            lines.append(f"Groepsleerkracht uitgenodigd: {'ja' if teacher_invited else 'nee'}.")
            lines.append(f"Vertrouwenspersoon aangeboden: {'ja' if confidant_offered else 'nee'}.")
            if held_on:
                lines.append(f"Gesprek gehouden op {fmt(held_on)}.")
            if report:
                lines.append(f"Verslag: {report}")
            if signed_on:
                lines.append(f"Verslag voor gezien getekend op {fmt(signed_on)}.")
            title = (
                "Gesprek met de ouders over de schorsing"
                if held_on
                else "Ouders uitgenodigd voor een gesprek over de schorsing"
            )
            _dossier(row, title, lines, actor=actor, now=now)
    return row


def schorsing_education(
    *, schorsing: Schorsing, education_arrangements: str, tests_arrangements: str, actor: Any, now: datetime
) -> Schorsing:
    """Education and tests during the schorsing (R9; plan: tests such as the doorstroomtoets are not blocked)."""
    require_roles(actor, schorsing.school_id, LEAD_ROLES, now)
    education_arrangements = education_arrangements.strip()
    tests_arrangements = tests_arrangements.strip()
    if not education_arrangements:
        raise ValidationError(
            {
                "education_arrangements": [
                    _("Write down how the pupil keeps learning: the work, and who keeps in touch.")
                ]
            }
        )
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        _open_for_records(row)
        row.education_arrangements = education_arrangements
        row.tests_arrangements = tests_arrangements
        row.save(update_fields=["education_arrangements", "tests_arrangements"])
        _audit(
            "schorsing_education_recorded",
            row,
            actor=actor,
            now=now,
            fields=["education_arrangements", "tests_arrangements"],
        )
    return row


# --- letters (LEGAL.md §8) -----------------------------------------------------------------------


def letters_of(schorsing: Schorsing) -> list[Letter]:
    """The letters made for SCHORSING (the decision letter and those linked by their source)."""
    objection_letters = [pk for pk in schorsing.objections.values_list("letter_id", flat=True) if pk]
    query = Q(source_type=SUBJECT_TYPE, source_id=str(schorsing.pk)) | Q(pk__in=objection_letters)
    if schorsing.letter_id:
        query |= Q(pk=schorsing.letter_id)
    return list(Letter.objects.filter(query).order_by("created_at", "pk"))


def _live(letters: Iterable[Letter], kind: str) -> Letter | None:
    return next((x for x in letters if x.kind == kind and x.status != LetterStatus.WITHDRAWN), None)


def _teachers(pupil: Pupil, today: date) -> str:
    placement = (
        GroupPlacement.objects.filter(pupil=pupil, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("group")
        .first()
    )
    if placement is None:
        return ""
    return " en ".join(
        user.display_name for user in placement.group.teachers.order_by("last_name", "username")
    )


def _weekday(day: date) -> str:
    return dutch_date(day, weekday=True)


OUTCOME_SENTENCES = {
    ObjectionOutcome.UPHELD: "Wij verklaren uw {kind} ongegrond. Het besluit tot schorsing blijft van kracht.",
    ObjectionOutcome.REVOKED: "Wij verklaren uw {kind} gegrond en trekken het besluit tot schorsing in.",
    ObjectionOutcome.CHANGED: "Wij verklaren uw {kind} gedeeltelijk gegrond en wijzigen het besluit tot schorsing.",
    ObjectionOutcome.WITHDRAWN: "U hebt uw {kind} ingetrokken.",
    ObjectionOutcome.INADMISSIBLE: "Wij verklaren uw {kind} niet-ontvankelijk. Het besluit tot schorsing blijft van kracht.",
}


def letter_kinds_available(schorsing: Schorsing) -> list[str]:
    """The letter kinds that can be made now for SCHORSING (none of that kind made yet)."""
    letters = letters_of(schorsing)
    kinds: list[str] = []
    if schorsing.status in (SchorsingStatus.SUBMITTED, SchorsingStatus.DECIDED):
        kinds.append("schorsing_uitnodiging")
    if schorsing.status == SchorsingStatus.DECIDED:
        kinds.append("schorsing_besluit")
    if schorsing.conversation_on is not None and schorsing.status != SchorsingStatus.WITHDRAWN:
        kinds.append("schorsing_verslag")
    if _objection_for_letter(schorsing) is not None:
        kinds.append("besluit_bezwaar")
    return [kind for kind in kinds if kind == "besluit_bezwaar" or _live(letters, kind) is None]


def _objection_for_letter(schorsing: Schorsing) -> Objection | None:
    for objection in schorsing.objections.order_by("-received_on", "-pk"):
        if objection.decided_on is None:
            continue
        if objection.letter is None or objection.letter.status == LetterStatus.WITHDRAWN:
            return objection
    return None


def schorsing_letter(*, schorsing: Schorsing, kind: str, actor: Any, now: datetime) -> Letter:
    """Make a letter of KIND for SCHORSING with the letters engine, pre-filled from the record.

    The invitation may be made before the decision; the decision letter only once decided (its FK
    is `schorsing.letter`); the report once the conversation was held; the decision on the beroep
    or bezwaar (FK `objection.letter`) once the board decided it. One live letter per kind.
    """
    today = _today(now)
    if kind == "besluit_bezwaar":
        if not (_roles(actor, schorsing, now) & LEAD_ROLES) and not is_board_member(
            actor, schorsing.board_id, today
        ):
            raise PermissionDenied("This user may not write this letter.")
    else:
        require_roles(actor, schorsing.school_id, LEAD_ROLES, now)
    if kind not in LETTER_KINDS:
        raise ValidationError({"kind": [_("Choose one of the letters offered.")]})
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        if kind not in letter_kinds_available(row):
            raise ValidationError({"kind": [_letter_refusal(row, kind)]})
        pupil = row.pupil
        objection: Objection | None = None
        if kind == "schorsing_uitnodiging":
            values = {
                "aanleiding": row.reasons,
                "besproken_maatregel": f"een schorsing van {_weekday(row.first_day)} tot en met {_weekday(row.last_day)}",
                "groepsleerkracht": _teachers(pupil, today),
            }
        elif kind == "schorsing_besluit":
            education = "\n".join(x for x in (row.education_arrangements, row.tests_arrangements) if x)
            values = {
                "eerste_dag": _weekday(row.first_day),
                "laatste_dag": _weekday(row.last_day),
                "redenen": row.reasons,
                "onderwijsmaatregelen": education,
                "gesprek_datum": _weekday(row.conversation_on) if row.conversation_on else "",
            }
        elif kind == "schorsing_verslag":
            assert row.conversation_on is not None
            values = {"gesprek_datum": _weekday(row.conversation_on), "besproken": row.conversation_report}
        else:
            objection = _objection_for_letter(row)
            assert objection is not None and objection.decided_on is not None
            decided = timezone.localdate(row.decided_at) if row.decided_at else row.first_day
            word = "beroep" if objection.kind == ObjectionKind.BEROEP else "bezwaar"
            values = {
                "bestreden_besluit": (
                    f"ons besluit van {dutch_date(decided)} om {pupil.full_name} te schorsen van "
                    f"{_weekday(row.first_day)} tot en met {_weekday(row.last_day)}"
                ),
                "ontvangen_op": _weekday(objection.received_on),
                "hoorzitting_datum": _weekday(objection.hearing_on) if objection.hearing_on else "",
                "beslissing": OUTCOME_SENTENCES[ObjectionOutcome(objection.outcome)].format(kind=word),
                "redenen": objection.decision_reasons,
            }
        try:
            letter = letter_create(
                kind_code=kind,
                school=row.school,
                actor=actor,
                now=now,
                pupil=pupil,
                values=values,
                source=row,
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        if kind == "schorsing_besluit":
            row.letter = letter
            row.save(update_fields=["letter"])
        if objection is not None:
            objection.letter = letter
            objection.save(update_fields=["letter"])
        _audit("schorsing_letter_made", row, actor=actor, now=now, kind=kind, letter_id=letter.pk)
    return letter


def _roles(actor: Any, schorsing: Schorsing, now: datetime) -> frozenset[str]:
    return roles_on(actor, schorsing.school_id, _today(now))


def _letter_refusal(schorsing: Schorsing, kind: str) -> str:
    if kind == "schorsing_besluit" and schorsing.status != SchorsingStatus.DECIDED:
        return _("The decision letter is made once the schorsing has been decided.")
    if kind == "schorsing_verslag" and schorsing.conversation_on is None:
        return _("The report is made after the conversation: record the date of the conversation first.")
    if kind == "besluit_bezwaar":
        return _("This letter is made once the board has decided on the beroep or bezwaar.")
    if schorsing.status in (SchorsingStatus.WITHDRAWN, SchorsingStatus.REJECTED):
        return _("No letters are made for a schorsing that was withdrawn or not approved.")
    return _("This letter has already been made: open it from the list of letters.")


# --- beroep and bezwaar (R8) ---------------------------------------------------------------------


def objection_kind_for(school: School) -> str:
    """Bijzonder: the school's beroep to the board; openbaar: the Awb bezwaar (R8)."""
    return ObjectionKind.BEZWAAR if school.denominatie == "openbaar" else ObjectionKind.BEROEP


def bekendmaking_of(schorsing: Schorsing) -> date | None:
    """The day the decision was made known: the day its letter was sent through LEV."""
    if schorsing.letter_id is None:
        return None
    sent = Letter.objects.filter(pk=schorsing.letter_id).values_list("sent_at", flat=True).first()
    return timezone.localdate(sent) if sent is not None else None


def bezwaar_term(bekendmaking: date) -> ComputedDeadline:
    """Openbaar: the parents' 6 weeks from the bekendmaking (Awb 6:7–6:8, Atw)."""
    calendar, _source = atw_calendar()
    return due_date(resolve_rule(BEZWAAR_RULE, school_type="openbaar"), bekendmaking, calendar)


def decision_deadline(objection: Objection) -> Deadline | None:
    return (
        Deadline.objects.filter(
            subject_type=OBJECTION_TYPE, subject_id=str(objection.pk), rule_code=DECISION_RULE
        )
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class ObjectionTerms:
    """The terms of one beroep or bezwaar, as the pages show them."""

    bezwaar_term_end: date | None  # openbaar: the (Atw-extended) end of the parents' term
    grace_end: date | None  # openbaar: the last day a bezwaar posted in time may arrive (Awb 6:9)
    on_time: bool | None  # None: no statutory term (bijzonder)
    decision: Deadline | None


def objection_terms(objection: Objection) -> ObjectionTerms:
    deadline = decision_deadline(objection)
    if objection.kind != ObjectionKind.BEZWAAR or deadline is None:
        return ObjectionTerms(None, None, None, deadline)
    # The decision term of a bezwaar starts where the bezwaar term ends (rule start_is_extended_end);
    # after an extension the current row starts later, so the first row holds the term's end.
    first = (
        Deadline.objects.filter(
            subject_type=OBJECTION_TYPE, subject_id=str(objection.pk), rule_code=DECISION_RULE
        )
        .order_by("pk")
        .first()
    )
    assert first is not None and first.start_on is not None
    term_end = first.start_on
    calendar, _source = atw_calendar()
    grace = awb_grace_end(term_end, calendar)
    on_time = objection.received_on <= term_end or (
        objection.posted_on is not None and objection.posted_on <= term_end and objection.received_on <= grace
    )
    return ObjectionTerms(term_end, grace, on_time, deadline)


def _locked_objection(objection: Objection) -> tuple[Schorsing, Objection]:
    if objection.schorsing_id is None:
        raise ValueError("Not an objection against a schorsing.")
    _episode, schorsing = _locked_schorsing(objection.schorsing)  # type: ignore[arg-type]
    row = Objection.objects.select_for_update().get(pk=objection.pk)
    return schorsing, row


def _kind_word(objection: Objection) -> str:
    return "beroep" if objection.kind == ObjectionKind.BEROEP else "bezwaar"


def schorsing_objection_record(
    *,
    schorsing: Schorsing,
    posted_on: date | None,
    received_on: date | None,
    grounds: str,
    adviescommissie: bool,
    actor: Any,
    now: datetime,
    bekendmaking_on: date | None = None,
) -> Objection:
    """Record the parents' beroep (bijzonder) or bezwaar (openbaar) and open the board's decision term.

    Bijzonder: `beroep-schorsing`, 14 days from receipt (the school's procedure). Openbaar: the
    parents' term `bezwaar-schorsing` runs 6 weeks from the bekendmaking (the day the decision letter
    was sent, or BEKENDMAKING_ON when it was handed over or sent outside LEV); the decision term
    `beroep-schorsing` starts at its Atw-extended end: 6 weeks, 12 with an ADVIESCOMMISSIE. A bezwaar
    received late is recorded all the same (the board decides whether it is admissible); the pages
    say it was late.
    """
    today = _today(now)
    if not (_roles(actor, schorsing, now) & LEAD_ROLES) and not is_board_member(
        actor, schorsing.board_id, today
    ):
        raise PermissionDenied("This user may not record a beroep or bezwaar for this school.")
    grounds = grounds.strip()
    with transaction.atomic():
        _episode, row = _locked_schorsing(schorsing)
        school = row.school
        kind = objection_kind_for(school)
        errors: dict[str, list[str]] = {}
        if row.status != SchorsingStatus.DECIDED:
            raise ValidationError(_("Parents can object only to a schorsing that has been decided."))
        if row.objections.filter(decided_on__isnull=True).exists():
            raise ValidationError(
                _("A beroep or bezwaar against this schorsing is already waiting for the board's decision.")
            )
        decided_on = timezone.localdate(row.decided_at) if row.decided_at else row.first_day
        if received_on is None:
            _error(errors, "received_on", _("Enter the date the school or the board received it."))
        elif received_on > today:
            _error(errors, "received_on", _("The date cannot lie in the future."))
        elif received_on < decided_on:
            _error(
                errors,
                "received_on",
                _("The schorsing was decided on {decided}: the date of receipt cannot be earlier.").format(
                    decided=fmt(decided_on)
                ),
            )
        if posted_on is not None and received_on is not None and posted_on > received_on:
            _error(errors, "posted_on", _("It cannot have been posted after it was received."))
        if kind == ObjectionKind.BEROEP and adviescommissie:
            _error(
                errors,
                "adviescommissie",
                _("An advisory committee belongs to the Awb bezwaar of an openbare school."),
            )
        bekendmaking = None
        if kind == ObjectionKind.BEZWAAR:
            bekendmaking = bekendmaking_of(row) or bekendmaking_on
            if bekendmaking is None:
                _error(
                    errors,
                    "bekendmaking_on",
                    _(
                        "The decision letter was not sent through LEV. Enter the day the decision was made "
                        "known to the parents (sent or handed over): the terms are counted from it."
                    ),
                )
            elif bekendmaking < decided_on or bekendmaking > today:
                _error(
                    errors,
                    "bekendmaking_on",
                    _("Choose a day from the decision ({decided}) up to today.").format(
                        decided=fmt(decided_on)
                    ),
                )
        if errors:
            raise ValidationError(errors)
        assert received_on is not None
        objection = Objection.objects.create(
            schorsing=row,
            board_id=row.board_id,
            school=school,
            kind=kind,
            posted_on=posted_on,
            received_on=received_on,
            grounds=grounds,
            adviescommissie=adviescommissie and kind == ObjectionKind.BEZWAAR,
            recorded_by=actor,
            recorded_at=now,
        )
        if kind == ObjectionKind.BEZWAAR:
            assert bekendmaking is not None
            start = bezwaar_term(bekendmaking).due
            assert isinstance(start, date)
        else:
            start = received_on
        deadline_open(
            rule_code=DECISION_RULE,
            start=start,
            school=school,
            subject=objection,
            responsible_role=Role.BOARD,
            responsible_user=None,
            actor=actor,
            now=now,
            adviescommissie=objection.adviescommissie,
            visibility=Visibility.BOARD_ONLY,
        )
        terms = objection_terms(objection)
        record(
            "schorsing_objection_recorded",
            actor=actor,
            board=row.board,
            obj=objection,
            summary={
                "schorsing_id": row.pk,
                "pupil_id": row.pupil_id,
                "kind": kind,
                "adviescommissie": objection.adviescommissie,
                "on_time": terms.on_time,
            },
            now=now,
        )
        word = _kind_word(objection)
        lines = [
            f"Ontvangen op {fmt(received_on)}" + (f", verzonden op {fmt(posted_on)}." if posted_on else ".")
        ]
        if bekendmaking is not None:
            lines.append(f"Besluit bekendgemaakt op {fmt(bekendmaking)}.")
        if terms.on_time is False:
            lines.append("Let op: het bezwaar is na de bezwaartermijn ontvangen.")
        if grounds:
            lines.append(f"Gronden: {grounds}")
        if terms.decision is not None:
            lines.append(f"Het bestuur beslist uiterlijk op {fmt(terms.decision.due_on)}.")
        _dossier(row, f"{word.capitalize()} tegen de schorsing ontvangen", lines, actor=actor, now=now)
    return objection


def objection_hearing(
    *, objection: Objection, hearing_on: date | None, note: str, actor: Any, now: datetime
) -> Objection:
    """The board hears the parents on the beroep or bezwaar (R8; Awb 7:2 for openbaar)."""
    _require_board(actor, objection.board_id, now)
    note = note.strip()
    today = _today(now)
    with transaction.atomic():
        schorsing, row = _locked_objection(objection)
        if row.decided_on is not None:
            raise ValidationError(_("The board has already decided on this beroep or bezwaar."))
        errors: dict[str, list[str]] = {}
        if hearing_on is None:
            _error(errors, "hearing_on", _("Enter the date the parents were heard."))
        elif hearing_on > today:
            _error(errors, "hearing_on", _("The date cannot lie in the future."))
        elif hearing_on < row.received_on:
            _error(
                errors,
                "hearing_on",
                _("The parents are heard after it was received on {received}.").format(
                    received=fmt(row.received_on)
                ),
            )
        if not note:
            _error(errors, "note", _("Write down what the parents said."))
        if errors:
            raise ValidationError(errors)
        assert hearing_on is not None
        row.hearing_on = hearing_on
        row.hearing_note = note
        row.save(update_fields=["hearing_on", "hearing_note"])
        record(
            "schorsing_objection_hearing",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"schorsing_id": schorsing.pk, "pupil_id": schorsing.pupil_id},
            now=now,
        )
        _dossier(
            schorsing,
            f"Ouders gehoord over het {_kind_word(row)} tegen de schorsing",
            [f"Gehoord op {fmt(hearing_on)}.", note],
            actor=actor,
            now=now,
        )
    return row


def objection_extend(
    *, objection: Objection, extended_on: date | None, reason: str, actor: Any, now: datetime
) -> Objection:
    """Openbaar: the board postpones its decision once by at most six weeks (Awb 7:10 lid 3), in
    writing, before the term ends. The decision term's row is waived and a new one opened from the
    end of the first term (6 weeks, Atw)."""
    _require_board(actor, objection.board_id, now)
    reason = reason.strip()
    today = _today(now)
    with transaction.atomic():
        schorsing, row = _locked_objection(objection)
        if row.kind != ObjectionKind.BEZWAAR:
            raise ValidationError(
                _(
                    "Only the decision on an Awb bezwaar can be postponed; the school's beroep procedure has no extension."
                )
            )
        if row.decided_on is not None:
            raise ValidationError(_("The board has already decided on this beroep or bezwaar."))
        if row.extended_on is not None:
            raise ValidationError(_("The decision has already been postponed once (Awb 7:10 lid 3)."))
        deadline = decision_deadline(row)
        errors: dict[str, list[str]] = {}
        if extended_on is None:
            _error(errors, "extended_on", _("Enter the date of the letter that tells the parents."))
        elif extended_on > today:
            _error(errors, "extended_on", _("The date cannot lie in the future."))
        elif deadline is not None and extended_on > deadline.due_on:
            _error(
                errors,
                "extended_on",
                _("The term ended on {due}: the decision can only be postponed before it ends.").format(
                    due=fmt(deadline.due_on)
                ),
            )
        if not reason:
            _error(errors, "reason", _("Say why the board needs more time."))
        if errors:
            raise ValidationError(errors)
        assert extended_on is not None
        row.extended_on = extended_on
        row.extension_reason = reason
        row.save(update_fields=["extended_on", "extension_reason"])
        if deadline is not None:
            if deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
                deadline_waive(
                    deadline=deadline, reason="Beslissing verdaagd (Awb 7:10 lid 3).", actor=actor, now=now
                )
            deadline_open(
                rule_code=DECISION_RULE,
                start=deadline.due_on,
                school=row.school,
                subject=row,
                responsible_role=Role.BOARD,
                responsible_user=None,
                actor=actor,
                now=now,
                visibility=Visibility.BOARD_ONLY,
            )
        new = decision_deadline(row)
        record(
            "schorsing_objection_extended",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"schorsing_id": schorsing.pk, "pupil_id": schorsing.pupil_id},
            now=now,
        )
        _dossier(
            schorsing,
            "Beslissing op het bezwaar tegen de schorsing verdaagd",
            [
                f"Verdaagd op {fmt(extended_on)}: {reason}",
                f"Nieuwe uiterste datum: {fmt(new.due_on)}." if new else "",
            ],
            actor=actor,
            now=now,
        )
    return row


def objection_decide(
    *, objection: Objection, decided_on: date | None, outcome: str, reasons: str, actor: Any, now: datetime
) -> Objection:
    """The board decides on the beroep or bezwaar and meets its term. Openbaar: the parents are
    heard first (Awb 7:2), unless the bezwaar is withdrawn or fully granted (Awb 7:3)."""
    _require_board(actor, objection.board_id, now)
    reasons = reasons.strip()
    today = _today(now)
    with transaction.atomic():
        schorsing, row = _locked_objection(objection)
        if row.decided_on is not None:
            raise ValidationError(_("The board has already decided on this beroep or bezwaar."))
        errors: dict[str, list[str]] = {}
        if decided_on is None:
            _error(errors, "decided_on", _("Enter the date of the decision."))
        elif decided_on > today:
            _error(errors, "decided_on", _("The date cannot lie in the future."))
        elif decided_on < row.received_on:
            _error(
                errors,
                "decided_on",
                _("The decision follows the receipt on {received}.").format(received=fmt(row.received_on)),
            )
        if outcome not in ObjectionOutcome.values:
            _error(errors, "outcome", _("Choose the outcome."))
        elif outcome != ObjectionOutcome.WITHDRAWN and not reasons:
            _error(
                errors, "reasons", _("Give the reasons of the decision: the parents receive them in writing.")
            )
        if (
            row.kind == ObjectionKind.BEZWAAR
            and outcome in (ObjectionOutcome.UPHELD, ObjectionOutcome.CHANGED)
            and (row.hearing_on is None or (decided_on is not None and row.hearing_on > decided_on))
        ):
            _error(
                errors,
                "",
                _(
                    "The board hears the parents before it decides on a bezwaar (Awb art. 7:2). Record the "
                    "hearing first."
                ),
            )
        if errors:
            raise ValidationError(errors)
        assert decided_on is not None
        row.decided_on = decided_on
        row.outcome = outcome
        row.decision_reasons = reasons
        row.save(update_fields=["decided_on", "outcome", "decision_reasons"])
        deadline = decision_deadline(row)
        if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
            if outcome == ObjectionOutcome.WITHDRAWN:
                deadline_waive(deadline=deadline, reason="Ingetrokken door de ouders.", actor=actor, now=now)
            else:
                deadline_meet(deadline=deadline, actor=actor, now=now)
        record(
            "schorsing_objection_decided",
            actor=actor,
            board=row.board,
            obj=row,
            summary={"schorsing_id": schorsing.pk, "pupil_id": schorsing.pupil_id, "outcome": outcome},
            now=now,
        )
        word = _kind_word(row)
        _dossier(
            schorsing,
            f"Beslissing op het {word} tegen de schorsing",
            [
                f"Besloten op {fmt(decided_on)}.",
                OUTCOME_SENTENCES[ObjectionOutcome(outcome)].format(kind=word),
                f"Redenen: {reasons}" if reasons else "",
            ],
            actor=actor,
            now=now,
        )
    return row


# --- for other modules ---------------------------------------------------------------------------


def covers_days(pupil: Pupil, first: date, last: date) -> bool:
    """LEGAL.md R2a: a decided schorsing of PUPIL covers every day from FIRST to LAST (for the
    letters engine's `register_covering_suspension`)."""
    if last < first:
        return False
    return Schorsing.objects.filter(
        pupil=pupil, status=SchorsingStatus.DECIDED, first_day__lte=first, last_day__gte=last
    ).exists()
