"""The text of a PDF as the tests read it: every page's text, with hyphenated line ends joined and
all runs of white space made one space."""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> str:
    return normalise(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))
