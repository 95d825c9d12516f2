"""`manage.py rebuild_counts [--board SLUG] [--since YYYY-MM-DD]`: recompute the dashboards' monthly
counts from the records (lev/monitoring/counts.py, docs/monitoring.md).

The services keep the counts in the same transaction as each change, so this is needed only after
data was inserted without the services, or to check the counts. Rows of months whose records have
been destroyed are kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lev.monitoring.counts import rebuild
from lev.schools.models import Board


class Command(BaseCommand):
    help = "Recompute the dashboards' monthly counts from the records (all boards, or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--board", default="", help="The slug of one board; default: every board.")
        parser.add_argument(
            "--since", default="", help="Rebuild from the month of this date (YYYY-MM-DD); default: all."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        board = None
        if options["board"]:
            board = Board.objects.filter(slug=options["board"]).first()
            if board is None:
                raise CommandError(f"No board with slug {options['board']!r}.")
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"--since {options['since']!r} is not a date (YYYY-MM-DD).") from None
        result = rebuild(board=board, since=since)
        self.stdout.write(
            f"{result.written} rows written ({result.created} created, {result.updated} updated, "
            f"{result.deleted} deleted); {result.unchanged} unchanged; {result.kept} kept for months "
            "whose records are gone."
        )
