"""The pupil page's chronology, ready for the template: one item per entry, with its label, how it was
known, its corrections, the parents' views beside it, the link to its source record, what the viewer
may do with it, and a short factual summary to copy into the pupil administration.

Everything is read through `lev.dossier.selectors`; building the items of a page costs a fixed number
of queries (the page of entries with their corrections, the parents' views beside them, one query per
kind of source record to link), however many entries the page holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lev.schools.access import AccessContext
from lev.schools.permissions import PupilAccess

from .kinds import PARENT_VIEW, is_anonymous_source, kind_label
from .links import Link, source_links
from .models import DossierEntry, Observation
from .permissions import may_add_parent_view, may_answer, may_correct
from .selectors import parent_views_beside


def initials(name: str) -> str:
    """ "Piet de Vries" -> "P.d.V."; what the copied summary says about who recorded an entry."""
    return "".join(f"{part[0]}." for part in name.split() if part)


def source_phrase(entry: DossierEntry) -> str:
    """How the facts were known: seen, heard from whom (or from an anonymous source)."""
    if entry.observation == Observation.OBSERVED:
        return _("Seen myself")
    if entry.observation == Observation.TOLD:
        if is_anonymous_source(entry.told_by):
            return _("Heard from a third party, source anonymous")
        return _("Heard from: %(source)s") % {"source": entry.told_by}
    return ""


def copy_text(entry: DossierEntry) -> str:
    """A short factual summary to paste into the pupil administration (plan ch. 15: date, what was
    seen or heard and from whom, others present by initials only). No names beyond initials.

    "24-11-2026 – Signaal (zelf gezien door T.A.)", then the title when it says more than the kind,
    the text, others present, and for a correction the entry it corrects and why.
    """
    label = kind_label(entry.kind)
    day = timezone.localtime(entry.happened_at).strftime("%d-%m-%Y")
    who = initials(entry.author.display_name)
    if entry.observation == Observation.OBSERVED:
        how = _("seen by %(initials)s") % {"initials": who}
    elif entry.observation == Observation.TOLD and is_anonymous_source(entry.told_by):
        how = _("heard from a third party, source anonymous, recorded by %(initials)s") % {"initials": who}
    elif entry.observation == Observation.TOLD:
        how = _("heard from %(source)s, recorded by %(initials)s") % {
            "source": entry.told_by,
            "initials": who,
        }
    else:
        how = _("recorded by %(initials)s") % {"initials": who}
    lines = [f"{day} – {label} ({how})"]
    if entry.title.strip().casefold() != label.casefold():
        lines.append(entry.title.strip())
    if entry.summary.strip():
        lines.append(entry.summary.strip())
    if entry.others_present:
        lines.append(_("Also present: %(initials)s") % {"initials": entry.others_present})
    if entry.corrects is not None:
        lines.append(
            _("Correction of the entry of %(day)s. Reason: %(reason)s")
            % {
                "day": timezone.localtime(entry.corrects.happened_at).strftime("%d-%m-%Y"),
                "reason": entry.correction_reason,
            }
        )
    return "\n".join(lines)


@dataclass
class ChronologyItem:
    entry: DossierEntry
    label: str
    source: str
    corrections: list[DossierEntry]
    parent_views: list[DossierEntry] = field(default_factory=list)
    link: Link | None = None
    copy: str = ""
    correct_url: str = ""
    parent_view_url: str = ""

    @property
    def superseded(self) -> bool:
        """Corrected by a later entry: the text stays, marked as corrected."""
        return bool(self.corrections)


def build_items(
    ctx: AccessContext, access: PupilAccess, entries: Sequence[DossierEntry]
) -> list[ChronologyItem]:
    pupil = access.pupil
    links = source_links(ctx, pupil, entries)
    views = parent_views_beside(ctx, pupil, [e.pk for e in entries if e.kind != PARENT_VIEW])
    add_view = may_add_parent_view(access)
    items = []
    for entry in entries:
        corrections = list(entry.corrections.all())
        item = ChronologyItem(
            entry=entry,
            label=kind_label(entry.kind),
            source=source_phrase(entry),
            corrections=corrections,
            parent_views=views.get(entry.pk, []),
            link=links.get(entry.pk),
        )
        if not item.superseded:
            item.copy = copy_text(entry)
            if may_correct(ctx, access, entry):
                item.correct_url = reverse("schools:entry_correct", args=[pupil.pk, entry.pk])
        if add_view and entry.kind != PARENT_VIEW and not item.superseded and may_answer(entry):
            item.parent_view_url = (
                reverse("schools:parent_view_new", args=[pupil.pk]) + "?" + urlencode({"bij": entry.pk})
            )
        items.append(item)
    return items


# --- The actions row of the pupil page ------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: str
    url: str


def _url(name: str, args: list[int], query: dict[str, int] | None = None) -> str | None:
    """The address, or None when the page does not exist (yet)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return url + ("?" + urlencode(query) if query else "")


def action_url(label: str, name: str, args: list[int], query: dict[str, int] | None = None) -> Action | None:
    """An action to the page NAME, or None when that page does not exist (yet)."""
    url = _url(name, args, query)
    return Action(label=label, url=url) if url is not None else None


# (viewer, pupil access) -> the action, or None when this viewer may not use it.
ActionSource = Callable[[AccessContext, PupilAccess], "Action | None"]
_ACTIONS: dict[str, tuple[int, ActionSource]] = {}


def register_pupil_action(order: int, source: ActionSource) -> None:
    """Offer an action on the pupil page. The process apps register theirs from `AppConfig.ready`
    (the platform never imports them); ORDER places it in the row (lower first)."""
    _ACTIONS[f"{source.__module__}.{source.__qualname__}"] = (order, source)


def _parent_view_action(ctx: AccessContext, access: PupilAccess) -> Action | None:
    if not may_add_parent_view(access):
        return None
    return action_url(pgettext("pupil action", "Parents' view"), "schools:parent_view_new", [access.pupil.pk])


register_pupil_action(50, _parent_view_action)


def pupil_actions(ctx: AccessContext, access: PupilAccess) -> list[Action]:
    """The actions of UX.md ("Signaal", "Incident", "Stap in stappenplan", "Brief", "Zienswijze
    ouders") the viewer may use, each only when its page exists."""
    found = []
    for _order, source in sorted(_ACTIONS.values(), key=lambda item: item[0]):
        action = source(ctx, access)
        if action is not None:
            found.append(action)
    return found
