"""The Vlaggensysteem form and the interface labels of `incidents.domain.flags`.

The domain keeps the plan's Dutch wording as its source; the labels here are the English msgids the
interface shows through gettext (translated back to the plan's words in the catalogue). The form
parses the input; `flag_services.assessment_record` checks it and writes.

The form is worked in two ways: "Bereken suggestie" re-renders it with the suggestion (nothing is
saved, no errors shown), "Weging vastleggen" validates and records. Questions of the mode that is not
chosen (one pupil or a group) stay in the page as hidden inputs, so nothing typed is lost when the
assessor switches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import StyledFormMixin

from .domain import flags as d
from .models import Flag, IncidentPupil

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as Promise

# --- Labels ---------------------------------------------------------------------------------------

CRITERION_LABELS: dict[str, Promise] = {
    d.TOESTEMMING: _("Mutual consent"),
    d.VRIJWILLIGHEID: _("Voluntariness"),
    d.GELIJKWAARDIGHEID: _("Equality"),
    d.ONTWIKKELINGSADEQUAAT: _("Fits the development"),
    d.CONTEXTADEQUAAT: _("Fits the context"),
    d.ZELFRESPECTEREND: _("Self-respecting"),
}
CRITERION_HELP: dict[str, Promise] = {
    d.TOESTEMMING: _("Both parties clearly gave their consent to the behaviour."),
    d.VRIJWILLIGHEID: _("Everyone involved is free of coercion or seduction."),
    d.GELIJKWAARDIGHEID: _("The parties are sufficiently equal."),
    d.ONTWIKKELINGSADEQUAAT: _("The behaviour matches what research describes for children of this age."),
    d.CONTEXTADEQUAAT: _("The context allows this behaviour."),
    d.ZELFRESPECTEREND: _("The behaviour does not harm or humiliate the child."),
}
ANSWER_LABELS: dict[str, Promise] = {
    d.Answer.MET: pgettext_lazy("criterion", "Met"),
    d.Answer.NOT_MET: pgettext_lazy("criterion", "Not met"),
    d.Answer.UNKNOWN: pgettext_lazy("criterion", "Unknown"),
}
INDIVIDUAL_QUESTION_LABELS: dict[str, Promise] = {
    "voorgeschiedenis": _("Is anything known about the history of this pupil?"),
    "zelfrespect": _("Can the pupil's self-respect be seen as a risk factor?"),
    "ontwikkeling": _("Does the behaviour fit the pupil's development?"),
    "context": _(
        "Do location, culture, religion or (deviating) norms and values make the behaviour transgressive?"
    ),
    "druk": _("Did (group) pressure or coercion lead the pupil to the behaviour?"),
}
GROUP_QUESTION_LABELS: dict[str, Promise] = {
    "voorgeschiedenis": _("Is the history of each pupil involved known?"),
    "begrip": _(
        "Did everyone involved understand beforehand what they were going to do and what it could mean "
        "for themselves and others?"
    ),
    "ontwikkeling": _("Does the behaviour fit the development of each pupil?"),
    "gelijkwaardigheid": _(
        "Are the pupils involved equal to each other in experience, body size, position in the group, "
        "intelligence and self-respect?"
    ),
    "context": _(
        "Do location, culture, religion or (deviating) norms and values make the behaviour of the pupils "
        "transgressive?"
    ),
    "druk": _(
        "Did (group) pressure or coercion, by those involved or by others, lead the group to the behaviour?"
    ),
}
GAP_LABELS: dict[str, Promise] = {
    d.GAP_CRITERIA_CLEAR: _("Is it clear for every criterion whether it was crossed or not?"),
    "risico_veiligheid": _("Are there risks to the physical and social safety of those involved?"),
    "onrust": _(
        "Can the behaviour lead to (widespread) unrest in the class, the school or the neighbourhood?"
    ),
    "ontwikkelpunt": _("Are there criteria to work on with those involved as a point of development?"),
}
GAP_HELP: dict[str, Promise] = {
    d.GAP_CRITERIA_CLEAR: _(
        "Note: with young children what really happened is sometimes hard to find out. Required when a "
        "criterion is unknown: write what is still unknown and how you find it out."
    ),
}
DECISION_LABELS: dict[str, Promise] = {
    d.DECISION_SEVERITY: _("Severity"),
    "communicatie": _("Communication"),
    "toezicht": _("Supervision"),
    "aanvullende_regels": _("Additional rules"),
}
DECISION_HELP: dict[str, Promise] = {
    d.DECISION_SEVERITY: _(
        "Is the social or physical safety of those involved at stake, or was the incident a one-off and "
        "small-scale?"
    ),
    "communicatie": _("Which parents do you talk to, and what do you discuss?"),
    "toezicht": _("Is the existing supervision enough to guide or prevent this situation in the future?"),
    "aanvullende_regels": _(
        "Are additional rules needed to keep everyone safe (Bijlage 19: additional (temporary) rules)?"
    ),
}
FLAG_WORDS: dict[str, Promise] = {
    d.Flag.GROEN: pgettext_lazy("flag", "Green"),
    d.Flag.GEEL: pgettext_lazy("flag", "Yellow"),
    d.Flag.ROOD: pgettext_lazy("flag", "Red"),
    d.Flag.ZWART: pgettext_lazy("flag", "Black"),
}
FLAG_RESPONSES: dict[str, Promise] = {
    d.Flag.GROEN: _("respond positively (affirming) or not at all"),
    d.Flag.GEEL: _("warn or set limits"),
    d.Flag.ROOD: _("forbid"),
    d.Flag.ZWART: _("punish or intervene"),
}
REASON_TEXTS: dict[str, Promise] = {
    d.Reason.ALL_MET: _("All six criteria are met."),
    d.Reason.UNKNOWN_NOT_GREEN: _(
        "No criterion is not met, but not every criterion is known to be met. Green asks for all six to be met."
    ),
    d.Reason.FEW_NOT_MET: _("One or two criteria are not met."),
    d.Reason.SEVERAL_NOT_MET: _("Three or more criteria are not met: several criteria."),
    d.Reason.NO_CONSENT_UNEQUAL: _("Mutual consent and equality are both not met."),
    d.Reason.COERCION: _("Voluntariness is not met: there was coercion or seduction."),
    d.Reason.NEARLY_ALL_NOT_MET: _("Five or more of the six criteria are not met: (nearly) all criteria."),
    d.Reason.COERCION_UNEQUAL_HARM: _(
        "Coercion together with inequality, and the behaviour is not self-respecting or does not fit the "
        "development."
    ),
    d.Reason.GAPS: _(
        "Incomplete: one or more criteria are unknown. Find out what is missing, or explain it under Gaps."
    ),
}
GROUP = "group"
NEED_ANSWER = _("Choose for this criterion: met, not met or unknown.")

# Where a refusal of the service appears in this form.
SERVICE_FIELDS: dict[str, str] = {
    "pupil": "subject",
    "group_behaviour": "subject",
    **{f"criteria.{code}": f"crit_{code}" for code in d.CRITERION_CODES},
    **{f"gaps.{q.code}": f"gap_{q.code}" for q in d.GAP_QUESTIONS},
    **{f"decision.{q.code}": f"decision_{q.code}" for q in d.DECISION_POINTS},
}


def flag_choices() -> list[tuple[str, str]]:
    return [(str(flag), f"{FLAG_WORDS[flag]} — {FLAG_RESPONSES[flag]}") for flag in d.FLAG_ORDER]


def subject_choices(involvements: list[IncidentPupil]) -> list[tuple[str, str]]:
    """One choice per involved pupil ("Name (role)") and one for the group."""
    choices = [(str(i.pupil_id), f"{i.pupil.full_name} ({i.get_role_display()})") for i in involvements]
    choices.append((GROUP, str(_("A group of pupils (behaviour of a group)"))))
    return choices


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def question_field(prefix: str, code: str) -> str:
    return f"q_{prefix}_{code}"


class AssessmentForm(StyledFormMixin, forms.Form):
    subject = forms.ChoiceField(
        label=_("Whose behaviour do you weigh?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the pupil whose behaviour you weigh, or the group.")},
    )
    flag = forms.ChoiceField(
        label=_("Flag"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a flag.")},
    )
    deviation_reason = forms.CharField(
        label=_("Why another flag than the suggestion?"),
        required=False,
        max_length=4000,
        widget=_textarea(2),
        help_text=_("Required when you choose another flag than LEV suggests."),
    )
    pedagogical_response = forms.CharField(
        label=_("Pedagogical response"),
        max_length=4000,
        widget=_textarea(3),
        error_messages={"required": _("Write the pedagogical response to the behaviour.")},
        help_text=_("Filled in from the flag. Describe what you will do."),
    )
    shown_suggestion = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, involvements: list[IncidentPupil], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices(involvements)  # type: ignore[attr-defined]
        self.fields["flag"].choices = flag_choices()  # type: ignore[attr-defined]
        for criterion in d.CRITERIA:
            self.fields[f"crit_{criterion.code}"] = forms.ChoiceField(
                label=CRITERION_LABELS[criterion.code],
                help_text=CRITERION_HELP[criterion.code],
                choices=[(str(a), ANSWER_LABELS[a]) for a in d.Answer],
                widget=forms.RadioSelect,
                error_messages={"required": NEED_ANSWER, "invalid_choice": NEED_ANSWER},
            )
            self.fields[f"crit_{criterion.code}_note"] = forms.CharField(
                label=gettext("Explanation (%(criterion)s)")
                % {"criterion": str(CRITERION_LABELS[criterion.code]).lower()},
                required=False,
                max_length=2000,
                widget=_textarea(2),
            )
        for prefix, labels in (("ind", INDIVIDUAL_QUESTION_LABELS), ("grp", GROUP_QUESTION_LABELS)):
            for code, label in labels.items():
                self.fields[question_field(prefix, code)] = forms.CharField(
                    label=label, required=False, max_length=4000, widget=_textarea(2)
                )
        for q in d.GAP_QUESTIONS:
            self.fields[f"gap_{q.code}"] = forms.CharField(
                label=GAP_LABELS[q.code],
                help_text=GAP_HELP.get(q.code, ""),
                required=False,
                max_length=4000,
                widget=_textarea(2),
            )
        for q in d.DECISION_POINTS:
            required = q.code == d.DECISION_SEVERITY
            self.fields[f"decision_{q.code}"] = forms.CharField(
                label=DECISION_LABELS[q.code],
                help_text=DECISION_HELP[q.code],
                required=required,
                max_length=4000,
                widget=_textarea(2),
                error_messages={"required": _("Describe the severity of the behaviour.")},
            )
        if len(involvements) == 1 and not self.is_bound and "subject" not in self.initial:
            self.initial["subject"] = str(involvements[0].pupil_id)
        self.style_fields()
        self.fields["shown_suggestion"].widget.attrs.pop("class", None)

    # --- Reading the form as it stands (bound data or initial), without validating ---------------

    def raw(self, name: str) -> str:
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial
        value = source.get(name, "")
        return "" if value is None else str(value)

    @property
    def group_behaviour(self) -> bool:
        return self.raw("subject") == GROUP

    def answers(self) -> dict[str, str]:
        """The criteria's answers as typed; anything else than an answer counts as unknown."""
        valid = {str(a) for a in d.Answer}
        return {
            code: value if (value := self.raw(f"crit_{code}")) in valid else str(d.Answer.UNKNOWN)
            for code in d.CRITERION_CODES
        }

    def any_answer(self) -> bool:
        return any(self.raw(f"crit_{code}") for code in d.CRITERION_CODES)

    def suggestion(self) -> d.Suggestion:
        return d.suggest_flag(self.answers())

    # --- Groups of fields for the template --------------------------------------------------------

    def criterion_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"crit_{code}"], self[f"crit_{code}_note"]) for code in d.CRITERION_CODES]

    def _questions(self, group: bool) -> list[forms.BoundField]:
        prefix, labels = ("grp", GROUP_QUESTION_LABELS) if group else ("ind", INDIVIDUAL_QUESTION_LABELS)
        return [self[question_field(prefix, code)] for code in labels]

    def question_fields(self) -> list[forms.BoundField]:
        return self._questions(self.group_behaviour)

    def other_question_fields(self) -> list[forms.BoundField]:
        """The questions of the mode not chosen: kept in the page as hidden inputs."""
        return self._questions(not self.group_behaviour)

    def gap_fields(self) -> list[forms.BoundField]:
        return [self[f"gap_{q.code}"] for q in d.GAP_QUESTIONS]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self[f"decision_{q.code}"] for q in d.DECISION_POINTS]

    # --- For the service ----------------------------------------------------------------------------

    def service_kwargs(self, involvements: list[IncidentPupil]) -> dict[str, Any]:
        data = self.cleaned_data
        group = data["subject"] == GROUP
        pupils = {str(i.pupil_id): i.pupil for i in involvements}
        prefix, labels = ("grp", GROUP_QUESTION_LABELS) if group else ("ind", INDIVIDUAL_QUESTION_LABELS)
        return {
            "pupil": None if group else pupils[data["subject"]],
            "group_behaviour": group,
            "criteria": {
                code: {"answer": data[f"crit_{code}"], "note": data[f"crit_{code}_note"]}
                for code in d.CRITERION_CODES
            },
            "questions": {code: data[question_field(prefix, code)] for code in labels},
            "gaps": {q.code: data[f"gap_{q.code}"] for q in d.GAP_QUESTIONS},
            "flag": data["flag"],
            "deviation_reason": data["deviation_reason"],
            "pedagogical_response": data["pedagogical_response"],
            "decision": {q.code: data[f"decision_{q.code}"] for q in d.DECISION_POINTS},
        }


def recalculated(data: Mapping[str, Any], involvements: list[IncidentPupil]) -> AssessmentForm:
    """The form for "Bereken suggestie": unbound, with what was typed as its initial values, the flag
    set to the new suggestion unless the assessor chose another one, and the pedagogical response
    set to the chosen flag's unless the assessor wrote their own."""
    names = AssessmentForm(involvements=involvements).fields.keys()
    initial: dict[str, Any] = {name: data.get(name, "") for name in names}
    suggested = AssessmentForm(initial=initial, involvements=involvements).suggestion().flag.value
    previous = initial.get("shown_suggestion") or ""
    if initial.get("flag") in ("", previous) or initial.get("flag") not in Flag.values:
        initial["flag"] = suggested
    defaults = {d.default_response(flag) for flag in d.FLAG_ORDER}
    if str(initial.get("pedagogical_response") or "").strip() in {"", *defaults}:
        initial["pedagogical_response"] = d.default_response(initial["flag"])
    initial["shown_suggestion"] = suggested
    return AssessmentForm(initial=initial, involvements=involvements)
