"""Forms of the incident pages. They parse the input and check what a form can see (the rows of
pupils, the file's content); `incident_services` decides the rest and its messages appear next to
the fields too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin
from lev.schools.models import Pupil

from .incident_selectors import users_by_id
from .incident_services import FUTURE_DATE, FUTURE_TIME, NewAttachment, happened_moment
from .models import IncidentCategory, PupilRole, Severity, Signal
from .uploads import check_upload

MIN_PUPIL_ROWS = 3
MORE_ROWS = 3
MAX_PUPIL_ROWS = 30


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def pupil_rows(data: Any, *, more: bool = False) -> int:
    """How many pupil rows the form shows: at least three, three more on "add rows"."""
    try:
        rows = int(data.get("pupil_rows", MIN_PUPIL_ROWS)) if data is not None else MIN_PUPIL_ROWS
    except (TypeError, ValueError):
        rows = MIN_PUPIL_ROWS
    rows = max(MIN_PUPIL_ROWS, rows) + (MORE_ROWS if more else 0)
    return min(rows, MAX_PUPIL_ROWS)


class AttachmentFields(forms.Form):
    """The optional file with its description (on the new-incident form and the attachment page)."""

    attachment = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF or a photo (PNG or JPEG). Save other documents as PDF first."),
    )
    attachment_description = forms.CharField(
        label=_("Description of the file"),
        max_length=200,
        required=False,
        help_text=_("For example: photo of the message, notes of the conversation with the parents."),
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload

    def new_attachments(self) -> list[NewAttachment]:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return []
        return [NewAttachment(upload=upload, description=self.cleaned_data.get("attachment_description", ""))]


class IncidentForm(StyledFormMixin, AttachmentFields):
    happened_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the incident."),
            "invalid": _("Enter a valid date."),
        },
    )
    happened_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TimeInput(),
        help_text=_("If you know it."),
        error_messages={"invalid": _("Enter a valid time, for example 10:30.")},
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        error_messages={
            "required": _("Say where it happened, for example: schoolyard, classroom 5a, online.")
        },
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Choose a category"))] + list(IncidentCategory.choices),
        error_messages={"required": _("Choose the category that fits best.")},
    )
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The facts: what happened, what was seen and said. No opinions, no diagnoses."),
        error_messages={"required": _("Describe what happened: the facts, in a few sentences.")},
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how serious the incident is.")},
    )
    staff_involved = forms.TypedMultipleChoiceField(
        label=_("Staff involved"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose staff members of this school only.")},
    )
    others_involved = forms.CharField(
        label=_("Others involved"),
        max_length=300,
        required=False,
        help_text=_(
            "Adults without a LEV account, by name and function, for example a parent or a volunteer."
        ),
    )
    reporter = forms.TypedChoiceField(
        label=_("Reported by"),
        coerce=int,
        error_messages={
            "required": _("Choose who reported the incident."),
            "invalid_choice": _("Choose a staff member of this school as the reporter."),
        },
    )
    signals = forms.TypedMultipleChoiceField(
        label=_("Linked signals"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Link signals you can see of this school only.")},
    )

    def __init__(
        self,
        *args: Any,
        pupils: list[tuple[int, str]],
        staff: list[tuple[int, str]],
        reporters: list[tuple[int, str]] | None,
        signals: list[Signal],
        rows: int = MIN_PUPIL_ROWS,
        now: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.rows = rows
        self.pupil_labels = dict(pupils)
        self.signal_objects = {signal.pk: signal for signal in signals}
        empty: list[tuple[Any, Any]] = [("", _("Choose a pupil"))]
        for index in range(rows):
            self.fields[f"pupil_{index}"] = forms.TypedChoiceField(
                label=_("Pupil %(number)d") % {"number": index + 1},
                coerce=int,
                required=False,
                choices=empty + pupils,
                error_messages={"invalid_choice": _("Choose a pupil of this school from the list.")},
            )
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=_("Role of pupil %(number)d") % {"number": index + 1},
                required=False,
                choices=[("", _("Choose a role"))] + list(PupilRole.choices),
                error_messages={"invalid_choice": _("Choose one of the roles in the list.")},
            )
        self.fields["staff_involved"].choices = staff  # type: ignore[attr-defined]
        if reporters is None:
            del self.fields["reporter"]
        else:
            self.fields["reporter"].choices = reporters  # type: ignore[attr-defined]
        self.fields["signals"].choices = [(s.pk, str(s.pk)) for s in signals]  # type: ignore[attr-defined]
        self.style_fields()

    # --- Rendering helpers --------------------------------------------------------------------

    def pupil_row_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(index, self[f"pupil_{index}"], self[f"role_{index}"]) for index in range(self.rows)]

    def linked_signals(self) -> list[Signal]:
        """The signals offered for linking (checked or not), in date order."""
        return list(self.signal_objects.values())

    def checked_signal_ids(self) -> set[int]:
        value = self["signals"].value() or []
        checked = set()
        for item in value:
            try:
                checked.add(int(item))
            except (TypeError, ValueError):
                continue
        return checked

    def without_errors(self) -> IncidentForm:
        """Keep the input but show no errors (after "add rows", before the user is done)."""
        self.is_valid()
        self._errors = forms.utils.ErrorDict()
        return self

    # --- Checking -----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        super().clean()
        data: dict[str, Any] = self.cleaned_data
        # The service refuses these too; checked here as well so that every error shows at once.
        happened_on, happened_time = data.get("happened_on"), data.get("happened_time")
        if happened_on is not None and happened_on > timezone.localdate(self.now):
            self.add_error("happened_on", _(FUTURE_DATE))
        elif (
            happened_on is not None
            and happened_time is not None
            and happened_moment(happened_on, happened_time) > self.now
        ):
            self.add_error("happened_time", _(FUTURE_TIME))
        rows: list[tuple[int, str]] = []
        seen: set[int] = set()
        for index in range(self.rows):
            pupil_field, role_field = f"pupil_{index}", f"role_{index}"
            if pupil_field in self._errors or role_field in self._errors:
                continue
            chosen = data.get(pupil_field)
            role = data.get(role_field) or ""
            if chosen in (None, ""):
                if role:
                    self.add_error(pupil_field, _("Choose the pupil, or leave the role empty."))
                continue
            pupil_id = int(str(chosen))
            if not role:
                self.add_error(role_field, _("Choose the role of this pupil."))
            elif pupil_id in seen:
                self.add_error(pupil_field, _("This pupil is in the list already. Remove the double row."))
            else:
                rows.append((pupil_id, role))
                seen.add(pupil_id)
        has_row_errors = any(k.startswith(("pupil_", "role_")) for k in self._errors)
        if not rows and not has_row_errors:
            self.add_error("pupil_0", _("Add at least one pupil and the pupil's role."))
        data["pupil_list"] = rows
        return data

    def service_kwargs(self, *, school: Any, actor: Any) -> dict[str, Any]:
        data = self.cleaned_data
        rows: list[tuple[int, str]] = data["pupil_list"]
        pupils = Pupil.objects.filter(school=school).in_bulk([pupil_id for pupil_id, _role in rows])
        staff_ids = list(data.get("staff_involved") or [])
        reporter_id = data.get("reporter")
        users = users_by_id(staff_ids + ([reporter_id] if reporter_id else []))
        return {
            "happened_on": data["happened_on"],
            "happened_time": data.get("happened_time"),
            "location": data["location"],
            "category": data["category"],
            "description": data["description"],
            "severity": data["severity"],
            "pupils": [(pupils[pupil_id], role) for pupil_id, role in rows if pupil_id in pupils],
            "staff_involved": [users[pk] for pk in staff_ids if pk in users],
            "others_involved": data.get("others_involved", ""),
            "reporter": users.get(reporter_id) if reporter_id else actor,
            "signals": [
                self.signal_objects[pk] for pk in data.get("signals") or [] if pk in self.signal_objects
            ],
            "attachments": self.new_attachments(),
        }


class AttachmentForm(StyledFormMixin, AttachmentFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].required = True
        self.fields["attachment"].error_messages["required"] = _("Choose the file to attach.")
        self.style_fields()


class FollowUpForm(StyledFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Action"),
        max_length=300,
        help_text=_("Who does what, for example: talk with the parents of both pupils."),
        error_messages={"required": _("Describe the action: who does what.")},
    )
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        coerce=int,
        error_messages={
            "required": _("Choose who carries out the action."),
            "invalid_choice": _("Choose a staff member of this school as the owner."),
        },
    )
    due_on = forms.DateField(
        label=_("Agreed date"),
        widget=DateInput(),
        help_text=_("LEV puts the action in the owner's deadlines on this date."),
        error_messages={
            "required": _("Enter the date agreed for this action."),
            "invalid": _("Enter a valid date."),
        },
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Choose the owner"))] + staff  # type: ignore[attr-defined]
        self.style_fields()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        owner = users_by_id([data["owner"]]).get(data["owner"])
        due_on: date = data["due_on"]
        return {"description": data["description"], "owner": owner, "due_on": due_on}


class FollowUpDoneForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=300,
        help_text=_("If the action is no longer needed, say so and why."),
        error_messages={"required": _("Write down what was done (or why it is no longer needed).")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


class CloseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("How was the incident concluded?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the agreements made with the pupils and parents, and that it has stopped."),
        error_messages={"required": _("Write down how the incident was concluded.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
