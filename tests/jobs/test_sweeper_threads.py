"""Two sweepers at once over 1,000 due items on PostgreSQL: every item runs exactly once.

Each thread has its own database connection (closed at the end). "Ran" is counted in the
database (one audit event per run), not in memory.
"""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings

from lev.audit.models import AuditEvent
from lev.jobs.handlers import PROBE
from lev.jobs.models import OutboxItem
from lev.jobs.services import outbox_enqueue, sweep

T = dt.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
ITEMS = 1000


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_in_parallel_run_every_item_exactly_once():
    with override_settings(REDIS_URL=None), transaction.atomic():
        for n in range(ITEMS):
            outbox_enqueue(kind=PROBE, payload={"probe": f"p{n}"}, key=f"{PROBE}:p{n}", now=T)

    ran: dict[str, int] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sweeper(name: str) -> None:
        try:
            start.wait()
            ran[name] = sweep(now=T, worker_id=name, batch=10)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper, args=(name,)) for name in ("sweeper-1", "sweeper-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(ran.values()) == ITEMS
    assert OutboxItem.objects.filter(status="done", attempts=1).count() == ITEMS
    runs = AuditEvent.objects.filter(action="job_probe_ran")
    assert runs.count() == ITEMS
    assert runs.values("object_id").distinct().count() == ITEMS
    assert not runs.values("object_id").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # Who ran an item is the one who claimed it.
    by_worker = dict(OutboxItem.objects.values_list("claimed_by").annotate(n=Count("id")))
    assert by_worker == {name: count for name, count in ran.items() if count}
