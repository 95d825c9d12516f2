"""Account services: two-factor devices, sessions, deactivation."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.audit.services import record

from .models import User, UserSession

BACKUP_CODE_COUNT = 10


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
        record("backup_codes_generated", actor=actor, obj=user, object_type="accounts.user", now=now)
    return codes


def totp_device_confirm(*, user: User, device: TOTPDevice, now: datetime) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("totp_confirmed", actor=user, obj=user, object_type="accounts.user", now=now)


def sessions_end_all(*, user: User) -> int:
    """End every session of the user at once (deactivation, password change by reset)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
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
            object_type="accounts.user",
            summary={"sessions_ended": ended},
            now=now,
        )
