"""Demo contacts with parents for `seed_demo`: a few entries for two pupils of one group, made through
the contact-log service (so they carry their dossier entries and audit rows), one of them corrected.

No follow-up dates: those would open deadlines, and the demo's deadlines are the school's own.
Idempotent: a school that has any contact-log row gets none added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lev.schools.models import GroupPlacement, PupilGuardian, School

from .contact_models import ContactChannel, ContactLog
from .contact_services import contact_log_correct, contact_log_record


def _at(now: dt.datetime, days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def seed_contact_logs(
    *, school: School, group_name: str, teacher: Any, care_coordinator: Any, now: dt.datetime
) -> int:
    """Contacts for the first two pupils (by number) of GROUP_NAME this school year. Returns the
    number of rows written (0 when the school has contact-log rows already)."""
    if ContactLog.objects.filter(school=school).exists():
        return 0
    today = timezone.localdate(now)
    placements = (
        GroupPlacement.objects.filter(
            school=school,
            group__name=group_name,
            group__school_year__starts_on__lte=today,
            group__school_year__ends_on__gte=today,
        )
        .select_related("pupil")
        .order_by("pupil__admin_number")[:2]
    )
    pupils = [placement.pupil for placement in placements]
    if len(pupils) < 2:
        return 0
    first, second = pupils
    parents = list(
        PupilGuardian.objects.filter(pupil=first, has_gezag=True).values_list("guardian_id", flat=True)
    )
    contact_log_record(
        pupil=first,
        contact_at=_at(now, 6, 15, 30),
        with_whom="",
        guardian_ids=parents[:1],
        channel=ContactChannel.PHONE,
        summary=(
            "Na schooltijd gebeld over het conflict op het schoolplein van vanochtend. Verteld wat de "
            "pleinwacht zag: duwen bij het klimrek, daarna samen opgelost. Moeder herkent dat haar "
            "kind thuis ook snel boos wordt als het verliest."
        ),
        agreements=(
            "Moeder praat er thuis rustig over. De leerkracht let de komende week extra op tijdens het "
            "buitenspelen en belt als het weer gebeurt."
        ),
        actor=teacher,
        now=now,
    )
    contact_log_record(
        pupil=first,
        contact_at=_at(now, 3, 8, 30),
        with_whom="beide ouders",
        guardian_ids=parents,
        channel=ContactChannel.IN_PERSON,
        summary=(
            "Gesprek op school met beide ouders, de leerkracht en de intern begeleider. Besproken hoe "
            "de week op het plein ging: geen nieuwe conflicten gezien."
        ),
        agreements="Ouders laten het weten als hun kind thuis iets vertelt. Over een maand opnieuw kort bellen.",
        others_present="J.B.",
        actor=care_coordinator,
        now=now,
    )
    mistaken = contact_log_record(
        pupil=second,
        contact_at=_at(now, 2, 16, 0),
        with_whom="vader",
        channel=ContactChannel.EMAIL,
        summary="Vader vroeg per e-mail hoe het gaat sinds de nieuwe plek in de klas. Geantwoord dat het rustiger gaat.",
        agreements="Na de herfstvakantie een gesprek op school.",
        actor=teacher,
        now=now,
    )
    contact_log_correct(
        entry=mistaken,
        contact_at=mistaken.contact_at,
        with_whom="vader",
        channel=ContactChannel.PHONE,
        summary=mistaken.summary.replace("per e-mail", "aan de telefoon"),
        agreements=mistaken.agreements,
        reason="Het was een telefoongesprek, geen e-mail.",
        actor=teacher,
        now=now,
    )
    return 4
