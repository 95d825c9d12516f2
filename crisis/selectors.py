"""Reading crises. Callers have passed `crisis.permissions` (the list is scoped by role; a crisis
page by `access_crisis_for_user`, which writes the access-log row). Every query of the crisis page
is bounded: the page costs the same number of queries for one measure or twenty."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from communications.contact_selectors import ContactRow, contact_logs_for_crisis
from communications.letter_models import Letter, LetterStatus
from communications.letter_selectors import letters_for_school
from incidents.models import Incident, IncidentStatus
from incidents.permissions import incidents_visible_to
from lev.deadlines.models import DeadlineStatus
from lev.schools.access import AccessContext
from lev.schools.models import Pupil, School, SchoolGroup
from lev.schools.selectors import current_pupils

from .domain.actions import BY_CODE, Action
from .models import (
    ActionStatus,
    CommunicationDecision,
    Crisis,
    CrisisAction,
    CrisisStatus,
    MeasureEvaluation,
    MeasureStatus,
    Participant,
    TemporaryMeasure,
)
from .permissions import crises_visible_to

# Open incidents older than this are not offered when a crisis starts (a preselected one always is).
ESCALATE_WINDOW_DAYS = 365


def crisis_list(ctx: AccessContext, school: School) -> QuerySet[Crisis]:
    """The school's crises, open ones first, newest first, with their counts."""
    return (
        crises_visible_to(ctx, school)
        .select_related("started_by")
        .annotate(
            incident_count=Count("incidents", distinct=True),
            open_actions=Count("actions", filter=~Q(actions__status=ActionStatus.DONE), distinct=True),
            active_measures=Count("measures", filter=Q(measures__status=MeasureStatus.ACTIVE), distinct=True),
        )
        .order_by("status", "-started_at", "-id")
    )


def incidents_to_escalate(
    ctx: AccessContext, school: School, *, include: Incident | None, today: date
) -> QuerySet[Incident]:
    """The incidents a crisis can start from: the school's open incidents of the last year the user
    may see, and INCLUDE (the incident the crisis is started from)."""
    since = date.fromordinal(today.toordinal() - ESCALATE_WINDOW_DAYS)
    condition = Q(status=IncidentStatus.OPEN, happened_on__gte=since)
    if include is not None:
        condition |= Q(pk=include.pk)
    return incidents_visible_to(ctx, school).filter(condition).order_by("-happened_on", "-id")


def incidents_to_link(ctx: AccessContext, crisis: Crisis, *, today: date) -> QuerySet[Incident]:
    """The incidents that can be linked to CRISIS after it started: those a crisis can start from
    (`incidents_to_escalate`) that are not part of this or another open crisis."""
    return incidents_to_escalate(ctx, crisis.school, include=None, today=today).exclude(
        crises__status=CrisisStatus.OPEN
    )


def open_crisis_of(incident: Incident) -> Crisis | None:
    return Crisis.objects.filter(incidents=incident, status=CrisisStatus.OPEN).order_by("-started_at").first()


def crisis_pupils(crisis: Crisis, today: date) -> QuerySet[Pupil]:
    """Pupils a measure or contact can be about: those involved in the crisis's incidents first (with
    `involved` set), then the other current pupils of the school."""
    involved = Crisis.incidents.through.objects.filter(
        crisis=crisis, incident__involvements__pupil=OuterRef("pk")
    )
    enrolled = current_pupils(today, school=crisis.school).values("pk")
    return (
        Pupil.objects.filter(school_id=crisis.school_id)
        .annotate(involved=Exists(involved))
        .filter(Q(involved=True) | Q(pk__in=enrolled))
        .order_by("-involved", "achternaam", "roepnaam", "id")
    )


def letters_for_decisions(ctx: AccessContext, school: School) -> QuerySet[Letter]:
    """Letters a communication decision can point at: the school's incident letters and letters to
    groups (not withdrawn), newest first."""
    return (
        letters_for_school(ctx, school)
        .exclude(status=LetterStatus.WITHDRAWN)
        .filter(Q(kind__startswith="incident_") | Q(pupil__isnull=True))
        .order_by("-created_at", "-pk")
    )


@dataclass
class MeasureRow:
    measure: TemporaryMeasure
    evaluations: list[MeasureEvaluation]
    next_due: date | None  # the running evaluation term's last day
    overdue: bool
    evaluate_form: Any = None  # set by the page for those who may record an evaluation
    end_form: Any = None


@dataclass
class LetterRow:
    letter: Letter
    groups: str


@dataclass
class DecisionRow:
    decision: CommunicationDecision
    letters: list[LetterRow]


@dataclass
class ParticipantRow:
    participant: Participant
    remove_form: Any = None  # set by the page for those who may remove a participant


@dataclass
class ActionRow:
    action: CrisisAction
    spec: Action
    form: Any = None  # set by the page for those who may work on the action


@dataclass
class CrisisPage:
    crisis: Crisis
    incidents: list[Incident]
    actions: list[ActionRow]
    participants: list[ParticipantRow]
    contacts: list[ContactRow]
    measures: list[MeasureRow]
    decisions: list[DecisionRow]
    media: list[Any]
    # Participants taken off the list, with when, by whom and why (the rows are kept).
    removed_participants: list[Participant] = field(default_factory=list)


def _crisis_contacts(crisis: Crisis) -> list[ContactRow]:
    """The crisis's contacts with parents (Bijlage 21)."""
    return contact_logs_for_crisis(school=crisis.school, crisis_id=crisis.pk)


def crisis_page(crisis: Crisis, *, now: datetime) -> CrisisPage:
    """Everything the one crisis page shows (UX.md "Crisis")."""
    incidents = list(crisis.incidents.order_by("happened_on", "id"))
    actions = [
        ActionRow(action=action, spec=BY_CODE[action.code])
        for action in crisis.actions.select_related("owner").order_by("position")
    ]
    measures = []
    for measure in (
        crisis.measures.select_related("pupil", "evaluation_deadline")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=MeasureEvaluation.objects.select_related("recorded_by").order_by("held_on", "id"),
            )
        )
        .order_by("status", "starts_on", "id")
    ):
        deadline = measure.evaluation_deadline
        running = (
            measure.status == MeasureStatus.ACTIVE
            and deadline is not None
            and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED)
        )
        measures.append(
            MeasureRow(
                measure=measure,
                evaluations=list(measure.evaluations.all()),
                next_due=deadline.due_on if running and deadline is not None else None,
                overdue=running
                and deadline is not None
                and (deadline.status == DeadlineStatus.MISSED or deadline.overdue_at <= now),
            )
        )
    decisions = list(
        crisis.communication_decisions.select_related("decided_by")
        .prefetch_related(Prefetch("letters", queryset=Letter.objects.order_by("created_at", "pk")))
        .order_by("decided_on", "id")
    )
    group_ids = {
        gid for decision in decisions for letter in decision.letters.all() for gid in letter.group_ids
    }
    names = dict(
        SchoolGroup.objects.filter(pk__in=group_ids, school_id=crisis.school_id).values_list("pk", "name")
    )
    participants = list(crisis.participants.select_related("removed_by").order_by("added_at", "id"))
    return CrisisPage(
        crisis=crisis,
        incidents=incidents,
        actions=actions,
        participants=[ParticipantRow(participant=p) for p in participants if p.removed_at is None],
        removed_participants=sorted(
            (p for p in participants if p.removed_at is not None),
            key=lambda p: (p.removed_at, p.pk),
        ),
        contacts=_crisis_contacts(crisis),
        measures=measures,
        decisions=[
            DecisionRow(
                decision=decision,
                letters=[
                    LetterRow(
                        letter=letter, groups=", ".join(names[g] for g in letter.group_ids if g in names)
                    )
                    for letter in decision.letters.all()
                ],
            )
            for decision in decisions
        ],
        media=list(crisis.media_log.select_related("recorded_by").order_by("occurred_at", "id")),
    )
