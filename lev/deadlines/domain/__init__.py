"""The statutory calendar and the deadline rules: pure functions and data (no Django, no clock).

Sources: Algemene termijnenwet art. 1–4, WPO art. 40, 40c, 43, 63, Awb 6:7–6:9 and 7:10, AVG art.
12 and 33, Leerplichtwet 1969 art. 18, the policy plan (Stap 6, Bijlage 16 and 19); LEGAL.md §1, §3,
§6 and §10.
"""

from .calendar import FIRST_YEAR, LAST_YEAR, AtwCalendar, KBDay, fmt, fmt_wd
from .due import Deadline, add_months, due_date, format_instant, raw_end
from .errors import DeadlineError
from .rules import RULE_CODES, Rule, SchoolType, Unit, resolve_rule
from .schooldays import ExclusionDuration, exclusion_duration, school_day_end, school_days_between

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "RULE_CODES",
    "AtwCalendar",
    "Deadline",
    "DeadlineError",
    "ExclusionDuration",
    "KBDay",
    "Rule",
    "SchoolType",
    "Unit",
    "add_months",
    "due_date",
    "exclusion_duration",
    "fmt",
    "fmt_wd",
    "format_instant",
    "raw_end",
    "resolve_rule",
    "school_day_end",
    "school_days_between",
]
