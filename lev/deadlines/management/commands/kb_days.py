"""`manage.py kb_days`: the operator's list of KB-gelijkgestelde dagen (Atw art. 3).

    manage.py kb_days list
    manage.py kb_days add YYYY-MM-DD "description" --source "Stcrt. 2029, 12345" [--verified]
    manage.py kb_days verify YYYY-MM-DD

The days are national; each deployment keeps its own list (shipped in `data/kb_days.json` and loaded
by a migration, each marked "verify against the Staatscourant"). Every change is audited.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.deadlines.domain.calendar import AtwCalendar
from lev.deadlines.models import KBDay

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def kb_day_add(
    *, day: date, description: str, source: str, verified: bool, actor: Any, now: datetime
) -> KBDay:
    """Add a KB day; refuses a date outside the calendar, a weekend day, a holiday or a known date."""
    description = description.strip()
    source = source.strip()
    calendar = AtwCalendar()
    if not calendar.in_range(day):
        raise CommandError(
            _("%(date)s is outside the supported calendar (%(first)s to %(last)s).")
            % {
                "date": day.isoformat(),
                "first": calendar.first_day.isoformat(),
                "last": calendar.last_day.isoformat(),
            }
        )
    if day.weekday() >= 5:
        raise CommandError(_("%(date)s is a Saturday or Sunday: it needs no KB.") % {"date": day.isoformat()})
    if calendar.holiday_name(day) is not None:
        raise CommandError(_("%(date)s is already a recognised holiday.") % {"date": day.isoformat()})
    if not description:
        raise CommandError(_("Give a description, for example 'vrijdag na Hemelvaartsdag'."))
    if not source:
        raise CommandError(_("Give the source reference with --source (the Staatscourant publication)."))
    with transaction.atomic():
        if KBDay.objects.select_for_update().filter(date=day).exists():
            raise CommandError(_("%(date)s is already in the list.") % {"date": day.isoformat()})
        kb_day = KBDay.objects.create(date=day, description=description, source=source, verified=verified)
        record(
            "deadlines.kb_day_added",
            actor=actor,
            obj=kb_day,
            summary={"date": day.isoformat(), "verified": verified, "via": "manage.py kb_days"},
            now=now,
        )
    return kb_day


def kb_day_verify(*, day: date, actor: Any, now: datetime) -> KBDay:
    """Mark a KB day as verified against the Staatscourant."""
    with transaction.atomic():
        kb_day = KBDay.objects.select_for_update().filter(date=day).first()
        if kb_day is None:
            raise CommandError(_("%(date)s is not in the list.") % {"date": day.isoformat()})
        if kb_day.verified:
            raise CommandError(_("%(date)s is already marked as verified.") % {"date": day.isoformat()})
        kb_day.verified = True
        kb_day.save(update_fields=["verified"])
        record(
            "deadlines.kb_day_verified",
            actor=actor,
            obj=kb_day,
            summary={"date": day.isoformat(), "fields": ["verified"], "via": "manage.py kb_days"},
            now=now,
        )
    return kb_day


def parse_date(value: str) -> date:
    if not _DATE.fullmatch(value):
        raise CommandError(_("%(value)s is not a date as YYYY-MM-DD.") % {"value": value})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not an existing date.") % {"value": value}) from None


class Command(BaseCommand):
    help = "List, add and verify the days declared equal to a holiday by royal decree (Atw art. 3)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help=_("Show every KB day with its source and status."))
        add = actions.add_parser("add", help=_("Add a KB day."))
        add.add_argument("date", help=_("The date as YYYY-MM-DD."))
        add.add_argument("description", help=_("For example 'vrijdag na Hemelvaartsdag'."))
        add.add_argument("--source", required=True, help=_("The Staatscourant publication."))
        add.add_argument(
            "--verified", action="store_true", help=_("Already checked against the Staatscourant.")
        )
        verify = actions.add_parser("verify", help=_("Mark a KB day as verified against the Staatscourant."))
        verify.add_argument("date", help=_("The date as YYYY-MM-DD."))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        now = timezone.now()
        if action == "list":
            self._list()
        elif action == "add":
            kb_day = kb_day_add(
                day=parse_date(options["date"]),
                description=options["description"],
                source=options["source"],
                verified=options["verified"],
                actor=None,
                now=now,
            )
            self.stdout.write(_("Added %(date)s.") % {"date": kb_day.date.isoformat()})
        elif action == "verify":
            kb_day = kb_day_verify(day=parse_date(options["date"]), actor=None, now=now)
            self.stdout.write(_("Marked %(date)s as verified.") % {"date": kb_day.date.isoformat()})

    def _list(self) -> None:
        rows = list(KBDay.objects.order_by("date"))
        if not rows:
            self.stdout.write(_("No KB days recorded."))
            return
        for row in rows:
            status = _("verified") if row.verified else _("NOT VERIFIED: check the Staatscourant")
            self.stdout.write(f"{row.date.isoformat()}  {row.description}  [{status}]  {row.source}")
