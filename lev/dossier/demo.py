"""Demo additions to the pupil chronology for `seed_demo`: the parents' view beside an entry and a
corrected signal, made through the dossier services (so they carry their audit rows).

Run after the demo signals, incidents and contacts exist: it adds to the chronology of the pupil of
SCHOOL with the most entries. Idempotent: a school that has a parents' view already gets nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from lev.schools.models import Pupil, School

from .kinds import PARENT_VIEW
from .models import DossierEntry, Visibility
from .services import entry_correct, parent_view_record


def seed_chronology(*, school: School, director: Any, now: dt.datetime) -> int:
    """Returns the number of chronology entries written (0 when there was nothing to add to, or
    when the school has a parents' view already)."""
    if DossierEntry.objects.filter(school=school, kind=PARENT_VIEW).exists():
        return 0
    pupil = (
        Pupil.objects.filter(school=school, dossier_entries__visibility=Visibility.SCHOOL)
        .annotate(entries=Count("dossier_entries"))
        .order_by("-entries", "admin_number")
        .first()
    )
    if pupil is None:
        return 0
    current = DossierEntry.objects.filter(
        pupil=pupil, visibility=Visibility.SCHOOL, corrections__isnull=True
    ).exclude(kind=PARENT_VIEW)
    written = 0
    signal = current.filter(kind="signal", corrects__isnull=True).order_by("happened_at", "id").first()
    if signal is not None:
        entry_correct(
            entry=signal,
            summary=f"{signal.summary}\nAanvulling: het was in de tweede pauze, niet in de eerste.".strip(),
            reason="Tijdstip verkeerd genoteerd; de pleinwacht heeft het nagekeken.",
            actor=director,
            now=now,
        )
        written += 1
    facts = current.exclude(kind="parent_contact").order_by("-happened_at", "-id").first()
    if facts is not None:
        parent_view_record(
            pupil=pupil,
            summary=(
                "Moeder herkent het beeld niet: thuis vertelt haar kind dat het juist zelf werd "
                "uitgedaagd. Zij vraagt de leerkracht om ook naar het begin van de ruzie te kijken."
            ),
            happened_at=min(facts.happened_at + dt.timedelta(days=1), now - dt.timedelta(hours=1)),
            with_whom="moeder",
            about=facts,
            actor=director,
            now=now,
        )
        written += 1
    return written
