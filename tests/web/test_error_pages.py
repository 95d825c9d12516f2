"""Error pages are LEV's own (Dutch, with a way back), never Django's English defaults."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.conftest import signed_in_client
from tests.i18n_helpers import t


@pytest.mark.django_db
def test_not_found_page(world):
    response = signed_in_client(world.director_a).get(f"/leerlingen/{world.pupil_b.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert t("Page not found") in html
    assert 'href="/"' in html
    assert "The requested resource was not found" not in html


@pytest.mark.django_db
def test_forbidden_page(world):
    response = signed_in_client(world.staff_a).get(f"/leerlingen/{world.pupil_a.pk}/")
    assert response.status_code == 403
    assert t("No access") in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page(world):
    response = Client(enforce_csrf_checks=True).post("/account/inloggen/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert t("The form has expired") in response.content.decode()


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert t("Something went wrong") in html
    assert "<script" not in html
