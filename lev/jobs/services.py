"""The outbox, the sweeper and the reconciler (ARCHITECTURE.md §5).

- `outbox_enqueue` writes a row in the caller's transaction; when a broker is configured it
  sends the item's id to Celery after the commit (the fast path). Never an ETA or countdown:
  Redis keeps nothing on disk, PostgreSQL is the store of record.
- `claim` takes due rows with `select_for_update(skip_locked=True)` in a short transaction and
  gives them a lease; `execute` runs one claimed row's handler. The handler and "mark done" share
  one transaction, and "mark done" only succeeds while the lease is still ours, so database side
  effects happen exactly once even if two workers ever hold the same item.
- `sweep` = claim + execute until nothing is due; `run_item` claims and runs one item (the Celery
  task); `reconcile` gives back the items of workers that died and re-sends pending items to the
  queue. Every entry point can run twice without harm.

On SQLite (`make run`) row locks are ignored; LEV runs there with IMMEDIATE transactions and one
`run_jobs` runner guarded by a lock file, and the conditional updates below keep even two
runners from running an item twice.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import OutboxItem, OutboxStatus
from .registry import get_handler, housekeeping_tasks

logger = logging.getLogger(__name__)

RUN_ITEM_TASK = "lev.jobs.run_item"
CLAIMABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)
# A payload value is an id or an id-like token: never a name, a text or an e-mail address.
TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


def lease_seconds() -> int:
    return int(getattr(settings, "LEV_JOBS_LEASE_SECONDS", 300))


def retry_base_seconds() -> int:
    return int(getattr(settings, "LEV_JOBS_RETRY_BASE_SECONDS", 60))


def retry_max_seconds() -> int:
    return int(getattr(settings, "LEV_JOBS_RETRY_MAX_SECONDS", 3600))


def reconcile_grace_seconds() -> int:
    return int(getattr(settings, "LEV_JOBS_RECONCILE_GRACE_SECONDS", 120))


def broker_configured() -> bool:
    return bool(getattr(settings, "REDIS_URL", None))


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class LeaseLost(Exception):
    """The item was claimed by someone else while its handler ran; the handler's work is undone."""


class PayloadNotAllowed(ValueError):
    """A payload held something other than ids."""


def _check_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in payload.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise PayloadNotAllowed("Payload keys must be argument names.")
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, bool) or v is None or isinstance(v, int):
                continue
            if isinstance(v, str) and TOKEN.match(v):
                continue
            raise PayloadNotAllowed(f"Payload field {name!r} must hold ids only.")
        clean[name] = list(value) if isinstance(value, list | tuple) else value
    return clean


# --- Writing --------------------------------------------------------------------------------


def outbox_enqueue(
    *,
    kind: str,
    payload: Mapping[str, Any],
    board: Any | None = None,
    school: Any | None = None,
    key: str | None = None,
    run_after: datetime | None = None,
    now: datetime | None = None,
) -> OutboxItem:
    """Write a side effect as a row in the caller's transaction (call it inside one).

    With a `key` the item is written once: enqueueing the same key again returns the existing
    row. After the commit the id goes to Celery when a broker is configured; without one (the
    embedded `run_jobs`), or when Redis is down, the sweep picks the row up.
    """
    if get_handler(kind) is None:
        raise ValueError(f"No handler is registered for job kind {kind!r}.")
    clean = _check_payload(payload)
    key = key or f"{kind}:{uuid.uuid4().hex}"
    if not KEY.match(key):
        raise PayloadNotAllowed("An idempotency key must be an id-like token.")
    now = now or timezone.now()
    if school is not None and board is None:
        board = school.board
    try:
        with transaction.atomic():
            item = OutboxItem.objects.create(
                kind=kind,
                payload=clean,
                key=key,
                board=board,
                school=school,
                run_after=run_after or now,
                created_at=now,
                enqueued_at=now if broker_configured() else None,
            )
    except IntegrityError:
        existing = OutboxItem.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing
    if broker_configured() and (run_after is None or run_after <= now):
        item_id = item.pk
        transaction.on_commit(lambda: dispatch([item_id]), robust=True)
    return item


def dispatch(item_ids: Iterable[int], *, app: Any | None = None) -> int:
    """Send `lev.jobs.run_item` for each id. A failure (Redis down) is logged and left to the
    sweep and the reconciler: the row is what counts. Returns the number of messages sent."""
    if app is None:
        from lev.celery import app as lev_app

        app = lev_app
    sent = 0
    for item_id in item_ids:
        try:
            app.send_task(RUN_ITEM_TASK, args=[item_id], retry=False)
        except Exception as exc:  # noqa: BLE001 - the outbox row stays; the sweep takes over
            logger.warning("jobs_dispatch_failed", extra={"item_id": item_id, "error": type(exc).__name__})
            break
        sent += 1
    return sent


# --- Claiming and running -------------------------------------------------------------------


def _claimable(now: datetime) -> models.Q:
    due = models.Q(status__in=CLAIMABLE, run_after__lte=now)
    lease_expired = models.Q(status=OutboxStatus.RUNNING, claimed_until__lt=now)
    return due | lease_expired


def claim(*, batch: int, worker_id: str, now: datetime, item_id: int | None = None) -> list[int]:
    """Claim up to `batch` due items (or the one `item_id`) for `worker_id` with a lease.

    A short transaction: rows locked by another claimer are skipped, not waited for. Each row is
    then taken by an UPDATE that repeats the condition, so a database without row locks cannot
    hand the same row to two claimers either.
    """
    with transaction.atomic():
        query = OutboxItem.objects.select_for_update(skip_locked=True).filter(_claimable(now))
        if item_id is not None:
            query = query.filter(pk=item_id)
        ids = list(query.order_by("run_after", "id").values_list("id", flat=True)[:batch])
        if not ids:
            return []
        lease_until = now + timedelta(seconds=lease_seconds())
        claimed = []
        for candidate in ids:
            taken = (
                OutboxItem.objects.filter(pk=candidate)
                .filter(_claimable(now))
                .update(
                    status=OutboxStatus.RUNNING,
                    claimed_by=worker_id,
                    claimed_until=lease_until,
                    attempts=models.F("attempts") + 1,
                )
            )
            if taken:
                claimed.append(candidate)
    return sorted(claimed)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … failure, at most an hour."""
    seconds = retry_base_seconds() * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, retry_max_seconds()))


@dataclass(frozen=True)
class Outcome:
    item_id: int
    status: str


def execute(item_id: int, *, worker_id: str, now: datetime) -> Outcome:
    """Run the handler of an item this worker has claimed; mark it done, failed or dead."""
    item = OutboxItem.objects.get(pk=item_id)
    mine = OutboxItem.objects.filter(pk=item_id, status=OutboxStatus.RUNNING, claimed_by=worker_id)
    if item.status != OutboxStatus.RUNNING or item.claimed_by != worker_id:
        return Outcome(item_id, "not_claimed")
    handler = get_handler(item.kind)
    if handler is None:
        mine.update(status=OutboxStatus.DEAD, last_error="UnknownKind", claimed_until=None, done_at=None)
        logger.error("jobs_unknown_kind", extra={"item_id": item_id})
        return Outcome(item_id, OutboxStatus.DEAD)
    if item.attempts > handler.max_attempts:
        # Its last attempt never finished (the worker died holding it): give up, visibly.
        mine.update(status=OutboxStatus.DEAD, last_error="WorkerLost", claimed_until=None)
        logger.error("jobs_item_dead", extra={"item_id": item_id, "error": "WorkerLost"})
        return Outcome(item_id, OutboxStatus.DEAD)
    try:
        with transaction.atomic():
            handler.func(**item.payload, now=now)
            finished = mine.update(status=OutboxStatus.DONE, done_at=now, claimed_until=None, last_error="")
            if finished != 1:
                raise LeaseLost
    except LeaseLost:
        logger.warning("jobs_lease_lost", extra={"item_id": item_id})
        return Outcome(item_id, "lease_lost")
    except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then given up
        error = type(exc).__name__[:200]
        if item.attempts >= handler.max_attempts:
            mine.update(status=OutboxStatus.DEAD, last_error=error, claimed_until=None)
            logger.error("jobs_item_dead", extra={"item_id": item_id, "error": error})
            return Outcome(item_id, OutboxStatus.DEAD)
        mine.update(
            status=OutboxStatus.FAILED,
            last_error=error,
            claimed_until=None,
            run_after=now + backoff(item.attempts),
        )
        logger.warning("jobs_item_failed", extra={"item_id": item_id, "error": error})
        return Outcome(item_id, OutboxStatus.FAILED)
    return Outcome(item_id, OutboxStatus.DONE)


def run_item(item_id: int, *, worker_id: str | None = None, now: datetime | None = None) -> str:
    """Claim and run one item (the Celery task's body). An item that is done, not yet due or
    held by a live worker is left alone, so a message delivered twice does nothing twice."""
    worker_id = worker_id or default_worker_id()
    now = now or timezone.now()
    if not claim(batch=1, worker_id=worker_id, now=now, item_id=item_id):
        return "skipped"
    return execute(item_id, worker_id=worker_id, now=now).status


def sweep(*, now: datetime | None = None, worker_id: str | None = None, batch: int = 20) -> int:
    """Claim and run due items until none is left. Returns how many items were run.

    Without `now` the clock is read for every batch, so each lease starts when its batch is
    claimed; with `now` (tests) the whole sweep happens at that instant.
    """
    worker_id = worker_id or default_worker_id()
    ran = 0
    while True:
        at = now or timezone.now()
        ids = claim(batch=batch, worker_id=worker_id, now=at)
        if not ids:
            return ran
        for item_id in ids:
            execute(item_id, worker_id=worker_id, now=now or timezone.now())
            ran += 1


@dataclass(frozen=True)
class Reconciled:
    released: int
    given_up: int
    sent: int


def reconcile(*, now: datetime | None = None, app: Any | None = None) -> Reconciled:
    """Give back the items of workers that died, and re-send items still pending after the
    grace period to the queue (their first message may have been lost with Redis)."""
    now = now or timezone.now()
    released = given_up = 0
    with transaction.atomic():
        expired = list(
            OutboxItem.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.RUNNING, claimed_until__lt=now)
            .values_list("id", "kind", "attempts")
        )
        for item_id, kind, attempts in expired:
            handler = get_handler(kind)
            limit = handler.max_attempts if handler else 0
            rows = OutboxItem.objects.filter(pk=item_id, status=OutboxStatus.RUNNING, claimed_until__lt=now)
            if attempts >= limit:
                given_up += rows.update(status=OutboxStatus.DEAD, last_error="WorkerLost", claimed_until=None)
            else:
                released += rows.update(
                    status=OutboxStatus.PENDING, claimed_by="", claimed_until=None, run_after=now
                )
    sent = 0
    if app is not None or broker_configured():
        cutoff = now - timedelta(seconds=reconcile_grace_seconds())
        with transaction.atomic():
            stale = list(
                OutboxItem.objects.select_for_update(skip_locked=True)
                .filter(status__in=CLAIMABLE, run_after__lte=now)
                .filter(models.Q(enqueued_at__isnull=True) | models.Q(enqueued_at__lte=cutoff))
                .order_by("run_after", "id")
                .values_list("id", flat=True)[:1000]
            )
            OutboxItem.objects.filter(pk__in=stale).update(enqueued_at=now)
        if stale:
            sent = dispatch(stale, app=app)
    if released or given_up or sent:
        logger.info("jobs_reconciled", extra={"released": released, "given_up": given_up, "sent": sent})
    return Reconciled(released=released, given_up=given_up, sent=sent)


def housekeeping(*, now: datetime | None = None) -> dict[str, int]:
    """Run every registered housekeeping task (`lev.jobs.registry.housekeeping`); a failing one is
    logged and does not stop the others. Returns the count each one reported."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for name, func in sorted(housekeeping_tasks().items()):
        try:
            done[name] = func(now)
        except Exception:  # noqa: BLE001 - one purge failing must not stop the others
            logger.exception("housekeeping_failed", extra={"task": name})
    return done


def status_counts() -> dict[str, int]:
    counts = {status.value: 0 for status in OutboxStatus}
    for row in OutboxItem.objects.values("status").annotate(n=models.Count("id")):
        counts[row["status"]] = row["n"]
    return counts
