from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .access import build_access_context

SESSION_ACTIVE_SCHOOL = "lev_active_school"


class ActiveSchoolMiddleware:
    """Attach `request.lev`, the access context (memberships and the active school)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def build():  # type: ignore[no-untyped-def]
            session = getattr(request, "session", None)
            active = session.get(SESSION_ACTIVE_SCHOOL) if session is not None else None
            return build_access_context(request.user, today=timezone.localdate(), active_school_id=active)

        request.lev = SimpleLazyObject(build)  # type: ignore[attr-defined]
        return self.get_response(request)
