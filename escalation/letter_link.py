"""Which stappenplan letters the board approves although the school's setting gives the decision to
the director (registered in `EscalationConfig.ready` with the letters engine's
`register_board_decided`): the decision letter of a schorsing or a verwijdering the board decided
(authority "board") — a schorsing soon after the previous one needs the board even under mandate
(LEGAL.md R3), and a board member may always decide a verwijdering (R12)."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from .models import Authority, Schorsing, Verwijdering


def board_decided_letters() -> Q:
    schorsingen = (
        Schorsing.objects.filter(authority=Authority.BOARD)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    verwijderingen = (
        Verwijdering.objects.filter(authority=Authority.BOARD)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    return Q(kind="schorsing_besluit", source_type="escalation.schorsing", source_id__in=schorsingen) | Q(
        kind="verwijdering_besluit", source_type="escalation.verwijdering", source_id__in=verwijderingen
    )
