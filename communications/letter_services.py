"""Letters: create and edit a draft, submit, approve (four eyes), render, dispatch, withdraw.

Rules (ARCHITECTURE.md §8, LEGAL.md §8, R2a; issue "Letters and communication"):
- author ≠ approver; approvers are the school's director or deputy director or a board member;
  letters the board decides (verwijdering, decisions on bezwaar, and a schorsing when the board —
  not the director by mandate — decides it) only by the board;
- a letter missing a required element, containing a forbidden phrase, or using a legal template
  version that no named reviewer approved cannot be approved; in incident letters to other
  parents a flagged word needs an explicit override with a reason, and no pupil may be named;
- the R2a sentence ("a pupil does not come to school from … to …") only when a decided schorsing
  of that pupil covers those days (`covering_suspension`, provided by the escalation process);
- after approval each copy's PDF is rendered once in the limited renderer, stored with its
  SHA-256 and never regenerated; dispatch is recorded per copy; when every addressee's copy is
  dispatched the letter is sent and, for a letter about one pupil, becomes a dossier entry.
Each write owns its transaction and leaves an audit row with ids and codes only.
"""

from __future__ import annotations

import hashlib
import io
import queue
import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lev.audit.services import record
from lev.dossier.services import entry_record
from lev.jobs.services import outbox_enqueue
from lev.schools.models import DecisionMaker, Pupil, PupilGuardian, Role, School
from lev.schools.permissions import is_board_member, roles_on

from .domain.addressing import Addressee, Parent, addressees
from .domain.kinds import LetterKind, Source, forbidden_found, missing_requirements
from .domain.merge import plain_text
from .domain.texts import letter_kind
from .domain.wording import check_wording
from .letter_models import DispatchMethod, Letter, LetterCopy, LetterStatus
from .models import LetterTemplate
from .rendering import Letterhead, letter_content, letter_html, logo_data_uri, render_limited_stream

RENDER_JOB = "letters.render"
EMAIL_JOB = "letters.email"
AUTHOR_ROLES = frozenset({Role.CARE_COORDINATOR, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
SCHOOL_APPROVER_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})
BOARD_KINDS = frozenset({"besluit_bezwaar"})
# Letters of a decision the board takes unless the school's mandate setting gives it to the director.
MANDATE_KINDS = {
    "schorsing_besluit": "suspension_decided_by",
    "verwijdering_uitnodiging": "expulsion_decided_by",
    "verwijdering_besluit": "expulsion_decided_by",
}
STAYS_HOME_BLOCK = "thuis_gehouden"
EDITABLE_STATUSES = (LetterStatus.DRAFT, LetterStatus.SUBMITTED)

# The escalation process registers the check whether a decided schorsing of PUPIL covers the days
# FIRST..LAST (LEGAL.md R2a). Until it does, the R2a sentence can never be approved.
CoveringSuspension = Callable[[Pupil, date, date], bool]
_covering_suspension: CoveringSuspension | None = None


def register_covering_suspension(check: CoveringSuspension | None) -> None:
    global _covering_suspension
    _covering_suspension = check


def covering_suspension(pupil: Pupil, first: date, last: date) -> bool:
    return _covering_suspension is not None and bool(_covering_suspension(pupil, first, last))


# --- Who may do what --------------------------------------------------------------------------


def _board_member(user: Any, school: School, day: date) -> bool:
    return is_board_member(user, school.board_id, day)


# A process may know that the board took a decision the school's setting gives to the director (a
# schorsing soon after the previous one needs the board even under mandate, LEGAL.md R3). It
# registers the letters about such decisions as a condition on Letter; the board approves them.
BoardDecided = Callable[[], Q]
_board_decided: dict[str, BoardDecided] = {}


def register_board_decided(name: str, letters: BoardDecided) -> None:
    _board_decided[name] = letters


def board_decided_q() -> Q:
    """The letters about a decision the board takes: by kind, by the school's mandate setting, or
    because the process says the board decided this one."""
    condition = Q(kind__in=BOARD_KINDS)
    for kind, setting in MANDATE_KINDS.items():
        condition |= Q(kind=kind, **{f"school__{setting}": DecisionMaker.BOARD})
    for letters in _board_decided.values():
        condition |= letters()
    return condition


def is_board_letter(letter: Letter) -> bool:
    if letter.kind in BOARD_KINDS:
        return True
    return Letter.objects.filter(board_decided_q(), pk=letter.pk).exists()


def may_author(user: Any, school: School, day: date) -> bool:
    return bool(roles_on(user, school, day) & AUTHOR_ROLES) or _board_member(user, school, day)


def may_approve(user: Any, letter: Letter, day: date) -> bool:
    if _board_member(user, letter.school, day):
        return True
    if is_board_letter(letter):
        return False
    return bool(roles_on(user, letter.school, day) & SCHOOL_APPROVER_ROLES)


# --- Values LEV fills in ------------------------------------------------------------------------


def dutch_date(day: date, *, weekday: bool = False) -> str:
    """A date as a Dutch letter writes it: "7 december 2026" (with WEEKDAY: "maandag 7 december
    2026"), whatever the reader's language."""
    with translation.override("nl"):
        return formats.date_format(day, "l j F Y" if weekday else "j F Y")


def stays_home_values(pupil_id: int, first: date, last: date) -> dict[str, str]:
    """The merge values of the R2a sentence: the days as printed, and the pupil and the days as
    data for the check that a decided schorsing covers them (the pupil is never printed)."""
    return {
        "thuis_leerling_id": str(pupil_id),
        "thuis_eerste_dag_iso": first.isoformat(),
        "thuis_laatste_dag_iso": last.isoformat(),
        "thuis_eerste_dag": dutch_date(first, weekday=True),
        "thuis_laatste_dag": dutch_date(last, weekday=True),
    }


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _role_word(user: Any, school: School, day: date) -> str:
    roles = roles_on(user, school, day) if user is not None else frozenset()
    for role, word in (
        (Role.DIRECTOR, "directeur"),
        (Role.DEPUTY_DIRECTOR, "adjunct-directeur"),
        (Role.CARE_COORDINATOR, "intern begeleider"),
    ):
        if role in roles:
            return word
    if user is not None and _board_member(user, school, day):
        return "bestuurder"
    return ""


def lev_values(letter: Letter, *, day: date, signatory: Any | None) -> dict[str, str]:
    """The merge fields LEV fills in: school, board, place and date, reference, pupil, the contact
    person (the author) and the signatory (the approver, once there is one)."""
    school = letter.school
    values = {
        "school_naam": school.name,
        "bestuur_naam": school.board.name,
        "plaats": school.city,
        "datum": dutch_date(day),
        "kenmerk": letter.reference if letter.pk else "",
        "contactpersoon": ", ".join(
            p for p in (_person(letter.author), _role_word(letter.author, school, day)) if p
        ),
        "contactpersoon_telefoon": school.phone or school.email,
        "ondertekenaar": _person(signatory),
        "ondertekenaar_functie": _role_word(signatory, school, day) if signatory is not None else "",
    }
    if letter.pupil is not None:
        pupil = letter.pupil
        values["leerling_naam"] = pupil.full_name if hasattr(pupil, "full_name") else str(pupil)
        group = _current_group(pupil, day)
        values["leerling_groep"] = f"groep {group}" if group else ""
    return values


def _current_group(pupil: Pupil, day: date) -> str:
    from lev.schools.models import GroupPlacement

    placement = (
        GroupPlacement.objects.filter(
            pupil=pupil, group__school_year__starts_on__lte=day, group__school_year__ends_on__gte=day
        )
        .select_related("group")
        .first()
    )
    return placement.group.name if placement is not None else ""


def all_values(letter: Letter, *, day: date, signatory: Any | None) -> dict[str, str]:
    kind = letter_kind(letter.kind)
    typed = {f.code: str(letter.values.get(f.code, "")) for f in kind.fields if f.source == Source.LETTER}
    return typed | lev_values(letter, day=day, signatory=signatory)


def block_texts(letter: Letter) -> dict[str, str]:
    kind = letter_kind(letter.kind)
    return dict(letter.template.blocks) if letter.template is not None else kind.snapshot()


def letter_plain_text(letter: Letter, values: Mapping[str, str]) -> str:
    kind = letter_kind(letter.kind)
    texts = block_texts(letter)
    parts = [plain_text(kind.subject, values)]
    parts += [
        plain_text(b.text, values) for b in kind.blocks_for(letter.denominatie, texts, letter.enabled_blocks)
    ]
    return "\n".join(parts)


# --- Checks --------------------------------------------------------------------------------------


def letter_is_concept(letter: Letter) -> bool:
    """A legal letter whose template version no named reviewer approved (or LEV's own text): it
    carries the concept mark and cannot be approved (LEGAL.md §8)."""
    return letter_kind(letter.kind).legal and (
        letter.template is None or not hasattr(letter.template, "review")
    )


@dataclass(frozen=True)
class Check:
    """The state of a letter against the rules: what blocks approval, and the wording warnings."""

    missing: tuple[str, ...]
    problems: tuple[str, ...]
    wording: tuple[str, ...]  # "word — advice"

    @property
    def approvable(self) -> bool:
        return not self.missing and not self.problems


def _pupil_names(letter: Letter) -> list[str]:
    from lev.schools.models import GroupPlacement

    pupils = Pupil.objects.filter(
        pk__in=GroupPlacement.objects.filter(group_id__in=letter.group_ids).values("pupil_id")
    )
    names: list[str] = []
    for pupil in pupils:
        full = getattr(pupil, "full_name", "")
        if full:
            names.append(full)
    return names


def letter_check(letter: Letter, *, day: date) -> Check:
    kind = letter_kind(letter.kind)
    values = all_values(letter, day=day, signatory=letter.approved_by)
    if letter.approved_by is None:
        values["ondertekenaar"] = values["ondertekenaar"] or "—"
        values["ondertekenaar_functie"] = values["ondertekenaar_functie"] or "—"
    texts = block_texts(letter)
    missing = tuple(
        r.text for r in missing_requirements(kind, letter.denominatie, texts, values, letter.enabled_blocks)
    )
    text = letter_plain_text(letter, values)
    problems: list[str] = []
    for phrase in forbidden_found(kind, text):
        problems.append(
            _("The letter contains “%(phrase)s”, which this letter may not contain.") % {"phrase": phrase}
        )
    if letter_is_concept(letter):
        problems.append(
            _(
                "The letter text is a concept: a named reviewer has not yet approved this template version "
                "(Letter templates)."
            )
        )
    hits = check_wording(text)
    wording = tuple(dict.fromkeys(f"{hit.word} — {hit.advice}" for hit in hits))
    if hits and kind.wording_override_required and not letter.wording_override_reason.strip():
        problems.append(
            _("This letter goes to other parents: explain why the flagged words must stay, or change them.")
        )
    if STAYS_HOME_BLOCK in letter.enabled_blocks:
        first, last = letter.values.get("thuis_eerste_dag_iso"), letter.values.get("thuis_laatste_dag_iso")
        pupil_id = letter.values.get("thuis_leerling_id")
        pupil = Pupil.objects.filter(pk=pupil_id, school=letter.school).first() if pupil_id else None
        covered = (
            pupil is not None
            and first
            and last
            and covering_suspension(pupil, date.fromisoformat(first), date.fromisoformat(last))
        )
        if not covered:
            problems.append(
                _(
                    "The sentence that a pupil stays at home may only be used when a decided suspension of "
                    "that pupil covers those days (LEGAL.md R2a). No such suspension is recorded."
                )
            )
    if kind.audience == "group_parents":
        lowered = text.lower()
        named = [name for name in _pupil_names(letter) if name.lower() in lowered]
        if named:
            problems.append(_("The letter names a pupil. Letters to groups name no one."))
    if letter.pupil is None and kind.audience == "pupil_parents":
        problems.append(_("Choose the pupil this letter is about."))
    if kind.audience == "group_parents" and not letter.group_ids:
        problems.append(_("Choose the groups whose parents receive this letter."))
    return Check(missing=missing, problems=tuple(problems), wording=wording)


# --- Draft ---------------------------------------------------------------------------------------


def _current_template(school: School, kind: LetterKind) -> LetterTemplate | None:
    return (
        LetterTemplate.objects.filter(board_id=school.board_id, kind=kind.code).order_by("-version").first()
    )


def _clean_values(kind: LetterKind, values: Mapping[str, Any]) -> dict[str, str]:
    allowed = {f.code for f in kind.fields if f.source == Source.LETTER}
    extra = {"thuis_eerste_dag_iso", "thuis_laatste_dag_iso", "thuis_leerling_id"}
    return {k: str(v).strip() for k, v in values.items() if (k in allowed or k in extra) and v is not None}


def letter_create(
    *,
    kind_code: str,
    school: School,
    actor: Any,
    now: datetime,
    pupil: Pupil | None = None,
    group_ids: Sequence[int] = (),
    values: Mapping[str, Any] | None = None,
    source: Any | None = None,
) -> Letter:
    kind = letter_kind(kind_code)
    day = timezone.localdate(now)
    if not may_author(actor, school, day):
        raise PermissionError("This user may not write letters for this school.")
    if pupil is not None and pupil.school_id != school.pk:
        raise ValidationError({"pupil": [_("This pupil is not at this school.")]})
    if kind.audience == "pupil_parents" and pupil is None:
        raise ValidationError({"pupil": [_("Choose the pupil this letter is about.")]})
    from lev.schools.models import SchoolGroup

    if group_ids and SchoolGroup.objects.filter(pk__in=group_ids, school=school).count() != len(
        set(group_ids)
    ):
        raise ValidationError({"groups": [_("Choose the groups whose parents receive this letter.")]})
    with transaction.atomic():
        letter = Letter.objects.create(
            board_id=school.board_id,
            school=school,
            kind=kind.code,
            denominatie=school.denominatie,
            pupil=pupil,
            group_ids=sorted({int(g) for g in group_ids}),
            template=_current_template(school, kind),
            values=_clean_values(kind, values or {}),
            copies_to=_default_copies(kind, school),
            author=actor,
            created_at=now,
            updated_at=now,
            source_type=source._meta.label_lower if source is not None else "",
            source_id=str(source.pk) if source is not None else "",
        )
        record(
            "letter_created",
            actor=actor,
            board=school.board,
            obj=letter,
            summary={"kind": kind.code, "school": school.pk, "pupil": getattr(pupil, "pk", None)},
            now=now,
        )
    return letter


def _default_copies(kind: LetterKind, school: School) -> list[str]:
    """The copies *in afschrift aan* a new letter starts with: the board for the decisions about a
    schorsing or verwijdering, and the copies the school's settings ask for where the law does not
    (LEGAL.md R7, R15). The author can change them before the letter is approved."""
    copies: list[str] = []
    if kind.code in BOARD_KINDS or kind.code in MANDATE_KINDS:
        copies.append(f"het bestuur van {school.board.name}")
    if kind.code == "schorsing_besluit" and school.copy_suspension_to_attendance_officer:
        office = f" ({school.attendance_office})" if school.attendance_office else ""
        copies.append(f"de leerplichtambtenaar{office}")
    if kind.code == "verwijdering_besluit" and school.copy_expulsion_to_inspectorate:
        copies.append("de Inspectie van het Onderwijs")
    return copies


def _locked(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("school__board", "pupil", "template")
        .get(pk=letter.pk)
    )


def letter_update(
    *,
    letter: Letter,
    values: Mapping[str, Any],
    actor: Any,
    now: datetime,
    enabled_blocks: Collection[str] = (),
    copies_to: Sequence[str] = (),
    wording_override_reason: str = "",
    include_without_gezag: Collection[int] = (),
    without_gezag_reason: str = "",
) -> Letter:
    """Change a draft (or a submitted letter, which then goes back to draft)."""
    kind = letter_kind(letter.kind)
    optional = {b.code for b in kind.optional_blocks}
    if include_without_gezag and not without_gezag_reason.strip():
        raise ValidationError(
            {"without_gezag_reason": [_("Say why parents without parental authority receive this letter.")]}
        )
    with transaction.atomic():
        row = _locked(letter)
        if row.status not in EDITABLE_STATUSES:
            raise ValidationError(_("Only a draft can be changed."))
        if not may_author(actor, row.school, timezone.localdate(now)):
            raise PermissionError("This user may not write letters for this school.")
        previous = row.status
        row.values = _clean_values(kind, values)
        row.enabled_blocks = sorted(set(enabled_blocks) & optional)
        row.copies_to = [c.strip() for c in copies_to if c.strip()]
        row.wording_override_reason = wording_override_reason.strip()
        row.include_without_gezag = sorted({int(g) for g in include_without_gezag})
        row.without_gezag_reason = without_gezag_reason.strip()
        row.status = LetterStatus.DRAFT
        row.submitted_at = None
        row.template = _current_template(row.school, kind)
        row.updated_at = now
        row.save()
        record(
            "letter_updated",
            actor=actor,
            obj=row,
            summary={"previous_status": previous, "fields": sorted(row.values)},
            now=now,
        )
    return row


def letter_submit(*, letter: Letter, actor: Any, now: datetime) -> Letter:
    """Ask a second person to approve. Refused while required elements are missing."""
    with transaction.atomic():
        row = _locked(letter)
        if row.status != LetterStatus.DRAFT:
            raise ValidationError(_("Only a draft can be submitted for approval."))
        check = letter_check(row, day=timezone.localdate(now))
        if check.missing:
            raise ValidationError(
                [_("Required element missing: %(element)s.") % {"element": m} for m in check.missing]
            )
        row.status = LetterStatus.SUBMITTED
        row.submitted_at = now
        row.updated_at = now
        row.save(update_fields=["status", "submitted_at", "updated_at"])
        record("letter_submitted", actor=actor, obj=row, summary={"kind": row.kind}, now=now)
    return row


def letter_approve(*, letter: Letter, actor: Any, now: datetime) -> Letter:
    """The second person approves: author ≠ approver, the right role, every check passed. The
    copies are made (one per address) and their PDFs rendered by the job runner."""
    day = timezone.localdate(now)
    with transaction.atomic():
        row = _locked(letter)
        if row.status != LetterStatus.SUBMITTED:
            raise ValidationError(_("Only a letter awaiting approval can be approved."))
        if row.author_id == getattr(actor, "pk", None):
            raise ValidationError(
                _("Someone else must approve this letter: the author cannot approve their own letter.")
            )
        if not may_approve(actor, row, day):
            if is_board_letter(row):
                raise ValidationError(_("The board decides this letter: only a board member can approve it."))
            raise ValidationError(
                _("Only the director, the deputy director or a board member can approve letters.")
            )
        row.approved_by = actor
        check = letter_check(row, day=day)
        if not check.approvable:
            messages = [_("Required element missing: %(element)s.") % {"element": m} for m in check.missing]
            raise ValidationError(messages + list(check.problems))
        recipients = letter_addressees(row)
        if not recipients:
            raise ValidationError(
                _("Nobody would receive this letter: there are no parents with parental authority.")
            )
        row.status = LetterStatus.APPROVED
        row.approved_at = now
        row.updated_at = now
        # The values as they will be printed (date of approval, signatory) are fixed now.
        row.values = dict(row.values) | {"_fixed": all_values(row, day=day, signatory=actor)}
        row.save()
        _make_copies(row, recipients)
        outbox_enqueue(
            kind=RENDER_JOB,
            payload={"letter_id": row.pk},
            school=row.school,
            key=f"letter-render:{row.pk}",
            now=now,
        )
        record(
            "letter_approved",
            actor=actor,
            obj=row,
            summary={"kind": row.kind, "copies": row.copies.count()},
            now=now,
        )
    return row


def _parents_for(letter: Letter) -> list[Parent]:
    from lev.schools.models import GroupPlacement

    if letter.pupil is not None:
        links = PupilGuardian.objects.filter(pupil=letter.pupil)
    else:
        pupil_ids = GroupPlacement.objects.filter(group_id__in=letter.group_ids).values("pupil_id")
        links = PupilGuardian.objects.filter(pupil_id__in=pupil_ids, pupil__school=letter.school)
    links = links.select_related("guardian").order_by(
        "pupil_id", "-has_gezag", "guardian__achternaam", "guardian_id"
    )
    return [
        Parent(
            guardian_id=link.guardian_id,
            name=link.guardian.full_name,
            street=link.guardian.street,
            postcode=link.guardian.postcode,
            city=link.guardian.city,
            has_gezag=link.has_gezag,
            shielded=link.guardian.address_shielded,
            receives_mail=link.receives_mail,
        )
        for link in links
    ]


def letter_addressees(letter: Letter) -> list[Addressee]:
    kind = letter_kind(letter.kind)
    return addressees(
        _parents_for(letter),
        include_without_gezag=letter.include_without_gezag,
        respect_mail_preference=not kind.legal,
    )


def _make_copies(letter: Letter, recipients: list[Addressee]) -> None:
    from lev.schools.models import Guardian

    emails = dict(
        Guardian.objects.filter(pk__in={g for a in recipients for g in a.guardian_ids}).values_list(
            "pk", "email"
        )
    )
    rows = [
        LetterCopy(
            letter=letter,
            board_id=letter.board_id,
            school_id=letter.school_id,
            position=index,
            address_lines=list(addressee.lines),
            guardian_ids=list(addressee.guardian_ids),
            shielded=addressee.shielded,
            without_gezag=addressee.without_gezag,
            email=", ".join(e for e in (emails.get(g, "") for g in addressee.guardian_ids) if e),
        )
        for index, addressee in enumerate(recipients, start=1)
    ]
    offset = len(rows)
    rows += [
        LetterCopy(
            letter=letter,
            board_id=letter.board_id,
            school_id=letter.school_id,
            position=offset + index,
            address_lines=[copy],
            is_copy=True,
        )
        for index, copy in enumerate(letter.copies_to, start=1)
    ]
    LetterCopy.objects.bulk_create(rows)


# --- Rendering (the job runner) -------------------------------------------------------------------


def letterhead_for(school: School) -> Letterhead:
    logo = ""
    if school.letterhead_logo:
        try:
            with school.letterhead_logo.open("rb") as fh:
                logo = logo_data_uri(fh.read())
        except OSError:
            logo = ""
    place = " ".join(p for p in (school.postcode, school.city) if p)
    return Letterhead(
        name=school.name,
        lines=tuple(line for line in (school.street, place) if line),
        phone=school.phone,
        email=school.email,
        logo_data_uri=logo,
    )


def copy_html(copy: LetterCopy) -> str:
    letter = copy.letter
    kind = letter_kind(letter.kind)
    values: dict[str, str] = dict(letter.values.get("_fixed") or {})
    lines = list(copy.address_lines)
    if copy.is_copy:
        with translation.override("nl"):  # printed on the letter: always Dutch
            lines = [_("Copy for: %(recipient)s") % {"recipient": lines[0]}]
    content = letter_content(
        kind,
        letter.denominatie,
        block_texts(letter),
        values,
        recipient_lines=lines,
        letterhead=letterhead_for(letter.school),
        enabled=letter.enabled_blocks,
        copies=letter.copies_to,
        concept=False,
    )
    return letter_html(content)


RENDER_WORKERS = 2
# A renderer turns a list of letters (HTML) into their PDFs, yielding each as soon as it is made.
StreamRenderer = Callable[[list[str]], Iterable[bytes]]


def render_in_process(htmls: list[str]) -> Iterator[bytes]:
    """Render in this process (demo data and tests; the job runner uses the limited subprocess)."""
    from .pdf import write_pdf

    for html in htmls:
        yield write_pdf(html)


def _store_rendered(copy_id: int, pdf: bytes, now: datetime) -> bool:
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = LetterCopy.objects.select_for_update().get(pk=copy_id)
        if locked.sha256:
            return False  # someone else stored it first: theirs stays
        locked.pdf.save(
            f"{locked.letter_id}-{locked.position}-{digest[:12]}.pdf", ContentFile(pdf), save=False
        )
        locked.sha256 = digest
        locked.pdf_size = len(pdf)
        locked.rendered_at = now
        locked.save(update_fields=["pdf", "sha256", "pdf_size", "rendered_at"])
    return True


_DONE = object()


def letter_render(
    letter_id: int,
    *,
    now: datetime,
    renderer: StreamRenderer | None = None,
    workers: int = RENDER_WORKERS,
) -> int:
    """Render every copy of an approved letter that has no PDF yet on WORKERS render processes,
    storing each PDF (with its hash) as soon as it is made; then merge all copies into the print
    file.

    The render processes stream their PDFs to threads here, which hand them to this thread to
    store (so every database write happens in the caller's connection and transaction). A stored
    PDF is never replaced, so running this again after a worker died renders only what is
    missing. Returns the number of PDFs rendered now.
    """
    render = renderer or render_limited_stream
    letter = Letter.objects.select_related("school__board").filter(pk=letter_id).first()
    if letter is None or letter.status not in (LetterStatus.APPROVED, LetterStatus.SENT):
        return 0
    pending = list(
        LetterCopy.objects.filter(letter=letter, sha256="")
        .select_related("letter__school__board")
        .order_by("position")
    )
    count = max(1, min(workers, len(pending)))
    groups = [pending[i::count] for i in range(count)] if pending else []
    results: queue.Queue[tuple[object, object]] = queue.Queue()

    def run(group: list[LetterCopy], htmls: list[str]) -> None:
        try:
            for copy, pdf in zip(group, render(htmls), strict=True):
                results.put((copy.pk, pdf))
        except BaseException as exc:  # handed to the storing thread, which raises it
            results.put((_DONE, exc))
            return
        results.put((_DONE, None))

    threads = [
        threading.Thread(target=run, args=(group, [copy_html(c) for c in group]), daemon=True)
        for group in groups
    ]
    for thread in threads:
        thread.start()
    rendered = 0
    failure: BaseException | None = None
    finished = 0
    while finished < len(threads):
        key, value = results.get()
        if key is _DONE:
            finished += 1
            failure = failure or (value if isinstance(value, BaseException) else None)
            continue
        assert isinstance(key, int) and isinstance(value, bytes)
        rendered += int(_store_rendered(key, value, now))
    for thread in threads:
        thread.join()
    if failure is not None:
        raise failure
    letter_print_file(letter.pk, now=now)
    return rendered


def letter_print_file(letter_id: int, *, now: datetime) -> bool:
    """Merge every copy's stored PDF (checked against its hash) into one print-ready file, once
    all are rendered. Made once: an existing print file is never replaced."""
    from pypdf import PdfWriter

    copies = list(LetterCopy.objects.filter(letter_id=letter_id).order_by("position"))
    if not copies or any(not c.sha256 for c in copies):
        return False
    if Letter.objects.filter(pk=letter_id).exclude(print_sha256="").exists():
        return False
    writer = PdfWriter()
    for copy in copies:
        writer.append(io.BytesIO(copy_pdf_bytes(copy)))
    buffer = io.BytesIO()
    writer.write(buffer)
    content = buffer.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.print_sha256:
            return False
        letter.print_pdf.save(f"{letter.pk}-print-{digest[:12]}.pdf", ContentFile(content), save=False)
        letter.print_sha256 = digest
        letter.print_made_at = now
        letter.save(update_fields=["print_pdf", "print_sha256", "print_made_at"])
    return True


@dataclass(frozen=True)
class Progress:
    rendered: int
    total: int
    print_ready: bool
    by_method: tuple[tuple[str, int], ...]
    not_sent: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.rendered == self.total and self.print_ready


def letter_progress(letter: Letter) -> Progress:
    copies = list(letter.copies.values_list("sha256", "method", "is_copy"))
    counts: dict[str, int] = {}
    for _sha, method, is_copy in copies:
        if method and not is_copy:
            counts[method] = counts.get(method, 0) + 1
    labels = dict(DispatchMethod.choices)
    return Progress(
        rendered=sum(1 for sha, _m, _c in copies if sha),
        total=len(copies),
        print_ready=bool(letter.print_sha256),
        by_method=tuple((str(labels[m]), n) for m, n in sorted(counts.items())),
        not_sent=sum(1 for _s, method, is_copy in copies if not method and not is_copy),
    )


def copy_pdf_bytes(copy: LetterCopy) -> bytes:
    """The stored PDF, checked against its hash (a changed file is an error, never served)."""
    with copy.pdf.open("rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != copy.sha256:
        raise ValueError(f"The stored PDF of letter copy {copy.pk} does not match its SHA-256.")
    return content


# --- Dispatch ------------------------------------------------------------------------------------


def letter_copy_dispatch(
    *,
    copy: LetterCopy,
    method: str,
    sent_on: date,
    actor: Any,
    now: datetime,
    tracking_number: str = "",
    delivered_on: date | None = None,
) -> LetterCopy:
    """Record how and when one copy went out (and, later, when it was delivered)."""
    kind = letter_kind(copy.letter.kind)
    errors: dict[str, list[str]] = {}
    if method not in DispatchMethod.values:
        errors["method"] = [_("Choose how the letter was sent.")]
    elif method == DispatchMethod.EMAIL and not kind.attachment_allowed:
        errors["method"] = [
            _(
                "This letter may not go as an e-mail attachment: send it by registered mail, ordinary post or hand it over."
            )
        ]
    elif method == DispatchMethod.EMAIL and not copy.email:
        errors["method"] = [_("There is no e-mail address for this addressee.")]
    if method == DispatchMethod.REGISTERED_MAIL and not re.sub(r"\s+", "", tracking_number):
        errors["tracking_number"] = [_("Enter the tracking number of the registered letter.")]
    if sent_on > timezone.localdate(now):
        errors["sent_on"] = [_("The date sent cannot lie in the future.")]
    if delivered_on is not None and delivered_on < sent_on:
        errors["delivered_on"] = [_("A letter cannot be delivered before it was sent.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        letter = _locked(copy.letter)
        row = LetterCopy.objects.select_for_update().get(pk=copy.pk)
        if letter.status not in (LetterStatus.APPROVED, LetterStatus.SENT):
            raise ValidationError(_("Only an approved letter can be sent."))
        if not row.sha256:
            raise ValidationError(_("The PDF of this letter is not ready yet. Try again in a minute."))
        first_dispatch = row.method == ""
        row.method = method
        row.sent_on = sent_on
        row.tracking_number = tracking_number.strip()
        row.delivered_on = delivered_on
        row.dispatched_by = actor
        row.dispatched_at = now
        row.save()
        if method == DispatchMethod.EMAIL and first_dispatch:
            outbox_enqueue(
                kind=EMAIL_JOB,
                payload={"copy_id": row.pk},
                school=letter.school,
                key=f"letter-email:{row.pk}",
                now=now,
            )
        record(
            "letter_dispatched",
            actor=actor,
            obj=row,
            board=letter.board,
            summary={"letter": letter.pk, "method": method, "delivered": delivered_on is not None},
            now=now,
        )
        if (
            letter.status == LetterStatus.APPROVED
            and not letter.copies.filter(is_copy=False, method="").exists()
        ):
            _mark_sent(letter, actor=actor, now=now)
    return row


def letter_email_all(*, letter: Letter, actor: Any, now: datetime) -> int:
    """Send every addressee with an e-mail address their own PDF by e-mail (letters that may go as
    an attachment only); the others stay for post or handing over. Returns the number queued."""
    kind = letter_kind(letter.kind)
    if not kind.attachment_allowed:
        raise ValidationError(_("This letter may not go as an e-mail attachment."))
    queued = 0
    day = timezone.localdate(now)
    for copy in (
        letter.copies.filter(is_copy=False, method="")
        .exclude(email="")
        .exclude(sha256="")
        .order_by("position")
    ):
        letter_copy_dispatch(copy=copy, method=DispatchMethod.EMAIL, sent_on=day, actor=actor, now=now)
        queued += 1
    return queued


def _mark_sent(letter: Letter, *, actor: Any, now: datetime) -> None:
    kind = letter_kind(letter.kind)
    letter.status = LetterStatus.SENT
    letter.sent_at = now
    letter.updated_at = now
    letter.save(update_fields=["status", "sent_at", "updated_at"])
    record("letter_sent", actor=actor, obj=letter, summary={"kind": letter.kind}, now=now)
    if letter.pupil is not None:
        copies = letter.copies.filter(is_copy=False).order_by("position")
        with translation.override("nl"):  # stored in the dossier: written in the school's language
            lines = [
                _("%(method)s on %(day)s")
                % {"method": c.get_method_display(), "day": c.sent_on.strftime("%d-%m-%Y")}
                for c in copies
                if c.sent_on
            ]
            summary = _("Letter %(reference)s sent to the parents: %(how)s.") % {
                "reference": letter.reference,
                "how": "; ".join(lines),
            }
        entry_record(
            pupil=letter.pupil,
            kind="letter",
            title=kind.title,
            summary=summary,
            happened_at=now,
            author=actor,
            now=now,
            source=letter,
        )


def letter_withdraw(*, letter: Letter, reason: str, actor: Any, now: datetime) -> Letter:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
    with transaction.atomic():
        row = _locked(letter)
        if row.status in (LetterStatus.SENT, LetterStatus.WITHDRAWN):
            raise ValidationError(_("A sent or withdrawn letter cannot be withdrawn."))
        if row.copies.exclude(method="").exists():
            raise ValidationError(
                _("A copy of this letter has already been sent: it can no longer be withdrawn.")
            )
        previous = row.status
        row.status = LetterStatus.WITHDRAWN
        row.withdrawn_at = now
        row.withdrawn_reason = reason.strip()
        row.updated_at = now
        row.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
        record("letter_withdrawn", actor=actor, obj=row, summary={"previous_status": previous}, now=now)
    return row
