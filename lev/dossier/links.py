"""Links from a chronology entry to the record it came from, for viewers who may open that record.

A small registry keyed by `DossierEntry.source_type` (the source model's `app_label.modelname`).
Each source registers two things: which of a page's source ids the viewer may open (one query per
source type per page, never one per entry) and how to build the address. An app adds its own with
`register_source_link(...)` from its `AppConfig.ready()` (the platform never imports the process
apps). An address that does not resolve (an app whose pages are not there yet) gives no link rather
than an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from lev.schools.access import AccessContext
from lev.schools.models import Pupil

from .models import DossierEntry

# (viewer, pupil, source ids on the page) -> {source id: address} for the records the viewer may open.
Resolve = Callable[[AccessContext, Pupil, list[int]], dict[int, str]]


@dataclass(frozen=True)
class SourceLink:
    label: Promise | str
    resolve: Resolve


REGISTRY: dict[str, SourceLink] = {}


def register_source_link(source_type: str, *, label: Promise | str, resolve: Resolve) -> None:
    """Link entries whose `source_type` is SOURCE_TYPE to their record. RESOLVE is called once per
    page with all of the page's source ids of that type; it returns the addresses of those the viewer
    may open (leaving out the others) and may raise NoReverseMatch when the pages do not exist."""
    REGISTRY[source_type] = SourceLink(label=label, resolve=resolve)


@dataclass(frozen=True)
class Link:
    url: str
    label: str


def source_links(ctx: AccessContext, pupil: Pupil, entries: Iterable[DossierEntry]) -> dict[int, Link]:
    """entry id -> the link to its source record, for the entries whose source the viewer may open."""
    wanted: dict[str, dict[int, list[int]]] = {}
    for entry in entries:
        if entry.source_type in REGISTRY and entry.source_id.isdigit():
            wanted.setdefault(entry.source_type, {}).setdefault(int(entry.source_id), []).append(entry.pk)
    links: dict[int, Link] = {}
    for source_type, by_source in wanted.items():
        spec = REGISTRY[source_type]
        try:
            urls = spec.resolve(ctx, pupil, sorted(by_source))
        except NoReverseMatch:
            continue
        for source_id, url in urls.items():
            for entry_id in by_source.get(source_id, []):
                links[entry_id] = Link(url=url, label=str(spec.label))
    return links


def by_url_name(
    url_name: str, visible: Callable[[AccessContext, Pupil, list[int]], Iterable[int]]
) -> Resolve:
    """A resolver for records whose page takes the record's id as its only argument."""

    def resolve(ctx: AccessContext, pupil: Pupil, ids: list[int]) -> dict[int, str]:
        return {pk: reverse(url_name, args=[pk]) for pk in visible(ctx, pupil, ids)}

    return resolve
