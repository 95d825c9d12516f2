from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Enrolment, School, SchoolYear
from .domain import content_problem

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SchoolYearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.board.name}"


class ImportUploadForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"), empty_label=None)
    school_year = SchoolYearChoiceField(
        queryset=SchoolYear.objects.none(),
        label=_("School year"),
        empty_label=None,
        help_text=_(
            "Pupils are placed in the groups of this school year. Years that have ended are not listed."
        ),
    )
    file = forms.FileField(
        label=_("Export from the pupil administration (CSV)"),
        help_text=_(
            "A CSV file separated by semicolons or commas, UTF-8 or Windows-1252, at most 10 MB. "
            "The first line holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(
        self, *args: Any, schools: list[School], school_years: list[SchoolYear], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        school_field = self.fields["school"]
        year_field = self.fields["school_year"]
        assert isinstance(school_field, forms.ModelChoiceField)
        assert isinstance(year_field, forms.ModelChoiceField)
        school_field.queryset = School.objects.filter(pk__in=[s.pk for s in schools]).order_by("name")
        year_field.queryset = (
            SchoolYear.objects.filter(pk__in=[y.pk for y in school_years])
            .select_related("board")
            .order_by("board__name", "starts_on")
        )
        _style(self)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 10 MB. Export only the pupils of this school."))
        self.filename = str(upload.name or "")
        data = upload.read()
        problem = content_problem(data)
        if problem:
            raise ValidationError(problem)
        return bytes(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        school, year = cleaned.get("school"), cleaned.get("school_year")
        if school is not None and year is not None and year.board_id != school.board_id:
            self.add_error("school_year", _("This school year belongs to another board than the school."))
        return cleaned


class ImportApplyForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
    expected_left = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm_left = forms.BooleanField(required=False)

    def __init__(self, *args: Any, left_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.left_count = left_count
        self.fields["confirm_left"].label = ngettext(
            "I confirm that %(count)s pupil who is not in the file will be marked as left.",
            "I confirm that %(count)s pupils who are not in the file will be marked as left.",
            left_count,
        ) % {"count": left_count}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        expected = cleaned.get("expected_left")
        if expected and not cleaned.get("confirm_left"):
            self.add_error(
                "confirm_left",
                ngettext(
                    "Tick this box to confirm that %(count)s pupil will be marked as left.",
                    "Tick this box to confirm that %(count)s pupils will be marked as left.",
                    expected,
                )
                % {"count": expected},
            )
        return cleaned


class ConfirmLeavingForm(forms.Form):
    """One checkbox and one date per provisionally-left enrolment."""

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            name = enrolment.pupil.full_name
            self.fields[f"confirm_{enrolment.pk}"] = forms.BooleanField(
                required=False, label=_("Confirm the leaving of %(name)s") % {"name": name}
            )
            self.fields[f"left_on_{enrolment.pk}"] = forms.DateField(
                required=False,
                label=_("Leaving date of %(name)s") % {"name": name},
                initial=enrolment.left_on,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        _style(self)

    def rows(self) -> list[tuple[Enrolment, forms.BoundField, forms.BoundField]]:
        return [(e, self[f"confirm_{e.pk}"], self[f"left_on_{e.pk}"]) for e in self.enrolments]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = []
        for enrolment in self.enrolments:
            if not cleaned.get(f"confirm_{enrolment.pk}"):
                continue
            left_on: date | None = cleaned.get(f"left_on_{enrolment.pk}")
            field = f"left_on_{enrolment.pk}"
            if left_on is None:
                if field not in self.errors:
                    self.add_error(field, _("Give the leaving date."))
                continue
            if left_on < enrolment.enrolled_on:
                self.add_error(
                    field,
                    _("The leaving date cannot lie before the enrolment date %(date)s.")
                    % {"date": enrolment.enrolled_on.strftime("%d-%m-%Y")},
                )
                continue
            chosen.append((enrolment.pk, left_on))
        if not chosen and not self.errors:
            raise ValidationError(_("Tick at least one pupil whose leaving you confirm."))
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )
        cleaned["chosen"] = chosen
        return cleaned
