"""The Rapportage Meldcode (Bijlage 10; LEGAL.md M9): what the report page shows besides the form,
and the yearly bundle as PDF — for the school and, anonymised, for the board.

The bundle of a school year holds the report of every case that was open during that year (opened
before the year's end and not closed before its start), in case-number order; cases without a report
are listed at the end as "nog geen rapportage". The cover counts the cases opened, the meldingen made
and the cases closed during the year. The school's director and deputy get every case of the school;
a care coordinator the cases they may open (`meldcode.permissions.cases_for`).

The board's version (board members of the school's board only; the board sees no case otherwise)
names no one: the cases are "Casus 1", "Casus 2" in this document only, dates are shown as month and
year, the contact person is left out, and in the free text every name LEV knows — the pupil, the
siblings in the case, their parents, the staff of the school and everyone who worked on the case —
is replaced by "[naam]" (`KnownNames`), and every full date written in it is shown as month and year,
or as "[datum]" without a year (`mask_dates`). A name LEV does not know (a neighbour, a professional
of another organisation) is not LEV's to find, nor are other identifying details (a place, an event):
the report page asks the writer to leave them out and shows the names and dates LEV finds, and the
cover says so. For the same reason the form LEV fills on first use holds no full date and no text
copied from the consultation record, whose names LEV does not know.

The PDF is made while the user waits, like the incident register's (`incidents.register_pdf`): by the
letter renderer (`communications.rendering.render_limited`: WeasyPrint in a child process with CPU,
memory and wall-clock limits), with LEV's own stylesheet read from disk and placed in the HTML. A
school year has tens of cases; more than PDF_MAX_CASES is refused.

The bundle shows each report's latest version (`CaseReportVersion`, insert-only: written by every save
of the report); every export writes one audit event `meldcode_bundle_exported` (school, year, case ids,
audience and the ids of the report versions it shows, so the exported text can be rebuilt) and one
access-log row per case the bundle includes, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lev.accounts.models import User
from lev.audit.services import read, record
from lev.schools.access import AccessContext
from lev.schools.models import PupilGuardian, Role, School, SchoolYear
from lev.schools.permissions import is_board_member

from .domain.steps import Step
from .models import (
    CasePupil,
    CaseReport,
    CaseReportVersion,
    CaseStepRecord,
    MeldcodeCase,
    Melding,
    VeiligThuisAdvice,
)
from .permissions import SCHOOL_WIDE_ROLES, Basis, cases_for
from .services import latest_record

Audience = Literal["school", "board"]
# What a bundle entry shows: the report's latest version, or the report itself where no version was
# kept (a report written straight to the table).
ReportText = CaseReport | CaseReportVersion

# Who gets the school's bundle: the leads see every case, a care coordinator their own (`cases_for`).
BUNDLE_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.CARE_COORDINATOR})
PDF_MAX_CASES = 300
# Wall-clock limit for one bundle PDF, below the web server's 60-second request timeout.
PDF_WALL_SECONDS = 50
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "lev" / "meldcode" / "report-bundle-pdf.css"
SCHOOL_DATE = "d-m-Y"
BOARD_DATE = "F Y"

# The fields of Bijlage 10 the report stores, in the plan's order, with their labels.
FIELD_LABELS = {
    "subject": gettext_lazy("Subject"),
    "description": gettext_lazy("Description"),
    "unrest": gettext_lazy("Social unrest"),
    "involved": gettext_lazy("Those involved (not professionals)"),
    "activities": gettext_lazy("Activities carried out"),
    "informing": gettext_lazy("Informing those involved"),
    "external_consultation": gettext_lazy("External consultation"),
    "bottlenecks": gettext_lazy("Bottlenecks"),
    "remarks": gettext_lazy("Remarks"),
}
# "Melding gedaan" comes after the activities (Bijlage 10); LEV derives it from the case.
BEFORE_MELDING = ("subject", "description", "unrest", "involved", "activities")
AFTER_MELDING = ("informing", "external_consultation", "bottlenecks", "remarks")


def placeholder() -> str:
    """What replaces a name in the board's version."""
    return _("[name]")


def date_placeholder() -> str:
    """What replaces a date without a year in the board's version."""
    return _("[date]")


# --- Names LEV knows ----------------------------------------------------------------------------------


def _parts(text: str) -> list[str]:
    return [part for part in re.split(r"[\s\-]+", text.strip()) if part]


def _person_forms(first_names: Iterable[str], tussenvoegsel: str, surname: str) -> set[str]:
    """The ways a person's name appears in text: each first name, the surname with and without its
    tussenvoegsel, each capitalised part of a double surname, and the full name."""
    firsts = [word for names in first_names for word in _parts(names)]
    surname, tussenvoegsel = surname.strip(), tussenvoegsel.strip()
    forms = set(firsts)
    if surname:
        forms.add(surname)
        forms.update(part for part in _parts(surname) if part[0].isupper())
        if tussenvoegsel:
            forms.add(f"{tussenvoegsel} {surname}")
        for first in firsts[:1]:
            forms.add(" ".join(p for p in (first, tussenvoegsel, surname) if p))
    return forms


def _spaced(form: str) -> str:
    return r"\s+".join(re.escape(word) for word in form.split())


class KnownNames:
    """The names LEV knows for a set of cases, to find them in free text and to replace them.

    Whole words only, longest names first (so "Anna Jansen" is one name, not two). Replacing ignores
    case (a name typed in lower case is still a name); finding, for the writer's check, looks at the
    name as written and capitalised, so ordinary words are not reported as names."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms = sorted({f.strip() for f in forms if len(f.strip()) >= 2}, key=lambda f: (-len(f), f))
        if self.forms:
            alternation = "|".join(_spaced(form) for form in self.forms)
            strict = {form[0].upper() + form[1:] for form in self.forms} | set(self.forms)
            strict_alternation = "|".join(
                _spaced(form) for form in sorted(strict, key=lambda f: (-len(f), f))
            )
            self._any_case: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE
            )
            self._as_written: re.Pattern[str] | None = re.compile(rf"(?<!\w)(?:{strict_alternation})(?!\w)")
        else:
            self._any_case = self._as_written = None

    def replace(self, text: str, replacement: str) -> str:
        if self._any_case is None or not text:
            return text
        replaced = self._any_case.sub(replacement, text)
        # "Anna Jansen" written as two known names becomes one placeholder.
        mark = re.escape(replacement)
        return re.sub(rf"{mark}(?:[ \t]+{mark})+", replacement, replaced)

    def found(self, *texts: str) -> list[str]:
        """The known names written in TEXTS, each once, in the order they first appear."""
        if self._as_written is None:
            return []
        seen: dict[str, None] = {}
        for text in texts:
            for match in self._as_written.finditer(text or ""):
                seen.setdefault(" ".join(match.group(0).split()), None)
        return list(seen)


def known_names(school: School, cases: Sequence[MeldcodeCase]) -> KnownNames:
    """The names LEV knows around CASES of SCHOOL: the pupils and the siblings in the cases, their
    parents, everyone who ever held a role at the school, and the staff who worked on the cases."""
    case_ids = [case.pk for case in cases]
    pupils = {case.pupil_id: case.pupil for case in cases}
    for link in CasePupil.objects.filter(case_id__in=case_ids).select_related("pupil").order_by("id"):
        pupils.setdefault(link.pupil_id, link.pupil)
    forms: set[str] = set()
    for pupil in pupils.values():
        forms |= _person_forms((pupil.roepnaam, pupil.voornamen), pupil.tussenvoegsel, pupil.achternaam)
    for parent in PupilGuardian.objects.filter(pupil_id__in=list(pupils)).select_related("guardian"):
        guardian = parent.guardian
        forms |= _person_forms((guardian.first_name,), guardian.tussenvoegsel, guardian.achternaam)
    user_ids = set(User.objects.filter(memberships__school=school).values_list("pk", flat=True).distinct())
    for case in cases:
        user_ids |= {case.case_manager_id, case.opened_by_id}
        if case.closed_by_id:
            user_ids.add(case.closed_by_id)
    user_ids |= set(CaseReport.objects.filter(case_id__in=case_ids).values_list("written_by_id", flat=True))
    user_ids |= set(CaseStepRecord.objects.filter(case_id__in=case_ids).values_list("author_id", flat=True))
    user_ids |= set(Melding.objects.filter(case_id__in=case_ids).values_list("filed_by_id", flat=True))
    for user in User.objects.filter(pk__in=user_ids):
        forms |= _person_forms((user.first_name,), "", user.last_name)
    return KnownNames(forms)


# --- Dates in free text ------------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
_MONTH = "|".join(sorted(MONTHS, key=lambda m: (-len(m), m)))
# A weekday before a date belongs to it ("maandag 24 april 2026" is one date).
_BEFORE = rf"(?:(?<![^\W\d_]){_WEEKDAY},?\s+)"
DATE_PATTERNS = (
    # 24 april 2026, 24 apr. '26, maandag 24 april, 1e mei
    re.compile(
        rf"{_BEFORE}?(?<!\d)(?P<d>\d{{1,2}})(?:e|ste|de)?\s+(?P<month>{_MONTH})(?![^\W\d_])"
        r"(?:(?<=jan|feb|mrt|apr|jun|jul|aug|sep|ept|okt|nov|dec)\.)?"
        r"(?:\s+(?P<y>\d{4})(?!\d)|\s+'(?P<yy>\d{2})(?!\d))?",
        re.IGNORECASE,
    ),
    # 2026-04-24, 2026/4/24
    re.compile(
        rf"{_BEFORE}?(?<![\d.\-/])(?P<y>\d{{4}})(?P<sep>[-/])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\d)",
        re.IGNORECASE,
    ),
    # 24-04-2026, 24-4-2026, 24/04/2026, 24.04.2026, 24-04-26 (not 1.5.26: a version number)
    re.compile(
        rf"{_BEFORE}?(?<![\d.\-/])(?P<d>\d{{1,2}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)"
        r"(?:(?P<y>\d{4})|(?<!\.)(?P<yy>\d{2}))(?![\d/\-]|\.\d)",
        re.IGNORECASE,
    ),
    # Without a year only where it is plainly a date: after a weekday (maandag 24-4) or with two
    # digits each, one of them a leading zero (24-04, 03-11). "groep 3/4" and "10-12 jaar" are no dates.
    re.compile(rf"{_BEFORE}(?<![\d.\-/])(?P<d>\d{{1,2}})[-/](?P<m>\d{{1,2}})(?![\d/\-]|\.\d)", re.IGNORECASE),
    re.compile(r"(?<![\d.\-/])(?P<d>\d{2})[-/](?P<m>\d{2})(?![\d/\-]|\.\d)"),
)
LEADING_ZERO_ONLY = DATE_PATTERNS[-1]


def _date_parts(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    """Day, month and year (None: not written) of a date-shaped MATCH, or None if it is no date."""
    groups = match.groupdict()
    day = int(groups["d"])
    month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["m"])
    if match.re is LEADING_ZERO_ONLY and not (groups["d"].startswith("0") or groups["m"].startswith("0")):
        return None  # "10-12" is a range
    year = int(groups["y"]) if groups.get("y") else (2000 + int(groups["yy"]) if groups.get("yy") else None)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, year


def _date_matches(text: str) -> list[tuple[re.Match[str], tuple[int, int, int | None]]]:
    """The dates written in TEXT, in order, none overlapping another."""
    found: list[tuple[re.Match[str], tuple[int, int, int | None]]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = _date_parts(match)
            if parts is None or any(
                match.start() < other.end() and other.start() < match.end() for other, _parts in found
            ):
                continue
            found.append((match, parts))
    return sorted(found, key=lambda item: item[0].start())


def mask_dates(text: str) -> str:
    """TEXT with every date written in it shown as month and year ("24-04-2026", "24 april 2026" and
    "maandag 24 april 2026" become "april 2026"), or as "[datum]" when it has no year ("maandag 24
    april", "24-04")."""
    if not text:
        return text
    out, at = [], 0
    for match, (_day, month, year) in _date_matches(text):
        shown = date_placeholder() if year is None else date_format(dt.date(year, month, 1), BOARD_DATE)
        out += [text[at : match.start()], shown]
        at = match.end()
    return "".join(out) + text[at:]


def dates_found(*texts: str) -> list[str]:
    """The dates written in TEXTS, as written, each once, in the order they first appear."""
    seen: dict[str, None] = {}
    for text in texts:
        for match, _parts in _date_matches(text or ""):
            seen.setdefault(" ".join(match.group(0).split()), None)
    return list(seen)


# --- The report page ----------------------------------------------------------------------------------


def melding_text(melded: Sequence[dt.datetime], date_fmt: str = SCHOOL_DATE) -> str:
    """ "Melding gedaan" (Bijlage 10), derived from the case's meldingen."""
    if not melded:
        return _("No")
    days = ", ".join(date_format(timezone.localtime(at).date(), date_fmt) for at in melded)
    return _("Yes, at Veilig Thuis: %(dates)s") % {"dates": days}


def report_initial(case: MeldcodeCase, report: CaseReport | None, today: dt.date) -> dict[str, Any]:
    """The form's values: the report as saved, or on first use what the case already says — why the
    case was opened, the help organised, in which month the parents were informed of a melding (or
    that they were not), and whether Veilig Thuis was asked for advice. No full date: the text copied
    from the case shows its dates as month and year. Whom step 2 consulted is not copied: that record
    names people and dates LEV does not know, and the writer words it for the report. The subject
    stays empty: the writer names it."""
    if report is not None:
        return {"report_on": report.report_on, **{field: getattr(report, field) for field in FIELD_LABELS}}
    help_lines = []
    for row in case.help_records.select_related("partner").order_by("starts_on", "id"):
        partner = row.partner.organisation if row.partner is not None else row.partner_other
        help_lines.append(f"- {mask_dates(row.description)} ({partner})")
    informing = []
    for melding in case.meldingen.order_by("melded_at", "id"):
        if melding.parents_informed_on is not None:
            informing.append(
                _("The parents were informed of the melding in %(month)s.")
                % {"month": date_format(melding.parents_informed_on, BOARD_DATE)}
            )
        else:
            informing.append(_("The parents were not informed of the melding; the case records why."))
    consultation = []
    step2 = latest_record(case, Step.CONSULTATION)
    if step2 is not None and step2.veilig_thuis_advice in (
        VeiligThuisAdvice.NAMED,
        VeiligThuisAdvice.ANONYMOUS,
    ):
        consultation.append(
            _("Veilig Thuis: %(advice)s") % {"advice": VeiligThuisAdvice(step2.veilig_thuis_advice).label}
        )
    return {
        "report_on": today,
        "subject": "",
        "description": mask_dates(case.reason),
        "activities": "\n".join(help_lines),
        "informing": "\n".join(informing),
        "external_consultation": "\n".join(consultation),
    }


def report_names_found(case: MeldcodeCase, report: CaseReport | None) -> list[str]:
    """The names LEV knows that the saved report's text mentions (the writer's check)."""
    if report is None:
        return []
    return known_names(case.school, [case]).found(*(getattr(report, field) for field in FIELD_LABELS))


def report_dates_found(report: CaseReport | None) -> list[str]:
    """The full dates the saved report's text mentions (the writer's check: the board's version shows
    them as month and year)."""
    if report is None:
        return []
    return dates_found(*(getattr(report, field) for field in FIELD_LABELS))


def earlier_versions(case: MeldcodeCase) -> list[CaseReportVersion]:
    """The versions of the case's report before the current one, the oldest first."""
    versions = list(CaseReportVersion.objects.filter(case=case).select_related("written_by").order_by("id"))
    return versions[:-1]


# --- Who may have which bundle --------------------------------------------------------------------------


def bundle_schools(ctx: AccessContext) -> list[School]:
    """The schools whose bundle the user makes: director, deputy or care coordinator there today."""
    return [school for school in ctx.schools if ctx.roles_at(school) & BUNDLE_ROLES]


def bundle_school(ctx: AccessContext, school_id: int) -> School:
    school = next((s for s in bundle_schools(ctx) if s.pk == school_id), None)
    if school is None:
        raise Http404
    return school


def board_bundle_schools(ctx: AccessContext, day: dt.date) -> list[School]:
    """The schools of the boards the user is a board member of."""
    board_ids = [board.pk for board in ctx.boards if is_board_member(ctx.user, board.pk, day)]
    return list(School.objects.filter(board_id__in=board_ids).select_related("board").order_by("name", "pk"))


def board_bundle_school(ctx: AccessContext, school_id: int, day: dt.date) -> School:
    school = School.objects.select_related("board").filter(pk=school_id).first()
    if school is None or not is_board_member(ctx.user, school.board_id, day):
        raise Http404
    return school


def bundle_years(school: School, day: dt.date) -> list[SchoolYear]:
    """The school years of the school's board that have begun, the latest first."""
    return list(
        SchoolYear.objects.filter(board_id=school.board_id, starts_on__lte=day).order_by("-starts_on")
    )


def bundle_year(school: School, year_id: int) -> SchoolYear:
    year = SchoolYear.objects.filter(pk=year_id, board_id=school.board_id).first()
    if year is None:
        raise Http404
    return year


def year_bounds(year: SchoolYear) -> tuple[dt.datetime, dt.datetime]:
    """The school year as instants: from the start of its first day to the start of the day after."""
    start = timezone.make_aware(dt.datetime.combine(year.starts_on, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(year.ends_on + dt.timedelta(days=1), dt.time.min))
    return start, end


def _number_key(case: MeldcodeCase) -> tuple[Any, ...]:
    """Case-number order: "MC-2026-010" after "MC-2026-009" (numbers compared as numbers)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", case.number)) + (case.pk,)


def bundle_cases(
    ctx: AccessContext, school: School, year: SchoolYear, *, audience: Audience
) -> list[MeldcodeCase]:
    """The cases of SCHOOL open during YEAR, in case-number order: for the school, those the user may
    open; for the board, all of them."""
    start, end = year_bounds(year)
    cases = MeldcodeCase.objects.filter(school=school, opened_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
    if audience == "school":
        cases = cases.filter(pk__in=cases_for(ctx).values("pk"))
    cases = cases.select_related("school", "pupil", "case_manager", "report").prefetch_related("meldingen")
    return sorted(cases, key=_number_key)


# --- The bundle -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleCounts:
    opened: int
    meldingen: int
    closed: int


@dataclass(frozen=True)
class BundleRow:
    label: str
    text: str


@dataclass(frozen=True)
class BundleEntry:
    heading: str
    period: str
    rows: tuple[BundleRow, ...]  # empty: no report yet

    @property
    def has_report(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class BundleDocument:
    html: str
    cases: list[MeldcodeCase]
    entries: list[BundleEntry]
    counts: BundleCounts
    versions: list[int]  # the report versions shown, in the document's order


def bundle_counts(cases: Sequence[MeldcodeCase], year: SchoolYear) -> BundleCounts:
    start, end = year_bounds(year)
    return BundleCounts(
        opened=sum(1 for case in cases if start <= case.opened_at < end),
        meldingen=sum(1 for case in cases for m in case.meldingen.all() if start <= m.melded_at < end),
        closed=sum(1 for case in cases if case.closed_at is not None and start <= case.closed_at < end),
    )


def _report(case: MeldcodeCase) -> CaseReport | None:
    try:
        return case.report
    except CaseReport.DoesNotExist:
        return None


def bundle_reports(cases: Sequence[MeldcodeCase]) -> dict[int, ReportText]:
    """Per case with a report, what the bundle shows: the report's latest version (the highest id:
    versions are only inserted), or the report itself where no version was kept."""
    latest = {
        version.case_id: version
        for version in CaseReportVersion.objects.filter(case_id__in=[case.pk for case in cases])
        .order_by("case_id", "-id")
        .distinct("case_id")
    }
    reports: dict[int, ReportText] = {}
    for case in cases:
        report = _report(case)
        if report is not None:
            reports[case.pk] = latest.get(case.pk, report)
    return reports


def _period(case: MeldcodeCase, date_fmt: str) -> str:
    opened = date_format(timezone.localtime(case.opened_at).date(), date_fmt)
    if case.closed_at is None:
        return _("Opened %(opened)s; still open") % {"opened": opened}
    closed = date_format(timezone.localtime(case.closed_at).date(), date_fmt)
    return _("Opened %(opened)s; closed %(closed)s") % {"opened": opened, "closed": closed}


def bundle_entries(
    cases: Sequence[MeldcodeCase],
    *,
    audience: Audience,
    names: KnownNames | None = None,
    reports: Mapping[int, ReportText] | None = None,
) -> list[BundleEntry]:
    """One entry per case, the Bijlage 10 table in its order; cases with a report first (in
    case-number order), then those without. REPORTS: what to show per case (`bundle_reports`). The
    board's version needs NAMES (`known_names`); its free text has the names replaced and the dates
    shown as month and year (`mask_dates`)."""
    board = audience == "board"
    if board and names is None:
        raise ValueError("The board's version needs the names to replace.")
    if reports is None:
        reports = bundle_reports(cases)
    date_fmt = BOARD_DATE if board else SCHOOL_DATE
    mask = placeholder()

    def text(value: str) -> str:
        # Dates first: a month's name that is also someone's name ("April") leaves no day behind.
        return names.replace(mask_dates(value), mask) if board and names is not None else value

    ordered = [c for c in cases if c.pk in reports] + [c for c in cases if c.pk not in reports]
    entries = []
    for number, case in enumerate(ordered, start=1):
        report = reports.get(case.pk)
        rows: list[BundleRow] = []
        if report is not None:
            melded = [melding.melded_at for melding in case.meldingen.all()]
            rows = [
                BundleRow(str(_("Date")), date_format(report.report_on, date_fmt)),
                BundleRow(str(_("Contact person")), mask if board else case.case_manager.display_name),
                *(BundleRow(str(FIELD_LABELS[f]), text(getattr(report, f))) for f in BEFORE_MELDING),
                BundleRow(str(_("Melding made")), melding_text(melded, date_fmt)),
                *(BundleRow(str(FIELD_LABELS[f]), text(getattr(report, f))) for f in AFTER_MELDING),
            ]
        entries.append(
            BundleEntry(
                heading=_("Case %(number)s") % {"number": number}
                if board
                else f"{case.number} — {case.pupil.full_name}",
                period=_period(case, date_fmt),
                rows=tuple(rows),
            )
        )
    return entries


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def bundle_document(
    ctx: AccessContext,
    school: School,
    year: SchoolYear,
    *,
    audience: Audience,
    made_on: dt.date,
    cases: Sequence[MeldcodeCase] | None = None,
) -> BundleDocument:
    """The bundle's HTML (LEV's own template; every value escaped by Django), with the cases it holds."""
    cases = list(cases if cases is not None else bundle_cases(ctx, school, year, audience=audience))
    board = audience == "board"
    reports = bundle_reports(cases)
    entries = bundle_entries(
        cases, audience=audience, names=known_names(school, cases) if board else None, reports=reports
    )
    counts = bundle_counts(cases, year)
    html = render_to_string(
        "meldcode/report_bundle_pdf.html",
        {
            "css": mark_safe(_stylesheet()),  # noqa: S308 — LEV's own stylesheet file
            "school": school,
            "year": year,
            "board": board,
            "own": not board and not (ctx.roles_at(school) & SCHOOL_WIDE_ROLES),
            "counts": counts,
            "with_report": [entry for entry in entries if entry.has_report],
            "without_report": [entry for entry in entries if not entry.has_report],
            "made_by": "" if board else getattr(ctx.user, "display_name", ""),
            "made_on": made_on,
            "placeholder": placeholder(),
        },
    )
    versions = [report.pk for case in cases if isinstance(report := reports.get(case.pk), CaseReportVersion)]
    return BundleDocument(html=html, cases=cases, entries=entries, counts=counts, versions=versions)


def render_bundle_pdf(html: str) -> bytes:
    """The PDF, made by the limited letter renderer. Raises `communications.rendering.RenderError`."""
    from communications.rendering import render_limited

    return render_limited(html, timeout=PDF_WALL_SECONDS)


def bundle_filename(school: School, year: SchoolYear, audience: Audience) -> str:
    brin = re.sub(r"[^0-9A-Za-z]", "", school.brin)
    name = re.sub(r"[^0-9A-Za-z-]", "", year.name)
    suffix = "-bestuur" if audience == "board" else ""
    return f"rapportage-meldcode-{brin}-{name}{suffix}.pdf"


# --- Audit ----------------------------------------------------------------------------------------------


def _basis_for(ctx: AccessContext, case: MeldcodeCase) -> str:
    """Why the user reads CASE in the school's bundle (as `access_basis` words it; `cases_for`
    already decided that they may)."""
    if case.case_manager_id == ctx.user.pk:
        return str(Basis.CASE_MANAGER)
    if ctx.roles_at(case.school_id) & SCHOOL_WIDE_ROLES:
        return str(Basis.SCHOOL_LEAD)
    if case.school.meldcode_final_responsible_id == ctx.user.pk:
        return str(Basis.FINAL_RESPONSIBLE)
    return str(Basis.GRANTED)


def bundle_export_record(
    *,
    ctx: AccessContext,
    school: School,
    year: SchoolYear,
    cases: Sequence[MeldcodeCase],
    audience: Audience,
    now: dt.datetime,
    versions: Sequence[int],
) -> None:
    """The audit event of an export and one access-log row per case it includes (ids only). VERSIONS:
    the ids of the report versions the bundle shows (`BundleDocument.versions`)."""
    reason = f"Jaarbundel Rapportage Meldcode {year.name}" + (
        " (bestuursversie)" if audience == "board" else ""
    )
    with transaction.atomic():
        record(
            "meldcode_bundle_exported",
            actor=ctx.user,
            board=school.board,
            obj=school,
            summary={
                "school": school.pk,
                "year": year.pk,
                "audience": audience,
                "cases": [case.pk for case in cases],
                "report_versions": list(versions),
            },
            now=now,
        )
        for case in cases:
            read(
                user=ctx.user,
                obj=case,
                school=school,
                pupil_id=case.pupil_id,
                role=str(Role.BOARD) if audience == "board" else _basis_for(ctx, case),
                reason=reason,
                now=now,
            )
