"""The monthly counts behind the dashboards: kept by the services, rebuilt from the records.

The dashboards never scan the incident register: they read `MonthlyCount`, one row per school,
month, kind and category (docs/monitoring.md). This module is the one definition of what is counted.

**What is counted, and in which month** (the month of the event's own date, in Europe/Amsterdam):

| kind             | category            | one per                                  | month of                   |
|------------------|---------------------|------------------------------------------|----------------------------|
| `signal`         | ""                  | recorded signal                          | `happened_at` (local date) |
| `incident`       | the category code   | registered incident                      | `happened_on`              |
| `ladder_step`    | "1".."4"            | step record (every one, also a repeat)   | `happened_on`              |
| `ladder_step`    | "5"                 | approved time-out                        | its first day              |
| `ladder_step`    | "6"                 | decided schorsing                        | its first day              |
| `ladder_step`    | "7"                 | started verwijdering                     | `started_at` (local date)  |
| `time_out`       | ""                  | approved time-out                        | its first day              |
| `schorsing`      | ""                  | decided schorsing                        | its first day              |
| `schorsing_days` | ""                  | school day of a decided schorsing        | its first day (all days)   |
| `verwijdering`   | ""                  | decided verwijdering                     | `decided_on`               |
| `meldcode_case`  | ""                  | opened Meldcode case                     | `opened_at` (local date)   |
| `melding`        | ""                  | melding at Veilig Thuis                  | `melded_at` (local date)   |
| `crisis`         | ""                  | started crisis                           | `started_at` (local date)  |

A time-out and a schorsing count in the month they start (not the month they were decided), with
all their school days; the school days are counted from the school's calendar as the schorsing
workflow counts them (`escalation.schorsing_services.duration_of`). Counts are of events that
happened: a decision later revoked on bezwaar, or a verwijdering withdrawn after its decision,
stays counted as a decision taken; nothing that is counted can be undone in the services (no
record changes its month or category after it is written), so there is no "remove".

**Freshness.** Each service that writes one of these events calls `count_*` below in its own
transaction, after writing the record: the count commits or rolls back with the change, so the
table is always exactly as fresh as the records — there is no delay and no job. `count_add` is one
`INSERT … ON CONFLICT DO UPDATE` statement, correct when two transactions add to the same cell at
once (PostgreSQL and SQLite).

**Rebuild.** `rebuild(board=, since=)` (the `rebuild_counts` command) recomputes every kind from
the records with the same definitions (the `_source_*` functions, one per kind) and writes the
difference. It replaces the rows of a (school, month, kind) only when that school still has records
of that kind in that month; rows of months whose records are all gone are kept. So counts
**survive the destruction of the records** they count (the retention periods end, the rows stay).
Two limits: a month in which only some records were destroyed (one pupil's data erased) is lowered
to what remains when it is rebuilt — rebuild such months only on purpose, or pass `since` after
them; and `schorsing_days` are recounted with the school calendar as it is at the rebuild.
The rebuild locks the count table (PostgreSQL) before it reads the records, so a service writing at
the same moment is counted exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, DateField, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lev.schools.models import Board, School

from .models import CountKind, MonthlyCount

if TYPE_CHECKING:
    from crisis.models import Crisis
    from escalation.models import Schorsing, StepRecord, TimeOut, Verwijdering
    from incidents.models import Incident, Signal
    from meldcode.models import MeldcodeCase, Melding

# The step numbers of the measures in the `ladder_step` kind (steps 1-4 are the step records').
STEP_TIME_OUT = "5"
STEP_SCHORSING = "6"
STEP_VERWIJDERING = "7"

# (school id, month, category): one cell of one kind.
Cell = tuple[int, date, str]


def month_of(day: date | datetime) -> date:
    """The first day of the month of DAY; an instant is read as a date in Europe/Amsterdam."""
    if isinstance(day, datetime):
        if timezone.is_naive(day):
            raise ValueError("a moment must be an aware datetime")
        day = timezone.localtime(day, timezone.get_default_timezone()).date()
    return day.replace(day=1)


def count_add(
    *, school: School | int, day: date | datetime, kind: str, category: str = "", amount: int = 1
) -> None:
    """Add AMOUNT to the cell of SCHOOL, the month of DAY, KIND and CATEGORY, in the caller's
    transaction (an upsert: the row is made on the first add)."""
    if kind not in CountKind.values:
        raise ValueError(f"unknown count kind {kind!r}")
    if amount < 0:
        raise ValueError("count_add adds; a count never goes down in the services")
    if amount == 0:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("count_add runs inside the transaction of the change it counts")
    school_id = school.pk if isinstance(school, School) else school
    month = month_of(day)
    params = [connection.ops.adapt_datefield_value(month), str(kind), category, amount, school_id]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)
        if cursor.rowcount == 0:
            raise ValueError(f"no school {school_id}")


def _upsert_sql() -> str:
    """One statement: the row is made with the school's board, or its count raised. Only quoted
    identifiers of our own tables are put in the text; every value is a parameter."""
    q = connection.ops.quote_name
    table = q(MonthlyCount._meta.db_table)
    schools = q(School._meta.db_table)
    cell = f"{q('school_id')}, {q('month')}, {q('kind')}, {q('category')}"
    return (
        f"INSERT INTO {table} ({q('board_id')}, {cell}, {q('count')}) "  # noqa: S608
        f"SELECT s.{q('board_id')}, s.{q('id')}, %s, %s, %s, %s FROM {schools} s WHERE s.{q('id')} = %s "
        f"ON CONFLICT ({cell}) DO UPDATE SET {q('count')} = {table}.{q('count')} + excluded.{q('count')}"
    )


# --- What each service adds (the hooks) ----------------------------------------------------------
# Each is called by its service inside the transaction that writes the record, after the write.
# The `_source_*` functions below must count exactly the same; tests/monitoring proves they do.


def count_signal(signal: Signal) -> None:
    count_add(school=signal.school_id, day=signal.happened_at, kind=CountKind.SIGNAL)


def count_incident(incident: Incident) -> None:
    count_add(
        school=incident.school_id,
        day=incident.happened_on,
        kind=CountKind.INCIDENT,
        category=incident.category,
    )


def count_step(record: StepRecord, *, school: School | int) -> None:
    count_add(school=school, day=record.happened_on, kind=CountKind.LADDER_STEP, category=str(record.step))


def count_time_out(time_out: TimeOut) -> None:
    """An approved time-out: step 5 reached, and one time-out."""
    count_add(school=time_out.school_id, day=time_out.first_day, kind=CountKind.TIME_OUT)
    count_add(
        school=time_out.school_id, day=time_out.first_day, kind=CountKind.LADDER_STEP, category=STEP_TIME_OUT
    )


def count_schorsing(schorsing: Schorsing, *, school_days: int) -> None:
    """A decided schorsing: step 6 reached, one schorsing and its SCHOOL_DAYS."""
    school, day = schorsing.school_id, schorsing.first_day
    count_add(school=school, day=day, kind=CountKind.SCHORSING)
    count_add(school=school, day=day, kind=CountKind.SCHORSING_DAYS, amount=school_days)
    count_add(school=school, day=day, kind=CountKind.LADDER_STEP, category=STEP_SCHORSING)


def count_verwijdering_started(verwijdering: Verwijdering) -> None:
    count_add(
        school=verwijdering.school_id,
        day=verwijdering.started_at,
        kind=CountKind.LADDER_STEP,
        category=STEP_VERWIJDERING,
    )


def count_verwijdering_decided(verwijdering: Verwijdering) -> None:
    assert verwijdering.decided_on is not None
    count_add(school=verwijdering.school_id, day=verwijdering.decided_on, kind=CountKind.VERWIJDERING)


def count_case(case: MeldcodeCase) -> None:
    count_add(school=case.school_id, day=case.opened_at, kind=CountKind.MELDCODE_CASE)


def count_melding(melding: Melding, *, school: School | int) -> None:
    count_add(school=school, day=melding.melded_at, kind=CountKind.MELDING)


def count_crisis(crisis: Crisis) -> None:
    count_add(school=crisis.school_id, day=crisis.started_at, kind=CountKind.CRISIS)


# --- The reference definition: the counts computed from the records ------------------------------


@dataclass(frozen=True)
class Scope:
    board_id: int | None
    since: date | None  # the first day of the first month rebuilt

    def filter(self, qs: QuerySet[Any], *, board: str, moment: str, is_instant: bool) -> QuerySet[Any]:
        if self.board_id is not None:
            qs = qs.filter(**{board: self.board_id})
        if self.since is not None:
            start: date | datetime = self.since
            if is_instant:
                start = timezone.make_aware(
                    datetime.combine(self.since, time.min), timezone.get_default_timezone()
                )
            qs = qs.filter(**{f"{moment}__gte": start})
        return qs


def _grouped(
    qs: QuerySet[Any],
    scope: Scope,
    *,
    moment: str,
    is_instant: bool,
    school: str = "school_id",
    board: str = "board_id",
    category: str | None = None,
    fixed: str = "",
) -> Counter[Cell]:
    """Count the rows of QS per school, month of MOMENT and CATEGORY (a field) or FIXED. SCHOOL and
    BOARD name the record's school and board (the record's own fields unless given)."""
    qs = scope.filter(qs, board=board, moment=moment, is_instant=is_instant)
    tz = timezone.get_default_timezone() if is_instant else None
    names: dict[str, Any] = {
        "cell_school": F(school),
        "cell_month": TruncMonth(moment, output_field=DateField(), tzinfo=tz),
    }
    if category is not None:
        names["cell_category"] = F(category)
    rows = qs.order_by().annotate(**names).values(*names).annotate(n=Count("pk"))
    counts: Counter[Cell] = Counter()
    for row in rows:
        cell_category = str(row["cell_category"]) if category is not None else fixed
        counts[(row["cell_school"], row["cell_month"], cell_category)] += row["n"]
    return counts


def _source_signal(scope: Scope) -> Counter[Cell]:
    from incidents.models import Signal

    return _grouped(Signal.objects.all(), scope, moment="happened_at", is_instant=True)


def _source_incident(scope: Scope) -> Counter[Cell]:
    from incidents.models import Incident

    return _grouped(
        Incident.objects.all(), scope, moment="happened_on", is_instant=False, category="category"
    )


def _approved_time_outs() -> QuerySet[Any]:
    from escalation.models import TimeOut, TimeOutStatus

    return TimeOut.objects.filter(status=TimeOutStatus.APPROVED)


def _decided_schorsingen() -> QuerySet[Any]:
    from escalation.models import Schorsing, SchorsingStatus

    return Schorsing.objects.filter(status=SchorsingStatus.DECIDED)


def _source_ladder_step(scope: Scope) -> Counter[Cell]:
    from escalation.models import StepRecord, Verwijdering

    steps = _grouped(
        StepRecord.objects.all(),
        scope,
        school="episode__school_id",
        board="episode__board_id",
        moment="happened_on",
        is_instant=False,
        category="step",
    )
    time_outs = _grouped(
        _approved_time_outs(), scope, moment="first_day", is_instant=False, fixed=STEP_TIME_OUT
    )
    schorsingen = _grouped(
        _decided_schorsingen(), scope, moment="first_day", is_instant=False, fixed=STEP_SCHORSING
    )
    started = _grouped(
        Verwijdering.objects.all(), scope, moment="started_at", is_instant=True, fixed=STEP_VERWIJDERING
    )
    return steps + time_outs + schorsingen + started


def _source_time_out(scope: Scope) -> Counter[Cell]:
    return _grouped(_approved_time_outs(), scope, moment="first_day", is_instant=False)


def _source_schorsing(scope: Scope) -> Counter[Cell]:
    return _grouped(_decided_schorsingen(), scope, moment="first_day", is_instant=False)


def _source_schorsing_days(scope: Scope) -> Counter[Cell]:
    from escalation.schorsing_services import duration_of

    qs = scope.filter(_decided_schorsingen(), board="board_id", moment="first_day", is_instant=False)
    counts: Counter[Cell] = Counter()
    for schorsing in qs.select_related("school").order_by("pk"):
        # A zero is kept (not dropped by Counter arithmetic): the cell has records.
        cell = (schorsing.school_id, month_of(schorsing.first_day), "")
        counts[cell] = counts.get(cell, 0) + duration_of(schorsing).school_days
    return counts


def _source_verwijdering(scope: Scope) -> Counter[Cell]:
    from escalation.models import Verwijdering

    decided = Verwijdering.objects.filter(decided_on__isnull=False)
    return _grouped(decided, scope, moment="decided_on", is_instant=False)


def _source_meldcode_case(scope: Scope) -> Counter[Cell]:
    from meldcode.models import MeldcodeCase

    return _grouped(MeldcodeCase.objects.all(), scope, moment="opened_at", is_instant=True)


def _source_melding(scope: Scope) -> Counter[Cell]:
    from meldcode.models import Melding

    return _grouped(
        Melding.objects.all(),
        scope,
        school="case__school_id",
        board="case__board_id",
        moment="melded_at",
        is_instant=True,
    )


def _source_crisis(scope: Scope) -> Counter[Cell]:
    from crisis.models import Crisis

    return _grouped(Crisis.objects.all(), scope, moment="started_at", is_instant=True)


SOURCES: dict[str, Callable[[Scope], Counter[Cell]]] = {
    CountKind.SIGNAL: _source_signal,
    CountKind.INCIDENT: _source_incident,
    CountKind.LADDER_STEP: _source_ladder_step,
    CountKind.TIME_OUT: _source_time_out,
    CountKind.SCHORSING: _source_schorsing,
    CountKind.SCHORSING_DAYS: _source_schorsing_days,
    CountKind.VERWIJDERING: _source_verwijdering,
    CountKind.MELDCODE_CASE: _source_meldcode_case,
    CountKind.MELDING: _source_melding,
    CountKind.CRISIS: _source_crisis,
}


Key = tuple[int, date, str, str]  # (school id, month, kind, category)


def _reference(scope: Scope) -> tuple[dict[Key, int], set[tuple[int, date, str]]]:
    """What the count table should hold for the records that exist now (zeros left out), and the
    (school id, month, kind) cells that have records at all."""
    wanted: dict[Key, int] = {}
    with_records: set[tuple[int, date, str]] = set()
    for kind, source in SOURCES.items():
        for (school_id, month, category), n in source(scope).items():
            with_records.add((school_id, month, str(kind)))
            if n:
                wanted[(school_id, month, str(kind), category)] = n
    return wanted, with_records


@dataclass(frozen=True)
class RebuildResult:
    created: int
    updated: int
    deleted: int
    unchanged: int
    kept: int  # rows of months without records of their kind: left as they were

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


def _lock_table() -> None:
    """Make services that count at the same moment wait for the rebuild (and the rebuild for them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(MonthlyCount._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")


def rebuild(*, board: Board | None = None, since: date | None = None) -> RebuildResult:
    """Recompute the counts of BOARD (all boards when None) from the month of SINCE on (all months
    when None) from the records, and write the difference (see the module docstring)."""
    with transaction.atomic():
        _lock_table()
        since_month = month_of(since) if since is not None else None
        wanted, with_records = _reference(Scope(board.pk if board is not None else None, since_month))
        existing = MonthlyCount.objects.all()
        if board is not None:
            existing = existing.filter(board=board)
        if since_month is not None:
            existing = existing.filter(month__gte=since_month)
        rows = {(r.school_id, r.month, r.kind, r.category): r for r in existing.order_by()}
        to_update: list[MonthlyCount] = []
        to_delete: list[int] = []
        unchanged = kept = 0
        for key, row in rows.items():
            if key in wanted:
                if row.count == wanted[key]:
                    unchanged += 1
                else:
                    row.count = wanted[key]
                    to_update.append(row)
            elif key[:3] in with_records:
                to_delete.append(row.pk)
            else:
                kept += 1
        boards = dict(School.objects.filter(pk__in={key[0] for key in wanted}).values_list("pk", "board_id"))
        to_create = [
            MonthlyCount(
                board_id=boards[school_id],
                school_id=school_id,
                month=month,
                kind=kind,
                category=category,
                count=n,
            )
            for (school_id, month, kind, category), n in sorted(wanted.items())
            if (school_id, month, kind, category) not in rows
        ]
        MonthlyCount.objects.bulk_create(to_create, batch_size=2000)
        MonthlyCount.objects.bulk_update(to_update, ["count"], batch_size=2000)
        for chunk in _chunks(to_delete, 2000):
            MonthlyCount.objects.filter(pk__in=chunk).delete()
    return RebuildResult(len(to_create), len(to_update), len(to_delete), unchanged, kept)


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
