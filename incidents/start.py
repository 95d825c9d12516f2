"""The start-page sections of the signals (UX.md): new signals to read for the IB and the
directors, and the draft signal waiting for whoever records signals. Registered in `apps.ready`.

The "Signaal vastleggen" button itself is the action of the teacher's "My groups" section
(lev/web/start_providers.py) and of the staff member's "My signals" section (here).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lev.schools.access import AccessContext
from lev.schools.models import Role
from lev.web.start import PROVIDERS, Provider, StartSection, provides

from .permissions import LEAD_ROLES, RECORDING_ROLES, is_lead, may_record
from .signal_selectors import my_signals, signal_draft_for, unread_signal_count


def signals_to_read(ctx: AccessContext) -> StartSection | None:
    """For the IB, the director and the deputy: how many signals of the school they have not read."""
    school = ctx.active_school
    if school is None or not is_lead(ctx, school):
        return None
    count = unread_signal_count(ctx, school)
    list_url = reverse("incidents:signal_list")
    items = []
    if count:
        items.append(
            {
                "label": ngettext("%(count)s new signal", "%(count)s new signals", count) % {"count": count},
                "detail": _("recorded by teachers and staff of %(school)s") % {"school": school.name},
                "url": f"{list_url}?ongelezen=1",
            }
        )
    return StartSection(
        key="signals_to_read",
        title=gettext_lazy("New signals to read"),
        empty=gettext_lazy(
            "No new signals. Signals that teachers and staff record appear here until you have read them."
        ),
        items=items,
        action_label=gettext_lazy("All signals"),
        action_url=list_url,
    )


def signal_draft_waiting(ctx: AccessContext) -> StartSection | None:
    """For anyone who records signals: the draft they did not finish (only while it is kept)."""
    school = ctx.active_school
    if school is None or not may_record(ctx, school):
        return None
    draft = signal_draft_for(ctx.user, school, timezone.now())
    if draft is None:
        return None
    when = dateformat.format(timezone.localtime(draft.updated_at), "d-m-Y H:i")
    return StartSection(
        key="signal_draft",
        title=gettext_lazy("Draft signal"),
        empty="",
        items=[
            {
                "label": _("You have a draft of %(when)s: continue or throw away") % {"when": when},
                "detail": _("it is removed 24 hours after you last typed in it"),
                "url": reverse("incidents:signal_new"),
            }
        ],
    )


RECENT = 5


def my_recent_signals(ctx: AccessContext) -> StartSection | None:
    """For a staff member without a group: their latest signals (no pupil names on the start page)
    and the button to record one."""
    school = ctx.active_school
    if school is None or Role.STAFF not in ctx.roles_at(school):
        return None
    mine = my_signals(ctx, school).prefetch_related(None)
    count = mine.count()
    items = [
        {
            "label": dateformat.format(timezone.localtime(signal.happened_at), "d-m-Y H:i"),
            "detail": signal.location,
            "url": reverse("incidents:signal_detail", args=[signal.pk]),
        }
        for signal in mine[:RECENT]
    ]
    if count > RECENT:
        items.append(
            {
                "label": _("All my signals (%(count)s)") % {"count": count},
                "url": reverse("incidents:my_signals"),
            }
        )
    return StartSection(
        key="my_signals",
        title=gettext_lazy("My signals"),
        empty=gettext_lazy("No signals yet. Signals you record about pupils appear here."),
        items=items,
        action_label=gettext_lazy("Record a signal"),
        action_url=reverse("incidents:signal_new"),
    )


def _register(fn: Provider, roles: list[str]) -> None:
    new_roles = [role for role in roles if fn not in PROVIDERS.get(role, [])]
    if new_roles:
        provides(*new_roles)(fn)


def register_start_sections() -> None:
    """Add the signal sections to the start page (once, however often it is called)."""
    _register(signals_to_read, [r for r in Role if r in LEAD_ROLES])
    _register(signal_draft_waiting, [r for r in Role if r in RECORDING_ROLES])
    _register(my_recent_signals, [Role.STAFF])
