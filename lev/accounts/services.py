"""Account services: passwords, two-factor devices, sessions, deactivation, deputies and the board's
two-factor decision.

Every write owns its transaction and leaves an audit row. Audit summaries hold ids, field names and
counts only: never a typed login, a password, a code or free text.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.audit.services import record
from lev.schools.models import Board, Membership, Role

from .models import Deputy, User, UserSession

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
USER = "accounts.user"


# --- Two-factor devices ---------------------------------------------------------------------


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (created once, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="LEV", confirmed=False)
    return device


def backup_codes_generate(*, user: User, actor: Any, now: datetime) -> list[str]:
    """Replace the user's static backup codes; return them (shown once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="backup", defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        record(
            "backup_codes_generated",
            actor=actor,
            obj=user,
            object_type=USER,
            summary={"count": len(codes)},
            now=now,
        )
    return codes


def backup_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_device_confirm(*, user: User, device: TOTPDevice, now: datetime) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("totp_confirmed", actor=user, obj=user, object_type=USER, now=now)


@dataclass(frozen=True)
class OtpResult:
    """The outcome of one code entered on the verification page."""

    device: Device | None
    throttled: bool = False

    @property
    def verified(self) -> bool:
        return self.device is not None


def otp_verify(*, user: User, token: str, now: datetime, ip_address: str | None = None) -> OtpResult:
    """Check a code against the user's confirmed devices: the authenticator app, then backup codes.

    The devices are locked for the check, so one code cannot pass twice in parallel. django-otp
    refuses a TOTP code of a time step that was already used (`last_t`), deletes a backup code
    once used, and throttles failures with an exponential back-off. Every failure is audited.
    """
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(token):
                record(
                    "otp_verified",
                    actor=user,
                    obj=user,
                    object_type=USER,
                    summary={"device": type(device).__name__},
                    ip_address=ip_address,
                    now=now,
                )
                return OtpResult(device=device)
        record(
            "otp_failed",
            actor=user,
            obj=user,
            object_type=USER,
            summary={"throttled": throttled},
            ip_address=ip_address,
            now=now,
        )
    return OtpResult(device=None, throttled=throttled)


# --- Sessions -------------------------------------------------------------------------------


def session_track(*, user: User, session_key: str, replaces: str = "") -> None:
    """Remember that a database session belongs to the user (its key changes on login and on a
    password change), so that all of a user's sessions can be ended at once."""
    if replaces and replaces != session_key:
        UserSession.objects.filter(session_key=replaces).delete()
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def sessions_end_all(*, user: User, except_key: str | None = None) -> int:
    """End every session of the user at once (deactivation, password reset); with `except_key`,
    every session but that one (a password change keeps the session it was made in)."""
    tracked = UserSession.objects.filter(user=user)
    if except_key:
        tracked = tracked.exclude(session_key=except_key)
    keys = list(tracked.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return deleted


def user_deactivate(*, user: User, actor: Any, now: datetime) -> None:
    with transaction.atomic():
        user.is_active = False
        user.deactivated_at = now
        user.save(update_fields=["is_active", "deactivated_at"])
        ended = sessions_end_all(user=user)
        record(
            "user_deactivated",
            actor=actor,
            obj=user,
            object_type=USER,
            summary={"sessions_ended": ended},
            now=now,
        )


# --- Passwords ------------------------------------------------------------------------------


def password_reset_users(email: str) -> list[User]:
    """Active accounts with this e-mail address (case-insensitive) that may reset a password."""
    email = (email or "").strip().lower()
    if not email:
        return []
    return list(User.objects.filter(email__iexact=email, is_active=True))


def password_reset_link(user: User) -> str:
    """The one-time link for the e-mail, built on LEV's own base URL (never the request's Host)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{(settings.LEV_BASE_URL or '').rstrip('/')}{path}"


def password_reset_request(*, email: str, now: datetime, ip_address: str | None = None) -> int:
    """Send a reset link to each active account with this address; return how many were sent.

    The caller shows the same page whatever the outcome, so nobody learns from LEV whether an
    account exists. The audit row (id only) is written only for a known account; an unknown
    address leaves no trace of what was typed.
    """
    sent = 0
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    for user in password_reset_users(email):
        context = {"user": user, "link": password_reset_link(user), "hours": hours}
        subject = "".join(
            loader.render_to_string("accounts/password_reset_subject.txt", context).splitlines()
        )
        body = loader.render_to_string("accounts/password_reset_email.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        try:
            message.send()
        except Exception:  # the page must look the same; the operator sees the log line
            logger.exception("Password reset e-mail could not be sent to user %s", user.pk)
            continue
        record(
            "password_reset_requested",
            actor=None,
            obj=user,
            object_type=USER,
            ip_address=ip_address,
            now=now,
        )
        sent += 1
    return sent


def _password_set(user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)


def password_reset_complete(
    *, user: User, password: str, now: datetime, ip_address: str | None = None
) -> int:
    """Set the new password from a reset link and end every session of the user.

    Nobody is signed in by this: the user signs in again with the new password and the second
    factor, so a reset link never replaces the authenticator app.
    """
    with transaction.atomic():
        _password_set(user, password)
        ended = sessions_end_all(user=user)
        record(
            "password_reset_completed",
            actor=user,
            obj=user,
            object_type=USER,
            summary={"sessions_ended": ended},
            ip_address=ip_address,
            now=now,
        )
    return ended


def password_change(*, user: User, password: str, current_session_key: str, now: datetime) -> int:
    """Change the password of a signed-in user and end their other sessions."""
    with transaction.atomic():
        _password_set(user, password)
        ended = sessions_end_all(user=user, except_key=current_session_key)
        record(
            "password_changed",
            actor=user,
            obj=user,
            object_type=USER,
            summary={"sessions_ended": ended},
            now=now,
        )
    return ended


# --- The board's two-factor decision for teachers ---------------------------------------------


def holds_board_role(user: Any, board: Board, *, day: date) -> bool:
    return Membership.objects.active_on(day).filter(user=user, board=board, role=Role.BOARD).exists()


def board_teachers_2fa_exemption_set(
    *, board: Board, exempt: bool, reason: str, actor: Any, now: datetime
) -> Board:
    """Record the board's decision whether teachers may sign in without the second factor.

    Only a member of that board's board role decides; the decision, who made it, when and why are
    kept on the board and shown on the policy page. It takes effect on every user's next request.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    with transaction.atomic():
        board = Board.objects.select_for_update().get(pk=board.pk)
        if not holds_board_role(actor, board, day=timezone.localdate(now)):
            raise PermissionDenied
        previous = board.teachers_2fa_exempt
        board.teachers_2fa_exempt = exempt
        board.teachers_2fa_exempt_decided_by = actor
        board.teachers_2fa_exempt_decided_at = now
        board.teachers_2fa_exempt_reason = reason
        board.save(
            update_fields=[
                "teachers_2fa_exempt",
                "teachers_2fa_exempt_decided_by",
                "teachers_2fa_exempt_decided_at",
                "teachers_2fa_exempt_reason",
            ]
        )
        record(
            "teachers_2fa_exemption_changed",
            actor=actor,
            board=board,
            obj=board,
            summary={"exempt": exempt, "previous": previous},
            now=now,
        )
    return board


# --- Deputies -------------------------------------------------------------------------------


def deputy_add(
    *, user: User, deputy: User, starts_on: date, ends_on: date, actor: Any, now: datetime
) -> Deputy:
    """Name a deputy for a period (both days included). Approvals and reminders for the user then
    also go to the deputy on those days (see selectors.recipients_for)."""
    from .selectors import deputy_candidates

    if deputy.pk == user.pk:
        raise ValidationError({"deputy": _("You cannot be your own deputy.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    today = timezone.localdate(now)
    if ends_on < today:
        raise ValidationError(
            {"ends_on": _("The period has already ended. Choose a last day from today on.")}
        )
    with transaction.atomic():
        if not deputy_candidates(user, day=today).filter(pk=deputy.pk).exists():
            raise ValidationError(
                {"deputy": _("Choose a colleague who works at one of your schools or boards.")}
            )
        overlapping = Deputy.objects.filter(
            user=user,
            deputy=deputy,
            revoked_at__isnull=True,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        ).exists()
        if overlapping:
            raise ValidationError(
                {"deputy": _("This colleague is already your deputy for part of this period.")}
            )
        entry = Deputy.objects.create(user=user, deputy=deputy, starts_on=starts_on, ends_on=ends_on)
        record(
            "deputy_added",
            actor=actor,
            obj=entry,
            summary={
                "user_id": user.pk,
                "deputy_id": deputy.pk,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
            now=now,
        )
    return entry


def deputy_revoke(*, entry: Deputy, actor: Any, now: datetime) -> Deputy:
    """Withdraw a deputy; from now on nothing goes to them for this user. Revoking twice is a no-op."""
    with transaction.atomic():
        entry = Deputy.objects.select_for_update().get(pk=entry.pk)
        if entry.revoked_at is not None:
            return entry
        entry.revoked_at = now
        entry.save(update_fields=["revoked_at"])
        record(
            "deputy_revoked",
            actor=actor,
            obj=entry,
            summary={"user_id": entry.user_id, "deputy_id": entry.deputy_id},
            now=now,
        )
    return entry
