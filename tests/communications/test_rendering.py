"""Every shipped letter as a PDF (WeasyPrint, PDF/A-3b), read back with pdftotext.

For each kind and each denominatie the text must contain the elements LEGAL.md §8 requires — the
phrases below are written from §8 and the rules it cites, not copied from the output — plus what
every letter has: the help line, the contact person, "Pagina x van y", and for legal letters whose
version no reviewer approved, "CONCEPT — juridisch te toetsen" on every page.

Golden text files (tests/communications/golden/) hold the whole extracted text of each letter, so
an unintended change of wording or layout fails here. After an intended change, regenerate them
with LEV_UPDATE_GOLDEN=1 and review the PNGs (pdftoppm) by eye.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from communications.domain.texts import KINDS
from communications.pdf import write_pdf
from communications.rendering import letter_html, sample_content

GOLDEN = Path(__file__).parent / "golden"
BOTH = ("bijzonder", "openbaar")

COMMON = [
    "Vindt u deze brief moeilijk om te lezen",
    "mevrouw A. Jansen, intern begeleider",
    "0172 123 456",
    "Pagina 1 van",
    "Familie De Vries",
    "Boskoop, 7 december 2026",
]

# (kind, denominatie) -> phrases LEGAL.md §8 requires in that letter.
REQUIRED: dict[tuple[str, str], list[str]] = {}
for d in BOTH:
    REQUIRED[("timeout_melding", d)] = [
        "Wat er gebeurde",
        "klasgenoot hard tegen het hek",  # the facts
        "de rest van de schooldag",  # the measure and its duration
        "in groep 7a, bij meester Pieters",  # where the pupil works
        "Wij bellen u morgen om een afspraak te maken",  # the conversation offered
    ]
    REQUIRED[("schorsing_uitnodiging", d)] = [
        "maandag 7 december 2026 om 15.00 uur",
        "de directiekamer van CBS De Regenboog",
        "meester Pieters, is uitgenodigd",  # the teacher invited
        "vertrouwenspersoon",
        "een schorsing van dinsdag 8 tot en met donderdag 10 december 2026",
    ]
    REQUIRED[("schorsing_verslag", d)] = [
        "maandag 7 december 2026",
        "Aanwezig",
        "Wat wij bespraken",
        "Wat wij afspraken",
        "voor gezien",
    ]
    REQUIRED[("verwijdering_uitnodiging", d)] = [
        "van plan Sam de Vries van CBS De Regenboog te verwijderen",  # the intention
        "Er is nog geen besluit genomen",
        "De grond voor het voornemen is",
        "dinsdag 15 december 2026 om 16.00 uur",
        "vertrouwenspersoon",
        "12 jaar of ouder",
        "pas in als een andere school bereid is gevonden",
    ]
    REQUIRED[("verwijdering_besluit", d)] = [
        "De grond voor de verwijdering is",
        "dinsdag 15 december 2026",  # hearing of the parents
        "maandag 14 december 2026",  # hearing of the teacher
        "CBS De Wegwijzer in Waddinxveen",  # the accepting school
        "met ingang van maandag 25 januari 2027",
        "binnen zes weken na de datum van verzending van deze brief (verzonden op maandag 11 januari 2027)",
        "hoort het u",
        "Geschillencommissie passend onderwijs",
    ]
    REQUIRED[("besluit_bezwaar", d)] = [
        "Onze beslissing",
        "ongegrond",
        "Waarom",
        "dinsdag 16 februari 2027",  # the hearing held
    ]
    REQUIRED[("avg_antwoord", d)] = [
        "Ons antwoord",
        "Wat u ontvangt",
        "Wat wij niet verstrekken, en waarom",
        "Autoriteit Persoonsgegevens",
    ]
    for code in ("incident_eigen_groep", "incident_overige_groepen", "incident_jonge_kinderen"):
        REQUIRED[(code, d)] = ["rust te bewaren", "privacy", "geen namen", "groep"]
    REQUIRED[("incident_overige_groepen", d)] += [
        "groep 1 tot en met 4 en groep 6 tot en met 8",
        "voorval in groep 5",
        "Ook de ouders van groep 5 hebben een brief ontvangen",
    ]

REQUIRED[("schorsing_besluit", "bijzonder")] = [
    "dinsdag 8 december 2026 tot en met donderdag 10 december 2026",
    "ten hoogste één week",
    "Waarom wij dit besluiten",
    "Onderwijs tijdens de schorsing",
    "beroep instellen bij het bestuur",
    "binnen 14 dagen na ontvangst van uw beroep",
]
REQUIRED[("schorsing_besluit", "openbaar")] = [
    "dinsdag 8 december 2026 tot en met donderdag 10 december 2026",
    "ten hoogste één week",
    "Waarom wij dit besluiten",
    "Onderwijs tijdens de schorsing",
    "bezwaar maken binnen zes weken na de dag waarop dit besluit aan u is bekendgemaakt",
    "artikel 6:5 van de Algemene wet bestuursrecht",
    "het bestuur van Stichting LEV, Postbus 100, 2770 AC Boskoop",
]
REQUIRED[("verwijdering_besluit", "bijzonder")].append(
    "Artikel 63, derde lid, van de Wet op het primair onderwijs"
)
REQUIRED[("verwijdering_besluit", "bijzonder")].append("binnen vier weken na ontvangst van uw bezwaar")
REQUIRED[("verwijdering_besluit", "openbaar")].append("artikel 6:9 Awb")
REQUIRED[("verwijdering_besluit", "openbaar")].append("binnen vier weken na afloop van de bezwaartermijn")
REQUIRED[("besluit_bezwaar", "bijzonder")].append("burgerlijke rechter")
REQUIRED[("besluit_bezwaar", "openbaar")].append("beroep instellen bij de rechtbank")
REQUIRED[("avg_antwoord", "bijzonder")].append("de rechtbank vragen")
REQUIRED[("avg_antwoord", "openbaar")].append("bezwaar maken")

FORBIDDEN: dict[str, list[str]] = {
    "verwijdering_uitnodiging": ["8 weken", "acht weken", "tijdelijke verwijdering", "bezwaar"],
    "verwijdering_besluit": [
        "8 weken",
        "acht weken",
        "tijdelijke verwijdering",
        "na ontvangst van dit besluit",
    ],
    "incident_eigen_groep": ["dader", "slachtoffer", "seksue", "schors"],
    "incident_overige_groepen": ["dader", "slachtoffer", "seksue", "schors", "incident in groep 1"],
    "incident_jonge_kinderen": ["dader", "slachtoffer", "seksue", "schors"],
}


def normalise(text: str) -> str:
    """NFKC, hyphenated line breaks joined, whitespace collapsed (ARCHITECTURE.md §7)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def render(code: str, denominatie: str, *, concept: bool | None = None) -> bytes:
    kind = KINDS[code]
    concept = kind.legal if concept is None else concept
    return write_pdf(letter_html(sample_content(kind, denominatie, concept=concept)))


CASES = [(code, d) for code in KINDS for d in BOTH]


@pytest.mark.parametrize(("code", "denominatie"), CASES)
def test_letter_contains_its_required_elements(code, denominatie):
    pdf = render(code, denominatie)
    text = normalise(pdf_text(pdf))
    for phrase in COMMON + REQUIRED[(code, denominatie)]:
        assert phrase in text, f"{code}/{denominatie}: missing {phrase!r}"
    for phrase in FORBIDDEN.get(code, []):
        assert phrase.lower() not in text.lower(), f"{code}/{denominatie}: contains {phrase!r}"
    pages = int(re.search(r"Pagina 1 van (\d+)", text).group(1))
    assert text.count("Pagina ") == pages
    if KINDS[code].legal:
        assert text.count("CONCEPT — juridisch te toetsen") == pages
    else:
        assert "CONCEPT" not in text


def test_reviewed_version_has_no_concept_mark():
    text = normalise(pdf_text(render("schorsing_besluit", "bijzonder", concept=False)))
    assert "CONCEPT" not in text


@pytest.mark.parametrize(
    ("code", "denominatie"), [("schorsing_besluit", "openbaar"), ("incident_eigen_groep", "bijzonder")]
)
def test_pdf_is_pdf_a_3b_with_embedded_fonts(tmp_path, code, denominatie):
    path = tmp_path / "letter.pdf"
    path.write_bytes(render(code, denominatie))
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, check=True).stdout.decode()
    assert 'pdfaid:part="3"' in meta
    assert 'pdfaid:conformance="B"' in meta
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all(
        row[0].endswith(("LEV-Letter", "LEV-Letter-Bold", "LEV-Letter-Italic")) for row in rows
    )
    assert all(row[-5] == "yes" for row in rows)  # every font embedded


def test_ligatures_off_so_text_extracts_letter_by_letter():
    text = pdf_text(render("schorsing_besluit", "bijzonder"))
    assert "ﬁ" not in text and "ﬂ" not in text


@pytest.mark.parametrize(("code", "denominatie"), CASES)
def test_golden_text(code, denominatie):
    text = pdf_text(render(code, denominatie), layout=True)
    golden = GOLDEN / f"{code}.{denominatie}.txt"
    if os.environ.get("LEV_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with LEV_UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_pdf_variant_is_defined_alike_in_both_modules():
    from communications import pdf, rendering

    assert rendering.PDF_VARIANT == pdf.PDF_VARIANT == "pdf/a-3b"


def test_weasyprint_is_not_loaded_when_django_starts():
    # WeasyPrint is only for the render process: loading it at start-up costs every process
    # memory and time, and its log lines would disturb the management commands' output.
    code = "import django, sys; django.setup(); import django.urls; django.urls.get_resolver().url_patterns; print('weasyprint' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
