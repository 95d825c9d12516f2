"""Telling the IB and the director that a new signal or incident waits (ARCHITECTURE.md §8).

The e-mail never names a pupil, a category or any content: only that something waits for them in
LEV, at which school, and a link. The outbox row holds the record's id only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from lev.jobs.services import outbox_enqueue

from .models import Incident, Signal

NOTIFY_JOB = "email.incidents_new_record"

RecordKind = Literal["signal", "incident"]


def notify_leads(*, record: Signal | Incident, now: datetime) -> None:
    """Enqueue the notification for RECORD; call inside the transaction that created it."""
    kind: RecordKind = "signal" if isinstance(record, Signal) else "incident"
    outbox_enqueue(
        kind=NOTIFY_JOB,
        payload={"record_kind": kind, "record_id": record.pk},
        school=record.school,
        key=f"incidents-new-{kind}-{record.pk}",
        now=now,
    )
