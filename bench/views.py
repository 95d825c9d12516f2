"""The baseline: what every LEV page costs before it does any work of its own.

A signed-in, two-factor-verified request passes the whole middleware stack (session, user, OTP
device, timeouts, memberships for the navigation), runs one query on an index and renders the
base template with the user's menu. Each page's time is compared with this view's time measured
with the same client in the same run.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lev.schools.models import Pupil


def baseline(request: HttpRequest, school_id: int) -> HttpResponse:
    # One query on the index (school, achternaam, roepnaam): the first pupil by name.
    first = (
        Pupil.objects.filter(school_id=school_id)
        .order_by("achternaam", "roepnaam")
        .values_list("pk", flat=True)
        .first()
    )
    return render(request, "base.html", {"baseline_first_pupil": first})
