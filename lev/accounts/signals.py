"""Audit rows for sign-in events; bookkeeping of a user's sessions."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lev.audit.services import record

from .lockout import normalised_login
from .middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from .models import User, UserSession


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        # The absolute (8 h) and idle timeouts count from the moment of signing in.
        now = time.time()
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_SEEN] = now
        if not request.session.session_key:
            request.session.save()
        UserSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})
    record("login", actor=user, obj=user, object_type="accounts.user", ip_address=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
    if user is not None:
        record("logout", actor=user, obj=user, object_type="accounts.user", ip_address=client_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    login = normalised_login(credentials.get("username") or "")
    user = User.objects.filter(username=login).first()
    # Never store the typed login of an unknown account (it may be a mistyped password).
    record(
        "login_failed",
        actor=None,
        object_type="accounts.user",
        object_id=user.pk if user else "",
        summary={"known_account": user is not None},
        ip_address=client_ip(request),
    )
