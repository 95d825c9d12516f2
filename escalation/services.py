"""The stappenplan's core: episodes, their facts for the ladder's guards, and steps 1–4.

Every write locks the pupil's open episode row first (`select_for_update`), so two people acting
on one pupil at once are served one after the other and the second sees the first one's result:
two approvals of one time-out, or two schorsingen for one period, end in one decision. A partial
unique constraint keeps at most one open episode per pupil.

Every state change goes through `advance`, which asks the transition table
(`escalation.domain.ladder`) with the facts read from the database, and writes an audit event; every
record writes a `DossierEntry` in the same transaction. Dossier titles are stored Dutch text (the
record is evidence, not a screen label).

The measures have their own modules (`timeout_services`, `schorsing_services`,
`verwijdering_services`), built on `locked_episode`, `facts_for` and `advance`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident
from lev.audit.services import record
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_step
from lev.schools.models import Pupil
from lev.schools.permissions import roles_on

from .domain.ladder import EpisodeFacts, Event, State, Step, apply, step_of
from .domain.verwijdering import VerwijderingGround
from .models import (
    Consequence,
    Episode,
    EpisodeState,
    SchorsingStatus,
    StepRecord,
    TimeOutStatus,
    Verwijdering,
    VerwijderingStatus,
)
from .permissions import LEAD_ROLES, STEP_ROLES

DOSSIER_KIND_STEP = "escalation_step"


def happened_at(day: date, now: datetime) -> datetime:
    """The moment a dated record happened: NOW when DAY is today, otherwise noon of DAY."""
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def require_roles(actor: Any, school_id: int, roles: frozenset[str], now: datetime) -> frozenset[str]:
    held = roles_on(actor, school_id, timezone.localdate(now))
    if not held & roles:
        raise PermissionDenied("This user may not do this for this school.")
    return held


# --- reading -------------------------------------------------------------------------------------


def open_episode(pupil: Pupil | int) -> Episode | None:
    pupil_id = pupil.pk if isinstance(pupil, Pupil) else pupil
    return Episode.objects.filter(pupil_id=pupil_id).exclude(state=EpisodeState.CLOSED).first()


def open_verwijdering(episode: Episode) -> Verwijdering | None:
    return (
        Verwijdering.objects.filter(
            episode=episode, status__in=[VerwijderingStatus.STARTED, VerwijderingStatus.DECIDED]
        )
        .order_by("-started_at")
        .first()
    )


def facts_for(episode: Episode, today: date, **overrides: Any) -> EpisodeFacts:
    """What the ladder's guards need to know about EPISODE on TODAY; OVERRIDES add what the action
    itself brings (the ground of a verwijdering being started, a schorsing's authority)."""
    steps = {Step(n) for n in episode.step_records.values_list("step", flat=True).distinct()}
    reached = step_of(State(episode.state))
    if reached is not None:
        steps.add(reached)
    time_outs = list(episode.time_outs.values_list("status", "first_day", "last_day"))
    if any(status == TimeOutStatus.APPROVED for status, _f, _l in time_outs):
        steps.add(Step.TIME_OUT)
    decided = list(
        episode.schorsingen.filter(status=SchorsingStatus.DECIDED).values_list(
            "first_day", "last_day", "during_verwijdering", "prepared_at"
        )
    )
    if decided:
        steps.add(Step.SCHORSING)
    verwijdering = open_verwijdering(episode)
    during = verwijdering is not None and any(
        flag and prepared >= verwijdering.started_at for _f, _l, flag, prepared in decided
    )
    accepting = False
    if verwijdering is not None:
        accepting = bool(verwijdering.accepting_school.strip())
    facts = EpisodeFacts(
        steps_done=frozenset(steps),
        serious_incident_reason=episode.serious_incident_reason,
        time_out_requested=any(status == TimeOutStatus.REQUESTED for status, _f, _l in time_outs),
        time_out_running=any(
            status == TimeOutStatus.APPROVED and first <= today <= last for status, first, last in time_outs
        ),
        schorsing_running=any(first <= today <= last for first, last, _flag, _p in decided),
        schorsing_during_verwijdering=during,
        verwijdering_ground=VerwijderingGround(verwijdering.ground) if verwijdering is not None else None,
        lighter_measures_failed=verwijdering.lighter_measures_failed if verwijdering is not None else False,
        warning_given=bool(verwijdering is not None and verwijdering.warning_given_on),
        verwijdering_open=verwijdering is not None,
        verwijdering_decided=bool(
            verwijdering is not None and verwijdering.status == VerwijderingStatus.DECIDED
        ),
        accepting_school_recorded=accepting,
    )
    return dataclasses.replace(facts, **overrides) if overrides else facts


# --- writing -------------------------------------------------------------------------------------


def locked_episode(episode: Episode) -> Episode:
    """EPISODE re-read under a row lock (inside a transaction)."""
    return Episode.objects.select_for_update().select_related("school", "pupil").get(pk=episode.pk)


def advance(
    episode: Episode, event: Event, facts: EpisodeFacts, *, actor: Any, now: datetime, obj: Any = None
) -> State:
    """Apply EVENT to the (locked) EPISODE; raises LadderRefused with the reason when not allowed."""
    before = State(episode.state)
    after = apply(before, event, facts)
    if after != before:
        episode.state = after.value
        if after is State.CLOSED:
            episode.closed_at = now
            episode.closed_by = actor
    episode.updated_at = now
    episode.save()
    record(
        "escalation_transition",
        actor=actor,
        board=episode.board,
        obj=episode,
        summary={
            "event": event.value,
            "from": before.value,
            "to": after.value,
            "pupil_id": episode.pupil_id,
            "record": f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "",
        },
        now=now,
    )
    return after


def _incident_of_school(incident: Incident | None, school_id: int, field: str) -> Incident | None:
    if incident is not None and incident.school_id != school_id:
        raise ValidationError({field: [_("This incident is not of this school.")]})
    return incident


def episode_open(
    *, pupil: Pupil, actor: Any, now: datetime, incident: Incident | None = None, reason: str = ""
) -> Episode:
    """Open an episode for PUPIL (the director or deputy; or implicitly by the first step recorded).

    Refused when the pupil already has an open episode (shown, not duplicated)."""
    require_roles(actor, pupil.school_id, LEAD_ROLES, now)
    return _open(pupil=pupil, actor=actor, now=now, incident=incident, reason=reason)


def _open(*, pupil: Pupil, actor: Any, now: datetime, incident: Incident | None, reason: str) -> Episode:
    _incident_of_school(incident, pupil.school_id, "incident")
    if incident is None and not reason.strip():
        raise ValidationError({"reason": [_("Say why you start the stappenplan for this pupil.")]})
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                board_id=pupil.board_id,
                school_id=pupil.school_id,
                pupil=pupil,
                opened_at=now,
                opened_by=actor,
                opened_from=incident,
                reason=reason.strip(),
                updated_at=now,
            )
            record(
                "escalation_episode_opened",
                actor=actor,
                board=episode.board,
                obj=episode,
                summary={"pupil_id": pupil.pk, "incident_id": getattr(incident, "pk", None)},
                now=now,
            )
            lines = [reason.strip()] if reason.strip() else []
            if incident is not None:
                lines.append(f"Na incident {incident.number}.")
            entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND_STEP,
                title="Stappenplan gestart",
                summary="\n".join(lines),
                happened_at=now,
                author=actor,
                now=now,
                source=episode,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This pupil already has an open stappenplan; continue there.")) from exc
    return episode


def episode_for_action(
    *, pupil: Pupil, actor: Any, now: datetime, incident: Incident | None, why: str
) -> Episode:
    """The pupil's open episode, locked; one is opened first when there is none (a step or a
    request opens the stappenplan by itself: nobody has to open it before recording step 3)."""
    episode = open_episode(pupil)
    if episode is None:
        try:
            episode = _open(pupil=pupil, actor=actor, now=now, incident=incident, reason=why)
        except ValidationError:
            episode = open_episode(pupil)  # opened at the same moment by someone else
            if episode is None:
                raise
    return locked_episode(episode)


def episode_close(*, episode: Episode, note: str, actor: Any, now: datetime) -> Episode:
    require_roles(actor, episode.school_id, LEAD_ROLES, now)
    if not note.strip():
        raise ValidationError({"note": [_("Write down how the episode ends: what helped, what was agreed.")]})
    with transaction.atomic():
        episode = locked_episode(episode)
        advance(
            episode, Event.CLOSE_EPISODE, facts_for(episode, timezone.localdate(now)), actor=actor, now=now
        )
        episode.closing_note = note.strip()
        episode.save(update_fields=["closing_note"])
        entry_record(
            pupil=episode.pupil,
            kind=DOSSIER_KIND_STEP,
            title="Stappenplan afgesloten",
            summary=note.strip(),
            happened_at=now,
            author=actor,
            now=now,
            source=episode,
        )
    return episode


def serious_incident_record(
    *, episode: Episode, incident: Incident, reason: str, actor: Any, now: datetime
) -> Episode:
    """Record that a serious incident may lead straight to a time-out (Bijlage 4, stap 5)."""
    require_roles(actor, episode.school_id, LEAD_ROLES, now)
    _incident_of_school(incident, episode.school_id, "incident")
    if not reason.strip():
        raise ValidationError(
            {"reason": [_("Say why this incident is so serious that the earlier steps are skipped.")]}
        )
    with transaction.atomic():
        episode = locked_episode(episode)
        if episode.is_closed:
            raise ValidationError(_("This episode is closed. Open a new one to continue."))
        episode.serious_incident = incident
        episode.serious_incident_reason = reason.strip()
        episode.serious_incident_recorded_at = now
        episode.updated_at = now
        episode.save()
        record(
            "escalation_serious_incident",
            actor=actor,
            board=episode.board,
            obj=episode,
            summary={"incident_id": incident.pk, "pupil_id": episode.pupil_id},
            now=now,
        )
        entry_record(
            pupil=episode.pupil,
            kind=DOSSIER_KIND_STEP,
            title="Ernstig incident: stappen overgeslagen",
            summary=f"Incident {incident.number}.\nReden: {reason.strip()}",
            happened_at=now,
            author=actor,
            now=now,
            source=episode,
        )
    return episode


# The plan's names of steps 1–4, as the dossier records them (stored Dutch text, not a screen label).
STEP_TITLES = {
    1: "Ik kan het zelf",
    2: "Ik vraag hulp",
    3: "We zoeken samen een oplossing",
    4: "School en ouders werken samen",
}

STEP_EVENTS = {
    1: Event.RECORD_STEP_1,
    2: Event.RECORD_STEP_2,
    3: Event.RECORD_STEP_3,
    4: Event.RECORD_STEP_4,
}


def step_record(
    *,
    pupil: Pupil,
    step: int,
    happened_on: date,
    summary: str,
    actor: Any,
    now: datetime,
    participants: str = "",
    agreements: str = "",
    parents_informed: bool = False,
    parents_informed_how: str = "",
    consequences: Sequence[str] = (),
    incidents: Sequence[Incident] = (),
) -> StepRecord:
    """Record step 1–4 for PUPIL (the open episode, or a new one). Steps 3 and 4 are conversations:
    who took part and what was agreed are required; the parents are informed (the plan: "Ouders
    worden van het gesprek en de afspraken op de hoogte gebracht")."""
    require_roles(actor, pupil.school_id, STEP_ROLES, now)
    if step not in STEP_EVENTS:
        raise ValidationError({"step": [_("Choose step 1, 2, 3 or 4.")]})
    today = timezone.localdate(now)
    errors: dict[str, list[str]] = {}
    if happened_on > today:
        errors["happened_on"] = [_("The date cannot lie in the future.")]
    if not summary.strip():
        errors["summary"] = [_("Write down what happened and what was said.")]
    if step >= 3:
        if not participants.strip():
            errors["participants"] = [_("Write down who took part in the conversation.")]
        if not agreements.strip():
            errors["agreements"] = [_("Write down what was agreed.")]
        if not parents_informed:
            errors["parents_informed"] = [
                _(
                    "The parents are told about the conversation and the agreements (Bijlage 4). Inform them first."
                )
            ]
        elif not parents_informed_how.strip():
            errors["parents_informed_how"] = [
                _("Say how the parents were informed (phone, conversation, e-mail).")
            ]
    unknown = set(consequences) - set(Consequence.values)
    if unknown:
        errors["consequences"] = [_("Choose consequences from the plan's list.")]
    for incident in incidents:
        if incident.school_id != pupil.school_id:
            errors["incidents"] = [_("This incident is not of this school.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        episode = episode_for_action(
            pupil=pupil,
            actor=actor,
            now=now,
            incident=incidents[0] if incidents else None,
            why=f"Stap {step} vastgelegd.",
        )
        facts = facts_for(episode, today)
        row = StepRecord.objects.create(
            episode=episode,
            step=step,
            happened_on=happened_on,
            participants=participants.strip(),
            summary=summary.strip(),
            agreements=agreements.strip(),
            parents_informed=parents_informed,
            parents_informed_how=parents_informed_how.strip(),
            consequences=[c for c in Consequence.values if c in set(consequences)],
            recorded_by=actor,
            recorded_at=now,
        )
        row.incidents.set(incidents)
        advance(episode, STEP_EVENTS[step], facts, actor=actor, now=now, obj=row)
        count_step(row, school=episode.school_id)
        lines = [summary.strip()]
        if participants.strip():
            lines.append(f"Aanwezig: {participants.strip()}")
        if agreements.strip():
            lines.append(f"Afspraken: {agreements.strip()}")
        chosen = [str(label) for value, label in Consequence.choices if value in row.consequences]
        if chosen:
            lines.append("Consequenties: " + "; ".join(chosen))
        if parents_informed:
            lines.append(f"Ouders geïnformeerd: {parents_informed_how.strip() or 'ja'}")
        entry_record(
            pupil=pupil,
            kind=DOSSIER_KIND_STEP,
            title=f"Stap {step}: {STEP_TITLES[step]}",
            summary="\n".join(lines),
            happened_at=happened_at(happened_on, now),
            author=actor,
            now=now,
            source=row,
        )
    return row
