"""LEV's own system checks (SECURITY.md threat 13). Run with `check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security)
def check_sessions(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SESSION_COOKIE_AGE > 8 * 60 * 60:
        errors.append(Error("SESSION_COOKIE_AGE exceeds 8 hours.", id="lev.E001"))
    if settings.LEV_IDLE_TIMEOUT_SECONDS > 30 * 60:
        errors.append(Error("The idle timeout exceeds 30 minutes.", id="lev.E002"))
    if settings.SESSION_ENGINE not in {
        "django.contrib.sessions.backends.db",
    }:
        errors.append(Error("Sessions must live in the database, not in Redis or a cache.", id="lev.E003"))
    return errors


@register(Tags.security)
def check_passwords(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if not settings.AUTH_PASSWORD_VALIDATORS:
        errors.append(Error("AUTH_PASSWORD_VALIDATORS is empty.", id="lev.E004"))
    if not settings.PASSWORD_HASHERS or not settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"):
        errors.append(
            Error("Argon2 must be the first password hasher.", id="lev.E005", hint="tests only may differ")
        )
    return errors


@register(Tags.security)
def check_csp(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES") or {}
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or not directives.get("default-src"):
        errors.append(Error("A Content-Security-Policy must be configured.", id="lev.E006"))
    for name, sources in directives.items():
        if any(s in ("'unsafe-inline'", "'unsafe-eval'") for s in sources):
            errors.append(Error(f"CSP {name} allows unsafe-inline/unsafe-eval.", id="lev.E007"))
    return errors


@register(Tags.security, deploy=True)
def check_no_demo_users(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.DEMO_ALLOWED:
        return []
    from lev.accounts.models import User

    try:
        demo = User.objects.filter(is_demo=True, is_active=True).exists()
    except DatabaseError:
        return []  # no tables yet: nothing to check
    if demo:
        return [
            Error(
                "Demo accounts with known passwords exist, but LEV_DEMO is not set.",
                hint="Deactivate them with `manage.py remove_demo_users`, or set LEV_DEMO=true outside production.",
                id="lev.E008",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_admin_off(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.ADMIN_ENABLED and not settings.DEBUG:
        return [Error("The Django admin must be off in production (LEV_ADMIN).", id="lev.E009")]
    return []
