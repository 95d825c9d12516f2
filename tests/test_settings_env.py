"""lev/settings.py is configured only from the environment; checked in fresh Python processes.

Each test starts a subprocess with a controlled environment (nothing inherited but PATH), imports
the real settings module and prints what it got.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s" * 20 + "-settings-test-secret-0123456789-abcdefghij"

DUMP = """
import json, django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "OPTIONS": db.get("OPTIONS", {}),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "EMBEDDED": s.EMBEDDED,
    "CACHE": s.CACHES["default"]["BACKEND"],
    "BROKER": s.CELERY_BROKER_URL,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "EMAIL_HOST_PASSWORD": s.EMAIL_HOST_PASSWORD,
    "EMAIL_PORT": s.EMAIL_PORT,
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "ADMIN_ENABLED": s.ADMIN_ENABLED,
    "DEMO_ALLOWED": s.DEMO_ALLOWED,
    "HTTPS": s.HTTPS,
    "HIJACK": s.CELERY_WORKER_HIJACK_ROOT_LOGGER,
}))
"""


def run_python(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lev.settings",
        # Keep the embedded default's files out of the source tree.
        "LEV_DATA_DIR": str(tmp_path / "data"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_in(env: dict[str, str], tmp_path: Path) -> dict:
    result = run_python(DUMP, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_missing_secret_key_stops_start_up_with_a_clear_message(tmp_path):
    result = run_python("import django; django.setup()", {}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set" in result.stderr


def test_empty_secret_key_is_refused_too(tmp_path):
    result = run_python("import django; django.setup()", {"DJANGO_SECRET_KEY": ""}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set" in result.stderr


def test_manage_py_check_refuses_to_run_without_a_secret(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LEV_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set" in result.stderr


def test_secret_key_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")  # the trailing newline is dropped
    values = settings_in({"DJANGO_SECRET_KEY_FILE": str(secret_file)}, tmp_path)
    assert values["SECRET_KEY"] == SECRET


def test_the_file_wins_over_the_plain_variable(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(SECRET, encoding="utf-8")
    values = settings_in(
        {"DJANGO_SECRET_KEY_FILE": str(secret_file), "DJANGO_SECRET_KEY": "the-other-one"}, tmp_path
    )
    assert values["SECRET_KEY"] == SECRET


def test_unreadable_secret_file_stops_start_up(tmp_path):
    result = run_python(
        "import django; django.setup()",
        {"DJANGO_SECRET_KEY_FILE": str(tmp_path / "does-not-exist")},
        tmp_path,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FILE points to an unreadable file" in result.stderr


def test_other_secrets_from_files(tmp_path):
    (tmp_path / "mail").write_text("smtp-password-from-file\n", encoding="utf-8")
    (tmp_path / "db").write_text("postgres://lev:pw@db.example.nl:5433/levdb\n", encoding="utf-8")
    values = settings_in(
        {
            "DJANGO_SECRET_KEY": SECRET,
            "LEV_EMAIL_PASSWORD_FILE": str(tmp_path / "mail"),
            "DATABASE_URL_FILE": str(tmp_path / "db"),
        },
        tmp_path,
    )
    assert values["EMAIL_HOST_PASSWORD"] == "smtp-password-from-file"
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "levdb"


def test_debug_is_off_by_default(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET}, tmp_path)
    assert values["DEBUG"] is False
    assert values["ADMIN_ENABLED"] is False
    assert values["DEMO_ALLOWED"] is False
    assert values["HTTPS"] is True
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]


def test_debug_can_be_switched_on(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET, "DJANGO_DEBUG": "true"}, tmp_path)
    assert values["DEBUG"] is True


def test_a_misspelt_boolean_stops_start_up(tmp_path):
    result = run_python(
        "import django; django.setup()", {"DJANGO_SECRET_KEY": SECRET, "DJANGO_DEBUG": "ja"}, tmp_path
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false, not 'ja'" in result.stderr


def test_a_non_numeric_port_stops_start_up(tmp_path):
    result = run_python(
        "import django; django.setup()", {"DJANGO_SECRET_KEY": SECRET, "LEV_EMAIL_PORT": "smtp"}, tmp_path
    )
    assert result.returncode != 0
    assert "LEV_EMAIL_PORT must be a whole number, not 'smtp'" in result.stderr


def test_an_unknown_log_level_stops_start_up(tmp_path):
    result = run_python(
        "import django; django.setup()", {"DJANGO_SECRET_KEY": SECRET, "LEV_LOG_LEVEL": "LOUD"}, tmp_path
    )
    assert result.returncode != 0
    assert "LEV_LOG_LEVEL must be" in result.stderr


def test_without_database_url_the_embedded_sqlite_default(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET}, tmp_path)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["EMBEDDED"] is True
    assert values["NAME"] == str(tmp_path / "data" / "lev.sqlite3")
    assert "PRAGMA journal_mode=WAL" in values["OPTIONS"]["init_command"]
    assert values["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert values["OPTIONS"]["timeout"] == 20  # the busy timeout, in seconds
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_with_database_url_postgresql_with_persistent_connections(tmp_path):
    values = settings_in(
        {"DJANGO_SECRET_KEY": SECRET, "DATABASE_URL": "postgres://lev:pw@127.0.0.1:5432/lev"}, tmp_path
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["EMBEDDED"] is False
    assert values["CONN_MAX_AGE"] == 600
    assert values["CONN_HEALTH_CHECKS"] is True


def test_without_redis_url_locmem_cache_and_memory_broker(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET}, tmp_path)
    assert values["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["BROKER"] == "memory://"


def test_with_redis_url_redis_cache_and_broker_but_sessions_stay_in_the_database(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET, "REDIS_URL": "redis://127.0.0.1:6379/3"}, tmp_path)
    assert values["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert values["BROKER"] == "redis://127.0.0.1:6379/3"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_celery_keeps_the_json_logging(tmp_path):
    values = settings_in({"DJANGO_SECRET_KEY": SECRET}, tmp_path)
    assert values["HIJACK"] is False


# --- Every variable the settings read is documented ---------------------------------------------

ENV_READERS = {"env", "env_bool", "env_list", "env_int", "env_required"}


def variables_read_by_settings() -> set[str]:
    tree = ast.parse((ROOT / "lev" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ENV_READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def documented_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_settings_read_the_variables_we_expect():
    # A sanity check of the parser: the variables every installation sets.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS", "LEV_HTTPS"} <= (
        variables_read_by_settings()
    )


def test_every_variable_is_documented_in_env_example():
    missing = variables_read_by_settings() - documented_variables()
    assert missing == set()


@pytest.mark.parametrize("name", ["DJANGO_SECRET_KEY", "DATABASE_URL", "LEV_EMAIL_PASSWORD"])
def test_secret_file_variants_are_documented(name):
    assert f"{name}_FILE" in documented_variables()
