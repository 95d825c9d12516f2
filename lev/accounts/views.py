from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from lev.audit.services import record

from .forms import LoginForm, TokenForm
from .middleware import allow_unverified
from .services import backup_codes_generate, totp_device_confirm, totp_device_pending


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LevLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = login_not_required(LevLoginView.as_view())


@allow_unverified
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have been signed out."))
    return redirect("accounts:login")


def _verify_token(request: HttpRequest, token: str) -> bool:
    """Try the token against the user's confirmed devices (TOTP, then backup codes).

    django-otp refuses a TOTP code that was already used (replay) and throttles failures.
    """
    user: Any = request.user
    for device in devices_for_user(user, confirmed=True):
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            continue
        if device.verify_token(token):
            otp_login(request, device)
            record(
                "otp_verified",
                actor=user,
                obj=user,
                object_type="accounts.user",
                summary={"device": type(device).__name__},
            )
            return True
    record("otp_failed", actor=user, obj=user, object_type="accounts.user")
    return False


@allow_unverified
@never_cache
@sensitive_post_parameters("token")
def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect("web:start")
    if not any(True for _d in devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:setup_2fa")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _verify_token(request, form.cleaned_data["token"]):
            return redirect(request.GET.get("next") or "web:start")
        form.add_error(
            "token", _("This code is not correct or was already used. Wait for the next code and try again.")
        )
    return render(request, "accounts/verify.html", {"form": form})


@allow_unverified
@never_cache
@sensitive_post_parameters("token")
def setup_2fa(request: HttpRequest) -> HttpResponse:
    user = request.user
    if any(True for _d in devices_for_user(user, confirmed=True)) and not user.is_verified():  # type: ignore[union-attr]
        # Replacing a device requires the current second factor first.
        return redirect("accounts:verify")
    device = totp_device_pending(user=user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            now = timezone.now()
            totp_device_confirm(user=user, device=device, now=now)  # type: ignore[arg-type]
            otp_login(request, device)
            codes = backup_codes_generate(user=user, actor=user, now=now)  # type: ignore[arg-type]
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": True})
        form.add_error("token", _("This code is not correct. Check the time on your phone and try again."))
    import segno

    qr = segno.make(device.config_url, micro=False)
    return render(
        request,
        "accounts/setup_2fa.html",
        {"form": form, "qr_data_uri": qr.svg_data_uri(scale=4), "secret": _b32(device)},
    )


def _b32(device) -> str:  # type: ignore[no-untyped-def]
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@never_cache
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    codes = backup_codes_generate(user=request.user, actor=request.user, now=timezone.now())  # type: ignore[arg-type]
    return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})


@never_cache
def security(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/security.html", {})
