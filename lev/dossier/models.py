"""DossierEntry: the pupil chronology every process writes to (ARCHITECTURE.md §6).

Append-only: a correction is a new entry pointing at the old one, with a reason. The chronology is
read only through `lev.dossier.selectors.chronology_for`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lev.audit.models import InsertOnlyModel


class Visibility(models.TextChoices):
    SCHOOL = "school", _("School")
    MELDCODE_CASE = "meldcode_case", _("Meldcode case")
    CONFIDANT = "confidant", _("Confidential counsellor")
    BOARD_ONLY = "board_only", _("Board only")


class Observation(models.TextChoices):
    OBSERVED = "observed", _("Seen myself")
    TOLD = "told", _("Heard from someone else")
    NOT_APPLICABLE = "n/a", _("Not applicable")


class DossierEntry(InsertOnlyModel):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="dossier_entries")
    # The kind of process record ("signal", "incident", "timeout", ...) and its id.
    kind = models.CharField(_("kind"), max_length=40)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    happened_at = models.DateTimeField(_("happened at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observation = models.CharField(
        _("observed or told"), max_length=10, choices=Observation.choices, default=Observation.NOT_APPLICABLE
    )
    told_by = models.CharField(_("told by"), max_length=200, blank=True)
    others_present = models.CharField(_("others present (initials)"), max_length=100, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    # For Visibility.MELDCODE_CASE: the case whose access decides who sees the entry.
    meldcode_case_id = models.BigIntegerField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_reason = models.TextField(_("reason for correction"), blank=True)

    class Meta:
        verbose_name = _("dossier entry")
        verbose_name_plural = _("dossier entries")
        ordering = ["-happened_at", "-id"]
        indexes = [models.Index(fields=["pupil", "happened_at"], name="dossier_pupil_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="dossier_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="meldcode_case") | Q(meldcode_case_id__isnull=False),
                name="dossier_meldcode_entry_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_at:%Y-%m-%d}"
