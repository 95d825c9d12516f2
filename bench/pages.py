"""Page timings and query counts, measured in-process with Django's test client.

The client goes through the whole middleware stack with the benchmark's settings (DEBUG off,
database sessions, persistent database connections as in production); only the network and the
WSGI server are left out. Every page is compared with the baseline view measured with the same
signed-in client in the same repeat; the board dashboard with a baseline of its own, which runs the
dashboard's SQL and nothing else (`bench.views.dashboard_baseline`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from escalation.models import Episode, EpisodeState
from incidents import register_views
from incidents.models import Incident
from lev.accounts.models import User
from lev.dossier.models import DossierEntry
from lev.monitoring.dashboard import TREND_YEARS, SchoolYearSpan, read_counts
from lev.schools import views as school_views
from lev.schools.models import Board, GroupPlacement, Membership, Role, School, SchoolGroup
from meldcode.models import MeldcodeCase

from .stats import median, p95


class BenchError(Exception):
    pass


@dataclass(frozen=True)
class Page:
    key: str
    description: str
    user: User
    url: str


@dataclass(frozen=True)
class Personas:
    school: School
    teacher: User
    care_coordinator: User
    director: User
    board_member: User
    privacy_officer: User
    functional_admin: User
    pupil_id: int  # a pupil in the teacher's own group
    full_file_pupil_id: int  # the pupil of the school with the longest chronology
    ladder_pupil_id: int  # a pupil on step 7 of the stappenplan (every measure on the ladder page)
    meldcode_case_id: int  # the Meldcode case of the school with the most records


def _member(board: Board, role: str, school: School | None) -> User:
    membership = (
        Membership.objects.filter(board=board, school=school, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise BenchError(f"The scale board has no {role} (school {school.pk if school else '-'}).")
    return membership.user


def personas(board: Board) -> Personas:
    school = School.objects.filter(board=board).order_by("pk").first()
    if school is None:
        raise BenchError("The scale board has no schools.")
    today = timezone.localdate()
    group = (
        SchoolGroup.objects.filter(
            school=school, school_year__starts_on__lte=today, school_year__ends_on__gte=today, grades=[5]
        )
        .order_by("name")
        .first()
    )
    if group is None:
        raise BenchError("The first scale school has no grade 5 group this school year.")
    teacher = group.teachers.order_by("pk").first()
    placement = GroupPlacement.objects.filter(group=group, ends_on__isnull=True).order_by("pk").first()
    if teacher is None or placement is None:
        raise BenchError("The grade 5 group has no teacher or no pupils.")
    full_file = (
        DossierEntry.objects.filter(school=school)
        .values("pupil_id")
        .annotate(n=Count("id"))
        .order_by("-n", "pupil_id")
        .first()
    )
    if full_file is None or full_file["n"] < 100:
        raise BenchError(
            "The first scale school has no pupil with a long chronology (seed_scale's incidents step)."
        )
    if not Incident.objects.filter(school=school).exists():
        raise BenchError("The first scale school has no incidents (seed_scale's incidents step).")
    ladder_pupil_id = (
        Episode.objects.filter(school=school, state=EpisodeState.STEP_7)
        .order_by("pk")
        .values_list("pupil_id", flat=True)
        .first()
    )
    if ladder_pupil_id is None:
        raise BenchError("The first scale school has no pupil on step 7 (seed_scale's escalation step).")
    busiest_case = (
        MeldcodeCase.objects.filter(school=school)
        .annotate(n=Count("step_records", distinct=True) + Count("answers", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if busiest_case is None:
        raise BenchError("The first scale school has no Meldcode case (seed_scale's meldcode step).")
    return Personas(
        school=school,
        teacher=teacher,
        care_coordinator=_member(board, Role.CARE_COORDINATOR, school),
        director=_member(board, Role.DIRECTOR, school),
        board_member=_member(board, Role.BOARD, None),
        privacy_officer=_member(board, Role.PRIVACY_OFFICER, None),
        functional_admin=_member(board, Role.FUNCTIONAL_ADMIN, None),
        pupil_id=placement.pupil_id,
        full_file_pupil_id=full_file["pupil_id"],
        ladder_pupil_id=ladder_pupil_id,
        meldcode_case_id=busiest_case,
    )


def pages(people: Personas) -> list[Page]:
    start = reverse("web:start")
    return [
        Page("start_teacher", "start page, teacher", people.teacher, start),
        Page("start_care_coordinator", "start page, care coordinator", people.care_coordinator, start),
        Page("start_director", "start page, director", people.director, start),
        Page("start_board", "start page, board member", people.board_member, start),
        Page("start_privacy_officer", "start page, data protection officer", people.privacy_officer, start),
        Page(
            "start_functional_admin", "start page, functional administrator", people.functional_admin, start
        ),
        Page(
            "pupil_list",
            "pupil list (director, whole school)",
            people.director,
            reverse("schools:pupil_list"),
        ),
        Page(
            "pupil_page",
            "pupil page (teacher, own group)",
            people.teacher,
            reverse("schools:pupil_detail", args=[people.pupil_id]),
        ),
        Page(
            "pupil_chronology_full",
            "pupil page with the longest chronology of the school (director)",
            people.director,
            reverse("schools:pupil_detail", args=[people.full_file_pupil_id]),
        ),
        Page(
            "incident_register",
            "incident register (director, whole school)",
            people.director,
            reverse("incidents:register"),
        ),
        Page(
            "my_incidents",
            "incident register (teacher: own incidents)",
            people.teacher,
            reverse("incidents:register"),
        ),
        Page(
            "ladder_overview",
            "stappenplan overview (director, whole school)",
            people.director,
            reverse("escalation:overview"),
        ),
        Page(
            "pupil_ladder",
            "stappenplan of a pupil on step 7 (director)",
            people.director,
            reverse("escalation:pupil_ladder", args=[people.ladder_pupil_id]),
        ),
        Page(
            "meldcode_case_list",
            "Meldcode case list (director, whole school)",
            people.director,
            reverse("meldcode:case_list"),
        ),
        Page(
            "meldcode_case",
            "Meldcode case page with the most records of the school (director)",
            people.director,
            reverse("meldcode:case_detail", args=[people.meldcode_case_id]),
        ),
    ]


def signed_in_client(user: User) -> Client:
    """A client signed in as `user` and past the second factor (as after entering a TOTP code)."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="LEV", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def get(client: Client, url: str) -> Any:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}, not 200.")
    return response


def sample(
    client: Client, url: str, *, requests: int, warmup: int, before_each: Callable[[], None] | None = None
) -> list[float]:
    """Milliseconds per request for `requests` requests, after `warmup` unmeasured ones; BEFORE_EACH
    (not timed) runs before every timed request."""
    for _ in range(warmup):
        get(client, url)
    times = []
    for _ in range(requests):
        if before_each is not None:
            before_each()
        started = time.perf_counter()
        get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return times


@dataclass(frozen=True)
class PageRun:
    page_p95: float
    baseline_p95: float

    @property
    def ratio(self) -> float:
        return self.page_p95 / self.baseline_p95


def measure_page(client: Client, page: Page, baseline_url: str, *, requests: int, warmup: int) -> PageRun:
    baseline = sample(client, baseline_url, requests=requests, warmup=warmup)
    timed = sample(client, page.url, requests=requests, warmup=warmup)
    return PageRun(page_p95=p95(timed), baseline_p95=p95(baseline))


# --- Queries per page -------------------------------------------------------------------------------

PUPIL_LINK = re.compile(r'href="/leerlingen/\d+/"')


@contextmanager
def page_size(rows: int) -> Iterator[None]:
    """Let the pupil list show `rows` pupils per page instead of its usual 50."""

    class FixedPaginator(Paginator):
        def __init__(self, object_list: Any, per_page: int, *args: Any, **kwargs: Any) -> None:
            super().__init__(object_list, rows, *args, **kwargs)

    with mock.patch.object(school_views, "Paginator", FixedPaginator):
        yield


def queries_for(client: Client, url: str, rows: int) -> tuple[int, int]:
    """(queries, rows shown) for one request of the pupil list showing `rows` pupils."""
    with page_size(rows):
        get(client, url)  # the same request once before counting, as the timings do
        with CaptureQueriesContext(connection) as captured:
            response = get(client, url)
    shown = len(PUPIL_LINK.findall(response.content.decode()))
    return len(captured.captured_queries), shown


# --- Queries per page of the incident register and the chronology -------------------------------------

REGISTER_ROW = re.compile(r'<tr class="lev-register-row"')
CHRONOLOGY_ITEM = re.compile(r'<li id="vermelding-\d+"')


def _counted(client: Client, url: str, pattern: re.Pattern[str]) -> tuple[int, int]:
    get(client, url)  # the same request once before counting, as the timings do
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url)
    return len(captured.captured_queries), len(pattern.findall(response.content.decode()))


def register_queries_for(client: Client, url: str, rows: int) -> tuple[int, int]:
    """(queries, rows shown) for the incident register showing `rows` incidents per page."""
    with mock.patch.object(register_views, "PAGE_SIZE", rows):
        return _counted(client, url, REGISTER_ROW)


def chronology_queries_for(client: Client, url: str, rows: int) -> tuple[int, int]:
    """(queries, entries shown) for the pupil page showing `rows` chronology entries per page."""
    with mock.patch.object(school_views, "CHRONOLOGY_PAGE", rows):
        return _counted(client, url, CHRONOLOGY_ITEM)


# --- The board dashboard ------------------------------------------------------------------------------

# The suppression results the dashboard caches (`lev.monitoring.dashboard._suppressed`).
DASHBOARD_CACHE_PREFIX = "monitoring:views:"


def dashboard_url(year: SchoolYearSpan) -> str:
    return f"{reverse('monitoring:dashboard')}?jaar={year.label}"


def trend_years(year: SchoolYearSpan) -> list[SchoolYearSpan]:
    """YEAR and the school years before it that the dashboard's trend reads, oldest first."""
    return [year.previous(n) for n in range(TREND_YEARS - 1, -1, -1)]


def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def dashboard_cache_keys() -> int | None:
    """How many suppression results the cache holds; None when the cache is not Redis."""
    if not settings.REDIS_URL:
        return None
    client = _redis(settings.REDIS_URL)
    try:
        return sum(
            1 for _key in client.scan_iter(match=cache.make_key(f"{DASHBOARD_CACHE_PREFIX}*"), count=1000)
        )
    finally:
        client.close()


def clear_dashboard_cache() -> None:
    """Delete the dashboard's cached suppression results, and nothing else in the cache.

    Without Redis the cache is this process's own memory: clearing all of it touches nobody else.
    """
    if not settings.REDIS_URL:
        cache.clear()
        return
    client = _redis(settings.REDIS_URL)
    try:
        keys = list(client.scan_iter(match=cache.make_key(f"{DASHBOARD_CACHE_PREFIX}*"), count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def sample_cold(client: Client, url: str, *, requests: int) -> list[float]:
    """Milliseconds per request with the dashboard cache emptied before each (not timed), after one
    unmeasured request, as the warm samples have their warm-ups."""
    return sample(client, url, requests=requests, warmup=1, before_each=clear_dashboard_cache)


@dataclass(frozen=True)
class DashboardRun:
    board_p95: float  # the board member, warm
    baseline_p95: float  # the bare dashboard baseline, the board member's client
    cold_p95: float  # the board member, the cache emptied before every request
    director_p95: float  # the director, warm
    director_baseline_p95: float  # the bare dashboard baseline, the director's client

    @property
    def ratio(self) -> float:
        return self.board_p95 / self.baseline_p95

    @property
    def director_ratio(self) -> float:
        return self.director_p95 / self.director_baseline_p95


def measure_dashboard(
    board_client: Client,
    director_client: Client,
    page_url: str,
    baseline_url: str,
    *,
    requests: int,
    warmup: int,
    cold_requests: int,
) -> DashboardRun:
    """One repeat: the bare baseline and the warm page for the board member and for the director
    (the warm-ups fill the suppression cache, emptied first so the check below means something),
    then the board member's page with the cache emptied before every request."""
    clear_dashboard_cache()
    baseline = sample(board_client, baseline_url, requests=requests, warmup=warmup)
    warm = sample(board_client, page_url, requests=requests, warmup=warmup)
    if dashboard_cache_keys() == 0:
        raise BenchError(
            f"GET {page_url} left nothing in the dashboard cache: the warm figure would be cold."
        )
    director_baseline = sample(director_client, baseline_url, requests=requests, warmup=warmup)
    director = sample(director_client, page_url, requests=requests, warmup=warmup)
    cold = sample_cold(board_client, page_url, requests=cold_requests)
    return DashboardRun(
        board_p95=p95(warm),
        baseline_p95=p95(baseline),
        cold_p95=p95(cold),
        director_p95=p95(director),
        director_baseline_p95=p95(director_baseline),
    )


def raw_incident_aggregate(board: Board, years: list[SchoolYearSpan]) -> list[dict[str, Any]]:
    """What the count table replaces for incidents: the board's incidents in YEARS counted by school,
    month and category straight from the register."""
    return list(
        Incident.objects.filter(board=board, happened_on__range=(min(years).first_day, max(years).last_day))
        .annotate(month=TruncMonth("happened_on"))
        .values("school_id", "month", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _timed_median(call: Callable[[], object], *, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


@dataclass(frozen=True)
class AggregateRun:
    raw_ms: float  # the incidents counted from the register
    count_ms: float  # `read_counts` over the same board and years

    @property
    def ratio(self) -> float:
        return self.raw_ms / self.count_ms


def measure_aggregates(board: Board, years: list[SchoolYearSpan], *, runs: int, warmup: int) -> AggregateRun:
    """One repeat: the median of RUNS evaluations of each (first the raw aggregate, then the count
    table), each after WARMUP unmeasured ones."""
    if not raw_incident_aggregate(board, years):
        raise BenchError("The scale board has no incidents in the dashboard's three school years.")
    raw = _timed_median(lambda: raw_incident_aggregate(board, years), runs=runs, warmup=warmup)
    count = _timed_median(lambda: read_counts(board, years), runs=runs, warmup=warmup)
    return AggregateRun(raw_ms=raw, count_ms=count)
