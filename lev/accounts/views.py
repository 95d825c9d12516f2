from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import selectors, services
from .forms import (
    ChangePasswordForm,
    DeputyForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    TeacherExemptionForm,
    TokenForm,
)
from .middleware import allow_unverified
from .signals import client_ip


def _safe_next(request: HttpRequest, default: str = "web:start") -> str:
    """The `next` target if it stays on this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


# --- Sign in and out ------------------------------------------------------------------------


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


# --- Two-step verification ------------------------------------------------------------------


@allow_unverified
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    if not selectors.has_confirmed_device(user):
        return redirect("accounts:setup_2fa")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.otp_verify(
            user=user, token=form.cleaned_data["token"], now=timezone.now(), ip_address=client_ip(request)
        )
        if result.device is not None:
            otp_login(request, result.device)
            return redirect(_safe_next(request))
        if result.throttled:
            form.add_error(
                "token",
                _(
                    "Too many incorrect codes in a row. Wait a moment, then enter the newest code from your app."
                ),
            )
        else:
            form.add_error(
                "token",
                _("This code is not correct or was already used. Wait for the next code and try again."),
            )
    return render(request, "accounts/verify.html", {"form": form})


@allow_unverified
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def setup_2fa(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if selectors.has_confirmed_device(user) and not user.is_verified():
        # Replacing a device requires the current second factor first.
        return redirect("accounts:verify")
    device = services.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            now = timezone.now()
            services.totp_device_confirm(user=user, device=device, now=now)
            otp_login(request, device)
            codes = services.backup_codes_generate(user=user, actor=user, now=now)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": True})
        form.add_error("token", _("This code is not correct. Check the time on your phone and try again."))
    import segno

    qr = segno.make(device.config_url, micro=False)
    return render(
        request,
        "accounts/setup_2fa.html",
        {"form": form, "qr_data_uri": qr.svg_data_uri(scale=4), "secret": _b32(device)},
    )


def _b32(device: Any) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@never_cache
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    codes = services.backup_codes_generate(user=user, actor=user, now=timezone.now())
    return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})


# --- The account page -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    ctx = request.lev  # type: ignore[attr-defined]
    today = timezone.localdate()
    return render(
        request,
        "accounts/security.html",
        {
            "places": selectors.roles_by_place(ctx),
            "two_factor": selectors.two_factor_status(user),
            "backup_codes_remaining": services.backup_codes_remaining(user=user),
            "deputies": selectors.deputies_named_by(user).filter(revoked_at__isnull=True, ends_on__gte=today),
            "standing_in": selectors.deputising_for(user, from_day=today),
            "decides_for_boards": selectors.boards_decided_by(ctx),
            "today": today,
        },
    )


# --- Passwords ------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not an account has the address."""

    form_class = PasswordResetRequestForm  # type: ignore[assignment]
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_request(
            email=form.cleaned_data["email"], now=timezone.now(), ip_address=client_ip(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the e-mailed link.

    Nobody is signed in afterwards and every session of the account ends: the next sign-in needs
    the new password and the second factor, so a reset link never bypasses two-step verification.
    """

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_complete(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            now=timezone.now(),
            ip_address=client_ip(self.request),
        )
        if self.request.user.is_authenticated:
            logout(self.request)  # also clears the reset token kept in the session
        else:
            self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; the user's other sessions end, this one stays signed in."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        old_key = self.request.session.session_key or ""
        ended = services.password_change(
            user=user,
            password=form.cleaned_data["new_password1"],
            current_session_key=old_key,
            now=timezone.now(),
        )
        update_session_auth_hash(self.request, user)  # a new session key for this session
        services.session_track(
            user=user, session_key=self.request.session.session_key or "", replaces=old_key
        )
        if ended:
            messages.success(
                self.request,
                _("Your password has been changed. You have been signed out everywhere else."),
            )
        else:
            messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()
password_change = never_cache(PasswordChangeView.as_view())


# --- The board's two-factor decision for teachers ---------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def board_2fa_policy(request: HttpRequest) -> HttpResponse:
    ctx = request.lev  # type: ignore[attr-defined]
    boards = selectors.boards_decided_by(ctx)
    if not boards:
        raise PermissionDenied
    board = boards[0]
    wanted = request.GET.get("bestuur")
    if wanted:
        chosen = next((b for b in boards if str(b.pk) == wanted), None)
        if chosen is None:
            raise Http404
        board = chosen
    form = TeacherExemptionForm(
        request.POST or None, initial={"exempt": "yes" if board.teachers_2fa_exempt else "no"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.board_teachers_2fa_exemption_set(
                board=board,
                exempt=form.cleaned_data["exempt"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision has been recorded. It applies from now on."))
            target = reverse("accounts:board_2fa_policy")
            return redirect(f"{target}?bestuur={board.pk}" if len(boards) > 1 else target)
    return render(
        request,
        "accounts/board_2fa_policy.html",
        {
            "board": board,
            "boards": boards,
            "form": form,
            "history": selectors.exemption_history(board),
        },
    )


# --- Deputies -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def deputies(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    form = DeputyForm(request.POST or None, user=user, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_add(
                user=user,
                deputy=form.cleaned_data["deputy"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                actor=user,
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your deputy has been added."))
            return redirect("accounts:deputies")
    return render(
        request,
        "accounts/deputies.html",
        {
            "form": form,
            "entries": selectors.deputies_named_by(user),
            "standing_in": selectors.deputising_for(user, from_day=today),
            "today": today,
        },
    )


@require_POST
def deputy_revoke(request: HttpRequest, deputy_id: int) -> HttpResponse:
    entry = selectors.deputy_of_user(request.user, deputy_id)
    if entry is None:
        raise Http404
    services.deputy_revoke(entry=entry, actor=request.user, now=timezone.now())
    messages.success(request, _("The deputy has been withdrawn."))
    return redirect("accounts:deputies")
