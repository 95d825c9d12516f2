"""Forms of the verwijdering pages. They parse the input; `escalation.verwijdering_services` checks
it (its messages appear next to the field they concern) and writes. Every form on the one page has
its own prefix, so each field has a stable, unique id (`id_hearing-heard_on`, `id_answer-7-answer`).
Nothing is required here that the service also asks for: the service's message is the one shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident
from lev.schools.admin_forms import DateInput, StyledFormMixin

from .domain.verwijdering import GROUND_LABELS, VerwijderingGround
from .models import ApproachAnswer, ObjectionOutcome

DATE_ERRORS = {"invalid": _("Enter a valid date.")}


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), help_text=help_text, error_messages=DATE_ERRORS
    )


def _text(label: Any, *, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class _Form(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class IncidentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} — {obj.happened_on:%d-%m-%Y} — {obj.get_category_display()}"


GROUND_2_NEEDS = _(
    "Ground 2 needs lighter measures that did not help and a warning to the pupil and/or the parents "
    "that a next time leads to verwijdering (Bijlage 4)."
)


class VerwijderingStartForm(_Form):
    ground = forms.TypedChoiceField(
        label=_("Ground (Bijlage 4)"),
        choices=[(g.value, GROUND_LABELS[g]) for g in VerwijderingGround],
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text=GROUND_2_NEEDS,
    )
    ground_explanation = _text(
        _("Explanation of the ground"),
        rows=4,
        help_text=_("What happened, and why the school cannot keep the pupil any longer."),
    )
    earlier_measures = _text(_("Earlier measures"), help_text=_("The steps taken before, and their effect."))
    lighter_measures_failed = forms.BooleanField(label=_("Lighter measures did not help"), required=False)
    warning_given_on = _date(_("Warning given on"))
    warning_note = _text(_("The warning"), rows=2, help_text=_("What was said or written, and to whom."))
    incidents = IncidentsField(
        label=_("Incidents"),
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose incidents of this pupil only."),
            "invalid_pk_value": _("Choose incidents of this pupil only."),
        },
    )
    interim_arrangement = _text(
        _("Where the pupil goes to school meanwhile"),
        help_text=_(
            "At this school, or an agreed alternative where the pupil is taught. Excluding the pupil "
            "meanwhile is a schorsing of at most one week."
        ),
    )

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = incidents  # type: ignore[attr-defined]


class ReportForm(_Form):
    made_on = _date(_("Onderwijskundig rapport made on"))


class HearingForm(_Form):
    who = forms.ChoiceField(
        label=_("Who was heard"),
        choices=[
            ("groepsleraar", _("The class teacher")),
            ("parents", _("The parents")),
            ("pupil", _("The pupil")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    heard_on = _date(_("Heard on"))
    note = _text(_("What was said"), rows=4)


class DecideForm(_Form):
    decided_on = _date(_("Date of the decision"))
    reasons = _text(_("Reasons of the decision"), rows=5)


class SentForm(_Form):
    sent_on = _date(
        _("Decision sent on"),
        help_text=_("The bezwaar term of six weeks counts from the day after this date."),
    )
    delivered_on = _date(_("Received by the parents on"), help_text=_("If known; it does not move the term."))


class LetterForm(_Form):
    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=[
            ("verwijdering_uitnodiging", _("Invitation to be heard")),
            ("verwijdering_besluit", _("Decision letter")),
        ],
    )


class LeerplichtForm(_Form):
    reported_on = _date(_("Reported to leerplicht on"))


class BezwaarForm(_Form):
    posted_on = _date(_("Posted on"), help_text=_("The postmark, if the bezwaar came by post."))
    received_on = _date(_("Received on"))
    grounds = _text(_("What the parents object to"), rows=4)


class BezwaarHearingForm(_Form):
    heard_on = _date(_("Parents heard on"))
    note = _text(_("What the parents said"), rows=4)


class BezwaarDecideForm(_Form):
    decided_on = _date(_("Date of the decision on the bezwaar"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *ObjectionOutcome.choices],
        required=False,
    )
    reasons = _text(_("Reasons"), rows=4)


class GpoFileForm(_Form):
    filed_on = _date(_("Filed at the GPO on"))


class GpoDefenceForm(_Form):
    sent_on = _date(_("Verweer sent on"))


class GpoEndForm(_Form):
    how = forms.ChoiceField(
        label=_("How the case ended"),
        choices=[
            ("opinion", _("The commission gave its opinion")),
            ("withdrawn", _("The parents withdrew it")),
        ],
        widget=forms.RadioSelect,
        initial="opinion",
    )
    ended_on = _date(_("On"))
    opinion = _text(_("The opinion in a few sentences"), rows=3)


class ApproachForm(_Form):
    school_name = forms.CharField(label=_("School"), max_length=200, required=False)
    approached_on = _date(_("Approached on"))
    note = _text(_("Note"), rows=2)


class ApproachAnswerForm(_Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=ApproachAnswer.choices)
    answered_on = _date(_("Answered on"))
    tlv_requested_on = _date(
        _("TLV requested on"), help_text=_("Toelaatbaarheidsverklaring, if one was requested.")
    )
    note = _text(_("Note"), rows=2)


class CompleteForm(_Form):
    removed_on = _date(_("Removed on"))


class DeregisterForm(_Form):
    enrolment_notice_on = _date(_("New school's notice of enrolment received on"))
    deregistered_on = _date(_("De-registered on"))


class WithdrawForm(_Form):
    reason = _text(_("Why the verwijdering is withdrawn"), rows=3)
