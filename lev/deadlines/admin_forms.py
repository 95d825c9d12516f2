"""Forms of the functional administrator's calendar pages. They validate input; the calendar
services do the writing (and the checks that need the database)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin

from .calendar_services import NAME_MAX_LENGTH
from .models import ClosureKind, Region


class RegionForm(StyledFormMixin, forms.Form):
    region = forms.ChoiceField(
        label=_("Holiday region"),
        required=False,
        choices=[("", _("No region: I enter the holidays myself")), *Region.choices],
        help_text=_(
            "LEV fills in the national school holidays of this region and the public holidays on "
            "which schools close, for every school year it knows. Days you added yourself, such as "
            "study days, are kept."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ClosureForm(StyledFormMixin, forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        help_text=_("For a single day, enter the same date twice."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ClosureKind.choices, initial=ClosureKind.STUDY_DAY)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("For example 'Studiedag team'. Never write about pupils here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
