"""The Dutch catalogue is complete: every message has a Dutch text that gettext uses.

An untranslated message shows in English; a message marked fuzzy (a guess by the merge tools) is
left out of the compiled catalogue and shows in English too — and its guess is often wrong. Both
fail here, so a change cannot land with interface text that Dutch users would read in English.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _entries(*flags: str) -> list[str]:
    """The msgids of the entries msgattrib selects with FLAGS (the header left out)."""
    output = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(CATALOGUE)], check=True, capture_output=True, text=True
    ).stdout
    return [line for line in output.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_no_message_is_untranslated_or_fuzzy():
    assert _entries("--untranslated") == []
    assert _entries("--only-fuzzy") == []
