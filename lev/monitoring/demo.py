"""Three school years of monthly counts for the demo board, so its dashboards show a picture.

The demo data set has records (signals, incidents, the stappenplan, the Meldcode, a crisis) only at
its first school and only in the current school year. The rows written here stand for the earlier
years whose records are not in the demo: they are what the count table holds after those records
were destroyed at the end of their retention periods (`counts.py`: counts survive destruction, and
`rebuild` keeps the rows of months without records). For the other schools they also stand for the
months of the current school year before this month.

What is written, for the schools in the order given (the first is the school with records):

- every school: every month of the two school years before the current one;
- every school but the first: the months of the current school year before today's month (the
  first school's current year is counted from its records, and never gets a row here);
- per school and school year a yearly volume of each kind for a primary school of about 150
  pupils, scaled by the school's level (`LEVELS`: one school clearly higher, one lower), a mild
  upward trend over the years (`TREND`) and a little noise, kept within `YEARLY_RANGES`; spread over
  the months by `SEASON` (the summer holiday from mid-July to the end of August nearly empty);
- the measures as the services count them: a time-out is `time_out` and `ladder_step` "5" in the
  same month, a schorsing `schorsing`, `ladder_step` "6" and its school days (1 to 3) in
  `schorsing_days`; a verwijdering (at most one per school, `VERWIJDERING_YEARS_AGO`) is
  `ladder_step` "7" in the month it started and `verwijdering` in a later month (its decision).

The numbers come from `random.Random` seeded with the school's BRIN and the school year only, so
a school year's months are the same whatever day the demo is seeded on. A (school, month) that has
any count already is left as it is: seeding twice adds nothing, and no row is added beside counts
kept from records (which a rebuild would remove again).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

from django.db.models import Q

from incidents.models import IncidentCategory
from lev.schools.models import Board, School

from .counts import STEP_SCHORSING, STEP_TIME_OUT, STEP_VERWIJDERING
from .models import CountKind, MonthlyCount

# (school id, month, kind, category) -> count.
Key = tuple[int, dt.date, str, str]

# How many school years before the current one the history covers.
PAST_YEARS = 2

# Per school, in the order of the demo's schools: its volume relative to an ordinary school. The
# second school is clearly higher, the fourth clearly lower.
LEVELS = (1.0, 1.3, 0.95, 0.7, 1.1, 0.9)
# The board's mild upward trend, by school years before the current one (more is registered as the
# schools get used to registering).
TREND = {2: 0.9, 1: 1.0, 0: 1.1}
# How much one school's year may differ from its level and the trend (a factor drawn uniformly).
NOISE = 0.1

# Per year at an ordinary school (level 1.0, trend 1.0): the mean number, and the range the yearly
# number is kept within.
YEARLY_MEANS = {
    "signal": 48.0,
    "incident": 28.0,
    "step": 17.0,  # step records of steps 1-4
    "time_out": 3.6,
    "schorsing": 1.1,
    "meldcode_case": 2.3,
    "melding": 0.8,
    "crisis": 0.3,
}
YEARLY_RANGES = {
    "signal": (30, 70),
    "incident": (15, 45),
    "step": (10, 25),
    "time_out": (2, 6),
    "schorsing": (0, 3),
    "meldcode_case": (1, 4),
    "melding": (0, 2),
    "crisis": (0, 1),
}
# How an incident's category and a step record's step are drawn.
INCIDENT_WEIGHTS: dict[str, float] = {
    IncidentCategory.BULLYING: 30.0,
    IncidentCategory.AGGRESSION: 22.0,
    IncidentCategory.ONLINE_BULLYING: 16.0,
    IncidentCategory.OTHER: 12.0,
    IncidentCategory.INTIMIDATION: 10.0,
    IncidentCategory.DISCRIMINATION: 4.0,
    IncidentCategory.SEXUAL_BOUNDARY: 3.0,
    IncidentCategory.RADICALISATION: 0.5,
}
STEP_WEIGHTS: dict[str, float] = {"1": 40.0, "2": 30.0, "3": 18.0, "4": 12.0}
SCHORSING_DAYS = (1, 3)

# The share of a year's events per month (by month number): school holidays in the autumn,
# at Christmas, in the spring and in May lower the month; the summer holiday runs from mid-July to
# the end of August. Measures (the stappenplan) need a school day, so none in August.
SEASON = {
    8: 0.02,
    9: 1.0,
    10: 1.05,
    11: 1.2,
    12: 0.8,
    1: 1.0,
    2: 0.9,
    3: 1.2,
    4: 0.95,
    5: 0.8,
    6: 1.05,
    7: 0.4,
}
SCHOOL_DAYS_SEASON = {**SEASON, 8: 0.0}

# Per school, in the order of the demo's schools: the school year (that many years before the
# current one) in which one verwijdering started and was decided, or None.
VERWIJDERING_YEARS_AGO: tuple[int | None, ...] = (None, 2, None, None, None, None)
# The months a verwijdering may start in (it takes one or two months to the decision).
VERWIJDERING_START_MONTHS = (10, 11, 1, 2, 3, 4)


def school_year_start(day: dt.date) -> int:
    """The calendar year in which the school year of DAY began (1 August)."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_months(start_year: int) -> list[dt.date]:
    """The first days of August of START_YEAR to July of the year after."""
    return [dt.date(start_year + (month < 8), month, 1) for month in (*range(8, 13), *range(1, 8))]


def _yearly(rng: random.Random, what: str, scale: float) -> int:
    """A yearly number of WHAT: the mean times SCALE and some noise, rounded at random (so a mean
    of 0.3 is 1 in about three years in ten) and kept within its range."""
    low, high = YEARLY_RANGES[what]
    x = YEARLY_MEANS[what] * scale * rng.uniform(1 - NOISE, 1 + NOISE)
    n = math.floor(x) + (rng.random() < x - math.floor(x))
    return max(low, min(high, n))


def _spread(rng: random.Random, total: int, months: list[dt.date], season: dict[int, float]) -> list[int]:
    """TOTAL events over MONTHS: each month's share by SEASON, varied at random, rounded so that
    they add up to TOTAL (the largest remainders round up)."""
    weights = [season[m.month] * rng.uniform(0.6, 1.4) for m in months]
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(months)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _draw(rng: random.Random, weights: dict[str, float], n: int) -> dict[str, int]:
    """N draws of a category by WEIGHTS, counted."""
    drawn: dict[str, int] = {}
    for category in rng.choices(list(weights), weights=list(weights.values()), k=n):
        drawn[str(category)] = drawn.get(str(category), 0) + 1
    return drawn


def _school_year(index: int, school: School, start_year: int, years_ago: int) -> dict[Key, int]:
    """Every count of one school in one school year (all twelve months; zeros left out)."""
    rng = random.Random(f"lev-demo:count-history:{school.brin}:{start_year}")  # noqa: S311 - demo data
    scale = LEVELS[index % len(LEVELS)] * TREND[years_ago]
    months = school_year_months(start_year)
    rows: dict[Key, int] = {}

    def add(month: dt.date, kind: str, n: int, category: str = "") -> None:
        if n:
            key = (school.pk, month, str(kind), category)
            rows[key] = rows.get(key, 0) + n

    verwijdering = VERWIJDERING_YEARS_AGO[index % len(VERWIJDERING_YEARS_AGO)] == years_ago
    yearly = {what: _yearly(rng, what, scale) for what in YEARLY_MEANS}
    if verwijdering:  # a verwijdering follows a schorsing that did not help
        yearly["schorsing"] = max(yearly["schorsing"], 1)
    yearly["melding"] = min(yearly["melding"], yearly["meldcode_case"])

    for month, n in zip(months, _spread(rng, yearly["signal"], months, SEASON), strict=True):
        add(month, CountKind.SIGNAL, n)
    for month, n in zip(months, _spread(rng, yearly["incident"], months, SEASON), strict=True):
        for category, k in _draw(rng, INCIDENT_WEIGHTS, n).items():
            add(month, CountKind.INCIDENT, k, category)
    for month, n in zip(months, _spread(rng, yearly["step"], months, SCHOOL_DAYS_SEASON), strict=True):
        for step, k in _draw(rng, STEP_WEIGHTS, n).items():
            add(month, CountKind.LADDER_STEP, k, step)
    for month, n in zip(months, _spread(rng, yearly["time_out"], months, SCHOOL_DAYS_SEASON), strict=True):
        add(month, CountKind.TIME_OUT, n)
        add(month, CountKind.LADDER_STEP, n, STEP_TIME_OUT)
    for month, n in zip(months, _spread(rng, yearly["schorsing"], months, SCHOOL_DAYS_SEASON), strict=True):
        add(month, CountKind.SCHORSING, n)
        add(month, CountKind.LADDER_STEP, n, STEP_SCHORSING)
        add(month, CountKind.SCHORSING_DAYS, sum(rng.randint(*SCHORSING_DAYS) for _ in range(n)))
    for what, kind in (
        ("meldcode_case", CountKind.MELDCODE_CASE),
        ("melding", CountKind.MELDING),
        ("crisis", CountKind.CRISIS),
    ):
        for month, n in zip(months, _spread(rng, yearly[what], months, SEASON), strict=True):
            add(month, kind, n)
    if verwijdering:
        started = rng.choice(VERWIJDERING_START_MONTHS)
        started_on = next(m for m in months if m.month == started)
        decided_on = months[months.index(started_on) + rng.randint(1, 2)]
        add(started_on, CountKind.LADDER_STEP, 1, STEP_VERWIJDERING)
        add(decided_on, CountKind.VERWIJDERING, 1)
    return rows


def history_counts(schools: Sequence[School], *, today: dt.date) -> dict[Key, int]:
    """The rows the history consists of (see the module docstring), before what exists is left out."""
    current = school_year_start(today)
    this_month = today.replace(day=1)
    rows: dict[Key, int] = {}
    for index, school in enumerate(schools):
        for years_ago in range(PAST_YEARS, -1, -1):
            if years_ago == 0 and index == 0:
                continue
            counts = _school_year(index, school, current - years_ago, years_ago)
            rows.update({key: n for key, n in counts.items() if key[1] < this_month})
    return rows


def seed_count_history(board: Board, schools: Sequence[School], *, today: dt.date) -> int:
    """Write the history rows of SCHOOLS (of BOARD; the first is the school with records) that are
    missing, leaving every (school, month) that has a count already; return how many were written."""
    if any(school.board_id != board.pk for school in schools):
        raise ValueError("every school must be one of the board's")
    planned = history_counts(schools, today=today)
    if not planned:
        return 0
    first_month = min(key[1] for key in planned)
    in_scope = Q(school__in=schools, month__gte=first_month, month__lt=today.replace(day=1))
    taken = set(MonthlyCount.objects.filter(in_scope).values_list("school_id", "month").distinct())
    before = MonthlyCount.objects.filter(in_scope).count()
    MonthlyCount.objects.bulk_create(
        [
            MonthlyCount(
                board_id=board.pk, school_id=school_id, month=month, kind=kind, category=category, count=n
            )
            for (school_id, month, kind, category), n in sorted(planned.items())
            if (school_id, month) not in taken
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return MonthlyCount.objects.filter(in_scope).count() - before
