"""Tenancy: boards, schools, years, groups, pupils, parents, memberships and the social map.

Every tenant-owned table carries its `board` (and `school` where it belongs to one), so that
selectors can scope by membership without joins (ARCHITECTURE.md §4). These names are the contract
later issues rely on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    STAFF = "staff", _("Staff member without a group")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    CONFIDANT = "confidant", _("Confidential counsellor")
    BOARD = "board", _("Board")
    PRIVACY_OFFICER = "privacy_officer", _("Data protection officer")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")


BOARD_WIDE_ROLES = frozenset({Role.BOARD, Role.PRIVACY_OFFICER, Role.FUNCTIONAL_ADMIN})
# A fixed order for the check constraint: iterating the frozenset follows string hashing, which
# differs per process, and would make `makemigrations --check` see a change now and then.
_BOARD_WIDE_VALUES = [Role.FUNCTIONAL_ADMIN.value, Role.PRIVACY_OFFICER.value, Role.BOARD.value]
SCHOOL_ROLES = frozenset(set(Role) - BOARD_WIDE_ROLES)
# Granting these is audited and notified to the board and the FG (ARCHITECTURE.md §4).
PRIVILEGED_ROLES = frozenset(
    {
        Role.DIRECTOR,
        Role.DEPUTY_DIRECTOR,
        Role.CARE_COORDINATOR,
        Role.CONFIDANT,
        Role.BOARD,
        Role.PRIVACY_OFFICER,
    }
)


class Denominatie(models.TextChoices):
    OPENBAAR = "openbaar", _("Public (openbaar)")
    BIJZONDER = "bijzonder", _("Private (bijzonder)")


class DecisionMaker(models.TextChoices):
    DIRECTOR = "director", _("Director (by mandate)")
    BOARD = "board", _("Board")


class TimeOutMaximum(models.TextChoices):
    REST_OF_DAY = "rest_of_day", _("Rest of the school day")
    SCHOOL_DAYS = "school_days", _("A number of school days")


class Board(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    # A board may exempt teachers from two-factor sign-in by a recorded decision.
    teachers_2fa_exempt = models.BooleanField(_("teachers exempt from two-factor sign-in"), default=False)
    teachers_2fa_exempt_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    teachers_2fa_exempt_decided_at = models.DateTimeField(null=True, blank=True)
    teachers_2fa_exempt_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(_("BRIN number"), max_length=6, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    letterhead_logo = models.FileField(_("letterhead logo"), upload_to="logos/", blank=True)
    denominatie = models.CharField(
        _("denomination"), max_length=10, choices=Denominatie.choices, default=Denominatie.BIJZONDER
    )
    # Mandate settings (managementstatuut): who decides which measure.
    timeout_decided_by = models.CharField(
        _("time-out decided by"), max_length=10, choices=DecisionMaker.choices, default=DecisionMaker.DIRECTOR
    )
    suspension_decided_by = models.CharField(
        _("suspension decided by"), max_length=10, choices=DecisionMaker.choices, default=DecisionMaker.BOARD
    )
    expulsion_decided_by = models.CharField(
        _("verwijdering decided by"),
        max_length=10,
        choices=DecisionMaker.choices,
        default=DecisionMaker.BOARD,
    )
    timeout_maximum = models.CharField(
        _("time-out maximum"),
        max_length=12,
        choices=TimeOutMaximum.choices,
        default=TimeOutMaximum.REST_OF_DAY,
    )
    timeout_maximum_days = models.PositiveSmallIntegerField(_("time-out maximum in school days"), default=1)
    attendance_office = models.CharField(_("leerplicht office"), max_length=200, blank=True)
    attendance_office_email = models.EmailField(_("leerplicht e-mail"), blank=True)
    partnership = models.CharField(_("samenwerkingsverband"), max_length=200, blank=True)
    # Copies of letters that the law does not require (LEGAL.md R7, R15; the plan asks for them).
    copy_suspension_to_attendance_officer = models.BooleanField(
        _("copy of a suspension decision to the leerplicht office"), default=False
    )
    copy_expulsion_to_inspectorate = models.BooleanField(
        _("copy of a removal decision to the Inspectie"), default=False
    )
    meldcode_final_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Meldcode final responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    antibullying_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("anti-bullying coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person (WPO 4c)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timeout_maximum_days__gte=1, timeout_maximum_days__lte=5),
                name="school_timeout_days_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="school_years")
    name = models.CharField(_("name"), max_length=20)  # "2026-2027"
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="schoolyear_unique_name"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="schoolyear_order"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolGroup(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="groups")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=40)  # "4/5", "8b"
    grades = models.JSONField(_("grades"), default=list)  # [4, 5]
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teaching_groups", verbose_name=_("teachers")
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Pupil(models.Model):
    """A child. Never a BSN. Sorted on achternaam."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    admin_number = models.CharField(_("pupil administration number"), max_length=40)
    roepnaam = models.CharField(_("first name (roepnaam)"), max_length=100)
    voornamen = models.CharField(_("given names"), max_length=200, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    achternaam = models.CharField(_("surname"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["achternaam", "roepnaam", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "admin_number"], name="pupil_unique_admin_number"),
        ]
        indexes = [models.Index(fields=["school", "achternaam", "roepnaam"], name="pupil_school_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.roepnaam, self.tussenvoegsel, self.achternaam) if part)

    @property
    def sort_name(self) -> str:
        rest = " ".join(p for p in (self.roepnaam, self.tussenvoegsel) if p)
        return f"{self.achternaam}, {rest}"


class Enrolment(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # "Left" from an import is provisional until someone confirms the date.
    left_confirmed = models.BooleanField(_("leaving confirmed"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("enrolled_on")),
                name="enrolment_order",
            ),
        ]
        indexes = [
            # Provisional leavers (marked by an import, not yet confirmed): listed on start pages.
            models.Index(
                fields=["board", "school"],
                condition=Q(left_on__isnull=False, left_confirmed=False),
                name="enrolment_provisional_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.enrolled_on}..{self.left_on or ''}"


class GroupPlacement(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    group = models.ForeignKey(SchoolGroup, on_delete=models.PROTECT, related_name="placements")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("group placement")
        verbose_name_plural = _("group placements")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["group", "ends_on"], name="placement_group_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="placement_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.group_id} from {self.starts_on}"


class Guardian(models.Model):
    """A parent or carer. Gezag is recorded per child on PupilGuardian."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="guardians")
    # Key for re-imports: the administration's parent id, or a derived key (see import docs).
    external_key = models.CharField(max_length=200)
    initials = models.CharField(_("initials"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    achternaam = models.CharField(_("surname"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # A shielded address never appears on anything another person sees (ARCHITECTURE.md §8).
    address_shielded = models.BooleanField(_("address shielded"), default=False)

    class Meta:
        verbose_name = _("parent/carer")
        verbose_name_plural = _("parents/carers")
        ordering = ["achternaam", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "external_key"], name="guardian_unique_key"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.first_name or self.initials
        return " ".join(p for p in (first, self.tussenvoegsel, self.achternaam) if p)


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    CARER = "carer", _("Carer")
    GUARDIAN = "guardian", _("Legal guardian (voogd)")
    OTHER = "other", _("Other")


class PupilGuardian(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="pupil_links")
    relation = models.CharField(_("relation"), max_length=10, choices=GuardianRelation.choices)
    has_gezag = models.BooleanField(_("has parental authority (gezag)"), default=True)
    receives_mail = models.BooleanField(_("receives mail"), default=True)
    contact_restriction = models.TextField(_("contact restriction"), blank=True)

    class Meta:
        verbose_name = _("parent of pupil")
        verbose_name_plural = _("parents of pupil")
        ordering = ["-has_gezag", "guardian__achternaam"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "guardian"], name="pupilguardian_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} of {self.pupil_id}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: object) -> MembershipQuerySet:
        return self.filter(Q(active_from__lte=day), Q(active_to__isnull=True) | Q(active_to__gte=day))


class Membership(models.Model):
    """A user's role at a school (or board-wide for board, privacy_officer, functional_admin)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["board", "school", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=_BOARD_WIDE_VALUES) & Q(school__isnull=True))
                | (~Q(role__in=_BOARD_WIDE_VALUES) & Q(school__isnull=False)),
                name="membership_school_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="membership_period_order",
            ),
        ]
        indexes = [models.Index(fields=["user", "active_to"], name="membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.school or self.board}"


class SocialMapKind(models.TextChoices):
    GGD = "ggd", _("GGD / youth health care")
    CJG = "cjg", _("Centrum voor Jeugd en Gezin")
    NEIGHBOURHOOD_TEAM = "wijkteam", _("Neighbourhood team")
    SOCIAL_WORK = "social_work", _("Social work (maatschappelijk werk)")
    POLICE = "police", _("Police")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    ATTENDANCE = "leerplicht", _("Leerplicht")
    PARTNERSHIP = "swv", _("Samenwerkingsverband")
    YOUTH_CARE = "youth_care", _("Youth care")
    OTHER = "other", _("Other")


class SocialMapEntry(models.Model):
    """Bijlage 12: the school's directory of external partners."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="social_map")
    kind = models.CharField(_("kind"), max_length=20, choices=SocialMapKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("social map entry")
        verbose_name_plural = _("social map")
        ordering = ["kind", "organisation"]

    def __str__(self) -> str:
        return self.organisation
