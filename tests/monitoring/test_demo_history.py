"""The demo's count history (lev/monitoring/demo.py) on PostgreSQL: three school years of monthly
counts for the six demo schools, beside the first school's counts kept from its records.

Seeded on Tue 24 Nov 2026 (as in test_counts.py): the current school year is 2026-27, so the
history is 2024-25 and 2025-26 for all six schools, and August–October 2026 for the five schools
other than the first (November, the seeding month, is not history). The first school's records are
all in the current school year, so its rows from August 2026 on are exactly those of its records.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest

from lev.monitoring.counts import rebuild
from lev.monitoring.demo import history_counts, seed_count_history
from lev.monitoring.models import CountKind, MonthlyCount
from lev.schools.models import Board, School
from lev.web.demo import BOARD_SLUG, SCHOOLS, demo_seed

AMS = ZoneInfo("Europe/Amsterdam")
D = dt.date
SEED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMS)
CURRENT_YEAR = D(2026, 8, 1)
PAST_YEARS = {2024: (D(2024, 8, 1), D(2025, 7, 1)), 2025: (D(2025, 8, 1), D(2026, 7, 1))}
# The months of a school year in which school is held the whole month.
TEACHING_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)

# The yearly ranges of the brief, per school (a primary school of about 150 pupils).
YEARLY_PER_SCHOOL = {
    "signal": (30, 70),
    "incident": (15, 45),
    "steps_1_4": (10, 25),
    "time_out": (2, 6),
    "schorsing": (0, 3),
    "meldcode_case": (1, 4),
    "melding": (0, 2),
    "crisis": (0, 1),
}
COMMON_INCIDENTS = ("pesten", "agressie", "online_pesten", "anders", "intimidatie")
RARE_INCIDENTS = ("discriminatie", "grensoverschrijdend", "radicalisering")


def table() -> list[tuple]:
    return list(
        MonthlyCount.objects.order_by("school_id", "month", "kind", "category").values_list(
            "board_id", "school_id", "month", "kind", "category", "count"
        )
    )


def month_of(year: int, month: int) -> dt.date:
    """The first day of MONTH in the school year starting in August of YEAR."""
    return D(year if month >= 8 else year + 1, month, 1)


def school_year(month: dt.date) -> int:
    return month.year if month.month >= 8 else month.year - 1


@pytest.fixture
def seeded(settings):
    settings.DEMO_ALLOWED = True
    result = demo_seed(now=SEED_AT)
    board = Board.objects.get(slug=BOARD_SLUG)
    by_brin = {s.brin: s for s in School.objects.filter(board=board)}
    schools = [by_brin[spec.brin] for spec in SCHOOLS]
    return result, board, schools


def history(schools: list[School]) -> list[MonthlyCount]:
    """Every row that is not the first school's in the current school year."""
    return list(MonthlyCount.objects.exclude(school=schools[0], month__gte=CURRENT_YEAR).order_by("pk"))


def yearly(rows: list[MonthlyCount]) -> dict[tuple[int, int], Counter[str]]:
    """Per (school id, school year): the totals of the brief's kinds."""
    totals: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for row in rows:
        name = row.kind
        if row.kind == CountKind.LADDER_STEP:
            name = "steps_1_4" if row.category in "1234" else f"step_{row.category}"
        totals[(row.school_id, school_year(row.month))][name] += row.count
    return totals


@pytest.mark.django_db
def test_the_history_covers_three_school_years_of_all_six_schools(seeded):
    result, _board, schools = seeded
    first, others = schools[0], schools[1:]
    months = defaultdict(set)
    for school_id, first_day in MonthlyCount.objects.values_list("school_id", "month"):
        months[school_id].add(first_day)

    for school in schools:
        for year in PAST_YEARS:
            for number in TEACHING_MONTHS:
                assert month_of(year, number) in months[school.pk], (school.brin, year, number)
    # The other five: August to October of the current year, and nothing from the seeding month on.
    for school in others:
        assert {D(2026, 9, 1), D(2026, 10, 1)} <= months[school.pk]
        assert min(months[school.pk]) >= D(2024, 8, 1)
        assert max(months[school.pk]) <= D(2026, 10, 1)
    assert min(months[first.pk]) >= D(2024, 8, 1)
    # What the demo reports as created is every history row (all rows but the first school's
    # current year, which come from its records).
    assert result.created["count_history"] == len(history(schools)) > 0


@pytest.mark.django_db
def test_the_first_school_has_no_history_row_in_the_current_school_year(seeded):
    _result, _board, schools = seeded
    first = schools[0]
    current = set(
        MonthlyCount.objects.filter(school=first, month__gte=CURRENT_YEAR).values_list(
            "month", "kind", "category", "count"
        )
    )
    assert current  # the first school's records are counted

    # The counts of the records alone, recomputed from nothing.
    MonthlyCount.objects.all().delete()
    rebuild()
    from_records = set(
        MonthlyCount.objects.filter(school=first).values_list("month", "kind", "category", "count")
    )

    assert current == from_records
    # And the records lie in the current school year only (nothing else to meet the history).
    assert not MonthlyCount.objects.filter(month__lt=CURRENT_YEAR).exists()
    assert not MonthlyCount.objects.exclude(school=first).exists()
    # The plan itself has no row of the first school in the current school year, whatever the day.
    for today in (D(2026, 8, 1), D(2027, 1, 15), D(2027, 7, 31)):
        planned = history_counts(schools, today=today)
        assert not [key for key in planned if key[0] == first.pk and key[1] >= CURRENT_YEAR]


@pytest.mark.django_db
def test_seeding_twice_creates_no_rows_and_a_later_day_only_fills_the_months_since(seeded):
    _result, board, schools = seeded
    first_table = table()

    again = demo_seed(now=SEED_AT)

    assert again.created["count_history"] == 0
    assert table() == first_table

    # On 3 January 2027 the history reaches December 2026: November and December are filled for the
    # five other schools, and every row that was there stays as it was.
    written = seed_count_history(board, schools, today=D(2027, 1, 3))

    later = table()
    added = sorted(set(later) - set(first_table))
    assert set(first_table) <= set(later)
    assert written == len(added) == len(later) - len(first_table) > 0
    assert {(row[1], row[2]) for row in added} == {
        (school.pk, month) for school in schools[1:] for month in (D(2026, 11, 1), D(2026, 12, 1))
    }
    # The numbers of a month do not depend on the day of seeding.
    assert seed_count_history(board, schools, today=D(2027, 1, 3)) == 0
    planned_late = history_counts(schools, today=D(2027, 1, 3))
    planned_early = history_counts(schools, today=SEED_AT.date())
    assert {k: n for k, n in planned_late.items() if k[1] < D(2026, 11, 1)} == planned_early


@pytest.mark.django_db
def test_a_month_with_counts_already_gets_no_history_rows(seeded):
    _result, board, schools = seeded
    second = schools[1]
    MonthlyCount.objects.filter(school=second, month=D(2025, 3, 1)).delete()
    MonthlyCount.objects.create(
        board=board, school=second, month=D(2025, 3, 1), kind=CountKind.SIGNAL, count=99
    )

    assert seed_count_history(board, schools, today=SEED_AT.date()) == 0

    assert list(
        MonthlyCount.objects.filter(school=second, month=D(2025, 3, 1)).values_list("kind", "count")
    ) == [(CountKind.SIGNAL, 99)]
    # A school of another board is refused.
    with pytest.raises(ValueError):
        seed_count_history(
            board, [*schools, School(board_id=board.pk + 1, brin="00XX")], today=D(2026, 11, 1)
        )


@pytest.mark.django_db
def test_a_rebuild_after_the_demo_keeps_the_history(seeded):
    _result, _board, schools = seeded
    before = table()
    history_rows = len(history(schools))

    result = rebuild()

    assert table() == before
    assert result.written == 0
    # Every history row is kept as a row without records; every other row is the records' count.
    assert result.kept == history_rows > 0
    assert result.unchanged == len(before) - history_rows > 0


@pytest.mark.django_db
def test_the_measures_are_counted_as_the_services_count_them(seeded):
    _result, _board, schools = seeded
    cells: dict[tuple[int, dt.date], Counter[str]] = defaultdict(Counter)
    for row in history(schools):
        name = f"step_{row.category}" if row.kind == CountKind.LADDER_STEP else row.kind
        cells[(row.school_id, row.month)][name] += row.count

    schorsingen = 0
    for (school_id, month), cell in cells.items():
        assert cell["time_out"] == cell["step_5"], (school_id, month)
        assert cell["schorsing"] == cell["step_6"], (school_id, month)
        # One to three school days per schorsing.
        assert cell["schorsing"] <= cell["schorsing_days"] <= 3 * cell["schorsing"], (school_id, month)
        schorsingen += cell["schorsing"]
    assert schorsingen > 0

    # At most one verwijdering per school over the history: step 7 in the month it started, the
    # decision in a later month.
    for school in schools:
        started = [m for (s, m), cell in cells.items() if s == school.pk for _ in range(cell["step_7"])]
        decided = [m for (s, m), cell in cells.items() if s == school.pk for _ in range(cell["verwijdering"])]
        assert len(started) == len(decided) <= 1
        if started:
            assert decided[0] > started[0]
    assert sum(cell["verwijdering"] for cell in cells.values()) >= 1


@pytest.mark.django_db
def test_yearly_volumes_fit_a_primary_school_of_about_150_pupils(seeded):
    _result, _board, schools = seeded
    rows = history(schools)
    totals = yearly(rows)

    for school in schools:
        for year in PAST_YEARS:
            counts = totals[(school.pk, year)]
            for kind, (low, high) in YEARLY_PER_SCHOOL.items():
                assert low <= counts[kind] <= high, (school.brin, year, kind, counts[kind])
    # The board's incidents per school year: six schools of 15 to 45 incidents each.
    for year in PAST_YEARS:
        board_incidents = sum(totals[(s.pk, year)]["incident"] for s in schools)
        assert 6 * 15 <= board_incidents <= 6 * 45
    # A mild upward trend: the board has more signals and incidents in the later year.
    for kind in ("signal", "incident"):
        assert sum(totals[(s.pk, 2024)][kind] for s in schools) < sum(
            totals[(s.pk, 2025)][kind] for s in schools
        )
    # One school clearly higher, one clearly lower (over the two full years).
    per_school = sorted(totals[(s.pk, 2024)]["incident"] + totals[(s.pk, 2025)]["incident"] for s in schools)
    assert per_school[-1] >= 1.3 * per_school[0]

    # Incidents by category: bullying most, then aggression, then online bullying; the rare three
    # together less than a tenth, and each less than any of the common five.
    categories: Counter[str] = Counter()
    for row in rows:
        if row.kind == CountKind.INCIDENT:
            categories[row.category] += row.count
    assert categories["pesten"] > categories["agressie"] > categories["online_pesten"]
    assert categories["online_pesten"] > max(categories["anders"], categories["intimidatie"])
    assert max(categories[c] for c in RARE_INCIDENTS) < min(categories[c] for c in COMMON_INCIDENTS)
    assert sum(categories[c] for c in RARE_INCIDENTS) < sum(categories.values()) / 10
    assert set(categories) <= {*COMMON_INCIDENTS, *RARE_INCIDENTS}

    # The summer holiday: no measure in August, and the board's signals and incidents of August
    # less than a fifth of an average month's.
    august = [row for row in rows if row.month.month == 8]
    assert not [row for row in august if row.kind not in ("signal", "incident", "meldcode_case", "melding")]
    for year in PAST_YEARS:
        events = sum(totals[(s.pk, year)]["signal"] + totals[(s.pk, year)]["incident"] for s in schools)
        in_august = sum(
            r.count for r in august if r.month == D(year, 8, 1) and r.kind in ("signal", "incident")
        )
        in_july = sum(
            r.count for r in rows if r.month == D(year + 1, 7, 1) and r.kind in ("signal", "incident")
        )
        assert in_august < events / 12 / 5
        assert in_july < events / 12
