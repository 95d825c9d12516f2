"""Forms of the schorsing pages. They parse the input; `escalation.schorsing_services` checks it
(its messages appear next to the fields) and writes. Each form on the one schorsing page has its own
prefix, so every field has a stable, unique id (`id_conversation-held_on`, …)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from communications.domain.texts import letter_kind
from incidents.models import Incident
from lev.schools.admin_forms import DateInput, StyledFormMixin

from .models import ObjectionOutcome


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a valid date.")},
    )


def _text(label: Any, *, required: bool = False, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        strip=False,
    )


class IncidentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.happened_on:%d-%m-%Y} — {obj.get_category_display()} — {obj.location}"


class SchorsingForm(StyledFormMixin, forms.Form):
    """Prepare a schorsing. `use_mandate` is there only when the school's settings give the
    director a mandate and the user is the director."""

    first_day = _date(_("First day"))
    last_day = _date(
        _("Last day"),
        help_text=_("At most one week: at most 5 school days, and at most 6 days after the first day."),
    )
    reasons = _text(
        _("Reasons"),
        rows=4,
        help_text=_("The parents receive the reasons in writing (WPO art. 40c). Describe the facts."),
    )
    earlier_measures = _text(
        _("Earlier measures"), help_text=_("What was tried before: conversations, time-outs.")
    )
    incidents = IncidentsField(
        label=_("Incidents this schorsing follows"),
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Choose incidents of this pupil only."),
            "invalid_pk_value": _("Choose incidents of this pupil only."),
        },
    )
    use_mandate = forms.BooleanField(
        label=_("I decide under my mandate (managementstatuut); otherwise the board decides"),
        required=False,
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], mandate: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]
        self.fields["reasons"].required = True
        self.fields["reasons"].error_messages["required"] = _(
            "Write down why the pupil is being suspended: the parents receive the reasons in writing "
            "(WPO art. 40c)."
        )
        if not mandate:
            del self.fields["use_mandate"]
        self.style_fields()


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = _text(_("Why is the schorsing withdrawn?"), required=True, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why the schorsing is withdrawn.")
        self.style_fields()


class ConversationForm(StyledFormMixin, forms.Form):
    invited_on = _date(_("Parents invited on"), required=False)
    teacher_invited = forms.BooleanField(label=_("The teacher was invited too"), required=False)
    confidant_offered = forms.BooleanField(
        label=_("The parents were told they may bring a vertrouwenspersoon"), required=False
    )
    held_on = _date(_("Conversation held on"), required=False)
    report = _text(_("Report of the conversation"), rows=4)
    signed_on = _date(_("Report signed 'voor gezien' on"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class EducationForm(StyledFormMixin, forms.Form):
    education_arrangements = _text(
        _("Education during the schorsing"),
        required=True,
        help_text=_("The work the pupil receives, who keeps in touch, and when."),
    )
    tests_arrangements = _text(
        _("Tests during the schorsing"),
        help_text=_(
            "A schorsing does not block a test such as the doorstroomtoets: say how the pupil takes it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["education_arrangements"].error_messages["required"] = _(
            "Write down how the pupil keeps learning: the work, and who keeps in touch."
        )
        self.style_fields()


class InspectieForm(StyledFormMixin, forms.Form):
    reported_on = _date(_("Reported to the Inspectie on"))
    reference = forms.CharField(
        label=_("Internet Schooldossier reference"),
        max_length=100,
        error_messages={
            "required": _(
                "Enter the reference the Internet Schooldossier gave the report, so it can be found again."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class LetterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=(),
        error_messages={
            "required": _("Choose one of the letters offered."),
            "invalid_choice": _("Choose one of the letters offered."),
        },
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, letter_kind(code).title) for code in kinds]  # type: ignore[attr-defined]
        self.style_fields()


class ObjectionForm(StyledFormMixin, forms.Form):
    """The parents' beroep (bijzonder) or bezwaar (openbaar). The bezwaar fields only for openbaar."""

    received_on = _date(_("Received on"))
    posted_on = _date(_("Posted on (postmark)"), required=False)
    grounds = _text(_("What the parents object to"))
    bekendmaking_on = _date(
        _("Decision made known to the parents on"),
        required=False,
        help_text=_(
            "Only when the decision letter was not sent through LEV: the day it was sent or handed over."
        ),
    )
    adviescommissie = forms.BooleanField(label=_("An advisory committee hears the bezwaar"), required=False)

    def __init__(self, *args: Any, openbaar: bool, letter_sent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not openbaar:
            del self.fields["adviescommissie"]
        if not openbaar or letter_sent:
            del self.fields["bekendmaking_on"]
        self.style_fields()


class BoardDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("The board's decision"),
        choices=[("approve", _("Approve the schorsing")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the board approves the schorsing.")},
    )
    note = _text(_("Note for the director"), rows=2, help_text=_("Required when the board does not approve."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class HearingForm(StyledFormMixin, forms.Form):
    hearing_on = _date(_("Parents heard on"))
    note = _text(_("What the parents said"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["required"] = _("Write down what the parents said.")
        self.style_fields()


class ExtendForm(StyledFormMixin, forms.Form):
    extended_on = _date(_("Parents told in writing on"))
    reason = _text(_("Why the board needs more time"), required=True, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why the board needs more time.")
        self.style_fields()


class ObjectionDecisionForm(StyledFormMixin, forms.Form):
    decided_on = _date(_("Decided on"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ObjectionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome.")},
    )
    reasons = _text(_("Reasons of the decision"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
