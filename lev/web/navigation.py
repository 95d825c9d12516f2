"""Navigation per role (UX.md). Items whose page has not been built yet are left out, so the menu
grows as features land and never links to an empty page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lev.schools.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str


START = NavItem(_("Start"), "web:start")
PUPILS = NavItem(_("Pupils"), "schools:pupil_list")
SIGNALS_NEW = NavItem(_("Record a signal"), "incidents:signal_new")
MY_SIGNALS = NavItem(_("My signals"), "incidents:my_signals")
SIGNALS = NavItem(_("Signals"), "incidents:signal_list")
REGISTER = NavItem(_("Incident register"), "incidents:register")
# The same page: teachers and staff see the incidents they reported there.
MY_INCIDENTS = NavItem(_("My incidents"), "incidents:register")
LADDER = NavItem(_("Stappenplan"), "escalation:overview")
MELDCODE = NavItem(_("Meldcode"), "meldcode:case_list")
# The board sees no case, only the anonymised yearly bundle of the Rapportage Meldcode.
MELDCODE_BOARD = NavItem(_("Meldcode"), "meldcode:board_bundle")
LETTERS = NavItem(_("Letters"), "communications:letter_list")
CRISIS = NavItem(_("Crisis"), "crisis:list")
AVG = NavItem(_("AVG requests"), "privacy:request_list")
DASHBOARD = NavItem(_("Dashboard"), "monitoring:dashboard")
MY_DEADLINES = NavItem(_("My deadlines"), "deadlines:mine")
DEADLINES = NavItem(_("Deadlines"), "deadlines:list")
# Short in the menu; the page itself says what it is for.
WPO4A = NavItem(pgettext_lazy("menu", "Report (WPO 4a)"), "misconduct:wpo4a_new")
CONVERSATIONS = NavItem(_("My conversations"), "misconduct:confidant_notes")
DECISIONS = NavItem(_("Decisions"), "escalation:board_decisions")
WPO4A_REPORTS = NavItem(_("WPO 4a reports"), "misconduct:wpo4a_list")
ACCESS_LOG = NavItem(_("Access log"), "privacy:access_log")
BREACHES = NavItem(_("Data breaches"), "privacy:breach_list")
RETENTION = NavItem(_("Retention"), "privacy:retention")
ADMIN_SCHOOLS = NavItem(_("Schools"), "schools:admin_school_list")
ADMIN_YEARS = NavItem(_("School years and groups"), "schools:admin_year_list")
ADMIN_USERS = NavItem(_("Users"), "schools:admin_user_list")
ADMIN_IMPORT = NavItem(_("Import"), "schools:import_start")
ADMIN_SOCIAL_MAP = NavItem(_("Social map"), "schools:admin_social_map")
ADMIN_CALENDARS = NavItem(_("Calendars"), "deadlines:calendars")
ADMIN_TEMPLATES = NavItem(_("Letter templates"), "communications:templates")

NAVIGATION: dict[str, list[NavItem]] = {
    Role.TEACHER: [START, PUPILS, MY_SIGNALS, MY_INCIDENTS, MY_DEADLINES, WPO4A],
    Role.STAFF: [START, SIGNALS_NEW, MY_SIGNALS, MY_INCIDENTS, MY_DEADLINES, WPO4A],
    Role.CARE_COORDINATOR: [
        START,
        SIGNALS,
        REGISTER,
        LADDER,
        MELDCODE,
        PUPILS,
        LETTERS,
        CRISIS,
        MY_DEADLINES,
        WPO4A,
    ],
    Role.DIRECTOR: [
        START,
        PUPILS,
        SIGNALS,
        REGISTER,
        LADDER,
        MELDCODE,
        LETTERS,
        CRISIS,
        AVG,
        DASHBOARD,
        DEADLINES,
        MY_DEADLINES,
        WPO4A,
    ],
    Role.DEPUTY_DIRECTOR: [
        START,
        PUPILS,
        SIGNALS,
        REGISTER,
        LADDER,
        MELDCODE,
        LETTERS,
        CRISIS,
        AVG,
        DASHBOARD,
        DEADLINES,
        MY_DEADLINES,
        WPO4A,
    ],
    Role.CONFIDANT: [START, CONVERSATIONS, WPO4A],
    Role.BOARD: [START, DASHBOARD, DECISIONS, WPO4A_REPORTS, MELDCODE_BOARD, DEADLINES],
    Role.PRIVACY_OFFICER: [START, ACCESS_LOG, AVG, BREACHES, RETENTION],
    Role.FUNCTIONAL_ADMIN: [
        START,
        ADMIN_SCHOOLS,
        ADMIN_YEARS,
        ADMIN_USERS,
        ADMIN_IMPORT,
        ADMIN_SOCIAL_MAP,
        ADMIN_CALENDARS,
        ADMIN_TEMPLATES,
    ],
}


def menu_for(roles: frozenset[str]) -> list[tuple[str | Promise, str]]:
    """(label, url) pairs for the union of the user's roles, in role order, without duplicates."""
    seen: set[str] = set()
    items: list[tuple[str | Promise, str]] = []
    for role in Role:
        if role not in roles:
            continue
        for item in NAVIGATION[role]:
            if item.url_name in seen:
                continue
            seen.add(item.url_name)
            try:
                items.append((item.label, reverse(item.url_name)))
            except NoReverseMatch:
                continue
    return items
