"""Celery task: the deadline sweep (reminders due, terms missed), sent by beat every minute.
It only writes outbox rows; the jobs sweep sends the e-mails. Safe to run twice at once."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from .services import deadlines_sweep


@shared_task(name="lev.deadlines.sweep", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep() -> dict[str, int]:
    return asdict(deadlines_sweep())
