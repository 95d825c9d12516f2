"""Shared pieces of the crisis tests: incidents written as the incidents app writes them (the rows
only: the crisis app needs them to exist, not their chronology), and a started crisis."""

from __future__ import annotations

import datetime as dt
import itertools

from crisis.models import Crisis
from crisis.services import crisis_start
from incidents.models import Incident, IncidentPupil
from lev.schools.models import Pupil, School

# Tue 21 Apr 2026, 10:00 in Amsterdam (summer time, UTC+2).
NOW = dt.datetime(2026, 4, 21, 8, 0, tzinfo=dt.UTC)
_numbers = itertools.count(1)


def make_incident(
    school: School,
    *,
    pupils: list[tuple[Pupil, str]] = (),
    reporter,
    status: str = "open",
    day: dt.date | None = None,
) -> Incident:
    day = day or dt.date(2026, 4, 20)
    incident = Incident.objects.create(
        board=school.board,
        school=school,
        number=f"{day.year}-{next(_numbers):04d}",
        happened_on=day,
        location="Schoolplein",
        category="grensoverschrijdend",
        description="Twee leerlingen liepen samen de kleedkamer van de andere groep in.",
        severity="severe",
        reporter=reporter,
        recorded_by=reporter,
        status=status,
        closed_at=None if status == "open" else NOW,
        created_at=NOW,
    )
    for pupil, role in pupils:
        IncidentPupil.objects.create(incident=incident, pupil=pupil, role=role)
    return incident


def started_crisis(
    world, *, now: dt.datetime = NOW, title: str = "Onrust groep 5a na incident kleedkamer"
) -> Crisis:
    incident = make_incident(
        world.school_a,
        pupils=[(world.pupil_a, "initiative"), (world.pupil_a_other, "experienced")],
        reporter=world.teacher_a,
    )
    return crisis_start(
        school=world.school_a, incidents=[incident], title=title, actor=world.director_a, now=now
    )
