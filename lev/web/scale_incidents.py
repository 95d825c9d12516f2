"""The signals-and-incidents step of `manage.py seed_scale` (issue: signals and incidents).

Per school and seeded school year: as many signals as the school has pupils (one in four told,
one in twenty from a source who is not named) and one incident for every three pupils, of every
category; the school's incidents 1, 4, 7, ... involve three pupils (initiative, experienced,
bystander), the others two. Every signal and incident writes its
dossier entries, as the services do. The first current pupil of every school gets a long
chronology (`HEAVY_PUPIL_ENTRIES` extra signals over the years, and an incident of this morning
with the second pupil), so the pupil page is measured with a file that is full, not typical.

Rows are inserted with `bulk_create`, like the other steps; the services are not used (they would
take hours at this size) but the rows look as the services write them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Model

from incidents.incident_services import CATEGORY_WORDS, ROLE_WORDS
from incidents.models import (
    Incident,
    IncidentCategory,
    IncidentPupil,
    PupilRole,
    Severity,
    Signal,
    SignalSource,
    SignalTag,
)
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.schools.models import Role

if TYPE_CHECKING:
    from .management.commands.seed_scale import PupilPlan, Scale

BATCH_SIZE = 2000
HEAVY_PUPIL_ENTRIES = 150
LOCATIONS = (
    "Schoolplein",
    "Klaslokaal",
    "Gang",
    "Gymzaal",
    "Toiletten",
    "Kleedkamer",
    "Online",
    "Bij de fiets",
)
FACTS = (
    "Tijdens de pauze duwde een leerling een andere leerling tegen het hek.",
    "Een leerling vertelde dat een klasgenoot haar al een week uitscheldt.",
    "Een leerling kwam zonder ontbijt en zonder jas op school.",
    "In de groepsapp zijn foto's van een klasgenoot gedeeld met gemene opmerkingen.",
    "Een leerling zat stil in de hoek en wilde niet naar huis.",
    "Twee leerlingen liepen samen de kleedkamer van de andere groep in.",
)
CATEGORIES = [c.value for c in IncidentCategory]
TAGS = [t.value for t in SignalTag]
ANONYMOUS = "niet genoemd (geen toestemming)"


def _insert(model: type[Model], rows: list) -> list:
    return model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def _moment(scale: Scale, year_index: int, rng_value: float) -> dt.datetime:
    """A moment within the school year `year_index` (0 = oldest), never after `scale.now`."""
    year = scale.years[year_index]
    first = dt.datetime.combine(year.starts_on, dt.time(8, 30), tzinfo=scale.now.tzinfo)
    last = min(dt.datetime.combine(year.ends_on, dt.time(15, 0), tzinfo=scale.now.tzinfo), scale.now)
    if last <= first:
        return first
    return first + (last - first) * rng_value


def seed_incidents(scale: Scale) -> dict[str, int]:
    rng = scale.rng("incidents")
    signals: list[Signal] = []
    signal_pupils: list[tuple[int, PupilPlan]] = []  # (index in signals, pupil)
    incidents: list[Incident] = []
    incident_pupils: list[tuple[int, PupilPlan, str]] = []
    for school in scale.schools:
        plans = scale.pupils[school.pk]
        current = [p for p in plans if p.current]
        care = scale.school_staff[(school.pk, Role.CARE_COORDINATOR)]
        director = scale.school_staff[(school.pk, Role.DIRECTOR)]
        teachers = [u for (sid, _name), u in scale.teachers.items() if sid == school.pk] or [care]
        per_year_signals = scale.preset.pupils_per_school
        per_year_incidents = max(1, scale.preset.pupils_per_school // 3)
        number_in_year: dict[int, int] = {}
        school_incidents = 0
        for year_index in range(len(scale.years)):
            for _ in range(per_year_signals):
                pupil = rng.choice(current)
                told = rng.random() < 0.25
                anonymous = told and rng.random() < 0.2
                signals.append(
                    Signal(
                        board=scale.board,
                        school=school,
                        author=rng.choice(teachers),
                        happened_at=_moment(scale, year_index, rng.random()),
                        location=rng.choice(LOCATIONS),
                        description=rng.choice(FACTS),
                        source=SignalSource.TOLD if told else SignalSource.OBSERVED,
                        told_by="" if not told or anonymous else "een klasgenoot",
                        source_anonymous=anonymous,
                        tags=[rng.choice(TAGS)],
                        created_at=scale.now,
                    )
                )
                signal_pupils.append((len(signals) - 1, pupil))
            for _ in range(per_year_incidents):
                happened = _moment(scale, year_index, rng.random())
                number_in_year[happened.year] = number_in_year.get(happened.year, 0) + 1
                incidents.append(
                    Incident(
                        board=scale.board,
                        school=school,
                        number=f"{happened.year}-{number_in_year[happened.year]:04d}",
                        happened_on=happened.date(),
                        happened_time=happened.time().replace(microsecond=0),
                        location=rng.choice(LOCATIONS),
                        category=CATEGORIES[school_incidents % len(CATEGORIES)],
                        description=rng.choice(FACTS),
                        severity=rng.choice([s.value for s in Severity]),
                        reporter=rng.choice(teachers),
                        recorded_by=director if rng.random() < 0.5 else care,
                        status="closed" if year_index < len(scale.years) - 1 else "open",
                        closed_at=scale.now if year_index < len(scale.years) - 1 else None,
                        created_at=scale.now,
                    )
                )
                involved = rng.sample(current, k=min(len(current), 3 if school_incidents % 3 == 0 else 2))
                school_incidents += 1
                roles = [PupilRole.INITIATIVE, PupilRole.EXPERIENCED, PupilRole.BYSTANDER]
                for pupil, role in zip(involved, roles, strict=False):
                    incident_pupils.append((len(incidents) - 1, pupil, role))
        # A full file: the first current pupil of the school.
        heavy = current[0]
        for _ in range(HEAVY_PUPIL_ENTRIES):
            signals.append(
                Signal(
                    board=scale.board,
                    school=school,
                    author=rng.choice(teachers),
                    happened_at=_moment(scale, rng.randrange(len(scale.years)), rng.random()),
                    location=rng.choice(LOCATIONS),
                    description=rng.choice(FACTS),
                    source=SignalSource.OBSERVED,
                    tags=[rng.choice(TAGS)],
                    created_at=scale.now,
                )
            )
            signal_pupils.append((len(signals) - 1, heavy))
        # ... whose newest entries hold both kinds of record, as a file that is being worked on
        # does: an incident of this morning, where the pupil took the initiative.
        happened = scale.now - dt.timedelta(hours=2)
        number_in_year[happened.year] = number_in_year.get(happened.year, 0) + 1
        incidents.append(
            Incident(
                board=scale.board,
                school=school,
                number=f"{happened.year}-{number_in_year[happened.year]:04d}",
                happened_on=happened.date(),
                happened_time=happened.time().replace(microsecond=0),
                location=LOCATIONS[0],
                category=IncidentCategory.AGGRESSION,
                description=FACTS[0],
                severity=Severity.SERIOUS,
                reporter=teachers[0],
                recorded_by=care,
                created_at=scale.now,
            )
        )
        incident_pupils.append((len(incidents) - 1, heavy, PupilRole.INITIATIVE))
        incident_pupils.append((len(incidents) - 1, current[1], PupilRole.EXPERIENCED))
    _insert(Signal, signals)
    _insert(Incident, incidents)
    through = Signal.pupils.through
    _insert(through, [through(signal_id=signals[i].pk, pupil_id=p.pupil.pk) for i, p in signal_pupils])
    _insert(
        IncidentPupil,
        [
            IncidentPupil(incident_id=incidents[i].pk, pupil_id=p.pupil.pk, role=role)
            for i, p, role in incident_pupils
        ],
    )
    entries = []
    for index, plan in signal_pupils:
        signal = signals[index]
        entries.append(
            DossierEntry(
                board=scale.board,
                school_id=signal.school_id,
                pupil_id=plan.pupil.pk,
                kind="signal",
                source_type="incidents.signal",
                source_id=str(signal.pk),
                title="Signaal",
                summary=signal.description,
                happened_at=signal.happened_at,
                recorded_at=scale.now,
                author_id=signal.author_id,
                observation=Observation.TOLD if signal.source == SignalSource.TOLD else Observation.OBSERVED,
                told_by=ANONYMOUS if signal.source_anonymous else signal.told_by,
                visibility=Visibility.SCHOOL,
            )
        )
    for index, plan, role_code in incident_pupils:
        incident = incidents[index]
        entries.append(
            DossierEntry(
                board=scale.board,
                school_id=incident.school_id,
                pupil_id=plan.pupil.pk,
                kind="incident",
                source_type="incidents.incident",
                source_id=str(incident.pk),
                title=f"Incident {incident.number} ({CATEGORY_WORDS[incident.category]}): {ROLE_WORDS[role_code]}",
                summary=incident.description,
                happened_at=dt.datetime.combine(
                    incident.happened_on, incident.happened_time or dt.time(12, 0), tzinfo=scale.now.tzinfo
                ),
                recorded_at=scale.now,
                author_id=incident.recorded_by_id,
                visibility=Visibility.SCHOOL,
            )
        )
    _insert(DossierEntry, entries)
    return {
        "signals": len(signals),
        "incidents": len(incidents),
        "incident_pupils": len(incident_pupils),
        "dossier_entries": len(entries),
    }


CRISIS_EVERY = 10  # schools 1, 11, 21, ... have a crisis
WPO4A_EVERY = 20  # schools 1, 21, 41, ... have a WPO 4a report


def seed_incident_processes(scale: Scale) -> dict[str, int]:
    """What follows an incident, through the same demo functions (and so the services) as the demo:
    per school one Vlaggensysteem weighing of its latest (sexually) transgressive incident; a crisis
    from that incident at every tenth school; a WPO 4a report (and a confidant's note) at every
    twentieth. Few rows, so the services' own checks, audit rows and deadlines are worth their time."""
    from crisis.demo import seed_crisis
    from incidents.demo_flags import seed_assessment
    from misconduct.demo import seed_misconduct

    counts = {"assessments": 0, "crises": 0, "misconduct_reports": 0}
    entries_before = DossierEntry.objects.filter(board=scale.board).count()
    board_user = scale.board_users[Role.BOARD]
    for index, school in enumerate(scale.schools):
        incident = (
            Incident.objects.filter(school=school, category=IncidentCategory.SEXUAL_BOUNDARY, status="open")
            .order_by("-happened_on", "-id")
            .first()
        )
        if incident is None:
            continue
        involved = [i.pupil for i in incident.involvements.select_related("pupil").order_by("role", "id")]
        care = scale.school_staff[(school.pk, Role.CARE_COORDINATOR)]
        director = scale.school_staff[(school.pk, Role.DIRECTOR)]
        seed_assessment(incident=incident, pupil=involved[0], actor=care, now=scale.now)
        counts["assessments"] += 1
        if index % CRISIS_EVERY == 0:
            counts["crises"] += seed_crisis(
                school=school,
                incidents=[incident],
                users={"director": director, "ib": care},
                pupils=involved,
                now=scale.now,
            )
        if index % WPO4A_EVERY == 0:
            teacher = next(u for (sid, _name), u in scale.teachers.items() if sid == school.pk)
            written = seed_misconduct(
                board=scale.board,
                school=school,
                users={
                    "reporter": teacher,
                    "confidant": scale.school_staff[(school.pk, Role.CONFIDANT)],
                    "board": board_user,
                },
                pupils=involved[:1],
                now=scale.now,
            )
            counts["misconduct_reports"] += written["reports"]
    counts["dossier_entries"] = DossierEntry.objects.filter(board=scale.board).count() - entries_before
    return counts
