"""A demo crisis for `seed_demo`, made through the crisis services (so it carries its audit rows,
dossier entries and deadline rows): started three weeks ago from the given incidents, the actions
divided, a plan of approach, three participants, a contact with parents, a temporary measure for a
pupil with its first evaluation held (the next one is due in about a month), a communication
decision (with the school's incident letters, if there are any) and one contact with the media.

Idempotent: a school that has a crisis gets none added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from communications.letter_models import Letter, LetterStatus
from incidents.models import Incident
from lev.schools.models import Pupil, School

from . import services as svc
from .models import ActionStatus, Crisis

DAYS_AGO = 21


def _at(now: dt.datetime, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """HOUR:MINUTE local on DAY, never later than NOW."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), now)


def seed_crisis(
    *,
    school: School,
    incidents: Sequence[Incident],
    users: dict[str, Any],
    pupils: Sequence[Pupil],
    now: dt.datetime,
) -> int:
    """One crisis at SCHOOL from INCIDENTS (of that school). USERS holds "director" and "ib" (and
    optionally "deputy"); PUPILS the pupils involved (the first gets a measure). Returns the number
    of crises made: 1, or 0 when the school has one already or nothing was given to start from."""
    if Crisis.objects.filter(school=school).exists() or not incidents or not pupils:
        return 0
    director, ib = users["director"], users["ib"]
    deputy = users.get("deputy") or director
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=DAYS_AGO)
    crisis = svc.crisis_start(
        school=school,
        incidents=list(incidents),
        title="Onrust in de groep na het incident in de kleedkamer",
        actor=director,
        now=_at(now, start, 16, 30),
    )
    divided = _at(now, start + dt.timedelta(days=1), 8, 15)
    owners = {
        "gesprekken": (
            director,
            ActionStatus.DONE,
            "Gesprekken met de ouders van beide kinderen gevoerd, apart.",
        ),
        "actie": (
            director,
            ActionStatus.BUSY,
            "Kort actieplan gemaakt; extra toezicht op het plein en bij de gym.",
        ),
        "opvang": (
            ib,
            ActionStatus.BUSY,
            "Team bijgepraat; GGD biedt een gesprek aan voor ouders die dat willen.",
        ),
        "communicatie": (deputy, ActionStatus.DONE, "Brief aan de ouders van de groep verstuurd."),
        "vervolg": (director, ActionStatus.NOT_STARTED, ""),
    }
    for action in crisis.actions.order_by("position"):
        owner, status, note = owners[action.code]
        svc.crisis_action_update(
            action=action, owner=owner, status=status, note=note, actor=director, now=divided
        )
    svc.crisis_plan_update(
        crisis=crisis,
        weighing=(
            "Gewogen met het Vlaggensysteem: rood. De sociale veiligheid van de kinderen in de groep is in het "
            "geding; onrust bij de ouders van de groep, nog niet daarbuiten."
        ),
        intended_conversations=(
            "Ouders van het kind dat het initiatief nam en ouders van het kind dat het overkwam, apart en met "
            "z'n tweeën. Daarna de leerkracht en het team. De ouders van de groep krijgen een brief."
        ),
        involved="Twee leerlingen van de groep, hun ouders, de leerkracht, de IB en de directie; de GGD adviseert.",
        actor=director,
        now=divided,
    )
    for name, organisation, availability, phone, email in (
        (
            "J. Smit (vervanger: K. Bos)",
            "GGD Hollands Midden, jeugdarts",
            "ma-vr 8.30-17.00",
            "088 308 33 42",
            "",
        ),
        ("A. de Groot", "Politie, wijkagent", "via het algemene nummer", "0900 8844", ""),
        (
            director.display_name,
            school.name,
            "elke schooldag",
            "",
            director.email or "directie@school.example",
        ),
    ):
        svc.participant_add(
            crisis=crisis,
            name=name,
            organisation=organisation,
            availability=availability,
            phone=phone,
            email=email,
            actor=director,
            now=divided,
        )
    svc.crisis_contact_record(
        crisis=crisis,
        pupil=pupils[0],
        contact_at=_at(now, start + dt.timedelta(days=1), 15, 30),
        with_whom="beide ouders",
        channel="in_person",
        summary="Gesprek op school over wat er in de kleedkamer gebeurde en wat de school nu doet.",
        agreements="Ouders praten er thuis rustig over; over twee weken evalueren we de extra afspraken samen.",
        actor=director,
        now=_at(now, start + dt.timedelta(days=1), 17, 0),
    )
    measure = svc.measure_start(
        crisis=crisis,
        pupil=pupils[0],
        description=(
            "Wordt door een ouder bij de klas gebracht en aan de leerkracht overgedragen. Speelt in de pauze "
            "binnen het zicht van de leerkracht. Meldt toiletbezoek; de extra leerkracht loopt mee. Kleedt zich "
            "bij de gym om op een vaste plek bij de deur."
        ),
        starts_on=start + dt.timedelta(days=2),
        actor=director,
        now=_at(now, start + dt.timedelta(days=1), 17, 15),
    )
    first_due = measure.evaluation_deadline.due_on if measure.evaluation_deadline else today
    if first_due <= today:
        svc.measure_evaluate(
            measure=measure,
            held_on=first_due,
            with_whom="leerkracht, extra leerkracht, ouders, IB",
            outcome="Het gaat rustiger op het plein. Toiletbezoek met begeleiding gaat goed.",
            changes="De extra leerkracht is niet meer nodig bij tutorlezen.",
            actor=director,
            now=_at(now, first_due, 15, 0),
        )
    letters = list(
        Letter.objects.filter(school=school, kind__startswith="incident_")
        .exclude(status=LetterStatus.WITHDRAWN)
        .order_by("created_at")[:2]
    )
    svc.communication_record(
        crisis=crisis,
        decided_on=start + dt.timedelta(days=1),
        audience="ouders van de groep; het team",
        message=(
            "Ouders van de groep krijgen een zakelijke brief: wat er is gebeurd (zonder namen), wat de school "
            "doet, en dat ze voor vragen een afspraak kunnen maken. Het team hoort het in het overleg van maandag."
        ),
        letters=letters,
        actor=director,
        now=divided,
    )
    svc.media_log_record(
        crisis=crisis,
        occurred_at=_at(now, start + dt.timedelta(days=3), 11, 40),
        medium="Regionale krant, verslaggever",
        question="Klopt het dat er op school iets ernstigs is gebeurd tussen leerlingen?",
        answer=(
            "Er is een incident geweest tussen twee leerlingen. De school heeft direct maatregelen genomen en de "
            "ouders geïnformeerd. Over de kinderen doen we geen uitspraken."
        ),
        spoken_by=svc.spokesperson_label(crisis),
        actor=director,
        now=_at(now, start + dt.timedelta(days=3), 12, 0),
    )
    return 1
