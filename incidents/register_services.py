"""Writes of the incident register: the audit row of an export (the register itself only reads)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from lev.audit.services import record
from lev.schools.models import School

from .register_pdf import Audience
from .register_selectors import RegisterFilters, Scope


def register_export_record(
    *,
    school: School,
    fmt: Literal["csv", "pdf"],
    scope: Scope,
    filters: RegisterFilters,
    rows: int,
    audience: Audience = "school",
    actor: Any,
    now: dt.datetime,
) -> None:
    """The audit row of an export: format, scope, number of rows and the filters — ids and codes
    only, never a pupil's name."""
    record(
        "incident_register_exported",
        actor=actor,
        board=school.board,
        obj=school,
        summary={
            "format": fmt,
            "scope": scope,
            "audience": audience,
            "rows": rows,
            **filters.summary(),
        },
        now=now,
    )
