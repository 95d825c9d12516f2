"""Start-page sections of this app (registered in `MisconductConfig.ready`):

- "Mijn gesprekken" for the vertrouwenspersoon: how many conversation notes they keep (a count
  only, so no note is read and nothing is access-logged), with the button to record one;
- "Meldingen WPO 4a" for the board, only while a report is open: how many, and how many have a
  step whose onverwijld term has passed. Counts only; no report's content on the start page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lev.deadlines.models import Deadline, DeadlineStatus
from lev.schools.access import AccessContext
from lev.web.start import StartSection

from .models import ReportStatus
from .permissions import confidant_schools, notes_of, reports_of_board


def my_conversations(ctx: AccessContext) -> StartSection | None:
    if not confidant_schools(ctx):
        return None
    count = notes_of(ctx).filter(corrections__isnull=True).count()
    items = []
    if count:
        items.append(
            {
                "label": ngettext("%(count)s conversation", "%(count)s conversations", count)
                % {"count": count},
                "detail": _("only you can read them"),
                "url": reverse("misconduct:confidant_notes"),
            }
        )
    return StartSection(
        key="my_conversations",
        title=gettext_lazy("My conversations"),
        empty=gettext_lazy(
            "Notes of confidential conversations you record appear here. Only you can read them."
        ),
        items=items,
        action_label=gettext_lazy("Record a conversation"),
        action_url=reverse("misconduct:confidant_note_new"),
    )


def open_reports(ctx: AccessContext) -> StartSection | None:
    reports = reports_of_board(ctx).filter(status=ReportStatus.OPEN)
    count = reports.count()
    if not count:
        return None
    report_ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
    late = (
        Deadline.objects.filter(
            subject_type="misconduct.misconductreport",
            subject_id__in=report_ids,
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED],
            overdue_at__lte=timezone.now(),
        )
        .values("subject_id")
        .distinct()
        .count()
    )
    detail = (
        ngettext(
            "%(count)s with a step whose term has passed",
            "%(count)s with a step whose term has passed",
            late,
        )
        % {"count": late}
        if late
        else _("every step within its term")
    )
    return StartSection(
        key="wpo4a_reports",
        title=gettext_lazy("WPO 4a reports"),
        empty=gettext_lazy("No open reports."),
        items=[
            {
                "label": ngettext("%(count)s open report", "%(count)s open reports", count)
                % {"count": count},
                "detail": detail,
                "url": reverse("misconduct:wpo4a_list"),
            }
        ],
    )
