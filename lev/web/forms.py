"""Form helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal next to the field it concerns (or above the form). RENAME maps a
    service's field name to the form's where they differ."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = (rename or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)
