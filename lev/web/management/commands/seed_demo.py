"""`manage.py seed_demo`: create the demo board, schools, pupils, parents and accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lev.web.demo import demo_login_lines, demo_seed

REFUSAL = (
    "Demo data is refused: LEV_DEMO is not set. Demo accounts have a known password and public "
    "two-factor secrets, so they may only exist where LEV_DEMO=true (never in production)."
)


class Command(BaseCommand):
    help = "Create the demo data set (idempotent). Requires LEV_DEMO=true."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something fails.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_ALLOWED:
            raise CommandError(REFUSAL)
        result = demo_seed(actor=None, now=timezone.now())
        if options["quiet"]:
            return
        if result.changed:
            created = ", ".join(
                f"{count} {name.replace('_', ' ')}" for name, count in result.created.items() if count
            )
            self.stdout.write(f"Demo data created: {created}.")
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write("")
        self.stdout.write("\n".join(demo_login_lines()))
