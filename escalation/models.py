"""The escalation ladder (Bijlage 4 and 5 of the plan; LEGAL.md §3, R1–R20) as records.

An `Episode` per pupil holds the ladder's state (`escalation.domain.ladder.State`: the highest step
reached); at most one episode per pupil is not closed (a partial unique constraint), and every
service that changes an episode or one of its measures locks the episode row first, so two
directors acting at once end in exactly one decision.

- `StepRecord`: steps 1–4 (the pupils' own actions, and the recorded conversations of steps 3–4).
- `TimeOut`: step 5 (R1, R2): requested, then approved or rejected before it starts.
- `Schorsing`: step 6 (R3–R9): the board's approval or the director's mandate, the parent
  conversation, the decision letter, the Inspectie report, the beroep or bezwaar (`Objection`).
- `Verwijdering`: step 7 (R10–R20): ground, hearings, decision, leerplicht report, bezwaar
  (`Objection`), a GPO case (`GpoCase`) and the search for another school (`SchoolApproach`).

Written only through `escalation.services` and its siblings; every decision writes an audit event
and a dossier entry (ARCHITECTURE.md §6).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .domain.ladder import State


class EpisodeState(models.TextChoices):
    OPEN = State.OPEN.value, _("Opened")
    STEP_1 = State.STEP_1.value, _("Step 1: I can do it myself")
    STEP_2 = State.STEP_2.value, _("Step 2: I ask for help")
    STEP_3 = State.STEP_3.value, _("Step 3: We look for a solution together")
    STEP_4 = State.STEP_4.value, _("Step 4: School and parents work together")
    STEP_5 = State.STEP_5.value, _("Step 5: Time-out")
    STEP_6 = State.STEP_6.value, _("Step 6: Schorsing")
    STEP_7 = State.STEP_7.value, _("Step 7: Verwijdering")
    CLOSED = State.CLOSED.value, _("Closed")


class Episode(models.Model):
    """One pupil's way up (and down) the ladder, opened by an incident or by the director."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="escalation_episodes")
    state = models.CharField(
        _("step"), max_length=10, choices=EpisodeState.choices, default=EpisodeState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_from = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened after incident"),
    )
    reason = models.TextField(_("why the episode was opened"), blank=True)
    # "Een ernstig incident leidt tot een time-out met onmiddellijke ingang" (Bijlage 4, stap 5).
    serious_incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("serious incident"),
    )
    serious_incident_reason = models.TextField(_("why the incident is serious"), blank=True)
    serious_incident_recorded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stappenplan episode")
        verbose_name_plural = _("stappenplan episodes")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["school", "state"], name="episode_school_state_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=~Q(state="closed"), name="episode_one_open_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False)
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="episode_closed_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(serious_incident__isnull=True) | ~Q(serious_incident_reason=""),
                name="episode_serious_incident_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.pk} ({self.state})"

    @property
    def is_closed(self) -> bool:
        return self.state == EpisodeState.CLOSED


class Consequence(models.TextChoices):
    """The plan's list of consequences (Bijlage 4, stap 4: "Consequenties van pesten kunnen zijn")."""

    STAY_IN = "binnenblijven", _("Staying inside during one or more breaks")
    STAY_AFTER = "nablijven", _("Staying after school until all pupils have left")
    WRITTEN_TASK = "schriftelijke_opdracht", _("A written task about their part in what happened")
    STAY_NEAR = "in_de_buurt", _("Staying near the teacher")
    AGREEMENTS = "afspraken", _("Agreements about changing behaviour, made in a conversation")


class StepRecord(models.Model):
    """Steps 1–4 of the ladder: what the pupils did themselves (1, 2) and the conversations (3, 4)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="step_records")
    step = models.PositiveSmallIntegerField(_("step"))
    happened_on = models.DateField(_("date"))
    participants = models.TextField(_("who took part"), blank=True)
    summary = models.TextField(_("what happened and what was said"))
    agreements = models.TextField(_("what was agreed"), blank=True)
    parents_informed = models.BooleanField(_("parents informed"), default=False)
    parents_informed_how = models.CharField(_("how the parents were informed"), max_length=200, blank=True)
    consequences = models.JSONField(_("consequences"), default=list, blank=True)
    incidents = models.ManyToManyField("incidents.Incident", related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["happened_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=4), name="steprecord_step_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"step {self.step} of episode {self.episode_id}"


class TimeOutStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalKind(models.TextChoices):
    DIRECTOR = "director", _("Approved by the director")
    DEPUTY = "deputy", _("Approved by the deputy director")
    SELF = "self", _("The director decided alone")
    BOARD = "board", _("Approved by the board")


class TimeOut(models.Model):
    """Step 5 (R1, R2): in school, approved by the director beforehand, parents told the same day."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="time_outs")
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=TimeOutStatus.choices, default=TimeOutStatus.REQUESTED
    )
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("what happened (the facts)"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    where = models.CharField(_("where the pupil works"), max_length=200)
    work = models.TextField(_("the work the pupil takes along"), blank=True)
    excluded_activities = models.JSONField(
        _("activities the pupil does not take part in"), default=list, blank=True
    )
    longer_confirmed = models.BooleanField(
        _("the director confirms the pupil is taught in school on all these days"), default=False
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approval_kind = models.CharField(max_length=10, choices=ApprovalKind.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    parents_phoned_at = models.DateTimeField(_("parents phoned at"), null=True, blank=True)
    parents_phoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone_note = models.TextField(_("what was said on the phone"), blank=True)
    letter = models.ForeignKey(
        "communications.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("time-out")
        verbose_name_plural = _("time-outs")
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["school", "status"], name="timeout_school_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status="requested"), name="timeout_one_request_per_episode"
            ),
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="timeout_order"),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False),
                name="timeout_decided_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(approval_kind="self") | ~Q(decision_reason=""),
                name="timeout_self_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"time-out {self.pk} ({self.status})"


class SchorsingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the board")
    DECIDED = "decided", _("Decided")
    REJECTED = "rejected", _("Not approved by the board")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Authority(models.TextChoices):
    BOARD = "board", _("Approved by the board")
    MANDATE = "mandate", _("The director's mandate")


class Schorsing(models.Model):
    """Step 6 (WPO art. 40c; R3–R9): at most one week, decided by the board or under mandate."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="schorsingen")
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=SchorsingStatus.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reasons = models.TextField(_("reasons"))
    earlier_measures = models.TextField(_("earlier measures"), blank=True)
    incidents = models.ManyToManyField("incidents.Incident", related_name="+", blank=True)
    back_to_back = models.BooleanField(default=False)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    during_verwijdering = models.BooleanField(default=False)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    # Who decided: the board beforehand, or the director under a recorded mandate (R4).
    authority = models.CharField(max_length=10, choices=Authority.choices, blank=True)
    board_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    board_decided_at = models.DateTimeField(null=True, blank=True)
    board_note = models.TextField(_("the board's note"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The parent conversation (plan, stap 6): not a guard for the decision.
    conversation_invited_on = models.DateField(_("parents invited on"), null=True, blank=True)
    conversation_on = models.DateField(_("conversation held on"), null=True, blank=True)
    teacher_invited = models.BooleanField(_("the teacher was invited"), default=False)
    confidant_offered = models.BooleanField(
        _("parents were told they may bring a vertrouwenspersoon"), default=False
    )
    conversation_report = models.TextField(_("report of the conversation"), blank=True)
    report_signed_on = models.DateField(_("report signed 'voor gezien' on"), null=True, blank=True)
    # Education during the schorsing (plan, stap 6).
    education_arrangements = models.TextField(_("education during the schorsing"), blank=True)
    tests_arrangements = models.TextField(_("tests during the schorsing"), blank=True)
    # The Inspectie report (WPO art. 40c lid 3; R6).
    inspectie_needed = models.BooleanField(default=False)
    inspectie_reported_on = models.DateField(_("reported to the Inspectie on"), null=True, blank=True)
    inspectie_reference = models.CharField(_("Internet Schooldossier reference"), max_length=100, blank=True)
    letter = models.ForeignKey(
        "communications.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("schorsing")
        verbose_name_plural = _("schorsingen")
        ordering = ["-first_day", "-id"]
        indexes = [
            models.Index(fields=["school", "status"], name="schorsing_school_status_idx"),
            models.Index(fields=["pupil", "first_day"], name="schorsing_pupil_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="schorsing_order"),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="submitted"),
                name="schorsing_one_submitted_per_episode",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_at__isnull=False) & ~Q(authority="")),
                name="schorsing_decided_has_authority",
            ),
            models.CheckConstraint(
                condition=~Q(authority="board") | Q(board_decided_at__isnull=False),
                name="schorsing_board_authority_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"schorsing {self.pk} ({self.status})"


class VerwijderingStatus(models.TextChoices):
    STARTED = "started", _("Being prepared")
    DECIDED = "decided", _("Decided")
    REMOVED = "removed", _("Removed from the school")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Verwijdering(models.Model):
    """Step 7 (WPO art. 40, 42, 43, 63; R10–R20)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="verwijderingen")
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=VerwijderingStatus.choices, default=VerwijderingStatus.STARTED
    )
    ground = models.PositiveSmallIntegerField(_("ground"))
    ground_explanation = models.TextField(_("explanation of the ground"))
    earlier_measures = models.TextField(_("earlier measures that did not help"), blank=True)
    lighter_measures_failed = models.BooleanField(_("lighter measures did not help"), default=False)
    warning_given_on = models.DateField(_("warning given on"), null=True, blank=True)
    warning_note = models.TextField(_("the warning"), blank=True)
    incidents = models.ManyToManyField("incidents.Incident", related_name="+", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    report_on = models.DateField(_("onderwijskundig rapport made on"), null=True, blank=True)
    # The hearings (WPO art. 40 lid 11; the plan: the pupil from 12).
    groepsleraar_heard_on = models.DateField(_("groepsleraar heard on"), null=True, blank=True)
    groepsleraar_note = models.TextField(_("what the groepsleraar said"), blank=True)
    parents_heard_on = models.DateField(_("parents heard on"), null=True, blank=True)
    parents_note = models.TextField(_("what the parents said"), blank=True)
    pupil_heard_on = models.DateField(_("pupil heard on"), null=True, blank=True)
    pupil_note = models.TextField(_("what the pupil said"), blank=True)
    # The decision (R12): the board, or the director under mandate; bekendmaking separate.
    authority = models.CharField(max_length=10, choices=Authority.choices, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    sent_on = models.DateField(_("decision sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("decision received by the parents on"), null=True, blank=True)
    letter = models.ForeignKey(
        "communications.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leerplicht_reported_on = models.DateField(_("reported to leerplicht on"), null=True, blank=True)
    # Meanwhile (R10): the pupil attends school or an agreed alternative, with education continued.
    interim_arrangement = models.TextField(_("where the pupil goes to school meanwhile"), blank=True)
    # Definitive removal (R13) and de-registration (R20).
    accepting_school = models.CharField(_("school that admits the pupil"), max_length=200, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    enrolment_notice_on = models.DateField(
        _("new school's notice of enrolment received on"), null=True, blank=True
    )
    deregistered_on = models.DateField(_("de-registered on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("verwijdering")
        verbose_name_plural = _("verwijderingen")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["school", "status"], name="verwijdering_school_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ground__gte=1, ground__lte=4), name="verwijdering_ground_1_to_4"
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status__in=["started", "decided"]),
                name="verwijdering_one_open_per_episode",
            ),
            models.CheckConstraint(
                condition=Q(status="started")
                | Q(status="withdrawn")
                | (
                    Q(decided_on__isnull=False)
                    & Q(groepsleraar_heard_on__isnull=False)
                    & Q(parents_heard_on__isnull=False)
                ),
                name="verwijdering_decided_after_hearings",
            ),
            models.CheckConstraint(
                condition=~Q(status="removed") | ~Q(accepting_school=""),
                name="verwijdering_removed_has_accepting_school",
            ),
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True) | Q(enrolment_notice_on__isnull=False),
                name="verwijdering_deregistered_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"verwijdering {self.pk} ({self.status})"


class ObjectionKind(models.TextChoices):
    BEROEP = "beroep", _("Beroep (the school's own procedure)")
    BEZWAAR = "bezwaar", _("Bezwaar (Awb)")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("The decision stands")
    REVOKED = "revoked", _("The decision is revoked")
    CHANGED = "changed", _("The decision is changed")
    WITHDRAWN = "withdrawn", _("The parents withdrew it")
    INADMISSIBLE = "inadmissible", _("Not admissible (too late or incomplete)")


class Objection(models.Model):
    """The parents' beroep or bezwaar against a schorsing (R8, R9) or a verwijdering (R16–R19)."""

    schorsing = models.ForeignKey(
        Schorsing, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    verwijdering = models.ForeignKey(
        Verwijdering, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ObjectionKind.choices)
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    grounds = models.TextField(_("what the parents object to"), blank=True)
    adviescommissie = models.BooleanField(_("an advisory committee hears the bezwaar"), default=False)
    hearing_on = models.DateField(_("parents heard on"), null=True, blank=True)
    hearing_note = models.TextField(_("what the parents said"), blank=True)
    extended_on = models.DateField(_("term extended on"), null=True, blank=True)
    extension_reason = models.TextField(_("why the term was extended"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    letter = models.ForeignKey(
        "communications.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("beroep or bezwaar")
        verbose_name_plural = _("beroepen and bezwaren")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(schorsing__isnull=False) & Q(verwijdering__isnull=True))
                | (Q(schorsing__isnull=True) & Q(verwijdering__isnull=False)),
                name="objection_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | ~Q(outcome=""), name="objection_decided_has_outcome"
            ),
            models.CheckConstraint(
                condition=Q(posted_on__isnull=True) | Q(received_on__gte=models.F("posted_on")),
                name="objection_received_after_posting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class GpoCase(models.Model):
    """A case at the Geschillencommissie passend onderwijs (WPO art. 43; R19)."""

    verwijdering = models.ForeignKey(Verwijdering, on_delete=models.PROTECT, related_name="gpo_cases")
    filed_on = models.DateField(_("filed on"))
    defence_sent_on = models.DateField(_("verweer sent on"), null=True, blank=True)
    opinion_on = models.DateField(_("opinion received on"), null=True, blank=True)
    opinion = models.TextField(_("the opinion"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("GPO case")
        verbose_name_plural = _("GPO cases")
        ordering = ["filed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["verwijdering"],
                condition=Q(opinion_on__isnull=True, withdrawn_on__isnull=True),
                name="gpocase_one_running",
            ),
        ]

    def __str__(self) -> str:
        return f"GPO case {self.pk}"


class ApproachAnswer(models.TextChoices):
    WAITING = "waiting", _("No answer yet")
    ACCEPTED = "accepted", _("Will admit the pupil")
    REFUSED = "refused", _("Will not admit the pupil")


class SchoolApproach(models.Model):
    """The search for another school (WPO art. 40 lid 11): schools approached and their answers."""

    verwijdering = models.ForeignKey(Verwijdering, on_delete=models.PROTECT, related_name="approaches")
    school_name = models.CharField(_("school"), max_length=200)
    approached_on = models.DateField(_("approached on"))
    answer = models.CharField(
        _("answer"), max_length=10, choices=ApproachAnswer.choices, default=ApproachAnswer.WAITING
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    tlv_requested_on = models.DateField(_("TLV requested on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("school approached")
        verbose_name_plural = _("schools approached")
        ordering = ["approached_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="waiting") | Q(answered_on__isnull=False), name="approach_answer_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_name} ({self.answer})"
