"""`make bench`: measure LEV at board scale and write bench/results.json plus a table.

    BENCH_SCALE=small|full (default small; tiny for a quick check of the harness itself)

Steps: pick the benchmark database (see bench/database.py) and create it when missing, migrate
it, seed the scale board for the preset (`manage.py seed_scale`, which changes nothing when the
board is already there), then measure. Every metric is measured BENCH_REPEATS times (at least 3);
results.json and the table give the median of the repeats and their range. What each metric
means and the goals are explained in docs/benchmarks.md.

Optional: BENCH_REQUESTS (timed requests per page per repeat, default 50), BENCH_WARMUP (default 5),
BENCH_IMPORT_ROWS (default 30000), BENCH_DATABASE_URL.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import BenchSetupError, bench_database_url, ensure_database  # noqa: E402

SCALES = ("tiny", "small", "full")
RESULTS = Path(__file__).resolve().parent / "results.json"
PAGE_GOAL_MS = 150.0
# A page may cost at most this many times the bare baseline: see docs/benchmarks.md.
RATIO_GOAL = 15.0
IMPORT_GOAL_S = 60.0
# The board dashboard may cost at most this many times a bare view running its SQL.
DASHBOARD_RATIO_GOAL = 1.5
# Timed requests per repeat for the dashboard with an empty cache (each one recomputes everything).
DASHBOARD_COLD_REQUESTS = 20
MIN_REPEATS = 3


def _int_env(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    value = int(raw) if raw else default
    if value < minimum:
        raise BenchSetupError(f"{name} must be at least {minimum}.")
    return value


def _log(message: str) -> None:
    print(message, flush=True)


def main() -> int:
    started = time.perf_counter()
    scale = os.environ.get("BENCH_SCALE", "small").strip() or "small"
    try:
        if scale not in SCALES:
            raise BenchSetupError(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale!r}.")
        repeats = _int_env("BENCH_REPEATS", MIN_REPEATS, MIN_REPEATS)
        requests = _int_env("BENCH_REQUESTS", 50, 20)
        warmup = _int_env("BENCH_WARMUP", 5, 1)
        import_rows_count = _int_env("BENCH_IMPORT_ROWS", 30000, 1)
        url = bench_database_url(dict(os.environ))
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        created = ensure_database(url)
    except BenchSetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import CommandError, call_command
    from django.db import connection

    database = settings.DATABASES["default"]["NAME"]
    _log(f"Database {database}{' (created)' if created else ''}: migrating.")
    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("seed_scale", preset=scale)
    except CommandError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2

    from django.urls import reverse
    from django.utils import timezone

    from bench.imports import ImportUnavailable, import_service, measure_import, prepare
    from bench.pages import (
        BenchError,
        chronology_queries_for,
        dashboard_url,
        measure_aggregates,
        measure_dashboard,
        measure_page,
        pages,
        personas,
        queries_for,
        register_queries_for,
        signed_in_client,
        trend_years,
    )
    from bench.report import metric, table, write_results
    from bench.stats import median
    from lev.deadlines.models import Deadline, DeadlineReminder
    from lev.monitoring.dashboard import SchoolYearSpan
    from lev.schools.models import Board

    board = Board.objects.get(slug=f"scale-{scale}")
    try:
        people = personas(board)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    page_list = pages(people)
    clients = {}
    for page in page_list:
        if page.user.pk not in clients:
            clients[page.user.pk] = signed_in_client(page.user)
    baseline_url = reverse("bench_baseline", args=[people.school.pk])
    list_url = reverse("schools:pupil_list")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        # The deadline sweep of an earlier run leaves its rolled-back rows behind (three million at
        # full scale), which the dashboard's overdue count would scan until autovacuum gets to them.
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Deadline, DeadlineReminder))
        cursor.execute(f"VACUUM ANALYZE {tables}")
    _log(
        f"Scale {scale}; {os.cpu_count()} CPUs; Python {platform.python_version()}; Django {django.get_version()}; "
        f"PostgreSQL {server}; {repeats} repeats of {requests} requests per page after {warmup} warm-ups."
    )
    _log("Load average before measuring (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))

    metrics: dict[str, dict] = {}
    try:
        page_runs: dict[str, list] = defaultdict(list)
        query_runs: list[tuple[int, int, int, int]] = []
        register_runs: list[tuple[int, int, int, int]] = []
        chronology_runs: list[tuple[int, int, int, int]] = []
        register_url = reverse("incidents:register")
        chronology_url = reverse("schools:pupil_detail", args=[people.full_file_pupil_id])
        for repeat in range(1, repeats + 1):
            _log(f"Pages, repeat {repeat} of {repeats}.")
            for page in page_list:
                page_runs[page.key].append(
                    measure_page(clients[page.user.pk], page, baseline_url, requests=requests, warmup=warmup)
                )
            director = clients[people.director.pk]
            q10, shown10 = queries_for(director, list_url, 10)
            q100, shown100 = queries_for(director, list_url, 100)
            query_runs.append((q10, shown10, q100, shown100))
            register_runs.append(
                (
                    *register_queries_for(director, register_url, 10),
                    *register_queries_for(director, register_url, 100),
                )
            )
            chronology_runs.append(
                (
                    *chronology_queries_for(director, chronology_url, 10),
                    *chronology_queries_for(director, chronology_url, 100),
                )
            )
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    running_year = SchoolYearSpan.of(timezone.localdate())
    dashboard_page_url = dashboard_url(running_year)
    dashboard_baseline_url = reverse("bench_dashboard_baseline", args=[board.pk])
    board_client = clients.get(people.board_member.pk) or signed_in_client(people.board_member)
    director_client = clients.get(people.director.pk) or signed_in_client(people.director)
    dashboard_runs = []
    aggregate_runs = []
    try:
        for repeat in range(1, repeats + 1):
            _log(f"Board dashboard {running_year.label}, repeat {repeat} of {repeats}.")
            dashboard_runs.append(
                measure_dashboard(
                    board_client,
                    director_client,
                    dashboard_page_url,
                    dashboard_baseline_url,
                    requests=requests,
                    warmup=warmup,
                    cold_requests=DASHBOARD_COLD_REQUESTS,
                )
            )
            aggregate_runs.append(
                measure_aggregates(board, trend_years(running_year), runs=requests, warmup=warmup)
            )
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1

    for page in page_list:
        runs = page_runs[page.key]
        baseline = median([r.baseline_p95 for r in runs])
        ratio = median([r.ratio for r in runs])
        value = median([r.page_p95 for r in runs])
        metrics[f"page_p95_ms.{page.key}"] = metric(
            [r.page_p95 for r in runs],
            unit="ms",
            baseline=baseline,
            ratio=ratio,
            goal=f"<= {PAGE_GOAL_MS:g} ms",
            passed=value <= PAGE_GOAL_MS,
        )
        metrics[f"page_ratio.{page.key}"] = metric(
            [r.ratio for r in runs],
            unit="x",
            baseline=baseline,
            ratio=ratio,
            goal=f"<= {RATIO_GOAL:g}x",
            passed=ratio <= RATIO_GOAL,
        )

    def queries_metric(runs: list[tuple[int, int, int, int]], what: str) -> dict:
        shown_ok = all(s10 == 10 and s100 == 100 for _q10, s10, _q100, s100 in runs)
        return metric(
            [float(q[2]) for q in runs],
            unit="queries",
            baseline=median([q[0] for q in runs]),
            ratio=median([q[2] / q[0] for q in runs]),
            goal="100 rows = 10 rows",
            passed=shown_ok and all(q[0] == q[2] for q in runs),
            note="" if shown_ok else f"the {what} showed {runs[0][1]} and {runs[0][3]} rows, not 10 and 100",
            digits=0,
        )

    dashboard_baseline = median([r.baseline_p95 for r in dashboard_runs])
    dashboard_ratio = median([r.ratio for r in dashboard_runs])
    metrics["dashboard_ratio"] = metric(
        [r.ratio for r in dashboard_runs],
        unit="x",
        baseline=dashboard_baseline,
        ratio=dashboard_ratio,
        goal=f"<= {DASHBOARD_RATIO_GOAL:g}x",
        passed=dashboard_ratio <= DASHBOARD_RATIO_GOAL,
        note=(
            f"board member, school year {running_year.label}, warm (the warm-ups fill the suppression "
            f"cache); page p95 {median([r.board_p95 for r in dashboard_runs]):.2f} ms vs a bare view "
            "running the same SQL (baseline in ms)"
        ),
    )
    cold = median([r.cold_p95 for r in dashboard_runs])
    metrics["dashboard_cold_ms"] = metric(
        [r.cold_p95 for r in dashboard_runs],
        unit="ms",
        baseline=dashboard_baseline,
        ratio=cold / dashboard_baseline,
        goal="reported",
        passed=None,
        note=(
            f"board member, {running_year.label}, the suppression cache emptied before each of "
            f"{DASHBOARD_COLD_REQUESTS} requests"
        ),
    )
    metrics["dashboard_director_ms"] = metric(
        [r.director_p95 for r in dashboard_runs],
        unit="ms",
        baseline=median([r.director_baseline_p95 for r in dashboard_runs]),
        ratio=median([r.director_ratio for r in dashboard_runs]),
        goal="reported",
        passed=None,
        note=f"director, own school, {running_year.label}, warm",
    )
    raw_ms = median([r.raw_ms for r in aggregate_runs])
    count_ms = median([r.count_ms for r in aggregate_runs])
    raw_vs_count = median([r.ratio for r in aggregate_runs])
    aggregate_span = f"{trend_years(running_year)[0].label} to {running_year.label}"
    metrics["raw_incident_aggregate_ms"] = metric(
        [r.raw_ms for r in aggregate_runs],
        unit="ms",
        baseline=count_ms,
        ratio=raw_vs_count,
        goal="reported",
        passed=None,
        note=f"the board's incidents by school, month and category, {aggregate_span}; median of {requests} runs",
    )
    metrics["count_table_aggregate_ms"] = metric(
        [r.count_ms for r in aggregate_runs],
        unit="ms",
        goal="reported",
        passed=None,
        note=f"read_counts over the count table, same board and years; median of {requests} runs",
    )
    metrics["raw_vs_count_ratio"] = metric(
        [r.ratio for r in aggregate_runs],
        unit="x",
        baseline=count_ms,
        ratio=raw_vs_count,
        goal="reported",
        passed=None,
        note=f"raw_incident_aggregate_ms / count_table_aggregate_ms (raw: {raw_ms:.2f} ms; baseline in ms)",
    )

    metrics["queries_per_page"] = queries_metric(query_runs, "pupil list")
    metrics["queries_per_page.incident_register"] = queries_metric(register_runs, "incident register")
    metrics["queries_per_page.pupil_chronology"] = queries_metric(chronology_runs, "chronology")

    import_name = f"import_{import_rows_count}_s"
    try:
        import_service()
    except ImportUnavailable as exc:
        metrics[import_name] = metric(
            [], unit="s", goal=f"<= {IMPORT_GOAL_S:g} s", passed=None, note=f"not measured: {exc}"
        )
    else:
        actor = people.functional_admin
        rows, data = prepare(import_rows_count)
        import_runs = []
        failure = ""
        for repeat in range(1, repeats + 1):
            _log(f"Import of {import_rows_count} pupils, repeat {repeat} of {repeats}.")
            try:
                import_runs.append(measure_import(board, actor, rows, data))
            except Exception as exc:  # an import that refuses the file is a result, not a crash
                failure = f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"
                break
        if failure:
            metrics[import_name] = metric(
                [],
                unit="s",
                goal=f"<= {IMPORT_GOAL_S:g} s",
                passed=False,
                note=f"the import failed: {failure}",
            )
        else:
            value = median([r.import_seconds for r in import_runs])
            metrics[import_name] = metric(
                [r.import_seconds for r in import_runs],
                unit="s",
                baseline=median([r.bulk_seconds for r in import_runs]),
                ratio=median([r.ratio for r in import_runs]),
                goal=f"<= {IMPORT_GOAL_S:g} s",
                passed=value <= IMPORT_GOAL_S,
            )

    from bench.sweep import DUE, SWEEP_GOAL, SweepCheckFailed, explain_slow, measure_sweep

    sweep_open = 1_000_000 if scale == "full" else 100_000 if scale == "small" else 10_000
    sweep_runs = []
    sweep_failure = ""
    for repeat in range(1, repeats + 1):
        _log(f"Deadline sweep with {sweep_open} open deadlines, repeat {repeat} of {repeats}.")
        try:
            sweep_runs.append(measure_sweep(board, sweep_open))
        except SweepCheckFailed as exc:
            sweep_failure = str(exc)
            break
    sweep_note = f"{sweep_open:,} open deadlines vs {DUE:,}, {DUE:,} reminders due in both" + (
        "" if scale == "full" else f" (BENCH_SCALE={scale}; full uses 1,000,000)"
    )
    if sweep_failure:
        for name in ("sweep_ratio", "sweep_1m_s"):
            metrics[name] = metric(
                [],
                unit="x" if name == "sweep_ratio" else "s",
                goal="<= 2x",
                passed=False,
                note=f"{sweep_note}; {sweep_failure}",
            )
    else:
        sweep_ratio = median([r.ratio for r in sweep_runs])
        sweep_passed = sweep_ratio <= SWEEP_GOAL
        metrics["sweep_ratio"] = metric(
            [r.ratio for r in sweep_runs],
            unit="x",
            baseline=median([r.small_seconds for r in sweep_runs]),
            ratio=sweep_ratio,
            goal=f"<= {SWEEP_GOAL:g}x",
            passed=sweep_passed,
            note=sweep_note,
        )
        metrics["sweep_1m_s"] = metric(
            [r.large_seconds for r in sweep_runs],
            unit="s",
            baseline=median([r.small_seconds for r in sweep_runs]),
            ratio=sweep_ratio,
            goal=f"sweep_ratio <= {SWEEP_GOAL:g}x",
            passed=sweep_passed,
            note=sweep_note,
            digits=3,
        )
        if not sweep_passed:
            _log("The sweep's claiming queries with many open deadlines:")
            _log(explain_slow(board, sweep_open))

    from bench.letters import (
        BULK_ADDRESSES,
        BULK_GOAL_S,
        LETTER_RATIO_GOAL,
        measure_bulk,
        measure_letters,
        measure_subprocess,
    )

    letter_runs = []
    subprocess_runs = []
    for repeat in range(1, repeats + 1):
        _log(f"Letters (every kind, both denominaties), repeat {repeat} of {repeats}.")
        letter_runs.append(measure_letters(rounds=1))
        subprocess_runs.append(measure_subprocess())
    letter_ratio = median([r.ratio for r in letter_runs])
    metrics["letter_pdf_ratio"] = metric(
        [r.ratio for r in letter_runs],
        unit="x",
        baseline=median([r.bare_ms for r in letter_runs]),
        ratio=letter_ratio,
        goal=f"<= {LETTER_RATIO_GOAL:g}x",
        passed=letter_ratio <= LETTER_RATIO_GOAL,
        note="LEV's letter (build + restricted fetcher + PDF/A-3b) vs bare WeasyPrint of the same HTML; baseline in ms",
    )
    metrics["letter_subprocess_s"] = metric(
        subprocess_runs,
        unit="s",
        goal="reported",
        passed=None,
        note="one letter in the limited render subprocess, process start included",
    )

    bulk_runs = []
    bulk_failure = ""
    for repeat in range(1, repeats + 1):
        _log(f"Incident letter to {BULK_ADDRESSES} addresses, repeat {repeat} of {repeats}.")
        try:
            bulk_runs.append(measure_bulk(board, people))
        except Exception as exc:  # a failed run is a result, not a crash
            bulk_failure = f"{type(exc).__name__}: {exc}"
            break
    bulk_name = f"letters_{BULK_ADDRESSES}_s"
    serial = median([r.bare_ms for r in letter_runs]) * BULK_ADDRESSES / 1000
    if bulk_failure:
        metrics[bulk_name] = metric(
            [], unit="s", goal=f"<= {BULK_GOAL_S:g} s", passed=False, note=bulk_failure
        )
    else:
        bulk_value = median([r.seconds for r in bulk_runs])
        metrics[bulk_name] = metric(
            [r.seconds for r in bulk_runs],
            unit="s",
            baseline=serial,
            ratio=bulk_value / serial,
            goal=f"<= {BULK_GOAL_S:g} s",
            passed=bulk_value <= BULK_GOAL_S,
            note=(
                f"approve, {BULK_ADDRESSES} PDFs in two limited render processes, stored and hashed, "
                f"print file of {bulk_runs[0].print_pages} pages; baseline: {BULK_ADDRESSES} x one bare "
                "WeasyPrint letter, one after the other"
            ),
        )

    write_results(RESULTS, scale, metrics)
    _log("Load average after measuring (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    _log("")
    _log(table(metrics))
    _log("")
    failed = [name for name, m in metrics.items() if m["pass"] is False]
    _log(
        f"{len(metrics) - len(failed)} of {len(metrics)} metrics pass"
        + (f"; failing: {', '.join(failed)}" if failed else "")
        + f". Wrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
