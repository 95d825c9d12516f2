"""Forms for the functional administrator's pages. They validate input; services do the writing."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_selectors import overlapping_year, school_member_users
from .models import (
    BOARD_WIDE_ROLES,
    Board,
    Membership,
    Role,
    School,
    SchoolGroup,
    SchoolYear,
    SocialMapEntry,
    TimeOutMaximum,
)

BRIN_RE = re.compile(r"^\d{2}[A-Z0-9]{2}(\d{2})?$")
POSTCODE_RE = re.compile(r"^(\d{4})\s?([A-Z]{2})$")
GRADE_RE = re.compile(r"\d+")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def person_label(user: Any) -> str:
    return f"{user.display_name} ({user.username})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class SchoolChoiceField(forms.ModelChoiceField):
    """Schools, with their board's name when the user administers several boards."""

    show_board = False

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.board.name})" if self.show_board else obj.name


class StyledFormMixin:
    """Bootstrap classes on every widget (the field include renders the widget as is)."""

    fields: dict[str, forms.Field]

    def style_fields(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class BoardChoiceMixin(StyledFormMixin):
    """A `board` field when the user administers more than one board; otherwise the one board."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_board_field(self, boards: list[Board]) -> None:
        self.boards = boards
        if len(boards) > 1:
            self.fields = {
                "board": forms.ModelChoiceField(
                    label=_("Board"),
                    queryset=Board.objects.filter(pk__in=[b.pk for b in boards]),
                    empty_label=None,
                ),
                **self.fields,
            }

    @property
    def board(self) -> Board:
        if len(self.boards) == 1:
            return self.boards[0]
        return self.cleaned_data["board"]


class BoardForm(BoardChoiceMixin, forms.Form):
    """Only the board choice (shown when the user administers several boards)."""

    def __init__(self, *args: Any, boards: list[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_board_field(boards)
        self.style_fields()


# --- Schools --------------------------------------------------------------------------------


class SchoolForm(StyledFormMixin, forms.ModelForm):
    logo = forms.FileField(
        label=_("Letterhead logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 1 MB. It is printed at the top of letters."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    confirm_long_timeout = forms.BooleanField(
        label=_(
            "I understand that the Inspectie treats an internal time-out of more than one school day "
            "as a schorsing, and that the school then follows the schorsing rules."
        ),
        required=False,
    )

    class Meta:
        model = School
        fields = list(services.SCHOOL_FIELDS)
        help_texts = {
            "brin": _(
                "The school's BRIN code from DUO, for example 12AB (or 12AB00 with a location number)."
            ),
            "denominatie": _(
                "Public schools take Awb decisions (bezwaar under the Awb); private schools decide under "
                "private law (WPO art. 63)."
            ),
            "timeout_decided_by": _("Who approves a time-out under the managementstatuut."),
            "suspension_decided_by": _(
                "The board decides on a schorsing, unless it has given the director a mandate (WPO art. 40c)."
            ),
            "expulsion_decided_by": _(
                "The board decides on a verwijdering, unless it has given the director a mandate "
                "(managementstatuut); the board is then informed of the decision."
            ),
            "timeout_maximum": _("How long a time-out inside the school may last at most."),
            "timeout_maximum_days": _(
                "From 1 to 5 school days. Only used when the maximum is a number of school days."
            ),
            "partnership": _("The samenwerkingsverband passend onderwijs the school belongs to."),
            "copy_suspension_to_attendance_officer": _(
                "The law does not require it: a suspension is authorised absence (Ingrado). The policy "
                "plan sends a copy; choose it only if your school wants to."
            ),
            "copy_expulsion_to_inspectorate": _(
                "In primary education the law does not require a copy to the Inspectie; the policy plan "
                "asks for one."
            ),
            "meldcode_final_responsible": _("Decides in step 5 of the Meldcode whether a melding is made."),
            "antibullying_coordinator": _("Coordinates the anti-bullying policy (WPO art. 4c)."),
            "contact_person": _("The contact person for pupils and parents about bullying (WPO art. 4c)."),
        }
        widgets = {"timeout_maximum_days": forms.NumberInput(attrs={"min": 1, "max": 5})}
        field_classes = {
            "meldcode_final_responsible": PersonChoiceField,
            "antibullying_coordinator": PersonChoiceField,
            "contact_person": PersonChoiceField,
        }

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # People can be chosen once the school exists and has members.
            for name in services.SCHOOL_PEOPLE_FIELDS:
                del self.fields[name]
            del self.fields["remove_logo"]
        else:
            members = school_member_users(self.instance, today=today)
            for name in services.SCHOOL_PEOPLE_FIELDS:
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = members
                field.empty_label = _("(nobody chosen)")
            if not self.instance.letterhead_logo:
                del self.fields["remove_logo"]
        self.fields["timeout_maximum_days"].required = False
        self.style_fields()

    def clean_brin(self) -> str:
        brin = self.cleaned_data["brin"].strip().upper().replace(" ", "")
        if not BRIN_RE.match(brin):
            raise ValidationError(_("A BRIN code is two digits and two letters or digits, for example 12AB."))
        if School.objects.filter(brin=brin).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Another school in LEV already has this BRIN code. Check the code with DUO.")
            )
        return brin

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip().upper()
        if not postcode:
            return ""
        match = POSTCODE_RE.match(postcode)
        if not match:
            raise ValidationError(_("A Dutch postcode is four digits and two letters, for example 2771 AB."))
        return f"{match.group(1)} {match.group(2)}"

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo:
            services.logo_extension(logo)
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        maximum = data.get("timeout_maximum")
        days = data.get("timeout_maximum_days")
        if maximum == TimeOutMaximum.SCHOOL_DAYS:
            if days is None:
                self.add_error("timeout_maximum_days", _("Give the number of school days, from 1 to 5."))
            elif not 1 <= days <= 5:
                self.add_error(
                    "timeout_maximum_days",
                    _("A time-out lasts at most 5 school days. Choose a number from 1 to 5."),
                )
            elif days > 1 and self._timeout_changed() and not data.get("confirm_long_timeout"):
                self.add_error(
                    "confirm_long_timeout",
                    _(
                        "A time-out of more than one school day counts as a schorsing for the Inspectie. "
                        "Confirm that you understand this, or choose 1 day or the rest of the day."
                    ),
                )
        else:
            data["timeout_maximum_days"] = 1
        return data

    def _timeout_changed(self) -> bool:
        """Confirmation is asked when a long maximum is chosen, not on every later save."""
        if self.instance.pk is None:
            return True
        return bool({"timeout_maximum", "timeout_maximum_days"} & set(self.changed_data))

    @property
    def long_timeout(self) -> bool:
        """Show the Inspectie warning: the chosen (or saved) maximum is more than one day."""
        if self.is_bound:
            maximum = self.data.get(self.add_prefix("timeout_maximum"))
            days = self.data.get(self.add_prefix("timeout_maximum_days"))
        else:
            maximum = self.initial.get("timeout_maximum", self.instance.timeout_maximum)
            days = self.initial.get("timeout_maximum_days", self.instance.timeout_maximum_days)
        try:
            return maximum == TimeOutMaximum.SCHOOL_DAYS and int(days or 0) > 1
        except (TypeError, ValueError):
            return False

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in services.SCHOOL_FIELDS}


# --- School years and groups ----------------------------------------------------------------


class SchoolYearForm(BoardChoiceMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=20, help_text=_("For example 2026-2027."), widget=forms.TextInput()
    )
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(self, *args: Any, boards: list[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_board_field(boards)
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", _("The last day must come after the first day."))
            elif "board" not in self.errors:
                other = overlapping_year(self.board, starts_on, ends_on)
                if other is not None:
                    self.add_error(None, services.year_overlap_error(other))
        name = (data.get("name") or "").strip()
        if (
            name
            and "board" not in self.errors
            and SchoolYear.objects.filter(board=self.board, name=name).exists()
        ):
            self.add_error("name", _("This board already has a school year with this name."))
        data["name"] = name
        return data


def grades_from_name(name: str) -> list[int]:
    """The grades a group name speaks of: "4/5" → [4, 5], "8b" → [8], "1-2" → [1, 2]."""
    found = sorted({int(n) for n in GRADE_RE.findall(name)})
    return [n for n in found if 1 <= n <= 8] if all(1 <= n <= 8 for n in found) else []


class GroupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40, help_text=_('For example "4/5" or "8b".'))
    grades = forms.CharField(
        label=_("Grades"),
        max_length=40,
        required=False,
        help_text=_(
            "The grades (1 to 8) in this group, separated by commas. Leave empty to read them from the name."
        ),
    )
    teachers = PeopleChoiceField(
        label=_("Teachers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the teacher role at this school."),
    )

    def __init__(
        self, *args: Any, school: School, today: date, group: SchoolGroup | None = None, **kwargs: Any
    ) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": group.name,
                "grades": ", ".join(str(g) for g in group.grades),
                "teachers": list(group.teachers.all()),
            }
        super().__init__(*args, **kwargs)
        members = school_member_users(school, today=today, roles=[Role.TEACHER])
        user_model = get_user_model()
        if group is not None:
            # Keep teachers already on the group selectable, even if their role has ended.
            members = user_model.objects.filter(pk__in=members.values("pk")) | user_model.objects.filter(
                pk__in=group.teachers.values("pk")
            )
        teachers = self.fields["teachers"]
        assert isinstance(teachers, forms.ModelMultipleChoiceField)
        teachers.queryset = members.distinct().order_by("last_name", "first_name", "username")
        self.school = school
        self.style_fields()

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_grades(self) -> list[int]:
        raw = self.cleaned_data["grades"].strip()
        if not raw:
            return []
        parts = [p for p in re.split(r"[,\s/]+", raw) if p]
        if not all(p.isdigit() for p in parts):
            raise ValidationError(
                _("Give the grades as numbers from 1 to 8, separated by commas (for example: 4, 5).")
            )
        grades = sorted({int(p) for p in parts})
        if any(not 1 <= g <= 8 for g in grades):
            raise ValidationError(_("Dutch primary schools have grades 1 to 8. Correct the grades."))
        return grades

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "grades" in data and not data["grades"] and data.get("name"):
            grades = grades_from_name(data["name"])
            if not grades:
                self.add_error(
                    "grades",
                    _("The grades could not be read from the name. Give the grades (1 to 8) of this group."),
                )
            data["grades"] = grades
        return data


# --- Users and memberships ------------------------------------------------------------------


class RoleFieldsMixin(BoardChoiceMixin):
    """Role, school and start date, checked against the rule that school roles need a school and
    board-wide roles have none."""

    def add_role_fields(self, boards: list[Board], *, today: date) -> None:
        self.add_board_field(boards)
        self.fields["role"] = forms.ChoiceField(
            label=_("Role"),
            choices=Role.choices,
            help_text=_(
                "Board, data protection officer and functional administrator are board-wide roles; "
                "all others are held at one school."
            ),
        )
        school = SchoolChoiceField(
            label=_("School"),
            queryset=School.objects.filter(board__in=boards).select_related("board").order_by("name"),
            required=False,
            empty_label=_("(no school: board-wide role)"),
        )
        school.show_board = len(boards) > 1
        self.fields["school"] = school
        self.fields["active_from"] = forms.DateField(
            label=_("Active from"), initial=today, widget=DateInput()
        )

    def clean_role_fields(self, data: dict[str, Any]) -> None:
        role, school = data.get("role"), data.get("school")
        if not role or "school" in self.errors or "board" in self.errors:  # type: ignore[attr-defined]
            return
        if role in BOARD_WIDE_ROLES and school is not None:
            self.add_error(  # type: ignore[attr-defined]
                "school",
                _(
                    "%(role)s is a board-wide role: it holds for every school of the board. Leave the school empty."
                )
                % {"role": Role(role).label},
            )
        elif role not in BOARD_WIDE_ROLES and school is None:
            self.add_error(  # type: ignore[attr-defined]
                "school",
                _("%(role)s is a role at one school. Choose the school.") % {"role": Role(role).label},
            )
        elif school is not None and school.board_id != self.board.pk:
            self.add_error("school", _("This school belongs to another board."))  # type: ignore[attr-defined]


class UserCreateForm(RoleFieldsMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "Lower-case letters, digits and . - _ only. People can also sign in with their e-mail address."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives an e-mail here with a link to choose their own password."),
    )

    def __init__(self, *args: Any, boards: list[Board], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_role_fields(boards, today=today)
        self.style_fields()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lower()
        if not re.fullmatch(r"[a-z0-9._-]+", username):
            raise ValidationError(_("Use only lower-case letters, digits, dots, hyphens and underscores."))
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already in use. Choose another one."))
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(_("This e-mail address is already in use by another account."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_role_fields(data)
        return data


class MembershipForm(RoleFieldsMixin, forms.Form):
    def __init__(self, *args: Any, boards: list[Board], user: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_role_fields(boards, today=today)
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_role_fields(data)
        role, active_from = data.get("role"), data.get("active_from")
        if role and active_from and not self.errors:
            existing = Membership.objects.filter(
                user=self.user, board=self.board, school=data.get("school"), role=role
            ).exclude(active_to__lt=active_from)
            if existing.exists():
                self.add_error(
                    "role", _("This person already holds this role here for (part of) that period.")
                )
        return data


class MembershipEndForm(StyledFormMixin, forms.Form):
    active_to = forms.DateField(
        label=_("Last day in this role"),
        widget=DateInput(),
        help_text=_(
            "The role ends at the end of this day; from the next day the person no longer sees what the "
            "role gave access to. To take away access at once, choose yesterday."
        ),
    )

    def __init__(self, *args: Any, membership: Membership, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["active_to"].initial = max(membership.active_from, today - timedelta(days=1))
        self.style_fields()

    def clean_active_to(self) -> date:
        active_to: date = self.cleaned_data["active_to"]
        if active_to < self.membership.active_from:
            raise ValidationError(
                _("This role starts on %(start)s. The last day cannot lie before the first day.")
                % {"start": self.membership.active_from.strftime("%d-%m-%Y")}
            )
        return active_to


class ConfirmForm(forms.Form):
    """A POST with nothing but the CSRF token: the button is the confirmation."""


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name, username or e-mail"), required=False, max_length=100)


# --- Social map -----------------------------------------------------------------------------


class SocialMapEntryForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://www.ggdhm.nl"),
    )

    class Meta:
        model = SocialMapEntry
        fields = ["kind", "organisation", "contact_name", "phone", "email", "address", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "notes": _("For example opening hours or when to call. Never write about pupils here."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in services.SOCIAL_MAP_FIELDS}
