"""`manage.py run_jobs`, the embedded runner, on a fresh SQLite file (no DATABASE_URL, no Redis):
it runs the same sweep as the Celery worker, exactly one runner holds the lock, and it stops
cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180  # seconds before giving up on something that should happen (never a timing assertion)

ENQUEUE = """
import datetime as dt
from django.db import transaction
from django.utils import timezone
from lev.jobs.services import outbox_enqueue
with transaction.atomic():
    for token in {tokens!r}:
        outbox_enqueue(kind="jobs.probe", payload={{"probe": token}}, key="jobs.probe:" + token)
    outbox_enqueue(
        kind="jobs.probe",
        payload={{"probe": "tomorrow"}},
        key="jobs.probe:tomorrow",
        run_after=timezone.now() + dt.timedelta(days=1),
    )
""".strip()


@pytest.fixture
def embedded(tmp_path: Path) -> dict[str, str]:
    dropped = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lev.settings",
            "DJANGO_SECRET_KEY": "embedded-jobs-test-secret-key-0123456789-abcdefghijkl",
            "LEV_DATA_DIR": str(tmp_path),
            "LEV_SQLITE_PATH": str(tmp_path / "lev.sqlite3"),
            "LEV_HTTPS": "false",
            "LEV_LOG_LEVEL": "WARNING",
        }
    )
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def rows(env: dict[str, str], sql: str) -> list[tuple]:
    with sqlite3.connect(env["LEV_SQLITE_PATH"]) as db:
        return db.execute(sql).fetchall()


def statuses(env: dict[str, str]) -> dict[str, str]:
    return dict(rows(env, "SELECT json_extract(payload, '$.probe'), status FROM jobs_outboxitem"))


def runs(env: dict[str, str]) -> dict[str, int]:
    return dict(
        rows(
            env,
            "SELECT object_id, COUNT(*) FROM audit_auditevent WHERE action='job_probe_ran' GROUP BY object_id",
        )
    )


def test_run_jobs_once_runs_the_due_items_on_sqlite(embedded):
    manage(embedded, "shell", "-c", ENQUEUE.format(tokens=["a1", "a2"]))
    result = manage(embedded, "run_jobs", "--once", "--probe")
    probe = result.stdout.split("Probe written: ")[1].split()[0]
    assert "Jobs run: 3" in result.stdout
    assert statuses(embedded) == {"a1": "done", "a2": "done", probe: "done", "tomorrow": "pending"}
    assert runs(embedded) == {"a1": 1, "a2": 1, probe: 1}

    again = manage(embedded, "run_jobs", "--once")
    assert "Jobs run: 0" in again.stdout
    assert runs(embedded) == {"a1": 1, "a2": 1, probe: 1}
    status = manage(embedded, "run_jobs", "--status").stdout.splitlines()
    assert status == ["pending: 1", "running: 0", "done: 3", "failed: 0", "dead: 0"]


def test_only_one_runner_at_a_time_and_it_stops_cleanly_on_sigterm(embedded):
    runner = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "run_jobs", "--interval", "0.5"],
        cwd=ROOT,
        env=embedded,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert runner.stdout is not None
        assert "run_jobs started" in runner.stdout.readline()

        second = manage(embedded, "run_jobs", "--once", check=False)
        assert second.returncode == 1
        assert "Another run_jobs is already running" in second.stderr
        assert "run_jobs.lock" in second.stderr

        # The running loop picks up work written while it runs.
        manage(embedded, "shell", "-c", ENQUEUE.format(tokens=["b1"]))
        deadline = time.monotonic() + WAIT
        while statuses(embedded).get("b1") != "done":
            assert time.monotonic() < deadline, "the runner never ran the new item"
            time.sleep(0.2)
        assert runs(embedded) == {"b1": 1}

        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=WAIT)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
    assert runner.returncode == 0, err
    assert "run_jobs stopped." in out
    # With the first runner gone, the lock is free again.
    assert "Jobs run: 0" in manage(embedded, "run_jobs", "--once").stdout
