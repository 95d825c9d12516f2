"""record() and read(): the only ways to write the audit trail and the access log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AccessLogEntry, AccessOutcome, AuditEvent

_SCALARS = (str, int, float, bool, type(None))


def _clean_summary(summary: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keep the summary JSON-safe and small. Callers must not pass personal content."""
    clean: dict[str, Any] = {}
    for key, value in (summary or {}).items():
        if isinstance(value, _SCALARS):
            clean[str(key)] = value
        elif isinstance(value, list | tuple):
            clean[str(key)] = [v if isinstance(v, _SCALARS) else str(v) for v in value]
        else:
            clean[str(key)] = str(value)
    return clean


def record(
    action: str,
    *,
    actor: Any | None,
    board: Any | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if board is None:
            board = getattr(obj, "board", None)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        board=board,
        object_type=object_type,
        object_id=str(object_id),
        summary=_clean_summary(summary),
        ip_address=ip_address,
        occurred_at=now or timezone.now(),
    )


def read(
    *,
    user: Any,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    school: Any | None = None,
    board: Any | None = None,
    pupil_id: int | None = None,
    role: str = "",
    reason: str = "",
    granted: bool = True,
    now: datetime | None = None,
) -> AccessLogEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        school = school if school is not None else getattr(obj, "school", None)
        board = board if board is not None else getattr(obj, "board", None)
    return AccessLogEntry.objects.create(
        user=user,
        role=role,
        board=board,
        school=school,
        object_type=object_type,
        object_id=str(object_id),
        pupil_id=pupil_id,
        reason=reason[:300],
        outcome=AccessOutcome.GRANTED if granted else AccessOutcome.DENIED,
        at=now or timezone.now(),
    )
