"""Signals (logboek, Bijlage 14), incidents (Bijlage 11, ch. 7), their attachments and follow-up
actions, and the Vlaggensysteem assessment of an incident (ch. 13, 16.4, Achtergrondinformatie 3).

Every signal and incident writes a `DossierEntry` per pupil in the same transaction
(ARCHITECTURE.md §6). Signals and assessments are never changed after they are recorded; a
correction goes through the chronology (`entry_correct`), a new assessment replaces the previous one
as the current one while the old one stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lev.audit.models import InsertOnlyModel
from lev.schools.models import Pupil


class SignalTag(models.TextChoices):
    """The headings of Bijlage 17 (Signalen van kindermishandeling), as optional tags."""

    PHYSICAL = "lichamelijk_welzijn", _("Physical well-being")
    BEHAVIOUR = "gedrag_kind", _("Behaviour of the child")
    TOWARDS_CHILDREN = "tegenover_kinderen", _("Towards other children")
    TOWARDS_PARENTS = "tegenover_ouders", _("Towards parents")
    TOWARDS_ADULTS = "tegenover_volwassenen", _("Towards other adults")
    OTHER = "overig", _("Other signs")
    PARENT_BEHAVIOUR = "gedrag_ouder", _("Behaviour of the parent")
    FAMILY = "gezinssituatie", _("Family situation")


class SignalSource(models.TextChoices):
    OBSERVED = "observed", _("Seen myself")
    TOLD = "told", _("Heard from someone else")


class Signal(models.Model):
    """One entry of the logboek signalen (Bijlage 14), about one or more pupils."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="signals")
    pupils = models.ManyToManyField("schools.Pupil", related_name="signals", verbose_name=_("pupils"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signals")
    happened_at = models.DateTimeField(_("when"))
    location = models.CharField(_("where"), max_length=200)
    description = models.TextField(_("what happened (the facts)"))
    source = models.CharField(_("seen myself or heard from"), max_length=10, choices=SignalSource.choices)
    # For a told signal: who told it, or empty with `source_anonymous` when the source did not
    # consent to being named (shown as "niet genoemd (geen toestemming)").
    told_by = models.CharField(_("heard from"), max_length=200, blank=True)
    source_anonymous = models.BooleanField(_("the source does not want to be named"), default=False)
    own_reaction = models.TextField(_("my reaction"), blank=True)
    agreements = models.TextField(_("agreements made"), blank=True)
    others_present = models.CharField(_("others present (initials)"), max_length=100, blank=True)
    tags = models.JSONField(_("kinds of signals"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["school", "happened_at"], name="signal_school_idx"),
            models.Index(fields=["author", "happened_at"], name="signal_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="told") | ~Q(told_by="") | Q(source_anonymous=True),
                name="signal_told_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"signal {self.pk} {self.happened_at:%Y-%m-%d}"


class SignalRead(models.Model):
    """That an IB or director has read a signal ("new signals to read" on the start page)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "user"], name="signal_read_unique")]

    def __str__(self) -> str:
        return f"signal {self.signal_id} read by {self.user_id}"


class SignalDraft(models.Model):
    """What a user was typing in the signal form, kept on the server (never in the browser: classroom
    PCs are shared). Offered after the next login, deleted after 24 hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_draft"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("signal draft")
        verbose_name_plural = _("signal drafts")

    def __str__(self) -> str:
        return f"signal draft of {self.user_id}"


class IncidentCategory(models.TextChoices):
    """One list, used by the register, the dashboards and the letters (ch. 7, Bijlage 11)."""

    BULLYING = "pesten", _("Bullying")
    ONLINE_BULLYING = "online_pesten", _("Online bullying")
    SEXUAL_BOUNDARY = "grensoverschrijdend", _("(Sexually) transgressive behaviour")
    AGGRESSION = "agressie", _("Aggression")
    INTIMIDATION = "intimidatie", _("Intimidation")
    DISCRIMINATION = "discriminatie", _("Discrimination")
    RADICALISATION = "radicalisering", _("Radicalisation")
    OTHER = "anders", pgettext_lazy("incident category", "Other")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor: once and small-scale")
    SERIOUS = "serious", _("Serious")
    SEVERE = "severe", _("Severe: safety of pupils at stake")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PupilRole(models.TextChoices):
    """Ch. 17.3 and Bijlage 18: never "dader" or "slachtoffer"."""

    INITIATIVE = "initiative", _("Pupil who took the initiative")
    EXPERIENCED = "experienced", _("Pupil who experienced it")
    BYSTANDER = "bystander", _("Bystander")


class Incident(models.Model):
    """One row of the incident register (Bijlage 11)."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="incidents")
    # "2026-0007": the school's own running number per calendar year, shown in the register.
    number = models.CharField(_("number"), max_length=20)
    happened_on = models.DateField(_("date"))
    happened_time = models.TimeField(_("time"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=IncidentCategory.choices)
    description = models.TextField(_("description of what happened"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    pupils: models.ManyToManyField[Pupil, IncidentPupil] = models.ManyToManyField(
        "schools.Pupil", through="IncidentPupil", related_name="incidents", verbose_name=_("pupils")
    )
    staff_involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff involved")
    )
    # Staff or others without a LEV account, by name and function (not pupils).
    others_involved = models.CharField(_("others involved"), max_length=300, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signals = models.ManyToManyField(Signal, blank=True, related_name="incidents", verbose_name=_("signals"))
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["school", "happened_on"], name="incident_school_idx"),
            models.Index(fields=["school", "category", "happened_on"], name="incident_category_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="incident_number_unique"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="incident_closed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"incident {self.number}"


class IncidentPupil(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="incident_involvements")
    role = models.CharField(_("role"), max_length=20, choices=PupilRole.choices)

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "pupil"], name="incident_pupil_unique")]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.incident_id} ({self.role})"


class IncidentAttachment(InsertOnlyModel):
    """A file with an incident: checked by content, size-limited, stored outside the web root and
    served only through the access check, as an attachment with `nosniff`."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="incidents/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]


class FollowUpAction(models.Model):
    """A follow-up action of an incident with an owner and a due date; its deadline is a row."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due on"))
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.CharField(_("what was done"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"follow-up {self.pk} of {self.incident_id}"


class CriterionAnswer(models.TextChoices):
    MET = "met", pgettext_lazy("criterion", "Met")
    NOT_MET = "not_met", pgettext_lazy("criterion", "Not met")
    UNKNOWN = "unknown", pgettext_lazy("criterion", "Unknown")


class Flag(models.TextChoices):
    """The four flags of the Vlaggensysteem; always shown with their word, never by colour alone."""

    GREEN = "groen", _("Green: acceptable")
    YELLOW = "geel", _("Yellow: mildly transgressive")
    RED = "rood", _("Red: seriously transgressive")
    BLACK = "zwart", _("Black: severely transgressive")


class FlagAssessment(InsertOnlyModel):
    """A weighing of the behaviour in an incident with the Vlaggensysteem (plan 16.4).

    `criteria` maps each of the six criteria to {"answer": met|not_met|unknown, "note": str};
    `questions` holds the individual and group questions of §16.4 with their answers; `gaps` the
    hiaten; `decision` the four points of "Besluit" (zwaarte, communicatie, toezicht, aanvullende
    regels). The newest assessment of an incident is the current one; older ones stay as evidence.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="assessments")
    # The pupil whose behaviour is weighed (one who took the initiative); empty for group behaviour.
    pupil = models.ForeignKey(
        "schools.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group_behaviour = models.BooleanField(_("behaviour of a group"), default=False)
    criteria = models.JSONField(_("criteria"))
    questions = models.JSONField(_("questions"), default=dict, blank=True)
    gaps = models.JSONField(_("gaps (hiaten)"), default=dict, blank=True)
    suggested_flag = models.CharField(_("suggested flag"), max_length=10, choices=Flag.choices)
    flag = models.CharField(_("flag"), max_length=10, choices=Flag.choices)
    deviation_reason = models.TextField(_("reason for another flag than suggested"), blank=True)
    pedagogical_response = models.TextField(_("pedagogical response"))
    decision = models.JSONField(_("decision"), default=dict, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        verbose_name = _("Vlaggensysteem assessment")
        verbose_name_plural = _("Vlaggensysteem assessments")
        ordering = ["-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flag=models.F("suggested_flag")) | ~Q(deviation_reason=""),
                name="flag_deviation_has_reason",
            ),
        ]
