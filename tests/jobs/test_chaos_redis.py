"""Chaos: Redis loses every queued message, yet every job runs exactly once.

The test starts its own `redis-server` on a free port (never the machine's own Redis), without
persistence, like production. A real Celery worker (`celery -A lev worker --pool=solo`, a
subprocess on this test database) consumes the queue.

1. Items are written and their ids sent to Redis; Redis is stopped before any worker consumes
   them and started again, empty: the messages are gone, the rows are not.
2. A worker starts; the reconciler re-sends what is still pending; everything runs.
3. Redis is restarted again while the worker is connected (the pinned Celery 5.6 worker must
   survive that); new items and a reconcile after it run too.

"Ran" is counted in the database: one audit event per run of a probe.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings

from lev.audit.models import AuditEvent
from lev.jobs.handlers import PROBE
from lev.jobs.models import OutboxItem
from lev.jobs.services import dispatch, outbox_enqueue, reconcile

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"
WAIT = 180  # seconds before giving up on something that should happen (never a timing assertion)

pytestmark = pytest.mark.skipif(not Path(REDIS_SERVER).exists(), reason="redis-server is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, port: int, log: Path) -> None:
        assert port != 6379
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._answers, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def queued(self) -> int:
        return int(self.client().llen("celery"))

    def unacknowledged(self) -> int:
        return int(self.client().hlen("unacked"))


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}.")
        time.sleep(0.2)


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def start_worker(tmp_path: Path, redis_server: RedisServer) -> Iterator:
    processes: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "worker.log"

    def start() -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.settings",
                "DATABASE_URL": database_url(),
                "REDIS_URL": redis_server.url,
                "LEV_LOG_LEVEL": "WARNING",
            }
        )
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "lev",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def write_probes(tokens: list[str]) -> list[int]:
    # Written without the global broker: this test sends through its own Redis below.
    with override_settings(REDIS_URL=None), transaction.atomic():
        return [outbox_enqueue(kind=PROBE, payload={"probe": t}, key=f"{PROBE}:{t}").pk for t in tokens]


def done(ids: list[int]) -> bool:
    return OutboxItem.objects.filter(pk__in=ids, status="done").count() == len(ids)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_lost_when_redis_restarts_and_every_job_runs_exactly_once(redis_server, start_worker):
    app = Celery("lev-chaos", broker=redis_server.url)
    app.conf.broker_connection_retry_on_startup = True
    try:
        # 1. The fast path sends the ids; Redis dies before a worker takes them.
        first = write_probes([f"first{n}" for n in range(20)])
        assert dispatch(first, app=app) == 20
        assert redis_server.queued() == 20
        redis_server.stop()
        redis_server.start()
        assert redis_server.queued() == 0  # every message is gone
        assert OutboxItem.objects.filter(pk__in=first, status="pending").count() == 20

        # 2. A worker and the reconciler: everything still pending is sent again and runs.
        worker = start_worker()
        assert reconcile(app=app).sent == 20
        wait_for(lambda: done(first), "the first items to run")

        # 3. Redis restarts under the running worker. New items sent while it is down are lost
        #    from the queue too; the reconciler sends them again and the same worker runs them.
        redis_server.stop()
        second = write_probes([f"second{n}" for n in range(10)])
        assert dispatch(second, app=app) == 0  # Redis is down: the send fails, the rows stay
        redis_server.start()
        assert reconcile(app=app).sent == 10
        wait_for(lambda: done(second), "the second items to run after the restart")
        assert worker.poll() is None  # the worker survived both restarts
        # A late re-send of everything (a reconcile that overlaps the fast path) changes nothing.
        assert dispatch(first + second, app=app) == 30
        wait_for(
            lambda: redis_server.queued() == 0 and redis_server.unacknowledged() == 0,
            "the worker to finish the repeated messages",
        )
    finally:
        app.pool.force_close_all()

    runs = AuditEvent.objects.filter(action="job_probe_ran")
    assert runs.count() == 30
    assert not runs.values("object_id").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert OutboxItem.objects.filter(status="done", attempts=1).count() == 30
