"""What the stappenplan's pages share: the request's access context, an address that may not exist,
the access-log row of a read. The form-to-service handler they use is `lev.web.forms.handle_form`.
"""

from __future__ import annotations

from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from lev.audit.services import read
from lev.schools.access import AccessContext

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
