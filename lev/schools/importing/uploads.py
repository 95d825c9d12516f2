"""The uploaded file between the preview and the apply.

The file is kept only in the user's server-side session (the database session store, never served
and never in a URL), compressed, together with its SHA-256 and the chosen school and school year.
Loading checks the hash, so the apply imports exactly the bytes the preview showed.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import Any

from .services import file_sha256

SESSION_UPLOAD = "lev_import_upload"
SESSION_RESULT = "lev_import_result"


@dataclass(frozen=True)
class Upload:
    school_id: int
    school_year_id: int
    filename: str
    sha256: str
    data: bytes


def store_upload(session: Any, *, school_id: int, school_year_id: int, filename: str, data: bytes) -> Upload:
    upload = Upload(
        school_id=school_id,
        school_year_id=school_year_id,
        filename=filename,
        sha256=file_sha256(data),
        data=data,
    )
    session[SESSION_UPLOAD] = {
        "school_id": school_id,
        "school_year_id": school_year_id,
        "filename": filename,
        "sha256": upload.sha256,
        "data": base64.b64encode(zlib.compress(data, 6)).decode("ascii"),
    }
    session.pop(SESSION_RESULT, None)
    return upload


def load_upload(session: Any) -> Upload | None:
    stored = session.get(SESSION_UPLOAD)
    if not isinstance(stored, dict):
        return None
    try:
        data = zlib.decompress(base64.b64decode(stored["data"]))
        upload = Upload(
            school_id=int(stored["school_id"]),
            school_year_id=int(stored["school_year_id"]),
            filename=str(stored["filename"]),
            sha256=str(stored["sha256"]),
            data=data,
        )
    except (KeyError, TypeError, ValueError, binascii.Error, zlib.error):
        return None
    if file_sha256(upload.data) != upload.sha256:
        return None
    return upload


def clear_upload(session: Any) -> None:
    session.pop(SESSION_UPLOAD, None)
