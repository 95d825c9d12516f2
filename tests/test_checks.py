"""LEV's own system checks (lev/web/checks.py): each check function, each error id."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings

from lev.web import checks as lev_checks
from tests import factories as f

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def ids(messages) -> list[str]:
    return sorted(m.id for m in messages)


def csp_with(**directives) -> dict:
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"].update(directives)
    return policy


# --- The configured settings pass every check --------------------------------------------------


@pytest.mark.django_db
def test_the_real_settings_pass_every_lev_check_except_the_test_hasher():
    found = [
        *lev_checks.check_sessions(None),
        *lev_checks.check_password_validators(None),
        *lev_checks.check_csp(None),
        *lev_checks.check_no_demo_users(None),
        *lev_checks.check_admin_off(None),
        *lev_checks.check_guardian_anonymous_user(None),
        *lev_checks.check_celery_acks_late(None),
    ]
    assert found == []
    # The test settings swap in MD5 for speed: only the deploy check notices.
    assert ids(lev_checks.check_password_hasher(None)) == ["lev.E005"]


def test_ordinary_check_run_is_clean_with_the_test_settings():
    # The MD5 hasher of the test settings must not trip `manage.py check` (E005 is deploy-only).
    found = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id.startswith("lev.")]
    assert found == []


@pytest.mark.django_db
def test_deploy_run_includes_the_argon2_and_demo_checks():
    found = {m.id for m in checks.run_checks(include_deployment_checks=True) if m.id.startswith("lev.")}
    assert found == {"lev.E005"}


# --- Sessions ----------------------------------------------------------------------------------


@override_settings(SESSION_COOKIE_AGE=8 * 60 * 60 + 1)
def test_session_age_over_eight_hours():
    assert ids(lev_checks.check_sessions(None)) == ["lev.E001"]


@override_settings(LEV_ABSOLUTE_TIMEOUT_SECONDS=9 * 60 * 60)
def test_absolute_timeout_over_eight_hours():
    assert ids(lev_checks.check_sessions(None)) == ["lev.E001"]


@override_settings(SESSION_COOKIE_AGE=8 * 60 * 60, LEV_ABSOLUTE_TIMEOUT_SECONDS=8 * 60 * 60)
def test_exactly_eight_hours_is_allowed():
    assert lev_checks.check_sessions(None) == []


@override_settings(LEV_IDLE_TIMEOUT_SECONDS=31 * 60)
def test_idle_timeout_over_thirty_minutes():
    assert ids(lev_checks.check_sessions(None)) == ["lev.E002"]


@override_settings(LEV_IDLE_TIMEOUT_SENSITIVE_SECONDS=16 * 60)
def test_sensitive_idle_timeout_over_fifteen_minutes():
    assert ids(lev_checks.check_sessions(None)) == ["lev.E010"]


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
        "django.contrib.sessions.backends.signed_cookies",
    ],
)
def test_sessions_outside_the_database(engine):
    with override_settings(SESSION_ENGINE=engine):
        assert ids(lev_checks.check_sessions(None)) == ["lev.E003"]


# --- Passwords ---------------------------------------------------------------------------------


@override_settings(AUTH_PASSWORD_VALIDATORS=[])
def test_empty_password_validators():
    assert ids(lev_checks.check_password_validators(None)) == ["lev.E004"]


@pytest.mark.parametrize(
    "hashers",
    [
        ["django.contrib.auth.hashers.PBKDF2PasswordHasher", ARGON2],
        ["django.contrib.auth.hashers.MD5PasswordHasher"],
        [],
    ],
)
def test_argon2_must_come_first(hashers):
    with override_settings(PASSWORD_HASHERS=hashers):
        assert ids(lev_checks.check_password_hasher(None)) == ["lev.E005"]


@override_settings(PASSWORD_HASHERS=[ARGON2, "django.contrib.auth.hashers.PBKDF2PasswordHasher"])
def test_argon2_first_passes():
    assert lev_checks.check_password_hasher(None) == []


def test_argon2_check_is_a_deploy_check_and_the_validator_check_is_not():
    registry = checks.registry.registry
    assert lev_checks.check_password_hasher in registry.deployment_checks
    assert lev_checks.check_password_hasher not in registry.registered_checks
    assert lev_checks.check_password_validators in registry.registered_checks
    assert lev_checks.check_no_demo_users in registry.deployment_checks
    assert lev_checks.check_admin_off in registry.deployment_checks


# --- Content-Security-Policy -------------------------------------------------------------------


def test_csp_middleware_missing():
    middleware = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        assert ids(lev_checks.check_csp(None)) == ["lev.E006"]


@override_settings(CONTENT_SECURITY_POLICY=None)
def test_csp_policy_missing():
    assert ids(lev_checks.check_csp(None)) == ["lev.E006"]


@pytest.mark.parametrize("source", ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"])
def test_csp_unsafe_sources(source):
    with override_settings(CONTENT_SECURITY_POLICY=csp_with(**{"script-src": ["'self'", source]})):
        messages = lev_checks.check_csp(None)
    assert ids(messages) == ["lev.E007"]
    assert messages[0].obj == "script-src"


def test_csp_unsafe_inline_styles_too():
    with override_settings(CONTENT_SECURITY_POLICY=csp_with(**{"style-src": ["'self'", "'unsafe-inline'"]})):
        assert ids(lev_checks.check_csp(None)) == ["lev.E007"]


# --- Demo accounts -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_active_demo_user_without_lev_demo():
    f.UserFactory(username="demo-teacher", is_demo=True)
    with override_settings(DEMO_ALLOWED=False):
        messages = lev_checks.check_no_demo_users(None)
    assert ids(messages) == ["lev.E008"]
    assert "remove_demo_users" in messages[0].hint


@pytest.mark.django_db
def test_demo_user_allowed_with_lev_demo():
    f.UserFactory(username="demo-teacher", is_demo=True)
    with override_settings(DEMO_ALLOWED=True):
        assert lev_checks.check_no_demo_users(None) == []


@pytest.mark.django_db
def test_deactivated_demo_user_is_fine():
    f.UserFactory(username="demo-teacher", is_demo=True, is_active=False)
    with override_settings(DEMO_ALLOWED=False):
        assert lev_checks.check_no_demo_users(None) == []


@pytest.mark.django_db
def test_ordinary_users_are_not_demo_users():
    f.UserFactory(username="real-teacher")
    with override_settings(DEMO_ALLOWED=False):
        assert lev_checks.check_no_demo_users(None) == []


# --- Admin, guardian, Celery -------------------------------------------------------------------


@override_settings(ADMIN_ENABLED=True, DEBUG=False)
def test_admin_on_in_production():
    assert ids(lev_checks.check_admin_off(None)) == ["lev.E009"]


@override_settings(ADMIN_ENABLED=True, DEBUG=True)
def test_admin_allowed_while_debugging():
    assert lev_checks.check_admin_off(None) == []


@override_settings(ANONYMOUS_USER_NAME="AnonymousUser")
def test_guardian_anonymous_user():
    assert ids(lev_checks.check_guardian_anonymous_user(None)) == ["lev.E011"]


@pytest.mark.parametrize(
    "overrides",
    [{"CELERY_TASK_ACKS_LATE": False}, {"CELERY_TASK_REJECT_ON_WORKER_LOST": False}],
)
def test_celery_must_ack_late(overrides):
    with override_settings(**overrides):
        assert ids(lev_checks.check_celery_acks_late(None)) == ["lev.E012"]
