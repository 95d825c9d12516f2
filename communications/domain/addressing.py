"""Who receives a letter: one letter per postal address of the parents with gezag.

Source: ARCHITECTURE.md §8 and PRODUCT.md capability 4 — letters go to one postal address of the
parents with gezag per pupil; a parent with gezag at another address gets their own; a shielded
address never appears on anything another person sees; parents without gezag only by explicit
choice (with a reason, recorded by the caller; BW 1:377c gives them a right to information, not to
the letter). For letters to groups (incident letters) every address gets one letter, also when
several of its children are in the chosen groups.

Pure: no database, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Parent:
    guardian_id: int
    name: str
    street: str
    postcode: str
    city: str
    has_gezag: bool
    shielded: bool = False
    receives_mail: bool = True


@dataclass(frozen=True)
class Addressee:
    guardian_ids: tuple[int, ...]
    names: tuple[str, ...]
    street: str
    postcode: str
    city: str
    shielded: bool
    without_gezag: bool = False

    @property
    def has_address(self) -> bool:
        return bool(self.street.strip() and self.postcode.strip() and self.city.strip())

    @property
    def name_line(self) -> str:
        if len(self.names) == 1:
            return self.names[0]
        return ", ".join(self.names[:-1]) + " en " + self.names[-1]

    @property
    def lines(self) -> tuple[str, ...]:
        """The address block: names, street, postcode and city."""
        postcode = format_postcode(self.postcode)
        place = f"{postcode}  {self.city.strip().upper()}".strip() if postcode else self.city.strip().upper()
        return tuple(line for line in (self.name_line, self.street.strip(), place) if line)


def format_postcode(postcode: str) -> str:
    """Dutch postcodes as PostNL prints them: "2771 AB"."""
    compact = re.sub(r"\s+", "", postcode).upper()
    if re.fullmatch(r"\d{4}[A-Z]{2}", compact):
        return f"{compact[:4]} {compact[4:]}"
    return postcode.strip()


def address_key(parent: Parent) -> tuple[str, str, str]:
    street = re.sub(r"\s+", " ", parent.street).strip().lower()
    return (re.sub(r"\s+", "", parent.postcode).upper(), street, parent.city.strip().lower())


def addressees(
    parents: Iterable[Parent],
    *,
    include_without_gezag: Collection[int] = (),
    respect_mail_preference: bool = False,
) -> list[Addressee]:
    """One addressee per postal address of the parents who receive the letter.

    Parents with gezag always receive a legal letter; with RESPECT_MAIL_PREFERENCE (letters that
    are information, not a decision) a parent who asked not to receive mail is left out. A parent
    without gezag only when their id is in INCLUDE_WITHOUT_GEZAG, and then with a letter of their
    own. A shielded address is never combined with anyone else's, so it appears only on the letter
    to that parent. A parent without a (complete) address still gets an addressee, so the caller
    can report that the letter must be handed over or e-mailed.
    """
    seen: set[int] = set()
    grouped: dict[tuple[str, str, str], list[Parent]] = {}
    order: list[tuple[str, str, str]] = []
    separate: list[Addressee] = []
    for parent in parents:
        if parent.guardian_id in seen:
            continue
        seen.add(parent.guardian_id)
        if not parent.has_gezag:
            if parent.guardian_id in include_without_gezag:
                separate.append(_single(parent, without_gezag=True))
            continue
        if respect_mail_preference and not parent.receives_mail:
            continue
        if parent.shielded or not _complete(parent):
            separate.append(_single(parent))
            continue
        key = address_key(parent)
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append(parent)
    out = [_combined(grouped[key]) for key in order]
    return out + separate


def _complete(parent: Parent) -> bool:
    return bool(parent.street.strip() and parent.postcode.strip() and parent.city.strip())


def _single(parent: Parent, *, without_gezag: bool = False) -> Addressee:
    return Addressee(
        guardian_ids=(parent.guardian_id,),
        names=(parent.name,),
        street=parent.street,
        postcode=parent.postcode,
        city=parent.city,
        shielded=parent.shielded,
        without_gezag=without_gezag,
    )


def _combined(parents: list[Parent]) -> Addressee:
    first = parents[0]
    return Addressee(
        guardian_ids=tuple(p.guardian_id for p in parents),
        names=tuple(p.name for p in parents),
        street=first.street,
        postcode=first.postcode,
        city=first.city,
        shielded=False,
    )
