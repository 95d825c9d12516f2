"""The outbox: every side effect (an e-mail, a PDF, a reminder) is a row first.

A row is written in the same transaction as the change that causes it, so a rollback takes the
side effect with it and a commit makes it durable in PostgreSQL, whatever happens to Redis or a
worker afterwards (ARCHITECTURE.md §5). The payload holds ids only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed, will be retried")
    DEAD = "dead", _("Given up")


class OutboxItem(models.Model):
    """One pending side effect. Claimed by a worker with a lease; a lease that runs out makes the
    item claimable again, which is how the job of a worker that died is run again."""

    kind = models.CharField(_("kind"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    board = models.ForeignKey(
        "schools.Board", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("run after"))
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("last sent to the queue"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox item")
        verbose_name_plural = _("outbox items")
        indexes = [
            # The claim query: due pending/failed rows, and running rows whose lease ran out.
            models.Index(
                fields=["run_after", "id"],
                name="jobs_outbox_due_idx",
                condition=models.Q(status__in=["pending", "failed"]),
            ),
            models.Index(
                fields=["claimed_until"],
                name="jobs_outbox_lease_idx",
                condition=models.Q(status="running"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
