"""Forms of the parent contact log. They parse the input; `contact_services` checks it (its messages
appear next to the fields) and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin
from lev.schools.models import Pupil

from .contact_models import ContactChannel, ContactLog
from .contact_services import guardian_choices


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ContactForm(StyledFormMixin, forms.Form):
    contact_at = forms.DateTimeField(
        label=_("Date and time of the contact"),
        widget=DateTimeLocalInput(),
        error_messages={"required": _("Enter the date and time of the contact.")},
    )
    guardian_ids = forms.TypedMultipleChoiceField(
        label=_("Parents"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    with_whom = forms.CharField(
        label=_("Spoke with"),
        max_length=200,
        required=False,
        help_text=_(
            "For example: mother, both parents, father and stepmother. May stay empty if you ticked a parent."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=ContactChannel.choices,
        initial=ContactChannel.PHONE,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("What was discussed"),
        error_messages={"required": _("Write down what was discussed: the facts, in a few sentences.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Facts only: what was said and asked. No opinions, no diagnoses."),
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was agreed, and who does what."),
    )
    others_present = forms.CharField(
        label=_("Others present (initials)"),
        max_length=100,
        required=False,
        help_text=_("Initials only, separated by commas (for example: J.K., P.d.V.)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up appointment"),
        required=False,
        widget=DateInput(),
        help_text=_("The date agreed with the parents. LEV puts it in your deadlines."),
    )
    follow_up_note = forms.CharField(
        label=_("About the follow-up appointment"),
        max_length=300,
        required=False,
        help_text=_("For example: phone call with mother, or a meeting at school with the care coordinator."),
    )

    def __init__(self, *args: Any, pupil: Pupil, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian_ids"].choices = guardian_choices(pupil)  # type: ignore[attr-defined]
        if not self.is_bound and "contact_at" not in self.initial:
            moment = timezone.localtime(now or timezone.now())
            self.initial["contact_at"] = moment.replace(second=0, microsecond=0)
        self.style_fields()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in CONTACT_FIELDS}


CONTACT_FIELDS = (
    "contact_at",
    "with_whom",
    "guardian_ids",
    "channel",
    "summary",
    "agreements",
    "others_present",
    "follow_up_on",
    "follow_up_note",
)


class CorrectionForm(ContactForm):
    # Not "reason": that name belongs to the access-reason form of the pupil chokepoint.
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was wrong? The original stays visible, marked as corrected."),
    )

    @classmethod
    def for_entry(cls, entry: ContactLog, **kwargs: Any) -> CorrectionForm:
        initial = {name: getattr(entry, name) for name in CONTACT_FIELDS}
        initial["contact_at"] = timezone.localtime(entry.contact_at)
        assert entry.pupil is not None
        return cls(initial=initial, pupil=entry.pupil, **kwargs)
