"""The parent contact log (policy plan §17.3, Bijlage 21 "Lijst contacten met ouders").

One `ContactLog` table for every contact with parents: per pupil now (Datum, Gesprek met, Actie,
Door wie), per crisis later (the incidents issue). Rows are evidence (ARCHITECTURE.md §6): they are
insert-only, and a correction is a new row pointing at the one it corrects, with a reason.

Written only through `communications.contact_services`; read only through
`communications.contact_selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lev.audit.models import InsertOnlyModel


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    VIDEO_CALL = "video_call", _("Video call")
    OTHER = "other", _("Other")


class ContactLog(InsertOnlyModel):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # Nullable so that a crisis can keep its own parent contact list (Bijlage 21 per crisis).
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="contact_logs"
    )
    # Placeholder: the incidents issue turns this into a ForeignKey to its Crisis model (same
    # column name, `crisis_id`), so rows written before that keep their value.
    crisis_id = models.PositiveBigIntegerField(_("crisis"), null=True, blank=True)
    contact_at = models.DateTimeField(_("date and time of the contact"))
    with_whom = models.CharField(_("spoke with"), max_length=200)
    # The parents of the pupil this contact was with: ids of `schools.Guardian`, chosen from the
    # pupil's PupilGuardian rows when the contact was recorded.
    guardian_ids = models.JSONField(_("parents"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    summary = models.TextField(_("what was discussed"))
    agreements = models.TextField(_("agreements"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    others_present = models.CharField(_("others present (initials)"), max_length=100, blank=True)
    follow_up_on = models.DateField(_("follow-up appointment"), null=True, blank=True)
    follow_up_note = models.CharField(_("about the follow-up appointment"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_reason = models.TextField(_("reason for correction"), blank=True)

    class Meta:
        verbose_name = _("contact with parents")
        verbose_name_plural = _("contacts with parents")
        ordering = ["-contact_at", "-id"]
        indexes = [
            models.Index(fields=["pupil", "contact_at"], name="contactlog_pupil_idx"),
            models.Index(fields=["crisis_id", "contact_at"], name="contactlog_crisis_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pupil__isnull=False) | Q(crisis_id__isnull=False),
                name="contactlog_pupil_or_crisis",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="contactlog_correction_has_reason",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="contactlog_has_summary"),
            # One correction per row: a later correction corrects the correction.
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(corrects__isnull=False), name="contactlog_one_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk} {self.contact_at:%Y-%m-%d}"
