"""Structured logs: one JSON object per line, with personal data scrubbed.

Log calls in LEV pass ids, never names or content. As a second line of defence the filter drops
request bodies/query strings and masks anything that looks like an e-mail address.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def scrub(text: str) -> str:
    text = EMAIL_RE.sub("<e-mail>", text)
    # Query strings can carry search terms (pupil names): keep only the path.
    return re.sub(r"(\?[^\s\"']*)", "?<query>", text)


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # The request object (attached by django.request) holds POST data: never serialise it.
        if hasattr(record, "request"):
            record.request = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if (
                key not in _STANDARD
                and key not in {"request", "scrub"}
                and not key.startswith("_")
                and (isinstance(value, str | int | float | bool) or value is None)
            ):
                payload[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            payload["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(payload, ensure_ascii=False)
