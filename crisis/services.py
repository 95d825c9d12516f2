"""Writing a crisis (policy plan ch. 16–17, Bijlage 18–22 and 26).

Every function owns its transaction, checks that ACTOR may do it (the director or deputy director
of the crisis's school; the owner of an action for that action's status and note — see
`crisis.permissions`), refuses bad input with a `ValidationError` per field, and writes one audit
row with ids and field names only. A closed crisis is kept as it was: nothing is added or changed.

Temporary measures (Bijlage 19) write to the pupil's chronology (kind `maatregel`) and keep their
next evaluation as a deadline row: `evaluatie-omgangsregels` (two weeks, Atw) from the day the rules
take effect, then `evaluatie-omgangsregels-vervolg` (one month, Atw) from each evaluation; ending a
measure waives the running term.

Stored text (chronology entries, the reason a term was waived) is Dutch, like the deadline
explanations: it is part of the record and must not change with the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communications.contact_models import ContactLog
from communications.contact_services import contact_log_record
from communications.letter_models import Letter
from incidents.models import Incident
from lev.audit.services import record
from lev.deadlines.domain import DeadlineError
from lev.deadlines.domain.calendar import WEEKDAYS_NL
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_meet, deadline_open, deadline_waive, start_of_day
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_crisis
from lev.schools.models import Pupil, School
from lev.schools.permissions import roles_on

from .domain.actions import ACTIONS
from .domain.evaluations import evaluation_rule
from .models import (
    ActionStatus,
    CommunicationDecision,
    Crisis,
    CrisisAction,
    CrisisStatus,
    MeasureEvaluation,
    MeasureStatus,
    MediaLogEntry,
    Participant,
    Spokesperson,
    TemporaryMeasure,
)
from .permissions import MANAGE_ROLES, VIEW_ROLES, crisis_members, manager_role

DOSSIER_KIND = "maatregel"
RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.MISSED, DeadlineStatus.SUSPENDED)
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{6,20}$")


# --- Helpers --------------------------------------------------------------------------------------


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _dw(day: date) -> str:
    """wo 06-05-2026: how a deadline is shown (UX.md)."""
    return f"{WEEKDAYS_NL[day.weekday()]} {_d(day)}"


def _manager(actor: Any, school_id: int, now: datetime) -> str:
    role = manager_role(actor, school_id, timezone.localdate(now))
    if role is None:
        raise PermissionDenied
    return role


def _locked_open(crisis: Crisis) -> Crisis:
    """The crisis row, locked for this transaction; refused when it is closed."""
    row = Crisis.objects.select_for_update().get(pk=crisis.pk)
    if row.status != CrisisStatus.OPEN:
        raise ValidationError(
            _("This crisis is closed. It is kept as it was: nothing can be added or changed."), code="closed"
        )
    return row


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    names = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in names:
        setattr(obj, name, values[name])
    return names


def _not_future(day: date, now: datetime, field: str, message: str, errors: dict[str, str]) -> None:
    if day > timezone.localdate(now):
        errors[field] = message


def _happened_at(day: date, now: datetime) -> datetime:
    """The start of DAY, or NOW when DAY lies ahead (a chronology entry is never in the future)."""
    return min(start_of_day(day), now)


# --- The crisis -----------------------------------------------------------------------------------


def crisis_start(
    *, school: School, incidents: Sequence[Incident], title: str, actor: Any, now: datetime
) -> Crisis:
    """Escalate INCIDENTS of SCHOOL to a crisis, with the five actions of Bijlage 18 (owned by the
    actor until they are divided) and the board as spokesperson.

    Refused: incidents of another school, no incident, an incident that is part of another open
    crisis already, an empty title.
    """
    _manager(actor, school.pk, now)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Give the crisis a short title, without names of pupils.")
    chosen = list({incident.pk: incident for incident in incidents}.values())
    if not chosen:
        errors["incidents"] = _("Choose at least one incident of this school.")
    elif any(incident.school_id != school.pk for incident in chosen):
        errors["incidents"] = _("Choose incidents of this school only.")
    else:
        busy = (
            Crisis.incidents.through.objects.filter(
                crisis__status=CrisisStatus.OPEN, incident_id__in=[i.pk for i in chosen]
            )
            .values_list("incident__number", "crisis__title")
            .order_by("incident__number")
            .first()
        )
        if busy is not None:
            errors["incidents"] = _(
                "Incident %(number)s is already part of the open crisis “%(title)s”. Open that crisis instead."
            ) % {"number": busy[0], "title": busy[1]}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        crisis = Crisis.objects.create(
            board_id=school.board_id,
            school=school,
            title=title,
            started_at=now,
            started_by=actor,
        )
        crisis.incidents.set(chosen)
        count_crisis(crisis)
        CrisisAction.objects.bulk_create(
            CrisisAction(
                crisis=crisis,
                code=action.code,
                position=action.number,
                owner=actor,
                updated_at=now,
                updated_by=actor,
            )
            for action in ACTIONS
        )
        record(
            "crisis_started",
            actor=actor,
            obj=crisis,
            summary={"school_id": school.pk, "incident_ids": sorted(i.pk for i in chosen)},
            now=now,
        )
    return crisis


def crisis_action_update(
    *, action: CrisisAction, owner: Any | None, status: str, note: str, actor: Any, now: datetime
) -> CrisisAction:
    """Set the owner, status and note of one of the five actions.

    The director or deputy may change all three; the owner of the action (an IB) its status and note
    only. The owner is a user holding a crisis role at the school.
    """
    crisis = action.crisis
    today = timezone.localdate(now)
    roles = roles_on(actor, crisis.school_id, today)
    owner_id = getattr(owner, "pk", None)
    if not roles & MANAGE_ROLES and not (
        roles & VIEW_ROLES and action.owner_id == actor.pk and owner_id == action.owner_id
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if owner is None:
        errors["owner"] = _("Choose who takes on this action.")
    elif (
        owner_id != action.owner_id and not crisis_members(crisis.school, today).filter(pk=owner_id).exists()
    ):
        errors["owner"] = _("Choose the director, a deputy director or a care coordinator of this school.")
    if status not in ActionStatus.values:
        errors["status"] = _("Choose the status of the action.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(crisis)
        row = CrisisAction.objects.select_for_update().get(pk=action.pk)
        changed = _changed(row, {"owner_id": owner_id, "status": status, "note": note.strip()})
        if not changed:
            return row
        row.updated_at = now
        row.updated_by = actor
        row.save()
        record(
            "crisis_action_updated",
            actor=actor,
            obj=crisis,
            summary={
                "action_id": row.pk,
                "action": row.code,
                "fields": changed,
                "owner_id": row.owner_id,
                "status": row.status,
            },
            now=now,
        )
    return row


def crisis_plan_update(
    *, crisis: Crisis, weighing: str, intended_conversations: str, involved: str, actor: Any, now: datetime
) -> Crisis:
    """The plan of approach (ch. 16.5): the weighing, the intended conversations, those involved."""
    _manager(actor, crisis.school_id, now)
    with transaction.atomic():
        row = _locked_open(crisis)
        changed = _changed(
            row,
            {
                "weighing": weighing.strip(),
                "intended_conversations": intended_conversations.strip(),
                "involved": involved.strip(),
            },
        )
        if not changed:
            return row
        row.plan_updated_at = now
        row.save()
        record("crisis_plan_updated", actor=actor, obj=row, summary={"fields": changed}, now=now)
    return row


def crisis_spokesperson_set(
    *, crisis: Crisis, kind: str, user: Any | None, name: str, function: str, actor: Any, now: datetime
) -> Crisis:
    """Who speaks to the media: the board (the default), a designated LEV user of the school's
    management, or another designated person by name and function (ch. 17.7, Bijlage 26)."""
    _manager(actor, crisis.school_id, now)
    errors: dict[str, str] = {}
    name, function = name.strip(), function.strip()
    values: dict[str, Any] = {
        "spokesperson": kind,
        "spokesperson_user_id": None,
        "spokesperson_name": "",
        "spokesperson_function": "",
    }
    if kind == Spokesperson.USER:
        if (
            user is None
            or not crisis_members(crisis.school, timezone.localdate(now)).filter(pk=user.pk).exists()
        ):
            errors["spokesperson_user"] = _("Choose the person who speaks to the media.")
        else:
            values["spokesperson_user_id"] = user.pk
    elif kind == Spokesperson.OTHER:
        if not name:
            errors["spokesperson_name"] = _("Enter the name of the person who speaks to the media.")
        if not function:
            errors["spokesperson_function"] = _(
                "Enter the function of this person (for example: press officer)."
            )
        values.update(spokesperson_name=name, spokesperson_function=function)
    elif kind != Spokesperson.BOARD:
        errors["spokesperson"] = _("Choose who speaks to the media.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = _locked_open(crisis)
        changed = _changed(row, values)
        if not changed:
            return row
        row.save()
        record(
            "crisis_spokesperson_set",
            actor=actor,
            obj=row,
            summary={"spokesperson": kind, "user_id": values["spokesperson_user_id"], "fields": changed},
            now=now,
        )
    return row


def participant_add(
    *,
    crisis: Crisis,
    name: str,
    organisation: str = "",
    availability: str = "",
    phone: str = "",
    email: str = "",
    actor: Any,
    now: datetime,
) -> Participant:
    """A row of the participants and availability list (Bijlage 20)."""
    _manager(actor, crisis.school_id, now)
    errors: dict[str, str] = {}
    name, phone, email = name.strip(), phone.strip(), email.strip()
    if not name:
        errors["name"] = _("Enter the name of the participant (and of their substitutes, if any).")
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = _("Enter a phone number with digits (spaces, brackets, + and - are fine).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address, like name@example.nl.")
    if not phone and not email and "phone" not in errors:
        errors["phone"] = _("Enter a phone number or an e-mail address, so the participant can be reached.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(crisis)
        participant = Participant.objects.create(
            crisis=crisis,
            name=name,
            organisation=organisation.strip(),
            availability=availability.strip(),
            phone=phone,
            email=email,
            added_by=actor,
            added_at=now,
        )
        record(
            "crisis_participant_added",
            actor=actor,
            obj=crisis,
            summary={"participant_id": participant.pk},
            now=now,
        )
    return participant


def participant_remove(*, participant: Participant, reason: str, actor: Any, now: datetime) -> Participant:
    """Take PARTICIPANT off the participants list (Bijlage 20), for example when they leave the team.

    The row stays, with when, by whom and why, so the list remains traceable; the audit row holds
    the participant's id only (the reason may name people). Refused: an empty reason, a closed
    crisis, a participant removed already.
    """
    crisis = participant.crisis
    _manager(actor, crisis.school_id, now)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say briefly why the participant is removed (for example: has left the team).")}
        )
    with transaction.atomic():
        _locked_open(crisis)
        row = Participant.objects.select_for_update().get(pk=participant.pk)
        if row.removed_at is not None:
            raise ValidationError(
                _("This participant was removed from the list already, on %(day)s.")
                % {"day": _d(timezone.localdate(row.removed_at))},
                code="removed",
            )
        row.removed_at = now
        row.removed_by = actor
        row.removal_reason = reason
        row.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record(
            "crisis_participant_removed",
            actor=actor,
            obj=crisis,
            summary={"participant_id": row.pk},
            now=now,
        )
    return row


def crisis_incidents_add(
    *, crisis: Crisis, incidents: Sequence[Incident], actor: Any, now: datetime
) -> Crisis:
    """Link more INCIDENTS of the crisis's school to an open crisis (a new incident that turns out to
    belong to it).

    Refused: no incident, incidents of another school, an incident that is part of this crisis or of
    another open crisis already, a closed crisis.
    """
    _manager(actor, crisis.school_id, now)
    chosen = list({incident.pk: incident for incident in incidents}.values())
    if not chosen:
        raise ValidationError({"incidents": _("Choose at least one incident of this school.")})
    if any(incident.school_id != crisis.school_id for incident in chosen):
        raise ValidationError({"incidents": _("Choose incidents of this school only.")})
    with transaction.atomic():
        row = _locked_open(crisis)
        busy = (
            Crisis.incidents.through.objects.filter(
                crisis__status=CrisisStatus.OPEN, incident_id__in=[i.pk for i in chosen]
            )
            .values_list("crisis_id", "incident__number", "crisis__title")
            .order_by("incident__number", "crisis_id")
            .first()
        )
        if busy is not None:
            crisis_id, number, title = busy
            if crisis_id == row.pk:
                message = _("Incident %(number)s is already part of this crisis.") % {"number": number}
            else:
                message = _(
                    "Incident %(number)s is already part of the open crisis “%(title)s”. "
                    "An incident can be part of one open crisis only."
                ) % {"number": number, "title": title}
            raise ValidationError({"incidents": message})
        row.incidents.add(*chosen)
        record(
            "crisis_incidents_added",
            actor=actor,
            obj=row,
            summary={"incident_ids": sorted(i.pk for i in chosen)},
            now=now,
        )
    return row


def crisis_contact_record(
    *, crisis: Crisis, pupil: Pupil | None, actor: Any, now: datetime, **fields: Any
) -> ContactLog:
    """A contact with parents during the crisis (Bijlage 21), written to the parent contact log of
    `communications` with this crisis's id. With a PUPIL the contact is in that pupil's chronology
    too. FIELDS are those of `communications.contact_services.contact_log_record`."""
    _manager(actor, crisis.school_id, now)
    if pupil is not None and pupil.school_id != crisis.school_id:
        raise ValidationError({"pupil": _("Choose a pupil of this school.")})
    with transaction.atomic():
        _locked_open(crisis)
        return contact_log_record(
            pupil=pupil, school=crisis.school, crisis_id=crisis.pk, actor=actor, now=now, **fields
        )


# --- Temporary measures (Bijlage 19) ---------------------------------------------------------------


def _open_evaluation(
    measure: TemporaryMeasure, *, held: int, start: date, role: str, actor: Any, now: datetime, field: str
) -> Deadline:
    try:
        return deadline_open(
            rule_code=evaluation_rule(held),
            start=start,
            school=measure.school,
            subject=measure,
            responsible_role=role,
            responsible_user=actor,
            actor=actor,
            now=now,
            visibility=DeadlineVisibility.SCHOOL,
        )
    except DeadlineError as exc:
        raise ValidationError(
            {field: _("LEV cannot plan the next evaluation from this date. Choose another date.")}
        ) from exc


def measure_start(
    *,
    crisis: Crisis,
    pupil: Pupil,
    description: str,
    starts_on: date,
    ends_on: date | None = None,
    actor: Any,
    now: datetime,
) -> TemporaryMeasure:
    """Temporary extra rules for PUPIL from STARTS_ON (and until ENDS_ON, if planned), with the
    first evaluation as a deadline row (two weeks, Atw) and an entry in the pupil's chronology."""
    role = _manager(actor, crisis.school_id, now)
    errors: dict[str, str] = {}
    description = description.strip()
    if pupil.school_id != crisis.school_id:
        errors["pupil"] = _("Choose a pupil of this school.")
    if not description:
        errors["description"] = _("Describe the extra rules: what the pupil and the adults do, and when.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _(
            "The end date cannot be before the start (%(day)s). Choose a date on or after it."
        ) % {"day": _d(starts_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(crisis)
        measure = TemporaryMeasure.objects.create(
            board_id=crisis.board_id,
            school_id=crisis.school_id,
            crisis=crisis,
            pupil=pupil,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
            created_at=now,
        )
        deadline = _open_evaluation(
            measure, held=0, start=starts_on, role=role, actor=actor, now=now, field="starts_on"
        )
        measure.evaluation_deadline = deadline
        measure.save(update_fields=["evaluation_deadline"])
        lines = [description, f"Gaat in op: {_d(starts_on)}"]
        if ends_on is not None:
            lines.append(f"Gepland tot: {_d(ends_on)}")
        lines.append(f"Eerste evaluatie uiterlijk: {_dw(deadline.due_on)}")
        entry = entry_record(
            pupil=pupil,
            kind=DOSSIER_KIND,
            title="Tijdelijke extra omgangsregels",
            summary="\n".join(lines),
            happened_at=_happened_at(starts_on, now),
            author=actor,
            now=now,
            source=measure,
        )
        record(
            "crisis_measure_started",
            actor=actor,
            obj=measure,
            summary={
                "crisis_id": crisis.pk,
                "pupil_id": pupil.pk,
                "deadline_id": deadline.pk,
                "dossier_entry_id": entry.pk,
            },
            now=now,
        )
    return measure


def _locked_active(measure: TemporaryMeasure) -> TemporaryMeasure:
    row = TemporaryMeasure.objects.select_for_update().select_related("school", "pupil").get(pk=measure.pk)
    if row.status != MeasureStatus.ACTIVE:
        raise ValidationError(
            _("This measure has ended; it is no longer evaluated or changed."), code="ended"
        )
    return row


def measure_evaluate(
    *,
    measure: TemporaryMeasure,
    held_on: date,
    with_whom: str,
    outcome: str,
    changes: str = "",
    actor: Any,
    now: datetime,
) -> MeasureEvaluation:
    """Record an evaluation held on HELD_ON: the running term is met and the next one opened (one
    month from HELD_ON, Atw); the outcome and changes go into the pupil's chronology (Bijlage 19:
    "De wijzigingen worden in het leerlingdossier bijgehouden")."""
    role = _manager(actor, measure.school_id, now)
    errors: dict[str, str] = {}
    with_whom, outcome, changes = with_whom.strip(), outcome.strip(), changes.strip()
    _not_future(
        held_on,
        now,
        "held_on",
        _("An evaluation cannot lie in the future. Enter the date it was held."),
        errors,
    )
    if held_on < measure.starts_on:
        errors["held_on"] = _(
            "The evaluation cannot be before the rules took effect (%(day)s). Choose a date on or after it."
        ) % {"day": _d(measure.starts_on)}
    if not with_whom:
        errors["with_whom"] = _("Say with whom the evaluation was held (for example: teacher, parents, IB).")
    if not outcome:
        errors["outcome"] = _("Write down the outcome: what went well, what did not, and what happens next.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(measure.crisis)
        row = _locked_active(measure)
        held = row.evaluations.count()
        answered = row.evaluation_deadline
        if answered is not None and answered.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
            answered = deadline_meet(deadline=answered, actor=actor, now=now)
        following = _open_evaluation(
            row, held=held + 1, start=held_on, role=role, actor=actor, now=now, field="held_on"
        )
        evaluation = MeasureEvaluation.objects.create(
            measure=row,
            held_on=held_on,
            with_whom=with_whom,
            outcome=outcome,
            changes=changes,
            deadline=answered,
            next_deadline=following,
            recorded_by=actor,
            recorded_at=now,
        )
        row.evaluation_deadline = following
        row.save(update_fields=["evaluation_deadline"])
        lines = [f"Gehouden op {_d(held_on)} met {with_whom}.", f"Uitkomst: {outcome}"]
        if changes:
            lines.append(f"Wijzigingen: {changes}")
        lines.append(f"Volgende evaluatie uiterlijk: {_dw(following.due_on)}")
        entry = entry_record(
            pupil=row.pupil,
            kind=DOSSIER_KIND,
            title="Evaluatie tijdelijke extra omgangsregels",
            summary="\n".join(lines),
            happened_at=_happened_at(held_on, now),
            author=actor,
            now=now,
            source=evaluation,
        )
        record(
            "crisis_measure_evaluated",
            actor=actor,
            obj=row,
            summary={
                "evaluation_id": evaluation.pk,
                "met_deadline_id": answered.pk if answered is not None else None,
                "next_deadline_id": following.pk,
                "dossier_entry_id": entry.pk,
            },
            now=now,
        )
    return evaluation


def measure_end(
    *, measure: TemporaryMeasure, ended_on: date, reason: str, actor: Any, now: datetime
) -> TemporaryMeasure:
    """End the extra rules on ENDED_ON: the running evaluation term is waived with the reason."""
    _manager(actor, measure.school_id, now)
    errors: dict[str, str] = {}
    reason = reason.strip()
    _not_future(
        ended_on,
        now,
        "ended_on",
        _("A measure cannot be ended ahead of time. End it on or after the day it stops."),
        errors,
    )
    if ended_on < measure.starts_on:
        errors["ended_on"] = _(
            "The end cannot be before the start (%(day)s). Choose a date on or after it."
        ) % {"day": _d(measure.starts_on)}
    if not reason:
        errors["reason"] = _(
            "Say briefly why the measure ends (for example: the evaluation showed it is no longer needed)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(measure.crisis)
        row = _locked_active(measure)
        waived: int | None = None
        running = row.evaluation_deadline
        if running is not None and running.status in RUNNING:
            deadline_waive(
                deadline=running,
                reason=f"Maatregel beëindigd op {_d(ended_on)}: {reason}",
                actor=actor,
                now=now,
            )
            waived = running.pk
        row.status = MeasureStatus.ENDED
        row.ends_on = ended_on
        row.end_reason = reason
        row.ended_by = actor
        row.ended_at = now
        row.save(update_fields=["status", "ends_on", "end_reason", "ended_by", "ended_at"])
        entry = entry_record(
            pupil=row.pupil,
            kind=DOSSIER_KIND,
            title="Tijdelijke extra omgangsregels beëindigd",
            summary=f"Beëindigd op {_d(ended_on)}.\nReden: {reason}",
            happened_at=_happened_at(ended_on, now),
            author=actor,
            now=now,
            source=row,
        )
        record(
            "crisis_measure_ended",
            actor=actor,
            obj=row,
            summary={"waived_deadline_id": waived, "dossier_entry_id": entry.pk},
            now=now,
        )
    return row


# --- Communication and the media --------------------------------------------------------------------


def communication_record(
    *,
    crisis: Crisis,
    decided_on: date,
    audience: str,
    message: str,
    letters: Sequence[Letter] = (),
    actor: Any,
    now: datetime,
) -> CommunicationDecision:
    """A decision on whom to tell what (ch. 17.1–17.6), with the letters of the school that carry it."""
    _manager(actor, crisis.school_id, now)
    errors: dict[str, str] = {}
    audience, message = audience.strip(), message.strip()
    _not_future(
        decided_on,
        now,
        "decided_on",
        _("A decision cannot lie in the future. Enter the day it was made."),
        errors,
    )
    if not audience:
        errors["audience"] = _("Say who is told: for example the parents of group 5, all parents, the team.")
    if not message:
        errors["message"] = _("Summarise the message in a few sentences.")
    if any(letter.school_id != crisis.school_id for letter in letters):
        errors["letters"] = _("Choose letters of this school only.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(crisis)
        decision = CommunicationDecision.objects.create(
            crisis=crisis,
            decided_on=decided_on,
            audience=audience,
            message=message,
            decided_by=actor,
            recorded_at=now,
        )
        decision.letters.set(letters)
        record(
            "crisis_communication_recorded",
            actor=actor,
            obj=crisis,
            summary={"decision_id": decision.pk, "letter_ids": sorted(letter.pk for letter in letters)},
            now=now,
        )
    return decision


def spokesperson_label(crisis: Crisis) -> str:
    """The crisis's spokesperson as the media log names them."""
    if crisis.spokesperson == Spokesperson.USER and crisis.spokesperson_user is not None:
        return str(crisis.spokesperson_user.display_name)
    if crisis.spokesperson == Spokesperson.OTHER:
        function = f" ({crisis.spokesperson_function})" if crisis.spokesperson_function else ""
        return f"{crisis.spokesperson_name}{function}"
    return _("the board (%(board)s)") % {"board": crisis.board.name}


def media_log_record(
    *,
    crisis: Crisis,
    occurred_at: datetime,
    medium: str,
    question: str,
    answer: str,
    spoken_by: str,
    actor: Any,
    now: datetime,
) -> MediaLogEntry:
    """One contact with the media (Bijlage 26). The log is append-only."""
    if timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be an aware datetime")
    _manager(actor, crisis.school_id, now)
    errors: dict[str, str] = {}
    medium, question, answer, spoken_by = medium.strip(), question.strip(), answer.strip(), spoken_by.strip()
    if occurred_at > now:
        errors["occurred_at"] = _(
            "A contact with the media cannot lie in the future. Enter when it took place."
        )
    if not medium:
        errors["medium"] = _("Enter the medium and the journalist (for example: Omroep West, J. de Boer).")
    if not question:
        errors["question"] = _("Write down what was asked.")
    if not answer:
        errors["answer"] = _("Write down what was answered (also when it was “no comment”).")
    if not spoken_by:
        errors["spoken_by"] = _("Say who answered.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_open(crisis)
        entry = MediaLogEntry.objects.create(
            crisis=crisis,
            occurred_at=occurred_at,
            medium=medium,
            question=question,
            answer=answer,
            spoken_by=spoken_by,
            recorded_by=actor,
            recorded_at=now,
        )
        record("crisis_media_recorded", actor=actor, obj=crisis, summary={"media_log_id": entry.pk}, now=now)
    return entry


# --- Evaluation (ch. 16.10) --------------------------------------------------------------------------


def crisis_evaluate_and_close(
    *,
    crisis: Crisis,
    sounding_board: str,
    process_evaluation: str,
    result_evaluation: str,
    close: bool,
    actor: Any,
    now: datetime,
) -> Crisis:
    """Keep the evaluation (klankbordgroep, process and result evaluation) and, with CLOSE, close
    the crisis. Closing needs a process or result evaluation and no measure still in force (their
    evaluations would have no crisis page to be recorded on)."""
    _manager(actor, crisis.school_id, now)
    values = {
        "sounding_board": sounding_board.strip(),
        "process_evaluation": process_evaluation.strip(),
        "result_evaluation": result_evaluation.strip(),
    }
    with transaction.atomic():
        row = _locked_open(crisis)
        if close:
            errors: dict[str, str] = {}
            if not values["process_evaluation"] and not values["result_evaluation"]:
                errors["result_evaluation"] = _(
                    "Write the process evaluation or the result evaluation before you close the crisis."
                )
            active = row.measures.filter(status=MeasureStatus.ACTIVE).count()
            if active:
                errors["close"] = _(
                    "End the temporary measures that are still in force before you close the crisis."
                )
            if errors:
                raise ValidationError(errors)
        changed = _changed(row, values)
        if close:
            row.status = CrisisStatus.CLOSED
            row.closed_at = now
            row.closed_by = actor
        if not changed and not close:
            return row
        row.save()
        record(
            "crisis_closed" if close else "crisis_evaluation_saved",
            actor=actor,
            obj=row,
            summary={"fields": changed},
            now=now,
        )
    return row
