"""The audit trail (state changes) and the access log (reads of sensitive records).

Both are insert-only: the model refuses updates and deletes, and in production the app's database
role lacks UPDATE/DELETE on these tables (the hash chain and verifier come with the privacy issue).
The JSON summary never holds personal content: ids, field names, roles, counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InsertOnlyError(Exception):
    pass


class InsertOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InsertOnlyError(f"{type(self).__name__} rows are insert-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise InsertOnlyError(f"{type(self).__name__} rows are insert-only")


class AuditEvent(InsertOnlyModel):
    # A global, gap-tolerant sequence; the sealer chains rows per board in this order.
    sequence = models.BigAutoField(primary_key=True)
    board = models.ForeignKey(
        "schools.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class AccessOutcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    DENIED = "denied", _("denied")


class AccessLogEntry(InsertOnlyModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The role the read was granted on, or every role held when it was refused (comma-separated).
    role = models.CharField(max_length=200, blank=True)
    board = models.ForeignKey(
        "schools.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    # The pupil the record is about, so the FG can ask "who viewed pupil X".
    pupil_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["pupil_id", "at"], name="accesslog_pupil_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}#{self.object_id} {self.outcome}"
