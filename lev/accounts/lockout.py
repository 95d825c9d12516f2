"""Normalising the login name, so `jan`, `JAN ` and `jan@school.nl` share one lockout counter."""

from __future__ import annotations

from typing import Any


def normalised_login(login: str) -> str:
    """Map a typed login (username or e-mail, any case) to the account's username.

    Unknown e-mail addresses map to themselves (lower-cased), so they still get a counter.
    """
    from .models import User

    value = (login or "").strip().lower()
    if "@" in value:
        username = User.objects.filter(email=value).values_list("username", flat=True).first()
        if username:
            return username
    return value


def normalised_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE."""
    return normalised_login((credentials or {}).get("username") or "")
