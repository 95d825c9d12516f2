"""The incident register's filter form: GET parameters, so a filtered register can be bookmarked.

Parameters: `van`, `tot` (dates, yyyy-mm-dd), `categorie` (a category code), `groep` (a group id),
`leerling` (a pupil id — never a name in the URL), `status` (open/closed). A value that does not
parse is shown as an error at its field and left out of the filter; the other filters still apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from lev.schools.admin_forms import DateInput, StyledFormMixin

from .models import IncidentCategory, IncidentStatus
from .register_selectors import RegisterFilters

FILTER_PARAMS = ("van", "tot", "categorie", "groep", "leerling", "status")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


class PlainSelect(forms.Select):
    """A select built in Python instead of one template per option: the pupil filter of a large
    school offers hundreds of pupils, and Django's option templates cost milliseconds per hundred."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), mark_safe(" selected") if str(option) in selected else "", label)
                for option, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


def _date_in_range(value: dt.date | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(_("Choose a date between 01-01-2000 and 31-12-2099."))


class RegisterFilterForm(StyledFormMixin, forms.Form):
    van = forms.DateField(label=_("From"), required=False, widget=DateInput(), validators=[_date_in_range])
    tot = forms.DateField(
        label=_("Up to and including"), required=False, widget=DateInput(), validators=[_date_in_range]
    )
    categorie = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *IncidentCategory.choices],
    )
    groep = forms.TypedChoiceField(
        label=_("Group"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=PlainSelect,
        help_text=_("Incidents with a pupil who was in this group on the day it happened."),
    )
    leerling = forms.TypedChoiceField(
        label=_("Pupil"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Open and closed")), *IncidentStatus.choices]
    )

    def __init__(
        self,
        data: QueryDict | None,
        *,
        groups: Sequence[tuple[int, str]],
        pupils: Sequence[tuple[int, str]],
    ) -> None:
        """GROUPS and PUPILS are (id, label) pairs: what the selects offer, and all they accept."""
        super().__init__(data)
        self.group_labels = dict(groups)
        self.pupil_labels = dict(pupils)
        self.fields["groep"].choices = [("", _("All groups")), *groups]  # type: ignore[attr-defined]
        self.fields["leerling"].choices = [("", _("All pupils")), *pupils]  # type: ignore[attr-defined]
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error(
                "tot",
                _("The end of the period lies before its start. Choose a date on or after %(start)s.")
                % {"start": start.strftime("%d-%m-%Y")},
            )
        return cleaned

    def filters(self) -> RegisterFilters:
        """The filters that parsed (call after `is_valid()`); a field with an error is left out."""
        data = getattr(self, "cleaned_data", {})
        return RegisterFilters(
            date_from=data.get("van"),
            date_to=data.get("tot"),
            category=data.get("categorie") or "",
            group_id=data.get("groep"),
            pupil_id=data.get("leerling"),
            status=data.get("status") or "",
        )

    def described(self, *, pupil_label: str = "") -> list[tuple[str, str]]:
        """(label, value) of every filter in use, for the page and the PDF header. PUPIL_LABEL
        replaces the pupil's name (the MR version prints initials)."""
        data = getattr(self, "cleaned_data", {})
        parts: list[tuple[str, str]] = []
        if data.get("categorie"):
            parts.append((str(_("Category")), str(IncidentCategory(data["categorie"]).label)))
        if data.get("groep") is not None:
            parts.append((str(_("Group")), self.group_labels[data["groep"]]))
        if data.get("leerling") is not None:
            parts.append((str(_("Pupil")), pupil_label or self.pupil_labels[data["leerling"]]))
        if data.get("status"):
            parts.append((str(_("Status")), str(IncidentStatus(data["status"]).label)))
        return parts


def filter_query(params: QueryDict) -> str:
    """The filter part of a query string (no page number), for links to other pages and exports."""
    return urlencode([(key, params[key]) for key in FILTER_PARAMS if params.get(key)])
