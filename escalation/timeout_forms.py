"""Forms of the time-out pages. They parse the input; `escalation.timeout_services` checks the rules
(its messages appear next to the fields, nothing typed is lost) and writes. Each form on the
time-out page has its own prefix, so every field has a stable, unique id (`id_approve-self_reason`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.contact_forms import DateTimeLocalInput
from lev.schools.admin_forms import DateInput, StyledFormMixin

from .domain.exclusion import MESSAGES as EXCLUSION_MESSAGES
from .domain.exclusion import TimeOutPlace
from .timeout_services import PLACE_CHOICES, ExcludedActivity

CONFIRM_ERROR = _("Use the button on the page to do this.")


class ConfirmedMixin:
    """A form whose only input may be its button: the page sends `<prefix>-confirm=1` with it, so an
    empty post (a stray or crafted request) decides nothing and shows the page again."""

    data: Any
    add_prefix: Any

    def confirmed(self) -> None:
        if self.data.get(self.add_prefix("confirm")) != "1":
            raise forms.ValidationError(CONFIRM_ERROR)


class TimeOutRequestForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What happened (the facts)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Facts only: what was seen and heard. The parents read this in the letter."),
        error_messages={
            "required": _("Write down what happened: the facts. The parents receive them in the letter.")
        },
    )
    first_day = forms.DateField(
        label=_("First day"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the first day of the time-out."),
            "invalid": _("Enter a date, for example 07-12-2026."),
        },
    )
    last_day = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the last day of the time-out (the same day for the rest of the day)."),
            "invalid": _("Enter a date, for example 07-12-2026."),
        },
    )
    place = forms.ChoiceField(
        label=_("Where the pupil is"),
        choices=PLACE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose where the pupil is during the time-out."),
            "invalid_choice": _("Choose where the pupil is during the time-out."),
        },
    )
    where = forms.CharField(
        label=_("Where the pupil works"),
        max_length=200,
        required=False,
        help_text=_("The group or the professional, for example: in group 7a, with Mr Pieters."),
    )
    work = forms.CharField(
        label=_("The work the pupil takes along"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The pupil takes independent work from their own group (Bijlage 4, stap 5)."),
    )
    excluded_activities = forms.MultipleChoiceField(
        label=_("Activities the pupil does not take part in"),
        choices=ExcludedActivity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For the (social and physical) safety of everyone (Bijlage 4, stap 5)."),
        error_messages={"invalid_choice": _("Choose activities from the plan's list.")},
    )
    longer_confirmed = forms.BooleanField(
        label=_("As the director, I confirm that the pupil is taught inside the school on all these days"),
        required=False,
        help_text=_(
            "Needed for a time-out of more than one school day: the Inspectie will readily treat a "
            "longer time-out as a schorsing."
        ),
    )

    def __init__(self, *args: Any, lead: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not lead:
            # A teacher cannot confirm for the director: the approver does.
            del self.fields["longer_confirmed"]
        self.style_fields()

    def clean_place(self) -> str:
        """R2 at once, whatever else is missing: at home is a schorsing, not a time-out."""
        place = str(self.cleaned_data["place"])
        if place == TimeOutPlace.AT_HOME:
            raise forms.ValidationError(str(EXCLUSION_MESSAGES["time_out_at_home"]), code="time_out_at_home")
        return place


class ApproveForm(ConfirmedMixin, StyledFormMixin, forms.Form):
    self_reason = forms.CharField(
        label=_("Why you decide on your own request"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The board sees this reason. You may also ask the deputy director to approve instead."),
    )
    longer_confirmed = forms.BooleanField(
        label=_("I confirm that the pupil is taught inside the school on all these days"),
        required=False,
        help_text=_("The Inspectie will readily treat a time-out of more than one day as a schorsing."),
    )

    def __init__(self, *args: Any, self_decision: bool, needs_confirmation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self_decision:
            del self.fields["self_reason"]
        if not needs_confirmation:
            del self.fields["longer_confirmed"]
        self.style_fields()

    def clean(self) -> dict[str, Any] | None:
        self.confirmed()
        return super().clean()


class ReasonForm(StyledFormMixin, forms.Form):
    """Reject or withdraw: the reason is required."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = required_message
        self.style_fields()


class PhoneCallForm(StyledFormMixin, forms.Form):
    phoned_at = forms.DateTimeField(
        label=_("Date and time of the call"),
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Enter the date and time of the call."),
            "invalid": _("Enter a date and time, for example 07-12-2026 10:30."),
        },
    )
    note = forms.CharField(
        label=_("What was said on the phone"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("With whom you spoke, and what was agreed."),
    )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"phoned_at": timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)},
        )
        super().__init__(*args, **kwargs)
        self.style_fields()


class LetterForm(ConfirmedMixin, forms.Form):
    def clean(self) -> dict[str, Any] | None:
        self.confirmed()
        return super().clean()
