"""Permission-matrix rows of the dashboards (lev/monitoring/urls.py; decisions in
lev.monitoring.dashboard.scope_for).

- The dashboard and its CSV: the board member sees every school of the board; the director and the
  deputy their own school; every other role 403 (teachers, staff, IB, confidant, FG, functional
  administrator: no dashboard), also when they ask for a school.
- `?school=<id>` of a school of another board: 404 for the three who have a dashboard (exactly like
  a school that does not exist), 403 for everyone else (the role check comes first).
- GET only: a POST is 405 for everyone signed in.
- The annual report (`/dashboard/jaarverslag/`): the board member only; the director and the deputy,
  who have no board view, 403 like everyone else. No school in the URL, so "other" is the same URL
  with the same answers.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import World
from tests.matrix_kit import SIGNED_IN, Method, Row, everyone, fixed, only

VIEWERS = {"board_member": 200, "director_a": 200, "deputy_a": 200}
OTHER = dict.fromkeys(SIGNED_IN, 403) | dict.fromkeys(VIEWERS, 404)
NO_POST = Method(everyone(405), other=dict.fromkeys(SIGNED_IN, 405))
REPORT = only({"board_member": 200})


def school_url(path: str) -> Callable[[World, bool], str]:
    def url(world: World, own: bool) -> str:
        school = world.school_a if own else world.school_b
        return f"{path}?school={school.pk}"

    return url


ROWS: dict[str, Row] = {
    "monitoring:dashboard": Row(
        school_url("/dashboard/"), {"GET": Method(only(VIEWERS), other=OTHER), "POST": NO_POST}
    ),
    "monitoring:dashboard_csv": Row(
        school_url("/dashboard/csv/"), {"GET": Method(only(VIEWERS), other=OTHER), "POST": NO_POST}
    ),
    "monitoring:annual_report": Row(
        fixed("/dashboard/jaarverslag/"), {"GET": Method(REPORT, other=REPORT), "POST": NO_POST}
    ),
}
