"""Structured logs: one JSON object per line, with personal data scrubbed.

Log calls in LEV pass ids, never names or content. As a second line of defence:

- the request object that `django.request` attaches to its records (it holds POST data, cookies
  and headers) is never serialised;
- query strings (search terms can be pupil names) are cut from every message and extra field;
- anything that looks like an e-mail address is masked;
- an exception is logged by its type and stack frames (file, line, function) only: exception
  messages can quote the data that caused them (an IntegrityError repeats the duplicate value).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A query string: a "?" right after a path character, up to the next space or quote.
QUERY_RE = re.compile(r"(?<=[\w/.\-%])\?[^\s\"'<>]+")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
# Attributes that django.request, django.server and others attach and that may carry content.
_NEVER = {"request", "server_time", "scrub"}
MAX_FRAMES = 30


def scrub(text: str) -> str:
    """Mask e-mail addresses and drop query strings (keeping the path)."""
    text = EMAIL_RE.sub("<e-mail>", text)
    return QUERY_RE.sub("?<query>", text)


def stack_frames(exc_info: tuple[object, object, object] | None) -> list[str]:
    """`file:line in function` for each frame of the traceback: no source values, no message."""
    if not exc_info or exc_info[2] is None:
        return []
    frames = traceback.extract_tb(exc_info[2])  # type: ignore[arg-type]
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-MAX_FRAMES:]]


class ScrubFilter(logging.Filter):
    """Drop the request object before any handler or formatter can render it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        payload: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(message),
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD or key in _NEVER or key.startswith("_"):
                continue
            if isinstance(value, str):
                payload[key] = scrub(value)
            elif isinstance(value, bool | int | float) or value is None:
                payload[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exc_type"] = record.exc_info[0].__name__
            payload["stack"] = stack_frames(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
