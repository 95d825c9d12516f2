"""`letter_pdf_ratio`: LEV's letter PDF against bare WeasyPrint of the same HTML.

LEV's path is what a sent letter costs: build the letter from its kind, template texts and values
(`letter_content` + `letter_html`), then render with the restricted fetcher and the letter
stylesheet as PDF/A-3b (`communications.pdf.write_pdf`, which parses the stylesheet and loads the
fonts once per process). The baseline is bare WeasyPrint of the same document:
`HTML(string=html).write_pdf(stylesheets=[CSS(filename=letter.css)])`, WeasyPrint's own fetcher,
no PDF variant. Both run in this process, one
after the other per letter (interleaved, so load on the machine hits both alike), over every
shipped kind in both denominaties; the ratio is the median of the per-letter ratios.

Rendering in the limited subprocess (`render_limited`) adds a process start (~1 s with imports);
that is the job runner's cost per letter batch, not the renderer's, and is reported separately
as `letter_subprocess_s`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.utils import timezone
from weasyprint import CSS, HTML

from communications.domain.texts import KINDS
from communications.pdf import LETTER_ASSETS, base_url, write_pdf
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
            bare_pdf = HTML(string=html, base_url=base_url()).write_pdf(
                stylesheets=[CSS(filename=str(LETTER_ASSETS / "letter.css"))]
            )
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


# --- letters_500_s: an incident letter to 500 addresses ------------------------------------------

BULK_ADDRESSES = 500
BULK_GOAL_S = 60.0


def _bulk_letter(board, people, addresses: int):  # type: ignore[no-untyped-def]
    """A school's group of ADDRESSES pupils, each with a parent at an address of their own, and an
    incident letter to it, submitted for approval (written in the caller's transaction)."""
    from communications import letter_services as svc
    from lev.schools.models import Enrolment, GroupPlacement, Guardian, Pupil, PupilGuardian, SchoolGroup

    school = people.school
    school.phone = school.phone or "0172 123 456"
    school.save(update_fields=["phone"])
    year = SchoolGroup.objects.filter(school=school).order_by("-school_year__starts_on").first().school_year
    group = SchoolGroup.objects.create(board=board, school=school, school_year=year, name="bulk", grades=[8])
    pupils = Pupil.objects.bulk_create(
        Pupil(
            board=board,
            school=school,
            admin_number=f"B{n:06d}",
            roepnaam="Kind",
            achternaam=f"Bulk{n}",
            date_of_birth=dt.date(2014, 1, 1),
        )
        for n in range(addresses)
    )
    Enrolment.objects.bulk_create(
        Enrolment(board=board, school=school, pupil=p, enrolled_on=year.starts_on) for p in pupils
    )
    GroupPlacement.objects.bulk_create(
        GroupPlacement(board=board, school=school, pupil=p, group=group, starts_on=year.starts_on)
        for p in pupils
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(
            board=board,
            school=school,
            external_key=f"bulk{n}",
            first_name="Ouder",
            achternaam=f"Bulk{n}",
            street=f"Laan {n + 1}",
            postcode="2771 AB",
            city="Boskoop",
        )
        for n in range(addresses)
    )
    PupilGuardian.objects.bulk_create(
        PupilGuardian(board=board, school=school, pupil=p, guardian=g, relation="parent")
        for p, g in zip(pupils, guardians, strict=True)
    )
    kind = KINDS["incident_eigen_groep"]
    values = {f.code: f.sample for f in kind.fields if f.source == "letter"} | {"groep": "groep bulk"}
    now = timezone.now()
    letter = svc.letter_create(
        kind_code=kind.code,
        school=school,
        group_ids=[group.pk],
        values=values,
        actor=people.care_coordinator,
        now=now,
    )
    svc.letter_submit(letter=letter, actor=people.care_coordinator, now=now)
    return letter


@dataclass(frozen=True)
class BulkRun:
    seconds: float
    pdfs: int
    print_pages: int


def measure_bulk(board, people, addresses: int = BULK_ADDRESSES) -> BulkRun:  # type: ignore[no-untyped-def]
    """Approve the letter (one copy per address) and render every PDF with the job's renderer (two
    limited render processes), store and hash them, and merge the print file; timed from the
    approval to the stored print file. In a rolled-back transaction with a scratch media folder."""
    import tempfile

    from django.test import override_settings
    from pypdf import PdfReader

    from communications import letter_services as svc
    from communications.letter_models import Letter, LetterCopy

    from .imports import rolled_back

    def work() -> BulkRun:
        letter = _bulk_letter(board, people, addresses)
        started = time.perf_counter()
        now = timezone.now()
        svc.letter_approve(letter=letter, actor=people.director, now=now)
        svc.letter_render(letter.pk, now=now)
        seconds = time.perf_counter() - started
        stored = LetterCopy.objects.filter(letter=letter).exclude(sha256="").count()
        letter = Letter.objects.get(pk=letter.pk)
        if stored != addresses or not letter.print_sha256:
            raise RuntimeError(
                f"{stored} of {addresses} PDFs stored; print file: {bool(letter.print_sha256)}"
            )
        pages = len(PdfReader(letter.print_pdf.path).pages)
        return BulkRun(seconds=seconds, pdfs=stored, print_pages=pages)

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        return rolled_back(work)
