"""Comparing an export with the database (the preview) and writing it (the apply).

One school per import. The pupil-administration number is the key: a row whose number is known
updates that pupil, an unknown number creates one, and a currently enrolled pupil missing from the
file is *marked as left* — provisionally, with the import date, until someone confirms the date.

Everything is read up front into dictionaries and written with bulk operations, so the number of
queries does not grow with the number of rows. `import_apply` is all-or-nothing: any row error, a
changed file or an unconfirmed leaving count refuses the whole import before anything is written.
Re-importing the same file writes nothing at all.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lev.audit.services import record

from ..models import (
    Enrolment,
    GroupPlacement,
    Guardian,
    Pupil,
    PupilGuardian,
    School,
    SchoolGroup,
    SchoolYear,
)
from .domain import ParentRow, ParsedFile, PupilRow, RowError, grades_from_group_name, parse, strip_accents

BATCH_SIZE = 1000

CHANGE_LABELS: dict[str, Promise] = {
    "roepnaam": gettext_lazy("first name"),
    "voornamen": gettext_lazy("given names"),
    "tussenvoegsel": gettext_lazy("tussenvoegsel"),
    "achternaam": gettext_lazy("surname"),
    "date_of_birth": gettext_lazy("date of birth"),
    "enrolled_on": gettext_lazy("enrolment date"),
    "returned": gettext_lazy("no longer marked as left"),
    "re_enrolled": gettext_lazy("enrolled again"),
    "group": gettext_lazy("group"),
    "parents": gettext_lazy("parents"),
}


class ImportRefused(Exception):
    """The import was not applied; nothing was written. `preview` shows why."""

    def __init__(self, message: str, preview: ImportPreview | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.preview = preview


@dataclass(frozen=True)
class PupilChange:
    line: int
    admin_number: str
    name: str
    group: str
    fields: tuple[str, ...] = ()

    @property
    def field_labels(self) -> list[str]:
        return [str(CHANGE_LABELS[f]) for f in self.fields]


@dataclass(frozen=True)
class LeavingPupil:
    pupil_id: int
    admin_number: str
    name: str
    groups: str
    enrolled_on: date


@dataclass
class ImportPreview:
    school: School
    school_year: SchoolYear
    filename: str
    sha256: str
    today: date
    parsed: ParsedFile
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: list[PupilChange] = field(default_factory=list)
    updated: list[PupilChange] = field(default_factory=list)
    unchanged: list[PupilChange] = field(default_factory=list)
    leaving: list[LeavingPupil] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    guardians_created: int = 0
    guardians_updated: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_removed: int = 0
    placements_opened: int = 0
    placements_ended: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def left_count(self) -> int:
        return len(self.leaving)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(e.messages) for e in self.errors)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.leaving
            or self.groups_created
            or self.guardians_created
            or self.guardians_updated
            or self.links_created
            or self.links_updated
            or self.links_removed
            or self.placements_opened
            or self.placements_ended
        )


@dataclass(frozen=True)
class ImportResult:
    school_id: int
    school_year_id: int
    sha256: str
    pupils_created: int
    pupils_updated: int
    pupils_unchanged: int
    pupils_marked_left: int
    groups_created: int
    guardians_created: int
    guardians_updated: int
    links_created: int
    links_updated: int
    links_removed: int
    placements_opened: int
    placements_ended: int

    @property
    def changed(self) -> bool:
        return any(
            getattr(self, name)
            for name in (
                "pupils_created",
                "pupils_updated",
                "pupils_marked_left",
                "groups_created",
                "guardians_created",
                "guardians_updated",
                "links_created",
                "links_updated",
                "links_removed",
                "placements_opened",
                "placements_ended",
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Writes:
    new_groups: list[SchoolGroup] = field(default_factory=list)
    new_pupils: list[Pupil] = field(default_factory=list)
    changed_pupils: list[Pupil] = field(default_factory=list)
    pupil_fields: set[str] = field(default_factory=set)
    new_enrolments: list[Enrolment] = field(default_factory=list)
    changed_enrolments: list[Enrolment] = field(default_factory=list)
    new_guardians: list[Guardian] = field(default_factory=list)
    changed_guardians: list[Guardian] = field(default_factory=list)
    guardian_fields: set[str] = field(default_factory=set)
    new_links: list[PupilGuardian] = field(default_factory=list)
    changed_links: list[PupilGuardian] = field(default_factory=list)
    removed_link_ids: list[int] = field(default_factory=list)
    new_placements: list[GroupPlacement] = field(default_factory=list)
    changed_placements: list[GroupPlacement] = field(default_factory=list)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Planning: what the file would change ----------------------------------------------------------


class _Planner:
    """Compares the parsed rows with the school's current data, loaded once into dictionaries."""

    def __init__(
        self, school: School, school_year: SchoolYear, parsed: ParsedFile, today: date, warnings: list[str]
    ) -> None:
        self.school = school
        self.warnings = warnings
        self.year = school_year
        self.parsed = parsed
        self.today = today
        self.writes = _Writes()
        self.row_errors: dict[int, list[str]] = defaultdict(list)
        self.admin_numbers: dict[int, str] = {}
        self.groups = {
            g.name.casefold(): g for g in SchoolGroup.objects.filter(school=school, school_year=school_year)
        }
        self.pupils = {p.admin_number: p for p in Pupil.objects.filter(school=school)}
        self.enrolments: dict[int, list[Enrolment]] = defaultdict(list)
        for enrolment in Enrolment.objects.filter(school=school).order_by("pupil_id", "-enrolled_on", "-id"):
            self.enrolments[enrolment.pupil_id].append(enrolment)
        # Placements that are open or end within this school year: older ones cannot matter.
        self.placements: dict[int, list[GroupPlacement]] = defaultdict(list)
        recent = GroupPlacement.objects.filter(school=school).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=school_year.starts_on)
        )
        for placement in recent.select_related("group__school_year").order_by("pupil_id", "starts_on", "id"):
            self.placements[placement.pupil_id].append(placement)
        self.guardians = {g.external_key: g for g in Guardian.objects.filter(school=school)}
        self.guardian_keys = {g.pk: g.external_key for g in self.guardians.values()}
        self.links: dict[int, dict[int, PupilGuardian]] = defaultdict(dict)
        for link in PupilGuardian.objects.filter(school=school):
            self.links[link.pupil_id][link.guardian_id] = link
        # Guardians met earlier in this file: key -> (line, values as first seen).
        self.seen_guardians: dict[str, tuple[int, dict[str, object]]] = {}
        self.changed_guardian_ids: set[int] = set()
        self.has_parent_columns = bool(parsed.parent_columns)

    def error(self, row: PupilRow, message: str) -> None:
        self.row_errors[row.line].append(message)
        self.admin_numbers[row.line] = row.admin_number

    # -- groups

    def group_for(self, name: str) -> SchoolGroup:
        group = self.groups.get(name.casefold())
        if group is None:
            group = SchoolGroup(
                board_id=self.school.board_id,
                school_id=self.school.pk,
                school_year_id=self.year.pk,
                name=name,
                grades=grades_from_group_name(name),
            )
            self.groups[name.casefold()] = group
            self.writes.new_groups.append(group)
        return group

    # -- one row

    def plan_row(self, row: PupilRow, preview: ImportPreview) -> None:
        pupil = self.pupils.get(row.admin_number)
        changes: list[str] = []
        created = pupil is None
        if pupil is None:
            pupil = Pupil(
                board_id=self.school.board_id,
                school_id=self.school.pk,
                admin_number=row.admin_number,
                roepnaam=row.roepnaam,
                voornamen=row.voornamen,
                tussenvoegsel=row.tussenvoegsel,
                achternaam=row.achternaam,
                date_of_birth=row.date_of_birth,
            )
        else:
            changes.extend(self._pupil_changes(pupil, row))
        enrolled_from, enrolment_change = self._plan_enrolment(pupil, row, created)
        if enrolment_change is None:  # an error was recorded
            return
        if enrolment_change:
            changes.append(enrolment_change)
        group = self.group_for(row.group)
        if self._plan_placement(pupil, row, group, enrolled_from):
            changes.append("group")
        if self._plan_parents(pupil, row):
            changes.append("parents")
        if self.row_errors.get(row.line):
            return
        if created:
            self.writes.new_pupils.append(pupil)
        elif {"roepnaam", "voornamen", "tussenvoegsel", "achternaam", "date_of_birth"} & set(changes):
            self.writes.changed_pupils.append(pupil)
        summary = PupilChange(
            line=row.line,
            admin_number=row.admin_number,
            name=pupil.sort_name,
            group=row.group,
            fields=tuple(changes),
        )
        if created:
            preview.created.append(summary)
        elif changes:
            preview.updated.append(summary)
        else:
            preview.unchanged.append(summary)

    def _pupil_changes(self, pupil: Pupil, row: PupilRow) -> list[str]:
        changes = []
        # A column the file lacks leaves the field alone (a roepnaam taken from the given names
        # only fills a new pupil's record).
        compared = ["achternaam", "date_of_birth"]
        compared += [
            name for name in ("roepnaam", "voornamen", "tussenvoegsel") if self.parsed.provides(name)
        ]
        for name in compared:
            value = getattr(row, name)
            if getattr(pupil, name) != value:
                setattr(pupil, name, value)
                changes.append(name)
                self.writes.pupil_fields.add(name)
        return changes

    def _default_enrolment_date(self) -> date:
        return min(self.year.starts_on, self.today)

    def _plan_enrolment(self, pupil: Pupil, row: PupilRow, created: bool) -> tuple[date, str | None]:
        """(the date the pupil counts as enrolled from, the change code or "" for none).

        Returns (…, None) after recording a row error.
        """
        enrolments = [] if created else self.enrolments.get(pupil.pk, [])
        current = next((e for e in enrolments if e.left_on is None), None)
        latest = enrolments[0] if enrolments else None
        wanted = row.enrolled_on
        if wanted is not None and wanted > self.year.ends_on:
            self.error(
                row,
                _("The enrolment date %(date)s lies after the end of school year %(year)s.")
                % {"date": wanted.strftime("%d-%m-%Y"), "year": self.year.name},
            )
            return self.today, None
        if current is not None:
            if wanted is not None and wanted != current.enrolled_on:
                current.enrolled_on = wanted
                self.writes.changed_enrolments.append(current)
                return wanted, "enrolled_on"
            return current.enrolled_on, ""
        if latest is not None and latest.left_on is not None and not latest.left_confirmed:
            # Marked as left by an earlier import, but the administration still has the pupil.
            latest.left_on = None
            change = "returned"
            if wanted is not None and wanted != latest.enrolled_on:
                latest.enrolled_on = wanted
            self.writes.changed_enrolments.append(latest)
            return latest.enrolled_on, change
        if latest is not None and latest.left_on is not None and latest.left_on >= self.today:
            # A confirmed leaving date still to come: the pupil is rightly still in the file.
            return latest.enrolled_on, ""
        if latest is not None and latest.left_on is not None:
            start = wanted if wanted is not None and wanted > latest.left_on else self.today
            self.writes.new_enrolments.append(self._enrolment(pupil, start))
            return start, "re_enrolled"
        start = wanted or self._default_enrolment_date()
        self.writes.new_enrolments.append(self._enrolment(pupil, start))
        return start, ""

    def _enrolment(self, pupil: Pupil, enrolled_on: date) -> Enrolment:
        return Enrolment(
            board_id=self.school.board_id, school_id=self.school.pk, pupil=pupil, enrolled_on=enrolled_on
        )

    def _plan_placement(self, pupil: Pupil, row: PupilRow, group: SchoolGroup, enrolled_from: date) -> bool:
        """Place the pupil in `group` on the date the file describes: today, or the first day of a
        school year that has not started yet. A move ends the old placement the day before."""
        placements = self.placements.get(pupil.pk, []) if pupil.pk else []
        reference = max(self.today, self.year.starts_on)
        covering = [
            p
            for p in placements
            if p.starts_on <= reference and (p.ends_on is None or p.ends_on >= reference)
        ]
        if any(self._in_group(p, group) for p in covering):
            others = [p for p in covering if not self._in_group(p, group)]
            for placement in others:
                placement.ends_on = max(reference - timedelta(days=1), placement.starts_on)
                self.writes.changed_placements.append(placement)
            return bool(others)
        if covering:
            # A move. Leaving last year's group starts the new group on the first day of this year.
            earlier_years_only = all(
                p.group.school_year.starts_on < self.year.starts_on for p in covering if p.group.pk
            )
            start = self.year.starts_on if earlier_years_only else reference
            corrected = False
            for placement in covering:
                if placement.starts_on < start:
                    placement.ends_on = start - timedelta(days=1)
                elif not corrected:
                    # Placed on the move date itself (an earlier import today, or ahead of the year):
                    # the administration corrected the group, so the placement is corrected too.
                    placement.group = group
                    corrected = True
                else:
                    placement.ends_on = placement.starts_on
                self.writes.changed_placements.append(placement)
            if corrected:
                return True
        else:
            start = max(self.year.starts_on, enrolled_from)
            for placement in placements:
                if placement.ends_on is not None and start <= placement.ends_on < reference:
                    start = placement.ends_on + timedelta(days=1)
        if start > self.year.ends_on:
            self.error(
                row,
                _(
                    "The pupil cannot be placed in group %(group)s from %(date)s: school year %(year)s ends before then."
                )
                % {"group": row.group, "year": self.year.name, "date": start.strftime("%d-%m-%Y")},
            )
            return False
        later = [p.starts_on for p in placements if p.starts_on > max(start, reference)]
        new = self._placement(pupil, group, start)
        if later:
            # A placement for a later school year exists already: this one ends the day before it.
            new.ends_on = min(later) - timedelta(days=1)
        self.writes.new_placements.append(new)
        return True

    @staticmethod
    def _in_group(placement: GroupPlacement, group: SchoolGroup) -> bool:
        return placement.group is group or (group.pk is not None and placement.group_id == group.pk)

    def _placement(self, pupil: Pupil, group: SchoolGroup, starts_on: date) -> GroupPlacement:
        return GroupPlacement(
            board_id=self.school.board_id,
            school_id=self.school.pk,
            pupil=pupil,
            group=group,
            starts_on=starts_on,
        )

    def _plan_parents(self, pupil: Pupil, row: PupilRow) -> bool:
        if not self.has_parent_columns:
            return False
        changed = False
        linked: set[str] = set()
        for parent in row.parents:
            guardian, guardian_changed = self._guardian_for(parent, row)
            if guardian is None:
                continue
            changed = changed or guardian_changed
            linked.add(parent.key)
            link = self.links.get(pupil.pk, {}).get(guardian.pk) if pupil.pk and guardian.pk else None
            if link is None:
                self.writes.new_links.append(
                    PupilGuardian(
                        board_id=self.school.board_id,
                        school_id=self.school.pk,
                        pupil=pupil,
                        guardian=guardian,
                        relation=parent.relation,
                        has_gezag=parent.has_gezag,
                        receives_mail=True if parent.receives_mail is None else parent.receives_mail,
                    )
                )
                changed = True
                continue
            link_changed = False
            values: dict[str, object] = {"relation": parent.relation, "has_gezag": parent.has_gezag}
            if parent.receives_mail is not None:
                values["receives_mail"] = parent.receives_mail
            for name, value in values.items():
                if getattr(link, name) != value:
                    setattr(link, name, value)
                    link_changed = True
            if link_changed:
                self.writes.changed_links.append(link)
                changed = True
        if pupil.pk:
            for guardian_id, link in self.links.get(pupil.pk, {}).items():
                if self.guardian_keys.get(guardian_id) in linked:
                    continue
                if link.contact_restriction.strip():
                    self.warnings.append(
                        _(
                            "Line %(line)s: a parent who is no longer in the file stays linked to pupil "
                            "%(number)s because LEV records a contact restriction for them. Check this by hand."
                        )
                        % {"line": row.line, "number": row.admin_number}
                    )
                    continue
                self.writes.removed_link_ids.append(link.pk)
                changed = True
        return changed

    def _guardian_for(self, parent: ParentRow, row: PupilRow) -> tuple[Guardian | None, bool]:
        values = parent.guardian_values()
        earlier = self.seen_guardians.get(parent.key)
        guardian = self.guardians.get(parent.key)
        if earlier is not None and guardian is not None:
            line, first_values = earlier
            conflicts = [
                name
                for name, value in values.items()
                if value not in ("", None)
                and first_values.get(name) not in ("", None)
                and first_values.get(name) != value
            ]
            if conflicts:
                self.error(
                    row,
                    _(
                        "Parent %(slot)s is the same parent as on line %(line)s but with a different "
                        "%(fields)s; the pupil administration should give one parent one set of details."
                    )
                    % {"slot": parent.slot, "line": line, "fields": ", ".join(_field_labels(conflicts))},
                )
                return None, False
            filled = False
            for name, value in values.items():
                if value not in ("", None) and first_values.get(name) in ("", None):
                    first_values[name] = value
                    if getattr(guardian, name) != value:
                        setattr(guardian, name, value)
                        filled = True
            if filled and guardian.pk and guardian.pk not in self.changed_guardian_ids:
                self.changed_guardian_ids.add(guardian.pk)
                self.writes.changed_guardians.append(guardian)
            if filled:
                self.writes.guardian_fields.update(values)
            return guardian, filled
        if guardian is None:
            guardian = Guardian(
                board_id=self.school.board_id, school_id=self.school.pk, external_key=parent.key
            )
            for name, value in values.items():
                setattr(guardian, name, value)
            self.guardians[parent.key] = guardian
            self.seen_guardians[parent.key] = (row.line, dict(values))
            self.writes.new_guardians.append(guardian)
            return guardian, True
        self.seen_guardians[parent.key] = (row.line, dict(values))
        changed = False
        for name, value in values.items():
            if value is None:
                continue
            if getattr(guardian, name) != value:
                setattr(guardian, name, value)
                self.writes.guardian_fields.add(name)
                changed = True
        if changed:
            self.changed_guardian_ids.add(guardian.pk)
            self.writes.changed_guardians.append(guardian)
        return guardian, changed

    # -- the pupils that are not in the file

    def plan_leaving(self, preview: ImportPreview) -> list[Enrolment]:
        in_file = {row.admin_number for row in self.parsed.rows}
        in_file.update(e.admin_number for e in self.parsed.errors if e.admin_number)
        leaving: list[Enrolment] = []
        by_id = {p.pk: p for p in self.pupils.values()}
        for pupil_id, enrolments in self.enrolments.items():
            pupil = by_id.get(pupil_id)
            if pupil is None or pupil.admin_number in in_file:
                continue
            current = next((e for e in enrolments if e.left_on is None), None)
            if current is None:
                continue
            current.left_on = max(self.today, current.enrolled_on)
            current.left_confirmed = False
            leaving.append(current)
            groups = ", ".join(p.group.name for p in self.placements.get(pupil_id, []) if p.ends_on is None)
            preview.leaving.append(
                LeavingPupil(
                    pupil_id=pupil_id,
                    admin_number=pupil.admin_number,
                    name=pupil.sort_name,
                    groups=groups,
                    enrolled_on=current.enrolled_on,
                )
            )
        preview.leaving.sort(key=lambda p: (strip_accents(p.name).casefold(), p.admin_number))
        return leaving


@dataclass
class _Plan:
    preview: ImportPreview
    writes: _Writes
    leaving: list[Enrolment]


def _plan(*, school: School, school_year: SchoolYear, data: bytes, filename: str, today: date) -> _Plan:
    if school_year.board_id != school.board_id:
        raise ValueError("The school year belongs to another board.")
    parsed = parse(data, today=today)
    preview = ImportPreview(
        school=school,
        school_year=school_year,
        filename=filename,
        sha256=file_sha256(data),
        today=today,
        parsed=parsed,
        file_errors=list(parsed.file_errors),
        errors=list(parsed.errors),
    )
    if school_year.ends_on < today:
        preview.file_errors.append(
            _("School year %(year)s has ended; choose a current or coming school year.")
            % {"year": school_year.name}
        )
    if preview.file_errors:
        return _Plan(preview=preview, writes=_Writes(), leaving=[])
    planner = _Planner(school, school_year, parsed, today, preview.warnings)
    for row in parsed.rows:
        planner.plan_row(row, preview)
    for line, messages in planner.row_errors.items():
        preview.errors.append(
            RowError(line=line, admin_number=planner.admin_numbers[line], messages=messages)
        )
    preview.errors.sort(key=lambda e: e.line)
    leaving = planner.plan_leaving(preview)
    writes = planner.writes
    preview.groups_created = sorted((g.name for g in writes.new_groups), key=str.casefold)
    preview.guardians_created = len(writes.new_guardians)
    preview.guardians_updated = len(writes.changed_guardians)
    preview.links_created = len(writes.new_links)
    preview.links_updated = len(writes.changed_links)
    preview.links_removed = len(writes.removed_link_ids)
    preview.placements_opened = len(writes.new_placements)
    preview.placements_ended = sum(1 for p in writes.changed_placements if p.ends_on is not None)
    return _Plan(preview=preview, writes=writes, leaving=leaving)


def import_preview(
    *, school: School, school_year: SchoolYear, data: bytes, filename: str, today: date | None = None
) -> ImportPreview:
    """What importing `data` into `school` for `school_year` would do. Writes nothing."""
    return _plan(
        school=school,
        school_year=school_year,
        data=data,
        filename=filename,
        today=today or timezone.localdate(),
    ).preview


# --- Applying ----------------------------------------------------------------------------------------


def _execute(plan: _Plan, now: datetime) -> None:
    w = plan.writes
    SchoolGroup.objects.bulk_create(w.new_groups, batch_size=BATCH_SIZE)
    Pupil.objects.bulk_create(w.new_pupils, batch_size=BATCH_SIZE)
    if w.changed_pupils:
        for pupil in w.changed_pupils:
            pupil.updated_at = now
        Pupil.objects.bulk_update(
            w.changed_pupils, [*sorted(w.pupil_fields), "updated_at"], batch_size=BATCH_SIZE
        )
    Enrolment.objects.bulk_create(w.new_enrolments, batch_size=BATCH_SIZE)
    changed_enrolments = w.changed_enrolments + plan.leaving
    if changed_enrolments:
        Enrolment.objects.bulk_update(
            changed_enrolments, ["enrolled_on", "left_on", "left_confirmed"], batch_size=BATCH_SIZE
        )
    Guardian.objects.bulk_create(w.new_guardians, batch_size=BATCH_SIZE)
    if w.changed_guardians:
        Guardian.objects.bulk_update(w.changed_guardians, sorted(w.guardian_fields), batch_size=BATCH_SIZE)
    if w.removed_link_ids:
        PupilGuardian.objects.filter(pk__in=w.removed_link_ids).delete()
    PupilGuardian.objects.bulk_create(w.new_links, batch_size=BATCH_SIZE)
    if w.changed_links:
        PupilGuardian.objects.bulk_update(
            w.changed_links, ["relation", "has_gezag", "receives_mail"], batch_size=BATCH_SIZE
        )
    if w.changed_placements:
        GroupPlacement.objects.bulk_update(w.changed_placements, ["group", "ends_on"], batch_size=BATCH_SIZE)
    GroupPlacement.objects.bulk_create(w.new_placements, batch_size=BATCH_SIZE)


def import_apply(
    *,
    school: School,
    school_year: SchoolYear,
    data: bytes,
    actor: Any,
    now: datetime,
    confirm_left: bool,
    filename: str = "",
    expected_sha256: str | None = None,
    expected_left: int | None = None,
) -> ImportResult:
    """Import `data` in one transaction, or refuse (ImportRefused) without writing anything.

    `expected_sha256` and `expected_left` are what the user saw in the preview: when the file or the
    number of pupils to mark as left differs now, the import is refused so the user can look again.
    """
    today = timezone.localdate(now)
    with transaction.atomic():
        # One import per school at a time: a second one waits and then sees the first one's result.
        School.objects.select_for_update().only("pk").get(pk=school.pk)
        plan = _plan(school=school, school_year=school_year, data=data, filename=filename, today=today)
        preview = plan.preview
        if not preview.ok:
            raise ImportRefused(
                ngettext(
                    "The file has %(count)s error. Nothing has been imported.",
                    "The file has %(count)s errors. Nothing has been imported.",
                    preview.error_count,
                )
                % {"count": preview.error_count},
                preview,
            )
        if expected_sha256 is not None and expected_sha256 != preview.sha256:
            raise ImportRefused(
                _("The file differs from the one in the preview. Nothing has been imported."), preview
            )
        if expected_left is not None and expected_left != preview.left_count:
            raise ImportRefused(
                _(
                    "Since the preview, the number of pupils to be marked as left changed from %(before)s to "
                    "%(now)s. Check the preview again. Nothing has been imported."
                )
                % {"before": expected_left, "now": preview.left_count},
                preview,
            )
        if preview.leaving and not confirm_left:
            raise ImportRefused(
                ngettext(
                    "Confirm that %(count)s pupil will be marked as left. Nothing has been imported.",
                    "Confirm that %(count)s pupils will be marked as left. Nothing has been imported.",
                    preview.left_count,
                )
                % {"count": preview.left_count},
                preview,
            )
        result = ImportResult(
            school_id=school.pk,
            school_year_id=school_year.pk,
            sha256=preview.sha256,
            pupils_created=len(preview.created),
            pupils_updated=len(preview.updated),
            pupils_unchanged=len(preview.unchanged),
            pupils_marked_left=preview.left_count,
            groups_created=len(preview.groups_created),
            guardians_created=preview.guardians_created,
            guardians_updated=preview.guardians_updated,
            links_created=preview.links_created,
            links_updated=preview.links_updated,
            links_removed=preview.links_removed,
            placements_opened=preview.placements_opened,
            placements_ended=preview.placements_ended,
        )
        if not result.changed:
            # The same file again: nothing to write, not even an audit row.
            return result
        _execute(plan, now)
        summary = result.as_dict()
        summary["file_sha256"] = summary.pop("sha256")
        record("pupils_imported", actor=actor, board=school.board, obj=school, summary=summary, now=now)
    return result


# --- Confirming leaving -------------------------------------------------------------------------------


def provisionally_left(school: School) -> list[Enrolment]:
    """Enrolments of the school marked as left by an import and not yet confirmed."""
    enrolments = Enrolment.objects.filter(school=school, left_on__isnull=False, left_confirmed=False)
    return sorted(
        enrolments.select_related("pupil"),
        key=lambda e: (strip_accents(e.pupil.sort_name).casefold(), e.pupil_id),
    )


@dataclass(frozen=True)
class LeavingConfirmation:
    enrolment_id: int
    left_on: date


def enrolments_confirm_left(
    *, school: School, confirmations: list[LeavingConfirmation], actor: Any, now: datetime
) -> int:
    """Confirm leaving dates of provisionally-left pupils; end their open group placements.

    An enrolment of another school, or one that is not provisionally left, raises LookupError;
    a date before the enrolment date raises ValueError with the reason. All or nothing.
    """
    if not confirmations:
        return 0
    wanted = {c.enrolment_id: c.left_on for c in confirmations}
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=wanted, school=school, left_on__isnull=False, left_confirmed=False)
            .select_related("pupil")
        )
        if len(enrolments) != len(wanted):
            raise LookupError("enrolment not found or not provisionally left")
        for enrolment in enrolments:
            left_on = wanted[enrolment.pk]
            if left_on < enrolment.enrolled_on:
                raise ValueError(
                    _("%(pupil)s: the leaving date cannot lie before the enrolment date %(date)s.")
                    % {"pupil": enrolment.pupil.full_name, "date": enrolment.enrolled_on.strftime("%d-%m-%Y")}
                )
            enrolment.left_on = left_on
            enrolment.left_confirmed = True
        Enrolment.objects.bulk_update(enrolments, ["left_on", "left_confirmed"])
        placements = list(
            GroupPlacement.objects.select_for_update().filter(
                school=school, pupil_id__in=[e.pupil_id for e in enrolments], ends_on__isnull=True
            )
        )
        left_on_by_pupil = {e.pupil_id: wanted[e.pk] for e in enrolments}
        for placement in placements:
            placement.ends_on = max(left_on_by_pupil[placement.pupil_id], placement.starts_on)
        GroupPlacement.objects.bulk_update(placements, ["ends_on"])
        record(
            "pupils_leaving_confirmed",
            actor=actor,
            board=school.board,
            obj=school,
            summary={
                "enrolment_ids": sorted(e.pk for e in enrolments),
                "count": len(enrolments),
                "placements_ended": len(placements),
            },
            now=now,
        )
    return len(enrolments)


def enrolment_undo_left(*, school: School, enrolment_id: int, actor: Any, now: datetime) -> Enrolment:
    """The pupil has not left after all: remove the provisional leaving mark."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(pk=enrolment_id, school=school, left_on__isnull=False, left_confirmed=False)
            .first()
        )
        if enrolment is None:
            raise LookupError("enrolment not found or not provisionally left")
        enrolment.left_on = None
        enrolment.save(update_fields=["left_on"])
        record(
            "pupil_leaving_undone",
            actor=actor,
            board=school.board,
            obj=enrolment,
            summary={"pupil_id": enrolment.pupil_id, "school_id": school.pk},
            now=now,
        )
    return enrolment


def _field_labels(names: list[str]) -> list[str]:
    """The users' words for Guardian fields (their translated verbose names)."""
    labels = []
    for name in names:
        try:
            field = Guardian._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name)
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return labels
