"""Table-driven tests of the Atw calendar and the deadline rules (no database).

Every expected date is worked out by hand in the comment next to it. Weekday anchors used:
1 Jan 2023 Sun, 1 Jan 2024 Mon, 1 Jan 2025 Wed, 1 Jan 2026 Thu, 1 Jan 2027 Fri, 1 Jan 2028 Sat,
1 Jan 2031 Wed. Easter: 2023-04-09, 2024-03-31, 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16,
2031-04-13 (Hemelvaart = Easter + 39, Pinksteren = Easter + 49).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lev.deadlines.domain import AtwCalendar, DeadlineError, KBDay, Rule, Unit, due_date, resolve_rule
from lev.deadlines.domain.calendar import fmt_wd

# The KB-gelijkgestelde dagen of the issue (the shipped data file holds the same list).
KB_DATES = [
    date(2023, 4, 28),
    date(2023, 5, 19),
    date(2024, 5, 10),
    date(2024, 12, 27),
    date(2025, 5, 30),
    date(2026, 1, 2),
    date(2026, 5, 15),
    date(2027, 5, 7),
    date(2028, 4, 28),
    date(2028, 5, 26),
]
CAL = AtwCalendar([KBDay(d, "vrijdag", "Stcrt.") for d in KB_DATES])
D = date.fromisoformat


# (rule, school type, START, expected due, reasoning)
CASES = [
    # --- LEGAL.md §1 examples -------------------------------------------------------------
    ("bezwaar-verwijdering", "bijzonder", "2026-04-07", "2026-05-19",
     "Tue 7 Apr + 42 days = Tue 19 May, an ordinary day"),
    ("bezwaar-verwijdering", "bijzonder", "2026-04-02", "2026-05-18",
     "Thu 2 Apr + 42 = Thu 14 May Hemelvaart; 15 May KB; 16-17 weekend -> Mon 18 May"),
    ("bezwaar-verwijdering", "bijzonder", "2026-03-24", "2026-05-06",
     "Tue 24 Mar + 42 = Tue 5 May (5 May in a non-lustrum year) -> Wed 6 May"),
    ("avg-verzoek", "bijzonder", "2026-01-31", "2026-03-02",
     "Sat 31 Jan: 31 Feb does not exist -> Sat 28 Feb; Sun 1 Mar -> Mon 2 Mar"),
    # --- the issue's examples -------------------------------------------------------------
    ("beslissing-bezwaar-verwijdering", "bijzonder", "2026-05-13", "2026-06-10",
     "Wed 13 May + 28 = Wed 10 Jun, ordinary"),
    ("gpo-oordeel", "bijzonder", "2026-03-05", "2026-05-18",
     "Thu 5 Mar + 70 = Thu 14 May Hemelvaart; 15 KB; weekend -> Mon 18 May"),
    ("veilig-thuis-beoordeling", "bijzonder", "2026-05-11", "2026-05-20",
     "Mon 11 May day 0; Tue 12 (1), Wed 13 (2), 14 Hemelvaart, 15 KB, 16-17 weekend, Mon 18 (3), Tue 19 (4), Wed 20 (5)"),
    ("evaluatie-omgangsregels", "bijzonder", "2026-04-21", "2026-05-06",
     "Tue 21 Apr + 14 = Tue 5 May -> Wed 6 May"),
    ("inspectie-melding-schorsing", "bijzonder", "2026-04-03", "2026-04-03",
     "onverwijld: due the day itself"),
    # --- year ends and runs of several closed days ----------------------------------------
    ("bezwaar-verwijdering", "bijzonder", "2025-11-20", "2026-01-05",
     "Thu 20 Nov 2025 + 42 = Thu 1 Jan 2026 Nieuwjaarsdag; Fri 2 Jan KB; 3-4 Jan weekend -> Mon 5 Jan"),
    ("evaluatie-omgangsregels", "bijzonder", "2025-12-11", "2025-12-29",
     "Thu 11 Dec + 14 = Thu 25 Dec Kerst; Fri 26 Tweede Kerstdag; 27-28 weekend -> Mon 29 Dec"),
    ("beroep-schorsing", "bijzonder", "2024-12-13", "2024-12-30",
     "Fri 13 Dec 2024 + 14 = Fri 27 Dec (KB); 28-29 weekend -> Mon 30 Dec"),
    ("avg-verzoek", "bijzonder", "2025-12-31", "2026-02-02",
     "Wed 31 Dec 2025 -> Sat 31 Jan 2026; Sun 1 Feb -> Mon 2 Feb"),
    # --- leap years and 31st-of-month starts ----------------------------------------------
    ("avg-verzoek", "bijzonder", "2024-01-31", "2024-02-29",
     "Wed 31 Jan 2024 (leap year) -> Thu 29 Feb, ordinary"),
    ("avg-verzoek", "bijzonder", "2025-01-31", "2025-02-28",
     "Fri 31 Jan 2025 -> Fri 28 Feb, ordinary"),
    ("avg-verzoek", "bijzonder", "2024-02-29", "2024-04-02",
     "Thu 29 Feb 2024 -> Fri 29 Mar Goede Vrijdag; 30-31 weekend; Mon 1 Apr Tweede Paasdag -> Tue 2 Apr"),
    ("avg-verzoek", "bijzonder", "2026-03-31", "2026-04-30",
     "Tue 31 Mar -> 31 Apr does not exist -> Thu 30 Apr, ordinary"),
    ("avg-verzoek", "bijzonder", "2025-07-31", "2025-09-01",
     "Thu 31 Jul -> Sun 31 Aug -> Mon 1 Sep"),
    ("correctieverzoek-dossier", "bijzonder", "2028-02-01", "2028-02-29",
     "Tue 1 Feb 2028: 4 weeks = Tue 29 Feb (leap day); month = Wed 1 Mar; earlier: 29 Feb"),
    ("correctieverzoek-dossier", "bijzonder", "2026-03-02", "2026-03-30",
     "Mon 2 Mar: 4 weeks = Mon 30 Mar; month = Thu 2 Apr; earlier: 30 Mar"),
    ("correctieverzoek-dossier", "bijzonder", "2026-01-31", "2026-03-02",
     "Sat 31 Jan: 4 weeks = Sat 28 Feb -> Mon 2 Mar; month -> Mon 2 Mar; equal"),
    # --- Goede Vrijdag ---------------------------------------------------------------------
    ("bezwaar-verwijdering", "bijzonder", "2026-02-20", "2026-04-07",
     "Fri 20 Feb + 42 = Fri 3 Apr Goede Vrijdag; 4-5 weekend; Mon 6 Tweede Paasdag -> Tue 7 Apr"),
    # --- Koningsdag on Saturday 26 April (2025, 2031): no extra Monday ---------------------
    ("gpo-oordeel", "bijzonder", "2025-02-15", "2025-04-28",
     "Sat 15 Feb 2025 + 70 = Sat 26 Apr (Koningsdag on a Saturday); Sun 27 -> Mon 28 Apr, ordinary"),
    ("evaluatie-omgangsregels", "bijzonder", "2025-04-11", "2025-04-25",
     "Fri 11 Apr 2025 + 14 = Fri 25 Apr: not a holiday (Koningsdag is the 26th)"),
    ("bezwaar-verwijdering", "bijzonder", "2031-03-15", "2031-04-28",
     "Sat 15 Mar 2031 + 42 = Sat 26 Apr (Koningsdag); Sun 27 -> Mon 28 Apr, ordinary"),
    # --- 5 May in non-lustrum years, KB days ------------------------------------------------
    ("evaluatie-omgangsregels", "bijzonder", "2027-04-21", "2027-05-10",
     "Wed 21 Apr 2027 + 14 = Wed 5 May; Thu 6 Hemelvaart; Fri 7 KB; 8-9 weekend -> Mon 10 May"),
    ("veilig-thuis-beoordeling", "bijzonder", "2028-04-25", "2028-05-04",
     "Tue 25 Apr 2028 day 0; Wed 26 (1); 27 Koningsdag; 28 KB; 29-30 weekend; May 1 (2), 2 (3), 3 (4), Thu 4 (5)"),
    ("inspectie-melding-schorsing", "bijzonder", "2023-05-18", "2023-05-18",
     "onverwijld on Hemelvaart 2023: due the day itself"),
    # --- the incidents issue's rules -----------------------------------------------------------
    ("evaluatie-omgangsregels-vervolg", "bijzonder", "2026-04-20", "2026-05-20",
     "Mon 20 Apr + 1 month = Wed 20 May, ordinary"),
    ("evaluatie-omgangsregels-vervolg", "bijzonder", "2026-05-06", "2026-06-08",
     "Wed 6 May + 1 month = Sat 6 Jun; Sun 7 -> Mon 8 Jun"),
    ("evaluatie-omgangsregels-vervolg", "bijzonder", "2026-11-25", "2026-12-28",
     "Wed 25 Nov + 1 month = Fri 25 Dec Kerst; Sat 26 Tweede Kerstdag; Sun 27 -> Mon 28 Dec"),
    ("vervolgactie-incident", "bijzonder", "2026-05-16", "2026-05-16",
     "the agreed date itself, also on a Saturday"),
    ("wpo4a-overleg-vertrouwensinspecteur", "bijzonder", "2026-04-03", "2026-04-03",
     "onverwijld on Goede Vrijdag: due the day itself"),
    ("wpo4a-aangifte", "openbaar", "2026-05-14", "2026-05-14",
     "onverwijld on Hemelvaart: due the day itself"),
    ("wpo4a-informeren", "bijzonder", "2026-06-01", "2026-06-01", "onverwijld: due the day itself"),
    ("wpo4a-vertrouwensinspecteur-informeren", "bijzonder", "2026-06-02", "2026-06-02",
     "onverwijld: due the day itself"),
    ("fysiek-geweld-personeel", "bijzonder", "2026-06-03", "2026-06-03", "onverwijld: due the day itself"),
    # --- school types ------------------------------------------------------------------------
    ("beroep-schorsing", "bijzonder", "2026-04-21", "2026-05-06",
     "receipt Tue 21 Apr + 14 days = Tue 5 May -> Wed 6 May"),
    ("beroep-schorsing", "openbaar", "2026-05-18", "2026-06-29",
     "Atw-extended end Mon 18 May + 42 = Mon 29 Jun, ordinary"),
    ("bezwaar-schorsing", "openbaar", "2026-04-13", "2026-05-26",
     "bekendmaking Mon 13 Apr + 42 = Mon 25 May Tweede Pinksterdag -> Tue 26 May"),
    ("beslissing-bezwaar-verwijdering", "openbaar", "2026-05-18", "2026-06-15",
     "Atw-extended end Mon 18 May + 28 = Mon 15 Jun"),
    ("bezwaar-verwijdering", "openbaar", "2026-04-02", "2026-05-18",
     "bekendmaking Thu 2 Apr: same count as bijzonder -> Mon 18 May"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "school_type", "start", "expected", "why"), CASES)
def test_due_dates(code: str, school_type: str, start: str, expected: str, why: str) -> None:
    deadline = due_date(resolve_rule(code, school_type=school_type), D(start), CAL)
    assert deadline.due == D(expected), why
    assert deadline.due_text == expected


def test_the_issues_explanation_for_2_april_2026() -> None:
    deadline = due_date(resolve_rule("bezwaar-verwijdering"), D("2026-04-02"), CAL)
    assert deadline.explanation[0] == (
        "6 weken na verzending op 2-4-2026 → do 14-5-2026; 14-5 Hemelvaartsdag, "
        "15-5 bij KB gelijkgesteld, 16–17-5 weekend → ma 18-5-2026"
    )
    assert deadline.raw_end == D("2026-05-14")
    text = "\n".join(deadline.explanation)
    # WPO 63 "na de mededeling" counted from the day after sending rests on an interpretation,
    # and so does the (unverified) KB day.
    assert "interpretatie: de termijn loopt vanaf de dag na verzending" in text
    assert "15-5-2026 is bij KB gelijkgesteld" in text
    assert "nog niet geverifieerd in de Staatscourant" in text
    assert "Bron: WPO art. 63 lid 3" in text


def test_a_term_that_needs_no_extension_says_so_plainly() -> None:
    deadline = due_date(resolve_rule("bezwaar-verwijdering"), D("2026-04-07"), CAL)
    assert deadline.explanation[0] == "6 weken na verzending op 7-4-2026 → di 19-5-2026"


def test_year_end_run_is_explained_across_the_new_year() -> None:
    deadline = due_date(resolve_rule("bezwaar-verwijdering"), D("2025-11-20"), CAL)
    assert deadline.explanation[0].endswith(
        "→ do 1-1-2026; 1-1 Nieuwjaarsdag, 2-1 bij KB gelijkgesteld, 3–4-1 weekend → ma 5-1-2026"
    )


def test_weekend_run_across_two_months() -> None:
    deadline = due_date(resolve_rule("avg-verzoek"), D("2026-01-31"), CAL)
    first = deadline.explanation[0]
    assert "za 28-2-2026 (de laatste dag van februari: die maand heeft geen 31e)" in first
    assert first.endswith("; 28-2–1-3 weekend → ma 2-3-2026")
    assert any("interpretatie: de AVG-maand" in line for line in deadline.explanation)


def test_without_the_kb_day_the_term_ends_on_the_friday() -> None:
    # Thu 14 May 2026 Hemelvaart; without the KB day Fri 15 May is an ordinary day.
    deadline = due_date(resolve_rule("bezwaar-verwijdering"), D("2026-04-02"), AtwCalendar())
    assert deadline.due == D("2026-05-15")
    assert any("geen bij KB gelijkgestelde dagen vastgelegd" in line for line in deadline.explanation)


def test_verified_kb_day_is_shown_as_verified() -> None:
    calendar = AtwCalendar([KBDay(D("2026-05-15"), "vrijdag na Hemelvaartsdag", "Stcrt. 1", verified=True)])
    deadline = due_date(resolve_rule("bezwaar-verwijdering"), D("2026-04-02"), calendar)
    assert any(
        "(vrijdag na Hemelvaartsdag, bron: Stcrt. 1; geverifieerd)" in line for line in deadline.explanation
    )


# --- the holiday set ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        ("2026-01-01", True),  # Nieuwjaarsdag
        ("2026-04-03", True),  # Goede Vrijdag
        ("2026-04-06", True),  # Tweede Paasdag
        ("2026-04-27", True),  # Koningsdag (Monday)
        ("2025-04-26", True),  # Koningsdag on Saturday (27th is a Sunday)
        ("2025-04-28", False),  # the Monday after: ordinary
        ("2031-04-26", True),  # Koningsdag on Saturday again
        ("2031-04-28", False),
        ("2026-05-05", True),  # 5 May in a non-lustrum year
        ("2027-05-05", True),
        ("2026-05-14", True),  # Hemelvaartsdag
        ("2026-05-15", True),  # KB day
        ("2026-05-25", True),  # Tweede Pinksterdag
        ("2026-12-25", True),
        ("2026-12-26", True),
        ("2026-12-24", False),  # Christmas Eve is an ordinary Thursday
        ("2026-12-31", False),  # so is New Year's Eve
        ("2026-05-04", False),  # Dodenherdenking is no holiday
    ],
)
def test_atw_closed_days(day: str, closed: bool) -> None:
    assert CAL.is_closed(D(day)) is closed


def test_holiday_names() -> None:
    assert CAL.holiday_name(D("2026-04-03")) == "Goede vrijdag"
    assert CAL.holiday_name(D("2025-04-26")) == "Koningsdag"
    assert CAL.holiday_name(D("2026-05-05")) == "Bevrijdingsdag"
    assert CAL.holiday_name(D("2026-05-15")) == "bij KB gelijkgesteld"
    assert CAL.holiday_name(D("2026-05-18")) is None
    assert fmt_wd(D("2026-05-18")) == "ma 18-5-2026"


# --- Atw art. 2: a term of three days or more contains two open days -------------------------

THREE_DAYS = Rule(
    code="test-3-dagen", title="drie dagen", amount=3, unit=Unit.DAYS, atw=True, start_event="x", source="Atw"
)
TWO_DAYS = Rule(
    code="test-2-dagen", title="twee dagen", amount=2, unit=Unit.DAYS, atw=True, start_event="x", source="Atw"
)


def test_atw_article_2_extends_a_short_term_over_easter() -> None:
    # Thu 2 Apr 2026 + 3 = Sun 5 Apr; art. 1: Mon 6 Tweede Paasdag -> Tue 7 Apr. The term (Fri 3 Goede
    # Vrijdag, Sat 4, Sun 5, Mon 6, Tue 7) holds one open day; art. 2 -> Wed 8 Apr.
    deadline = due_date(THREE_DAYS, D("2026-04-02"), CAL)
    assert deadline.due == D("2026-04-08")
    assert deadline.explanation[1].startswith("Atw art. 2:")
    assert deadline.explanation[1].endswith("→ wo 8-4-2026")


def test_atw_article_2_over_christmas() -> None:
    # Wed 24 Dec 2025 + 3 = Sat 27 Dec; art. 1 -> Mon 29 Dec. Term: 25, 26 holidays, 27-28 weekend,
    # 29 open: one open day; art. 2 -> Tue 30 Dec.
    assert due_date(THREE_DAYS, D("2025-12-24"), CAL).due == D("2025-12-30")


def test_atw_article_2_changes_nothing_when_two_open_days_are_in_the_term() -> None:
    # Mon 6 Apr 2026 + 3 = Thu 9 Apr; Tue 7, Wed 8, Thu 9 are open.
    deadline = due_date(THREE_DAYS, D("2026-04-06"), CAL)
    assert deadline.due == D("2026-04-09")
    assert not any(line.startswith("Atw art. 2") for line in deadline.explanation)


def test_atw_article_2_does_not_apply_to_a_two_day_term() -> None:
    # Thu 2 Apr 2026 + 2 = Sat 4 Apr; art. 1 -> Tue 7 Apr; art. 2 needs a term of 3+ days.
    assert due_date(TWO_DAYS, D("2026-04-02"), CAL).due == D("2026-04-07")


# --- suspension (GPO, WPO 43 lid 4; LEGAL.md R19) ------------------------------------------------


def test_suspended_days_are_added_to_the_raw_end_then_the_atw_once() -> None:
    # Receipt Thu 16 Apr 2026 + 28 = Thu 14 May (raw end, Hemelvaart). + 10 suspended days = Sun
    # 24 May; Mon 25 Tweede Pinksterdag -> Tue 26 May. (Atw first, then the days, would give Thu 28.)
    rule = resolve_rule("beslissing-bezwaar-verwijdering")
    deadline = due_date(rule, D("2026-04-16"), CAL, suspended_days=10)
    assert deadline.due == D("2026-05-26")
    assert deadline.raw_end == D("2026-05-14")
    first = deadline.explanation[0]
    assert "→ do 14-5-2026; + 10 dagen opgeschort" in first
    assert "→ zo 24-5-2026; 24-5 weekend, 25-5 Tweede pinksterdag → di 26-5-2026" in first


def test_only_suspendable_terms_can_be_suspended() -> None:
    with pytest.raises(DeadlineError) as caught:
        due_date(resolve_rule("bezwaar-verwijdering"), D("2026-04-02"), CAL, suspended_days=3)
    assert caught.value.code == "not_suspendable"


# --- onverwijld --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "late_after"),
    [
        # Fri 3 Apr 2026 Goede Vrijdag: 4-5 weekend, Mon 6 Tweede Paasdag -> Tue 7 Apr
        ("inspectie-melding-schorsing", "2026-04-03", "2026-04-07"),
        # Thu 18 May 2023 Hemelvaart: Fri 19 KB, 20-21 weekend -> Mon 22 May
        ("inspectie-melding-schorsing", "2023-05-18", "2023-05-22"),
        # Thu 1 Jan 2026: Fri 2 KB, 3-4 weekend -> Mon 5 Jan
        ("leerplicht-melding-verwijdering", "2026-01-01", "2026-01-05"),
        # Tue 10 Mar 2026 -> Wed 11 Mar
        ("leerplicht-melding-verwijdering", "2026-03-10", "2026-03-11"),
    ],
)
def test_onverwijld(code: str, start: str, late_after: str) -> None:
    deadline = due_date(resolve_rule(code), D(start), CAL)
    assert deadline.due == D(start)
    assert deadline.late_after == D(late_after)
    assert any(line.startswith("interpretatie: onverwijld") for line in deadline.explanation)


# --- datalek: 72 elapsed hours, UTC arithmetic, no extension -----------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 09:00+01:00 = 08:00Z Sat 28 Mar; +72 h = 08:00Z Tue 31 Mar; summer time since Sun 29 Mar
        ("2026-03-28T09:00+01:00", "2026-03-31T10:00+02:00"),
        # 12:00+02:00 = 10:00Z Sat 24 Oct; +72 h = 10:00Z Tue 27 Oct; winter time since Sun 25 Oct
        ("2026-10-24T12:00+02:00", "2026-10-27T11:00+01:00"),
        # no clock change: the same local time three days later
        ("2026-06-01T15:30+02:00", "2026-06-04T15:30+02:00"),
        # given in UTC, shown in Dutch time
        ("2026-03-28T08:00+00:00", "2026-03-31T10:00+02:00"),
        # Fri 24 Dec 2027 18:00 ends on Mon 27 Dec 18:00 although 25-26 Dec are holidays
        ("2027-12-24T18:00+01:00", "2027-12-27T18:00+01:00"),
    ],
)
def test_datalek(start: str, expected: str) -> None:
    deadline = due_date(resolve_rule("datalek"), datetime.fromisoformat(start), CAL)
    assert deadline.due_text == expected


def test_datalek_across_the_clock_change_says_so() -> None:
    deadline = due_date(resolve_rule("datalek"), datetime.fromisoformat("2026-03-28T09:00+01:00"), CAL)
    assert any("wintertijd en zomertijd" in line for line in deadline.explanation)
    assert any("Atw art. 4" in line for line in deadline.explanation)


def test_datalek_needs_an_offset() -> None:
    with pytest.raises(DeadlineError) as caught:
        due_date(resolve_rule("datalek"), datetime(2026, 3, 28, 9, 0), CAL)
    assert caught.value.code == "instant_needs_offset"
    with pytest.raises(DeadlineError) as caught:
        due_date(resolve_rule("datalek"), D("2026-03-28"), CAL)
    assert caught.value.code == "instant_needs_offset"


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start"),
    [
        ("bezwaar-verwijdering", "2013-12-31"),  # before the supported calendar (2014)
        ("bezwaar-verwijdering", "2099-12-01"),  # + 42 days = 12 Jan 2100: after it
        ("avg-verzoek", "2099-12-15"),  # 15 Jan 2100
        ("veilig-thuis-beoordeling", "2099-12-30"),  # the fifth working day falls in 2100
    ],
)
def test_out_of_range_dates_are_refused(code: str, start: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        due_date(resolve_rule(code), D(start), CAL)
    assert caught.value.code == "date_out_of_range"
    assert "outside the supported calendar (2014-01-01 to 2099-12-31)" in str(caught.value)


def test_datalek_out_of_range_is_refused() -> None:
    with pytest.raises(DeadlineError) as caught:
        due_date(resolve_rule("datalek"), datetime.fromisoformat("2099-12-31T23:00+01:00"), CAL)
    assert caught.value.code == "date_out_of_range"


def test_bezwaar_schorsing_does_not_exist_for_bijzonder() -> None:
    with pytest.raises(DeadlineError) as caught:
        resolve_rule("bezwaar-schorsing", school_type="bijzonder")
    assert caught.value.code == "no_statutory_bezwaar"


def test_adviescommissie_gives_twelve_weeks_for_openbaar() -> None:
    # Mon 18 May 2026 + 84 days = Mon 10 Aug 2026.
    rule = resolve_rule("beroep-schorsing", school_type="openbaar", adviescommissie=True)
    assert due_date(rule, D("2026-05-18"), CAL).due == D("2026-08-10")
    with pytest.raises(DeadlineError) as caught:
        resolve_rule("beroep-schorsing", school_type="bijzonder", adviescommissie=True)
    assert caught.value.code == "adviescommissie_not_applicable"


def test_a_start_that_cannot_be_an_extended_end_is_refused() -> None:
    rule = resolve_rule("beroep-schorsing", school_type="openbaar")
    with pytest.raises(DeadlineError) as caught:
        due_date(rule, D("2026-05-16"), CAL)  # a Saturday
    assert caught.value.code == "start_not_extended_end"
    assert caught.value.params["extended"] == "2026-05-18"


def test_unknown_rule_and_school_type() -> None:
    with pytest.raises(DeadlineError) as caught:
        resolve_rule("bezwaar")
    assert caught.value.code == "unknown_rule"
    with pytest.raises(DeadlineError) as caught:
        resolve_rule("bezwaar-verwijdering", school_type="katholiek")
    assert caught.value.code == "invalid_school_type"


def test_policy_terms_are_configurable_and_statutory_terms_are_not() -> None:
    # The school sets 10 days: receipt Tue 21 Apr 2026 + 10 = Fri 1 May, ordinary.
    rule = resolve_rule("beroep-schorsing").with_amount(10)
    assert due_date(rule, D("2026-04-21"), CAL).due == D("2026-05-01")
    assert any("instelbaar" in line for line in due_date(rule, D("2026-04-21"), CAL).explanation)
    with pytest.raises(DeadlineError):
        resolve_rule("bezwaar-verwijdering").with_amount(8)


def test_interpretations_are_marked() -> None:
    openbaar = due_date(resolve_rule("beroep-schorsing", school_type="openbaar"), D("2026-05-18"), CAL)
    assert any(line.startswith("interpretatie: een termijn die begint waar") for line in openbaar.explanation)
    vt = due_date(resolve_rule("veilig-thuis-beoordeling"), D("2026-05-11"), CAL)
    assert any(line.startswith("interpretatie: werkdagen") for line in vt.explanation)
    assert vt.explanation[0].endswith(
        "overgeslagen: 14-5 Hemelvaartsdag, 15-5 bij KB gelijkgesteld, 16–17-5 weekend"
    )
    own_term = due_date(resolve_rule("beroep-schorsing"), D("2026-04-21"), CAL)
    assert any(line.startswith("interpretatie: de eigen beroepstermijn") for line in own_term.explanation)
    # A plain statutory term with no interpretation and no KB day says nothing of the kind.
    plain = due_date(resolve_rule("beslissing-bezwaar-verwijdering"), D("2026-05-13"), CAL)
    assert not any("interpretatie" in line for line in plain.explanation)
