"""The building blocks of the permission matrix (tests/test_permission_matrix.py).

Rows for an app live in `tests/matrix_rows/<area>.py` as `ROWS: dict[str, Row]`; the matrix test
collects them all, so each app keeps its rows beside its own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import World

PERSONAS = [
    "anonymous",
    "teacher_a",
    "staff_a",
    "ib_a",
    "director_a",
    "deputy_a",
    "confidant_a",
    "board_member",
    "privacy_officer",
    "functional_admin",
    "teacher_b",
]
SCHOOL_STAFF = ["teacher_a", "staff_a", "ib_a", "director_a", "deputy_a", "confidant_a"]
BOARD_WIDE = ["board_member", "privacy_officer", "functional_admin"]
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
CSRF_TOKEN = "m" * 32


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Signed-in personas get `status` (with overrides); anonymous is sent to the login page."""
    table = dict.fromkeys(SIGNED_IN, status)
    table["anonymous"] = 302
    table.update(overrides)
    return table


def only(allowed: dict[str, int], *, others: int = 403, outsider: int | None = None) -> dict[str, int]:
    table = everyone(others)
    if outsider is not None:
        table["teacher_b"] = outsider
    table.update(allowed)
    return table


@dataclass
class Method:
    expect: dict[str, int]
    # Status for an object of another board, per persona (default: 404 for everyone signed in).
    other: dict[str, int] | None = None
    data: Callable[[World], dict] | None = None


@dataclass
class Row:
    url: Callable[[World, bool], str]
    methods: dict[str, Method] = field(default_factory=dict)
    public: bool = False
    # Reads of sensitive records that must each leave one granted access-log row.
    sensitive: bool = False


def fixed(path: str) -> Callable[[World, bool], str]:
    return lambda world, own: path
