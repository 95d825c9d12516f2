"""Production readiness: `check --deploy`, migrations, docker-compose.yml, Dockerfile, gunicorn.

`check --deploy --fail-level WARNING` and `makemigrations --check` run in subprocesses with
production-like variables against a throwaway PostgreSQL database that this module creates,
migrates (in a subprocess) and drops.

These machines have no Docker engine: the compose file and the Dockerfile are validated by parsing
them, and the exact gunicorn command line of the compose file is started here to prove its access
log carries no query strings.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lev"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


# --- A throwaway PostgreSQL database -------------------------------------------------------------


def server_params() -> dict:
    parsed = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    params = {"host": parsed["HOST"] or "127.0.0.1", "port": parsed["PORT"] or 5432, "user": parsed["USER"]}
    if parsed.get("PASSWORD"):
        params["password"] = parsed["PASSWORD"]
    return params


def admin_execute(sql: str) -> None:
    connection = psycopg2.connect(dbname="postgres", **server_params())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def database_url(name: str) -> str:
    params = server_params()
    auth = params["user"] + (f":{params['password']}" if "password" in params else "")
    return f"postgres://{auth}@{params['host']}:{params['port']}/{name}"


@pytest.fixture(scope="module")
def throwaway_database() -> Iterator[str]:
    name = f"lev_deploy_{uuid.uuid4().hex[:12]}"
    admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": db_url,
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "DJANGO_ALLOWED_HOSTS": "lev.example.nl",
        "LEV_HTTPS": "true",
        "LEV_DATA_DIR": str(tmp_path / "data"),
    }
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated_database(throwaway_database, tmp_path_factory) -> str:
    env = production_env(throwaway_database, tmp_path_factory.mktemp("migrate"))
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return throwaway_database


# --- check --deploy and makemigrations ----------------------------------------------------------


def test_check_deploy_is_clean_with_production_variables(migrated_database, tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(migrated_database, tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_makemigrations_check_finds_no_missing_migration(migrated_database, tmp_path):
    result = manage("makemigrations", "--check", "--dry-run", env=production_env(migrated_database, tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("extra", "expected_ids"),
    [
        ({"LEV_HTTPS": "false"}, ["security.W004", "security.W008", "security.W012", "security.W016"]),
        ({"DJANGO_DEBUG": "true"}, ["security.W018"]),
        ({"LEV_ADMIN": "true"}, ["lev.E009"]),
    ],
)
def test_check_deploy_fails_on_unsafe_variables(migrated_database, tmp_path, extra, expected_ids):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(migrated_database, tmp_path, **extra),
    )
    assert result.returncode != 0
    for check_id in expected_ids:
        assert check_id in result.stderr


def test_check_deploy_fails_on_a_short_secret_key(migrated_database, tmp_path):
    env = production_env(migrated_database, tmp_path, DJANGO_SECRET_KEY="short-key")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_check_deploy_fails_while_a_demo_account_exists(migrated_database, tmp_path):
    env = production_env(migrated_database, tmp_path)
    create = manage(
        "shell",
        "-c",
        "from lev.accounts.models import User; "
        "User.objects.create_user(username='demo-leerkracht', password=None, is_demo=True)",
        env=env,
    )
    assert create.returncode == 0, create.stderr
    try:
        refused = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        assert refused.returncode != 0
        assert "lev.E008" in refused.stderr
        assert "remove_demo_users" in refused.stderr

        # Outside production LEV_DEMO=true allows them.
        allowed = manage("check", "--deploy", "--fail-level", "WARNING", env={**env, "LEV_DEMO": "true"})
        assert allowed.returncode == 0, allowed.stderr
    finally:
        removed = manage(
            "shell",
            "-c",
            "from lev.accounts.models import User; User.objects.filter(is_demo=True).delete()",
            env=env,
        )
        assert removed.returncode == 0, removed.stderr


# --- docker-compose.yml -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def documented_variables() -> set[str]:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(str(part) for part in command)


def gunicorn_argv(compose: dict) -> list[str]:
    """The gunicorn command line that the web service execs (after check and migrate)."""
    text = command_text(compose["services"]["web"])
    return shlex.split(text.split("exec ", 1)[1])


def test_compose_has_the_five_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_compose_postgres_16_with_a_volume_and_healthcheck(compose):
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_compose_redis_without_persistence(compose):
    redis = compose["services"]["redis"]
    assert redis["command"] == ["redis-server", "--save", "", "--appendonly", "no"]
    assert "volumes" not in redis
    assert "redis-cli" in redis["healthcheck"]["test"]


def test_compose_web_runs_checks_migrations_and_gunicorn(compose):
    web = compose["services"]["web"]
    text = command_text(web)
    assert text.index("check --deploy --fail-level WARNING") < text.index("migrate --no-input")
    assert text.index("migrate --no-input") < text.index("exec gunicorn lev.wsgi:application")
    argv = gunicorn_argv(compose)
    assert argv[:2] == ["gunicorn", "lev.wsgi:application"]
    log_format = argv[argv.index("--access-logformat") + 1]
    assert "%(U)s" in log_format
    for leaking in ("%(q)s", "%(r)s", "%(f)s", "%(a)s", "%({"):
        assert leaking not in log_format
    assert argv[argv.index("--access-logfile") + 1] == "-"


def test_compose_web_healthcheck_uses_health(compose):
    check = compose["services"]["web"]["healthcheck"]
    assert check["test"][0] == "CMD"
    assert "/health" in " ".join(check["test"])
    # The snippet is valid Python.
    compile(check["test"][-1], "healthcheck", "exec")


def test_compose_worker_and_beat_commands(compose):
    worker = compose["services"]["worker"]
    beat = compose["services"]["beat"]
    assert worker["command"][:4] == ["celery", "-A", "lev", "worker"]
    assert beat["command"][:4] == ["celery", "-A", "lev", "beat"]
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])


def test_compose_app_services_share_one_env_file_image_and_secrets(compose):
    services = compose["services"]
    app = [services[name] for name in ("web", "worker", "beat")]
    for service in app:
        assert service["env_file"] == ".env"
        assert service["environment"] == app[0]["environment"]
        assert service["image"] == app[0]["image"]
        assert service["build"] == "."
        assert service["environment"]["DJANGO_SECRET_KEY_FILE"] == "/run/secrets/django_secret_key"
        assert service["environment"]["DATABASE_URL_FILE"] == "/run/secrets/database_url"
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_compose_references_resolve(compose):
    services = compose["services"]
    declared_secrets = set(compose["secrets"])
    declared_volumes = set(compose["volumes"])
    for name, service in services.items():
        for secret in service.get("secrets", []):
            assert secret in declared_secrets, (name, secret)
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in declared_volumes, (name, volume)
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in services, (name, dependency)
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)


def test_every_compose_variable_is_documented_in_env_example():
    text = COMPOSE.read_text(encoding="utf-8")
    # ${VAR} and ${VAR:-default} are filled in by compose; $${VAR} / $$VAR are left to the container.
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert used, "the compose file uses variables: the pattern must find them"
    assert used - documented_variables() == set()


# --- Dockerfile and .dockerignore ---------------------------------------------------------------


def dockerignored() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dockerfile_builds_a_non_root_image_with_weasyprint_libraries():
    text = DOCKERFILE.read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert stages and all(image.startswith("python:3.11-slim") for image in stages)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "libpq5", "gettext"):
        assert package in text
    users = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic --no-input" in text
    assert "compilemessages" in text
    # The build-time secret is given per command, never baked into the environment.
    assert not re.search(r"^ENV[^\n]*SECRET", text, flags=re.MULTILINE)


def test_dockerfile_copies_only_existing_and_not_ignored_paths():
    text = DOCKERFILE.read_text(encoding="utf-8")
    ignored = dockerignored()
    for source in re.findall(r"^COPY (?!--from)(\S+) ", text, flags=re.MULTILINE):
        assert (ROOT / source).exists(), source
        assert source not in ignored, source
    for secret_like in (".env", "secrets", ".git", ".venv", "var"):
        assert secret_like in ignored


# --- gunicorn as the compose file runs it -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, host: str, process: subprocess.Popen) -> None:
    request = urllib.request.Request(url, headers={"Host": host})
    for _attempt in range(300):
        if process.poll() is not None:
            raise AssertionError("gunicorn exited before serving")
        try:
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310 (a local http URL)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # A worker still importing Django on a busy machine may not answer within 2 s.
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start serving")


def test_gunicorn_access_log_and_healthcheck_as_in_compose(compose, tmp_path):
    port = free_port()
    argv = gunicorn_argv(compose)
    argv[0] = str(Path(sys.executable).parent / "gunicorn")
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    workers = argv.index("--workers") + 1
    assert argv[workers] == "${LEV_WEB_WORKERS:-3}"
    argv[workers] = "1"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "lev.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "lev.example.nl",
        "LEV_HTTPS": "true",
        # The embedded default: /health only runs SELECT 1, no migrations needed.
        "LEV_DATA_DIR": str(tmp_path / "data"),
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base}/health", "lev.example.nl", process)
            search = urllib.request.Request(
                f"{base}/health?q=Anna+Jansen", headers={"Host": "lev.example.nl"}
            )
            with urllib.request.urlopen(search, timeout=5) as response:  # noqa: S310
                body = json.loads(response.read())
            assert body["status"] == "ok"
            assert body["redis"] == "niet geconfigureerd"

            # The compose healthcheck, pointed at this port.
            snippet = compose["services"]["web"]["healthcheck"]["test"][-1].replace(
                "127.0.0.1:8000", f"127.0.0.1:{port}"
            )
            check = subprocess.run(  # noqa: S603
                [sys.executable, "-c", snippet],
                env={**env, "DJANGO_ALLOWED_HOSTS": "lev.example.nl,www.lev.example.nl"},
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            assert check.returncode == 0, check.stderr
        finally:
            process.terminate()
            process.wait(timeout=30)
    output = log_path.read_text(encoding="utf-8")
    assert "Anna" not in output
    assert "q=" not in output
    access = [json.loads(line) for line in output.splitlines() if '"gunicorn.access"' in line]
    assert len(access) >= 3  # readiness probe(s), the search, the healthcheck
    assert {entry["path"] for entry in access} == {"/health"}
    assert {entry["status"] for entry in access} == {"200"}
    assert {entry["method"] for entry in access} == {"GET"}


# --- The operator guide --------------------------------------------------------------------------


def test_operator_guide_says_the_compose_file_was_validated_but_not_run():
    guide = (ROOT / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    assert "validates these files" in guide
    assert "has not been run against a Docker engine" in guide


def test_operator_guide_covers_every_variable_and_the_essential_commands():
    from tests.test_settings_env import variables_read_by_settings

    guide = (ROOT / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    missing = {name for name in variables_read_by_settings() if f"`{name}" not in guide}
    assert missing == set()
    for command in (
        "create_admin",
        "pg_dump -U lev -d lev -Fc",
        "pg_restore",
        "remove_demo_users",
        "migrate --no-input",
        "compilemessages",
        "collectstatic --no-input",
        "check --deploy --fail-level WARNING",
    ):
        assert command in guide, command
