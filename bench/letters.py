"""`letter_pdf_ratio`: LEV's letter PDF against bare WeasyPrint of the same HTML.

LEV's path is what a sent letter costs: build the letter from its kind, template texts and values
(`letter_content` + `letter_html`), then render with the restricted fetcher as PDF/A-3b
(`communications.pdf.write_pdf`). The baseline is `weasyprint.HTML(string=html).write_pdf()` of
that same HTML with WeasyPrint's own fetcher and no PDF variant. Both run in this process, one
after the other per letter (interleaved, so load on the machine hits both alike), over every
shipped kind in both denominaties; the ratio is the median of the per-letter ratios.

Rendering in the limited subprocess (`render_limited`) adds a process start (~1 s with imports);
that is the job runner's cost per letter batch, not the renderer's, and is reported separately
as `letter_subprocess_s`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from weasyprint import HTML

from communications.domain.texts import KINDS
from communications.pdf import base_url, write_pdf
from communications.rendering import letter_html, render_limited, sample_content

LETTER_RATIO_GOAL = 1.2


@dataclass(frozen=True)
class LetterRun:
    ratio: float
    lev_ms: float
    bare_ms: float


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def measure_letters(rounds: int = 3) -> LetterRun:
    ratios: list[float] = []
    lev_times: list[float] = []
    bare_times: list[float] = []
    cases = [(kind, d) for kind in KINDS.values() for d in ("bijzonder", "openbaar")]
    # Warm up fonts and caches once.
    write_pdf(letter_html(sample_content(cases[0][0], "bijzonder", concept=True)))
    for _ in range(rounds):
        for kind, denominatie in cases:
            started = time.perf_counter()
            html = letter_html(sample_content(kind, denominatie, concept=kind.legal))
            pdf = write_pdf(html)
            lev = time.perf_counter() - started
            started = time.perf_counter()
            bare_pdf = HTML(string=html, base_url=base_url()).write_pdf()
            bare = time.perf_counter() - started
            if not (pdf.startswith(b"%PDF-") and bare_pdf and bare_pdf.startswith(b"%PDF-")):
                raise RuntimeError("a renderer produced no PDF")
            ratios.append(lev / bare)
            lev_times.append(lev * 1000)
            bare_times.append(bare * 1000)
    return LetterRun(ratio=_median(ratios), lev_ms=_median(lev_times), bare_ms=_median(bare_times))


def measure_subprocess() -> float:
    kind = KINDS["verwijdering_besluit"]
    html = letter_html(sample_content(kind, "bijzonder", concept=True))
    started = time.perf_counter()
    render_limited(html)
    return time.perf_counter() - started
