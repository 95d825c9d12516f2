"""Checking an incident attachment by its content (SECURITY.md, threat 8: malicious uploads).

LEV accepts three kinds of file, recognised by their first and last bytes — never by the name or the
content type the browser sends:

- PDF: starts with ``%PDF-`` and has the ``%%EOF`` marker near its end;
- PNG: the eight-byte PNG signature followed by the ``IHDR`` chunk;
- JPEG: the SOI marker ``FF D8`` followed by another marker.

Office files (.docx, .odt) are zip containers; checking them safely means opening the archive (zip
bombs, macros, embedded HTML), so they are not accepted: a school saves a document as PDF first.
A file whose first kilobyte holds HTML or SVG markup is refused even when it starts like an allowed
type (a polyglot). The limit on the size is the setting ``LEV_ATTACHMENT_MAX_BYTES`` (default
10 MB). Refusals are a ``ValidationError`` with a message for the person who uploaded the file.

The file is stored under a random name with the extension of the checked type
(``incidents/<year>/<random>.pdf``), never under the name the user gave it; that name is kept for
display and offered, made safe, as the download name.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 1024
TAIL_BYTES = 2048
CHUNK = 64 * 1024

# Content type -> the extension LEV stores and offers for it.
EXTENSIONS: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Markup that must not appear at the start of any attachment (HTML/SVG polyglots).
MARKUP = (b"<script", b"<html", b"<svg", b"<!doctype", b"<body", b"<iframe", b"<object", b"<embed")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def max_bytes() -> int:
    """The size limit for one attachment (settings.LEV_ATTACHMENT_MAX_BYTES, default 10 MB)."""
    return int(getattr(settings, "LEV_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes, tail: bytes) -> str | None:
    """The allowed content type the bytes belong to, or None. HEAD is the first kilobyte, TAIL the
    last two (they overlap for a small file)."""
    lowered = head.lower()
    if any(token in lowered for token in MARKUP):
        return None
    if head.startswith(b"%PDF-") and b"%%EOF" in tail:
        return "application/pdf"
    if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return "image/png"
    if len(head) >= 4 and head[:3] == b"\xff\xd8\xff" and 0xC0 <= head[3] <= 0xFE:
        return "image/jpeg"
    return None


def _size_text(size: int) -> str:
    return str(filesizeformat(size))


def check_upload(upload: Any) -> CheckedFile:
    """Check UPLOAD (a Django UploadedFile or any object with `read`, `seek` and `size`).

    Reads it once in chunks (hashing it on the way) and leaves it at position 0. Raises a
    ValidationError with one message when the file is empty, too large or not an allowed type.
    """
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(
            _("This file is too large (%(size)s). Attach files of at most %(max)s."),
            code="too_large",
            params={"size": _size_text(declared), "max": _size_text(limit)},
        )
    stream: IO[bytes] = upload
    stream.seek(0)
    digest = hashlib.sha256()
    head = b""
    tail = b""
    size = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            stream.seek(0)
            raise ValidationError(
                _("This file is too large (%(size)s). Attach files of at most %(max)s."),
                code="too_large",
                params={"size": _size_text(size), "max": _size_text(limit)},
            )
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head = (head + chunk)[:HEAD_BYTES]
        tail = (tail + chunk)[-TAIL_BYTES:]
    stream.seek(0)
    if size == 0:
        raise ValidationError(_("This file is empty. Choose the file again."), code="empty")
    content_type = sniff(head, tail)
    if content_type is None:
        raise ValidationError(
            _(
                "LEV accepts PDF files and photos (PNG or JPEG) only, checked by what is inside the "
                "file, not by its name. Save the document as PDF and attach it again."
            ),
            code="type",
        )
    return CheckedFile(
        content_type=content_type, extension=EXTENSIONS[content_type], size=size, sha256=digest.hexdigest()
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def display_name(name: str) -> str:
    """The user's file name as shown in LEV: without a path or control characters, at most 200."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or "bijlage"


def download_name(original: str, extension: str) -> str:
    """A safe download name: the original's stem in plain ASCII letters, digits, spaces, dots,
    dashes and underscores, with the extension of the checked type."""
    shown = display_name(original)
    stem = shown.rsplit(".", 1)[0] if "." in shown else shown
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = _UNSAFE.sub("_", ascii_stem)
    ascii_stem = re.sub(r"[_ ]{2,}", "_", ascii_stem).strip(" ._-")[:80]
    return f"{ascii_stem or 'bijlage'}.{extension}"


def storage_name(extension: str) -> str:
    """A random file name for storage (the model's `upload_to` adds the folder)."""
    return f"{secrets.token_hex(16)}.{extension}"
