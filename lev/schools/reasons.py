"""The reasons a teacher gave for opening a pupil's file outside their groups, kept in the session.

The pupil page and every page that reads a pupil's file through `access_pupil_for_user` (the
contact log, …) share them: a reason given once counts for this pupil until the user signs out, and
every read is access-logged with it.
"""

from __future__ import annotations

from django.http import HttpRequest

SESSION_REASONS = "lev_access_reasons"


def remembered_reason(request: HttpRequest, pupil_id: int) -> str:
    return str(request.session.get(SESSION_REASONS, {}).get(str(pupil_id), ""))


def remember_reason(request: HttpRequest, pupil_id: int, reason: str) -> None:
    reasons = dict(request.session.get(SESSION_REASONS, {}))
    reasons[str(pupil_id)] = reason
    request.session[SESSION_REASONS] = reasons
