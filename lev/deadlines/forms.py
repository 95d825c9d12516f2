"""Forms of the deadline pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this term no longer apply?"),
        help_text=_(
            "For example: the decision was withdrawn, or the parents let the objection period pass. "
            "Write no names or case details: the reason is kept with the term."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason
