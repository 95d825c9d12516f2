"""Writing the pupil chronology. Process services call these inside their own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.schools.models import Pupil

from .models import DossierEntry, Observation, Visibility

INITIALS_MAX = 100


def _check_initials(others_present: str) -> str:
    """Others present are recorded by initials only (ARCHITECTURE.md §6): "J.K., P.d.V."."""
    value = others_present.strip()
    for part in filter(None, (p.strip() for p in value.split(","))):
        if len(part) > 8 or " " in part.strip("."):
            raise ValidationError(
                _(
                    "Record others present by their initials only, separated by commas (for example: J.K., P.d.V.)."
                )
            )
    return value


def entry_record(
    *,
    pupil: Pupil,
    kind: str,
    title: str,
    summary: str = "",
    happened_at: datetime,
    author: Any,
    now: datetime,
    observation: str = Observation.NOT_APPLICABLE,
    told_by: str = "",
    others_present: str = "",
    visibility: str = Visibility.SCHOOL,
    meldcode_case_id: int | None = None,
    source: models.Model | None = None,
) -> DossierEntry:
    if happened_at > now:
        raise ValidationError(_("The moment something happened cannot lie in the future."))
    if observation == Observation.TOLD and not told_by.strip():
        raise ValidationError(_("Say who told you, or record that the source does not want to be named."))
    with transaction.atomic():
        entry = DossierEntry.objects.create(
            board_id=pupil.board_id,
            school_id=pupil.school_id,
            pupil=pupil,
            kind=kind,
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
            title=title,
            summary=summary,
            happened_at=happened_at,
            recorded_at=now,
            author=author,
            observation=observation,
            told_by=told_by.strip(),
            others_present=_check_initials(others_present),
            visibility=visibility,
            meldcode_case_id=meldcode_case_id,
        )
        record(
            "dossier_entry_recorded",
            actor=author,
            obj=entry,
            summary={"kind": kind, "pupil_id": pupil.pk, "visibility": visibility},
            now=now,
        )
    return entry


def entry_correct(
    *, entry: DossierEntry, summary: str, reason: str, actor: Any, now: datetime
) -> DossierEntry:
    """A correction is a new entry pointing at the old one, with a reason; the old one stays."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    with transaction.atomic():
        correction = DossierEntry.objects.create(
            board_id=entry.board_id,
            school_id=entry.school_id,
            pupil_id=entry.pupil_id,
            kind=entry.kind,
            source_type=entry.source_type,
            source_id=entry.source_id,
            title=entry.title,
            summary=summary,
            happened_at=entry.happened_at,
            recorded_at=now,
            author=actor,
            observation=entry.observation,
            told_by=entry.told_by,
            others_present=entry.others_present,
            visibility=entry.visibility,
            meldcode_case_id=entry.meldcode_case_id,
            corrects=entry,
            correction_reason=reason.strip(),
        )
        record(
            "dossier_entry_corrected",
            actor=actor,
            obj=correction,
            summary={"corrects": entry.pk, "pupil_id": entry.pupil_id},
            now=now,
        )
    return correction
