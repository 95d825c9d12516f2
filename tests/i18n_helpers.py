"""Expected interface text, built the way the code builds it: through gettext/ngettext in Dutch.

Tests compare rendered pages against these, so they pass whether or not the Dutch catalogue is
compiled (without it, gettext returns the English msgid, just as the code does).
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext, ngettext, override

LANGUAGE = "nl"


def t(msgid: str, **params: Any) -> str:
    """`gettext(msgid) % params` in the interface language."""
    with override(LANGUAGE):
        text = gettext(msgid)
    return text % params if params else text


def tn(singular: str, plural: str, number: int, **params: Any) -> str:
    """`ngettext(singular, plural, number) % params` in the interface language."""
    with override(LANGUAGE):
        text = ngettext(singular, plural, number)
    return text % params if params else text


def h(text: str) -> str:
    """`text` as an auto-escaping template renders it."""
    return str(escape(text))
