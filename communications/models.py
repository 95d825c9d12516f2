"""Letter templates per board, versioned, and the legal review of a version.

A version stores the text of every block as it was when saved (LEV's fixed legal blocks and the
board's editable ones), so a reviewed version renders exactly as it was reviewed, also after LEV
ships new text. Versions are never changed; an edit is a new version (ARCHITECTURE.md §8,
LEGAL.md §8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterTemplate(models.Model):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="letter_templates")
    kind = models.CharField(_("letter kind"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    shipped_version = models.CharField(_("based on LEV's text version"), max_length=20)
    blocks = models.JSONField(_("block texts"))
    note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("letter template version")
        verbose_name_plural = _("letter template versions")
        ordering = ["board", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "kind", "version"], name="letter_template_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="letter_template_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class TemplateReview(models.Model):
    """A named reviewer's approval of one template version: only then may a legal letter made
    from it be sent (LEGAL.md §8)."""

    template = models.OneToOneField(LetterTemplate, on_delete=models.PROTECT, related_name="review")
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(_("reviewer"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")

    def __str__(self) -> str:
        return f"{self.template} — {self.reviewer_name}"


from .contact_models import ContactLog  # noqa: E402, F401
from .letter_models import DispatchMethod, Letter, LetterCopy, LetterStatus  # noqa: E402, F401
