from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .models import Deputy, User
from .selectors import deputy_candidates


class StyledFormMixin:
    """Bootstrap classes on every text and select widget (the field include renders widgets as is)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        "invalid_login": _(
            "The username/e-mail address or password is not correct. Note the case of the password."
        ),
        "inactive": _("This account is not active."),
    }


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "autocapitalize": "none",
            }
        ),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


class PasswordResetRequestForm(StyledFormMixin, forms.Form):
    """Only the address: the view sends the link (if an account has it) and always says the same."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


EXEMPT_CHOICES = [
    ("no", _("No: teachers sign in with two-step verification, like everyone else")),
    ("yes", _("Yes: teachers may sign in with their password only")),
]


class TeacherExemptionForm(StyledFormMixin, forms.Form):
    exempt = forms.TypedChoiceField(
        label=_("Teachers exempt from two-step verification"),
        choices=EXEMPT_CHOICES,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for this decision"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the board meeting and the risk assessment this decision rests on."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for this decision."))
        return reason


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.username})"


class DeputyForm(StyledFormMixin, forms.Form):
    deputy = ColleagueChoiceField(
        label=_("Deputy"),
        queryset=User.objects.none(),
        empty_label=_("Choose a colleague"),
        help_text=_("A colleague who works at one of your schools or for your board."),
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(self, *args: Any, user: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        field = cast(forms.ModelChoiceField, self.fields["deputy"])
        field.queryset = deputy_candidates(user, day=today)
        if not self.is_bound:
            self.initial.setdefault("starts_on", today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on, deputy = data.get("starts_on"), data.get("ends_on"), data.get("deputy")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        elif ends_on and ends_on < self.today:
            self.add_error("ends_on", _("The period has already ended. Choose a last day from today on."))
        elif deputy and starts_on and ends_on:
            overlapping = Deputy.objects.filter(
                user=self.user,
                deputy=deputy,
                revoked_at__isnull=True,
                starts_on__lte=ends_on,
                ends_on__gte=starts_on,
            ).exists()
            if overlapping:
                self.add_error("deputy", _("This colleague is already your deputy for part of this period."))
        return data


class NewPasswordForm(StyledFormMixin, SetPasswordForm):
    """Choose a password from a reset link (Django's checks: both fields equal, all validators)."""


class ChangePasswordForm(StyledFormMixin, PasswordChangeForm):
    """Change the password while signed in: the current password first."""
