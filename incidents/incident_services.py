"""Writing the incident register (plan ch. 7 and Bijlage 11; roles of pupils: ch. 17.3, Bijlage 18).

- `incident_register` records an incident with its pupils (each in a role), the staff and others
  involved, the reporter, linked signals and optional attachments. In one transaction it gives the
  incident its number ("2026-0007": the school's running number in the calendar year of the
  incident's date; the school row is locked while the number is chosen, so two registrations at
  the same moment never get the same number), writes one `DossierEntry` per pupil (kind
  `incident`, titled with the category and the pupil's role in the words of the plan — never
  "dader" or "slachtoffer"), one audit row with ids only, and the content-free notification of
  the IB and the director (`notify_leads`).
- `incident_close`, `followup_add`, `followup_done` and `attachment_add` are for the leads of the
  school: director, deputy director and IB. Teachers and staff register incidents (they are the
  reporter) and see their own read-only.
- A follow-up action opens a deadline row (rule `vervolgactie-incident`: due on the agreed date
  itself) for its owner; marking the action done meets it.

Refusals are `ValidationError`s with a message per field; a user without the role gets
`PermissionDenied`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lev.audit.services import record
from lev.deadlines.domain import DeadlineError
from lev.deadlines.models import DeadlineStatus
from lev.deadlines.models import Visibility as DeadlineVisibility
from lev.deadlines.services import deadline_meet, deadline_open
from lev.dossier.models import Visibility
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_incident
from lev.schools.models import SCHOOL_ROLES, Membership, Pupil, School

from .models import (
    FollowUpAction,
    Incident,
    IncidentAttachment,
    IncidentCategory,
    IncidentPupil,
    IncidentStatus,
    PupilRole,
    Severity,
    Signal,
)
from .notifications import notify_leads
from .permissions import LEAD_ROLES, RECORDING_ROLES, ROLE_ORDER
from .uploads import CheckedFile, check_upload, display_name, storage_name

# Messages the form uses too (marked here for translation, translated where they are shown).
FUTURE_DATE = gettext_noop(
    "The date of an incident cannot lie in the future. Enter the day it happened (today at the latest)."
)
FUTURE_TIME = gettext_noop("This time is still to come today. Enter the time it happened.")
DOSSIER_KIND = "incident"
FOLLOW_UP_RULE = "vervolgactie-incident"
FOLLOW_UP_SUBJECT = "incident_followup"

# Stored text (the chronology entry) is written in Dutch, like the deadline explanations: it is
# part of the record and must not change with the catalogue. The words are the plan's.
CATEGORY_WORDS: dict[str, str] = {
    IncidentCategory.BULLYING: "pesten",
    IncidentCategory.ONLINE_BULLYING: "online pesten",
    IncidentCategory.SEXUAL_BOUNDARY: "(seksueel) grensoverschrijdend gedrag",
    IncidentCategory.AGGRESSION: "agressie",
    IncidentCategory.INTIMIDATION: "intimidatie",
    IncidentCategory.DISCRIMINATION: "discriminatie",
    IncidentCategory.RADICALISATION: "radicalisering",
    IncidentCategory.OTHER: "anders",
}
ROLE_WORDS: dict[str, str] = {
    PupilRole.INITIATIVE: "leerling die het initiatief nam",
    PupilRole.EXPERIENCED: "leerling die iets is overkomen",
    PupilRole.BYSTANDER: "omstander",
}
SEVERITY_WORDS: dict[str, str] = {
    Severity.MINOR: "licht",
    Severity.SERIOUS: "ernstig",
    Severity.SEVERE: "zeer ernstig",
}


@dataclass(frozen=True)
class NewAttachment:
    """An upload to store with an incident, and what it is."""

    upload: Any
    description: str = ""


def _local_day(now: datetime) -> date:
    return timezone.localdate(now)


def roles_of(user: Any, school: School | int, day: date) -> frozenset[str]:
    """The roles USER holds at SCHOOL on DAY (memberships are read now, never cached)."""
    school_id = school.pk if isinstance(school, School) else school
    return frozenset(
        Membership.objects.active_on(day)
        .filter(user=user, school_id=school_id, user__is_active=True)
        .values_list("role", flat=True)
    )


def _require_lead(actor: Any, school_id: int, now: datetime) -> None:
    if not roles_of(actor, school_id, _local_day(now)) & LEAD_ROLES:
        raise PermissionDenied


def active_member_ids(school: School, day: date, roles: Iterable[str] = SCHOOL_ROLES) -> set[int]:
    """Ids of the active users holding one of ROLES at SCHOOL on DAY."""
    return set(
        Membership.objects.active_on(day)
        .filter(school=school, role__in=list(roles), user__is_active=True)
        .values_list("user_id", flat=True)
    )


def happened_moment(day: date, at: time | None) -> datetime:
    """The aware moment of an incident (00:00 when no time is known)."""
    return datetime.combine(day, at or time(0, 0), tzinfo=timezone.get_default_timezone())


def _dossier_text(incident: Incident, role: str) -> tuple[str, str]:
    title = f"Incident {incident.number} ({CATEGORY_WORDS[incident.category]}): {ROLE_WORDS[role]}"
    lines = [f"Locatie: {incident.location}", f"Zwaarte: {SEVERITY_WORDS[incident.severity]}"]
    lines.append(incident.description)
    return title[:200], "\n".join(lines)


def _next_number(school: School, year: int) -> str:
    """The next free number of SCHOOL in YEAR; call with the school row locked."""
    prefix = f"{year}-"
    highest = 0
    for number in Incident.objects.filter(school=school, number__startswith=prefix).values_list(
        "number", flat=True
    ):
        tail = number[len(prefix) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:04d}"


def _check_uploads(attachments: Sequence[NewAttachment]) -> list[tuple[NewAttachment, CheckedFile]]:
    checked = []
    for item in attachments:
        if len(item.description.strip()) > 200:
            raise ValidationError(
                {"attachment_description": _("Keep the description of the file under 200 characters.")}
            )
        try:
            checked.append((item, check_upload(item.upload)))
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    return checked


def _store(
    incident: Incident,
    item: NewAttachment,
    checked: CheckedFile,
    *,
    stored: list[str],
    actor: Any,
    now: datetime,
) -> IncidentAttachment:
    """Write the file and its row; the file's name goes to STORED at once, so that the caller can
    remove the file when the transaction does not commit."""
    item.upload.seek(0)
    attachment = IncidentAttachment(
        incident=incident,
        original_name=display_name(getattr(item.upload, "name", "") or ""),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=item.description.strip(),
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.file = File(item.upload, name=storage_name(checked.extension))  # type: ignore[assignment]
    try:
        attachment.save()
    finally:
        if attachment.file.name:
            stored.append(attachment.file.name)
    record(
        "incident_attachment_added",
        actor=actor,
        obj=attachment,
        board=incident.board,
        summary={"incident_id": incident.pk, "size": checked.size, "content_type": checked.content_type},
        now=now,
    )
    return attachment


def incident_register(
    *,
    school: School,
    happened_on: date,
    happened_time: time | None,
    location: str,
    category: str,
    description: str,
    severity: str,
    pupils: Sequence[tuple[Pupil, str]],
    staff_involved: Iterable[Any] = (),
    others_involved: str = "",
    reporter: Any,
    signals: Iterable[Signal] = (),
    attachments: Sequence[NewAttachment] = (),
    actor: Any,
    now: datetime,
) -> Incident:
    """Record an incident at SCHOOL (see the module docstring for everything that is written).

    ACTOR must hold a recording role at the school (teacher, staff, IB, director, deputy); only a
    lead may name another REPORTER, who must hold a recording role there too. Refused with a
    message per field: a date or time in the future, no pupil, a pupil of another school or twice,
    a role outside the plan's three, staff who are not active members of the school, a signal of
    another school, an empty location or description, a category or severity outside the lists,
    an attachment of a forbidden type or too large.
    """
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    today = _local_day(now)
    actor_roles = roles_of(actor, school, today)
    if not actor_roles & RECORDING_ROLES:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if happened_on > today:
        errors["happened_on"] = _(FUTURE_DATE)
    elif happened_time is not None and happened_moment(happened_on, happened_time) > now:
        errors["happened_time"] = _(FUTURE_TIME)
    location = location.strip()
    if not location:
        errors["location"] = _("Say where it happened, for example: schoolyard, classroom 5a, online.")
    elif len(location) > 200:
        errors["location"] = _("Keep the location under 200 characters.")
    if category not in IncidentCategory.values:
        errors["category"] = _("Choose the category that fits best.")
    description = description.strip()
    if not description:
        errors["description"] = _("Describe what happened: the facts, in a few sentences.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose how serious the incident is.")
    pupil_list = list(pupils)
    if not pupil_list:
        errors["pupils"] = _("Add at least one pupil and the pupil's role.")
    seen: set[int] = set()
    for pupil, role in pupil_list:
        if pupil.school_id != school.pk:
            errors["pupils"] = _("Choose pupils of this school only.")
        elif pupil.pk in seen:
            errors["pupils"] = _("Each pupil can be in the list once. Remove the double row.")
        elif role not in PupilRole.values:
            errors["pupils"] = _("Choose the role of each pupil.")
        seen.add(pupil.pk)
    staff = list(staff_involved)
    if staff and not {u.pk for u in staff} <= active_member_ids(school, today):
        errors["staff_involved"] = _("Choose staff members of this school only.")
    others_involved = others_involved.strip()
    if len(others_involved) > 300:
        errors["others_involved"] = _("Keep this under 300 characters.")
    if reporter is None:
        errors["reporter"] = _("Choose who reported the incident.")
    elif reporter.pk != actor.pk:
        if not actor_roles & LEAD_ROLES:
            errors["reporter"] = _("You can only record an incident you report yourself.")
        elif reporter.pk not in active_member_ids(school, today, RECORDING_ROLES):
            errors["reporter"] = _("Choose a staff member of this school as the reporter.")
    signal_list = list(signals)
    if any(signal.school_id != school.pk for signal in signal_list):
        errors["signals"] = _("Link signals of this school only.")
    try:
        checked = _check_uploads(attachments)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
        checked = []
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        incident = _register(
            school=school,
            happened_on=happened_on,
            happened_time=happened_time,
            location=location,
            category=category,
            description=description,
            severity=severity,
            pupil_list=pupil_list,
            staff=staff,
            others_involved=others_involved,
            reporter=reporter,
            signal_list=signal_list,
            checked=checked,
            stored=stored,
            actor=actor,
            now=now,
        )
    except BaseException:
        _remove_files(stored)
        raise
    return incident


def _remove_files(names: Iterable[str]) -> None:
    """Remove files written in a transaction that rolled back (nothing points at them)."""
    for name in names:
        default_storage.delete(name)


def _register(
    *,
    school: School,
    happened_on: date,
    happened_time: time | None,
    location: str,
    category: str,
    description: str,
    severity: str,
    pupil_list: list[tuple[Pupil, str]],
    staff: list[Any],
    others_involved: str,
    reporter: Any,
    signal_list: list[Signal],
    checked: list[tuple[NewAttachment, CheckedFile]],
    stored: list[str],
    actor: Any,
    now: datetime,
) -> Incident:
    with transaction.atomic():
        School.objects.select_for_update().only("pk").get(pk=school.pk)
        incident = Incident.objects.create(
            board_id=school.board_id,
            school=school,
            number=_next_number(school, happened_on.year),
            happened_on=happened_on,
            happened_time=happened_time,
            location=location,
            category=category,
            description=description,
            severity=severity,
            others_involved=others_involved,
            reporter=reporter,
            recorded_by=actor,
            status=IncidentStatus.OPEN,
            created_at=now,
        )
        IncidentPupil.objects.bulk_create(
            IncidentPupil(incident=incident, pupil=pupil, role=role) for pupil, role in pupil_list
        )
        if staff:
            incident.staff_involved.set(staff)
        if signal_list:
            incident.signals.set(signal_list)
        count_incident(incident)
        moment = happened_moment(happened_on, happened_time)
        entry_ids = []
        for pupil, role in pupil_list:
            title, text = _dossier_text(incident, role)
            entry = entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND,
                title=title,
                summary=text,
                happened_at=moment,
                author=actor,
                now=now,
                visibility=Visibility.SCHOOL,
                source=incident,
            )
            entry_ids.append(entry.pk)
        attachment_ids = []
        for item, checked_file in checked:
            attachment = _store(incident, item, checked_file, stored=stored, actor=actor, now=now)
            attachment_ids.append(attachment.pk)
        record(
            "incident_registered",
            actor=actor,
            obj=incident,
            summary={
                "school_id": school.pk,
                "pupil_ids": [pupil.pk for pupil, _role in pupil_list],
                "roles": [role for _pupil, role in pupil_list],
                "staff_ids": [u.pk for u in staff],
                "reporter_id": reporter.pk,
                "signal_ids": [s.pk for s in signal_list],
                "dossier_entry_ids": entry_ids,
                "attachment_ids": attachment_ids,
            },
            now=now,
        )
        notify_leads(record=incident, now=now)
    return incident


def incident_close(*, incident: Incident, note: str, actor: Any, now: datetime) -> Incident:
    """Close INCIDENT with a closing NOTE (what came of it). Leads only.

    Decision: an incident with open follow-up actions is not closed. Each action is marked done
    first, with a note — also when it is no longer needed ("niet meer nodig: …") — so that every
    follow-up deadline ends as met with its reason on record and nothing is closed silently.
    A closed incident cannot be closed again.
    """
    _require_lead(actor, incident.school_id, now)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down how the incident was concluded.")})
    with transaction.atomic():
        row = Incident.objects.select_for_update().get(pk=incident.pk)
        if row.status == IncidentStatus.CLOSED:
            raise ValidationError(_("This incident is closed already."), code="closed")
        open_actions = row.follow_ups.filter(done_at__isnull=True).count()
        if open_actions:
            raise ValidationError(
                _(
                    "This incident still has open follow-up actions. Mark them done first; if an "
                    "action is no longer needed, say so in its note."
                ),
                code="open_follow_ups",
            )
        row.status = IncidentStatus.CLOSED
        row.closed_at = now
        row.closing_note = note
        row.save(update_fields=["status", "closed_at", "closing_note"])
        record("incident_closed", actor=actor, obj=row, summary={"fields": ["closing_note"]}, now=now)
    incident.status, incident.closed_at, incident.closing_note = row.status, row.closed_at, row.closing_note
    return row


def _responsible_role(owner: Any, school: School, day: date) -> str:
    held = roles_of(owner, school, day)
    return next((role.value for role in ROLE_ORDER if role in held), "")


def followup_add(
    *, incident: Incident, description: str, owner: Any, due_on: date | None, actor: Any, now: datetime
) -> FollowUpAction:
    """Add a follow-up action with its OWNER and agreed date DUE_ON, and open its deadline row
    (rule `vervolgactie-incident`, due on DUE_ON itself, for the owner). Leads only; not on a
    closed incident; the owner is an active member of the school; the date is today or later."""
    _require_lead(actor, incident.school_id, now)
    school = incident.school
    today = _local_day(now)
    errors: dict[str, str] = {}
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("This incident is closed. Follow-up actions can no longer be added."))
    description = description.strip()
    if not description:
        errors["description"] = _("Describe the action: who does what.")
    elif len(description) > 300:
        errors["description"] = _("Keep the action under 300 characters.")
    if owner is None or owner.pk not in active_member_ids(school, today):
        errors["owner"] = _("Choose a staff member of this school as the owner.")
    if due_on is None:
        errors["due_on"] = _("Enter the date agreed for this action.")
    elif due_on < today:
        errors["due_on"] = _("The agreed date cannot lie in the past. Choose today or a later date.")
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            incident=incident,
            description=description,
            owner=owner,
            due_on=due_on,
            created_by=actor,
            created_at=now,
        )
        try:
            deadline = deadline_open(
                rule_code=FOLLOW_UP_RULE,
                start=due_on,
                school=school,
                subject=(FOLLOW_UP_SUBJECT, action.pk),
                responsible_role=_responsible_role(owner, school, today),
                responsible_user=owner,
                actor=actor,
                now=now,
                visibility=DeadlineVisibility.SCHOOL,
            )
        except DeadlineError as exc:
            raise ValidationError(
                {"due_on": _("LEV cannot plan an action on this date. Choose another date.")}
            ) from exc
        action.deadline = deadline
        action.save(update_fields=["deadline"])
        record(
            "incident_followup_added",
            actor=actor,
            obj=action,
            board=incident.board,
            summary={"incident_id": incident.pk, "owner_id": owner.pk, "deadline_id": deadline.pk},
            now=now,
        )
    return action


def followup_done(*, action: FollowUpAction, note: str, actor: Any, now: datetime) -> FollowUpAction:
    """Mark ACTION done with a NOTE (what was done) and meet its deadline. Leads only; an action
    is done once."""
    incident = action.incident
    _require_lead(actor, incident.school_id, now)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down what was done (or why it is no longer needed).")})
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    with transaction.atomic():
        row = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        if row.done_at is not None:
            raise ValidationError(_("This action has been marked done already."), code="done")
        row.done_at = now
        row.done_by = actor
        row.done_note = note
        row.save(update_fields=["done_at", "done_by", "done_note"])
        deadline = row.deadline
        if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.MISSED):
            deadline_meet(deadline=deadline, actor=actor, now=now)
        record(
            "incident_followup_done",
            actor=actor,
            obj=row,
            board=incident.board,
            summary={"incident_id": incident.pk, "deadline_id": row.deadline_id},
            now=now,
        )
    return row


def attachment_add(
    *, incident: Incident, upload: Any, description: str, actor: Any, now: datetime
) -> IncidentAttachment:
    """Attach a file to INCIDENT (leads only; also after closing: a document can arrive later).

    The file is checked by its content (PDF, PNG or JPEG; see `incidents.uploads`) and its size,
    stored under a random name and its SHA-256 kept.
    """
    _require_lead(actor, incident.school_id, now)
    if upload is None:
        raise ValidationError({"attachment": _("Choose the file to attach.")})
    item = NewAttachment(upload=upload, description=description)
    ((_item, checked),) = _check_uploads([item])
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _store(incident, item, checked, stored=stored, actor=actor, now=now)
    except BaseException:
        _remove_files(stored)
        raise
