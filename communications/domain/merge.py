"""Editable letter blocks: plain text with `{{ merge_field }}` tokens and a little structure.

Source: ARCHITECTURE.md §8 — an editable block may contain only whitelisted `{{ merge_field }}`
tokens, which LEV substitutes and escapes itself; no template syntax is ever read from the
database. The text is not a Django template: it is escaped as a whole, then the tokens are
replaced by escaped values, so neither the block nor a value can add markup.

Structure an author can use (enough for a letter, nothing that can reach the renderer as HTML):
- a blank line starts a new paragraph; a single line break stays a line break;
- lines starting with "- " form a bulleted list;
- **words between double asterisks** are bold.

Pure: no database, no clock.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
# Anything that looks like template syntax but is not a well-formed token.
STRAY_RE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
MISSING_CLASS = "lev-missing"


@dataclass(frozen=True)
class BlockProblem:
    """Why a block cannot be saved, in the administrator's words (Dutch, letter content)."""

    message: str


def tokens_in(text: str) -> list[str]:
    """The merge fields a block refers to, in order of first use."""
    seen: dict[str, None] = {}
    for match in TOKEN_RE.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def check_block(text: str, allowed: Collection[str]) -> list[BlockProblem]:
    """Problems with an editable block: unknown merge fields and stray template syntax."""
    problems: list[BlockProblem] = []
    unknown = [name for name in tokens_in(text) if name not in allowed]
    for name in unknown:
        problems.append(BlockProblem(f"Onbekend samenvoegveld {{{{ {name} }}}}."))
    if STRAY_RE.search(TOKEN_RE.sub("", text)):
        problems.append(
            BlockProblem(
                "Alleen samenvoegvelden in de vorm {{ naam }} zijn toegestaan; "
                "andere accolades of sjabloontekens niet."
            )
        )
    return problems


def _inline(text: str, values: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """Escape TEXT, replace its tokens by escaped values, and apply bold."""
    out: list[str] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        out.append(html.escape(text[position : match.start()]))
        name = match.group(1)
        value = (values.get(name) or "").strip()
        if value:
            out.append(html.escape(value).replace("\n", "<br>"))
        else:
            label = labels.get(name, name)
            out.append(f'<span class="{MISSING_CLASS}">[{html.escape(label)}]</span>')
        position = match.end()
    out.append(html.escape(text[position:]))
    joined = "".join(out)
    return BOLD_RE.sub(r"<strong>\1</strong>", joined)


def render_block(text: str, values: Mapping[str, str], labels: Mapping[str, str] | None = None) -> str:
    """The block as HTML: paragraphs, lists and bold; every value escaped. A missing value shows
    as its label between brackets, marked so that a preview can highlight it."""
    labels = labels or {}
    parts: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:], values, labels)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line, values, labels) for line in lines) + "</p>")
    return "".join(parts)


def plain_text(text: str, values: Mapping[str, str]) -> str:
    """The block with its values filled in, as plain text (for the wording check)."""
    return TOKEN_RE.sub(lambda m: (values.get(m.group(1)) or "").strip(), text).replace("**", "")
