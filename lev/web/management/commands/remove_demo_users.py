"""`manage.py remove_demo_users`: deactivate every demo account and end its sessions.

Run this on a production installation that was once started with demo data: demo accounts have a
public password and public two-factor secrets (system check lev.E008 reports them).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lev.accounts.models import User
from lev.accounts.services import user_deactivate


class Command(BaseCommand):
    help = "Deactivate all demo accounts and end their sessions."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        count = 0
        with transaction.atomic():
            for user in User.objects.filter(is_demo=True, is_active=True).order_by("pk"):
                user_deactivate(user=user, actor=None, now=now)
                count += 1
        if count:
            self.stdout.write(f"Deactivated {count} demo account(s); their sessions have ended.")
        else:
            self.stdout.write("There are no active demo accounts.")
