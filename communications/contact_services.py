"""Writing the parent contact log (policy plan §17.3, Bijlage 21).

`contact_log_record` writes, in one transaction: the `ContactLog` row, a `DossierEntry` in the
pupil's chronology (kind `parent_contact`, observed by the person who records it), a follow-up
deadline (rule `vervolgafspraak-ouders`: due on the agreed date itself) when a follow-up date is
set, and one audit row with ids only.

A contact of a crisis (Bijlage 21 per crisis) carries the crisis's id (`crisis_id`) and its school;
its pupil is optional (a contact with the parents of a whole group names none). Without a pupil no
chronology entry is written. The crisis app checks that the actor may manage the crisis first.

`contact_log_correct` never changes a row: it writes a new row pointing at the one it corrects, with
the reason, corrects the dossier entry the same way, and moves the follow-up deadline when the
follow-up date changed (the old term is waived with the reason, a new one is opened).

Who may record: a teacher, care coordinator, director or deputy director of the pupil's school.
Whether a teacher may open this pupil's file at all (own group, or a reason first) is decided by the
pupil chokepoint (`lev.schools.permissions.access_pupil_for_user`) before a view calls these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.deadlines.domain import DeadlineError
from lev.deadlines.models import Deadline, DeadlineStatus
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_open, deadline_waive
from lev.dossier.models import DossierEntry, Observation
from lev.dossier.services import _check_initials, entry_correct, entry_record
from lev.schools.models import Membership, Pupil, PupilGuardian, Role, School

from .contact_models import ContactChannel, ContactLog

DOSSIER_KIND = "parent_contact"
FOLLOW_UP_RULE = "vervolgafspraak-ouders"
SOURCE_TYPE = "communications.contactlog"
# Roles that may record a contact, in the order that names the responsible role of a follow-up.
RECORD_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR, Role.TEACHER)
# Follow-up terms that are still running and move when the follow-up date is corrected.
RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.MISSED, DeadlineStatus.SUSPENDED)


def recorder_role(actor: Any, school: School | int, day: date) -> str | None:
    """The role in which ACTOR records a contact at SCHOOL on DAY, or None when they may not."""
    school_id = school.pk if isinstance(school, School) else school
    held = set(
        Membership.objects.active_on(day)
        .filter(user=actor, school_id=school_id)
        .values_list("role", flat=True)
    )
    return next((role.value for role in RECORD_ROLES if role in held), None)


def guardian_choices(pupil: Pupil) -> list[tuple[int, str]]:
    """The pupil's parents (guardian id, "name (relation)") a contact can be linked to."""
    links = PupilGuardian.objects.filter(pupil=pupil, school_id=pupil.school_id).select_related("guardian")
    return [
        (link.guardian_id, f"{link.guardian.full_name} ({link.get_relation_display()})") for link in links
    ]


def _clean(
    *,
    pupil: Pupil | None,
    contact_at: datetime,
    with_whom: str,
    guardian_ids: Iterable[int],
    channel: str,
    summary: str,
    agreements: str,
    others_present: str,
    follow_up_on: date | None,
    follow_up_note: str,
    now: datetime,
) -> dict[str, Any]:
    """Check the fields; raise one ValidationError with a message per field."""
    if timezone.is_naive(contact_at):
        raise ValueError("contact_at must be an aware datetime")
    errors: dict[str, str] = {}
    if contact_at > now:
        errors["contact_at"] = _(
            "A contact cannot lie in the future. Enter the date and time the contact took place."
        )
    ids = sorted({int(i) for i in guardian_ids})
    links = (
        list(PupilGuardian.objects.filter(pupil=pupil, school_id=pupil.school_id).select_related("guardian"))
        if pupil is not None
        else []
    )
    if not set(ids) <= {link.guardian_id for link in links}:
        errors["guardian_ids"] = _("Choose only parents of this pupil.")
    with_whom = with_whom.strip()
    if not with_whom and not ids:
        errors["with_whom"] = _(
            "Say with whom you spoke: tick a parent or type who it was (for example: mother, both parents)."
        )
    if channel not in ContactChannel.values:
        errors["channel"] = _("Choose how the contact took place.")
    summary = summary.strip()
    if not summary:
        errors["summary"] = _("Write down what was discussed: the facts, in a few sentences.")
    try:
        others_present = _check_initials(others_present)
    except ValidationError as exc:
        errors["others_present"] = " ".join(exc.messages)
    contact_day = timezone.localtime(contact_at).date()
    if follow_up_on is not None and follow_up_on < contact_day:
        errors["follow_up_on"] = _(
            "The follow-up appointment cannot be before the contact (%(day)s). Choose a date on or after it."
        ) % {"day": contact_day.strftime("%d-%m-%Y")}
    follow_up_note = follow_up_note.strip()
    if follow_up_note and follow_up_on is None:
        errors["follow_up_on"] = _("Enter the date of the follow-up appointment, or leave the note empty.")
    if errors:
        raise ValidationError(errors)
    if not with_whom:
        # Stored with the row, so the log still says who it was when a parent leaves the import.
        with_whom = ", ".join(link.guardian.full_name for link in links if link.guardian_id in ids)[:200]
    return {
        "contact_at": contact_at,
        "with_whom": with_whom,
        "guardian_ids": ids,
        "channel": channel,
        "summary": summary,
        "agreements": agreements.strip(),
        "others_present": others_present,
        "follow_up_on": follow_up_on,
        "follow_up_note": follow_up_note,
    }


# Stored text (chronology entries, the reason a follow-up term was waived) is written in Dutch, like
# the deadline explanations: it is part of the record and must not change with the catalogue.
CHANNEL_WORDS = {
    ContactChannel.PHONE: "telefoon",
    ContactChannel.IN_PERSON: "persoonlijk gesprek",
    ContactChannel.EMAIL: "e-mail",
    ContactChannel.LETTER: "brief",
    ContactChannel.VIDEO_CALL: "videogesprek",
    ContactChannel.OTHER: "anders",
}


def _dossier_text(contact: ContactLog, *, date_changed: bool = False) -> tuple[str, str]:
    """Title and summary of the chronology entry."""
    title = f"Contact met ouders: {contact.with_whom} ({CHANNEL_WORDS[ContactChannel(contact.channel)]})"
    lines = []
    if date_changed:
        when = timezone.localtime(contact.contact_at).strftime("%d-%m-%Y %H:%M")
        lines.append(f"Gecorrigeerde datum van het contact: {when}")
    lines.append(contact.summary)
    if contact.agreements:
        lines.append(f"Afspraken: {contact.agreements}")
    if contact.follow_up_on:
        follow_up = f"Vervolgafspraak: {contact.follow_up_on.strftime('%d-%m-%Y')}"
        if contact.follow_up_note:
            follow_up += f" — {contact.follow_up_note}"
        lines.append(follow_up)
    if len(title) > 200:
        title = title[:199] + "…"
    return title, "\n".join(lines)


def _open_follow_up(contact: ContactLog, *, role: str, actor: Any, now: datetime) -> Deadline:
    assert contact.follow_up_on is not None
    try:
        return deadline_open(
            rule_code=FOLLOW_UP_RULE,
            start=contact.follow_up_on,
            school=contact.school,
            subject=contact,
            responsible_role=role,
            responsible_user=actor,
            actor=actor,
            now=now,
            visibility=DeadlineVisibility.SCHOOL,
        )
    except DeadlineError as exc:
        raise ValidationError(
            {"follow_up_on": _("LEV cannot plan a follow-up appointment on this date. Choose another date.")}
        ) from exc


def contact_log_record(
    *,
    pupil: Pupil | None = None,
    contact_at: datetime,
    with_whom: str,
    channel: str,
    summary: str,
    agreements: str = "",
    guardian_ids: Iterable[int] = (),
    others_present: str = "",
    follow_up_on: date | None = None,
    follow_up_note: str = "",
    crisis_id: int | None = None,
    school: School | None = None,
    actor: Any,
    now: datetime,
) -> ContactLog:
    """Record one contact with the parents of PUPIL, or of a crisis (CRISIS_ID, at SCHOOL) with or
    without a pupil (see the module docstring for what is written).

    Raises PermissionDenied when ACTOR holds no recording role at the school, and a
    ValidationError with a message per field for input the log refuses.
    """
    if pupil is None and crisis_id is None:
        raise ValueError("A contact belongs to a pupil, a crisis, or both.")
    if school is None:
        if pupil is None:
            raise ValueError("A crisis contact without a pupil needs its school.")
        school = pupil.school
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"pupil": _("Choose a pupil of this school.")})
    role = recorder_role(actor, school.pk, timezone.localdate(now))
    if role is None:
        raise PermissionDenied
    fields = _clean(
        pupil=pupil,
        contact_at=contact_at,
        with_whom=with_whom,
        guardian_ids=guardian_ids,
        channel=channel,
        summary=summary,
        agreements=agreements,
        others_present=others_present,
        follow_up_on=follow_up_on,
        follow_up_note=follow_up_note,
        now=now,
    )
    with transaction.atomic():
        contact = ContactLog.objects.create(
            board_id=school.board_id,
            school_id=school.pk,
            pupil=pupil,
            crisis_id=crisis_id,
            recorded_by=actor,
            created_at=now,
            **fields,
        )
        dossier = None
        if pupil is not None:
            title, text = _dossier_text(contact)
            dossier = entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND,
                title=title,
                summary=text,
                happened_at=contact.contact_at,
                author=actor,
                now=now,
                observation=Observation.OBSERVED,
                others_present=contact.others_present,
                source=contact,
            )
        deadline = _open_follow_up(contact, role=role, actor=actor, now=now) if contact.follow_up_on else None
        audit: dict[str, Any] = {
            "pupil_id": pupil.pk if pupil is not None else None,
            "channel": contact.channel,
            "guardian_ids": contact.guardian_ids,
            "dossier_entry_id": dossier.pk if dossier is not None else None,
            "deadline_id": deadline.pk if deadline else None,
        }
        if crisis_id is not None:
            audit["crisis_id"] = crisis_id
        record("contact_log_recorded", actor=actor, obj=contact, summary=audit, now=now)
    return contact


def chain_of(contact: ContactLog) -> list[ContactLog]:
    """CONTACT and the rows it corrects, newest first, back to the first record."""
    chain = [contact]
    while chain[-1].corrects_id is not None:
        chain.append(ContactLog.objects.get(pk=chain[-1].corrects_id))
    return chain


def _dossier_entry_of(chain: list[ContactLog]) -> DossierEntry | None:
    """The newest chronology entry of the contact (corrections of it keep the first row's id)."""
    return (
        DossierEntry.objects.filter(
            kind=DOSSIER_KIND, source_type=SOURCE_TYPE, source_id=str(chain[-1].pk), corrections__isnull=True
        )
        .order_by("-id")
        .first()
    )


def contact_log_correct(
    *,
    entry: ContactLog,
    contact_at: datetime,
    with_whom: str,
    channel: str,
    summary: str,
    agreements: str = "",
    guardian_ids: Iterable[int] = (),
    others_present: str = "",
    follow_up_on: date | None = None,
    follow_up_note: str = "",
    reason: str,
    actor: Any,
    now: datetime,
) -> ContactLog:
    """Correct ENTRY: a new row with all fields as they should have been, pointing at ENTRY.

    Only the newest version of a contact can be corrected (a ValidationError says so otherwise).
    """
    if entry.pupil is None:
        raise ValueError("Contacts of a crisis are corrected by the incidents app.")
    role = recorder_role(actor, entry.school_id, timezone.localdate(now))
    if role is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    try:
        fields = _clean(
            pupil=entry.pupil,
            contact_at=contact_at,
            with_whom=with_whom,
            guardian_ids=guardian_ids,
            channel=channel,
            summary=summary,
            agreements=agreements,
            others_present=others_present,
            follow_up_on=follow_up_on,
            follow_up_note=follow_up_note,
            now=now,
        )
    except ValidationError as exc:
        errors = {field: " ".join(messages) for field, messages in exc.message_dict.items()}
        fields = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the correction.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        original = ContactLog.objects.select_for_update().get(pk=entry.pk)
        if original.corrections.exists():
            raise ValidationError(
                _("This contact has been corrected already. Correct the newest version."),
                code="already_corrected",
            )
        changed = [name for name, value in fields.items() if getattr(original, name) != value]
        if not changed:
            raise ValidationError(
                _("Nothing was changed. Change what was wrong, or cancel."), code="unchanged"
            )
        correction = ContactLog.objects.create(
            board_id=original.board_id,
            school_id=original.school_id,
            pupil_id=original.pupil_id,
            crisis_id=original.crisis_id,
            recorded_by=actor,
            created_at=now,
            corrects=original,
            correction_reason=reason.strip(),
            **fields,
        )
        chain = chain_of(correction)
        title, text = _dossier_text(correction, date_changed="contact_at" in changed)
        previous_entry = _dossier_entry_of(chain)
        if previous_entry is not None:
            dossier = entry_correct(entry=previous_entry, summary=text, reason=reason, actor=actor, now=now)
        else:  # written before the dossier existed: start the chronology entry now
            dossier = entry_record(
                pupil=entry.pupil,
                kind=DOSSIER_KIND,
                title=title,
                summary=text,
                happened_at=correction.contact_at,
                author=actor,
                now=now,
                observation=Observation.OBSERVED,
                others_present=correction.others_present,
                source=chain[-1],
            )
        waived: list[int] = []
        opened: Deadline | None = None
        if "follow_up_on" in changed:
            running = Deadline.objects.filter(
                rule_code=FOLLOW_UP_RULE,
                subject_type=SOURCE_TYPE,
                subject_id__in=[str(c.pk) for c in chain],
                status__in=RUNNING,
            )
            waive_reason = f"Datum van de vervolgafspraak gecorrigeerd: {reason.strip()}"
            for deadline in running:
                deadline_waive(deadline=deadline, reason=waive_reason, actor=actor, now=now)
                waived.append(deadline.pk)
            if correction.follow_up_on:
                opened = _open_follow_up(correction, role=role, actor=actor, now=now)
        record(
            "contact_log_corrected",
            actor=actor,
            obj=correction,
            summary={
                "corrects": original.pk,
                "pupil_id": original.pupil_id,
                "fields": changed,
                "dossier_entry_id": dossier.pk,
                "deadline_id": opened.pk if opened else None,
                "waived_deadline_ids": waived,
            },
            now=now,
        )
    return correction
