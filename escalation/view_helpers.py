"""What the stappenplan's pages share: the request's access context, an address that may not exist,
the access-log row of a read, and the handling of a small form posted to a service (validate, call
the service, then go on or show the page again with the errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.web.forms import add_service_errors

from .permissions import role_text


def lev_context(request: HttpRequest) -> AccessContext:
    """The user's access context, set on the request by the middleware."""
    return request.lev  # type: ignore[attr-defined,no-any-return]


def url_or_none(name: str, *args: Any) -> str | None:
    """The address of the page NAME, or None where that page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def redirect_to(name: str, pk: int, anchor: str = "") -> HttpResponse:
    """Back to the page NAME of the record PK, at ANCHOR when given."""
    return redirect(reverse(name, args=[pk]) + (f"#{anchor}" if anchor else ""))


def open_letter(letter: Any) -> HttpResponse:
    """To the page of the letter just made, to check it and submit it for approval."""
    return redirect("communications:letter_detail", letter_id=letter.pk)


def bound_form(form: Form) -> dict[str, Form]:
    """A posted form under its key on the page, which is its prefix (the pages' BOUND)."""
    return {form.prefix or "": form}


def log_access(
    ctx: AccessContext, obj: Any, pupil_id: int, roles: frozenset[str], *, granted: bool = True
) -> None:
    """The read of OBJ (about the pupil PUPIL_ID) in the access log, as the ROLES held."""
    read(user=ctx.user, obj=obj, pupil_id=pupil_id, role=role_text(roles), granted=granted)


def handle_form(
    request: HttpRequest,
    form: Form,
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
