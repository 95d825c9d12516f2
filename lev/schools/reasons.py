"""The reasons a teacher gave for opening a pupil's file outside their groups, kept in the session.

The pupil page and every page that reads a pupil's file through `access_pupil_for_user` (the
contact log, …) share them: a reason given once counts for this pupil until the user signs out, and
every read is access-logged with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from .permissions import PupilAccess

SESSION_REASONS = "lev_access_reasons"


def remembered_reason(request: HttpRequest, pupil_id: int) -> str:
    return str(request.session.get(SESSION_REASONS, {}).get(str(pupil_id), ""))


def remember_reason(request: HttpRequest, pupil_id: int, reason: str) -> None:
    reasons = dict(request.session.get(SESSION_REASONS, {}))
    reasons[str(pupil_id)] = reason
    request.session[SESSION_REASONS] = reasons


def open_pupil_file(request: HttpRequest, pupil_id: int) -> PupilAccess | HttpResponse:
    """The pupil's file through the chokepoint, or the page that asks a teacher for a reason.

    A valid reason posted here is remembered for the session and the page is requested again, so
    the read is logged with it (the same flow as the pupil page)."""
    from django.shortcuts import redirect, render

    from .forms import AccessReasonForm
    from .permissions import ReasonRequired, access_pupil_for_user

    ctx = request.lev  # type: ignore[attr-defined]
    posted_reason = request.method == "POST" and "reason" in request.POST
    reason_form = AccessReasonForm(request.POST if posted_reason else None)
    if posted_reason and reason_form.is_valid():
        remember_reason(request, pupil_id, reason_form.cleaned_data["reason"])
        return redirect(request.get_full_path())
    try:
        return access_pupil_for_user(ctx, pupil_id, reason=remembered_reason(request, pupil_id))
    except ReasonRequired as needed:
        return render(request, "schools/pupil_reason.html", {"pupil": needed.pupil, "form": reason_form})
