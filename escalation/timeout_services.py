"""Step 5 of the ladder: the time-out (Bijlage 4, stap 5; LEGAL.md R1, R2).

A teacher asks for a time-out for a pupil of their own group (the director and the deputy for any
pupil of the school); it is decided before it starts; the parents are phoned and get a letter the
same day. Every write locks the pupil's open episode first, then the time-out row, so two people
deciding one request at the same moment end in exactly one decision: the second is told who
decided it and when.

Decided here:

- **Who approves.** R1 and the plan's stap 5 name the director ("alleen ... na goedkeuring door de
  directeur"); when the director asked for the time-out, the deputy approves it, or the director
  decides alone with a reason that the board sees (`check_time_out_approval`). LEGAL.md §2 and §11
  also make "who may decide a time-out" part of the school's mandate settings (the
  managementstatuut), and the school setting `timeout_decided_by` says so in its help text
  ("Who approves a time-out under the managementstatuut"). LEV follows that setting: with
  `director` (the default) the director approves as above; with `board` the board approves every
  request instead (before the time-out starts, like the director would), and the director and the
  deputy may still ask for one. The board's approval is stored with approval kind
  `ApprovalKind.BOARD`.
- **Before it starts.** A request is decided on or before its first day: the same day is allowed (a
  time-out "met onmiddellijke ingang" after a serious incident is approved that day); once the first
  day has passed it can only be rejected or withdrawn, and a new one requested.
- **The maximum** is the school's setting (R1): the rest of the day, or N school days counted on the
  school's calendar; more than one school day needs the director's confirmation that the pupil is
  taught inside the school on all those days. A teacher cannot give that confirmation: the approver
  gives it when approving. The rules are checked again when the request is approved.
- **At home is not a time-out** (R2): the request is refused with the rule, and the page offers the
  schorsing instead.
- The parents' phone call (R1: "direct ... telefonisch") is recorded once, by the school's staff
  who may read the time-out; the letter (`timeout_melding`, R1 "schriftelijk") is made from the
  letters engine after approval, pre-filled from the record, and goes through its four-eyes approval
  and sending there (the sent letter becomes a dossier entry by itself).

Dossier titles are stored Dutch text (the record is evidence); audit summaries hold ids and codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communications.letter_models import Letter
from communications.letter_services import AUTHOR_ROLES, dutch_date, letter_create
from incidents.models import Incident
from lev.audit.services import record
from lev.deadlines.calendar_selectors import school_non_school_days
from lev.deadlines.domain.schooldays import school_days_between
from lev.dossier.services import entry_record
from lev.monitoring.counts import count_time_out
from lev.schools.models import DecisionMaker, Pupil, Role, School, TimeOutMaximum
from lev.schools.permissions import is_board_member, roles_on, teaches_pupil

from .domain.errors import Notice
from .domain.exclusion import Role as ApprovalRole
from .domain.exclusion import TimeOutPlace, TimeOutSetting, check_time_out, check_time_out_approval
from .domain.ladder import Event, LadderRefused, State, check
from .models import ApprovalKind, TimeOut, TimeOutStatus
from .permissions import CASE_READ_ROLES, LEAD_ROLES, TIME_OUT_REQUEST_ROLES
from .services import advance, episode_for_action, facts_for, locked_episode, require_roles

DOSSIER_KIND = "timeout"
# The board approved (school setting `timeout_decided_by` = board).
APPROVED_BY_BOARD = ApprovalKind.BOARD.value
LETTER_KIND = "timeout_melding"


class ExcludedActivity(models.TextChoices):
    """The plan's list (Bijlage 4, stap 5): "niet deelneemt aan gymlessen, groepsactiviteiten (zoals
    vieringen) en overblijf of buitenschoolse opvang"."""

    GYM = "gym", gettext_lazy("Gym lessons")
    GROUP_ACTIVITIES = "group_activities", gettext_lazy("Group activities, such as celebrations")
    LUNCH_BREAK = "lunch_break", gettext_lazy("Overblijf (the lunch break)")
    AFTER_SCHOOL_CARE = "after_school_care", gettext_lazy("Buitenschoolse opvang (after-school care)")


PLACE_CHOICES = (
    (
        TimeOutPlace.IN_SCHOOL.value,
        gettext_lazy("In the school: in another group, or with a professional elsewhere in the school"),
    ),
    (TimeOutPlace.AT_HOME.value, gettext_lazy("At home")),
)

PLACES = frozenset(p.value for p in TimeOutPlace)

# The domain's form fields, as this module's (and its forms') fields are called.
FIELDS = {"director_confirmed": "longer_confirmed", "self_decision_reason": "self_reason", "approved_by": ""}


def _d(day: date) -> str:
    return dateformat.format(day, "d-m-Y")


def _refused(notices: Sequence[Notice]) -> ValidationError:
    """The domain's refusals as a ValidationError keyed by this module's field names."""
    errors: dict[str, list[str]] = {}
    for notice in notices:
        field = FIELDS.get(notice.field, notice.field) or NON_FIELD_ERRORS
        errors.setdefault(field, []).append(notice.message)
    return ValidationError(errors)


def _ladder(exc: LadderRefused) -> ValidationError:
    return ValidationError([notice.message for notice in exc.refusals])


# --- settings and roles ----------------------------------------------------------------------------


def time_out_setting(school: School) -> TimeOutSetting:
    """The school's maximum (R1): the rest of the day, or N school days."""
    if school.timeout_maximum == TimeOutMaximum.SCHOOL_DAYS:
        return TimeOutSetting(school.timeout_maximum_days)
    return TimeOutSetting(None)


def board_decides(school: School) -> bool:
    """The school's managementstatuut leaves the time-out to the board (LEGAL.md §2)."""
    return school.timeout_decided_by == DecisionMaker.BOARD


def _non_school_days(school: School, first_day: date, last_day: date) -> frozenset[date]:
    # Wide enough for the "latest end" and "next school day" the messages suggest, also across a
    # summer holiday.
    start = min(first_day, last_day)
    return school_non_school_days(school, start, max(first_day, last_day) + timedelta(days=70))


def approval_role(user: Any, school_id: int, day: date) -> ApprovalRole | None:
    """USER's role for the approval rule at the school: director, deputy, teacher (or None)."""
    roles = roles_on(user, school_id, day)
    if Role.DIRECTOR in roles:
        return ApprovalRole.DIRECTOR
    if Role.DEPUTY_DIRECTOR in roles:
        return ApprovalRole.DEPUTY_DIRECTOR
    if Role.TEACHER in roles:
        return ApprovalRole.TEACHER
    return None


def requester_role(time_out: TimeOut, day: date) -> ApprovalRole:
    """The requester's role now (a teacher when they no longer hold one at the school)."""
    return approval_role(time_out.requested_by, time_out.school_id, day) or ApprovalRole.TEACHER


def may_decide(actor: Any, time_out: TimeOut, day: date) -> bool:
    """ACTOR may approve or reject TIME_OUT (whatever its status): the board when the school's
    setting says so; otherwise the director, or the deputy for the director's own request."""
    if board_decides(time_out.school):
        return is_board_member(actor, time_out.board_id, day)
    role = approval_role(actor, time_out.school_id, day)
    if role is ApprovalRole.DIRECTOR:
        return True
    return (
        role is ApprovalRole.DEPUTY_DIRECTOR
        and time_out.requested_by_id != actor.pk
        and requester_role(time_out, day) is ApprovalRole.DIRECTOR
    )


def may_withdraw(actor: Any, time_out: TimeOut, day: date) -> bool:
    """The requester, or the director or deputy of the school."""
    return time_out.requested_by_id == actor.pk or bool(roles_on(actor, time_out.school_id, day) & LEAD_ROLES)


def may_record_phone_call(actor: Any, time_out: TimeOut, day: date) -> bool:
    """The school's staff who may read the time-out: director, deputy, IB, the requester, and a
    teacher of the pupil's group."""
    roles = roles_on(actor, time_out.school_id, day)
    if roles & CASE_READ_ROLES:
        return True
    if Role.TEACHER not in roles:
        return False
    return time_out.requested_by_id == actor.pk or teaches_pupil(actor, time_out.pupil, today=day)


def may_make_letter(actor: Any, time_out: TimeOut, day: date) -> bool:
    """Those who write letters at the school (the letters engine: IB, director, deputy)."""
    return bool(roles_on(actor, time_out.school_id, day) & AUTHOR_ROLES)


def self_decision_needed(actor: Any, time_out: TimeOut) -> bool:
    """The director decides on their own request: only with a reason the board sees."""
    return not board_decides(time_out.school) and time_out.requested_by_id == actor.pk


def school_days_of(time_out: TimeOut) -> int:
    """How many school days the time-out spans on the school's calendar."""
    days = _non_school_days(time_out.school, time_out.first_day, time_out.last_day)
    return school_days_between(time_out.first_day, time_out.last_day, days)


def _locked(time_out: TimeOut) -> TimeOut:
    return (
        TimeOut.objects.select_for_update(of=("self",))
        .select_related("school", "school__board", "pupil", "episode", "requested_by", "decided_by")
        .get(pk=time_out.pk)
    )


def _dutch(label: Any) -> str:
    with translation.override("nl"):
        return str(label)


def _period(first_day: date, last_day: date) -> str:
    if first_day == last_day:
        return f"Op {_d(first_day)}"
    return f"Van {_d(first_day)} tot en met {_d(last_day)}"


def _already_decided(time_out: TimeOut) -> ValidationError:
    params = {
        "name": time_out.decided_by.display_name if time_out.decided_by else "—",
        "date": _d(timezone.localdate(time_out.decided_at)) if time_out.decided_at else "—",
    }
    if time_out.status == TimeOutStatus.APPROVED:
        text = _("This time-out was already approved by %(name)s on %(date)s.")
    elif time_out.status == TimeOutStatus.REJECTED:
        text = _("This time-out was already rejected by %(name)s on %(date)s.")
    else:
        text = _("This time-out was already withdrawn by %(name)s on %(date)s.")
    return ValidationError(text % params)


# --- requesting ------------------------------------------------------------------------------------


def timeout_request(
    *,
    pupil: Pupil,
    reason: str,
    first_day: date,
    last_day: date,
    where: str,
    place: str,
    work: str,
    excluded_activities: Sequence[str],
    longer_confirmed: bool,
    incident: Incident | None = None,
    actor: Any,
    now: datetime,
) -> TimeOut:
    """Ask for a time-out for PUPIL (R1, R2).

    A teacher for a pupil of their own group, the director or the deputy for any pupil of the
    school. Refused: at home (R2: a schorsing), not on a school day, longer than the school's
    maximum, more than one school day without the confirmation (a lead confirms when asking; a
    teacher's request is confirmed by the approver), a first day in the past, and what the ladder
    refuses (step 4 first, or a serious incident; one request at a time).
    """
    today = timezone.localdate(now)
    roles = require_roles(actor, pupil.school_id, TIME_OUT_REQUEST_ROLES, now)
    lead = bool(roles & LEAD_ROLES)
    if not lead and not teaches_pupil(actor, pupil, today=today):
        raise PermissionDenied("A teacher asks for a time-out for a pupil of their own group.")
    school = School.objects.select_related("board").get(pk=pupil.school_id)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Write down what happened: the facts. The parents receive them in the letter.")]
    if incident is not None and incident.school_id != pupil.school_id:
        errors["incident"] = [_("This incident is not of this school.")]
    if set(excluded_activities) - set(ExcludedActivity.values):
        errors["excluded_activities"] = [_("Choose activities from the plan's list.")]
    if place not in PLACES:
        errors["place"] = [_("Choose where the pupil is during the time-out.")]
    elif place == TimeOutPlace.IN_SCHOOL and not where.strip():
        errors["where"] = [_("Write down where in the school the pupil works, for example: in group 7a.")]
    if first_day < today and place != TimeOutPlace.AT_HOME:
        errors["first_day"] = [
            _(
                "A time-out is approved before it starts, so the first day cannot lie in the past. "
                "Choose %(today)s or later."
            )
            % {"today": _d(today)}
        ]
    if place in PLACES and "first_day" not in errors:
        outcome = check_time_out(
            first_day=first_day,
            last_day=last_day,
            place=place,
            setting=time_out_setting(school),
            non_school_days=_non_school_days(school, first_day, last_day),
            # A teacher cannot confirm for the director: the approver confirms when approving.
            director_confirmed=longer_confirmed if lead else True,
        )
        for field, messages in _refused(outcome.refusals).error_dict.items():
            errors.setdefault(field, []).extend(m for error in messages for m in error.messages)
    if errors:
        raise ValidationError(errors)
    confirmed = bool(longer_confirmed and lead)
    try:
        with transaction.atomic():
            episode = episode_for_action(
                pupil=pupil, actor=actor, now=now, incident=incident, why="Time-out aangevraagd."
            )
            pending = episode.time_outs.filter(status=TimeOutStatus.REQUESTED).first()
            if pending is not None and pending.first_day < today:
                raise ValidationError(
                    _(
                        "An earlier request for a time-out on %(day)s was never decided. It can no "
                        "longer be approved: have it rejected or withdrawn first."
                    )
                    % {"day": _d(pending.first_day)}
                )
            facts = facts_for(episode, today)
            # Asked before the row exists: the one-request-per-episode constraint would speak first.
            allowed = check(State(episode.state), Event.REQUEST_TIME_OUT, facts)
            if not allowed.allowed:
                raise LadderRefused(State(episode.state), Event.REQUEST_TIME_OUT, allowed.refusals)
            row = TimeOut.objects.create(
                episode=episode,
                board_id=pupil.board_id,
                school_id=pupil.school_id,
                pupil=pupil,
                incident=incident,
                reason=reason.strip(),
                first_day=first_day,
                last_day=last_day,
                where=where.strip(),
                work=work.strip(),
                excluded_activities=[a for a in ExcludedActivity.values if a in set(excluded_activities)],
                longer_confirmed=confirmed,
                requested_by=actor,
                requested_at=now,
            )
            advance(episode, Event.REQUEST_TIME_OUT, facts, actor=actor, now=now, obj=row)
            requested_as = approval_role(actor, pupil.school_id, today)
            record(
                "escalation_timeout_requested",
                actor=actor,
                board=school.board,
                obj=row,
                summary={
                    "pupil_id": pupil.pk,
                    "episode_id": episode.pk,
                    "incident_id": getattr(incident, "pk", None),
                    "first_day": first_day.isoformat(),
                    "last_day": last_day.isoformat(),
                    "requested_as": requested_as.value if requested_as else "",
                    "excluded": row.excluded_activities,
                },
                now=now,
            )
            lines = [reason.strip(), f"{_period(first_day, last_day)}; werkt {where.strip()}."]
            if work.strip():
                lines.append(f"Werk: {work.strip()}")
            if row.excluded_activities:
                labels = [_dutch(ExcludedActivity(a).label) for a in row.excluded_activities]
                lines.append("Doet niet mee aan: " + "; ".join(labels) + ".")
            if incident is not None:
                lines.append(f"Na incident {incident.number}.")
            entry_record(
                pupil=pupil,
                kind=DOSSIER_KIND,
                title="Time-out aangevraagd",
                summary="\n".join(lines),
                happened_at=now,
                author=actor,
                now=now,
                source=row,
            )
    except LadderRefused as exc:
        raise _ladder(exc) from exc
    return row


# --- deciding --------------------------------------------------------------------------------------


def timeout_approve(
    *, time_out: TimeOut, actor: Any, now: datetime, self_reason: str = "", longer_confirmed: bool = False
) -> TimeOut:
    """Approve the request, before it starts (R1; Bijlage 4, stap 5).

    The director approves (or the board, when the school's setting says so); the deputy approves a
    request the director made; the director deciding on their own request gives SELF_REASON (stored,
    approval kind "self", shown to the board). LONGER_CONFIRMED is the approver's confirmation for
    a teacher's request of more than one school day. A request decided already is refused with who
    decided it and when.
    """
    today = timezone.localdate(now)
    if not may_decide(actor, time_out, today):
        raise PermissionDenied("This user may not decide on this time-out.")
    try:
        with transaction.atomic():
            episode = locked_episode(time_out.episode)
            row = _locked(time_out)
            if row.status != TimeOutStatus.REQUESTED:
                raise _already_decided(row)
            if today > row.first_day:
                raise ValidationError(
                    _(
                        "This time-out was to start on %(day)s. A time-out is approved before it starts, "
                        "so it can no longer be approved. Reject it, and request a new time-out if it "
                        "is still needed."
                    )
                    % {"day": _d(row.first_day)}
                )
            school = row.school
            if board_decides(school):
                kind = APPROVED_BY_BOARD
                reason = ""
            else:
                approver = approval_role(actor, school.pk, today)
                same_person = row.requested_by_id == actor.pk
                outcome = check_time_out_approval(
                    requested_by=requester_role(row, today),
                    approved_by=approver or ApprovalRole.TEACHER,
                    same_person=same_person,
                    self_decision_reason=self_reason,
                )
                if not outcome.ok:
                    raise _refused(outcome.refusals)
                if approver is ApprovalRole.DIRECTOR and same_person:
                    kind, reason = ApprovalKind.SELF.value, self_reason.strip()
                elif approver is ApprovalRole.DIRECTOR:
                    kind, reason = ApprovalKind.DIRECTOR.value, ""
                else:
                    kind, reason = ApprovalKind.DEPUTY.value, ""
            confirmed = row.longer_confirmed or longer_confirmed
            outcome = check_time_out(
                first_day=row.first_day,
                last_day=row.last_day,
                place=TimeOutPlace.IN_SCHOOL,
                setting=time_out_setting(school),
                non_school_days=_non_school_days(school, row.first_day, row.last_day),
                director_confirmed=confirmed,
            )
            if not outcome.ok:
                refusal = _refused(outcome.refusals)
                # Only the confirmation is on the approval form; the dates are the request's.
                if set(refusal.error_dict) == {"longer_confirmed"}:
                    raise refusal
                raise ValidationError(
                    [m for errors in refusal.error_dict.values() for e in errors for m in e.messages]
                    + [_("Reject this request and request a new time-out that fits the school's rules.")]
                )
            advance(episode, Event.APPROVE_TIME_OUT, facts_for(episode, today), actor=actor, now=now, obj=row)
            row.status = TimeOutStatus.APPROVED
            row.decided_by = actor
            row.decided_at = now
            row.approval_kind = kind
            row.decision_reason = reason
            row.longer_confirmed = confirmed
            row.save(
                update_fields=[
                    "status",
                    "decided_by",
                    "decided_at",
                    "approval_kind",
                    "decision_reason",
                    "longer_confirmed",
                ]
            )
            count_time_out(row)
            record(
                "escalation_timeout_approved",
                actor=actor,
                board=school.board,
                obj=row,
                summary={"pupil_id": row.pupil_id, "episode_id": episode.pk, "approval_kind": kind},
                now=now,
            )
            lines = [f"{_period(row.first_day, row.last_day)}; werkt {row.where}."]
            if kind == ApprovalKind.SELF:
                lines.append(f"De directeur besliste zelf over de eigen aanvraag. Reden: {reason}")
            elif kind == APPROVED_BY_BOARD:
                lines.append("Goedgekeurd door het bestuur.")
            elif kind == ApprovalKind.DEPUTY:
                lines.append("Goedgekeurd door de adjunct-directeur (de directeur vroeg de time-out aan).")
            entry_record(
                pupil=row.pupil,
                kind=DOSSIER_KIND,
                title="Time-out goedgekeurd",
                summary="\n".join(lines),
                happened_at=now,
                author=actor,
                now=now,
                source=row,
            )
    except LadderRefused as exc:
        raise _ladder(exc) from exc
    return row


def timeout_reject(*, time_out: TimeOut, reason: str, actor: Any, now: datetime) -> TimeOut:
    """Reject the request, with the reason (who may approve it may reject it)."""
    today = timezone.localdate(now)
    if not may_decide(actor, time_out, today):
        raise PermissionDenied("This user may not decide on this time-out.")
    if not reason.strip():
        raise ValidationError({"reason": [_("Write down why the time-out is rejected.")]})
    try:
        with transaction.atomic():
            episode = locked_episode(time_out.episode)
            row = _locked(time_out)
            if row.status != TimeOutStatus.REQUESTED:
                raise _already_decided(row)
            advance(episode, Event.REJECT_TIME_OUT, facts_for(episode, today), actor=actor, now=now, obj=row)
            _close(row, TimeOutStatus.REJECTED, reason, actor, now)
            record(
                "escalation_timeout_rejected",
                actor=actor,
                board=row.school.board,
                obj=row,
                summary={"pupil_id": row.pupil_id, "episode_id": episode.pk},
                now=now,
            )
            entry_record(
                pupil=row.pupil,
                kind=DOSSIER_KIND,
                title="Time-out afgewezen",
                summary=f"{_period(row.first_day, row.last_day)}.\nReden: {reason.strip()}",
                happened_at=now,
                author=actor,
                now=now,
                source=row,
            )
    except LadderRefused as exc:
        raise _ladder(exc) from exc
    return row


def _close(row: TimeOut, status: str, reason: str, actor: Any, now: datetime) -> None:
    row.status = status
    row.decided_by = actor
    row.decided_at = now
    row.decision_reason = reason.strip()
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


def timeout_withdraw(*, time_out: TimeOut, reason: str, actor: Any, now: datetime) -> TimeOut:
    """The requester (or the director or deputy) withdraws a request that waits for a decision.

    The ladder's state does not change (a request does not change it either); the ladder has no
    event of its own for this, so the episode is only touched (locked, `updated_at`)."""
    today = timezone.localdate(now)
    if not may_withdraw(actor, time_out, today):
        raise PermissionDenied("This user may not withdraw this time-out.")
    if not reason.strip():
        raise ValidationError({"reason": [_("Write down why the request is withdrawn.")]})
    with transaction.atomic():
        episode = locked_episode(time_out.episode)
        row = _locked(time_out)
        if row.status != TimeOutStatus.REQUESTED:
            raise _already_decided(row)
        _close(row, TimeOutStatus.WITHDRAWN, reason, actor, now)
        episode.updated_at = now
        episode.save(update_fields=["updated_at"])
        record(
            "escalation_timeout_withdrawn",
            actor=actor,
            board=row.school.board,
            obj=row,
            summary={"pupil_id": row.pupil_id, "episode_id": episode.pk},
            now=now,
        )
        entry_record(
            pupil=row.pupil,
            kind=DOSSIER_KIND,
            title="Time-out-aanvraag ingetrokken",
            summary=f"{_period(row.first_day, row.last_day)}.\nReden: {reason.strip()}",
            happened_at=now,
            author=actor,
            now=now,
            source=row,
        )
    return row


# --- informing the parents (R1) ------------------------------------------------------------------


def timeout_parents_phoned(
    *, time_out: TimeOut, phoned_at: datetime, note: str, actor: Any, now: datetime
) -> TimeOut:
    """Record the phone call to the parents (R1: told at once, by phone and in writing).

    While the request waits or after its approval; once; not in the future, not before the day of
    the request."""
    today = timezone.localdate(now)
    if not may_record_phone_call(actor, time_out, today):
        raise PermissionDenied("This user may not record the phone call of this time-out.")
    if phoned_at > now:
        raise ValidationError({"phoned_at": [_("The moment of the call cannot lie in the future.")]})
    with transaction.atomic():
        episode = locked_episode(time_out.episode)
        row = _locked(time_out)
        if row.status not in (TimeOutStatus.REQUESTED, TimeOutStatus.APPROVED):
            raise ValidationError(_("This time-out was rejected or withdrawn: there is no call to record."))
        if row.parents_phoned_at is not None:
            raise ValidationError(
                _("The call to the parents was already recorded: %(when)s by %(name)s.")
                % {
                    "when": dateformat.format(timezone.localtime(row.parents_phoned_at), "d-m-Y H:i"),
                    "name": row.parents_phoned_by.display_name if row.parents_phoned_by else "—",
                }
            )
        if timezone.localdate(phoned_at) < timezone.localdate(row.requested_at):
            raise ValidationError(
                {
                    "phoned_at": [
                        _("The call is about this time-out: choose a moment on or after %(day)s.")
                        % {"day": _d(timezone.localdate(row.requested_at))}
                    ]
                }
            )
        row.parents_phoned_at = phoned_at
        row.parents_phoned_by = actor
        row.phone_note = note.strip()
        row.save(update_fields=["parents_phoned_at", "parents_phoned_by", "phone_note"])
        episode.updated_at = now
        episode.save(update_fields=["updated_at"])
        record(
            "escalation_timeout_parents_phoned",
            actor=actor,
            board=row.school.board,
            obj=row,
            summary={"pupil_id": row.pupil_id, "phoned_at": phoned_at.isoformat()},
            now=now,
        )
        lines = [f"Ouders gebeld over de time-out ({_period(row.first_day, row.last_day).lower()})."]
        if note.strip():
            lines.append(note.strip())
        entry_record(
            pupil=row.pupil,
            kind=DOSSIER_KIND,
            title="Ouders gebeld over de time-out",
            summary="\n".join(lines),
            happened_at=phoned_at,
            author=actor,
            now=now,
            source=row,
        )
    return row


def _duration_text(row: TimeOut) -> str:
    """The letter's "maatregel_duur": how long the pupil works outside the own group."""
    if row.first_day == row.last_day:
        if row.first_day == timezone.localdate(row.requested_at):
            return "de rest van de schooldag"
        return f"op {dutch_date(row.first_day, weekday=True)}"
    return (
        f"van {dutch_date(row.first_day, weekday=True)} tot en met {dutch_date(row.last_day, weekday=True)}"
    )


def letter_values(row: TimeOut) -> dict[str, str]:
    """The letter's merge values from the record; the conversation offered is the author's."""
    return {
        "datum_voorval": dutch_date(row.first_day, weekday=True),
        "wat_er_gebeurde": row.reason,
        "maatregel_duur": _duration_text(row),
        "werkplek": row.where,
        "gesprek_aanbod": "",
    }


def timeout_letter(*, time_out: TimeOut, actor: Any, now: datetime) -> Letter:
    """Make the letter to the parents (`timeout_melding`, R1 "schriftelijk") after approval,
    pre-filled from the record; the author completes, submits and sends it on the letter pages."""
    today = timezone.localdate(now)
    if not may_make_letter(actor, time_out, today):
        raise PermissionDenied("This user may not write letters for this school.")
    with transaction.atomic():
        episode = locked_episode(time_out.episode)
        row = _locked(time_out)
        if row.status != TimeOutStatus.APPROVED:
            raise ValidationError(_("The letter to the parents is made once the time-out is approved."))
        if row.letter_id is not None:
            raise ValidationError(
                _("The letter for this time-out was already made: %(reference)s. Continue with that letter.")
                % {"reference": Letter.objects.get(pk=row.letter_id).reference}
            )
        letter = letter_create(
            kind_code=LETTER_KIND,
            school=row.school,
            actor=actor,
            now=now,
            pupil=row.pupil,
            values=letter_values(row),
            source=row,
        )
        row.letter = letter
        row.save(update_fields=["letter"])
        episode.updated_at = now
        episode.save(update_fields=["updated_at"])
        record(
            "escalation_timeout_letter_made",
            actor=actor,
            board=row.school.board,
            obj=row,
            summary={"pupil_id": row.pupil_id, "letter_id": letter.pk},
            now=now,
        )
    return letter
