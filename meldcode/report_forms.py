"""The form of the Rapportage Meldcode (Bijlage 10). It parses the input; `meldcode.services.report_save`
checks the rules again and writes. "Contactpersoon" (the case manager) and "Melding gedaan" (the
case's meldingen) are not fields: LEV shows them from the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin

from .report_bundle import FIELD_LABELS


def _text(
    field: str, *, required: bool, help_text: Any = "", rows: int = 3, error: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=FIELD_LABELS[field],
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": error} if error else {},
    )


class ReportForm(StyledFormMixin, forms.Form):
    report_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the Rapportage Meldcode."),
            "invalid": _("Enter a date, for example 07-12-2026."),
        },
    )
    subject = forms.CharField(
        label=FIELD_LABELS["subject"],
        max_length=200,
        help_text=_(
            "Briefly the subject at the centre of this report, for example bullying, sexual behaviour, "
            "abuse or violence."
        ),
        error_messages={"required": _("Name the subject briefly, for example: abuse.")},
    )
    description = _text(
        "description",
        required=True,
        rows=5,
        help_text=_(
            "Briefly what happened, inside or outside the school, that concerns the Meldcode and asked "
            "for intensive attention from professionals."
        ),
        error=_("Describe briefly what happened."),
    )
    unrest = _text(
        "unrest",
        required=False,
        help_text=_(
            "How much unrest did it cause inside the school (and perhaps outside it)? On what scale, "
            "and among whom?"
        ),
    )
    involved = _text(
        "involved",
        required=True,
        help_text=_(
            "Who was involved: children, parents, carers, another organisation. Describe them by their "
            "role (for example: the pupil, the mother, a brother in group 3)."
        ),
        error=_("Say who was involved, by their role."),
    )
    activities = _text(
        "activities",
        required=True,
        help_text=_(
            "What (kind of) activities did the school carry out to support those involved? How often?"
        ),
        error=_("Say what the school did to support those involved."),
    )
    informing = _text(
        "informing",
        required=False,
        help_text=_(
            "Was it necessary to inform those involved about the steps of the Meldcode and a melding at "
            "Veilig Thuis?"
        ),
    )
    external_consultation = _text(
        "external_consultation",
        required=False,
        help_text=_("Were external organisations consulted for advice or support? If so, which?"),
    )
    bottlenecks = _text(
        "bottlenecks",
        required=False,
        help_text=_(
            "Are there bottlenecks in carrying out the Meldcode that need attention or support for "
            "the professionals?"
        ),
    )
    remarks = _text("remarks", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_report_on(self) -> date:
        day: date = self.cleaned_data["report_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future. Record what has happened."))
        return day

    def values(self) -> dict[str, str]:
        """The report's texts for `report_save`."""
        return {field: self.cleaned_data.get(field, "") for field in FIELD_LABELS}
