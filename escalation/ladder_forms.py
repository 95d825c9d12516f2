"""Forms of the ladder pages. They parse the input; `escalation.services` checks it (its messages
appear next to the fields, nothing typed is lost) and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident
from lev.schools.admin_forms import DateInput, StyledFormMixin

from .models import Consequence


class IncidentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.happened_on:%d-%m-%Y} — {obj.get_category_display()}"


class IncidentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.happened_on:%d-%m-%Y} — {obj.get_category_display()}"


STEP_CHOICES = [
    (1, _("Step 1: I can do it myself")),
    (2, _("Step 2: I ask for help")),
    (3, _("Step 3: We look for a solution together")),
    (4, _("Step 4: School and parents work together")),
]


class EpisodeOpenForm(StyledFormMixin, forms.Form):
    incident = IncidentChoice(
        label=_("After which incident"),
        queryset=Incident.objects.none(),
        required=False,
        empty_label=_("No incident"),
    )
    reason = forms.CharField(
        label=_("Why you start the stappenplan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when there is no incident: what behaviour, since when."),
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        self.style_fields()


class StepForm(StyledFormMixin, forms.Form):
    step = forms.TypedChoiceField(
        label=_("Step"),
        choices=STEP_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the step you record.")},
    )
    happened_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Fill in the date."),
            "invalid": _("Fill in a date such as 05-12-2026."),
        },
    )
    summary = forms.CharField(
        label=_("What happened and what was said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    participants = forms.CharField(
        label=_("Who took part"),
        max_length=2000,
        required=False,
        help_text=_(
            "Steps 3 and 4: the pupils (by first name or initials), the teacher, the parents, the IB."
        ),
    )
    agreements = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    consequences = forms.MultipleChoiceField(
        label=_("Consequences (Bijlage 4)"),
        choices=Consequence.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    parents_informed = forms.BooleanField(label=_("The parents have been informed"), required=False)
    parents_informed_how = forms.CharField(
        label=_("How the parents were informed"),
        max_length=200,
        required=False,
        help_text=_("For example: by phone on the same day, or in a conversation at school."),
    )
    incidents = IncidentChoices(
        label=_("Linked incidents"),
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("happened_on", timezone.localdate())
        self.style_fields()


class SeriousIncidentForm(StyledFormMixin, forms.Form):
    prefix = "serious"
    incident = IncidentChoice(
        label=_("The serious incident"),
        queryset=Incident.objects.none(),
        error_messages={
            "required": _("Choose the incident."),
            "invalid_choice": _("Choose an incident of this pupil."),
        },
    )
    reason = forms.CharField(
        label=_("Why this incident leads straight to a time-out or schorsing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        self.style_fields()


class EpisodeCloseForm(StyledFormMixin, forms.Form):
    prefix = "close"
    note = forms.CharField(
        label=_("How the episode ends"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What helped, what was agreed with the pupil and the parents."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
