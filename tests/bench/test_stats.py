"""The benchmark statistics, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from bench.stats import median, p95, percentile, summarise, value_range


def test_p95_of_20_values_is_the_19th_smallest():
    # ceil(0.95 * 20) = 19: the 19th value in ascending order.
    values = [float(v) for v in range(20, 0, -1)]  # 20, 19, ..., 1: order must not matter
    assert p95(values) == 19.0


def test_p95_of_50_samples_is_the_48th_smallest():
    # ceil(0.95 * 50) = ceil(47.5) = 48.
    values = [float(v) for v in range(1, 51)]
    assert p95(values) == 48.0


def test_p95_of_100_values_is_the_95th_smallest():
    assert p95([float(v) for v in range(1, 101)]) == 95.0


def test_p95_picks_a_measured_value_not_an_interpolation():
    # 10 values: ceil(9.5) = 10, the largest; a slow outlier shows up in full.
    values = [5.0, 5.1, 5.2, 5.0, 4.9, 5.3, 5.1, 5.0, 5.2, 40.0]
    assert p95(values) == 40.0
    # 21 values: ceil(19.95) = 20, so a single outlier (the 21st) is left out.
    assert p95([1.0] * 19 + [2.0, 90.0]) == 2.0


def test_percentile_edges():
    assert percentile([7.0], 95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0
    assert percentile([3.0, 1.0, 2.0], 1) == 1.0  # ceil(0.03) = 1
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0  # ceil(2.0) = 2
    with pytest.raises(ValueError):
        percentile([], 95)
    with pytest.raises(ValueError):
        percentile([1.0], 0)


def test_median_odd_and_even():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5  # (2 + 3) / 2
    assert median([12.4, 11.9, 30.2]) == 12.4
    with pytest.raises(ValueError):
        median([])


def test_range_is_smallest_and_largest():
    assert value_range([5.0, 2.0, 9.0]) == (2.0, 9.0)
    assert value_range([4.0]) == (4.0, 4.0)


def test_summary_of_three_repeats():
    summary = summarise([21.5, 19.0, 24.25])
    assert summary.median == 21.5
    assert (summary.min, summary.max) == (19.0, 24.25)
    assert summary.repeats == (21.5, 19.0, 24.25)  # in the order they were measured
