"""Verwijderingen on the board's decision page and on the start page ("Waiting for your approval").

- `verwijdering_board_section(ctx, board)`: for BOARD's schools, the verwijderingen waiting for the
  board's decision (R11, R12: ready once the class teacher and the parents were heard; still being
  prepared otherwise, for information), a decision the director took under a mandate (for
  information: the plan has the director report it to the board), the bezwaren waiting for the
  board's decision with their decision term (R18), and the GPO cases running (R19: the decision on
  the bezwaar waits; the verweer is due two weeks after the filing).
- `verwijdering_approvals(ctx)`: for a board member, the verwijderingen ready for a decision and the
  bezwaren to decide, on the start page.

Both link to the board's page of the verwijdering (`escalation:board_verwijdering`), the one page
where the board sees the pupil's data. To be registered by `EscalationConfig.ready`
(`register_board_section`, `register_approval_source`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lev.deadlines.models import Deadline
from lev.schools.access import AccessContext
from lev.schools.models import Board, Role

from .board import BoardItem, BoardSection
from .models import Authority, GpoCase, Objection, Verwijdering, VerwijderingStatus
from .verwijdering_services import GPO_DEFENCE_DAYS, RULE_DECISION

LIMIT = 50
OBJECTION_TYPE = Objection._meta.label_lower


def _d(day: date) -> str:
    return dateformat.format(day, "d-m-Y")


def _url(verwijdering_id: int) -> str:
    return reverse("escalation:board_verwijdering", args=[verwijdering_id])


def _board_ids(ctx: AccessContext) -> list[int]:
    return [m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD]


def _started(board_ids: list[int]) -> list[Verwijdering]:
    return list(
        Verwijdering.objects.filter(board_id__in=board_ids, status=VerwijderingStatus.STARTED)
        .select_related("school", "pupil")
        .order_by("started_at", "pk")[:LIMIT]
    )


def _ready(row: Verwijdering) -> bool:
    """Both hearings the law requires before the decision are recorded (WPO art. 40 lid 11)."""
    return row.groepsleraar_heard_on is not None and row.parents_heard_on is not None


def _mandated(board_ids: list[int]) -> list[Verwijdering]:
    return list(
        Verwijdering.objects.filter(
            board_id__in=board_ids, status=VerwijderingStatus.DECIDED, authority=Authority.MANDATE
        )
        .select_related("school", "pupil")
        .order_by("decided_on", "pk")[:LIMIT]
    )


def _open_objections(board_ids: list[int]) -> list[tuple[Objection, Deadline | None]]:
    objections = list(
        Objection.objects.filter(board_id__in=board_ids, verwijdering__isnull=False, decided_on__isnull=True)
        .select_related("school", "verwijdering", "verwijdering__pupil")
        .order_by("received_on", "pk")[:LIMIT]
    )
    terms: dict[str, Deadline] = {}
    for deadline in Deadline.objects.filter(
        subject_type=OBJECTION_TYPE, subject_id__in=[str(o.pk) for o in objections], rule_code=RULE_DECISION
    ).order_by("pk"):
        terms[deadline.subject_id] = deadline  # the latest row wins
    return [(o, terms.get(str(o.pk))) for o in objections]


def _running_cases(board_ids: list[int]) -> list[GpoCase]:
    return list(
        GpoCase.objects.filter(
            verwijdering__board_id__in=board_ids, opinion_on__isnull=True, withdrawn_on__isnull=True
        )
        .select_related("verwijdering", "verwijdering__school", "verwijdering__pupil")
        .order_by("filed_on", "pk")[:LIMIT]
    )


def _term_text(deadline: Deadline | None, received_on: date) -> tuple[str, str]:
    """What to say about the decision term, and the date that matters."""
    if deadline is None:
        return "", _d(received_on)
    if deadline.status == "suspended" and deadline.suspended_since is not None:
        return _("the decision term is suspended (GPO case)"), _d(deadline.suspended_since)
    return _("decide by %(due)s") % {"due": _d(deadline.due_on)}, _d(deadline.due_on)


def verwijdering_board_section(ctx: AccessContext, board: Board) -> BoardSection:
    """What waits for BOARD about verwijderingen: decisions, bezwaren, and GPO cases running."""
    section = BoardSection(
        key="verwijderingen",
        title=gettext_lazy("Verwijderingen"),
        empty=gettext_lazy(
            "Verwijderingen that a director prepares for the board's decision, bezwaren of parents "
            "against a verwijdering, and cases at the Geschillencommissie passend onderwijs appear here."
        ),
    )
    if Role.BOARD not in ctx.board_roles(board.pk):
        return section
    items: list[BoardItem] = []
    for row in _started([board.pk]):
        if _ready(row):
            what = _(
                "Verwijdering: the class teacher and the parents were heard; waiting for the board's decision"
            )
        else:
            what = _("Verwijdering being prepared: the hearings are not complete yet")
        items.append(
            BoardItem(
                school=row.school.name,
                pupil=row.pupil.full_name,
                what=what,
                when=_d(timezone.localdate(row.started_at)),
                url=_url(row.pk),
                waiting=_ready(row),
            )
        )
    for row in _mandated([board.pk]):
        assert row.decided_on is not None
        items.append(
            BoardItem(
                school=row.school.name,
                pupil=row.pupil.full_name,
                what=_("Verwijdering decided by the director under mandate (for information)"),
                when=_d(row.decided_on),
                url=_url(row.pk),
                waiting=False,
            )
        )
    for objection, deadline in _open_objections([board.pk]):
        assert objection.verwijdering is not None
        term, when = _term_text(deadline, objection.received_on)
        what = _("Bezwaar against the verwijdering, received on %(received)s") % {
            "received": _d(objection.received_on)
        }
        items.append(
            BoardItem(
                school=objection.school.name,
                pupil=objection.verwijdering.pupil.full_name,
                what=f"{what}; {term}" if term else what,
                when=when,
                url=_url(objection.verwijdering.pk),
            )
        )
    for case in _running_cases([board.pk]):
        row = case.verwijdering
        if case.defence_sent_on is None:
            what = _("Case at the GPO filed on %(filed)s: the board's verweer is due by %(due)s") % {
                "filed": _d(case.filed_on),
                "due": _d(case.filed_on + timedelta(days=GPO_DEFENCE_DAYS)),
            }
        else:
            what = _("Case at the GPO filed on %(filed)s: waiting for the commission's opinion") % {
                "filed": _d(case.filed_on)
            }
        items.append(
            BoardItem(
                school=row.school.name,
                pupil=row.pupil.full_name,
                what=what,
                when=_d(case.filed_on),
                url=_url(row.pk),
                waiting=case.defence_sent_on is None,
            )
        )
    return BoardSection(key=section.key, title=section.title, empty=section.empty, items=items)


def verwijdering_approvals(ctx: AccessContext) -> list[dict[str, Any]]:
    """For a board member: the verwijderingen ready for a decision and the bezwaren to decide."""
    board_ids = _board_ids(ctx)
    if not board_ids:
        return []
    items: list[dict[str, Any]] = []
    for row in _started(board_ids):
        if not _ready(row):
            continue
        items.append(
            {
                "label": _("Verwijdering of %(pupil)s") % {"pupil": row.pupil.full_name},
                "detail": _("%(school)s — the hearings were held; the board decides")
                % {"school": row.school.name},
                "url": _url(row.pk),
            }
        )
    for objection, deadline in _open_objections(board_ids):
        assert objection.verwijdering is not None
        term, _when = _term_text(deadline, objection.received_on)
        items.append(
            {
                "label": _("Bezwaar about the verwijdering of %(pupil)s")
                % {"pupil": objection.verwijdering.pupil.full_name},
                "detail": f"{objection.school.name} — {term}" if term else objection.school.name,
                "url": _url(objection.verwijdering.pk),
            }
        )
    return items
