"""LEV's own job: the probe, an end-to-end check of the job pipeline.

`python manage.py run_jobs --probe` writes a probe item; when a worker (Celery or `run_jobs`)
runs it, an audit event `job_probe_ran` appears with the probe's token. Operators use it after
an installation or a Redis change; the chaos tests count these events to prove every item ran
exactly once.
"""

from __future__ import annotations

from datetime import datetime

from lev.audit.services import record

from .registry import job_handler

PROBE = "jobs.probe"


@job_handler(PROBE)
def run_probe(probe: str, now: datetime | None = None) -> None:
    record("job_probe_ran", actor=None, object_type=PROBE, object_id=probe, summary={"probe": probe}, now=now)
