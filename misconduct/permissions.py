"""Who may see what of a misconduct report or a confidant note (ARCHITECTURE.md §4, LEGAL.md §5).

- A report is seen and handled by the board: a user holding the `board` role of the report's board.
  The person who filed it sees its receipt (date and reference), nothing more. Everyone else — the
  director, the IB, the vertrouwenspersoon, the FG, the functional administrator, another board —
  gets 404, exactly as for a report that does not exist. The same holds for the board's list of
  reports: 404, not 403, so that nobody learns even that the page exists for someone else.
- A confidant note is seen by its author only, while they hold the confidant role at the note's
  school. Everyone else gets 404, the director and the board included. The "Mijn gesprekken" pages
  answer 404 to anyone who is not a vertrouwenspersoon.
- Every report of misconduct may be filed by anyone working at a school of the board (every school
  role) and by the board itself (WPO art. 4a: no confidentiality excuses silence).

Every granted read of a report, a receipt or a note writes one access-log row; a refused attempt by
someone of the same board writes a refused row (the answer is 404 all the same).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from lev.audit.services import read
from lev.schools.access import AccessContext
from lev.schools.models import SCHOOL_ROLES, Board, Role, School

from .models import ConfidantNote, MisconductReport

# The order in which the role of a reporter is named.
REPORTER_ROLES = (
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
    Role.CARE_COORDINATOR,
    Role.CONFIDANT,
    Role.TEACHER,
    Role.STAFF,
)
LIST_OBJECT_TYPE = "misconduct.list"


def board_ids(ctx: AccessContext) -> list[int]:
    """The boards where the user holds the board role."""
    return sorted({m.board_id for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD})


def is_board(ctx: AccessContext, board: Board | int) -> bool:
    board_id = board.pk if isinstance(board, Board) else board
    return board_id in board_ids(ctx)


def filing_schools(ctx: AccessContext) -> list[School]:
    """The schools the user may file a report about: those where they work, and every school of a
    board where they hold the board role."""
    schools = {s.pk: s for s in ctx.schools if ctx.roles_at(s) & SCHOOL_ROLES}
    boards = board_ids(ctx)
    if boards:
        for school in School.objects.filter(board_id__in=boards).select_related("board"):
            schools.setdefault(school.pk, school)
    return sorted(schools.values(), key=lambda s: s.name)


def confidant_schools(ctx: AccessContext) -> list[School]:
    """The schools where the user is a vertrouwenspersoon."""
    return [s for s in ctx.schools if Role.CONFIDANT in ctx.roles_at(s)]


def _same_board(ctx: AccessContext, board_id: int) -> bool:
    return any(m.board_id == board_id for m in ctx.memberships)


def _refused(ctx: AccessContext, obj: MisconductReport | ConfidantNote) -> Http404:
    """Log a refused attempt by someone of the same board; the answer is 404 either way."""
    if _same_board(ctx, obj.board_id):
        roles = ctx.roles_at(obj.school_id) | ctx.board_roles(obj.board_id)
        read(user=ctx.user, obj=obj, role=",".join(sorted(roles)), granted=False)
    return Http404()


def reports_of_board(ctx: AccessContext) -> QuerySet[MisconductReport]:
    """Every report the user handles as the board; none for anyone else."""
    return MisconductReport.objects.filter(board_id__in=board_ids(ctx))


def log_report_list(ctx: AccessContext) -> None:
    """One access-log row per board whose list of reports the user opened."""
    boards = {m.board_id: m.board for m in ctx.memberships if m.school_id is None and m.role == Role.BOARD}
    for board_id in sorted(boards):
        read(
            user=ctx.user,
            object_type=LIST_OBJECT_TYPE,
            object_id="reports",
            board=boards[board_id],
            role=Role.BOARD.value,
        )


def access_report_for_user(ctx: AccessContext, report_id: int) -> MisconductReport:
    """The report, for the board of its board; 404 for everyone else. The read is logged."""
    report = (
        MisconductReport.objects.select_related("school", "board", "reported_by", "source_note")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    if not is_board(ctx, report.board_id):
        raise _refused(ctx, report)
    read(user=ctx.user, obj=report, role=Role.BOARD.value)
    return report


def access_receipt_for_user(ctx: AccessContext, report_id: int) -> MisconductReport:
    """The report's receipt, for the person who filed it while they still work at its board."""
    report = MisconductReport.objects.select_related("school").filter(pk=report_id).first()
    if report is None:
        raise Http404
    if report.reported_by_id != ctx.user.pk or not _same_board(ctx, report.board_id):
        raise _refused(ctx, report)
    read(user=ctx.user, obj=report, role="reporter")
    return report


def notes_of(ctx: AccessContext) -> QuerySet[ConfidantNote]:
    """The user's own notes at the schools where they are a vertrouwenspersoon."""
    return ConfidantNote.objects.filter(author=ctx.user, school__in=confidant_schools(ctx))


def log_note_list(ctx: AccessContext) -> None:
    """One access-log row for opening the list of one's own conversations."""
    read(
        user=ctx.user,
        object_type=LIST_OBJECT_TYPE,
        object_id="confidant_notes",
        board=ctx.active_board,
        role=Role.CONFIDANT.value,
    )


def access_note_for_user(ctx: AccessContext, note_id: int) -> ConfidantNote:
    """The note, for its author while they are a vertrouwenspersoon at its school; 404 for
    everyone else (the director and the board included). The read is logged."""
    note = ConfidantNote.objects.select_related("school", "author").filter(pk=note_id).first()
    if note is None:
        raise Http404
    if note.author_id != ctx.user.pk or Role.CONFIDANT not in ctx.roles_at(note.school_id):
        raise _refused(ctx, note)
    read(user=ctx.user, obj=note, role=Role.CONFIDANT.value)
    return note
