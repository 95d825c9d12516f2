"""Letters and their copies: draft → submitted → approved (a second person) → sent.

A `Letter` holds what the author typed (the merge values), the template version it uses, and who
wrote and approved it. A `LetterCopy` is one addressee: one per postal address of the parents with
gezag (ARCHITECTURE.md §8), plus the copies *in afschrift aan*. Each copy's PDF is rendered once,
after approval, stored exactly with its SHA-256 and never regenerated; its dispatch (method, date
sent, tracking number, delivery date) is recorded per copy because those dates start legal terms.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DispatchMethod(models.TextChoices):
    REGISTERED_MAIL = "registered_mail", _("Registered mail (aangetekend)")
    BY_HAND = "by_hand", _("Handed over")
    POST = "post", _("Ordinary post")
    EMAIL = "email", _("E-mail (PDF attached)")


class Letter(models.Model):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="letters")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("letter kind"), max_length=60)
    denominatie = models.CharField(_("denomination"), max_length=10)
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    group_ids = models.JSONField(_("groups"), default=list, blank=True)
    template = models.ForeignKey(
        "communications.LetterTemplate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField(_("merge values"), default=dict, blank=True)
    enabled_blocks = models.JSONField(_("optional parts switched on"), default=list, blank=True)
    copies_to = models.JSONField(_("in afschrift aan"), default=list, blank=True)
    include_without_gezag = models.JSONField(default=list, blank=True)
    without_gezag_reason = models.TextField(_("why parents without gezag receive the letter"), blank=True)
    wording_override_reason = models.TextField(_("why the flagged words stay"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # All copies merged into one print-ready file, made once after every copy is rendered.
    print_pdf = models.FileField(upload_to="letters/", blank=True)
    print_sha256 = models.CharField(max_length=64, blank=True)
    print_made_at = models.DateTimeField(null=True, blank=True)
    # The process record the letter belongs to (a suspension, an AVG request …), when there is one.
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="letter_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("author")),
                name="letter_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def kind_title(self) -> str:
        from .domain.texts import KINDS

        kind = KINDS.get(self.kind)
        return kind.title if kind is not None else self.kind

    @property
    def reference(self) -> str:
        return f"LEV-{self.created_at:%Y}-{self.pk:05d}"


class LetterCopy(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="copies")
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    address_lines = models.JSONField(_("address"))
    guardian_ids = models.JSONField(default=list, blank=True)
    shielded = models.BooleanField(_("shielded address"), default=False)
    without_gezag = models.BooleanField(default=False)
    is_copy = models.BooleanField(_("copy (in afschrift)"), default=False)
    email = models.CharField(max_length=400, blank=True)  # addresses for an e-mail dispatch, comma-separated
    pdf = models.FileField(upload_to="letters/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=DispatchMethod.choices, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("letter copy")
        verbose_name_plural = _("letter copies")
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "position"], name="letter_copy_position"),
            models.CheckConstraint(condition=Q(sha256="") | Q(pdf__gt=""), name="letter_copy_hash_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}/{self.position}"
