"""The incident register's exports: the CSV for a spreadsheet and the PDF in the layout of Bijlage 11
("Incidentenregistratie sociale veiligheid": datum, locatie, toelichting voorval, betrokkenen —
melder / betrokkenen — and verwijzing naar bijlage(n)), plus the audit row every export writes.

The rows are always those of `register_selectors.register_rows` for the viewer and the filters, so an
export holds exactly what the register shows that user.

The PDF is made while the user waits, which is acceptable for a register: it is asked for now and
then, not by every user every day, and the register of a school year is tens of rows. It is made by
the letter renderer (`communications.rendering.render_limited`: WeasyPrint in a child process with
CPU, memory and wall-clock limits, with a URL fetcher that serves only LEV's own letter files), and
it is bounded: more than PDF_MAX_ROWS rows is refused with the advice to narrow the filter (about
14 ms of rendering per row was measured on a 2-core machine, so the limit keeps a render well inside
the web server's 60-second timeout). The register's stylesheet is LEV's own file, read from disk and
placed in the HTML, so the fetcher needs no access to anything new.

The version for the medezeggenschapsraad (`audience="mr"`) shows pupils, the reporter and staff
involved by their initials, replaces their names in the description by those initials, leaves out
the free-text "others involved" and the file names of the attachments (only their numbers). Free
text can still hold other names: the PDF asks the reader to check before sharing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lev.schools.models import School
from lev.web.spreadsheet import spreadsheet_cell

from .models import Incident, IncidentCategory, IncidentStatus, PupilRole, Severity
from .register_selectors import RegisterFilters, Scope, choice_labels

Audience = Literal["school", "mr"]
PDF_MAX_ROWS = 1000
# Wall-clock limit for one register PDF, below the web server's 60-second request timeout.
PDF_WALL_SECONDS = 50
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "lev" / "register" / "register-pdf.css"


# --- Initials and names -----------------------------------------------------------------------------


def _word_initials(text: str) -> str:
    """ "de Vries" → "d.V.", "Jansen-Smit" → "J.S."; a lowercase word (a tussenvoegsel) keeps its
    lowercase initial."""
    return "".join(f"{word[0]}." for word in re.split(r"[\s\-]+", text.strip()) if word)


def initials(first_name: str, tussenvoegsel: str, last_name: str) -> str:
    """Initials as LEV writes them for others present: "Anna Jansen" → "A.J.", "Bram de Vries" →
    "B.d.V."."""
    first = f"{first_name.strip()[0].upper()}." if first_name.strip() else ""
    return first + _word_initials(tussenvoegsel) + _word_initials(last_name) or "?"


def pupil_initials(pupil: Any) -> str:
    return initials(pupil.roepnaam, pupil.tussenvoegsel, pupil.achternaam)


def user_initials(user: Any) -> str:
    if not (user.first_name or user.last_name):
        return initials(user.username, "", "")
    return initials(user.first_name, "", user.last_name)


def _name_forms(full: str, *parts: str) -> set[str]:
    forms = {full, *parts}
    # A tussenvoegsel is capitalised at the start of a sentence: "De Vries zei ...".
    forms |= {form[0].upper() + form[1:] for form in forms if form and form[0].islower()}
    return {form for form in forms if len(form) >= 2}


@dataclass(frozen=True)
class Redactor:
    """Replaces known names in free text by initials (the MR version). Longest names first, whole
    words only, so "Anna Jansen" becomes "A.J." and not "A.J. J..."."""

    pattern: re.Pattern[str] | None
    replacements: dict[str, str]

    @classmethod
    def for_people(cls, pupils: Iterable[Any], users: Iterable[Any]) -> Redactor:
        replacements: dict[str, str] = {}
        for pupil in pupils:
            short = pupil_initials(pupil)
            surname = " ".join(p for p in (pupil.tussenvoegsel, pupil.achternaam) if p)
            for form in _name_forms(pupil.full_name, surname, pupil.achternaam, pupil.roepnaam):
                replacements.setdefault(form, short)
        for user in users:
            short = user_initials(user)
            full = " ".join(p for p in (user.first_name, user.last_name) if p)
            for form in _name_forms(full, user.last_name, user.first_name):
                replacements.setdefault(form, short)
        if not replacements:
            return cls(pattern=None, replacements={})
        names = sorted(replacements, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
        return cls(pattern=pattern, replacements=replacements)

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda match: self.replacements[match.group(1)], text)


# --- Rows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Involved:
    name: str
    role: str


@dataclass(frozen=True)
class PrintRow:
    number: str
    happened_on: dt.date
    happened_time: dt.time | None
    location: str
    category: str
    severity: str
    status: str
    description: str
    reporter: str
    pupils: tuple[Involved, ...]
    staff: tuple[str, ...]
    others: str
    attachments: tuple[str, ...]


def print_rows(incidents: Sequence[Incident], *, audience: Audience) -> list[PrintRow]:
    """The rows of the Bijlage 11 PDF. INCIDENTS come from `register_rows(..., for_print=True)`."""
    mr = audience == "mr"
    redact: Redactor | None = None
    if mr:
        redact = Redactor.for_people(
            (inv.pupil for incident in incidents for inv in incident.involvements.all()),
            [
                person
                for incident in incidents
                for person in (incident.reporter, *incident.staff_involved.all())
            ],
        )
    categories, severities = choice_labels(IncidentCategory.choices), choice_labels(Severity.choices)
    statuses, roles = choice_labels(IncidentStatus.choices), choice_labels(PupilRole.choices)
    rows = []
    for incident in incidents:
        attachments = list(incident.attachments.all())
        rows.append(
            PrintRow(
                number=incident.number,
                happened_on=incident.happened_on,
                happened_time=incident.happened_time,
                location=redact(incident.location) if redact else incident.location,
                category=categories.get(incident.category, incident.category),
                severity=severities.get(incident.severity, incident.severity),
                status=statuses.get(incident.status, incident.status),
                description=redact(incident.description) if redact else incident.description,
                reporter=user_initials(incident.reporter) if mr else incident.reporter.display_name,
                pupils=tuple(
                    Involved(
                        name=pupil_initials(inv.pupil) if mr else inv.pupil.full_name,
                        role=roles.get(inv.role, inv.role),
                    )
                    for inv in incident.involvements.all()
                ),
                staff=tuple(
                    user_initials(user) if mr else user.display_name for user in incident.staff_involved.all()
                ),
                others="" if mr else incident.others_involved,
                attachments=tuple(
                    _("Attachment %(number)s") % {"number": n}
                    if mr
                    else f"{n}. {a.original_name}" + (f" — {a.description}" if a.description else "")
                    for n, a in enumerate(attachments, start=1)
                ),
            )
        )
    return rows


# --- CSV --------------------------------------------------------------------------------------------


def register_csv(incidents: Iterable[Incident]) -> tuple[bytes, int]:
    """(the CSV, number of rows): UTF-8 with a byte-order mark and `;` between the cells, as Dutch
    Excel opens it; dates d-m-Y. The columns of the screen, with the time and the description."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Number"),
            _("Date"),
            _("Time"),
            _("Location"),
            _("Category"),
            _("Severity"),
            _("Description of what happened"),
            _("Pupils involved"),
            _("Reported by"),
            _("Status"),
            _("Attachments"),
        ]
    )
    categories, severities = choice_labels(IncidentCategory.choices), choice_labels(Severity.choices)
    statuses, roles = choice_labels(IncidentStatus.choices), choice_labels(PupilRole.choices)
    count = 0
    for incident in incidents:
        pupils = "; ".join(
            f"{inv.pupil.full_name} ({roles.get(inv.role, inv.role)})" for inv in incident.involvements.all()
        )
        writer.writerow(
            [
                spreadsheet_cell(value)
                for value in (
                    incident.number,
                    incident.happened_on.strftime("%d-%m-%Y"),
                    incident.happened_time.strftime("%H:%M") if incident.happened_time else "",
                    incident.location,
                    categories.get(incident.category, incident.category),
                    severities.get(incident.severity, incident.severity),
                    incident.description,
                    pupils,
                    incident.reporter.display_name,
                    statuses.get(incident.status, incident.status),
                    getattr(incident, "attachment_count", 0),
                )
            ]
        )
        count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


# --- PDF --------------------------------------------------------------------------------------------


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def register_pdf_html(
    *,
    school: School,
    rows: Sequence[PrintRow],
    audience: Audience,
    scope: Scope,
    filters: RegisterFilters,
    described: Sequence[tuple[str, str]],
    made_by: str,
    made_on: dt.date,
) -> str:
    """The HTML of the Bijlage 11 PDF (LEV's own template; every value escaped by Django)."""
    first = filters.date_from or (rows[0].happened_on if rows else None)
    last = filters.date_to or (rows[-1].happened_on if rows else None)
    return render_to_string(
        "incidents/pdf/register_bijlage11.html",
        {
            "css": mark_safe(_stylesheet()),  # noqa: S308 — LEV's own stylesheet file
            "school": school,
            "rows": rows,
            "mr": audience == "mr",
            "own": scope == "own",
            "first": first,
            "last": last,
            "described": described,
            "made_by": made_by,
            "made_on": made_on,
        },
    )


def render_register_pdf(html: str) -> bytes:
    """The PDF, made by the limited letter renderer. Raises `communications.rendering.RenderError`."""
    from communications.rendering import render_limited

    return render_limited(html, timeout=PDF_WALL_SECONDS)


# --- Audit ------------------------------------------------------------------------------------------
