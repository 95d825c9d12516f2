"""Celery tasks: ids in, the same functions `run_jobs` calls. `acks_late` with
`reject_on_worker_lost`: a worker that dies mid-task leaves the message to be delivered again,
and the outbox row's lease makes a second delivery harmless."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from . import services


@shared_task(name="lev.jobs.run_item", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_item(item_id: int) -> str:
    return services.run_item(int(item_id))


@shared_task(name="lev.jobs.sweep", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep() -> int:
    return services.sweep()


@shared_task(name="lev.jobs.reconcile", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def reconcile() -> dict[str, int]:
    return asdict(services.reconcile())


@shared_task(name="lev.jobs.housekeeping", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def housekeeping() -> dict[str, int]:
    return services.housekeeping()
