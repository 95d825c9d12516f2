"""/health: database and Redis status, for load balancers and monitoring. No personal data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "ok"


def redis_status() -> str:
    if not settings.REDIS_URL:
        return "niet geconfigureerd"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception:
        return "down"
    return "ok"


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    db = database_status()
    rd = redis_status()
    # Redis down means degraded, not down: login, reading and saving keep working.
    status = (
        "ok" if db == "ok" and rd in {"ok", "niet geconfigureerd"} else ("degraded" if db == "ok" else "down")
    )
    return JsonResponse(
        {
            "status": status,
            "database": db,
            "redis": rd,
            "mode": "embedded" if settings.EMBEDDED else "server",
        },
        status=200 if db == "ok" else 503,
    )
