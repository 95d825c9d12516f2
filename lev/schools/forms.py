from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this file?"),
        max_length=300,
        min_length=5,
        help_text=_("This pupil is not in one of your groups. Your reason is recorded in the access log."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PupilSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or number"), required=False, max_length=100)
