"""The embedded default, end to end: no DATABASE_URL, no REDIS_URL.

In a temporary directory: the whole migration chain on a fresh SQLite file, the demo seed, then
LEV under gunicorn. A demo teacher signs in through the real login and two-step pages with the
code computed from the demo account's published TOTP secret, and gets the start page with her
group on it. This is what `make run` does.
"""

from __future__ import annotations

import hashlib
import hmac
import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from lev.web.demo import DEMO_PASSWORD, demo_totp_key

ROOT = Path(__file__).resolve().parents[1]
TEACHER = "leerkracht.regenboog"  # teaches group 5 of CBS De Regenboog


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_env(tmp_path: Path, port: int) -> dict[str, str]:
    dropped = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lev.settings",
            "DJANGO_SECRET_KEY": "embedded-smoke-test-secret-key-0123456789-abcdefghij",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LEV_DATA_DIR": str(tmp_path),
            "LEV_SQLITE_PATH": str(tmp_path / "lev.sqlite3"),
            "LEV_DEMO": "true",
            "LEV_HTTPS": "false",
            "LEV_BASE_URL": f"http://127.0.0.1:{port}",
            "LEV_LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def totp_now(key: bytes) -> str:
    """RFC 6238 (30-second steps, six digits), written out here."""
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def wait_for_health(base: str, proc: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:  # noqa: S310
                return json.loads(response.read())
        except (OSError, urllib.error.URLError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"LEV did not start:\n{log.read_text()}") from None
            time.sleep(0.3)


def test_embedded_default_migrates_seeds_serves_and_lets_a_demo_teacher_sign_in(tmp_path):
    port = free_port()
    env = embedded_env(tmp_path, port)
    base = f"http://127.0.0.1:{port}"

    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "seed_demo", "--quiet")

    database = tmp_path / "lev.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # The teacher's group, as the start page must show it.
        (group, pupils) = db.execute(
            """
            SELECT g.name, COUNT(DISTINCT p.pupil_id)
            FROM schools_schoolgroup g
            JOIN schools_schoolgroup_teachers t ON t.schoolgroup_id = g.id
            JOIN accounts_user u ON u.id = t.user_id
            JOIN schools_schoolyear y ON y.id = g.school_year_id
            LEFT JOIN schools_groupplacement p ON p.group_id = g.id AND p.ends_on IS NULL
            WHERE u.username = ? AND y.starts_on <= date('now') AND y.ends_on >= date('now')
            GROUP BY g.name
            """,
            (TEACHER,),
        ).fetchone()
    assert group == "5"
    assert pupils > 5

    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "lev.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        health = wait_for_health(base, proc, log)
        assert health == {
            "status": "ok",
            "database": "ok",
            "redis": "niet geconfigureerd",
            "mode": "embedded",
        }

        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        with browser.open(f"{base}/account/inloggen/", timeout=10) as response:
            assert response.status == 200
            login_page = response.read().decode()
        assert 'name="username"' in login_page and 'name="password"' in login_page

        form = {"csrfmiddlewaretoken": csrf_token(login_page), "username": TEACHER, "password": DEMO_PASSWORD}
        with browser.open(
            f"{base}/account/inloggen/", data=urllib.parse.urlencode(form).encode(), timeout=10
        ) as response:
            # Signed in with the password: the second step is next.
            assert urllib.parse.urlparse(response.url).path == "/account/tweestaps/", response.url
            verify_page = response.read().decode()

        form = {"csrfmiddlewaretoken": csrf_token(verify_page), "token": totp_now(demo_totp_key(TEACHER))}
        with browser.open(
            f"{base}/account/tweestaps/", data=urllib.parse.urlencode(form).encode(), timeout=10
        ) as response:
            assert urllib.parse.urlparse(response.url).path == "/", response.url
            start_page = response.read().decode()

        assert 'id="section-my_groups"' in start_page
        assert re.search(rf">(Group|Groep) {group}</a>", start_page), start_page
        assert re.search(rf"{pupils} (pupils|leerlingen)", start_page)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
