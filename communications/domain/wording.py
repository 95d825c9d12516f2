"""The wording check: words the policy plan asks us not to use in letters to parents.

Source: the policy plan §17.3 ("vermijd de termen dader/slachtoffer", "vermijd ... het woord
seksueel") and Bijlage 23 ("gebruik bij voorkeur niet het woord schorsen"); LEGAL.md R2a (the
warning about "schorsen" is about letters to *other* parents: it never hides a schorsing from the
child's own parents). The check matches stems, not whole words, so "daders", "slachtofferhulp" and
"seksuele" are found too.

Pure: no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (stem pattern, what to write instead) — the advice is shown next to the warning.
STEMS: tuple[tuple[str, str], ...] = (
    (r"dader", "de leerling die het initiatief nam"),
    (r"slachtoffer", "de leerling die iets is overkomen"),
    (r"seksue(?:el|le)", "grensoverschrijdend, ongepast of intimiderend gedrag"),
    (r"geschorst", "alleen in brieven aan de ouders van de leerling zelf"),
    (r"schors(?:en|ing|t|te)", "alleen in brieven aan de ouders van de leerling zelf"),
)
_PATTERN = re.compile("|".join(f"(?P<s{i}>{stem})" for i, (stem, _advice) in enumerate(STEMS)), re.IGNORECASE)


@dataclass(frozen=True)
class WordingHit:
    word: str  # the whole word in which the stem was found
    stem: str
    advice: str
    position: int


def check_wording(text: str) -> list[WordingHit]:
    """Every place in TEXT where a stem occurs, with the word it is part of."""
    hits: list[WordingHit] = []
    for match in _PATTERN.finditer(text):
        index = next(i for i in range(len(STEMS)) if match.group(f"s{i}") is not None)
        start, end = match.start(), match.end()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        hits.append(
            WordingHit(
                word=text[start:end], stem=STEMS[index][0], advice=STEMS[index][1], position=match.start()
            )
        )
    return hits
