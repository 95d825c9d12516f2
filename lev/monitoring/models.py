"""The monthly count table the dashboards read (issue 8, point 1; docs/monitoring.md).

One row per school, month, kind and category: how many signals, incidents, ladder steps, time-outs,
schorsingen (and their school days), verwijderingen, Meldcode cases, meldingen and crises there
were in that month. The services keep it, in the same transaction as the change
(`lev.monitoring.counts.count_add`); `counts.rebuild` recomputes it from the records. The rows
point at no record, so they stay when the records they count are destroyed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountKind(models.TextChoices):
    """What is counted. The category of a row depends on the kind (see `counts.py`)."""

    SIGNAL = "signal", _("Signals")
    INCIDENT = "incident", _("Incidents")
    LADDER_STEP = "ladder_step", _("Steps of the stappenplan reached")
    TIME_OUT = "time_out", _("Time-outs")
    SCHORSING = "schorsing", _("Schorsingen")
    SCHORSING_DAYS = "schorsing_days", _("School days of schorsing")
    VERWIJDERING = "verwijdering", _("Verwijderingen")
    MELDCODE_CASE = "meldcode_case", _("Meldcode cases opened")
    MELDING = "melding", _("Meldingen at Veilig Thuis")
    CRISIS = "crisis", _("Crises")


class MonthlyCount(models.Model):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # The first day of the month (Europe/Amsterdam) in which the counted events took place.
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=CountKind.choices)
    # The incident category, the step number ("1".."7"), or "" for kinds without categories.
    category = models.CharField(_("category"), max_length=30, blank=True, default="")
    # The number of events; for `schorsing_days` the number of school days.
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        default_permissions = ()
        ordering = ["school", "month", "kind", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "kind", "category"], name="monthly_count_cell_unique"
            ),
        ]
        indexes = [models.Index(fields=["board", "month"], name="monthly_count_board_month_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.category} {self.month:%Y-%m} school {self.school_id}: {self.count}"
