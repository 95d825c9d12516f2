"""Browser tests: Playwright (sync API) driving Debian's Chromium against a real LEV server.

Per test module a fresh PostgreSQL database is migrated and seeded with the demo data once, and
LEV runs under gunicorn in a subprocess, exactly as in production. Every page is watched for CSP
violations and JavaScript errors; any of them fails the test.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().parent / "output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_connection():
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lev")
    import dj_database_url

    cfg = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg["USER"] or "postgres",
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn, cfg


@dataclass
class LevServer:
    base_url: str
    env: dict[str, str]
    log: Path
    console_errors: list[str] = field(default_factory=list)

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(scope="module")
def lev_server(request) -> Iterator[LevServer]:
    conn, cfg = _admin_connection()
    dbname = f"lev_e2e_{os.getpid()}_{request.module.__name__.rsplit('.', 1)[-1]}"[:60]
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        cur.execute(f'CREATE DATABASE "{dbname}"')
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lev.settings",
            "DATABASE_URL": f"postgres://{cfg['USER'] or 'postgres'}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{dbname}",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "DJANGO_SECRET_KEY": "e2e-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LEV_HTTPS": "false",
            "LEV_DEMO": "true",
            "LEV_BASE_URL": f"http://127.0.0.1:{port}",
        }
    )
    OUTPUT.mkdir(exist_ok=True)
    log = OUTPUT / f"server-{dbname}.log"
    server = LevServer(base_url=f"http://127.0.0.1:{port}", env=env, log=log)
    server.manage("migrate", "--no-input", "--verbosity", "0")
    server.manage("seed_demo", "--quiet")
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "lev.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(server.url("/health"), timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"LEV did not start; see {log}") from None
                    time.sleep(0.3)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.close()


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    import importlib.metadata

    print(f"\nChromium {browser.version}, Playwright {importlib.metadata.version('playwright')}")
    yield browser
    browser.close()
    playwright.stop()


def watch(page, problems: list[str]) -> None:
    """Collect what fails a browser test on PAGE: CSP violations, console errors, JavaScript
    errors and failed requests of anything but the page itself."""

    def on_console(message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.append(f"console {message.type}: {text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    problems: list[str] = []
    watch(page, problems)
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not problems, "Browser reported problems:\n" + "\n".join(problems)


def sign_in(page, server: LevServer, username: str, password: str, *, totp: bool = True) -> None:
    """Sign in through the real form; the TOTP code comes from the demo's known secret."""
    page.goto(server.url("/account/inloggen/"))
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if totp:
        page.wait_for_url("**/account/tweestaps/**")
        code = server.manage("demo_otp", username).strip().split()[-1]
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Controleren").click()


def signed_in(browser, server: LevServer, username: str, password: str, problems: list[str]):
    """Another person's browser (a desktop), watched like the `page` fixture, signed in."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    watch(page, problems)
    sign_in(page, server, username, password)
    expect(page).to_have_url(re.compile(r"/$"))
    return page


def expect_message(page, text: str) -> None:
    """The flash message after an action says TEXT."""
    from playwright.sync_api import expect

    expect(page.locator(".lev-messages")).to_contain_text(text)


def shell_line(server: LevServer, code: str) -> str:
    """Run CODE in `manage.py shell` against the test server's database; its last printed line
    (the shell may print a line of its own first, its automatic imports)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def shell_json(server: LevServer, code: str):
    """`shell_line`, read as JSON."""
    return json.loads(shell_line(server, code))
