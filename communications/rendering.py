"""A letter as HTML (LEV's own template file, never one from the database) and as PDF.

The letter's blocks come from `domain.merge.render_block`, which escapes the block text and every
merge value; everything else in the layout is escaped by Django's template engine. The PDF is made
by WeasyPrint with `pdf.SafeFetcher` (only LEV's letter files are reachable), PDF/A-3b, in a
subprocess with CPU-time, memory and wall-clock limits (`render_limited`).

Layout (docs/letters.md): A4, the address block placed for a C5/6 envelope with a window on the
left; "Pagina x van y" at the foot of every page; a legal template version that no named reviewer
has approved carries "CONCEPT — juridisch te toetsen" on every page.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .domain.kinds import Denominatie, LetterKind
from .domain.merge import render_block

# The PDF variant of sent letters (communications.pdf imports WeasyPrint, which only the render
# process and the tests need: importing it here would load it in every process at start-up).
PDF_VARIANT = "pdf/a-3b"
RENDER_CPU_SECONDS = 60
RENDER_WALL_SECONDS = 90
RENDER_MEMORY_BYTES = 1536 * 1024 * 1024
LOGO_MAX_BYTES = 2 * 1024 * 1024
CONCEPT_MARK = "CONCEPT — juridisch te toetsen"


class RenderError(RuntimeError):
    """The renderer failed, ran out of time or memory, or produced no PDF."""


@dataclass(frozen=True)
class Letterhead:
    name: str
    lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo_data_uri: str = ""


@dataclass(frozen=True)
class RenderedBlock:
    code: str
    title: str
    html: SafeString
    editable: bool


@dataclass(frozen=True)
class LetterContent:
    kind: LetterKind
    denominatie: str
    subject: SafeString
    salutation: SafeString
    blocks: tuple[RenderedBlock, ...]
    values: Mapping[str, str]
    recipient_lines: tuple[str, ...]
    letterhead: Letterhead
    copies: tuple[str, ...] = ()
    concept: bool = False
    extra_classes: tuple[str, ...] = field(default_factory=tuple)


def _inline(text: str, values: Mapping[str, str], labels: Mapping[str, str]) -> SafeString:
    html = render_block(text, values, labels)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 — escaped by render_block


def letter_content(
    kind: LetterKind,
    denominatie: Denominatie | str,
    texts: Mapping[str, str],
    values: Mapping[str, str],
    *,
    recipient_lines: Sequence[str],
    letterhead: Letterhead,
    enabled: Collection[str] = (),
    copies: Sequence[str] = (),
    concept: bool = False,
) -> LetterContent:
    labels = kind.labels
    blocks = tuple(
        RenderedBlock(
            code=block.code,
            title=block.title,
            html=mark_safe(render_block(block.text, values, labels)),  # noqa: S308 — escaped by render_block
            editable=block.editable,
        )
        for block in kind.blocks_for(denominatie, texts, enabled)
    )
    return LetterContent(
        kind=kind,
        denominatie=str(denominatie),
        subject=_inline(kind.subject, values, labels),
        salutation=_inline(kind.extra.get("salutation", "Geachte ouders/verzorgers,"), values, labels),
        blocks=blocks,
        values=values,
        recipient_lines=tuple(recipient_lines),
        letterhead=letterhead,
        copies=tuple(copies),
        concept=concept,
    )


def letter_html(content: LetterContent) -> str:
    return render_to_string(
        "communications/letter_pdf.html", {"letter": content, "concept_mark": CONCEPT_MARK}
    )


def logo_data_uri(content: bytes) -> str:
    """A PNG or JPEG logo as a data: URI (the renderer fetches nothing else); '' for other files."""
    if len(content) > LOGO_MAX_BYTES:
        return ""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif content.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    else:
        return ""
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def _limits(cpu_seconds: int):  # type: ignore[no-untyped-def]
    def limits() -> None:  # pragma: no cover - runs in the child process
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY_BYTES, RENDER_MEMORY_BYTES))

    return limits


def _worker_env(project_root: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": project_root,
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 — fontconfig's cache location only
    }


def _run_worker(request: dict[str, object], *, cpu_seconds: int, timeout: float) -> bytes:
    """Run `communications.render_worker` with REQUEST on stdin, in a minimal environment with CPU,
    memory and wall-clock limits; its stdout."""
    project_root = str(Path(__file__).resolve().parent.parent)
    env = _worker_env(project_root)
    try:
        completed = subprocess.run(  # noqa: S603 — fixed argv, no shell
            [sys.executable, "-m", "communications.render_worker"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=timeout,
            env=env,
            cwd=project_root,
            preexec_fn=_limits(cpu_seconds),  # noqa: PLW1509 — limits must be set in the child before exec
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderError("The letter took too long to render.") from exc
    if completed.returncode != 0:
        tail = completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise RenderError(f"The renderer failed (exit {completed.returncode}): {tail[0][:200]}")
    return completed.stdout


def render_limited(
    html: str, *, variant: str | None = PDF_VARIANT, timeout: float = RENDER_WALL_SECONDS
) -> bytes:
    """Render HTML to PDF in a child process with CPU, memory and wall-clock limits."""
    pdf = _run_worker({"html": html, "variant": variant}, cpu_seconds=RENDER_CPU_SECONDS, timeout=timeout)
    if not pdf.startswith(b"%PDF-"):
        raise RenderError("The renderer returned no PDF.")
    return pdf


def render_limited_stream(
    htmls: Sequence[str], *, variant: str | None = PDF_VARIANT, timeout: float | None = None
) -> Iterator[bytes]:
    """Render several letters in one child process with the same limits, yielding each PDF as soon
    as it is made (the stylesheet and fonts are loaded once for all). The CPU and wall-clock limits
    grow with the number of letters; a child that runs out of time is killed."""
    if not htmls:
        return
    project_root = str(Path(__file__).resolve().parent.parent)
    wall = timeout if timeout is not None else RENDER_WALL_SECONDS + 5 * len(htmls)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 — fixed argv, no shell
            [sys.executable, "-m", "communications.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=_worker_env(project_root),
            cwd=project_root,
            preexec_fn=_limits(RENDER_CPU_SECONDS + 5 * len(htmls)),  # noqa: PLW1509 — set in the child before exec
        )
        timer = threading.Timer(wall, process.kill)
        timer.start()
        try:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps({"batch": list(htmls), "variant": variant}).encode())
            process.stdin.close()
            for _index in range(len(htmls)):
                header = process.stdout.read(8)
                size = int.from_bytes(header, "big") if len(header) == 8 else -1
                pdf = process.stdout.read(size) if size > 0 else b""
                if len(pdf) != size or not pdf.startswith(b"%PDF-"):
                    process.wait()
                    errors.seek(0)
                    tail = errors.read().decode(errors="replace").strip().splitlines()[-1:] or [""]
                    raise RenderError(f"The renderer stopped (exit {process.returncode}): {tail[0][:200]}")
                yield pdf
            process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()


def sample_content(
    kind: LetterKind, denominatie: str, texts: Mapping[str, str] | None = None, *, concept: bool
) -> LetterContent:
    """The letter on demo data (the fields' samples), for previews and golden files."""
    values = kind.samples()
    return letter_content(
        kind,
        denominatie,
        texts if texts is not None else kind.editable_defaults(),
        values,
        recipient_lines=("Familie De Vries", "Voorbeeldstraat 12", "2771 AB Boskoop"),
        letterhead=Letterhead(
            name=values.get("school_naam", "CBS De Regenboog"),
            lines=("Zuidkade 1", "2771 DS Boskoop"),
            phone="0172 123 456",
            email="info@regenboog.example",
        ),
        enabled=tuple(b.code for b in kind.optional_blocks),
        copies=("het bestuur van Stichting LEV",) if kind.legal else (),
        concept=concept,
    )
