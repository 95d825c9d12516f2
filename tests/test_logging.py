"""Structured logs (lev/logging.py): JSON lines, no personal data, no request bodies."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from lev.logging import JsonFormatter, ScrubFilter, scrub

CANARY = "CANARY-7f3a-Anna-Jansen-heeft-blauwe-plekken"
EMAIL = "ouder.jansen@example.nl"


def failing_view(request: HttpRequest) -> HttpResponse:
    # A careless view that puts submitted data into its exception message.
    raise RuntimeError(f"could not save {request.POST.get('note')} for {request.POST.get('email')}")


urlpatterns = [path("kapot/", failing_view)]


def console_handler() -> logging.Handler:
    """The handler LOGGING configured on the root logger (JSON formatter + scrub filter)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler
    raise AssertionError("LOGGING did not configure the JSON console handler")


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    handler = console_handler()
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_the_configured_handler_scrubs():
    handler = console_handler()
    assert any(isinstance(f, ScrubFilter) for f in handler.filters)


def test_a_record_with_request_email_and_query_leaks_nothing(log_output):
    request = RequestFactory().post(
        "/leerlingen/12/notities/?q=Anna", data={"note": CANARY, "email": EMAIL, "password": "Geheim-123"}
    )
    logging.getLogger("lev.test").warning(
        "Lookup by %s at /leerlingen/zoeken/?q=Anna%%20Jansen failed",
        EMAIL,
        extra={"request": request, "pupil_id": 12, "url": "/leerlingen/?q=Anna", "status_code": 400},
    )
    output = log_output.getvalue()
    assert output.endswith("\n")
    for secret in (CANARY, EMAIL, "Anna", "Jansen", "Geheim-123", "q=", "ouder.jansen"):
        assert secret not in output
    (entry,) = lines(log_output)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "lev.test"
    assert entry["message"] == "Lookup by <e-mail> at /leerlingen/zoeken/?<query> failed"
    assert entry["pupil_id"] == 12
    assert entry["status_code"] == 400
    assert entry["url"] == "/leerlingen/?<query>"
    assert "request" not in entry
    assert entry["at"].endswith("+00:00")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_500_error_log_carries_no_post_data(log_output, world):
    from tests.conftest import signed_in_client

    client: Client = signed_in_client(world.teacher_a)
    client.raise_request_exception = False
    response = client.post("/kapot/?zoek=Anna", data={"note": CANARY, "email": EMAIL})
    assert response.status_code == 500
    output = log_output.getvalue()
    assert CANARY not in output
    assert EMAIL not in output
    assert "Anna" not in output
    errors = [entry for entry in lines(log_output) if entry["logger"] == "django.request"]
    assert len(errors) == 1
    (error,) = errors
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /kapot/"
    assert error["status_code"] == 500
    assert error["exc_type"] == "RuntimeError"
    # The stack shows where it happened, not what the data was.
    assert any(frame.endswith("in failing_view") for frame in error["stack"])
    assert "request" not in error


def test_an_exception_is_logged_by_type_and_frames_only(log_output):
    try:
        raise ValueError(f"duplicate key (email)=({EMAIL}) and note {CANARY}")
    except ValueError:
        logging.getLogger("lev.test").exception("Saving failed")
    output = log_output.getvalue()
    assert CANARY not in output
    assert EMAIL not in output
    (entry,) = lines(log_output)
    assert entry["message"] == "Saving failed"
    assert entry["exc_type"] == "ValueError"
    assert entry["stack"] and "test_logging.py" in entry["stack"][-1]


def test_non_scalar_extras_are_dropped(log_output):
    logging.getLogger("lev.test").info("Counted", extra={"names": ["Anna Jansen"], "count": 3})
    (entry,) = lines(log_output)
    assert entry["count"] == 3
    assert "names" not in entry
    assert "Anna" not in log_output.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /leerlingen/?q=Anna HTTP/1.1", "GET /leerlingen/?<query> HTTP/1.1"),
        ("/zoeken?naam=de%20Vries&groep=5a", "/zoeken?<query>"),
        ('"/a/?x=1" 200', '"/a/?<query>" 200'),
        ("mail j.de-vries+ouder@school.example.nl now", "mail <e-mail> now"),
        ("Is this ok? yes", "Is this ok? yes"),
        ("pupil 12 moved to group 34", "pupil 12 moved to group 34"),
    ],
)
def test_scrub(text, expected):
    assert scrub(text) == expected


def test_a_broken_format_string_still_logs():
    record = logging.LogRecord("lev.test", logging.INFO, __file__, 1, "value %d", ("not a number",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "value %d"
