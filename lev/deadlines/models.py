"""KB-gelijkgestelde dagen: national calendar data, maintained per deployment by the operator.

Days declared equal to a recognised holiday by Koninklijk Besluit (Algemene termijnenwet art. 3).
The shipped list (`data/kb_days.json`) is loaded by a migration; `manage.py kb_days` lists, adds and
marks them verified against the Staatscourant (LEGAL.md §1, §10.9).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lev.schools.models import Role


class KBDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    description = models.CharField(_("description"), max_length=200)
    source = models.CharField(_("source reference"), max_length=300, blank=True)
    verified = models.BooleanField(
        _("verified against the Staatscourant"),
        default=False,
    )

    class Meta:
        verbose_name = _("day declared a holiday by royal decree")
        verbose_name_plural = _("days declared a holiday by royal decree")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.description}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    SUSPENDED = "suspended", _("Suspended")
    WAIVED = "waived", _("Waived")


class Visibility(models.TextChoices):
    """Who may see a deadline: it inherits its subject's visibility (ARCHITECTURE.md §5)."""

    SCHOOL = "school", _("The school's management")
    MELDCODE_CASE = "meldcode_case", _("Those with access to the Meldcode case")
    BOARD_ONLY = "board_only", _("The board only")


class Deadline(models.Model):
    """A term as a row: computed once by the engine (`lev.deadlines.domain`), swept by the jobs.

    `due_on` is the last day (Europe/Amsterdam); `overdue_at` the instant after which the term is
    missed: the start of the next local day, for *onverwijld* rules the start of the day after the
    next working day, for hour rules (`datalek`) the instant `due_at` itself.
    """

    rule_code = models.CharField(_("rule"), max_length=60)
    school_type = models.CharField(_("school type"), max_length=10)
    adviescommissie = models.BooleanField(_("with an advisory committee"), default=False)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    start_at = models.DateTimeField(_("start instant"), null=True, blank=True)
    raw_end = models.DateField(_("end before extension"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    late_after = models.DateField(_("late after"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue from"))
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0)
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    explanation = models.TextField(_("explanation"))
    source = models.CharField(_("source"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    waived_reason = models.TextField(_("reason for waiving"), blank=True)
    reminder_only = models.BooleanField(_("another party's term (reminder only)"), default=False)
    responsible_role = models.CharField(
        _("responsible role"), max_length=20, choices=Role.choices, blank=True
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="deadlines")
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.SCHOOL
    )
    case_id = models.PositiveBigIntegerField(_("Meldcode case"), null=True, blank=True)
    subject_type = models.CharField(_("subject type"), max_length=100)
    subject_id = models.CharField(_("subject id"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["overdue_at", "pk"]
        indexes = [
            models.Index(fields=["status", "overdue_at"], name="deadline_status_overdue"),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility="meldcode_case") | models.Q(case_id__isnull=False),
                name="deadline_meldcode_has_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(visibility="school") | models.Q(school__isnull=False),
                name="deadline_school_visibility_has_school",
            ),
            models.CheckConstraint(
                condition=models.Q(start_on__isnull=False) | models.Q(start_at__isnull=False),
                name="deadline_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.due_on.isoformat()}"

    @property
    def explanation_lines(self) -> list[str]:
        return [line for line in self.explanation.splitlines() if line]

    @property
    def rule_title(self) -> str:
        """The rule's title as the engine names it (Dutch), or the code when the rule is unknown."""
        from lev.deadlines.domain import DeadlineError, resolve_rule

        try:
            rule = resolve_rule(
                self.rule_code, school_type=self.school_type, adviescommissie=self.adviescommissie
            )
        except DeadlineError:
            return self.rule_code
        return rule.title

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN


class DeadlineReminder(models.Model):
    """One scheduled reminder of a deadline; the sweep sends it once (`sent_at`)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    send_at = models.DateTimeField(_("send at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["send_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "send_at"], name="deadline_reminder_due")]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.send_at.isoformat()}"


# --- School calendars (holidays and study days; LEGAL.md §2) ----------------------------------


class Region(models.TextChoices):
    """The three regions of the national school holidays (Rijksoverheid, "Schoolvakanties")."""

    NOORD = "noord", _("North")
    MIDDEN = "midden", _("Central")
    ZUID = "zuid", _("South")


class ClosureKind(models.TextChoices):
    VACATION = "vacation", _("School holiday")
    PUBLIC_HOLIDAY = "public_holiday", _("Public holiday")
    STUDY_DAY = "study_day", _("Study day")
    OTHER = "other", _("Other day off")


class SchoolCalendar(models.Model):
    """A school's calendar settings: the holiday region its national holidays are seeded from.

    School calendars count only for the duration of a time-out or schorsing, never for a statutory
    term (LEGAL.md §1).
    """

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.OneToOneField("schools.School", on_delete=models.PROTECT, related_name="calendar")
    region = models.CharField(_("holiday region"), max_length=10, choices=Region.choices, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("school calendar")
        verbose_name_plural = _("school calendars")

    def __str__(self) -> str:
        return f"{self.school_id} {self.region or '-'}"


class SchoolClosure(models.Model):
    """A period (first to last day, inclusive) in which the school is closed: a holiday, a public
    holiday, a study day. `national` rows are seeded from the national data and replaced when the
    region changes; the school's own rows are kept."""

    board = models.ForeignKey("schools.Board", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="closures")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=20, choices=ClosureKind.choices)
    name = models.CharField(_("name"), max_length=100)
    national = models.BooleanField(_("national advice"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("school closure")
        verbose_name_plural = _("school closures")
        ordering = ["first_day", "last_day", "pk"]
        indexes = [models.Index(fields=["school", "first_day"], name="school_closure_school_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="school_closure_order"
            ),
            models.UniqueConstraint(
                fields=["school", "kind", "first_day", "last_day"], name="school_closure_unique_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.first_day.isoformat()}..{self.last_day.isoformat()} {self.kind}"

    @property
    def day_count(self) -> int:
        return (self.last_day - self.first_day).days + 1
