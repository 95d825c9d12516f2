"""Outbox handlers of the incidents app. No content leaves LEV by mail (ARCHITECTURE.md §8)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.jobs.registry import housekeeping, job_handler
from lev.schools.models import Membership

from .models import Incident, Signal
from .notifications import NOTIFY_JOB
from .permissions import LEAD_ROLES


@job_handler(NOTIFY_JOB)
def send_new_record_notice(record_kind: str, record_id: int, now: datetime | None = None) -> int:
    """E-mail the school's directors, deputies and IB (not the author) that something waits."""
    model = Signal if record_kind == "signal" else Incident
    record = model.objects.select_related("school").filter(pk=record_id).first()
    if record is None:
        return 0
    author_id = record.author_id if isinstance(record, Signal) else record.recorded_by_id
    day = timezone.localdate(now) if now is not None else timezone.localdate()
    leads = (
        Membership.objects.active_on(day)
        .filter(school=record.school, role__in=LEAD_ROLES, user__is_active=True)
        .exclude(user_id=author_id)
        .select_related("user")
    )
    url_name = "incidents:signal_detail" if record_kind == "signal" else "incidents:incident_detail"
    link = settings.LEV_BASE_URL.rstrip("/") + reverse(url_name, args=[record.pk])
    subject = _("Something is waiting for you in LEV")
    body = "\n\n".join(
        [_("Something is waiting for you in LEV (school %(school)s).") % {"school": record.school.name}, link]
    )
    sent = 0
    seen: set[str] = set()
    for membership in leads:
        address = (membership.user.email or "").strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        sent += send_mail(subject, body, None, [address], fail_silently=False)
    return sent


@housekeeping("incidents.signal_drafts")
def purge_signal_drafts(now: datetime) -> int:
    """Signal drafts are kept 24 hours at most, also for users who never come back."""
    from .signal_services import signal_drafts_purge

    return signal_drafts_purge(now=now)
