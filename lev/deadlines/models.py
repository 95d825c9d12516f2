"""KB-gelijkgestelde dagen: national calendar data, maintained per deployment by the operator.

Days declared equal to a recognised holiday by Koninklijk Besluit (Algemene termijnenwet art. 3).
The shipped list (`data/kb_days.json`) is loaded by a migration; `manage.py kb_days` lists, adds and
marks them verified against the Staatscourant (LEGAL.md §1, §10.9).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KBDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    description = models.CharField(_("description"), max_length=200)
    source = models.CharField(_("source reference"), max_length=300, blank=True)
    verified = models.BooleanField(
        _("verified against the Staatscourant"),
        default=False,
    )

    class Meta:
        verbose_name = _("day declared a holiday by royal decree")
        verbose_name_plural = _("days declared a holiday by royal decree")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.description}"
