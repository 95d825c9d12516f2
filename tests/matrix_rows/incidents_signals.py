"""Permission-matrix rows of the signal pages (incidents/signal_urls.py).

Recording and "my signals": teachers, staff, the IB, the director and the deputy of the active
school (teacher_b at school B too); the school's list: the leads only; one signal: its author and
the leads of its school, 403 for a colleague who only sees their own, 404 for everyone elsewhere.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import World
from tests.matrix_kit import SIGNED_IN, Method, Row, everyone, fixed, only

RECORDERS = {
    "teacher_a": 200,
    "staff_a": 200,
    "ib_a": 200,
    "director_a": 200,
    "deputy_a": 200,
    "teacher_b": 200,
}
LEADS = {"ib_a": 200, "director_a": 200, "deputy_a": 200}


def signal_url(world: World, own: bool) -> str:
    """A signal by teacher_a about pupil_a (own), or by teacher_b about pupil_b (another board)."""
    from incidents.models import Signal

    author, pupil = (world.teacher_a, world.pupil_a) if own else (world.teacher_b, world.pupil_b)
    signal = Signal.objects.filter(author=author, description="Matrix test.").first()
    if signal is None:
        now = timezone.now()
        signal = Signal.objects.create(
            board=pupil.board,
            school=pupil.school,
            author=author,
            happened_at=now - dt.timedelta(hours=1),
            location="Gang",
            description="Matrix test.",
            source="observed",
            created_at=now,
        )
        signal.pupils.set([pupil])
    return f"/signalen/{signal.pk}/"


ROWS: dict[str, Row] = {
    "incidents:signal_new": Row(
        fixed("/signalen/nieuw/"),
        {"GET": Method(only(RECORDERS)), "POST": Method(only(RECORDERS))},
    ),
    "incidents:signal_draft": Row(
        fixed("/signalen/concept/"),
        {
            "GET": Method(everyone(405)),
            "POST": Method(only(dict.fromkeys(RECORDERS, 302))),
        },
    ),
    "incidents:my_signals": Row(fixed("/signalen/mijn/"), {"GET": Method(only(RECORDERS))}),
    "incidents:signal_list": Row(fixed("/signalen/"), {"GET": Method(only(LEADS))}, sensitive=True),
    "incidents:signal_detail": Row(
        signal_url,
        {
            "GET": Method(
                only(
                    {
                        "teacher_a": 200,
                        **LEADS,
                        "board_member": 404,
                        "privacy_officer": 404,
                        "functional_admin": 404,
                    },
                    outsider=404,
                ),
                # School B: only its author, teacher_b, may open it.
                other={**dict.fromkeys(SIGNED_IN, 404), "teacher_b": 200},
            )
        },
        sensitive=True,
    ),
}
