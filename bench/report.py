"""results.json and the table on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .stats import summarise


def metric(
    values: list[float],
    *,
    unit: str,
    goal: str,
    passed: bool | None,
    baseline: float | None = None,
    ratio: float | None = None,
    note: str = "",
    digits: int = 2,
) -> dict[str, Any]:
    """One entry of results.json: the median of the repeats as the value, with its range."""
    if not values:
        return {
            "value": None,
            "unit": unit,
            "baseline": baseline,
            "ratio": ratio,
            "goal": goal,
            "pass": passed,
            "median": None,
            "min": None,
            "max": None,
            "repeats": [],
            **({"note": note} if note else {}),
        }
    summary = summarise(values)
    entry: dict[str, Any] = {
        "value": round(summary.median, digits),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, digits),
        "ratio": None if ratio is None else round(ratio, 2),
        "goal": goal,
        "pass": passed,
        "median": round(summary.median, digits),
        "min": round(summary.min, digits),
        "max": round(summary.max, digits),
        "repeats": [round(v, digits) for v in summary.repeats],
    }
    if note:
        entry["note"] = note
    return entry


def write_results(path: Path, scale: str, metrics: dict[str, dict[str, Any]]) -> None:
    path.write_text(json.dumps({"scale": scale, "metrics": metrics}, indent=2, ensure_ascii=False) + "\n")


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def table(metrics: dict[str, dict[str, Any]]) -> str:
    header = ("metric", "median", "range (min-max)", "unit", "baseline", "ratio", "goal", "pass")
    rows = [header]
    for name, m in metrics.items():
        spread = "-" if m["min"] is None else f"{_number(m['min'])}-{_number(m['max'])}"
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[m["pass"]]
        rows.append(
            (
                name,
                _number(m["value"]),
                spread,
                m["unit"],
                _number(m["baseline"]),
                _number(m["ratio"]),
                m["goal"],
                verdict,
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    notes = [f"{name}: {m['note']}" for name, m in metrics.items() if m.get("note")]
    return "\n".join(lines + ([""] + notes if notes else []))
