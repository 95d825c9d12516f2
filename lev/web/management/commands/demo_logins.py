"""`manage.py demo_logins`: print the demo accounts, their password, otpauth URIs and backup codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lev.web.demo import demo_login_lines

from .seed_demo import REFUSAL


class Command(BaseCommand):
    help = "Print the demo accounts with password, otpauth URI and backup codes. Requires LEV_DEMO=true."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_ALLOWED:
            raise CommandError(REFUSAL)
        self.stdout.write("\n".join(demo_login_lines()))
