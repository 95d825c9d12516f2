"""Recording signals (logboek signalen, plan Bijlage 14) and keeping an unfinished signal as a draft
on the server.

`signal_record` writes, in one transaction: the `Signal`; one `DossierEntry` per pupil (kind
"signal", visibility school, observed or told with by whom, others present by initials only); one
audit row with ids only; the content-free notification of the school's IB and directors
(`notify_leads`, an outbox row); and it removes the author's draft.

A source who does not consent to being named is stored as `source_anonymous` with an empty
`told_by` on the signal; the chronology entry says "niet genoemd (geen toestemming)" as told by and
carries "gehoord van derde, bron anoniem" in its title (docs/decisions/0004-told-signal-wording.md).
Those words are written in the interface language when the entry is recorded, so the entry keeps
them even if the catalogue changes later.

Drafts (`SignalDraft`, one per user) hold what the user typed, pupils by id only, never in the
browser (classroom PCs are shared). A draft lives 24 hours after its last change:
`signal_drafts_purge` removes older ones, and the draft selector never returns them.

Who may record: a teacher, staff member, care coordinator, director or deputy director of the
school (`permissions.RECORDING_ROLES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lev.audit.services import record
from lev.dossier.models import Observation, Visibility
from lev.dossier.services import _check_initials, entry_record
from lev.monitoring.counts import count_signal
from lev.schools.models import Membership, Pupil, School
from lev.schools.selectors import current_pupils

from .models import Signal, SignalDraft, SignalRead, SignalSource, SignalTag
from .notifications import notify_leads
from .permissions import RECORDING_ROLES

DOSSIER_KIND = "signal"
DRAFT_LIFETIME = timedelta(hours=24)
SUMMARY_CHARS = 300
# The typed fields a draft keeps; pupils by id only.
DRAFT_TEXT_FIELDS = (
    "description",
    "source",
    "told_by",
    "happened_at",
    "location",
    "own_reaction",
    "agreements",
    "others_present",
)
DRAFT_FLAG_FIELDS = ("source_anonymous",)
DRAFT_TEXT_MAX = 5000


# Words stored in a chronology entry are translated into the interface language at the moment the
# entry is recorded (not in the reader's language, not later).


def anonymous_told_by() -> str:
    """What the chronology records as "told by" when the source does not want to be named."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("not named (no consent)")


def anonymous_marker() -> str:
    """The mark of an entry whose source is a third party who does not want to be named."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("heard from a third party, source anonymous")


def entry_title() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return pgettext("chronology entry", "Signal")


def may_record_at(actor: Any, school: School | int, day: Any) -> bool:
    school_id = school.pk if isinstance(school, School) else school
    return (
        Membership.objects.active_on(day)
        .filter(user=actor, school_id=school_id, role__in=RECORDING_ROLES)
        .exists()
    )


def _pupil_ids(pupils: Iterable[Pupil | int | str]) -> list[int]:
    ids: list[int] = []
    for pupil in pupils:
        value = pupil.pk if isinstance(pupil, Pupil) else pupil
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in ids:
            ids.append(number)
    return ids


def _clean(
    *,
    school: School,
    pupils: Iterable[Pupil | int],
    happened_at: datetime | None,
    location: str,
    description: str,
    source: str,
    told_by: str,
    source_anonymous: bool,
    own_reaction: str,
    agreements: str,
    others_present: str,
    tags: Iterable[str],
    now: datetime,
) -> dict[str, Any]:
    """Check every field; raise one ValidationError with a message per field."""
    errors: dict[str, str] = {}
    ids = _pupil_ids(pupils)
    found: list[Pupil] = []
    if not ids:
        errors["pupils"] = _("Choose the pupil or pupils this signal is about.")
    else:
        found = list(current_pupils(timezone.localdate(now), school=school).filter(pk__in=ids))
        if len(found) != len(ids):
            errors["pupils"] = _(
                "Choose only pupils who go to %(school)s now. A pupil of another school, or one who has "
                "left, cannot be chosen."
            ) % {"school": school.name}
    if happened_at is None:
        errors["happened_at"] = _("Enter when it happened (date and time).")
    elif timezone.is_naive(happened_at):
        raise ValueError("happened_at must be an aware datetime")
    elif happened_at > now:
        errors["happened_at"] = _(
            "A signal cannot lie in the future. Enter when it happened: now or earlier (%(now)s)."
        ) % {"now": timezone.localtime(now).strftime("%d-%m-%Y %H:%M")}
    location = location.strip()
    if not location:
        errors["location"] = _("Enter where it happened, for example: schoolplein, klaslokaal, gym.")
    elif len(location) > 200:
        errors["location"] = _("Keep the place short: at most 200 characters.")
    description = description.strip()
    if not description:
        errors["description"] = _("Write down what happened: the facts, what you saw or heard.")
    if source not in SignalSource.values:
        errors["source"] = _("Choose whether you saw it yourself or heard it from someone else.")
    told_by = told_by.strip()
    if source == SignalSource.TOLD:
        if source_anonymous and told_by:
            errors["told_by"] = _(
                "You ticked that the source does not want to be named. Leave the name empty, or untick the box."
            )
        elif not source_anonymous and not told_by:
            errors["told_by"] = _(
                "Say who told you (for example: a pupil of group 6, the mother of a classmate), or tick "
                "that the source does not want to be named."
            )
        elif len(told_by) > 200:
            errors["told_by"] = _("Keep who told you short: at most 200 characters.")
    else:
        told_by, source_anonymous = "", False
    try:
        others_present = _check_initials(others_present)
    except ValidationError as exc:
        errors["others_present"] = " ".join(exc.messages)
    else:
        if len(others_present) > 100:
            errors["others_present"] = _("At most 100 characters of initials.")
    tag_list = [str(tag) for tag in tags]
    if not set(tag_list) <= set(SignalTag.values):
        errors["tags"] = _("Choose only kinds of signals from the list.")
    if errors:
        raise ValidationError(errors)
    by_id = {pupil.pk: pupil for pupil in found}
    return {
        "pupils": [by_id[i] for i in ids],
        "happened_at": happened_at,
        "location": location,
        "description": description,
        "source": source,
        "told_by": told_by,
        "source_anonymous": bool(source_anonymous),
        "own_reaction": own_reaction.strip(),
        "agreements": agreements.strip(),
        "others_present": others_present,
        "tags": [tag for tag in SignalTag.values if tag in tag_list],
    }


def _entry_text(signal: Signal) -> tuple[str, str]:
    """Title and short factual summary of the chronology entry."""
    title = entry_title()
    if signal.source_anonymous:
        title = f"{title}: {anonymous_marker()}"
    description = Truncator(" ".join(signal.description.split())).chars(SUMMARY_CHARS)
    return title[:200], f"{signal.location}: {description}"


def signal_record(
    *,
    school: School,
    pupils: Sequence[Pupil | int],
    happened_at: datetime | None,
    location: str,
    description: str,
    source: str,
    told_by: str = "",
    source_anonymous: bool = False,
    own_reaction: str = "",
    agreements: str = "",
    others_present: str = "",
    tags: Iterable[str] = (),
    actor: Any,
    now: datetime,
) -> Signal:
    """Record one signal about PUPILS at SCHOOL (see the module docstring for what is written).

    Raises PermissionDenied when ACTOR holds no recording role at SCHOOL, and a ValidationError with
    a message per field for input the logboek refuses.
    """
    if not may_record_at(actor, school, timezone.localdate(now)):
        raise PermissionDenied
    fields = _clean(
        school=school,
        pupils=pupils,
        happened_at=happened_at,
        location=location,
        description=description,
        source=source,
        told_by=told_by,
        source_anonymous=source_anonymous,
        own_reaction=own_reaction,
        agreements=agreements,
        others_present=others_present,
        tags=tags,
        now=now,
    )
    chosen: list[Pupil] = fields.pop("pupils")
    with transaction.atomic():
        signal = Signal.objects.create(
            board_id=school.board_id, school=school, author=actor, created_at=now, **fields
        )
        signal.pupils.set(chosen)
        count_signal(signal)
        title, summary = _entry_text(signal)
        observation = Observation.TOLD if signal.source == SignalSource.TOLD else Observation.OBSERVED
        entry_told_by = ""
        if observation == Observation.TOLD:
            entry_told_by = anonymous_told_by() if signal.source_anonymous else signal.told_by
        entry_ids = []
        for pupil in chosen:
            try:
                entry = entry_record(
                    pupil=pupil,
                    kind=DOSSIER_KIND,
                    title=title,
                    summary=summary,
                    happened_at=signal.happened_at,
                    author=actor,
                    now=now,
                    observation=observation,
                    told_by=entry_told_by,
                    others_present=signal.others_present,
                    visibility=Visibility.SCHOOL,
                    source=signal,
                )
            except ValidationError as exc:  # the same checks as `_clean`; kept at the field
                raise ValidationError({"others_present": exc.messages}) from exc
            entry_ids.append(entry.pk)
        record(
            "signal_recorded",
            actor=actor,
            obj=signal,
            summary={
                "pupil_ids": [p.pk for p in chosen],
                "source": signal.source,
                "source_anonymous": signal.source_anonymous,
                "dossier_entry_ids": entry_ids,
            },
            now=now,
        )
        SignalDraft.objects.filter(user=actor).delete()
        notify_leads(record=signal, now=now)
    return signal


def signal_mark_read(*, signal: Signal, user: Any, now: datetime) -> bool:
    """Note that USER (a lead) has read SIGNAL. Returns True the first time."""
    _read, created = SignalRead.objects.get_or_create(signal=signal, user=user, defaults={"read_at": now})
    return created


# --- Drafts -----------------------------------------------------------------------------------


def signal_drafts_purge(*, now: datetime) -> int:
    """Delete every draft last changed 24 hours ago or longer. Returns the number deleted."""
    deleted, _per_model = SignalDraft.objects.filter(updated_at__lte=now - DRAFT_LIFETIME).delete()
    return deleted


def _draft_data(school: School, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The typed fields of DATA worth keeping: text cut to size, pupils as ids of SCHOOL's pupils."""
    kept: dict[str, Any] = {}
    for name in DRAFT_TEXT_FIELDS:
        value = str(data.get(name) or "").strip()
        if value:
            kept[name] = value[:DRAFT_TEXT_MAX]
    for name in DRAFT_FLAG_FIELDS:
        if data.get(name):
            kept[name] = True
    ids = _pupil_ids(data.get("pupils") or [])[:50]
    if ids:
        valid = set(
            current_pupils(timezone.localdate(now), school=school)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids = [i for i in ids if i in valid]
        if ids:
            kept["pupils"] = ids
    tags = [str(tag) for tag in data.get("tags") or [] if str(tag) in SignalTag.values]
    if tags:
        kept["tags"] = tags
    return kept


def signal_draft_keep(
    *, user: Any, school: School, data: Mapping[str, Any], now: datetime
) -> SignalDraft | None:
    """Keep what USER typed in the signal form at SCHOOL as their one draft.

    Only the form's fields are kept (pupils by id). When nothing is typed, the draft is removed
    (the default moment alone is not worth keeping). Expired drafts of everyone are purged too.
    """
    if not may_record_at(user, school, timezone.localdate(now)):
        raise PermissionDenied
    signal_drafts_purge(now=now)
    kept = _draft_data(school, data, now)
    if not (set(kept) - {"happened_at", "source"}):
        SignalDraft.objects.filter(user=user).delete()
        return None
    draft, _created = SignalDraft.objects.update_or_create(
        user=user, defaults={"school": school, "data": kept, "updated_at": now}
    )
    return draft


def signal_draft_discard(*, user: Any) -> None:
    SignalDraft.objects.filter(user=user).delete()
