from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .lockout import normalised_login
from .models import User


class UsernameOrEmailBackend(ModelBackend):
    """Login by username or e-mail address, case-insensitive."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        login = normalised_login(username)
        user = User.objects.filter(username=login).first()
        if user is None:
            User().set_password(password)  # equalise timing with a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
