"""LEV's own system checks (SECURITY.md threat 13: misconfiguration).

Ordinary checks run with every management command; deploy checks (`check --deploy`) also cover
what the test settings deliberately change (the fast MD5 hasher) and what needs the database.

| id        | what                                                                  | kind   |
|-----------|-----------------------------------------------------------------------|--------|
| lev.E001  | absolute session age above 8 hours                                    | always |
| lev.E002  | idle timeout above 30 minutes                                         | always |
| lev.E003  | sessions not in the database (cache/Redis/cookies)                    | always |
| lev.E004  | no password validators                                                | always |
| lev.E005  | Argon2 not the first password hasher                                  | deploy |
| lev.E006  | no Content-Security-Policy                                            | always |
| lev.E007  | CSP allows 'unsafe-inline', 'unsafe-eval' or 'unsafe-hashes'          | always |
| lev.E008  | active demo accounts while LEV_DEMO is off                            | deploy |
| lev.E009  | the Django admin switched on in production                            | deploy |
| lev.E010  | idle timeout on sensitive pages above 15 minutes                      | always |
| lev.E011  | django-guardian would create an anonymous user account                | always |
| lev.E012  | Celery acknowledges tasks before running them                         | always |
| lev.W001  | the database could not be asked about demo accounts                   | deploy |
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError, connection

MAX_SESSION_SECONDS = 8 * 60 * 60
MAX_IDLE_SECONDS = 30 * 60
MAX_SENSITIVE_IDLE_SECONDS = 15 * 60
DATABASE_SESSION_ENGINE = "django.contrib.sessions.backends.db"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")


@register(Tags.security)
def check_sessions(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    absolute = max(settings.SESSION_COOKIE_AGE, getattr(settings, "LEV_ABSOLUTE_TIMEOUT_SECONDS", 0))
    if absolute > MAX_SESSION_SECONDS:
        errors.append(
            Error(
                "Sessions may last longer than 8 hours.",
                hint="Set SESSION_COOKIE_AGE and LEV_ABSOLUTE_TIMEOUT_SECONDS to at most 28800.",
                id="lev.E001",
            )
        )
    if settings.LEV_IDLE_TIMEOUT_SECONDS > MAX_IDLE_SECONDS:
        errors.append(Error("The idle timeout exceeds 30 minutes.", id="lev.E002"))
    if settings.SESSION_ENGINE != DATABASE_SESSION_ENGINE:
        errors.append(
            Error(
                "Sessions must live in the database, not in Redis, a cache or a cookie.",
                hint=f"SESSION_ENGINE = {DATABASE_SESSION_ENGINE!r}: LEV must keep working when Redis is down.",
                id="lev.E003",
            )
        )
    if settings.LEV_IDLE_TIMEOUT_SENSITIVE_SECONDS > MAX_SENSITIVE_IDLE_SECONDS:
        errors.append(Error("The idle timeout on sensitive pages exceeds 15 minutes.", id="lev.E010"))
    return errors


@register(Tags.security)
def check_password_validators(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not settings.AUTH_PASSWORD_VALIDATORS:
        return [
            Error(
                "AUTH_PASSWORD_VALIDATORS is empty: any password would be accepted.",
                id="lev.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_password_hasher(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # A deploy check: the test settings use the fast MD5 hasher on purpose.
    hashers = list(settings.PASSWORD_HASHERS)
    if not hashers or not hashers[0].endswith("Argon2PasswordHasher"):
        return [
            Error(
                "Argon2 must be the first password hasher.",
                hint=f"PASSWORD_HASHERS[0] = {ARGON2!r}",
                id="lev.E005",
            )
        ]
    return []


@register(Tags.security)
def check_csp(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE or not directives.get("default-src"):
        errors.append(
            Error(
                "A Content-Security-Policy must be configured.",
                hint=f"Add {CSP_MIDDLEWARE!r} to MIDDLEWARE and a default-src to CONTENT_SECURITY_POLICY.",
                id="lev.E006",
            )
        )
    for name, sources in directives.items():
        unsafe = sorted({s for s in (sources or ()) if s in UNSAFE_SOURCES})
        if unsafe:
            errors.append(
                Error(f"The CSP directive {name} allows {', '.join(unsafe)}.", id="lev.E007", obj=name)
            )
    return errors


@register(Tags.security, deploy=True)
def check_no_demo_users(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEMO_ALLOWED:
        return []
    from lev.accounts.models import User

    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: there are no accounts at all
        demo = User.objects.filter(is_demo=True, is_active=True).exists()
    except DatabaseError:
        return [
            Warning(
                "Could not check the database for demo accounts.",
                hint="Run `check --deploy` again when the database is reachable.",
                id="lev.W001",
            )
        ]
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
def check_admin_off(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.ADMIN_ENABLED and not settings.DEBUG:
        return [Error("The Django admin must be off in production (LEV_ADMIN).", id="lev.E009")]
    return []


@register(Tags.security)
def check_guardian_anonymous_user(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "ANONYMOUS_USER_NAME", "AnonymousUser") is not None:
        return [
            Error(
                "django-guardian would create an anonymous user account.",
                hint="Set ANONYMOUS_USER_NAME = None.",
                id="lev.E011",
            )
        ]
    return []


@register(Tags.security)
def check_celery_acks_late(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if not getattr(settings, "CELERY_TASK_ACKS_LATE", False) or not getattr(
        settings, "CELERY_TASK_REJECT_ON_WORKER_LOST", False
    ):
        return [
            Error(
                "Celery must acknowledge a task only after running it.",
                hint="Set CELERY_TASK_ACKS_LATE and CELERY_TASK_REJECT_ON_WORKER_LOST to True: a killed "
                "worker must not lose its task.",
                id="lev.E012",
            )
        ]
    return []
