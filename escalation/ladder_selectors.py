"""What the ladder pages show: a pupil's seven steps with their records and the next steps the viewer
may take (UX.md "Stappenplan"), and the school's pupils on the ladder.

Every query is bounded: a pupil has few episodes and few measures; the overview is one query over
the school's open episodes with the pupils joined, cut off at `OVERVIEW_LIMIT`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from incidents.models import Incident
from lev.schools.access import AccessContext
from lev.schools.models import Pupil, Role, School
from lev.schools.permissions import PupilAccess

from .domain.ladder import (
    STEP_NAMES,
    Allowed,
    EpisodeFacts,
    Event,
    State,
    Step,
    check,
    implied_steps,
    step_of,
)
from .domain.verwijdering import VerwijderingGround
from .models import (
    Episode,
    EpisodeState,
    Schorsing,
    SchorsingStatus,
    StepRecord,
    TimeOut,
    TimeOutStatus,
    Verwijdering,
    VerwijderingStatus,
)
from .permissions import LEAD_ROLES, STEP_ROLES, TIME_OUT_REQUEST_ROLES
from .services import facts_for, open_verwijdering
from .view_helpers import url_or_none

OVERVIEW_LIMIT = 200
INCIDENT_CHOICES = 30


@dataclass
class StepRow:
    step: Step
    name: str
    status: str  # "done", "implied", "current", "open"
    records: list[Any] = field(default_factory=list)


@dataclass
class NextStep:
    label: str
    allowed: bool
    reason: str = ""
    url: str | None = None
    note: str = ""


@dataclass
class LadderPage:
    pupil: Pupil
    episode: Episode | None
    steps: list[StepRow]
    next_steps: list[NextStep]
    closed_episodes: list[Episode]
    may_lead: bool
    may_record: bool
    pending_time_out: TimeOut | None = None


def pupil_incidents(pupil: Pupil) -> QuerySet[Incident]:
    """The pupil's incidents at the school, newest first (the choices of the ladder's forms)."""
    return Incident.objects.filter(school_id=pupil.school_id, pupils=pupil).order_by("-happened_on", "-id")[
        :INCIDENT_CHOICES
    ]


def pupil_incident_choices(pupil: Pupil) -> QuerySet[Incident]:
    ids = list(pupil_incidents(pupil).values_list("pk", flat=True))
    return Incident.objects.filter(pk__in=ids).order_by("-happened_on", "-id")


def _step_rows(episode: Episode | None) -> list[StepRow]:
    if episode is None:
        return [StepRow(step, str(STEP_NAMES[step]), "open") for step in Step]
    records: dict[Step, list[Any]] = {step: [] for step in Step}
    for row in (
        StepRecord.objects.filter(episode=episode).select_related("recorded_by").order_by("happened_on", "id")
    ):
        records[Step(row.step)].append(row)
    records[Step.TIME_OUT] = list(
        TimeOut.objects.filter(episode=episode)
        .select_related("requested_by", "decided_by")
        .order_by("first_day", "id")
    )
    records[Step.SCHORSING] = list(Schorsing.objects.filter(episode=episode).order_by("first_day", "id"))
    records[Step.VERWIJDERING] = list(
        Verwijdering.objects.filter(episode=episode).order_by("started_at", "id")
    )
    done = {step for step, rows in records.items() if step <= Step.SCHOOL_EN_OUDERS and rows}
    if any(t.status == TimeOutStatus.APPROVED for t in records[Step.TIME_OUT]):
        done.add(Step.TIME_OUT)
    if any(s.status == SchorsingStatus.DECIDED for s in records[Step.SCHORSING]):
        done.add(Step.SCHORSING)
    if records[Step.VERWIJDERING]:
        done.add(Step.VERWIJDERING)
    implied = implied_steps(frozenset(done)) - done
    current = step_of(State(episode.state))
    rows = []
    for step in Step:
        if step == current and not episode.is_closed:
            status = "current"
        elif step in done:
            status = "done"
        elif step in implied:
            status = "implied"
        else:
            status = "open"
        rows.append(StepRow(step, str(STEP_NAMES[step]), status, records[step]))
    return rows


# Events the page offers as buttons, the roles that may use them and where they lead.
_STEP_EVENTS = (Event.RECORD_STEP_1, Event.RECORD_STEP_2, Event.RECORD_STEP_3, Event.RECORD_STEP_4)


def _next_steps(
    access: PupilAccess, episode: Episode | None, today: date
) -> tuple[list[NextStep], TimeOut | None]:
    pupil = access.pupil
    roles = access.roles
    lead = bool(roles & LEAD_ROLES)
    teacher_of_group = Role.TEACHER in roles and access.own_group
    may_record = bool(roles & (STEP_ROLES - {Role.TEACHER})) or teacher_of_group
    state = State(episode.state) if episode is not None else State.OPEN
    facts = facts_for(episode, today) if episode is not None else EpisodeFacts()
    found: list[NextStep] = []

    def add(result: Allowed, url: str | None, *, label: str | None = None, note: str = "") -> None:
        found.append(
            NextStep(
                label=label or result.label,
                allowed=result.allowed and url is not None,
                reason=result.reason,
                url=url if result.allowed else None,
                note=note,
            )
        )

    if may_record:
        step_url = url_or_none("escalation:step_new", pupil.pk)
        for number, event in enumerate(_STEP_EVENTS, start=1):
            result = check(state, event, facts)
            add(result, f"{step_url}?stap={number}" if step_url else None)
    pending = None
    if episode is not None:
        pending = TimeOut.objects.filter(episode=episode, status=TimeOutStatus.REQUESTED).first()
    if bool(roles & TIME_OUT_REQUEST_ROLES - {Role.TEACHER}) or teacher_of_group:
        add(check(state, Event.REQUEST_TIME_OUT, facts), url_or_none("escalation:timeout_new", pupil.pk))
    if pending is not None and lead:
        add(
            check(state, Event.APPROVE_TIME_OUT, facts),
            url_or_none("escalation:timeout_detail", pending.pk),
            label=_("Decide on the time-out request"),
        )
    if lead:
        # A schorsing is prepared here and approved by the board (or decided under the director's
        # mandate) on its own page: the page checks every other rule now and says who decides.
        prepared = check(state, Event.START_SCHORSING, _with(facts, schorsing_authorised=True))
        mandate = pupil.school.suspension_decided_by == "director"
        note = (
            _("The director decides under the mandate of the board (managementstatuut).")
            if mandate
            else _("A schorsing needs the board's approval first (WPO art. 40c; Bijlage 4, step 6).")
        )
        add(
            prepared,
            url_or_none("escalation:schorsing_new", pupil.pk),
            label=_("Prepare a schorsing"),
            note=note,
        )
        verwijdering = open_verwijdering(episode) if episode is not None else None
        if verwijdering is None:
            # Grounds 1, 3 and 4 need no earlier step; the form asks the ground and checks ground 2.
            started = check(
                state,
                Event.START_VERWIJDERING,
                _with(facts, verwijdering_ground=VerwijderingGround.ONDERSTEUNINGSBEHOEFTE),
            )
            add(
                started, url_or_none("escalation:verwijdering_new", pupil.pk), label=_("Start a verwijdering")
            )
        else:
            add(
                check(state, Event.COMPLETE_VERWIJDERING, facts),
                url_or_none("escalation:verwijdering_detail", verwijdering.pk),
            )
    return found, pending


def _with(facts: EpisodeFacts, **changes: Any) -> EpisodeFacts:
    return dataclasses.replace(facts, **changes)


def ladder_page(access: PupilAccess, today: date) -> LadderPage:
    pupil = access.pupil
    episode = (
        Episode.objects.filter(pupil=pupil)
        .exclude(state=EpisodeState.CLOSED)
        .select_related("opened_by", "opened_from", "serious_incident", "school")
        .first()
    )
    closed = list(
        Episode.objects.filter(pupil=pupil, state=EpisodeState.CLOSED)
        .select_related("closed_by")
        .order_by("-closed_at")[:10]
    )
    shown = episode or (closed[0] if closed else None)
    next_steps, pending = _next_steps(access, episode, today)
    roles = access.roles
    return LadderPage(
        pupil=pupil,
        episode=episode,
        steps=_step_rows(shown),
        next_steps=next_steps,
        closed_episodes=closed,
        may_lead=bool(roles & LEAD_ROLES),
        may_record=bool(roles & (STEP_ROLES - {Role.TEACHER}))
        or (Role.TEACHER in roles and access.own_group),
        pending_time_out=pending,
    )


@dataclass
class OverviewRow:
    episode: Episode
    step: str
    running: list[str]


def ladder_overview(
    ctx: AccessContext, school: School, today: date, *, step: int | None = None
) -> list[OverviewRow]:
    """The school's open episodes, highest step first (UX.md: "Stappenplan (pupils on steps 4–7)"
    — every open episode is listed, the steps 4–7 first; a filter narrows to one step)."""
    episodes = (
        Episode.objects.filter(school=school)
        .exclude(state=EpisodeState.CLOSED)
        .select_related("pupil")
        .order_by("-state", "pupil__achternaam", "pupil__roepnaam")
    )
    if step is not None:
        episodes = episodes.filter(state=f"step_{step}")
    episodes = episodes[:OVERVIEW_LIMIT]
    ids = [e.pk for e in episodes]
    running: dict[int, list[str]] = {pk: [] for pk in ids}
    for episode_id in TimeOut.objects.filter(episode_id__in=ids, status=TimeOutStatus.REQUESTED).values_list(
        "episode_id", flat=True
    ):
        running[episode_id].append(_("Time-out waiting for approval"))
    for episode_id, last in TimeOut.objects.filter(
        episode_id__in=ids, status=TimeOutStatus.APPROVED, first_day__lte=today, last_day__gte=today
    ).values_list("episode_id", "last_day"):
        running[episode_id].append(_("Time-out until %(day)s") % {"day": f"{last:%d-%m-%Y}"})
    for episode_id, status, first, last in Schorsing.objects.filter(
        episode_id__in=ids,
        status__in=[SchorsingStatus.SUBMITTED, SchorsingStatus.DECIDED],
        last_day__gte=today,
    ).values_list("episode_id", "status", "first_day", "last_day"):
        if status == SchorsingStatus.SUBMITTED:
            running[episode_id].append(_("Schorsing waiting for the board"))
        else:
            running[episode_id].append(
                _("Schorsing %(first)s to %(last)s")
                % {"first": f"{first:%d-%m-%Y}", "last": f"{last:%d-%m-%Y}"}
            )
    for episode_id, status in Verwijdering.objects.filter(
        episode_id__in=ids, status__in=[VerwijderingStatus.STARTED, VerwijderingStatus.DECIDED]
    ).values_list("episode_id", "status"):
        running[episode_id].append(
            _("Verwijdering being prepared")
            if status == VerwijderingStatus.STARTED
            else _("Verwijdering decided")
        )
    state_labels = dict(EpisodeState.choices)
    return [OverviewRow(e, str(state_labels[e.state]), running[e.pk]) for e in episodes]
