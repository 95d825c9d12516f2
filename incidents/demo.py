"""Demo data of the incidents app for `seed_demo`.

`seed_signals`: eight signals at one school, made through `signal_record` (so they carry their
chronology entries, audit rows and notices): seen and heard, one whose source did not want to be
named, over the Bijlage 17 headings, by a teacher and a staff member, spread over the last two
weeks. The IB has read the older ones, so her start page shows a few new ones. Idempotent: a school
that has any signal gets none added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lev.schools.models import Pupil, School

from .models import Signal, SignalSource, SignalTag
from .signal_services import signal_mark_read, signal_record


def _at(now: dt.datetime, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed_signals(*, school: School, users: dict[str, Any], pupils: list[Pupil], now: dt.datetime) -> int:
    """Signals at SCHOOL about PUPILS (current pupils of SCHOOL; at least one, six give variety).

    USERS: "teacher" (required; records most), "staff" (a staff member without a group; optional,
    else the teacher) and "ib" (optional; reads the signals older than four days). Returns the
    number of signals written (0 when the school has signals already or no pupils are given).
    """
    if not pupils or Signal.objects.filter(school=school).exists():
        return 0
    teacher = users["teacher"]
    staff = users.get("staff") or teacher
    ib = users.get("ib")

    def pupil(i: int) -> Pupil:
        return pupils[i % len(pupils)]

    plans: list[tuple[int, dict[str, Any]]] = [
        (
            12,
            {
                "actor": teacher,
                "pupils": [pupil(0)],
                "happened_at": _at(now, 12, 10, 15),
                "location": "Schoolplein",
                "description": (
                    f"{pupil(0).roepnaam} duwde tijdens het buitenspelen twee keer een kleuter van het "
                    "klimrek. Toen ik erbij kwam, zei hij dat het een spelletje was."
                ),
                "source": SignalSource.OBSERVED,
                "own_reaction": "Ik heb gezegd dat duwen niet mag en hem de rest van de pauze bij mij gehouden.",
                "tags": [SignalTag.BEHAVIOUR, SignalTag.TOWARDS_CHILDREN],
            },
        ),
        (
            9,
            {
                "actor": teacher,
                "pupils": [pupil(1)],
                "happened_at": _at(now, 9, 8, 40),
                "location": "Klaslokaal",
                "description": (
                    f"{pupil(1).roepnaam} had voor de derde keer deze week geen eten bij zich en zei dat "
                    "er thuis geen ontbijt was. Ze was erg moe en viel bijna in slaap tijdens het lezen."
                ),
                "source": SignalSource.OBSERVED,
                "own_reaction": "Een boterham uit de schoolvoorraad gegeven.",
                "tags": [SignalTag.PHYSICAL],
            },
        ),
        (
            7,
            {
                "actor": teacher,
                "pupils": [pupil(0), pupil(2)],
                "happened_at": _at(now, 7, 12, 30),
                "location": "Online (groepsapp van de klas)",
                "description": (
                    "In de groepsapp van de klas zijn foto's van een klasgenoot gedeeld met gemene "
                    "opmerkingen erbij. De foto's zijn volgens de leerling die het vertelde door deze "
                    "twee leerlingen geplaatst."
                ),
                "source": SignalSource.TOLD,
                "told_by": "een leerling uit de groep",
                "agreements": "Morgen kort gesprek met beide leerlingen; de IB is op de hoogte.",
                "tags": [SignalTag.TOWARDS_CHILDREN],
            },
        ),
        (
            6,
            {
                "actor": staff,
                "pupils": [pupil(3)],
                "happened_at": _at(now, 6, 15, 5),
                "location": "Bij het hek",
                "description": (
                    f"Bij het ophalen schreeuwde een ouder tegen {pupil(3).roepnaam} en trok hem hard aan "
                    "zijn arm mee. Hij keek angstig en zei niets."
                ),
                "source": SignalSource.OBSERVED,
                "others_present": "M.B.",
                "tags": [SignalTag.PARENT_BEHAVIOUR, SignalTag.TOWARDS_PARENTS],
            },
        ),
        (
            5,
            {
                "actor": teacher,
                "pupils": [pupil(1)],
                "happened_at": _at(now, 5, 16, 0),
                "location": "Klaslokaal (na schooltijd)",
                "description": (
                    "Een ouder van een klasgenoot vertelde dat er bij het gezin thuis vaak harde ruzie is "
                    "en dat de politie er vorige week is geweest."
                ),
                "source": SignalSource.TOLD,
                "source_anonymous": True,
                "tags": [SignalTag.FAMILY],
            },
        ),
        (
            3,
            {
                "actor": teacher,
                "pupils": [pupil(2)],
                "happened_at": _at(now, 3, 13, 45),
                "location": "Gymzaal (kleedkamer)",
                "description": (
                    f"Bij het omkleden zag ik blauwe plekken op de bovenarm van {pupil(2).roepnaam}. "
                    "Gevraagd wat er gebeurd was: 'gevallen van de trap'."
                ),
                "source": SignalSource.OBSERVED,
                "others_present": "J.K.",
                "agreements": "Vandaag nog aan de IB doorgegeven.",
                "tags": [SignalTag.PHYSICAL],
            },
        ),
        (
            2,
            {
                "actor": staff,
                "pupils": [pupil(4)],
                "happened_at": _at(now, 2, 12, 15),
                "location": "Tussen de middag (overblijf)",
                "description": (
                    f"{pupil(4).roepnaam} zit al een week alleen bij het overblijven. Andere kinderen "
                    "laten haar niet meedoen en lachen als ze iets zegt."
                ),
                "source": SignalSource.TOLD,
                "told_by": "de overblijfmoeder",
                "tags": [SignalTag.TOWARDS_CHILDREN, SignalTag.BEHAVIOUR],
            },
        ),
        (
            1,
            {
                "actor": teacher,
                "pupils": [pupil(5)],
                "happened_at": _at(now, 1, 9, 30),
                "location": "Klaslokaal",
                "description": (
                    f"{pupil(5).roepnaam} is sinds de herfstvakantie stil en teruggetrokken, maakt zijn "
                    "werk niet af en wil in de pauze binnen blijven. Dat is nieuw voor hem."
                ),
                "source": SignalSource.OBSERVED,
                "tags": [SignalTag.BEHAVIOUR, SignalTag.OTHER],
            },
        ),
    ]
    written = 0
    for days_ago, fields in plans:
        recorded_at = min(now, fields["happened_at"] + dt.timedelta(minutes=20))
        if fields["happened_at"] > now:
            continue
        signal = signal_record(school=school, now=recorded_at, **fields)
        written += 1
        if ib is not None and days_ago > 4:
            signal_mark_read(signal=signal, user=ib, now=recorded_at + dt.timedelta(hours=2))
    return written
