"""Fixtures for the Meldcode's database tests: a signal about pupil_a by teacher_a, the school's
eindverantwoordelijke, and a case walked through the services to a given point.

The default timeline (Europe/Amsterdam): the signal on Mon 20 Apr 2026, the case opened and steps 1
to 5 recorded on Fri 24 Apr 2026 at 10:00, the melding made that day at 11:00 and recorded at 12:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from incidents.models import Signal, SignalSource
from incidents.signal_services import signal_record
from lev.schools.models import Enrolment, Membership, Role
from meldcode import services as s
from meldcode.domain.steps import Step
from meldcode.models import AfwegingAnswer, CaseStepRecord, HelpRecord, MeldcodeCase, Melding
from tests import factories as f
from tests.conftest import World

AMS = ZoneInfo("Europe/Amsterdam")
SIGNAL_AT = dt.datetime(2026, 4, 20, 9, 30, tzinfo=AMS)  # Mon 20 Apr 2026
NOW = dt.datetime(2026, 4, 24, 10, 0, tzinfo=AMS)  # Fri 24 Apr 2026
TODAY = NOW.date()
MELDED_AT = dt.datetime(2026, 4, 24, 11, 0, tzinfo=AMS)
AFTER_MELDING = dt.datetime(2026, 4, 24, 12, 0, tzinfo=AMS)

STEP_CONTENT: dict[int, dict[str, str]] = {
    1: {
        "history": "Eerder (2025) blauwe plekken op de arm, toen door de moeder uitgelegd.",
        "signals": "Ma 20-04 blauwe plek op de wang, door juf Smit gezien om 08:30.",
        "kindcheck": "Een broertje op het voortgezet onderwijs; geen zorgen bekend.",
    },
    2: {
        "consulted": "Collega IB en de schoolmaatschappelijk werker, 21-04.",
        "advice": "Gesprek met de ouders voeren en Veilig Thuis om advies vragen.",
    },
    3: {
        "participants": "Moeder, IB, leerkracht.",
        "discussed": "De plek op de wang; moeder zegt dat Anna van de fiets viel.",
        "agreements": "Vervolggesprek over twee weken.",
    },
    4: {"weighing_questions": "Geen direct gevaar; de opvoedsituatie belemmert de ontwikkeling."},
    5: {"reasons": "Volgens het afwegingskader en het advies van Veilig Thuis."},
}
SKIP_REASON = (
    "Vader dreigde bij het vorige gesprek de leerkracht te slaan; een gesprek brengt het kind in gevaar."
)


def add_member(world: World, username: str, role: str, *, school: Any = None, **extra: Any) -> Any:
    """A new user with ROLE at SCHOOL (school A when not given) from 2020 on."""
    user = f.UserFactory(username=username)
    Membership.objects.create(
        user=user,
        school=school or world.school_a,
        board=(school or world.school_a).board,
        role=role,
        active_from=dt.date(2020, 1, 1),
        **extra,
    )
    return user


def enrol(*pupils: Any) -> None:
    for pupil in pupils:
        Enrolment.objects.get_or_create(
            pupil=pupil,
            school=pupil.school,
            defaults={"board": pupil.board, "enrolled_on": dt.date(2025, 8, 1)},
        )


def signal_about(
    world: World, pupil: Any = None, *, actor: Any = None, at: dt.datetime = SIGNAL_AT
) -> Signal:
    """A signal about PUPIL (pupil_a) recorded by ACTOR (teacher_a) through the logboek's service."""
    pupil = pupil or world.pupil_a
    enrol(pupil)
    return signal_record(
        school=pupil.school,
        pupils=[pupil],
        happened_at=at,
        location="Klaslokaal",
        description="Blauwe plek op de wang; Anna zei er niets over.",
        source=SignalSource.OBSERVED,
        actor=actor or world.teacher_a,
        now=at,
    )


@dataclass
class Walk:
    """A case and the calls that move it on, each through `meldcode.services` as ACTOR."""

    world: World
    case: MeldcodeCase
    actor: Any
    decider: Any
    now: dt.datetime = NOW
    records: list[Any] = field(default_factory=list)

    def refresh(self) -> MeldcodeCase:
        self.case.refresh_from_db()
        return self.case

    def step(self, step: int, *, now: dt.datetime | None = None, **extra: Any) -> CaseStepRecord:
        values: dict[str, Any] = {"content": dict(STEP_CONTENT[step])}
        if step == Step.CONSULTATION:
            values["veilig_thuis_advice"] = "anonymous"
        values.update(extra)
        row = s.step_record(
            case=self.case,
            step=step,
            recorded_on=(now or self.now).date(),
            actor=values.pop("actor", self.actor),
            now=now or self.now,
            **values,
        )
        self.records.append(row)
        return row

    def steps(self, *numbers: int) -> None:
        for number in numbers:
            self.step(number)

    def skip(self, reason: str = SKIP_REASON) -> CaseStepRecord:
        return s.conversation_skip(
            case=self.case, reason=reason, recorded_on=self.now.date(), actor=self.actor, now=self.now
        )

    def answer(
        self,
        question: str,
        answer: bool,
        *,
        with_veilig_thuis: bool = False,
        reasoning: str = "Zie de signalen en het gesprek.",
        now: dt.datetime | None = None,
        actor: Any = None,
    ) -> AfwegingAnswer:
        moment = now or self.now
        return s.question_answer(
            case=self.case,
            question=question,
            answer=answer,
            reasoning=reasoning,
            answered_on=moment.date(),
            with_veilig_thuis=with_veilig_thuis,
            actor=actor or self.actor,
            now=moment,
        )

    def answers(self, *values: bool, with_veilig_thuis: bool = False) -> None:
        """Answer the next questions in order with VALUES."""
        for value in values:
            question = s.decision_for(self.case).next_question
            assert question is not None
            self.answer(question, value, with_veilig_thuis=with_veilig_thuis)

    def decide(self, *, melden: bool, hulp: bool, decided_by: Any = None, **extra: Any) -> CaseStepRecord:
        return self.step(
            5, decision_melden=melden, decision_hulp=hulp, decided_by=decided_by or self.decider, **extra
        )

    def melding(
        self,
        *,
        melded_at: dt.datetime = MELDED_AT,
        now: dt.datetime = AFTER_MELDING,
        parents_informed_on: dt.date | None = TODAY,
        parents_not_informed_reason: str = "",
        filed_by: Any = None,
        actor: Any = None,
    ) -> Melding:
        return s.melding_record(
            case=self.case,
            melded_at=melded_at,
            reference="VT-2026-1234",
            identity_shield=True,
            parents_informed_on=parents_informed_on,
            parents_not_informed_reason=parents_not_informed_reason,
            filed_by=filed_by or self.actor,
            actor=actor or self.actor,
            now=now,
        )

    def help(
        self,
        *,
        starts_on: dt.date = TODAY,
        evaluate_on: dt.date = dt.date(2026, 6, 15),
        now: dt.datetime | None = None,
    ) -> HelpRecord:
        return s.help_record(
            case=self.case,
            description="Opvoedondersteuning thuis, wekelijks.",
            partner=None,
            partner_other="Wijkteam Noord",
            starts_on=starts_on,
            evaluate_on=evaluate_on,
            actor=self.actor,
            now=now or self.now,
        )

    def close(
        self, *, monitoring_agreements: str = "", now: dt.datetime | None = None, actor: Any = None
    ) -> MeldcodeCase:
        return s.case_close(
            case=self.case,
            closing_note="Afgerond volgens het afwegingskader.",
            monitoring_agreements=monitoring_agreements,
            actor=actor or self.actor,
            now=now or self.now,
        )


def open_case(
    world: World, *, pupil: Any = None, actor: Any = None, now: dt.datetime = NOW, **extra: Any
) -> MeldcodeCase:
    pupil = pupil or world.pupil_a
    signal = signal_about(world, pupil, actor=extra.pop("signal_actor", None))
    return s.case_open(
        pupil=pupil,
        signals=[signal],
        reason="Herhaalde blauwe plekken; de uitleg past er niet bij.",
        actor=actor or world.ib_a,
        now=now,
        **extra,
    )


@pytest.fixture
def final_responsible(world: World) -> Any:
    """An aandachtsfunctionaris at school A who is the school's eindverantwoordelijke for step 5
    (not the case manager, not the director)."""
    user = add_member(world, "eindverantwoordelijke_a", Role.CARE_COORDINATOR)
    world.school_a.meldcode_final_responsible = user
    world.school_a.save(update_fields=["meldcode_final_responsible"])
    return user


@pytest.fixture
def walk(world: World) -> Walk:
    """A fresh case about pupil_a, managed by ib_a; the school has no eindverantwoordelijke, so the
    director decides step 5."""
    return Walk(world=world, case=open_case(world), actor=world.ib_a, decider=world.director_a)


def walk_to(walk: Walk, point: str) -> Walk:
    """Walk WALK's case to POINT:

    - "steps3": steps 1-3 recorded (the conversation held);
    - "help_decided": the help path q1 T q2 F q3 T q4 T, step 4, step 5 (no melding, help);
    - "help_organised": as help_decided, and the help recorded (first evaluation 15 Jun 2026);
    - "melding_decided": q1 T q2 T, step 4, step 5 (melding and help);
    - "melded": as melding_decided, and the melding made on Fri 24 Apr 2026 11:00.
    """
    walk.steps(1, 2, 3)
    if point == "steps3":
        return walk
    if point in {"help_decided", "help_organised"}:
        walk.answers(True, False, True, True)
        walk.step(4)
        walk.decide(melden=False, hulp=True)
        if point == "help_organised":
            walk.help()
        return walk
    if point in {"melding_decided", "melded"}:
        walk.answers(True, True)
        walk.step(4)
        walk.decide(melden=True, hulp=True)
        if point == "melded":
            walk.melding()
        return walk
    raise ValueError(point)
