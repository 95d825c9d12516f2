"""Writing the pupil chronology. Process services call these inside their own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.schools.models import Pupil

from .kinds import PARENT_VIEW
from .models import DossierEntry, Observation, Visibility

INITIALS_MAX = 100
WITH_WHOM_MAX = 200


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
    """A correction is a new entry pointing at the old one, with a reason; the old one stays.

    Only the newest version of an entry can be corrected, so a chain of corrections never forks.
    Who may correct is decided before (`lev.dossier.permissions`, or the process's own rules).
    """
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = _("Write the corrected text.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the correction.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One correction at a time per pupil: the pupil row is the lock (the dossier rows are insert-only).
        Pupil.objects.select_for_update().filter(pk=entry.pupil_id).first()
        if DossierEntry.objects.filter(corrects=entry).exists():
            raise ValidationError(
                _("This entry has been corrected already. Correct the newest version."),
                code="already_corrected",
            )
        correction = DossierEntry.objects.create(
            board_id=entry.board_id,
            school_id=entry.school_id,
            pupil_id=entry.pupil_id,
            kind=entry.kind,
            source_type=entry.source_type,
            source_id=entry.source_id,
            title=entry.title,
            summary=summary.strip(),
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


# Stored text is written in Dutch, like the other chronology entries: it is part of the record and
# must not change with the interface language.
PARENT_VIEW_TITLE = "Zienswijze ouders"
PARENT_VIEW_DEFAULT_SOURCE = "ouders"


def parent_view_record(
    *,
    pupil: Pupil,
    summary: str,
    happened_at: datetime,
    with_whom: str = "",
    about: DossierEntry | None = None,
    actor: Any,
    now: datetime,
) -> DossierEntry:
    """The parents' view, added beside the facts (ARCHITECTURE.md §6; plan ch. 15: parents may
    disagree with what the file says, and that is recorded — the facts themselves stay).

    A chronology entry of kind `zienswijze` with the school's visibility, told by the parents
    (WITH_WHOM as typed, "ouders" when empty). ABOUT, when given, is the entry of the same pupil the
    view answers; the new entry points at it as its source. Who may add it is decided before
    (`lev.dossier.permissions.may_add_parent_view`).
    """
    if timezone.is_naive(happened_at):
        raise ValueError("happened_at must be an aware datetime")
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = _("Write down what the parents say: their view, in their words where you can.")
    if happened_at > now:
        errors["happened_at"] = _(
            "The conversation cannot lie in the future. Enter when the parents gave their view."
        )
    if len(with_whom.strip()) > WITH_WHOM_MAX:
        errors["with_whom"] = _("Keep this short: at most 200 characters.")
    if about is not None and (about.pupil_id != pupil.pk or about.kind == PARENT_VIEW):
        errors["about"] = _("Choose an entry of this pupil's chronology.")
    elif about is not None and about.visibility == Visibility.MELDCODE_CASE:
        # Written here it would be seen by every reader of the file (lev.dossier.permissions).
        errors["about"] = _("A Meldcode entry is not answered in the chronology; the case records it.")
    if errors:
        raise ValidationError(errors)
    title = PARENT_VIEW_TITLE
    if about is not None:
        when = timezone.localtime(about.happened_at).strftime("%d-%m-%Y")
        title = f"{PARENT_VIEW_TITLE} bij de vermelding van {when}: {about.title}"
        if len(title) > 200:
            title = title[:199] + "…"
    with transaction.atomic():
        entry = entry_record(
            pupil=pupil,
            kind=PARENT_VIEW,
            title=title,
            summary=summary.strip(),
            happened_at=happened_at,
            author=actor,
            now=now,
            observation=Observation.TOLD,
            told_by=with_whom.strip() or PARENT_VIEW_DEFAULT_SOURCE,
            visibility=Visibility.SCHOOL,
            source=about,
        )
        record(
            "parent_view_recorded",
            actor=actor,
            obj=entry,
            summary={"pupil_id": pupil.pk, "about_entry_id": about.pk if about is not None else None},
            now=now,
        )
    return entry
