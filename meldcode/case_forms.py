"""Forms of the Meldcode case pages. They parse the input; `meldcode.services` checks it (its
messages appear next to the fields, nothing typed is lost) and writes.

The fields of the five steps carry the labels of `meldcode.domain.steps.STEPS` and are optional
here: what a step must record is the Meldcode's rule (`check_step`), so the service says what is
missing, in the rule's words.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Signal
from incidents.signal_forms import DateTimeLocalInput
from lev.accounts.models import User
from lev.schools.admin_forms import DateInput, PersonChoiceField, StyledFormMixin
from lev.schools.models import Pupil, SocialMapEntry

from .case_selectors import signal_label
from .domain.afwegingskader import QUESTIONS
from .domain.balans import (
    CONTEXT_SCALE_HELP,
    GOALS_QUESTION,
    GROUP_NAMES,
    LEVEL_NAMES,
    MAX_SCORE,
    MIN_SCORE,
    PROTECTIVE_QUESTION,
    RISK_QUESTION,
    Balans,
    Factor,
    FactorGroup,
    Level,
    groups_of,
)
from .domain.steps import KINDCHECK_QUESTION, SIGNAL_QUESTIONS, STEPS, WEIGHING_QUESTIONS, Step
from .models import ConsentStatus, FeedbackKind, VeiligThuisAdvice

FACTOR_ROWS = 4
YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
# Step 3 "signed" is stored as text, in Dutch like every record of the case.
SIGNED_TEXT = {YES: "ja", NO: "nee"}

DATE_ERRORS = {"required": _("Fill in the date."), "invalid": _("Fill in a date such as 05-12-2026.")}
OPTIONAL_DATE_ERRORS = {"invalid": _("Fill in a date such as 05-12-2026.")}


def record_label(step: Step, code: str) -> Any:
    """The label of what STEP records under CODE (`STEPS`)."""
    return next(record.label for record in STEPS[step].records if record.code == code)


def text(label: Any, *, rows: int = 3, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


def day_field(label: Any = None, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label or _("Date"),
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages=DATE_ERRORS if required else OPTIONAL_DATE_ERRORS,
    )


def _yes(value: str) -> bool:
    return value == YES


def yes_no(label: Any, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_yes,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


class SignalChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return signal_label(obj)


class PupilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation} ({obj.get_kind_display()})"


class CaseForm(StyledFormMixin, forms.Form):
    """Every form of the case pages: Bootstrap classes, and today as the default date."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in self.date_fields:
                self.initial.setdefault(name, timezone.localdate())
        self.style_fields()


# --- opening a case ----------------------------------------------------------------------------------


class CaseOpenForm(CaseForm):
    signals = SignalChoices(
        label=_("The signals the case is opened from"),
        queryset=Signal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choose only signals from the list.")},
    )
    reason = text(
        _("Why you open a Meldcode case"), rows=4, help_text=_("Which worries: facts, not opinions.")
    )
    case_manager = PersonChoiceField(
        label=_("Case manager"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the case manager."),
            "invalid_choice": _("Choose the case manager from the list."),
        },
    )

    def __init__(self, *args: Any, signals: QuerySet[Signal], managers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signals"].queryset = signals  # type: ignore[attr-defined]
        self.fields["case_manager"].queryset = managers  # type: ignore[attr-defined]


# --- the five steps -------------------------------------------------------------------------------


class StepForm(CaseForm):
    """The fields every step has; a subclass per step adds what it records."""

    step: Step
    date_fields = ("recorded_on",)
    recorded_on = day_field()

    def content(self) -> dict[str, str]:
        """The step's records as the service takes them (`CaseStepRecord.content`)."""
        return {}

    def extra(self) -> dict[str, Any]:
        """What the service takes besides the content (advice, Balansmodel, decision)."""
        return {}

    # The service's field names that are not a field of this form, and where their messages go.
    rename: dict[str, str] = {}


def _question_field(key: str) -> str:
    return f"question_{key}"


def _weighing_field(key: str) -> str:
    return f"weighing_{key}"


def _joined(answers: list[tuple[Any, str]]) -> str:
    """Questions and their answers as one text: each question, its answer below it."""
    return "\n\n".join(f"{question}\n{answer.strip()}" for question, answer in answers if answer.strip())


class SignalsStepForm(StepForm):
    step = Step.SIGNALS
    history = text(record_label(Step.SIGNALS, "history"), rows=3)
    signals = text(record_label(Step.SIGNALS, "signals"), rows=4)
    signal_list = text(
        record_label(Step.SIGNALS, "signal_list"),
        rows=3,
        help_text=_("Which signs from the list apply; one per line."),
    )
    kindcheck = text(KINDCHECK_QUESTION, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in SIGNAL_QUESTIONS.items():
            self.fields[_question_field(key)] = text(question, rows=2)
        self.style_fields()

    def question_fields(self) -> list[forms.BoundField]:
        return [self[_question_field(key)] for key in SIGNAL_QUESTIONS]

    def content(self) -> dict[str, str]:
        data = self.cleaned_data
        questions = _joined(
            [(question, data[_question_field(key)]) for key, question in SIGNAL_QUESTIONS.items()]
        )
        return {
            "history": data["history"],
            "signals": data["signals"],
            "signal_list": data["signal_list"],
            "questions": questions,
            "kindcheck": data["kindcheck"],
        }


class ConsultationStepForm(StepForm):
    step = Step.CONSULTATION
    consulted = text(record_label(Step.CONSULTATION, "consulted"))
    advice = text(record_label(Step.CONSULTATION, "advice"), rows=4)
    veilig_thuis_advice = forms.ChoiceField(
        label=_("Advice from Veilig Thuis"),
        choices=VeiligThuisAdvice.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Advice may be asked anonymously, without the pupil's name."),
    )
    letselduiding = text(record_label(Step.CONSULTATION, "letselduiding"), rows=2)

    def content(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "consulted": data["consulted"],
            "advice": data["advice"],
            "letselduiding": data["letselduiding"],
        }

    def extra(self) -> dict[str, Any]:
        return {"veilig_thuis_advice": self.cleaned_data["veilig_thuis_advice"]}

    rename = {"veilig_thuis": "veilig_thuis_advice"}


class ConversationStepForm(StepForm):
    step = Step.CONVERSATION
    participants = text(record_label(Step.CONVERSATION, "participants"), rows=2)
    discussed = text(record_label(Step.CONVERSATION, "discussed"), rows=5)
    agreements = text(record_label(Step.CONVERSATION, "agreements"), rows=3)
    signed = forms.ChoiceField(
        label=record_label(Step.CONVERSATION, "signed"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A step recorded again starts from the stored text ("ja"/"nee").
        stored = {text: choice for choice, text in SIGNED_TEXT.items()}
        if self.initial.get("signed") in stored:
            self.initial["signed"] = stored[self.initial["signed"]]

    def content(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "participants": data["participants"],
            "discussed": data["discussed"],
            "agreements": data["agreements"],
            "signed": SIGNED_TEXT.get(data["signed"], ""),
        }


def _group_choices() -> list[tuple[Any, Any]]:
    choices: list[tuple[Any, Any]] = [("", _("(no kind chosen)"))]
    for level in Level:
        choices.append((LEVEL_NAMES[level], [(str(group), GROUP_NAMES[group]) for group in groups_of(level)]))
    return choices


class WeighingStepForm(StepForm):
    """Step 4: the three questions of the weighing and the Balansmodel (Bijlage 13) as rows."""

    step = Step.WEIGHING
    shared_with = text(record_label(Step.WEIGHING, "shared_with"), rows=2)
    # Messages about all risk or protective factors together are shown above their rows.
    risk_factors = forms.CharField(required=False, widget=forms.HiddenInput, label=RISK_QUESTION)
    protective_factors = forms.CharField(required=False, widget=forms.HiddenInput, label=PROTECTIVE_QUESTION)
    context_score = forms.IntegerField(
        label=_("Context score (0 to 10)"),
        min_value=MIN_SCORE,
        max_value=MAX_SCORE,
        required=False,
        help_text=CONTEXT_SCALE_HELP,
        error_messages={
            "invalid": _("Fill in a whole number from 0 to 10."),
            "min_value": _("Fill in a whole number from 0 to 10."),
            "max_value": _("Fill in a whole number from 0 to 10."),
        },
    )
    goals = text(GOALS_QUESTION, rows=3, help_text=_("One goal per line."))

    KINDS = ("risk", "protective")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in WEIGHING_QUESTIONS.items():
            self.fields[_weighing_field(key)] = text(question, rows=3)
        levels = [(str(level), LEVEL_NAMES[level]) for level in Level]
        for kind in self.KINDS:
            for number in range(1, FACTOR_ROWS + 1):
                self.fields[f"{kind}_{number}_level"] = forms.ChoiceField(
                    label=_("Level"), choices=levels, initial=str(Level.MICRO), required=False
                )
                self.fields[f"{kind}_{number}_group"] = forms.ChoiceField(
                    label=_("Kind of factor"), choices=_group_choices(), required=False
                )
                self.fields[f"{kind}_{number}_description"] = forms.CharField(
                    label=_("Factor"), max_length=1000, required=False
                )
        self.style_fields()

    def weighing_fields(self) -> list[forms.BoundField]:
        return [self[_weighing_field(key)] for key in WEIGHING_QUESTIONS]

    def factor_rows(
        self, kind: str
    ) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                number,
                self[f"{kind}_{number}_level"],
                self[f"{kind}_{number}_group"],
                self[f"{kind}_{number}_description"],
            )
            for number in range(1, FACTOR_ROWS + 1)
        ]

    def risk_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return self.factor_rows("risk")

    def protective_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return self.factor_rows("protective")

    def _factors(self, kind: str) -> tuple[Factor, ...]:
        data = self.cleaned_data
        factors = []
        for number in range(1, FACTOR_ROWS + 1):
            description = (data.get(f"{kind}_{number}_description") or "").strip()
            if not description:
                continue  # an empty row is no factor
            group = data.get(f"{kind}_{number}_group") or ""
            level = Level(data.get(f"{kind}_{number}_level") or Level.MICRO)
            factors.append(Factor(level, description, FactorGroup(group) if group else None))
        return tuple(factors)

    def balans(self) -> Balans | None:
        """The Balansmodel filled in, or None when none of it is (it is optional in step 4)."""
        data = self.cleaned_data
        risks = self._factors("risk")
        protective = self._factors("protective")
        goals = tuple(line.strip() for line in data["goals"].splitlines() if line.strip())
        score = data["context_score"]
        if not risks and not protective and not goals and score is None:
            return None
        return Balans(risk_factors=risks, protective_factors=protective, context_score=score, goals=goals)

    def content(self) -> dict[str, str]:
        data = self.cleaned_data
        answers = _joined(
            [(question, data[_weighing_field(key)]) for key, question in WEIGHING_QUESTIONS.items()]
        )
        return {"weighing_questions": answers, "shared_with": data["shared_with"]}

    def extra(self) -> dict[str, Any]:
        return {"balans": self.balans()}

    rename = {"weighing_questions": _weighing_field(next(iter(WEIGHING_QUESTIONS))), "balans": "risk_factors"}


class DecisionStepForm(StepForm):
    step = Step.DECISION
    decision_melden = yes_no(record_label(Step.DECISION, "decision_melden"))
    decision_hulp = yes_no(record_label(Step.DECISION, "decision_hulp"))
    reasons = text(record_label(Step.DECISION, "reasons"), rows=4)
    decided_by = PersonChoiceField(
        label=record_label(Step.DECISION, "decided_by"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose who decided from the list.")},
    )

    def __init__(self, *args: Any, deciders: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if deciders is not None:
            self.fields["decided_by"].queryset = deciders  # type: ignore[attr-defined]
            if not self.is_bound and deciders.count() == 1:
                self.initial.setdefault("decided_by", deciders.first())

    def content(self) -> dict[str, str]:
        return {"reasons": self.cleaned_data["reasons"]}

    def extra(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "decision_melden": data["decision_melden"],
            "decision_hulp": data["decision_hulp"],
            "decided_by": data["decided_by"],
        }


STEP_FORMS: dict[Step, type[StepForm]] = {
    Step.SIGNALS: SignalsStepForm,
    Step.CONSULTATION: ConsultationStepForm,
    Step.CONVERSATION: ConversationStepForm,
    Step.WEIGHING: WeighingStepForm,
    Step.DECISION: DecisionStepForm,
}


class ConversationSkipForm(CaseForm):
    date_fields = ("recorded_on",)
    conversation_skip_reason = text(
        _("Why the conversation with the parents is left out"),
        rows=4,
        help_text=_(
            "The concrete indications that holding the conversation could put someone's safety at risk."
        ),
    )
    recorded_on = day_field()


# --- the afwegingskader ----------------------------------------------------------------------------


class AnswerForm(CaseForm):
    prefix = "answer"
    date_fields = ("answered_on",)
    question = forms.ChoiceField(choices=[(key, key) for key in QUESTIONS], widget=forms.HiddenInput)
    answer = yes_no(_("Answer"), required=True)
    reasoning = text(_("Reasoning"), rows=4, help_text=_("Why this answer: the facts you base it on."))
    answered_on = day_field()
    with_veilig_thuis = forms.BooleanField(label=_("Answered together with Veilig Thuis"), required=False)

    rename = {"question": "__all__"}


# --- the melding and Veilig Thuis --------------------------------------------------------------------


class MeldingForm(CaseForm):
    melded_at = forms.DateTimeField(
        label=_("Date and time of the melding"),
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Fill in when the melding was made (date and time)."),
            "invalid": _("Fill in a date and a time, for example 24-11-2026 10:30."),
        },
    )
    reference = forms.CharField(label=_("Veilig Thuis reference"), max_length=100, required=False)
    identity_shield = forms.BooleanField(
        label=_("The school asked Veilig Thuis to shield its identity from the family"), required=False
    )
    parents_informed_on = day_field(_("The parents were informed of the melding on"), required=False)
    parents_not_informed_reason = text(
        _("Or: why the parents were not informed"),
        rows=2,
        help_text=_("For example: informing them could put the child's safety at risk."),
    )
    filed_by = PersonChoiceField(
        label=_("Made by"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose who made the melding."),
            "invalid_choice": _("Choose who made the melding from the list."),
        },
    )

    def __init__(self, *args: Any, staff: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filed_by"].queryset = staff  # type: ignore[attr-defined]


class FeedbackForm(CaseForm):
    date_fields = ("feedback_on",)
    feedback_on = day_field(_("Feedback received on"))
    kind = forms.ChoiceField(
        label=_("What Veilig Thuis decided"),
        choices=[("", "—"), *FeedbackKind.choices],
        required=False,
    )
    feedback = text(_("The feedback"), rows=3)
    investigation_started_on = day_field(_("Investigation started on"), required=False)


class InformationRequestForm(CaseForm):
    date_fields = ("requested_on",)
    requested_on = day_field(_("Requested on"))
    requested_by = forms.CharField(label=_("Asked by (at Veilig Thuis)"), max_length=200, required=False)
    consent = forms.ChoiceField(
        label=_("Consent of the parents"),
        choices=ConsentStatus.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    shared = text(_("What the school shared"), rows=4)
    verslag_accorded = forms.BooleanField(
        label=_("The school agreed the report of the conversation"), required=False
    )


# --- help and its evaluations ------------------------------------------------------------------------


class HelpForm(CaseForm):
    date_fields = ("starts_on",)
    description = text(_("The help"), rows=3, help_text=_("What help, and what it should achieve."))
    partner = PartnerChoice(
        label=_("With (social map)"),
        queryset=SocialMapEntry.objects.none(),
        required=False,
        empty_label=_("Not on the social map"),
        error_messages={"invalid_choice": _("Choose a partner from the list.")},
    )
    partner_other = forms.CharField(
        label=_("Or: with whom (not on the social map)"), max_length=200, required=False
    )
    starts_on = day_field(_("Starts on"))
    evaluate_on = day_field(_("First evaluation on"))

    def __init__(self, *args: Any, partners: QuerySet[SocialMapEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class EvaluationForm(CaseForm):
    date_fields = ("held_on",)
    held_on = day_field(_("Held on"))
    conclusion = text(_("Conclusion"), rows=3)
    next_on = day_field(
        _("Next evaluation on"), required=False, help_text=_("Leave empty if none is planned.")
    )


# --- people: related pupils, access, case manager, closing -----------------------------------------


class RelatedPupilForm(CaseForm):
    prefix = "related"
    pupil = PupilChoice(
        label=_("Pupil"),
        queryset=Pupil.objects.none(),
        error_messages={
            "required": _("Choose the pupil."),
            "invalid_choice": _("Choose a pupil from the list."),
        },
    )
    relation = forms.CharField(
        label=_("Relation to the pupil"),
        max_length=100,
        required=False,
        help_text=_("For example: brother, sister, half-sister."),
    )

    def __init__(self, *args: Any, pupils: QuerySet[Pupil], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]


class GrantForm(CaseForm):
    prefix = "grant"
    user = PersonChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the staff member."),
            "invalid_choice": _("Choose a staff member from the list."),
        },
    )

    def __init__(self, *args: Any, users: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class CaseManagerForm(CaseForm):
    prefix = "manager"
    case_manager = PersonChoiceField(
        label=_("New case manager"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the case manager."),
            "invalid_choice": _("Choose the case manager from the list."),
        },
    )

    def __init__(self, *args: Any, managers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = managers  # type: ignore[attr-defined]


class CloseForm(CaseForm):
    prefix = "close"
    closing_note = text(_("How the case ends"), rows=3)
    monitoring_agreements = text(
        _("Agreements on monitoring future (un)safety"),
        rows=3,
        help_text=_("With those involved and the partners: who watches what, and until when."),
    )

    def __init__(self, *args: Any, monitoring: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not monitoring:
            del self.fields["monitoring_agreements"]
