"""`manage.py demo_otp USERNAME`: the current two-factor code of a demo account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from lev.accounts.models import User
from lev.web.demo import totp_code

from .seed_demo import REFUSAL


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account. Requires LEV_DEMO=true."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_ALLOWED:
            raise CommandError(REFUSAL)
        username = options["username"].strip().lower()
        # Only demo accounts: a real account's code is never printed.
        user = User.objects.filter(username=username, is_demo=True).first()
        if user is None:
            raise CommandError(f"There is no demo account {username!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"The demo account {username!r} has no two-factor device.")
        self.stdout.write(totp_code(device))
