"""Session timeouts and the two-factor gate.

Login itself is required by Django's LoginRequiredMiddleware (views opt out with
`login_not_required`). A session without a verified device reaches nothing but the 2FA pages and
logout, unless the user is exempt (see policy.two_factor_required).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .policy import two_factor_required

SESSION_LOGIN_AT = "lev_login_at"
SESSION_LAST_SEEN = "lev_last_seen"


def allow_unverified(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view reachable by a signed-in user who has not yet passed the second factor."""
    view.lev_allow_unverified = True  # type: ignore[attr-defined]
    return view


def sensitive_idle_timeout(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as sensitive: the shorter idle timeout (15 minutes) applies."""
    view.lev_sensitive = True  # type: ignore[attr-defined]
    return view


def passive_request(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that the page polls by itself (a progress bar): it is subject to the timeouts
    but does not count as activity, so an open page cannot keep the session alive."""
    view.lev_passive = True  # type: ignore[attr-defined]
    return view


class SessionTimeoutMiddleware:
    """Idle timeout (30 min; 15 on sensitive pages) and an absolute maximum of 8 hours."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = time.time()
        session = request.session
        login_at = session.get(SESSION_LOGIN_AT)
        last_seen = session.get(SESSION_LAST_SEEN)
        if login_at is None:
            session[SESSION_LOGIN_AT] = login_at = now
        if last_seen is None:
            last_seen = now
        idle_limit = (
            settings.LEV_IDLE_TIMEOUT_SENSITIVE_SECONDS
            if getattr(view_func, "lev_sensitive", False)
            else settings.LEV_IDLE_TIMEOUT_SECONDS
        )
        if now - login_at > settings.LEV_ABSOLUTE_TIMEOUT_SECONDS or now - last_seen > idle_limit:
            from lev.audit.services import record

            record("session_timeout", actor=request.user, summary={"idle": now - last_seen > idle_limit})
            logout(request)
            messages.info(request, _("Your session has expired. Please sign in again."))
            return redirect(settings.LOGIN_URL)
        if not getattr(view_func, "lev_passive", False):
            session[SESSION_LAST_SEEN] = now
        return None


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(view_func, "lev_allow_unverified", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public views: login page, password reset, health
        if user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        if not two_factor_required(user):
            return None
        from django_otp import devices_for_user

        if any(True for _d in devices_for_user(user, confirmed=True)):
            target = reverse("accounts:verify")
            if request.method == "GET":
                # Back to the page asked for once the code is entered (verify checks it is ours).
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return redirect("accounts:setup_2fa")
