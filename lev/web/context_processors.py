from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import menu_for


def lev(request: HttpRequest) -> dict[str, Any]:
    ctx = getattr(request, "lev", None)
    user = getattr(request, "user", None)
    if ctx is None or user is None or not user.is_authenticated:
        return {"lev": ctx, "menu": []}
    verified = user.is_verified() if hasattr(user, "is_verified") else False
    from lev.accounts.policy import two_factor_required

    show_menu = verified or not two_factor_required(user)
    return {"lev": ctx, "menu": menu_for(ctx.roles) if show_menu else []}
