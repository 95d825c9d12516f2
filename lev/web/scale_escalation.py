"""The stappenplan step of `manage.py seed_scale` (issue: the escalation ladder).

- Every tenth school (1, 11, 21, ...) gets the demo's ten stories (`escalation.demo.seed_escalation`)
  through the services, so their audit rows, dossier entries, deadline rows and letters are the
  real ones: pupils on steps 1 to 7, a time-out waiting for approval, a schorsing waiting for the
  board and one waiting for the Inspectie report, a verwijdering with a bezwaar pending and one
  held up by a case at the GPO. Few rows, so the services are worth their time (about 1,300
  queries a school).
- Every other school gets `BULK_EPISODES` episodes on steps 1 to 5, inserted with `bulk_create`
  like the incidents step, with the rows and dossier entries the services would write (no audit
  rows, as in the other bulk steps): step 1; steps 1 and 2; step 3; steps 3 and 4; steps 3 and 4
  and an approved time-out with the parents phoned.

The pupils are the school's current pupils after the first two (whose files the incidents step
fills); for the stories the pupils of the grade-5 teacher's group come first, so that teacher
records their steps and asks for their time-outs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from escalation.demo import SchoolDays, seed_escalation
from escalation.models import (
    ApprovalKind,
    Consequence,
    Episode,
    EpisodeState,
    GpoCase,
    Objection,
    Schorsing,
    StepRecord,
    TimeOut,
    TimeOutStatus,
    Verwijdering,
)
from escalation.services import STEP_TITLES
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.dossier.models import DossierEntry, Visibility
from lev.schools.models import Pupil, Role, School

if TYPE_CHECKING:
    from lev.accounts.models import User

    from .management.commands.seed_scale import Scale

STORIES_EVERY = 10  # schools 1, 11, 21, ... get the demo's stories through the services
BULK_EPISODES = 5
STORY_GRADE = 5  # the stories' teacher teaches the first group of this grade
SKIP_PUPILS = 2  # the first two current pupils carry the incidents step's long file
BATCH_SIZE = 2000

# The bulk episodes: (the steps recorded with their school days back from today, a time-out's day).
BULK_PLAN: tuple[tuple[tuple[tuple[int, int], ...], int | None], ...] = (
    (((1, 2),), None),
    (((1, 6), (2, 3)), None),
    (((3, 4),), None),
    (((3, 10), (4, 5)), None),
    (((3, 15), (4, 9)), 3),
)
PARTICIPANTS = {
    3: "De leerkracht en de betrokken leerlingen",
    4: "De ouders, de leerkracht en de intern begeleider",
}
STEP_SUMMARIES = {
    1: "Ruzie bij het voetballen in de pauze; de leerlingen losten het met de stopregel zelf op.",
    2: "De leerling vroeg de pleinwacht om hulp bij een nieuwe ruzie.",
    3: "Gesprek met de betrokken leerlingen over het schoppen en uitschelden in de pauze.",
    4: "Gesprek met de ouders, omdat het gedrag ondanks de afspraken terugkwam.",
}


def _moment(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), now)


def _current(scale: Scale, school: School) -> list[Pupil]:
    return [plan.pupil for plan in scale.pupils[school.pk] if plan.current][SKIP_PUPILS:]


def _story_pupils(scale: Scale, school: School) -> tuple[User, list[Pupil]]:
    group_name = scale.group_name(STORY_GRADE, 0)
    teacher = scale.teachers[(school.pk, group_name)]
    plans = [plan for plan in scale.pupils[school.pk] if plan.current][SKIP_PUPILS:]
    own = [
        p.pupil
        for p in plans
        if p.grade_now == STORY_GRADE and scale.group_name(p.grade_now, p.letter_index) == group_name
    ]
    others = [p.pupil for p in plans if p.pupil not in own]
    return teacher, (own + others)[:10]


def _stories(scale: Scale, school: School) -> int:
    teacher, pupils = _story_pupils(scale, school)
    made = seed_escalation(
        school=school,
        users={
            "director": scale.school_staff[(school.pk, Role.DIRECTOR)],
            "deputy": scale.school_staff[(school.pk, Role.DEPUTY_DIRECTOR)],
            "ib": scale.school_staff[(school.pk, Role.CARE_COORDINATOR)],
            "teacher": teacher,
            "board": scale.board_users[Role.BOARD],
        },
        pupils=pupils,
        now=scale.now,
    )
    return made["episodes"]


def _bulk(scale: Scale, schools: list[School]) -> None:
    episodes: list[Episode] = []
    steps: list[tuple[int, StepRecord]] = []  # (index in episodes, row)
    time_outs: list[tuple[int, TimeOut]] = []
    now = scale.now
    today = timezone.localdate(now)
    for school in schools:
        days = SchoolDays(
            today, school_non_school_days(school, today - dt.timedelta(days=60), today + dt.timedelta(days=7))
        )
        ib = scale.school_staff[(school.pk, Role.CARE_COORDINATOR)]
        director = scale.school_staff[(school.pk, Role.DIRECTOR)]
        deputy = scale.school_staff[(school.pk, Role.DEPUTY_DIRECTOR)]
        for pupil, (plan, time_out_back) in zip(_current(scale, school), BULK_PLAN, strict=False):
            first_day = days.back(plan[0][1])
            last_step = max(step for step, _back in plan)
            state = EpisodeState.STEP_5 if time_out_back is not None else f"step_{last_step}"
            last_day = days.back(time_out_back) if time_out_back is not None else days.back(plan[-1][1])
            episodes.append(
                Episode(
                    board=scale.board,
                    school=school,
                    pupil=pupil,
                    state=state,
                    opened_at=_moment(first_day, 15, now),
                    opened_by=ib,
                    reason=f"Stap {plan[0][0]} vastgelegd.",
                    updated_at=_moment(last_day, 15, now),
                )
            )
            index = len(episodes) - 1
            for step, back in plan:
                day = days.back(back)
                conversation = step >= 3
                steps.append(
                    (
                        index,
                        StepRecord(
                            step=step,
                            happened_on=day,
                            participants=PARTICIPANTS.get(step, ""),
                            summary=STEP_SUMMARIES[step],
                            agreements="Excuses aangeboden; afspraken over de pauze." if conversation else "",
                            parents_informed=conversation,
                            parents_informed_how="Telefonisch" if conversation else "",
                            consequences=[Consequence.AGREEMENTS.value] if conversation else [],
                            recorded_by=ib,
                            recorded_at=_moment(day, 15, now),
                        ),
                    )
                )
            if time_out_back is not None:
                day = days.back(time_out_back)
                time_outs.append(
                    (
                        index,
                        TimeOut(
                            board=scale.board,
                            school=school,
                            pupil=pupil,
                            status=TimeOutStatus.APPROVED,
                            reason="De leerling schopte in de klas een klasgenoot en bleef schelden.",
                            first_day=day,
                            last_day=day,
                            where="in de ruimte van de intern begeleider",
                            work="Rekenen en taal uit de eigen weektaak.",
                            excluded_activities=["gym"],
                            requested_by=deputy,
                            requested_at=_moment(day, 10, now),
                            decided_by=director,
                            decided_at=_moment(day, 10, now),
                            approval_kind=ApprovalKind.DIRECTOR,
                            parents_phoned_at=_moment(day, 11, now),
                            parents_phoned_by=director,
                            phone_note="Moeder gesproken.",
                        ),
                    )
                )
    Episode.objects.bulk_create(episodes, batch_size=BATCH_SIZE)
    for index, made_step in steps:
        made_step.episode = episodes[index]
    StepRecord.objects.bulk_create([made_step for _index, made_step in steps], batch_size=BATCH_SIZE)
    for index, made in time_outs:
        made.episode = episodes[index]
    TimeOut.objects.bulk_create([made for _index, made in time_outs], batch_size=BATCH_SIZE)
    entries: list[DossierEntry] = []

    def entry(
        pupil: Pupil, kind: str, source: Any, title: str, summary: str, at: dt.datetime, author: Any
    ) -> None:
        entries.append(
            DossierEntry(
                board=scale.board,
                school_id=pupil.school_id,
                pupil=pupil,
                kind=kind,
                source_type=source._meta.label_lower,
                source_id=str(source.pk),
                title=title,
                summary=summary,
                happened_at=at,
                recorded_at=at,
                author=author,
                visibility=Visibility.SCHOOL,
            )
        )

    for episode in episodes:
        entry(
            episode.pupil,
            "escalation_step",
            episode,
            "Stappenplan gestart",
            episode.reason,
            episode.opened_at,
            episode.opened_by,
        )
    for _index, record in steps:
        episode = record.episode
        entry(
            episode.pupil,
            "escalation_step",
            record,
            f"Stap {record.step}: {STEP_TITLES[record.step]}",
            record.summary,
            record.recorded_at,
            record.recorded_by,
        )
    for _index, time_out in time_outs:
        assert time_out.decided_at is not None and time_out.parents_phoned_at is not None
        period = f"Op {time_out.first_day:%d-%m-%Y}; werkt {time_out.where}."
        entry(
            time_out.pupil,
            "timeout",
            time_out,
            "Time-out aangevraagd",
            f"{time_out.reason}\n{period}",
            time_out.requested_at,
            time_out.requested_by,
        )
        entry(
            time_out.pupil,
            "timeout",
            time_out,
            "Time-out goedgekeurd",
            period,
            time_out.decided_at,
            time_out.decided_by,
        )
        entry(
            time_out.pupil,
            "timeout",
            time_out,
            "Ouders gebeld over de time-out",
            time_out.phone_note,
            time_out.parents_phoned_at,
            time_out.parents_phoned_by,
        )
    DossierEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def seed_escalation_episodes(scale: Scale) -> dict[str, int]:
    board = scale.board
    entries_before = DossierEntry.objects.filter(board=board).count()
    stories = [school for index, school in enumerate(scale.schools) if index % STORIES_EVERY == 0]
    for school in stories:
        _stories(scale, school)
    _bulk(scale, [school for school in scale.schools if school not in stories])
    return {
        "escalation_episodes": Episode.objects.filter(board=board).count(),
        "step_records": StepRecord.objects.filter(episode__board=board).count(),
        "time_outs": TimeOut.objects.filter(board=board).count(),
        "schorsingen": Schorsing.objects.filter(board=board).count(),
        "verwijderingen": Verwijdering.objects.filter(board=board).count(),
        "objections": Objection.objects.filter(board=board).count(),
        "gpo_cases": GpoCase.objects.filter(verwijdering__board=board).count(),
        "dossier_entries": DossierEntry.objects.filter(board=board).count() - entries_before,
    }
