"""The signal form (logboek signalen, Bijlage 14): at most six required inputs, the optional ones
folded away. The form parses the input; `signal_services.signal_record` checks it (its messages
appear next to the fields) and writes."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import StyledFormMixin

from .models import SignalSource, SignalTag

# Places offered under "where" (the user may type any other).
PLACES = (
    _("Classroom"),
    _("Schoolyard"),
    _("Corridor"),
    _("Gym"),
    _("Toilets"),
    _("At the school gate"),
    _("During lunch break"),
    _("On the way to or from school"),
    _("Online (app, game, social media)"),
    _("School trip or outside activity"),
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class IdListField(forms.Field):
    """A list of ids posted as repeated values (checkboxes rendered by the template)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids: list[int] = []
        for item in values:
            try:
                number = int(item)
            except (TypeError, ValueError):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            if number not in ids:
                ids.append(number)
        return ids


class SignalForm(StyledFormMixin, forms.Form):
    pupils = IdListField(
        label=_("Pupil(s)"),
        error_messages={
            "required": _("Choose the pupil or pupils this signal is about."),
            "invalid": _("Choose the pupil or pupils from the list."),
        },
    )
    description = forms.CharField(
        label=_("What happened? (the facts)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you saw or heard, in a few sentences. Facts only: no opinions, no diagnoses."),
        error_messages={"required": _("Write down what happened: the facts, what you saw or heard.")},
    )
    source = forms.ChoiceField(
        label=_("Seen myself or heard from someone else?"),
        choices=SignalSource.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you saw it yourself or heard it from someone else."),
            "invalid_choice": _("Choose whether you saw it yourself or heard it from someone else."),
        },
    )
    told_by = forms.CharField(
        label=_("Heard from whom?"),
        max_length=200,
        required=False,
        help_text=_(
            "Only when you heard it from someone else. For example: a pupil of group 6, the mother of a classmate."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    source_anonymous = forms.BooleanField(
        label=_("The source does not want to be named"),
        required=False,
    )
    happened_at = forms.DateTimeField(
        label=_("When?"),
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Enter when it happened (date and time)."),
            "invalid": _("Enter a date and a time, for example 24-11-2026 10:30."),
        },
    )
    location = forms.CharField(
        label=_("Where?"),
        max_length=200,
        help_text=_("Choose a place from the list or type another."),
        widget=forms.TextInput(attrs={"list": "signal-places", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter where it happened, for example: schoolplein, klaslokaal, gym."),
        },
    )
    own_reaction = forms.CharField(
        label=_("My reaction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you said or did."),
    )
    agreements = forms.CharField(
        label=_("Agreements made"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was agreed, and who does what."),
    )
    others_present = forms.CharField(
        label=_("Others present (initials)"),
        max_length=100,
        required=False,
        help_text=_("Initials only, separated by commas (for example: J.K., P.d.V.)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    tags = forms.MultipleChoiceField(
        label=_("Kinds of signals (Bijlage 17)"),
        choices=SignalTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only kinds of signals from the list.")},
    )
    # Ties the autosaved draft to this filling-in of the form: once it is recorded, a late autosave
    # of the same form is not kept (see signal_views.signal_draft).
    draft_token = forms.CharField(required=False, widget=forms.HiddenInput)

    OPTIONAL = ("own_reaction", "agreements", "others_present", "tags")

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            if "happened_at" not in self.initial:
                moment = timezone.localtime(now or timezone.now())
                self.initial["happened_at"] = moment.replace(second=0, microsecond=0)
            self.initial.setdefault("draft_token", secrets.token_hex(8))
        self.style_fields()

    @property
    def optional_has_content(self) -> bool:
        """Whether the folded optional part should be open: it holds input or an error."""
        source = self.data if self.is_bound else self.initial
        return any(self.errors.get(name) for name in self.OPTIONAL) or any(
            source.get(name) for name in self.OPTIONAL
        )

    def chosen_pupil_ids(self) -> list[int]:
        """The pupils ticked in the form (bound) or preselected (initial), as ids."""
        raw: Any
        if self.is_bound:
            raw = self.data.getlist("pupils") if hasattr(self.data, "getlist") else self.data.get("pupils")
        else:
            raw = self.initial.get("pupils") or []
        try:
            return IdListField().to_python(raw)
        except forms.ValidationError:
            return []

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pupils": data["pupils"],
            "happened_at": data["happened_at"],
            "location": data["location"],
            "description": data["description"],
            "source": data["source"],
            "told_by": data["told_by"],
            "source_anonymous": data["source_anonymous"],
            "own_reaction": data["own_reaction"],
            "agreements": data["agreements"],
            "others_present": data["others_present"],
            "tags": data["tags"],
        }


def draft_initial(data: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from a draft's data."""
    initial = {key: value for key, value in data.items() if key in SignalForm.base_fields}
    return initial


def draft_fields(post: Any) -> dict[str, Any]:
    """The draft's fields from a POST (see `signal_services.signal_draft_keep`)."""
    return {
        **{name: post.get(name, "") for name in SignalForm.base_fields if name not in ("pupils", "tags")},
        "pupils": post.getlist("pupils"),
        "tags": post.getlist("tags"),
    }
