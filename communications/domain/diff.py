"""A board's template version against LEV's shipped text, block by block, word by word.

Pure: no database, no clock.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .kinds import LetterKind


@dataclass(frozen=True)
class Piece:
    text: str
    change: str  # "same", "added" or "removed"


@dataclass(frozen=True)
class BlockDiff:
    code: str
    title: str
    editable: bool
    changed: bool
    pieces: tuple[Piece, ...]


def _words(text: str) -> list[str]:
    """Words with the whitespace after them, so a changed phrase diffs as one piece."""
    return re.findall(r"^\s+|\S+\s*", text)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    a, b = _words(old), _words(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(a[i1:i2]), "removed"))
        if j2 > j1:
            pieces.append(Piece("".join(b[j1:j2]), "added"))
    return tuple(pieces)


def against_shipped(kind: LetterKind, texts: Mapping[str, str]) -> list[BlockDiff]:
    """Each block of KIND: LEV's current shipped text against the version's TEXTS."""
    out: list[BlockDiff] = []
    for block in kind.blocks:
        version_text = texts.get(block.code, block.text)
        out.append(
            BlockDiff(
                code=block.code,
                title=block.title,
                editable=block.editable,
                changed=version_text != block.text,
                pieces=word_diff(block.text, version_text),
            )
        )
    return out
