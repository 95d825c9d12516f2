"""Forms of the letter pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lev.schools.models import Pupil, PupilGuardian, SchoolGroup

from .domain.kinds import Audience, LetterKind, Source
from .domain.texts import KINDS
from .letter_models import DispatchMethod, Letter

STAYS_HOME = "thuis_gehouden"


class NewLetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), widget=forms.Select(attrs={"class": "form-select"}))
    pupil = forms.ModelChoiceField(
        label=_("Pupil (for a letter about one pupil)"),
        queryset=Pupil.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups (for a letter to the parents of groups)"),
        queryset=SchoolGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, pupils: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.title) for k in KINDS.values()]  # type: ignore[attr-defined]
        self.fields["pupil"].queryset = pupils  # type: ignore[attr-defined]
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = KINDS.get(data.get("kind", ""))
        if kind is None:
            return data
        if kind.audience == Audience.PUPIL_PARENTS and not data.get("pupil"):
            self.add_error("pupil", _("Choose the pupil this letter is about."))
        if kind.audience == Audience.GROUP_PARENTS and not data.get("groups"):
            self.add_error("groups", _("Choose the groups whose parents receive this letter."))
        return data


def value_field(code: str) -> str:
    return f"value_{code}"


class LetterEditForm(forms.Form):
    """One field per merge value the author types, the optional parts, copies and overrides."""

    def __init__(self, *args: Any, letter: Letter, kind: LetterKind, pupils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        stays_home = {"thuis_eerste_dag", "thuis_laatste_dag"}
        for f in kind.fields:
            if f.source != Source.LETTER or f.code in stays_home:
                continue
            widget: forms.Widget
            if f.multiline:
                widget = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
            else:
                widget = forms.TextInput(attrs={"class": "form-control"})
            self.fields[value_field(f.code)] = forms.CharField(
                label=f.label,
                required=False,
                max_length=4000,
                initial=letter.values.get(f.code, ""),
                help_text=_("For example: %(sample)s") % {"sample": f.sample.splitlines()[0][:120]},
                widget=widget,
            )
        if any(b.code == STAYS_HOME for b in kind.optional_blocks):
            self.fields["stays_home"] = forms.BooleanField(
                label=_("Add the sentence that a pupil involved does not come to school for some days"),
                help_text=_(
                    "Only when a decided suspension of that pupil covers those days (LEGAL.md R2a). "
                    "The pupil is never named in the letter."
                ),
                required=False,
                initial=STAYS_HOME in letter.enabled_blocks,
            )
            self.fields["stays_home_pupil"] = forms.ModelChoiceField(
                label=_("Which pupil"),
                queryset=pupils,
                required=False,
                initial=letter.values.get("thuis_leerling_id") or None,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields["stays_home_first"] = forms.DateField(
                label=_("First day"),
                required=False,
                initial=letter.values.get("thuis_eerste_dag_iso") or None,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            )
            self.fields["stays_home_last"] = forms.DateField(
                label=_("Last day"),
                required=False,
                initial=letter.values.get("thuis_laatste_dag_iso") or None,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            )
        self.fields["copies_to"] = forms.CharField(
            label=_("In afschrift aan (one per line)"),
            required=False,
            initial="\n".join(letter.copies_to),
            help_text=_("Send copies only where the law or the school's settings require them."),
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        )
        if kind.wording_override_required:
            self.fields["wording_override_reason"] = forms.CharField(
                label=_("Why must flagged words stay? (only when LEV flags words)"),
                required=False,
                max_length=1000,
                initial=letter.wording_override_reason,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        if letter.pupil is not None:
            without = PupilGuardian.objects.filter(pupil=letter.pupil, has_gezag=False).select_related(
                "guardian"
            )
            if without.exists():
                self.fields["include_without_gezag"] = forms.TypedMultipleChoiceField(
                    label=_("Also send to parents without parental authority"),
                    choices=[(link.guardian_id, link.guardian.full_name) for link in without],
                    coerce=int,
                    required=False,
                    initial=letter.include_without_gezag,
                    widget=forms.CheckboxSelectMultiple,
                )
                self.fields["without_gezag_reason"] = forms.CharField(
                    label=_("Why do they receive it?"),
                    required=False,
                    max_length=1000,
                    initial=letter.without_gezag_reason,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stays_home"):
            for name in ("stays_home_pupil", "stays_home_first", "stays_home_last"):
                if not data.get(name):
                    self.add_error(name, _("Fill this in, or switch the sentence off."))
            first, last = data.get("stays_home_first"), data.get("stays_home_last")
            if first and last and last < first:
                self.add_error("stays_home_last", _("The last day cannot be before the first day."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class DispatchForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How was it sent?"),
        choices=DispatchMethod.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    sent_on = forms.DateField(
        label=_("Date sent or handed over"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number (registered mail)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    delivered_on = forms.DateField(
        label=_("Date delivered (when known)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, kind: LetterKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not kind.attachment_allowed:
            method = self.fields["method"]
            assert isinstance(method, forms.ChoiceField)
            method.choices = [c for c in DispatchMethod.choices if c[0] != DispatchMethod.EMAIL]
