"""`manage.py deadline RULE START [--school-type bijzonder|openbaar] [--adviescommissie]`

Prints the due date of a statutory or policy term: line 1 is exactly the due date (YYYY-MM-DD, or
the instant for `datalek`); for "onverwijld" rules line 2 is "te laat na: YYYY-MM-DD"; then the
explanation in Dutch. Errors are one line on stderr with exit status 2.

Needs no database: the KB-gelijkgestelde dagen come from the database when it is migrated, else from
the shipped data file (`lev/deadlines/data/kb_days.json`).
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lev.deadlines.calendar_data import KBSource, atw_calendar
from lev.deadlines.domain import RULE_CODES, DeadlineError, Unit, due_date, resolve_rule

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def error_message(exc: DeadlineError) -> str:
    """The user's message for a domain error (English msgids, translated by the catalogue)."""
    params = {key: str(value) for key, value in exc.params.items()}
    messages = {
        "unknown_rule": _("Unknown rule %(rule)s; known rules: %(known)s."),
        "invalid_school_type": _("Unknown school type %(school_type)s: use bijzonder or openbaar."),
        "no_statutory_bezwaar": _(
            "A bijzonder school has no statutory bezwaar against a schorsing: parents appeal to the "
            "board under the school's own procedure (rule beroep-schorsing)."
        ),
        "adviescommissie_not_applicable": _(
            "--adviescommissie applies only to beroep-schorsing at an openbaar school."
        ),
        "date_out_of_range": _(
            "The date %(date)s is outside the supported calendar (%(first)s to %(last)s)."
        ),
        "start_not_extended_end": _(
            "%(date)s is a weekend day or holiday, so it cannot be the Atw-extended end of the bezwaar "
            "term; did you mean %(extended)s?"
        ),
        "instant_needs_offset": _(
            "This rule needs a date and time with a UTC offset, for example 2026-03-28T09:00+01:00."
        ),
        "date_expected": _("This rule needs a date as YYYY-MM-DD."),
    }
    template = messages.get(exc.code)
    if template is None:
        return str(exc)
    return template % params


class Command(BaseCommand):
    help = "Compute the due date of a statutory or policy term and explain it."
    requires_system_checks: list[str] = []  # must run without a database

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str) -> NoReturn:
            if not getattr(parser, "called_from_command_line", False):
                raise CommandError(message, returncode=2)
            sys.stderr.write(f"{prog_name} {subcommand}: error: {message}\n")
            sys.exit(2)

        setattr(parser, "error", one_line_error)  # noqa: B010 - one line on stderr, exit status 2
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help=_("One of: %(rules)s") % {"rules": ", ".join(RULE_CODES)})
        parser.add_argument(
            "start",
            help=_("The start event as YYYY-MM-DD (datalek: YYYY-MM-DDTHH:MM with a UTC offset)."),
        )
        parser.add_argument(
            "--school-type",
            default="bijzonder",
            help=_("bijzonder (default) or openbaar."),
        )
        parser.add_argument(
            "--adviescommissie",
            action="store_true",
            help=_("Openbaar: an advisory committee hears the bezwaar (12 instead of 6 weeks)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rule = resolve_rule(
                options["rule"],
                school_type=options["school_type"],
                adviescommissie=options["adviescommissie"],
            )
            start = self._parse_start(options["start"], hours=rule.unit is Unit.HOURS)
            calendar, source = atw_calendar()
            deadline = due_date(rule, start, calendar)
        except DeadlineError as exc:
            raise CommandError(error_message(exc), returncode=2) from exc
        lines = [deadline.due_text]
        if deadline.late_after is not None:
            lines.append(f"te laat na: {deadline.late_after.isoformat()}")
        lines.extend(deadline.explanation)
        if rule.unit is not Unit.HOURS:
            lines.append(
                "KB-gelijkgestelde dagen uit de database."
                if source is KBSource.DATABASE
                else "KB-gelijkgestelde dagen uit het meegeleverde gegevensbestand (geen gemigreerde database)."
            )
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _parse_start(value: str, *, hours: bool) -> date | datetime:
        if hours:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                raise CommandError(
                    _("%(value)s is not a date and time such as 2026-03-28T09:00+01:00.") % {"value": value},
                    returncode=2,
                ) from None
            if "T" not in value or moment.tzinfo is None:
                raise CommandError(
                    _("Give the date and time with a UTC offset, for example 2026-03-28T09:00+01:00."),
                    returncode=2,
                )
            return moment
        if not _DATE.fullmatch(value):
            raise CommandError(_("%(value)s is not a date as YYYY-MM-DD.") % {"value": value}, returncode=2)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                _("%(value)s is not an existing date.") % {"value": value}, returncode=2
            ) from None
