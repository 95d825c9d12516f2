"""The start page's "Open crises" section for the director, the deputy and the IB (UX.md: the
director's start page shows open crises). A crisis is rare, so the section appears only while the
active school has an open one; it lists them (one query) with the actions not done yet."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lev.schools.access import AccessContext
from lev.web.start import StartSection

from .models import ActionStatus, CrisisStatus
from .permissions import crises_visible_to

LIMIT = 15


def open_crises(ctx: AccessContext) -> StartSection | None:
    school = ctx.active_school
    if school is None:
        return None
    crises = list(
        crises_visible_to(ctx, school)
        .filter(status=CrisisStatus.OPEN)
        .annotate(open_actions=Count("actions", filter=~Q(actions__status=ActionStatus.DONE)))
        .order_by("-started_at", "-id")[:LIMIT]
    )
    if not crises:
        return None
    return StartSection(
        key="open_crises",
        title=gettext_lazy("Open crises"),
        empty=gettext_lazy("No open crises."),
        items=[
            {
                "label": crisis.title,
                "detail": _("started on %(date)s; %(actions)s")
                % {
                    "date": dateformat.format(timezone.localtime(crisis.started_at), "d-m-Y"),
                    "actions": ngettext(
                        "%(count)s action not done", "%(count)s actions not done", crisis.open_actions
                    )
                    % {"count": crisis.open_actions},
                },
                "url": reverse("crisis:detail", args=[crisis.pk]),
            }
            for crisis in crises
        ],
        action_label=gettext_lazy("All crises"),
        action_url=reverse("crisis:list"),
    )
