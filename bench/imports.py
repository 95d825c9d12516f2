"""Importing 30,000 pupils into one school, against a plain bulk insert of 30,000 pupils.

Each run happens in a transaction that is rolled back afterwards, in a school created inside that
transaction, so every repeat starts from the same database and the benchmark board stays as
seeded. The import's own work (parsing, comparing, writing pupils, enrolments, groups, placements,
parents and links, the audit row) is timed; the final COMMIT is not, for the import nor for the
baseline.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from lev.accounts.models import User
from lev.schools.models import Board, Pupil, School, SchoolYear

from .importfile import ImportRow, import_csv, import_rows

IMPORT_MODULE = "lev.schools.importing.services"
T = TypeVar("T")


class _Rollback(Exception):
    pass


def rolled_back(work: Callable[[], T]) -> T:
    """Run `work` in a transaction and roll it back; return what it returned."""
    result: list[T] = []
    try:
        with transaction.atomic():
            result.append(work())
            raise _Rollback
    except _Rollback:
        pass
    return result[0]


@dataclass(frozen=True)
class ImportRun:
    import_seconds: float
    bulk_seconds: float

    @property
    def ratio(self) -> float:
        return self.import_seconds / self.bulk_seconds


class ImportUnavailable(Exception):
    pass


def import_service() -> Callable[..., Any]:
    try:
        module = importlib.import_module(IMPORT_MODULE)
    except ImportError as exc:
        raise ImportUnavailable(f"{IMPORT_MODULE} is not there ({exc}).") from exc
    service = getattr(module, "import_apply", None)
    if service is None:
        raise ImportUnavailable(f"{IMPORT_MODULE} has no import_apply.")
    return service  # type: ignore[no-any-return]


def _scratch_school(board: Board) -> School:
    taken = set(School.objects.values_list("brin", flat=True))
    brin = next(f"{n:02d}QQ" for n in range(100) if f"{n:02d}QQ" not in taken)
    return School.objects.create(board=board, name="Importtest", brin=brin, city="Boskoop")


def _current_year(board: Board) -> SchoolYear:
    today = timezone.localdate()
    year = SchoolYear.objects.filter(board=board, starts_on__lte=today, ends_on__gte=today).first()
    if year is None:
        raise ImportUnavailable("The scale board has no current school year.")
    return year


def time_import(board: Board, actor: User, data: bytes, expected: int) -> float:
    service = import_service()
    year = _current_year(board)

    def work() -> float:
        school = _scratch_school(board)
        now = timezone.now()
        started = time.perf_counter()
        result = service(school=school, school_year=year, data=data, actor=actor, now=now, confirm_left=False)
        elapsed = time.perf_counter() - started
        if result.pupils_created != expected:
            raise ImportUnavailable(f"The import created {result.pupils_created} pupils, not {expected}.")
        return elapsed

    return rolled_back(work)


def time_bulk_create(board: Board, rows: list[ImportRow]) -> float:
    def work() -> float:
        school = _scratch_school(board)
        started = time.perf_counter()
        pupils = [
            Pupil(
                board=board,
                school=school,
                admin_number=row.admin_number,
                roepnaam=row.roepnaam,
                voornamen=row.voornamen,
                tussenvoegsel=row.tussenvoegsel,
                achternaam=row.achternaam,
                date_of_birth=row.date_of_birth,
            )
            for row in rows
        ]
        Pupil.objects.bulk_create(pupils, batch_size=1000)
        return time.perf_counter() - started

    return rolled_back(work)


def prepare(count: int) -> tuple[list[ImportRow], bytes]:
    rows = import_rows(count, today=timezone.localdate())
    return rows, import_csv(rows)


def measure_import(board: Board, actor: User, rows: list[ImportRow], data: bytes) -> ImportRun:
    return ImportRun(
        import_seconds=time_import(board, actor, data, len(rows)),
        bulk_seconds=time_bulk_create(board, rows),
    )
