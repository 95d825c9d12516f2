"""`manage.py create_admin`: the first board and its functional administrator.

    manage.py create_admin --board-slug SLUG --board-name NAME --username U --email E [--password-file F]

Creates the board if it does not exist yet (an existing board is reused as it is), the user with a
password that passes the password validators (read from the file, or typed twice), and a
`functional_admin` membership from today. The administrator sets up two-factor sign-in at the
first login; from then on they create schools and accounts in LEV itself.

Refuses an existing username or e-mail address: this command never changes an existing account.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lev.accounts.models import User
from lev.audit.services import record
from lev.schools.models import Board, Membership, Role


@dataclass(frozen=True)
class AdminCreated:
    board: Board
    board_created: bool
    user: User
    membership: Membership


def admin_create(
    *,
    board_slug: str,
    board_name: str,
    username: str,
    email: str,
    password: str,
    actor: Any,
    now: datetime,
) -> AdminCreated:
    """Create (or reuse) the board, create the user and their functional-administrator role.

    Raises ValidationError for an invalid or taken username/e-mail, an invalid slug or a password
    the validators refuse; nothing is written then.
    """
    username = username.strip().lower()
    email = email.strip().lower()
    board_slug = board_slug.strip()
    board_name = board_name.strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_slug(board_slug)
    except ValidationError:
        errors.setdefault("board_slug", []).append(
            _("The board slug may contain only lower-case letters, digits, hyphens and underscores.")
        )
    if not username:
        errors.setdefault("username", []).append(_("The username is empty."))
    elif "@" in username:
        errors.setdefault("username", []).append(
            _("A username cannot contain '@': users sign in with their username or their e-mail address.")
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This username is already in use."))
    try:
        validate_email(email)
    except ValidationError:
        errors.setdefault("email", []).append(_("This is not a valid e-mail address."))
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors.setdefault("email", []).append(
                _("This e-mail address is already in use by another account.")
            )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        board = Board.objects.select_for_update().filter(slug=board_slug).first()
        board_created = board is None
        if board is None:
            if not board_name:
                raise ValidationError({"board_name": [_("A new board needs a name.")]})
            board = Board.objects.create(slug=board_slug, name=board_name)
        user = User(username=username, email=email, is_active=True)
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.save()
        membership = Membership.objects.create(
            user=user,
            board=board,
            school=None,
            role=Role.FUNCTIONAL_ADMIN,
            active_from=timezone.localdate(now),
        )
        record(
            "admin_created",
            actor=actor,
            board=board,
            obj=user,
            object_type="accounts.user",
            summary={
                "user_id": user.pk,
                "membership_id": membership.pk,
                "role": Role.FUNCTIONAL_ADMIN.value,
                "board_created": board_created,
                "via": "create_admin",
            },
            now=now,
        )
    return AdminCreated(board=board, board_created=board_created, user=user, membership=membership)


class Command(BaseCommand):
    help = "Create the first board (if missing) and a functional administrator for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--board-slug", required=True, help="Short name in addresses, e.g. stichting-noord."
        )
        parser.add_argument(
            "--board-name", required=True, help="The board's full name (used only when the board is new)."
        )
        parser.add_argument("--username", required=True, help="The administrator's username.")
        parser.add_argument("--email", required=True, help="The administrator's e-mail address.")
        parser.add_argument(
            "--password-file",
            help="Read the password from this file (first line). Without it, the password is asked twice.",
        )

    def read_password(self, password_file: str | None) -> str:
        if password_file:
            try:
                lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(
                    _("Cannot read the password file: %(error)s.") % {"error": exc.strerror}
                ) from exc
            password = lines[0] if lines else ""
        else:
            password = getpass.getpass(_("Password: "))
            if getpass.getpass(_("Password (again): ")) != password:
                raise CommandError(_("The passwords do not match. Nothing was created."))
        if not password:
            raise CommandError(_("The password is empty. Nothing was created."))
        return password

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip().lower()
        # Refuse a taken username before asking for a password.
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                _("The username %(username)s is already in use. Nothing was created.")
                % {"username": username}
            )
        password = self.read_password(options.get("password_file"))
        try:
            result = admin_create(
                board_slug=options["board_slug"],
                board_name=options["board_name"],
                username=username,
                email=options["email"],
                password=password,
                actor=None,
                now=timezone.now(),
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages
            ]
            raise CommandError(_("Nothing was created.") + "\n" + "\n".join(lines)) from exc
        board = result.board
        if result.board_created:
            self.stdout.write(
                _("Created board %(name)s (%(slug)s).") % {"name": board.name, "slug": board.slug}
            )
        else:
            self.stdout.write(
                _("Board %(name)s (%(slug)s) already exists: added the administrator to it.")
                % {"name": board.name, "slug": board.slug}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created functional administrator %(username)s, active from %(date)s. "
                    "They set up two-factor sign-in at their first login."
                )
                % {"username": result.user.username, "date": f"{result.membership.active_from:%d-%m-%Y}"}
            )
        )
