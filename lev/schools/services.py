"""Writes for tenancy configuration: schools, school years, groups, users, memberships, social map.

Every function owns its transaction and writes one audit row whose summary holds ids, roles,
field names and counts only, never names or other personal content.

A functional administrator cannot change their own memberships or deactivate themselves
(SECURITY.md threat 16). Granting a privileged role is audited and notified by e-mail to the
board's `board` and `privacy_officer` members.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.accounts.services import user_deactivate
from lev.audit.services import record
from lev.jobs.registry import job_handler
from lev.jobs.services import outbox_enqueue

from .models import (
    BOARD_WIDE_ROLES,
    PRIVILEGED_ROLES,
    Board,
    Membership,
    Role,
    School,
    SchoolGroup,
    SchoolYear,
    SocialMapEntry,
    TimeOutMaximum,
)
from .permissions import objects_granted, revoke_object

logger = logging.getLogger(__name__)

LOGO_MAX_BYTES = 1024 * 1024

# School fields an administrator may set (everything but the board and the logo file).
SCHOOL_FIELDS = (
    "name",
    "brin",
    "street",
    "postcode",
    "city",
    "phone",
    "email",
    "denominatie",
    "timeout_decided_by",
    "suspension_decided_by",
    "expulsion_decided_by",
    "timeout_maximum",
    "timeout_maximum_days",
    "attendance_office",
    "attendance_office_email",
    "partnership",
    "copy_suspension_to_attendance_officer",
    "copy_expulsion_to_inspectorate",
    "meldcode_final_responsible",
    "antibullying_coordinator",
    "contact_person",
)
SCHOOL_PEOPLE_FIELDS = ("meldcode_final_responsible", "antibullying_coordinator", "contact_person")

SOCIAL_MAP_FIELDS = ("kind", "organisation", "contact_name", "phone", "email", "address", "website", "notes")


class SelfAdministrationRefused(PermissionDenied):
    """A functional administrator tried to change their own memberships or account."""


# --- Letterhead logo ------------------------------------------------------------------------


def logo_extension(upload: UploadedFile) -> str:
    """Check an uploaded logo by its content (not its name): PNG or JPEG, at most 1 MB.

    Returns the extension to store it under; raises ValidationError otherwise.
    """
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is larger than 1 MB. Make the image smaller and upload it again."), code="too_large"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        expected, extension = "PNG", "png"
    elif head.startswith(b"\xff\xd8\xff"):
        expected, extension = "JPEG", "jpg"
    else:
        raise ValidationError(
            _("The logo must be a PNG or JPEG image. This file is not one, whatever its name says."),
            code="type",
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            image.verify()
            actual = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The logo could not be read as an image. Save it again as PNG or JPEG and upload it."),
            code="unreadable",
        ) from exc
    finally:
        upload.seek(0)
    if actual != expected:
        raise ValidationError(
            _("The logo must be a PNG or JPEG image. This file is not one, whatever its name says."),
            code="type",
        )
    return extension


def _store_logo(school: School, upload: UploadedFile) -> str | None:
    """Save the logo under a random name; return the name of the file it replaces."""
    extension = logo_extension(upload)
    old = school.letterhead_logo.name or None
    school.letterhead_logo.save(f"school-{school.pk}-{secrets.token_hex(8)}.{extension}", upload, save=False)
    return old


def _delete_file_later(school: School, name: str | None) -> None:
    if not name:
        return
    storage = school.letterhead_logo.storage
    transaction.on_commit(lambda: storage.delete(name))


# --- Schools --------------------------------------------------------------------------------


def _check_school_people(school: School, fields: Mapping[str, Any], *, today: date) -> None:
    """The Meldcode final responsible, anti-bullying coordinator and contact person must hold a
    role at this school."""
    from .admin_selectors import school_member_users

    for name in SCHOOL_PEOPLE_FIELDS:
        person = fields.get(name)
        if person is None:
            continue
        if school.pk is None or not school_member_users(school, today=today).filter(pk=person.pk).exists():
            raise ValidationError(
                {name: _("Choose someone who holds a role at this school.")}, code="not_member"
            )


def _apply_school_fields(school: School, fields: Mapping[str, Any]) -> None:
    for name in SCHOOL_FIELDS:
        if name in fields:
            setattr(school, name, fields[name])
    if school.timeout_maximum == TimeOutMaximum.REST_OF_DAY:
        school.timeout_maximum_days = 1


def school_create(
    *,
    board: Board,
    fields: Mapping[str, Any],
    logo: UploadedFile | None = None,
    actor: Any,
    now: datetime,
) -> School:
    school = School(board=board)
    people = {name: fields.get(name) for name in SCHOOL_PEOPLE_FIELDS}
    _apply_school_fields(school, {k: v for k, v in fields.items() if k not in SCHOOL_PEOPLE_FIELDS})
    if any(people.values()):
        raise ValidationError(_("People can be chosen once the school exists and has members."))
    with transaction.atomic():
        school.full_clean(exclude=["letterhead_logo"])
        school.save()
        if logo is not None:
            _store_logo(school, logo)
            school.save(update_fields=["letterhead_logo"])
        record(
            "school_created",
            actor=actor,
            obj=school,
            summary={
                "school_id": school.pk,
                "fields": sorted(k for k in fields if k in SCHOOL_FIELDS),
                "logo": logo is not None,
            },
            now=now,
        )
    return school


def school_update(
    *,
    school: School,
    fields: Mapping[str, Any],
    changed: Iterable[str],
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    actor: Any,
    now: datetime,
) -> School:
    changed_fields = sorted(set(changed) & set(SCHOOL_FIELDS))
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        _check_school_people(locked, fields, today=timezone.localdate(now))
        _apply_school_fields(locked, fields)
        locked.full_clean(exclude=["letterhead_logo"])
        replaced: str | None = None
        logo_change = ""
        if logo is not None:
            replaced = _store_logo(locked, logo)
            logo_change = "replaced" if replaced else "added"
        elif remove_logo and locked.letterhead_logo:
            replaced = locked.letterhead_logo.name
            locked.letterhead_logo = ""  # type: ignore[assignment]
            logo_change = "removed"
        locked.save()
        _delete_file_later(locked, replaced)
        summary: dict[str, Any] = {"school_id": locked.pk, "fields": changed_fields}
        if logo_change:
            summary["logo"] = logo_change
        if "timeout_maximum_days" in changed_fields or "timeout_maximum" in changed_fields:
            summary["timeout_maximum"] = locked.timeout_maximum
            summary["timeout_maximum_days"] = locked.timeout_maximum_days
        record("school_updated", actor=actor, obj=locked, summary=summary, now=now)
    return locked


# --- School years and groups ----------------------------------------------------------------


def year_overlap_error(other: SchoolYear) -> ValidationError:
    return ValidationError(
        _(
            "This period overlaps school year %(name)s (%(start)s to %(end)s). School years of a board "
            "may not overlap: choose dates outside that period."
        )
        % {
            "name": other.name,
            "start": other.starts_on.strftime("%d-%m-%Y"),
            "end": other.ends_on.strftime("%d-%m-%Y"),
        },
        code="overlap",
    )


def school_year_create(
    *, board: Board, name: str, starts_on: date, ends_on: date, actor: Any, now: datetime
) -> SchoolYear:
    from .admin_selectors import overlapping_year

    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The last day must come after the first day.")}, code="order")
    with transaction.atomic():
        # Serialise year creation per board, so two administrators cannot add overlapping years.
        Board.objects.select_for_update().get(pk=board.pk)
        other = overlapping_year(board, starts_on, ends_on)
        if other is not None:
            raise year_overlap_error(other)
        if SchoolYear.objects.filter(board=board, name=name).exists():
            raise ValidationError(
                {"name": _("This board already has a school year with this name.")}, code="unique"
            )
        year = SchoolYear.objects.create(board=board, name=name, starts_on=starts_on, ends_on=ends_on)
        record(
            "school_year_created",
            actor=actor,
            obj=year,
            summary={"school_year_id": year.pk, "starts_on": str(starts_on), "ends_on": str(ends_on)},
            now=now,
        )
    return year


def _check_group(
    *, school: School, school_year: SchoolYear, name: str, grades: list[int], exclude_pk: int | None
) -> None:
    if school.board_id != school_year.board_id:
        raise ValidationError(_("The school and the school year belong to different boards."))
    if not grades or any(not 1 <= g <= 8 for g in grades):
        raise ValidationError({"grades": _("Give the grades of this group, each from 1 to 8.")})
    clash = SchoolGroup.objects.filter(school=school, school_year=school_year, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("This school already has a group with this name in this school year.")}, code="unique"
        )


def _check_teachers(school: School, teachers: Iterable[Any], *, allowed_extra: Iterable[int] = ()) -> None:
    from .admin_selectors import school_member_users

    ids = {t.pk for t in teachers}
    members = set(
        school_member_users(school, today=timezone.localdate(), roles=[Role.TEACHER]).values_list(
            "pk", flat=True
        )
    )
    if ids - members - set(allowed_extra):
        raise ValidationError({"teachers": _("Choose teachers who hold the teacher role at this school.")})


def group_create(
    *,
    school: School,
    school_year: SchoolYear,
    name: str,
    grades: list[int],
    teachers: Iterable[Any],
    actor: Any,
    now: datetime,
) -> SchoolGroup:
    teachers = list(teachers)
    with transaction.atomic():
        _check_group(school=school, school_year=school_year, name=name, grades=grades, exclude_pk=None)
        _check_teachers(school, teachers)
        group = SchoolGroup.objects.create(
            board_id=school.board_id, school=school, school_year=school_year, name=name, grades=sorted(grades)
        )
        group.teachers.set(teachers)
        record(
            "group_created",
            actor=actor,
            obj=group,
            summary={
                "group_id": group.pk,
                "school_id": school.pk,
                "school_year_id": school_year.pk,
                "grades": sorted(grades),
                "teacher_ids": sorted(t.pk for t in teachers),
            },
            now=now,
        )
    return group


def group_update(
    *, group: SchoolGroup, name: str, grades: list[int], teachers: Iterable[Any], actor: Any, now: datetime
) -> SchoolGroup:
    teachers = list(teachers)
    with transaction.atomic():
        locked = (
            SchoolGroup.objects.select_for_update().select_related("school", "school_year").get(pk=group.pk)
        )
        before = set(locked.teachers.values_list("pk", flat=True))
        _check_group(
            school=locked.school,
            school_year=locked.school_year,
            name=name,
            grades=grades,
            exclude_pk=locked.pk,
        )
        # A teacher already on the group may stay, even if their membership has since ended.
        _check_teachers(locked.school, teachers, allowed_extra=before)
        changed = [
            f
            for f, old, new in (("name", locked.name, name), ("grades", locked.grades, sorted(grades)))
            if old != new
        ]
        locked.name = name
        locked.grades = sorted(grades)
        locked.save(update_fields=["name", "grades"])
        after = {t.pk for t in teachers}
        locked.teachers.set(teachers)
        if before != after:
            changed.append("teachers")
        record(
            "group_updated",
            actor=actor,
            obj=locked,
            summary={
                "group_id": locked.pk,
                "fields": changed,
                "teachers_added": sorted(after - before),
                "teachers_removed": sorted(before - after),
            },
            now=now,
        )
    return locked


# --- Memberships ----------------------------------------------------------------------------


def _refuse_self(user: Any, actor: Any) -> None:
    if getattr(actor, "pk", None) is not None and user.pk == actor.pk:
        raise SelfAdministrationRefused(
            _("You cannot change your own roles or account. Ask another administrator.")
        )


def check_role_school(role: str, school: School | None) -> None:
    """The model's rule: school roles need a school; board-wide roles have none."""
    if role in BOARD_WIDE_ROLES and school is not None:
        raise ValidationError(
            {
                "school": _(
                    "%(role)s is a board-wide role: it holds for every school of the board. Leave the school empty."
                )
                % {"role": Role(role).label}
            },
            code="board_wide",
        )
    if role not in BOARD_WIDE_ROLES and school is None:
        raise ValidationError(
            {
                "school": _("%(role)s is a role at one school. Choose the school.")
                % {"role": Role(role).label}
            },
            code="school_required",
        )


def membership_grant(
    *,
    user: Any,
    board: Board,
    role: str,
    school: School | None,
    active_from: date,
    actor: Any,
    now: datetime,
) -> Membership:
    """Give a user a role (at a school, or board-wide); privileged roles notify the board and FG."""
    _refuse_self(user, actor)
    check_role_school(role, school)
    if school is not None and school.board_id != board.pk:
        raise ValidationError({"school": _("This school belongs to another board.")})
    with transaction.atomic():
        overlapping = Membership.objects.filter(user=user, board=board, school=school, role=role).filter(
            models.Q(active_to__isnull=True) | models.Q(active_to__gte=active_from)
        )
        if overlapping.exists():
            raise ValidationError(
                {"role": _("This person already holds this role here for (part of) that period.")},
                code="duplicate",
            )
        membership = Membership.objects.create(
            user=user, board=board, school=school, role=role, active_from=active_from
        )
        privileged = role in PRIVILEGED_ROLES
        record(
            "membership_granted",
            actor=actor,
            obj=membership,
            board=board,
            summary={
                "membership_id": membership.pk,
                "user_id": user.pk,
                "role": role,
                "school_id": school.pk if school is not None else None,
                "active_from": str(active_from),
                "privileged": privileged,
            },
            now=now,
        )
        if privileged:
            outbox_enqueue(
                kind=PRIVILEGED_GRANT_JOB,
                payload={"membership_id": membership.pk},
                board=board,
                school=school,
                key=f"{PRIVILEGED_GRANT_JOB}:{membership.pk}",
                now=now,
            )
    return membership


def membership_end(*, membership: Membership, active_to: date, actor: Any, now: datetime) -> Membership:
    """Set the last day of a role. Access follows on the next request; object grants are revoked."""
    _refuse_self(membership.user, actor)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if active_to < locked.active_from:
            raise ValidationError(
                {
                    "active_to": _(
                        "This role starts on %(start)s. The last day cannot lie before the first day."
                    )
                    % {"start": locked.active_from.strftime("%d-%m-%Y")}
                },
                code="order",
            )
        if locked.active_to is not None and locked.active_to < timezone.localdate(now):
            raise ValidationError(_("This role has already ended."), code="ended")
        previous = locked.active_to
        locked.active_to = active_to
        locked.save(update_fields=["active_to"])
        revoked = grants_revoke_for_membership_end(membership=locked, day=timezone.localdate(now))
        record(
            "membership_ended",
            actor=actor,
            obj=locked,
            summary={
                "membership_id": locked.pk,
                "user_id": locked.user_id,
                "role": locked.role,
                "school_id": locked.school_id,
                "active_to": str(active_to),
                "previous_active_to": str(previous) if previous else None,
                "grants_revoked": revoked,
            },
            now=now,
        )
    return locked


# --- Per-object grants (django-guardian, through the wrapper in permissions.py) -------------


@dataclass(frozen=True)
class GrantedModel:
    """A model whose rows can be shared with a single user by a per-object grant.

    The model carries `school` and `board` like every tenant table; grants on its rows are
    revoked when the user's membership there ends.
    """

    model: type[models.Model]
    perms: tuple[str, ...]


# Extended by the process apps that share single objects (e.g. a Meldcode case with a teacher).
OBJECT_GRANT_REGISTRY: list[GrantedModel] = []


def grants_revoke_for_membership_end(
    *, membership: Membership, day: date, registry: Iterable[GrantedModel] | None = None
) -> int:
    """Revoke the user's per-object grants at the membership's school (or the whole board, for a
    board-wide role), unless another membership of theirs at that same school (or another
    board-wide one) stays active after the end. Returns the number of grants revoked.

    Grants go when the end is recorded, also for an end date in the future: a per-object
    exception is an exception, and whoever shared the object can share it again if still needed.
    """
    user = membership.user
    after = max(day, membership.active_to or day) + timedelta(days=1)
    remaining = (
        Membership.objects.active_on(after)
        .filter(user=user, board_id=membership.board_id)
        .exclude(pk=membership.pk)
    )
    if membership.school_id is None:
        remaining = remaining.filter(school__isnull=True)
    else:
        remaining = remaining.filter(school_id=membership.school_id)
    if remaining.exists():
        return 0
    revoked = 0
    for entry in OBJECT_GRANT_REGISTRY if registry is None else registry:
        scope = entry.model._default_manager.filter(board_id=membership.board_id)
        if membership.school_id is not None:
            scope = scope.filter(school_id=membership.school_id)
        for perm in entry.perms:
            for obj in objects_granted(user, perm, scope):
                revoke_object(user, perm, obj)
                revoked += 1
    return revoked


# --- Notifications --------------------------------------------------------------------------


PRIVILEGED_GRANT_JOB = "email.privileged_grant"


@job_handler(PRIVILEGED_GRANT_JOB)
def notify_privileged_grant(membership_id: int, now: datetime | None = None) -> int:
    """E-mail every active board member and FG of the membership's board that a privileged role
    was granted. No names, no role holder: just the board and a link. Returns mails sent.

    The outbox handler for `email.privileged_grant`: `membership_grant` writes the outbox row in
    its transaction and a worker (Celery or `run_jobs`) calls this with the id.
    """
    membership = Membership.objects.select_related("board").filter(pk=membership_id).first()
    if membership is None:
        return 0
    board = membership.board
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    user_model = get_user_model()
    recipients = list(
        user_model.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active_on(today)
            .filter(board=board, role__in=[Role.BOARD, Role.PRIVACY_OFFICER], school__isnull=True)
            .values("user_id"),
        )
        .exclude(email="")
        .exclude(pk=membership.user_id)  # the oversight is for the others, not the new holder
        .order_by("pk")
        .values_list("email", flat=True)
    )
    subject = _("LEV: a privileged role was granted")
    body = "\n\n".join(
        [
            _("A privileged role was granted in LEV (board %(board)s). See the audit log.")
            % {"board": board.name},
            settings.LEV_BASE_URL.rstrip("/") + "/",
        ]
    )
    sent = 0
    for address in recipients:
        # One message per recipient: nobody sees who else was told.
        sent += send_mail(subject, body, None, [address], fail_silently=False)
    return sent


# --- Users ----------------------------------------------------------------------------------


class _InvitationForm(PasswordResetForm):
    """Django's password-reset mail, sent to exactly one (new) user."""

    def __init__(self, user: Any) -> None:
        super().__init__(data={"email": user.email})
        self._user = user

    def get_users(self, email: str) -> Iterable[Any]:
        return [self._user] if self._user.is_active and self._user.email else []


def user_invitation_send(user_id: int) -> bool:
    """Send the 'choose your password' e-mail (a one-time reset link). Takes an id: task-ready."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    form = _InvitationForm(user)
    if not form.is_valid():
        return False
    base = urlsplit(settings.LEV_BASE_URL)
    board = Board.objects.filter(memberships__user=user).order_by("memberships__active_from").first()
    form.save(
        domain_override=base.netloc,
        use_https=base.scheme == "https",
        subject_template_name="schools/admin/emails/invitation_subject.txt",
        email_template_name="schools/admin/emails/invitation_body.txt",
        extra_email_context={
            "board_name": board.name if board else "",
            "base_url": settings.LEV_BASE_URL.rstrip("/"),
        },
    )
    return True


def user_create(
    *,
    board: Board,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    school: School | None,
    active_from: date,
    actor: Any,
    now: datetime,
) -> Any:
    """Create an account with its first role. No password is set or shown: the user receives an
    e-mail with a link to choose one."""
    user_model = get_user_model()
    username = username.strip().lower()
    email = email.strip().lower()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already in use. Choose another one.")})
    if email and user_model.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This e-mail address is already in use by another account.")})
    check_role_school(role, school)
    with transaction.atomic():
        user = user_model(username=username, first_name=first_name, last_name=last_name, email=email)
        # A long random password nobody knows: the person chooses their own through the e-mail link
        # (and can later use the ordinary password reset, which skips unusable passwords).
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        record(
            "user_created",
            actor=actor,
            obj=user,
            object_type="accounts.user",
            board=board,
            summary={"user_id": user.pk, "fields": ["username", "first_name", "last_name", "email"]},
            now=now,
        )
        membership_grant(
            user=user, board=board, role=role, school=school, active_from=active_from, actor=actor, now=now
        )
        user_id = user.pk
        transaction.on_commit(lambda: user_invitation_send(user_id))
    return user


def user_invite(*, user: Any, board: Board, actor: Any, now: datetime) -> None:
    """Send the 'choose your password' e-mail again (for example when the link expired)."""
    _refuse_self(user, actor)
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    if not user.email:
        raise ValidationError(_("This account has no e-mail address."))
    with transaction.atomic():
        record(
            "user_invitation_sent",
            actor=actor,
            obj=user,
            object_type="accounts.user",
            board=board,
            summary={"user_id": user.pk},
            now=now,
        )
        user_id = user.pk
        transaction.on_commit(lambda: user_invitation_send(user_id))


def user_deactivate_for_board(*, user: Any, boards: list[Board], actor: Any, now: datetime) -> None:
    """Deactivate an account and end all its sessions at once.

    Refused for one's own account, and for a person who still holds a role at a board the
    administrator does not administer (end the roles here instead; the other board decides).
    """
    from .admin_selectors import active_elsewhere

    _refuse_self(user, actor)
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."))
    if active_elsewhere(user, boards, today=timezone.localdate(now)):
        raise ValidationError(
            _(
                "This person also works for another board. End their roles at your board instead; "
                "only deactivate an account that no other board uses."
            ),
            code="other_board",
        )
    user_deactivate(user=user, actor=actor, now=now)


# --- Social map -----------------------------------------------------------------------------


def social_map_entry_create(
    *, school: School, fields: Mapping[str, Any], actor: Any, now: datetime
) -> SocialMapEntry:
    with transaction.atomic():
        entry = SocialMapEntry(board_id=school.board_id, school=school)
        for name in SOCIAL_MAP_FIELDS:
            if name in fields:
                setattr(entry, name, fields[name])
        entry.full_clean()
        entry.save()
        record(
            "social_map_entry_created",
            actor=actor,
            obj=entry,
            summary={"entry_id": entry.pk, "school_id": school.pk, "kind": entry.kind},
            now=now,
        )
    return entry


def social_map_entry_update(
    *, entry: SocialMapEntry, fields: Mapping[str, Any], changed: Iterable[str], actor: Any, now: datetime
) -> SocialMapEntry:
    with transaction.atomic():
        locked = SocialMapEntry.objects.select_for_update().get(pk=entry.pk)
        for name in SOCIAL_MAP_FIELDS:
            if name in fields:
                setattr(locked, name, fields[name])
        locked.full_clean()
        locked.save()
        record(
            "social_map_entry_updated",
            actor=actor,
            obj=locked,
            summary={
                "entry_id": locked.pk,
                "school_id": locked.school_id,
                "fields": sorted(set(changed) & set(SOCIAL_MAP_FIELDS)),
            },
            now=now,
        )
    return locked


def social_map_entry_delete(*, entry: SocialMapEntry, actor: Any, now: datetime) -> None:
    """The social map is configuration, not evidence: entries may be deleted (audited)."""
    with transaction.atomic():
        locked = SocialMapEntry.objects.select_for_update().get(pk=entry.pk)
        record(
            "social_map_entry_deleted",
            actor=actor,
            obj=locked,
            summary={"entry_id": locked.pk, "school_id": locked.school_id, "kind": locked.kind},
            now=now,
        )
        locked.delete()
