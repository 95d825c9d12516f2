"""Forms of the misconduct pages. They parse the input; `misconduct.services` checks it (its messages
appear next to the fields) and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin

from . import services as svc
from .domain import steps as domain
from .models import ReportKind, ReportSource, StepCode


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _pupils_field(help_text: Any) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("Pupils concerned"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=help_text,
    )


class ReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": svc.MSG_KIND},
    )
    accused = forms.CharField(
        label=_("Who is it about?"),
        max_length=200,
        error_messages={"required": svc.MSG_ACCUSED},
        help_text=_(
            "Name and function, for example: J. de Vries, gym teacher. Also for an intern, a volunteer "
            "or a cleaner."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    facts = forms.CharField(
        label=_("What did you see or hear?"),
        error_messages={"required": svc.MSG_FACTS},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Facts only: what happened, when and where. Write down what was said in the words used."),
    )
    source = forms.ChoiceField(
        label=_("Seen myself or heard from someone else?"),
        choices=ReportSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": svc.MSG_SOURCE},
    )
    told_by = forms.CharField(
        label=_("Heard from"),
        max_length=200,
        required=False,
        help_text=_("Who told you? For example: the pupil, a parent, a colleague."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    aware_on = forms.DateField(
        label=_("Since when do you know?"),
        widget=DateInput(),
        error_messages={"required": svc.MSG_AWARE_ON},
    )
    pupils = _pupils_field(_("Optional. Hold Ctrl (or Cmd) to choose more than one pupil."))

    def __init__(
        self, *args: Any, pupil_choices: list[tuple[int, str]], now: datetime | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = pupil_choices  # type: ignore[attr-defined]
        if not self.is_bound and "aware_on" not in self.initial:
            self.initial["aware_on"] = timezone.localdate(now or timezone.now())
        self.style_fields()


YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# Per step: the label of the note field, its help text, and the label of the decision.
NOTE_LABELS: dict[str, tuple[Any, Any]] = {
    StepCode.CONSULT: (
        _("What did the vertrouwensinspecteur advise?"),
        _(
            "The date of the consultation and its outcome. The board may also consult the police (zedenpolitie)."
        ),
    ),
    StepCode.SUSPICION: (
        _("Reasons"),
        _(
            "Why the board does or does not see a reasonable suspicion of a criminal offence, after "
            "consulting the vertrouwensinspecteur. With 'no' the report is closed with these reasons."
        ),
    ),
    StepCode.INFORM: (
        _("Who was informed, how and by whom?"),
        _(
            "The parents of the pupil and the accused are told that an aangifte will be filed. The "
            "police may do this when the situation asks for it."
        ),
    ),
    StepCode.POLICE_REPORT: (_("Notes"), ""),
    StepCode.INSPECTOR_INFORMED: (_("Notes"), ""),
    StepCode.MEASURES: (
        _("Which measures?"),
        _("For example: the staff member is suspended or given other tasks during the investigation."),
    ),
    StepCode.CONVERSATION: (
        _("What came out of the conversations?"),
        _("With the reporter, the staff member and, where needed, the pupil and the parents."),
    ),
    StepCode.PARENTS_INFORMED: (_("Who was informed, how and by whom?"), ""),
    StepCode.POLICE_CONSIDERED: (
        _("Reasons"),
        _("Why the board does or does not file an aangifte."),
    ),
}
DECISION_LABELS: dict[str, Any] = {
    StepCode.SUSPICION: _("Is there a reasonable suspicion of a criminal offence?"),
    StepCode.POLICE_CONSIDERED: _("Has the board filed an aangifte?"),
}


class StepForm(StyledFormMixin, forms.Form):
    """One step of a report; the fields shown depend on the step (see `domain.steps`)."""

    done_on = forms.DateField(
        label=_("Date"), widget=DateInput(), error_messages={"required": svc.MSG_DONE_ON}
    )

    def __init__(self, *args: Any, kind: str, code: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", code)
        super().__init__(*args, **kwargs)
        self.code = code
        spec = domain.spec(kind, code)
        step = StepCode(code)
        if spec.decision:
            self.fields["decision"] = forms.ChoiceField(
                label=DECISION_LABELS[step],
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": svc.MSG_DECISION},
            )
        if spec.place_required:
            self.fields["place"] = forms.CharField(
                label=_("Where was the aangifte filed?"),
                max_length=200,
                error_messages={"required": svc.MSG_PLACE},
            )
            self.fields["police_reference"] = forms.CharField(
                label=_("Police reference"), max_length=100, required=False
            )
        label, help_text = NOTE_LABELS[step]
        message = svc.NOTE_MESSAGES.get(step, "")
        self.fields["note"] = forms.CharField(
            label=label,
            required=spec.note_required,
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": message} if message else {},
        )
        self.style_fields()

    @property
    def label(self) -> str:
        return str(StepCode(self.code).label)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        decision = data.get("decision")
        return {
            "done_on": data["done_on"],
            "note": data.get("note", ""),
            "decision": None if not decision else decision == "yes",
            "place": data.get("place", ""),
            "police_reference": data.get("police_reference", ""),
        }


class CloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Conclusion"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": svc.MSG_CONCLUSION},
        help_text=_("What the board decided and why. The report is then closed; its steps stay."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.style_fields()


class NoteForm(StyledFormMixin, forms.Form):
    held_at = forms.DateTimeField(
        label=_("Date and time of the conversation"),
        widget=DateTimeLocalInput(),
        error_messages={"required": svc.MSG_HELD_AT},
    )
    with_whom = forms.CharField(
        label=_("With whom"),
        max_length=200,
        error_messages={"required": svc.MSG_WITH_WHOM},
        help_text=_("For example: a pupil of group 7, a mother, a colleague."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = forms.CharField(
        label=_("What was said"),
        error_messages={"required": svc.MSG_SUMMARY},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Facts only, in the words used. Only you can read this note."),
    )
    agreements = forms.CharField(
        label=_("Agreements"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=_("Follow-up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a new conversation in two weeks, a referral."),
    )
    pupils = _pupils_field(
        _("Optional: only needed if you may have to report this to the board. Only you see it.")
    )

    def __init__(
        self,
        *args: Any,
        pupil_choices: list[tuple[int, str]] | None = None,
        now: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if pupil_choices is None:
            del self.fields["pupils"]
        else:
            self.fields["pupils"].choices = pupil_choices  # type: ignore[attr-defined]
        if not self.is_bound and "held_at" not in self.initial:
            moment = timezone.localtime(now or timezone.now())
            self.initial["held_at"] = moment.replace(second=0, microsecond=0)
        self.style_fields()


class NoteCorrectionForm(NoteForm):
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": svc.MSG_REASON},
        help_text=_("What was wrong? The original stays, marked as corrected."),
    )


class NoteReportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": svc.MSG_KIND},
    )
    accused = forms.CharField(
        label=_("Who is it about?"),
        max_length=200,
        error_messages={"required": svc.MSG_ACCUSED},
        help_text=_("Name and function, or describe the person if you do not know the name."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "report")
        super().__init__(*args, **kwargs)
        self.style_fields()
