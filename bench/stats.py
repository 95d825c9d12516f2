"""The statistics the benchmarks report: p95 per run, and median and range over the repeats.

Pure functions on lists of numbers; `tests/bench/test_stats.py` checks them with worked examples.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: int) -> float:
    """The nearest-rank percentile: the smallest value with at least q% of the values at or below it.

    For n values that is the value at rank ceil(q * n / 100) in ascending order (1-based): the p95
    of 50 samples is the 48th smallest, of 20 samples the 19th, of 100 samples the 95th. No
    interpolation, so the result is always a measured value.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError("q must be in 1..100")
    ordered = sorted(values)
    rank = -(-q * len(ordered) // 100)  # ceil(q * n / 100) in integers: no rounding surprises
    return ordered[rank - 1]


def p95(values: Sequence[float]) -> float:
    return percentile(values, 95)


def median(values: Sequence[float]) -> float:
    """The middle value; for an even count the mean of the two middle values."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def value_range(values: Sequence[float]) -> tuple[float, float]:
    """(smallest, largest)."""
    if not values:
        raise ValueError("range of no values")
    return float(min(values)), float(max(values))


@dataclass(frozen=True)
class Summary:
    """A metric measured `len(repeats)` times: its median and its range over the repeats."""

    median: float
    min: float
    max: float
    repeats: tuple[float, ...]


def summarise(repeats: Sequence[float]) -> Summary:
    low, high = value_range(repeats)
    return Summary(median=median(repeats), min=low, max=high, repeats=tuple(float(r) for r in repeats))
