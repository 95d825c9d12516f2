from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lev.schools.middleware import SESSION_ACTIVE_SCHOOL

from .start import start_sections


def start(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    return render(request, "web/start.html", {"sections": start_sections(ctx)})


@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = 0
    if any(s.pk == school_id for s in ctx.schools):
        request.session[SESSION_ACTIVE_SCHOOL] = school_id
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "web:start"
    return redirect(target)
