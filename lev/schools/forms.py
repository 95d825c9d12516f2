from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin_forms import DateInput, StyledFormMixin


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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


# --- The pupil chronology ----------------------------------------------------------------------


class ChronologyFilterForm(StyledFormMixin, forms.Form):
    """Filters of the chronology (GET): the kinds that occur, and a period."""

    soort = forms.MultipleChoiceField(label=_("Kind"), required=False, widget=forms.CheckboxSelectMultiple)
    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Up to and including"), required=False, widget=DateInput())

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = kinds  # type: ignore[attr-defined]
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("van"), data.get("tot")
        if since and until and until < since:
            self.add_error(
                "tot",
                _("The end of the period lies before its start (%(day)s). Choose a later date.")
                % {"day": since.strftime("%d-%m-%Y")},
            )
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is shown at its field and not applied)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {"kinds": data.get("soort") or [], "since": data.get("van"), "until": data.get("tot")}


class EntryCorrectionForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Corrected text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the corrected text.")},
        help_text=_("The full text as it should have been. Facts only."),
    )
    # Not "reason": that name belongs to the access-reason form of the pupil chokepoint.
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the correction.")},
        help_text=_("What was wrong? The original stays visible, marked as corrected."),
    )

    def __init__(self, *args: Any, original: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.original = original
        if not self.is_bound:
            self.initial.setdefault("summary", original)
        self.style_fields()

    def clean_summary(self) -> str:
        summary: str = self.cleaned_data["summary"].strip()
        if summary == self.original.strip():
            raise forms.ValidationError(_("Nothing was changed. Change what was wrong, or cancel."))
        return summary


class ParentViewForm(StyledFormMixin, forms.Form):
    happened_at = forms.DateTimeField(
        label=_("When did the parents give their view?"),
        widget=DateTimeLocalInput(),
        error_messages={"required": _("Enter the date and time the parents gave their view.")},
    )
    with_whom = forms.CharField(
        label=_("Who gave it"),
        max_length=200,
        required=False,
        help_text=_("For example: mother, both parents. May stay empty."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = forms.CharField(
        label=_("The parents' view"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write down what the parents say: their view, in their words where you can.")
        },
        help_text=_(
            "What the parents say about the facts, and where they disagree. The facts themselves stay as recorded."
        ),
    )
    bij = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "happened_at" not in self.initial:
            moment = timezone.localtime(now or timezone.now())
            self.initial["happened_at"] = moment.replace(second=0, microsecond=0)
        self.style_fields()
