"""`python manage.py run_jobs`: the embedded job runner for `make run` (no Redis needed).

A loop over the same functions the Celery tasks call: sweep (claim and run every due outbox
item), then reconcile (give back the items of a runner that died). Exactly one runner per data
directory: it holds an exclusive lock on a file there, because SQLite ignores row locks. Stops
cleanly on SIGTERM or SIGINT after the item it is running.
"""

from __future__ import annotations

import fcntl
import signal
import threading
import time
import uuid
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, transaction
from django.utils import timezone

from lev.deadlines.services import deadlines_sweep
from lev.jobs import services
from lev.jobs.handlers import PROBE

# As often as beat sends the housekeeping task.
HOUSEKEEPING_SECONDS = 300.0


def lock_path() -> Path:
    configured = getattr(settings, "LEV_JOBS_LOCK_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "run_jobs.lock"


class Command(BaseCommand):
    help = "Run LEV's background jobs (e-mails, letters, reminders) without Celery."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Sweep and reconcile once, then stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between sweeps (default 5).")
        parser.add_argument(
            "--probe",
            action="store_true",
            help="First write a probe item; when it runs, the audit log shows 'job_probe_ran'.",
        )
        parser.add_argument(
            "--status", action="store_true", help="Show the number of outbox items per status and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["probe"]:
            token = uuid.uuid4().hex
            with transaction.atomic():
                services.outbox_enqueue(kind=PROBE, payload={"probe": token}, key=f"{PROBE}:{token}")
            self.stdout.write(f"Probe written: {token}")
        if options["status"]:
            for status, count in services.status_counts().items():
                self.stdout.write(f"{status}: {count}")
            return
        path = lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+") as lock_file:
            try:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CommandError(
                    f"Another run_jobs is already running (it holds {path}). Only one may run at a time."
                ) from None
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        worker_id = f"run_jobs:{uuid.uuid4().hex[:12]}"
        if options["once"]:
            deadlines_sweep()
            ran = services.sweep(worker_id=worker_id)
            services.reconcile(now=timezone.now())
            services.housekeeping(now=timezone.now())
            self.stdout.write(f"Jobs run: {ran}")
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write(f"run_jobs started (every {options['interval']:g} s). Stop with Ctrl+C.")
        self.stdout.flush()
        last_housekeeping = 0.0
        while not stop.is_set():
            close_old_connections()
            try:
                deadlines_sweep()
                services.sweep(worker_id=worker_id)
                services.reconcile(now=timezone.now())
                if time.monotonic() - last_housekeeping >= HOUSEKEEPING_SECONDS:
                    services.housekeeping(now=timezone.now())
                    last_housekeeping = time.monotonic()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the runner
                self.stderr.write("run_jobs: a sweep failed; trying again.")
            stop.wait(options["interval"])
        self.stdout.write("run_jobs stopped.")
