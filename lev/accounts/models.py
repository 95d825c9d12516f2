"""Users and deputies. Roles live on `lev.schools.Membership`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class LevUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        # Login by username or e-mail, case-insensitive; see backends.UsernameOrEmailBackend.
        from .lockout import normalised_login

        return self.get(username=normalised_login(username or ""))


class User(AbstractUser):
    """A person working for a school or board. No superusers in the app UI."""

    email = models.EmailField(_("e-mail address"), blank=True)
    # Set by the functional administrator; a demo account may exist only where LEV_DEMO allows it.
    is_demo = models.BooleanField(default=False, editable=False)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = LevUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique", condition=~models.Q(email="")
            ),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.username = self.username.strip().lower()
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Deputy(models.Model):
    """A user names a deputy for a period; approvals and reminders go to both."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputies")
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputising_for"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="deputy_period_order"
            ),
            models.CheckConstraint(condition=~models.Q(user=models.F("deputy")), name="deputy_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} for {self.user} {self.starts_on}..{self.ends_on}"


class UserSession(models.Model):
    """Which database sessions belong to which user, so deactivation can end them all at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"session of {self.user_id}"
