"""Demo letters for `seed_demo`: one school's letters in every state, made through the services
(so they carry real checks, copies, hashes and audit rows), and a reviewed board template.

Idempotent: a board that already has demo letters gets none added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lev.schools.models import Board, Pupil, PupilGuardian, School, SchoolGroup

from . import letter_services as svc
from .domain.texts import letter_kind
from .letter_models import Letter
from .models import LetterTemplate, TemplateReview

DEMO_SOURCE = "demo"
DEMO_REVIEWER = "mr. A. de Wit, advocaat onderwijsrecht (demo)"


def _typed(code: str, pupil: Pupil | None = None) -> dict[str, str]:
    """The kind's demo values, about PUPIL instead of the samples' "Sam de Vries"."""
    kind = letter_kind(code)
    values = {f.code: f.sample for f in kind.fields if f.source == "letter"}
    if pupil is None:
        return values
    return {
        k: v.replace("Sam de Vries", pupil.full_name).replace("Sam", pupil.roepnaam)
        for k, v in values.items()
    }


def _pupils_with_parents(school: School, count: int) -> list[Pupil]:
    ids = (
        PupilGuardian.objects.filter(school=school, has_gezag=True, guardian__address_shielded=False)
        .exclude(guardian__street="")
        .order_by("pupil_id")
        .values_list("pupil_id", flat=True)
        .distinct()[:count]
    )
    return list(Pupil.objects.filter(pk__in=list(ids)).order_by("pk"))


def _reviewed_template(board: Board, code: str, functional_admin: Any, now: dt.datetime) -> None:
    if LetterTemplate.objects.filter(board=board, kind=code).exists():
        return
    kind = letter_kind(code)
    template = LetterTemplate.objects.create(
        board=board,
        kind=code,
        version=1,
        shipped_version=kind.version,
        blocks=kind.snapshot(),
        note="LEV-tekst overgenomen (demo)",
        created_by=functional_admin,
        created_at=now,
    )
    TemplateReview.objects.create(
        template=template,
        board=board,
        reviewer_name=DEMO_REVIEWER,
        note="Demo: geen echte juridische toets.",
        recorded_by=functional_admin,
        recorded_at=now,
    )


def _render(letter: Letter, now: dt.datetime) -> None:
    """Make the demo letter's PDFs now, so the demo shows them at once; without WeasyPrint's
    system libraries the job runner makes them later (and says why it cannot)."""
    try:
        svc.letter_render(letter.pk, now=now, renderer=svc.render_in_process)
    except OSError:
        return


def _mark(letter: Letter, n: int) -> None:
    Letter.objects.filter(pk=letter.pk).update(source_type=DEMO_SOURCE, source_id=str(n))


def seed_demo_letters(
    *, board: Board, school: School, author: Any, approver: Any, functional_admin: Any, now: dt.datetime
) -> int:
    """Letters of SCHOOL in every state: draft, awaiting approval, approved (PDFs made), sent
    (dispatched by hand) and withdrawn. Returns the number of letters made."""
    if Letter.objects.filter(board=board, source_type=DEMO_SOURCE).exists():
        return 0
    _reviewed_template(board, "schorsing_besluit", functional_admin, now)
    pupils = _pupils_with_parents(school, 4)
    if len(pupils) < 4:
        return 0
    today = timezone.localdate(now)
    group = (
        SchoolGroup.objects.filter(
            school=school, school_year__starts_on__lte=today, school_year__ends_on__gte=today
        )
        .order_by("name")
        .first()
    )
    made = 0

    # 1. A draft of a suspension decision, with the reasons still to be written.
    draft = svc.letter_create(
        kind_code="schorsing_besluit",
        school=school,
        pupil=pupils[0],
        values=_typed("schorsing_besluit", pupils[0]) | {"redenen": ""},
        actor=author,
        now=now,
    )
    _mark(draft, 1)
    made += 1

    # 2. A time-out notice awaiting approval.
    waiting = svc.letter_create(
        kind_code="timeout_melding",
        school=school,
        pupil=pupils[1],
        values=_typed("timeout_melding", pupils[1]),
        actor=author,
        now=now,
    )
    svc.letter_submit(letter=waiting, actor=author, now=now)
    _mark(waiting, 2)
    made += 1

    # 3. An incident letter to the parents of a group: approved, PDFs made, not yet sent.
    if group is not None:
        incident = svc.letter_create(
            kind_code="incident_eigen_groep",
            school=school,
            group_ids=[group.pk],
            values=_typed("incident_eigen_groep") | {"groep": f"groep {group.name}"},
            actor=author,
            now=now,
        )
        svc.letter_submit(letter=incident, actor=author, now=now)
        svc.letter_approve(letter=incident, actor=approver, now=now)
        _render(incident, now)
        _mark(incident, 3)
        made += 1

    # 4. A time-out notice, sent: handed over to the parents.
    sent = svc.letter_create(
        kind_code="timeout_melding",
        school=school,
        pupil=pupils[2],
        values=_typed("timeout_melding", pupils[2]),
        actor=author,
        now=now,
    )
    svc.letter_submit(letter=sent, actor=author, now=now)
    svc.letter_approve(letter=sent, actor=approver, now=now)
    _render(sent, now)
    for copy in sent.copies.filter(is_copy=False).exclude(sha256="").order_by("position"):
        svc.letter_copy_dispatch(
            copy=copy, method="by_hand", sent_on=today, delivered_on=today, actor=author, now=now
        )
    _mark(sent, 4)
    made += 1

    # 5. A withdrawn draft.
    withdrawn = svc.letter_create(
        kind_code="timeout_melding",
        school=school,
        pupil=pupils[3],
        values=_typed("timeout_melding", pupils[3]),
        actor=author,
        now=now,
    )
    svc.letter_withdraw(
        letter=withdrawn, reason="Toch telefonisch afgehandeld (demo).", actor=author, now=now
    )
    _mark(withdrawn, 5)
    made += 1
    return made
