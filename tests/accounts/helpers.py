"""Helpers for the account tests: signing in through the real login view and computing codes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.audit.models import AuditEvent

LOGIN_URL = "/account/inloggen/"
VERIFY_URL = "/account/tweestaps/"
SETUP_URL = "/account/tweestaps/instellen/"
AMS = ZoneInfo("Europe/Amsterdam")
# A Tuesday morning in term time, at the start of a 30-second TOTP step (Unix 1795507200 = 30 × 59850240).
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=AMS)
SCHOOL_NAT = "192.0.2.10"


def sign_in(client: Client, login: str, password: str, *, ip: str = SCHOOL_NAT):
    """POST the login form exactly as a browser does, from `ip`."""
    return client.post(LOGIN_URL, {"username": login, "password": password}, REMOTE_ADDR=ip)


def template_names(response) -> list[str]:
    return [t.name for t in getattr(response, "templates", []) if t.name]


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def code(device: TOTPDevice, at: dt.datetime | None = None) -> str:
    """The code the authenticator app shows at `at` (default: the current, possibly frozen, time)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("sequence").values_list("action", flat=True))


def redirect_path(response) -> str:
    """The path (without query) a redirect points to."""
    from urllib.parse import urlsplit

    assert response.status_code == 302, response.status_code
    return urlsplit(response["Location"]).path
