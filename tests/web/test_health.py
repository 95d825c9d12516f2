import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_health_reports_database_and_redis_without_login():
    response = Client().get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok", "redis": "ok", "mode": "server"}


@pytest.mark.django_db
def test_health_reports_redis_down_as_degraded():
    # Nothing listens on port 1: Redis is down, the database is up.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = Client().get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["redis"] == "down"


@pytest.mark.django_db
def test_health_says_redis_not_configured_in_embedded_mode():
    with override_settings(REDIS_URL=None):
        response = Client().get("/health")
    assert response.json()["redis"] == "niet geconfigureerd"
    assert response.json()["status"] == "ok"
