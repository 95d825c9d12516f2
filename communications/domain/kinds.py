"""Letter kinds as data: merge fields, blocks (fixed legal text or editable), required elements.

Sources: LEGAL.md §8 (the elements each letter must contain and the corrections to the plan's
models), §3 R2a, R5, R8, R12, R16–R19; the policy plan's Bijlage 5 (schorsing/verwijdering), 23–25
(incident letters) and §17.3 (words). Fixed blocks are LEV's text and cannot be edited by a board;
editable blocks are a board's own wording and may contain only the kind's merge fields. The texts
themselves live in `texts.py`.

A required element is met when each of its merge fields is used in a block of the letter and has
a value, and each of its blocks is part of the letter (ARCHITECTURE.md §8: a letter missing one
cannot be approved).

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .merge import BlockProblem, check_block, tokens_in


class Denominatie(StrEnum):
    BIJZONDER = "bijzonder"
    OPENBAAR = "openbaar"


class Audience(StrEnum):
    PUPIL_PARENTS = "pupil_parents"  # the parents with gezag of one pupil, one letter per address
    GROUP_PARENTS = "group_parents"  # every address of parents with gezag in the chosen groups


class Source(StrEnum):
    """Who supplies a merge field's value."""

    LEV = "lev"  # filled in by LEV from the school, the pupil, the author or the date
    LETTER = "letter"  # typed by the author (or supplied by the process that starts the letter)


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    sample: str
    source: Source = Source.LETTER
    multiline: bool = False
    help: str = ""


@dataclass(frozen=True)
class Block:
    code: str
    title: str
    text: str
    editable: bool
    only_for: Denominatie | None = None
    optional: bool = False  # switched on per letter (e.g. the R2a sentence)
    source: str = ""  # the article or guidance a fixed block rests on


@dataclass(frozen=True)
class Requirement:
    code: str
    text: str
    fields: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    only_for: Denominatie | None = None


@dataclass(frozen=True)
class LetterKind:
    code: str
    title: str
    version: str  # the version of LEV's shipped text; a board's template records which one it used
    legal: bool  # legal letters need a named reviewer's approval of each template version
    audience: Audience
    subject: str  # "Betreft:" line, may contain merge fields
    fields: tuple[Field, ...]
    blocks: tuple[Block, ...]
    requirements: tuple[Requirement, ...]
    signed_by_board: bool = False
    # Schorsing, verwijdering and AVG letters never go as an e-mail attachment (ARCHITECTURE.md §8).
    attachment_allowed: bool = False
    # Incident letters to other parents: a wording hit needs an explicit override with a reason.
    wording_override_required: bool = False
    forbidden_phrases: tuple[str, ...] = ()  # phrases that must never appear (e.g. "8 weken")
    sources: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def field_codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.fields)

    def field(self, code: str) -> Field:
        for f in self.fields:
            if f.code == code:
                return f
        raise KeyError(code)

    @property
    def labels(self) -> dict[str, str]:
        return {f.code: f.label for f in self.fields}

    @property
    def editable_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.editable)

    @property
    def optional_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.optional)

    def editable_defaults(self) -> dict[str, str]:
        return {b.code: b.text for b in self.editable_blocks}

    def snapshot(self, editable_texts: Mapping[str, str] | None = None) -> dict[str, str]:
        """Every block's text: LEV's fixed text, and EDITABLE_TEXTS (or LEV's) for the rest."""
        texts = editable_texts or {}
        return {b.code: (texts.get(b.code, b.text) if b.editable else b.text) for b in self.blocks}

    def samples(self) -> dict[str, str]:
        return {f.code: f.sample for f in self.fields}

    def blocks_for(
        self,
        denominatie: Denominatie | str,
        texts: Mapping[str, str] | None = None,
        enabled: Collection[str] = (),
    ) -> list[Block]:
        """The blocks of a letter at a school of DENOMINATIE, in order. TEXTS replaces a block's
        shipped text: a board's wording for editable blocks, or a template version's snapshot of
        every block (so a reviewed version renders exactly as it was reviewed, also after LEV
        ships new text). Optional blocks only when ENABLED names them."""
        out: list[Block] = []
        for block in self.blocks:
            if block.only_for is not None and block.only_for != denominatie:
                continue
            if block.optional and block.code not in enabled:
                continue
            if texts is not None and block.code in texts:
                block = Block(
                    code=block.code,
                    title=block.title,
                    text=texts[block.code],
                    editable=block.editable,
                    only_for=block.only_for,
                    optional=block.optional,
                    source=block.source,
                )
            out.append(block)
        return out

    def requirements_for(self, denominatie: Denominatie | str) -> list[Requirement]:
        return [r for r in self.requirements if r.only_for is None or r.only_for == denominatie]


def missing_requirements(
    kind: LetterKind,
    denominatie: Denominatie | str,
    texts: Mapping[str, str],
    values: Mapping[str, str],
    enabled: Collection[str] = (),
) -> list[Requirement]:
    """The required elements a letter lacks: a merge field not used in its blocks or without a
    value, or a block that is not part of it."""
    blocks = kind.blocks_for(denominatie, texts, enabled)
    used: set[str] = set(tokens_in(kind.subject))
    for block in blocks:
        used.update(tokens_in(block.text))
    present = {b.code for b in blocks}
    missing: list[Requirement] = []
    for requirement in kind.requirements_for(denominatie):
        fields_ok = all(code in used and (values.get(code) or "").strip() for code in requirement.fields)
        blocks_ok = all(code in present for code in requirement.blocks)
        if not (fields_ok and blocks_ok):
            missing.append(requirement)
    return missing


def template_problems(kind: LetterKind, texts: Mapping[str, str]) -> dict[str, list[BlockProblem]]:
    """Why a board's editable texts cannot be saved: per block, unknown merge fields or template
    syntax; under "" the required elements that no block refers to any more (for either
    denominatie)."""
    problems: dict[str, list[BlockProblem]] = {}
    allowed = kind.field_codes
    for block in kind.editable_blocks:
        text = texts.get(block.code, "")
        found = check_block(text, allowed)
        if found:
            problems[block.code] = found
    lost: list[BlockProblem] = []
    for denominatie in Denominatie:
        everything = dict.fromkeys(kind.field_codes, "x")
        for requirement in missing_requirements(kind, denominatie, texts, everything):
            problem = BlockProblem(f"Het verplichte onderdeel ‘{requirement.text}’ ontbreekt in de tekst.")
            if problem not in lost:
                lost.append(problem)
    if lost:
        problems[""] = lost
    return problems


def forbidden_found(kind: LetterKind, text: str) -> list[str]:
    """Phrases the kind must never contain (e.g. the abolished "8 weken" in verwijdering letters)."""
    lowered = text.lower()
    return [phrase for phrase in kind.forbidden_phrases if phrase.lower() in lowered]
