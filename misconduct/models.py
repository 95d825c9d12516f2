"""Reports of misconduct by staff (WPO art. 4a, policy plan Bijlage 7, LEGAL.md §5) and the
vertrouwenspersoon's own conversation notes.

The most confidential records LEV holds (docs/decisions/0005-incident-apps.md):
- a `MisconductReport` is seen and handled by the board (role `board` of its board) only; the person
  who filed it sees a receipt; everyone else, the director included, gets 404. Its steps are rows
  (`MisconductStep`, insert-only), each with its onverwijld deadline (`ReportDeadline` links the
  step to its board-only `Deadline` row);
- a `ConfidantNote` is seen by its author only (404 for everyone else, the board included). Notes
  are insert-only: a correction is a new note pointing at the one it corrects, with a reason.

Written only through `misconduct.services`; read only through `misconduct.permissions` and
`misconduct.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lev.audit.models import InsertOnlyModel
from lev.schools.models import Role

from .domain import steps as domain


class ReportKind(models.TextChoices):
    SEXUAL = domain.SEXUAL, _("Sexual abuse or sexual harassment of a pupil (WPO art. 4a)")
    PHYSICAL = domain.PHYSICAL, _("Physical violence against a pupil")


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("misconduct report", "Open")
    CLOSED = "closed", pgettext_lazy("misconduct report", "Closed")


class ReportSource(models.TextChoices):
    OBSERVED = "observed", _("Seen myself")
    TOLD = "told", _("Heard from someone else")


class StepCode(models.TextChoices):
    CONSULT = "consult", _("Consult the vertrouwensinspecteur")
    SUSPICION = "suspicion", _("Decide on a reasonable suspicion")
    INFORM = "inform", _("Inform the parents and the accused")
    POLICE_REPORT = "police_report", _("File an aangifte with the police")
    INSPECTOR_INFORMED = "inspector_informed", _("Tell the vertrouwensinspecteur about the aangifte")
    MEASURES = "measures", _("Measures concerning the staff member")
    CONVERSATION = "conversation", _("Talk with the reporter and those involved")
    PARENTS_INFORMED = "parents_informed", _("Inform the parents")
    POLICE_CONSIDERED = "police_considered", _("Decide whether to file an aangifte")


class ConfidantNote(InsertOnlyModel):
    """A conversation of the vertrouwenspersoon: visible to its author only."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(_("date and time of the conversation"))
    with_whom = models.CharField(_("with whom"), max_length=200)
    pupils = models.ManyToManyField(
        "schools.Pupil", blank=True, related_name="+", verbose_name=_("pupils concerned")
    )
    summary = models.TextField(_("what was said"))
    agreements = models.TextField(_("agreements"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_reason = models.TextField(_("reason for correction"), blank=True)

    class Meta:
        verbose_name = _("confidential conversation")
        verbose_name_plural = _("confidential conversations")
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["author", "held_at"], name="confidantnote_author_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="confidantnote_correction_has_reason",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="confidantnote_has_summary"),
            # One correction per note: a later correction corrects the correction.
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(corrects__isnull=False), name="confidantnote_one_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"confidant note {self.pk}"


class MisconductReport(models.Model):
    """A report to the board of misconduct by someone working for the school."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # Shown on the receipt; random, so it says nothing about how many reports there are.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    # The role in which the report was filed (teacher, confidant, board …).
    reporter_role = models.CharField(_("role of the reporter"), max_length=20)
    reported_at = models.DateTimeField(_("received by the board"))
    aware_on = models.DateField(_("known since"))
    accused = models.CharField(_("who (name and function)"), max_length=200)
    accused_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pupils = models.ManyToManyField(
        "schools.Pupil", blank=True, related_name="+", verbose_name=_("pupils concerned")
    )
    facts = models.TextField(_("what was seen or heard"))
    source = models.CharField(_("seen myself or heard from"), max_length=10, choices=ReportSource.choices)
    told_by = models.CharField(_("heard from"), max_length=200, blank=True)
    source_note = models.OneToOneField(
        ConfidantNote, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("report of misconduct by staff")
        verbose_name_plural = _("reports of misconduct by staff")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["board", "status", "reported_at"], name="misconduct_board_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="told") | ~Q(told_by=""), name="misconduct_told_has_source"
            ),
            models.CheckConstraint(condition=~Q(facts=""), name="misconduct_has_facts"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(closing_note="")),
                name="misconduct_closed_has_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN

    @property
    def reporter_role_label(self) -> str:
        return (
            str(Role(self.reporter_role).label) if self.reporter_role in Role.values else self.reporter_role
        )


class MisconductStep(InsertOnlyModel):
    """One step the board took, with its date: a row per step (measures may recur)."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(MisconductReport, on_delete=models.PROTECT, related_name="steps")
    code = models.CharField(_("step"), max_length=30, choices=StepCode.choices)
    done_on = models.DateField(_("date"))
    # The answer of a decision step: a reasonable suspicion (WPO 4a), an aangifte filed (physical).
    decision = models.BooleanField(_("decision"), null=True, blank=True)
    note = models.TextField(_("outcome"), blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    police_reference = models.CharField(_("police reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("step of a misconduct report")
        verbose_name_plural = _("steps of misconduct reports")
        ordering = ["done_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code"], condition=~Q(code="measures"), name="misconduct_step_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.code} {self.done_on.isoformat()}"


class ReportDeadline(models.Model):
    """Which board-only deadline belongs to which step of a report."""

    report = models.ForeignKey(MisconductReport, on_delete=models.PROTECT, related_name="deadline_links")
    step_code = models.CharField(max_length=30, choices=StepCode.choices)
    deadline = models.OneToOneField("deadlines.Deadline", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "step_code"], name="misconduct_deadline_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.step_code}"
