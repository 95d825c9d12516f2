"""Forms of the crisis page. They parse the input; `crisis.services` checks it (its messages appear
next to the fields) and writes. Each form on the one crisis page has its own prefix, so every
field has a stable, unique id (`id_measure-pupil`, `id_action-2-status`, …)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.contact_forms import DateTimeLocalInput
from communications.contact_models import ContactChannel
from communications.letter_models import Letter
from incidents.models import Incident
from lev.schools.admin_forms import DateInput, StyledFormMixin, person_label
from lev.schools.models import Pupil

from .models import ActionStatus, Spokesperson


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class IncidentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.happened_on:%d-%m-%Y} — {obj.get_category_display()} — {obj.location}"


class PupilField(forms.ModelChoiceField):
    """Pupils, those involved in the crisis's incidents first and marked as such."""

    def label_from_instance(self, obj: Any) -> str:
        if getattr(obj, "involved", False):
            return f"{obj.full_name} ({_('involved in an incident of this crisis')})"
        return str(obj.full_name)


class LettersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} — {obj.kind_title} ({obj.get_status_display()})"


def _now_local(now: datetime | None) -> datetime:
    return timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)


class CrisisStartForm(StyledFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the crisis"),
        max_length=200,
        help_text=_(
            "A short working title without names of pupils, for example: unrest in group 5 after the playground."
        ),
        error_messages={"required": _("Give the crisis a short title, without names of pupils.")},
    )
    incidents = IncidentsField(
        label=_("Incidents"),
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one incident of this school."),
            "invalid_choice": _("Choose incidents of this school only."),
            "invalid_pk_value": _("Choose incidents of this school only."),
        },
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        self.style_fields()


class ActionForm(StyledFormMixin, forms.Form):
    """One action card. Without `may_assign` (the IB on their own action) there is no owner field."""

    owner = PersonField(
        label=_("Owner"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Choose who takes on this action.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What has been done, what is still open."),
    )

    def __init__(self, *args: Any, members: QuerySet[Any], may_assign: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_assign:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        else:
            del self.fields["owner"]
        self.style_fields()


class PlanForm(StyledFormMixin, forms.Form):
    weighing = forms.CharField(
        label=_("Weighing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How serious is it, how large can it become? (plan 16.4 and 16.5)"),
    )
    intended_conversations = forms.CharField(
        label=_("Intended conversations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("With whom do we talk, in which order, and who does it?"),
    )
    involved = forms.CharField(
        label=_("Those involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pupils, parents, staff and partners who are involved. Roles, not judgements."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class SpokespersonForm(StyledFormMixin, forms.Form):
    spokesperson = forms.ChoiceField(
        label=_("Who speaks to the media"), choices=Spokesperson.choices, widget=forms.RadioSelect
    )
    spokesperson_user = PersonField(label=_("Designated user"), queryset=None, required=False)
    spokesperson_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    spokesperson_function = forms.CharField(label=_("Function"), max_length=200, required=False)

    def __init__(self, *args: Any, members: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spokesperson_user"].queryset = members  # type: ignore[attr-defined]
        self.style_fields()


class ParticipantForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name (including substitutes)"),
        max_length=300,
        error_messages={
            "required": _("Enter the name of the participant (and of their substitutes, if any).")
        },
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    availability = forms.CharField(
        label=_("Availability"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays 8–17, not on Wednesday."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class ParticipantRemoveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is this participant removed?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: has left the team. The participant stays visible under “Removed participants”."
        ),
        error_messages={
            "required": _("Say briefly why the participant is removed (for example: has left the team).")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class CrisisIncidentsForm(StyledFormMixin, forms.Form):
    """Link more incidents to an open crisis."""

    incidents = IncidentsField(
        label=_("Incidents to link"),
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one incident of this school."),
            "invalid_choice": _(
                "Choose incidents from the list: open incidents of this school that are not part of an open crisis."
            ),
            "invalid_pk_value": _("Choose incidents of this school only."),
        },
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        self.style_fields()


class CrisisContactForm(StyledFormMixin, forms.Form):
    """A contact with parents during the crisis (Bijlage 21: date, with whom, action, by whom)."""

    contact_at = forms.DateTimeField(
        label=_("Date and time of the contact"),
        widget=DateTimeLocalInput(),
        error_messages={"required": _("Enter the date and time of the contact.")},
    )
    pupil = PupilField(
        label=_("About pupil (optional)"),
        queryset=Pupil.objects.none(),
        required=False,
        empty_label=_("No pupil (for example: the parents of a group)"),
        help_text=_("With a pupil, the contact is in that pupil's chronology too."),
        error_messages={"invalid_choice": _("Choose a pupil of this school.")},
    )
    with_whom = forms.CharField(
        label=_("Spoke with"),
        max_length=200,
        help_text=_("For example: mother of a pupil of group 5, both parents, the parents' representative."),
        error_messages={"required": _("Say with whom you spoke.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=ContactChannel.choices, initial=ContactChannel.PHONE
    )
    summary = forms.CharField(
        label=_("What was discussed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down what was discussed: the facts, in a few sentences.")},
    )
    agreements = forms.CharField(
        label=_("Action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was agreed, and who does what."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up appointment"),
        required=False,
        widget=DateInput(),
        help_text=_("The date agreed with the parents. LEV puts it in your deadlines."),
    )

    def __init__(
        self, *args: Any, pupils: QuerySet[Pupil], now: datetime | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("contact_at", _now_local(now))
        self.style_fields()


class MeasureForm(StyledFormMixin, forms.Form):
    pupil = PupilField(
        label=_("Pupil"),
        queryset=Pupil.objects.none(),
        empty_label=_("Choose a pupil"),
        error_messages={
            "required": _("Choose the pupil the extra rules are for."),
            "invalid_choice": _("Choose a pupil of this school."),
        },
    )
    description = forms.CharField(
        label=_("The extra rules"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: brought to the classroom by a parent; plays within sight of the teacher; "
            "reports going to the toilet (Bijlage 19)."
        ),
        error_messages={
            "required": _("Describe the extra rules: what the pupil and the adults do, and when.")
        },
    )
    starts_on = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the extra rules take effect.")},
    )
    ends_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when the evaluations decide."),
    )

    def __init__(self, *args: Any, pupils: QuerySet[Pupil], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]
        self.style_fields()


class EvaluationForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the evaluation was held.")},
    )
    with_whom = forms.CharField(
        label=_("With whom"),
        max_length=300,
        help_text=_("For example: teachers, parents of the pupil, IB, director, external experts."),
        error_messages={
            "required": _("Say with whom the evaluation was held (for example: teacher, parents, IB).")
        },
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write down the outcome: what went well, what did not, and what happens next.")
        },
    )
    changes = forms.CharField(
        label=_("Changes to the rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("They are kept in the pupil's file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class MeasureEndForm(StyledFormMixin, forms.Form):
    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the extra rules stop.")},
    )
    reason = forms.CharField(
        label=_("Why the measure ends"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _(
                "Say briefly why the measure ends (for example: the evaluation showed it is no longer needed)."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class CommunicationForm(StyledFormMixin, forms.Form):
    decided_on = forms.DateField(
        label=_("Decided on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the day the decision was made.")},
    )
    audience = forms.CharField(
        label=_("Who is told"),
        max_length=300,
        help_text=_("For example: parents of group 5, parents of the other groups, the team, the MR chair."),
        error_messages={
            "required": _("Say who is told: for example the parents of group 5, all parents, the team.")
        },
    )
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The message in a few sentences. Keep it small: only the parents involved, if possible."),
        error_messages={"required": _("Summarise the message in a few sentences.")},
    )
    letters = LettersField(
        label=_("Letters sent with it"),
        queryset=Letter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose letters of this school only."),
            "invalid_pk_value": _("Choose letters of this school only."),
        },
    )

    def __init__(
        self, *args: Any, letters: QuerySet[Letter], now: datetime | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letters"].queryset = letters  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("decided_on", _now_local(now).date())
        self.style_fields()


class MediaForm(StyledFormMixin, forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeLocalInput(),
        error_messages={"required": _("Enter when the contact with the media took place.")},
    )
    medium = forms.CharField(
        label=_("Medium and journalist"),
        max_length=200,
        error_messages={
            "required": _("Enter the medium and the journalist (for example: Omroep West, J. de Boer).")
        },
    )
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write down what was asked.")},
    )
    answer = forms.CharField(
        label=_("Answer given"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down what was answered (also when it was “no comment”).")},
    )
    spoken_by = forms.CharField(
        label=_("Answered by"),
        max_length=200,
        error_messages={"required": _("Say who answered.")},
    )

    def __init__(self, *args: Any, spokesperson: str, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", _now_local(now))
            self.initial.setdefault("spoken_by", spokesperson)
        self.style_fields()


class EvaluationCloseForm(StyledFormMixin, forms.Form):
    sounding_board = forms.CharField(
        label=_("Sounding board group (klankbordgroep)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Parents who feel involved bring in signals and concerns, and what they want to prevent."
        ),
    )
    process_evaluation = forms.CharField(
        label=_("Process evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The decisions and steps taken, looked back on: what do we learn?"),
    )
    result_evaluation = forms.CharField(
        label=_("Result evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Has the problem or the behaviour been solved, for now or for good? How much unrest is left?"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
