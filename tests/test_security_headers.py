"""Security headers on real pages, cookie flags with LEV_HTTPS, and the /health JSON shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD, signed_in_client

ROOT = Path(__file__).resolve().parent.parent


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    directives = csp_directives(csp)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_login_page_headers():
    response = Client().get("/account/inloggen/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_start_page_headers_for_a_signed_in_user(world):
    response = signed_in_client(world.teacher_a).get("/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_error_pages_carry_the_headers_too(world):
    response = signed_in_client(world.teacher_a).get("/bestaat-niet/")
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
def test_health_carries_the_headers_and_is_not_cached():
    response = Client().get("/health")
    assert_security_headers(response)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# --- Cookies -------------------------------------------------------------------------------------


def settings_with(env: dict[str, str], tmp_path: Path) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SESSION_EXPIRE_AT_BROWSER_CLOSE')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "lev.settings",
            "DJANGO_SECRET_KEY": "cookie-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "LEV_DATA_DIR": str(tmp_path / "data"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_lev_https_cookies_are_secure_and_http_only(tmp_path):
    values = settings_with({"LEV_HTTPS": "true"}, tmp_path)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }


def test_https_is_the_default(tmp_path):
    values = settings_with({}, tmp_path)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True


def test_a_local_trial_over_http_drops_only_the_https_parts(tmp_path):
    values = settings_with({"LEV_HTTPS": "false"}, tmp_path)
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_the_cookies_on_the_wire_with_https_settings(world):
    client = Client()
    page = client.get("/account/inloggen/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    response = client.post(
        "/account/inloggen/",
        {"username": world.teacher_a.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # a browser-session cookie: gone when the browser closes


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
def test_plain_http_is_redirected_except_health():
    client = Client()
    page = client.get("/account/inloggen/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/account/inloggen/"
    health = client.get("/health")
    assert health.status_code == 200
    secure = client.get("/account/inloggen/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


# --- /health -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_json_shape():
    response = Client().get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "database", "redis", "mode"}
    assert body["status"] in {"ok", "degraded", "down"}
    assert body["database"] == "ok"
    assert body["redis"] in {"ok", "down", "niet geconfigureerd"}
    assert body["mode"] == "server"


@pytest.mark.django_db
def test_health_refuses_post():
    assert Client().post("/health").status_code == 405
