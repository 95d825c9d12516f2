"""Reading the parent contact log. Whoever may read a pupil's chronology may read its contact log:
the caller must have passed `lev.schools.permissions.access_pupil_for_user` for the pupil (which
writes the access-log row). The contacts of a crisis are read by whoever may read the crisis: the
caller must have passed `crisis.permissions.access_crisis_for_user` (which writes that row)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from lev.schools.access import AccessContext
from lev.schools.models import Guardian, Pupil, School

from .contact_models import ContactLog


@dataclass(frozen=True)
class ContactRow:
    contact: ContactLog
    corrected_by: ContactLog | None  # the row that corrects this one (the newer version)
    guardian_names: str  # linked parents, when the names are not already in `with_whom`

    @property
    def superseded(self) -> bool:
        return self.corrected_by is not None


def contact_logs_for(ctx: AccessContext, pupil: Pupil) -> list[ContactRow]:
    """The pupil's contacts with parents, newest contact first; corrected rows stay in the list,
    marked by the row that corrects them."""
    if not ctx.roles_at(pupil.school_id):
        return []
    contacts = list(
        ContactLog.objects.filter(pupil=pupil, school_id=pupil.school_id)
        .select_related("recorded_by", "corrects")
        .prefetch_related(Prefetch("corrections", queryset=ContactLog.objects.select_related("recorded_by")))
        .order_by("-contact_at", "-id")
    )
    return _rows(contacts, pupil.school_id)


def contact_logs_for_crisis(*, school: School, crisis_id: int) -> list[ContactRow]:
    """The contacts with parents recorded for a crisis (Bijlage 21 per crisis), newest contact
    first, with the pupil each one is about (if any); corrected rows stay in the list."""
    contacts = list(
        ContactLog.objects.filter(crisis_id=crisis_id, school=school)
        .select_related("recorded_by", "corrects", "pupil")
        .prefetch_related(Prefetch("corrections", queryset=ContactLog.objects.select_related("recorded_by")))
        .order_by("-contact_at", "-id")
    )
    return _rows(contacts, school.pk)


def _rows(contacts: list[ContactLog], school_id: int) -> list[ContactRow]:
    ids = {guardian_id for contact in contacts for guardian_id in contact.guardian_ids}
    names = {
        guardian.pk: guardian.full_name
        for guardian in Guardian.objects.filter(pk__in=ids, school_id=school_id)
    }
    rows = []
    for contact in contacts:
        linked = ", ".join(names[i] for i in contact.guardian_ids if i in names)
        corrections = list(contact.corrections.all())
        rows.append(
            ContactRow(
                contact=contact,
                corrected_by=corrections[0] if corrections else None,
                guardian_names="" if linked == contact.with_whom else linked,
            )
        )
    return rows


def contact_log_entry(ctx: AccessContext, pupil: Pupil, entry_id: int) -> ContactLog | None:
    """One contact of PUPIL (None when it is missing or belongs to another pupil)."""
    if not ctx.roles_at(pupil.school_id):
        return None
    return (
        ContactLog.objects.filter(pk=entry_id, pupil=pupil, school_id=pupil.school_id)
        .select_related("pupil", "school", "recorded_by")
        .first()
    )
