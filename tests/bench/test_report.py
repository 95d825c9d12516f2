"""results.json's shape, the table, and where the benchmark database lives."""

from __future__ import annotations

import json

import pytest

from bench.database import BenchSetupError, bench_database_url
from bench.report import metric, table, write_results


def test_metric_reports_the_median_and_range_of_the_repeats():
    entry = metric([30.0, 10.0, 20.0], unit="ms", baseline=5.0, ratio=4.0, goal="<= 150 ms", passed=True)
    assert entry["value"] == 20.0
    assert (entry["min"], entry["max"]) == (10.0, 30.0)
    assert entry["repeats"] == [30.0, 10.0, 20.0]
    assert {k: entry[k] for k in ("unit", "baseline", "ratio", "goal", "pass")} == {
        "unit": "ms",
        "baseline": 5.0,
        "ratio": 4.0,
        "goal": "<= 150 ms",
        "pass": True,
    }


def test_unmeasured_metric_says_why(tmp_path):
    entry = metric([], unit="s", goal="<= 60 s", passed=None, note="not measured: no import module")
    assert entry["value"] is None and entry["pass"] is None
    path = tmp_path / "results.json"
    write_results(path, "small", {"import_30000_s": entry})
    data = json.loads(path.read_text())
    assert list(data) == ["scale", "metrics"]
    assert data["scale"] == "small"
    assert set(data["metrics"]["import_30000_s"]) >= {"value", "unit", "baseline", "ratio", "goal", "pass"}
    text = table(data["metrics"])
    assert "n/a" in text
    assert "import_30000_s: not measured: no import module" in text


def test_table_marks_failures():
    rows = {
        "queries_per_page": metric(
            [14.0] * 3, unit="queries", baseline=11.0, goal="equal", passed=False, digits=0
        ),
        "page_p95_ms.start_teacher": metric([12.0, 13.0, 11.0], unit="ms", goal="<= 150 ms", passed=True),
    }
    lines = table(rows).splitlines()
    assert lines[0].split()[:2] == ["metric", "median"]
    assert "FAIL" in next(line for line in lines if line.startswith("queries_per_page"))
    teacher = next(line for line in lines if line.startswith("page_p95_ms.start_teacher"))
    assert "11-13" in teacher and "PASS" in teacher


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lev"},
            "postgres://postgres@127.0.0.1:5432/lev_bench",
        ),
        ({"DATABASE_URL": "postgres://u:p@db:5432/lev_bench_x"}, "postgres://u:p@db:5432/lev_bench_x"),
        (
            {"DATABASE_URL": "postgres://u@db/lev", "BENCH_DATABASE_URL": "postgres://u@other/perf"},
            "postgres://u@other/perf",
        ),
    ],
)
def test_benchmark_database_is_never_the_development_database(environ, expected):
    assert bench_database_url(environ) == expected


def test_benchmark_refuses_sqlite_and_a_missing_url():
    with pytest.raises(BenchSetupError):
        bench_database_url({})
    with pytest.raises(BenchSetupError):
        bench_database_url({"DATABASE_URL": "sqlite:///var/lev.sqlite3"})
