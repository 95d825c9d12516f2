"""Demo incidents for `seed_demo`: one incident of every category of the register (plan ch. 7,
Bijlage 11), with pupils in their roles, made through the services (so each carries its number,
dossier entries, audit rows and the leads' notification). The bullying incident gets a follow-up
action (a deadline row for the teacher) and a small PDF attachment; the aggression incident had a
follow-up action that was done, and is closed.

Idempotent: a school that has any incident gets none added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from lev.schools.models import Pupil, School

from .incident_services import (
    NewAttachment,
    followup_add,
    followup_done,
    incident_close,
    incident_register,
)
from .models import Incident, IncidentCategory, PupilRole, Severity

INI, EXP, BYS = PupilRole.INITIATIVE, PupilRole.EXPERIENCED, PupilRole.BYSTANDER

# (category, days ago, hour, location, severity, roles of the first pupils, reporter key, description)
DEMO: tuple[tuple[str, int, int, str, str, tuple[str, ...], str, str], ...] = (
    (
        IncidentCategory.BULLYING,
        12,
        10,
        "Schoolplein, bij de zandbak",
        Severity.SERIOUS,
        (INI, EXP, BYS),
        "teacher",
        "Tijdens de ochtendpauze werd een leerling door een andere leerling uitgescholden en "
        "weggeduwd bij de zandbak. Volgens de leerling gebeurt dit al een paar weken. Een "
        "klasgenoot stond erbij en haalde de pleinwacht.",
    ),
    (
        IncidentCategory.ONLINE_BULLYING,
        10,
        13,
        "Online, klassenapp",
        Severity.SERIOUS,
        (INI, EXP),
        "teacher",
        "Een ouder liet een schermafbeelding zien van berichten in de klassenapp waarin een "
        "leerling belachelijk werd gemaakt. De berichten zijn na schooltijd verstuurd.",
    ),
    (
        IncidentCategory.SEXUAL_BOUNDARY,
        9,
        11,
        "Kleedruimte gymzaal",
        Severity.SEVERE,
        (INI, EXP),
        "director",
        "Na de gymles trok een leerling in de kleedruimte de broek van een andere leerling naar "
        "beneden terwijl anderen keken. De leerling was erg van streek en vertelde het aan de "
        "gymdocent.",
    ),
    (
        IncidentCategory.AGGRESSION,
        30,
        9,
        "Lokaal groep 6",
        Severity.SERIOUS,
        (INI, EXP),
        "teacher",
        "Bij het opruimen gooide een leerling een stoel om en sloeg een klasgenoot op de arm. De "
        "klasgenoot had een rode plek; er was geen verdere verwonding.",
    ),
    (
        IncidentCategory.INTIMIDATION,
        7,
        15,
        "Bij de fietsenstalling, na schooltijd",
        Severity.MINOR,
        (INI, EXP, BYS),
        "teacher",
        "Een leerling werd na schooltijd door een oudere leerling opgewacht en gedwongen zijn "
        "snoep af te geven. Een leerling uit groep 8 zag het gebeuren.",
    ),
    (
        IncidentCategory.DISCRIMINATION,
        5,
        12,
        "Overblijflokaal",
        Severity.SERIOUS,
        (INI, EXP),
        "care_coordinator",
        "Tijdens het overblijven maakte een leerling herhaaldelijk kwetsende opmerkingen over de "
        "huidskleur van een klasgenoot. De overblijfkracht heeft het gesprek gestopt.",
    ),
    (
        IncidentCategory.RADICALISATION,
        4,
        14,
        "Lokaal groep 8",
        Severity.MINOR,
        (INI,),
        "teacher",
        "In een spreekbeurt deelde een leerling filmpjes met extreme uitspraken over een "
        "bevolkingsgroep. De leerkracht heeft het filmpje gestopt en na de les met de leerling "
        "gepraat.",
    ),
    (
        IncidentCategory.OTHER,
        2,
        10,
        "Gang bij de hoofdingang",
        Severity.MINOR,
        (INI, BYS),
        "teacher",
        "Een leerling nam zonder te vragen de telefoon van een leerkracht van het bureau en "
        "maakte foto's van andere kinderen. De telefoon is teruggegeven en de foto's zijn "
        "verwijderd.",
    ),
)


def demo_pdf(lines: Sequence[str]) -> bytes:
    """A valid one-page PDF (A4) with LINES in Helvetica: a stand-in for a scanned document."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    stream = text.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _moment(now: dt.datetime, days_ago: int, hour: int) -> dt.datetime:
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_default_timezone())


def seed_incidents(
    *, school: School, users: dict[str, Any], pupils: list[Pupil], now: dt.datetime
) -> list[Incident]:
    """Eight incidents at SCHOOL, one per category, about PUPILS (at least three of the school).

    USERS maps "director", "care_coordinator" and "teacher" to users holding those roles at the
    school (the teacher reports most incidents and owns the open follow-up action). Returns the
    incidents made, oldest first by date; none (an empty list) when the school has incidents.
    """
    if Incident.objects.filter(school=school).exists() or len(pupils) < 3:
        return []
    made: list[Incident] = []
    for index, (category, days_ago, hour, location, severity, roles, reporter_key, description) in enumerate(
        DEMO
    ):
        happened = _moment(now, days_ago, hour)
        recorded = min(happened + dt.timedelta(hours=3), now)
        reporter = users[reporter_key]
        chosen = [pupils[(index + offset) % len(pupils)] for offset in range(len(roles))]
        attachments = []
        if category == IncidentCategory.BULLYING:
            pdf = demo_pdf(
                [
                    "Verslag gesprek met de leerlingen",
                    f"Datum: {happened:%d-%m-%Y}",
                    "Beide leerlingen hebben verteld wat er gebeurde.",
                    "Afspraak: dagelijks kort contact met de leerkracht.",
                ]
            )
            attachments.append(
                NewAttachment(
                    upload=ContentFile(pdf, name="verslag-gesprek.pdf"), description="Verslag gesprek"
                )
            )
        incident = incident_register(
            school=school,
            happened_on=happened.date(),
            happened_time=happened.time(),
            location=location,
            category=category,
            description=description,
            severity=severity,
            pupils=list(zip(chosen, roles, strict=True)),
            staff_involved=[users["teacher"]] if reporter_key != "teacher" else [],
            reporter=reporter,
            signals=[],
            attachments=attachments,
            actor=reporter,
            now=recorded,
        )
        made.append(incident)
        lead = users["care_coordinator"]
        if category == IncidentCategory.BULLYING:
            followup_add(
                incident=incident,
                description="Gesprek met de ouders van de betrokken leerlingen",
                owner=users["teacher"],
                due_on=timezone.localdate(now) + dt.timedelta(days=5),
                actor=lead,
                now=now,
            )
        if category == IncidentCategory.AGGRESSION:
            action = followup_add(
                incident=incident,
                description="Ouders van beide leerlingen bellen",
                owner=users["teacher"],
                due_on=happened.date() + dt.timedelta(days=2),
                actor=lead,
                now=recorded,
            )
            done_at = happened + dt.timedelta(days=2, hours=6)
            followup_done(
                action=action, note="Beide ouders gebeld; afspraken gemaakt.", actor=lead, now=done_at
            )
            incident_close(
                incident=incident,
                note="Afspraken met beide leerlingen en ouders werken; er zijn geen nieuwe incidenten.",
                actor=users["director"],
                now=happened + dt.timedelta(days=14),
            )
    return sorted(made, key=lambda incident: (incident.happened_on, incident.pk))
