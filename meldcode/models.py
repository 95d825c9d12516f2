"""Meldcode cases (plan ch. 14, Bijlage 10, 13, 16, 17, 27; LEGAL.md §4 M1–M9, §11) as records.

- `MeldcodeCase`: one primary pupil, opened by a care coordinator or director from one or more
  signals; related siblings at the school are `CasePupil` rows (each child keeps their own access
  check: the case page names a sibling only to a reader who may open that sibling's file).
- `CaseStepRecord`: a record of one of the five steps (date, author, content); a step may be
  recorded again (more signals, a revised decision). Step 3 left out is a record with a reason (M4);
  step 5 carries the decision on melden and on hulp and who decided.
- `AfwegingAnswer`: one answer per question of the afwegingskader, with its reasoning, date, author
  and whether it was answered together with Veilig Thuis (M2). Never changed once given.
- `Melding`: the melding at Veilig Thuis (M5), the reminder to ask for feedback (M6, a deadline
  row that is never "missed"), and the feedback received.
- `InformationRequest`: Veilig Thuis asking the school for information (consent, what was shared,
  the verslag accorded).
- `HelpRecord` and `HelpEvaluation`: the help organised, with whom (the social map), and its
  evaluations, each planned evaluation a deadline row.
- `CaseReport`: the Rapportage Meldcode of Bijlage 10, per significant case; `CaseReportVersion`
  keeps every saved text of it, insert-only, so an exported yearly bundle can be rebuilt exactly.

Access to a case is never a model-wide permission: the case manager, the school's director and
deputy, the eindverantwoordelijke and staff granted the case explicitly (guardian, per object; see
`meldcode.permissions`). Written only through `meldcode.services`, which locks the case row first
and writes an audit event and a dossier entry (visibility "meldcode_case") in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MeldcodeCase(models.Model):
    """One Meldcode case about one pupil (the primary pupil)."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="meldcode_cases")
    number = models.CharField(_("case number"), max_length=20)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("case manager")
    )
    signals = models.ManyToManyField(
        "incidents.Signal", blank=True, related_name="meldcode_cases", verbose_name=_("signals")
    )
    reason = models.TextField(_("why the case was opened"))
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    # Question 5 "yes": the help is closed with agreements on monitoring (Bijlage 27).
    monitoring_agreements = models.TextField(_("agreements on monitoring"), blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Meldcode case")
        verbose_name_plural = _("Meldcode cases")
        # No model-wide permissions: access is per case (SECURITY.md pitfall 1).
        default_permissions = ()
        permissions = [("access_case", "Access the Meldcode case")]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="meldcode_case_number_unique"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="meldcode_case_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="meldcode_case_school_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CasePupil(models.Model):
    """A sibling at the school the case also concerns (plan §14.2: the kindcheck; M7)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.CASCADE, related_name="related_pupils")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation to the pupil"), max_length=100)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("related pupil")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["case", "pupil"], name="meldcode_case_pupil_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.pupil_id}"


class VeiligThuisAdvice(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not asked")
    NAMED = "named", _("Asked, with the pupil's name")
    ANONYMOUS = "anonymous", _("Asked anonymously")


class CaseStepRecord(models.Model):
    """What one of the five steps recorded (M1): date, author and content.

    CONTENT maps the step's record codes (`meldcode.domain.steps.STEPS`) to the text recorded; the
    Balansmodel of step 4 is kept in BALANS (risk and protective factors per level, the context
    score, the goals).
    """

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="step_records")
    step = models.PositiveSmallIntegerField(_("step"))
    recorded_on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(default=dict)
    # Step 2: advice from Veilig Thuis.
    veilig_thuis_advice = models.CharField(
        _("advice from Veilig Thuis"), max_length=10, choices=VeiligThuisAdvice.choices, blank=True
    )
    # Step 3 left out (M4), with the reason.
    skipped = models.BooleanField(default=False)
    skip_reason = models.TextField(_("why the conversation is left out"), blank=True)
    # Step 4: the Balansmodel (Bijlage 13).
    balans = models.JSONField(null=True, blank=True)
    # Step 5: the decision on melden and hulp, and who decided (the eindverantwoordelijke).
    decision_melden = models.BooleanField(null=True, blank=True)
    decision_hulp = models.BooleanField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("step record")
        default_permissions = ()
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=5), name="meldcode_step_in_range"),
            models.CheckConstraint(
                condition=Q(skipped=False) | (Q(step=3) & ~Q(skip_reason="")),
                name="meldcode_skip_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(step=5)
                | Q(decision_melden__isnull=False, decision_hulp__isnull=False, decided_by__isnull=False),
                name="meldcode_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: stap {self.step}"


class AfwegingAnswer(models.Model):
    """One answer of the afwegingskader (Bijlage 27; M2)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="answers")
    question = models.CharField(_("question"), max_length=2)
    answer = models.BooleanField(_("answer"))
    reasoning = models.TextField(_("reasoning"))
    answered_on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    with_veilig_thuis = models.BooleanField(_("answered together with Veilig Thuis"), default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("afwegingskader answer")
        default_permissions = ()
        ordering = ["question"]
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="meldcode_answer_once"),
            models.CheckConstraint(
                condition=Q(question__in=["q1", "q2", "q3", "q4", "q5"]), name="meldcode_answer_question"
            ),
            models.CheckConstraint(condition=~Q(reasoning=""), name="meldcode_answer_has_reasoning"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.question}"


class FeedbackKind(models.TextChoices):
    """What Veilig Thuis decided after its safety assessment (Achtergrondinformatie 2)."""

    HANDOVER = "overdracht", _("Handed over to regular help (overdracht)")
    CONDITIONS = "voorwaarden", _("Conditions and follow-up (voorwaarden en vervolg)")
    INVESTIGATION = "onderzoek", _("Investigation (onderzoek)")
    NONE = "geen", _("No further action")


class Melding(models.Model):
    """A melding at Veilig Thuis (M5, M6)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="meldingen")
    melded_at = models.DateTimeField(_("date and time of the melding"))
    reference = models.CharField(_("Veilig Thuis reference"), max_length=100, blank=True)
    identity_shield = models.BooleanField(
        _("asked Veilig Thuis to shield the school's identity"), default=False
    )
    parents_informed_on = models.DateField(_("parents informed on"), null=True, blank=True)
    parents_not_informed_reason = models.TextField(_("why the parents were not informed"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    # Question 5 "no": the help did not lead to safety in time, and this is the new melding.
    after_help_failed = models.BooleanField(default=False)
    reminder = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # The feedback from Veilig Thuis (M6).
    feedback_on = models.DateField(_("feedback received on"), null=True, blank=True)
    feedback_kind = models.CharField(
        _("decision of Veilig Thuis"), max_length=12, choices=FeedbackKind.choices, blank=True
    )
    feedback = models.TextField(_("the feedback"), blank=True)
    investigation_started_on = models.DateField(_("investigation started on"), null=True, blank=True)
    feedback_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        default_permissions = ()
        ordering = ["melded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parents_informed_on__isnull=False) | ~Q(parents_not_informed_reason=""),
                name="meldcode_melding_parents_informed_or_reason",
            ),
            models.CheckConstraint(
                condition=Q(feedback_on__isnull=True) | ~Q(feedback_kind=""),
                name="meldcode_feedback_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: melding {self.pk}"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("The parents consented")
    REFUSED = "refused", _("The parents refused; shared on a legal ground")
    NOT_ASKED = "not_asked", _("Not asked; shared on a legal ground (Veilig Thuis needs no consent)")


class InformationRequest(models.Model):
    """Veilig Thuis asks the school for information (Bijlage 16; LEGAL.md §11)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="information_requests")
    requested_on = models.DateField(_("requested on"))
    requested_by = models.CharField(_("asked by (at Veilig Thuis)"), max_length=200)
    consent = models.CharField(_("consent"), max_length=10, choices=ConsentStatus.choices)
    shared = models.TextField(_("what was shared"))
    verslag_accorded = models.BooleanField(
        _("the school agreed the report of the conversation"), default=False
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("information request")
        default_permissions = ()
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: informatieverzoek {self.pk}"


class HelpRecord(models.Model):
    """The help offered or organised (step 5 "hulp"), and with whom (Bijlage 12, the social map)."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="help_records")
    description = models.TextField(_("the help"))
    partner = models.ForeignKey(
        "schools.SocialMapEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("with (social map)"),
    )
    partner_other = models.CharField(_("with (other)"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("help")
        default_permissions = ()
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(partner_other=""), name="meldcode_help_has_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: hulp {self.pk}"


class HelpEvaluation(models.Model):
    """An evaluation of the help: planned (a deadline row), then held with its conclusion."""

    help = models.ForeignKey(HelpRecord, on_delete=models.PROTECT, related_name="evaluations")
    planned_on = models.DateField(_("evaluation planned on"))
    deadline = models.ForeignKey(
        "deadlines.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation of the help")
        default_permissions = ()
        ordering = ["planned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | ~Q(conclusion=""),
                name="meldcode_evaluation_has_conclusion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.help_id}: evaluatie {self.planned_on}"


class CaseReport(models.Model):
    """The Rapportage Meldcode (Bijlage 10) of a significant case, written by the case manager."""

    case = models.OneToOneField(MeldcodeCase, on_delete=models.PROTECT, related_name="report")
    report_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    unrest = models.TextField(_("social unrest"), blank=True)
    involved = models.TextField(_("those involved (not professionals)"))
    activities = models.TextField(_("activities carried out"))
    informing = models.TextField(_("informing those involved"), blank=True)
    external_consultation = models.TextField(_("external consultation"), blank=True)
    bottlenecks = models.TextField(_("bottlenecks"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Rapportage Meldcode")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id}: rapportage"


class CaseReportVersion(models.Model):
    """One saved text of the Rapportage Meldcode of a case: written once by `report_save`, in the same
    transaction as the `CaseReport` it updates, and never changed. The latest is the report's current
    text; the yearly bundle's audit event names the versions it included."""

    case = models.ForeignKey(MeldcodeCase, on_delete=models.PROTECT, related_name="report_versions")
    report_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    unrest = models.TextField(_("social unrest"), blank=True)
    involved = models.TextField(_("those involved (not professionals)"))
    activities = models.TextField(_("activities carried out"))
    informing = models.TextField(_("informing those involved"), blank=True)
    external_consultation = models.TextField(_("external consultation"), blank=True)
    bottlenecks = models.TextField(_("bottlenecks"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("version of the Rapportage Meldcode")
        default_permissions = ()
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case_id}: rapportage, versie {self.pk}"
