"""Form helpers shared by the views of every app."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


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


def handle_form(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    run: Callable[[dict[str, Any]], Any],
    success: str | Callable[[dict[str, Any]], str],
    done: Callable[[Any], HttpResponse],
    again: Callable[[], HttpResponse],
    refused: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate FORM and call the service through RUN with its cleaned data. When it succeeds: the
    SUCCESS message (or SUCCESS(cleaned data)) and DONE(what RUN returned), a redirect. A refusal
    that concerns no field, where REFUSED is given, is shown above the page and REFUSED() goes there
    (the form may no longer apply); any other refusal is shown next to its field. Otherwise AGAIN()
    shows the page once more with the form, its errors and everything typed."""
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as exc:
            if refused is not None and not hasattr(exc, "error_dict"):
                for text in exc.messages:
                    messages.error(request, text)
                return refused()
            add_service_errors(form, exc)
        else:
            messages.success(request, success if isinstance(success, str) else success(form.cleaned_data))
            return done(result)
    return again()
