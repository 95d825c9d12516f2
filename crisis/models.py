"""Crisis management (policy plan ch. 16–17, Bijlage 18–22 and 26) on top of incidents.

A `Crisis` links one or more incidents of one school. It holds the five actions of Bijlage 18
(`CrisisAction`, made when the crisis starts), the plan of approach (ch. 16.5: weging, intended
conversations, those involved), the participants list (Bijlage 20), temporary extra rules per pupil
(Bijlage 19: `TemporaryMeasure` with its `MeasureEvaluation`s, each term a deadline row),
communication decisions linked to the letters sent (ch. 17.4–17.6), the media log with the
crisis's spokesperson (ch. 17.7, Bijlage 26) and the evaluation (ch. 16.10). Parent contacts of a
crisis (Bijlage 21) are rows of `communications.ContactLog` with this crisis's id.

Written only through `crisis.services`. Evaluations, communication decisions and media log entries
are evidence: insert-only (ARCHITECTURE.md §6).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lev.audit.models import InsertOnlyModel


class CrisisStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Spokesperson(models.TextChoices):
    """Who speaks to the media: the board unless another person is designated (ch. 17.7)."""

    BOARD = "board", _("The board")
    USER = "user", _("A designated LEV user")
    OTHER = "other", _("Another designated person")


class Crisis(models.Model):
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="crises")
    # A working title without pupil names ("Onrust groep 5 na incident op het plein").
    title = models.CharField(_("title"), max_length=200)
    incidents = models.ManyToManyField(
        "incidents.Incident", related_name="crises", verbose_name=_("incidents")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CrisisStatus.choices, default=CrisisStatus.OPEN
    )
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    # The media (ch. 17.7, Bijlage 26).
    spokesperson = models.CharField(
        _("spokesperson for the media"),
        max_length=10,
        choices=Spokesperson.choices,
        default=Spokesperson.BOARD,
    )
    spokesperson_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("designated user"),
    )
    spokesperson_name = models.CharField(_("name"), max_length=200, blank=True)
    spokesperson_function = models.CharField(_("function"), max_length=200, blank=True)
    # Plan of approach (ch. 16.5: "een kort plan van aanpak waarin de weging, beoogde gesprekken en
    # betrokkenen op een rij worden gezet").
    weighing = models.TextField(_("weighing"), blank=True)
    intended_conversations = models.TextField(_("intended conversations"), blank=True)
    involved = models.TextField(_("those involved"), blank=True)
    plan_updated_at = models.DateTimeField(null=True, blank=True)
    # Evaluation (ch. 16.10).
    sounding_board = models.TextField(_("sounding board group (klankbordgroep)"), blank=True)
    process_evaluation = models.TextField(_("process evaluation"), blank=True)
    result_evaluation = models.TextField(_("result evaluation"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["school", "status", "started_at"], name="crisis_school_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="crisis_closed_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(spokesperson="user") | Q(spokesperson_user__isnull=False),
                name="crisis_spokesperson_user_set",
            ),
            models.CheckConstraint(
                condition=~Q(spokesperson="other") | ~Q(spokesperson_name=""),
                name="crisis_spokesperson_name_set",
            ),
        ]

    def __str__(self) -> str:
        return f"crisis {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == CrisisStatus.OPEN


class ActionStatus(models.TextChoices):
    NOT_STARTED = "todo", _("To do")
    BUSY = "busy", _("In progress")
    DONE = "done", _("Done")


class CrisisAction(models.Model):
    """One of the five actions of Bijlage 18 (`crisis.domain.actions`), with an owner and a status."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("action"), max_length=20)
    position = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["crisis", "code"], name="crisis_action_unique")]

    def __str__(self) -> str:
        return f"{self.code} of crisis {self.crisis_id}"


class Participant(models.Model):
    """A row of the participants and availability list (Bijlage 20). Removing a participant keeps
    the row (`removed_at`, `removed_by`, `removal_reason`); the current list is the rows without
    `removed_at`."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name (including substitutes)"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    # Someone who leaves the team is removed from the list, not deleted: the row stays, so the list
    # shows who was reachable when, and why someone left.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = models.TextField(_("why the participant was removed"), blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="participant_removed_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk} of crisis {self.crisis_id}"


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class TemporaryMeasure(models.Model):
    """Temporary extra rules for one pupil (Bijlage 19), evaluated after two weeks, then monthly.

    `evaluation_deadline` is the running term of the next evaluation (a `Deadline` row): rule
    `evaluatie-omgangsregels` from `starts_on`, then `evaluatie-omgangsregels-vervolg` from each
    evaluation. Ending the measure waives it.
    """

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="measures")
    pupil = models.ForeignKey(
        "schools.Pupil", on_delete=models.PROTECT, related_name="crisis_measures", verbose_name=_("pupil")
    )
    description = models.TextField(_("the extra rules"))
    starts_on = models.DateField(_("in force from"))
    # The planned end while the measure runs; the day it ended once it has ended.
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE
    )
    end_reason = models.TextField(_("why the measure ended"), blank=True)
    evaluation_deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("temporary measure")
        verbose_name_plural = _("temporary measures")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="measure_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_at__isnull=False), name="measure_ended_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"measure {self.pk} of crisis {self.crisis_id}"

    @property
    def is_active(self) -> bool:
        return self.status == MeasureStatus.ACTIVE


class MeasureEvaluation(InsertOnlyModel):
    """An evaluation of a temporary measure (Bijlage 19 "Evaluatie")."""

    measure = models.ForeignKey(TemporaryMeasure, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("held on"))
    with_whom = models.CharField(_("with whom"), max_length=300)
    outcome = models.TextField(_("outcome"))
    changes = models.TextField(_("changes to the rules"), blank=True)
    # The term this evaluation met and the one it opened.
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation of a measure")
        verbose_name_plural = _("evaluations of measures")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"evaluation {self.pk} of measure {self.measure_id}"


class CommunicationDecision(InsertOnlyModel):
    """A decision on whom to tell what (ch. 17.1–17.6), with the letters that carried it."""

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="communication_decisions")
    decided_on = models.DateField(_("decided on"))
    audience = models.CharField(_("audience"), max_length=300)
    message = models.TextField(_("message"))
    letters = models.ManyToManyField(
        "communications.Letter", blank=True, related_name="+", verbose_name=_("letters")
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("communication decision")
        verbose_name_plural = _("communication decisions")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"communication decision {self.pk} of crisis {self.crisis_id}"


class MediaLogEntry(InsertOnlyModel):
    """One contact with the media (Bijlage 26): who asked what, what was answered and by whom."""

    crisis = models.ForeignKey(Crisis, on_delete=models.PROTECT, related_name="media_log")
    occurred_at = models.DateTimeField(_("when"))
    medium = models.CharField(_("medium and journalist"), max_length=200)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer given"))
    spoken_by = models.CharField(_("answered by"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("media log entry")
        verbose_name_plural = _("media log entries")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"media log {self.pk} of crisis {self.crisis_id}"
