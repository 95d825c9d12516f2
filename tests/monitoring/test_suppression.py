"""Small-cell suppression (lev/monitoring/domain/suppression.py): hand-worked tables, and properties over
random tables audited with linear programming (scipy, a test-only dependency). No database.

The audit is written apart from the module: it builds the relations from the tables themselves
(every row, column and grand total of every view, a shared count being one variable), reads what a
viewer knows from the shown texts, and asks `scipy.optimize.linprog` how far each small count can
move. Integrality: the relations of the predefined views have the same solutions as the conservation
constraints of a circulation network (the module docstring, "Protection"; the second grand-total
relation of a view is redundant), whose node-arc incidence matrix is totally unimodular; with integer
bounds (a shown count, a band, a threshold, 0) every extreme point of the feasible region is integral (Hoffman–Kruskal), so the linear
programme's minimum and maximum of a count are whole numbers and equal the minimum and maximum over
whole-number tables. Checking "min ≤ band bottom" and "max ≥ band top" on the relaxation is
therefore exact, not merely necessary.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from lev.monitoring.domain.suppression import (
    DEFAULT_RULE,
    EXPLANATION,
    HIDDEN_TEXT,
    RULES,
    SENSITIVE_CATEGORIES,
    SENSITIVE_RULE,
    Cell,
    RateReason,
    Rule,
    Shown,
    Table,
    Views,
    consistent_views,
    rate,
    rule_for,
    suppress,
)

# --- the audit --------------------------------------------------------------------------------------


@dataclass
class Count:
    value: int
    rule: Rule
    total: bool  # a total in some view
    cell: Cell


def strictest(rules: Sequence[Rule]) -> Rule:
    return Rule(max(r.threshold for r in rules), all(r.show_zero for r in rules))


def is_small(value: int, rule: Rule) -> bool:
    """Primary suppression, written out again: below the threshold, a zero only when not shown."""
    return value < rule.threshold and not (value == 0 and rule.show_zero)


class Audit:
    """Every shown count of a set of linked views, and the relations a viewer knows between them."""

    def __init__(self, merge: bool = False) -> None:
        self.merge = merge  # a count shown in one view and hidden in another: the viewer knows it
        self.counts: dict[tuple[object, ...], Count] = {}
        self.equations: list[tuple[list[tuple[object, ...]], tuple[object, ...]]] = []
        self._matrix: list[list[int]] | None = None
        self._index: dict[tuple[object, ...], int] = {}

    def add(self, key: tuple[object, ...], value: int, rule: Rule, total: bool, cell: Cell) -> None:
        if key in self.counts:
            known = self.counts[key]
            if self.merge and known.cell != cell:
                known.cell = cell if not cell.suppressed else known.cell
            assert known.cell == cell or self.merge, (
                f"{key} is {known.cell} in one view and {cell} in another"
            )
            assert known.value == value
            known.total = known.total or total
        else:
            self.counts[key] = Count(value, rule, total, cell)

    def view(
        self,
        table: Table,
        shown: Shown,
        cells: Sequence[Sequence[tuple[object, ...]]],
        rows: Sequence[tuple[object, ...]],
        columns: Sequence[tuple[object, ...]],
        everything: tuple[object, ...],
    ) -> None:
        """Add one shown TABLE; CELLS, ROWS, COLUMNS and EVERYTHING name its counts and totals."""
        strict = strictest(table.rules)
        n_rows, n_cols = len(table.rows), len(table.columns)
        for i in range(n_rows):
            for k in range(n_cols):
                self.add(cells[i][k], table.counts[i][k], table.rules[i], False, shown.cells[i][k])
            self.add(rows[i], sum(table.counts[i]), table.rules[i], True, shown.row_totals[i])
            self.equations.append(([cells[i][k] for k in range(n_cols)], rows[i]))
        if not table.column_totals:
            assert shown.column_totals is None and shown.total is None
            return
        assert shown.column_totals is not None and shown.total is not None
        for k in range(n_cols):
            value = sum(table.counts[i][k] for i in range(n_rows))
            self.add(columns[k], value, strict, True, shown.column_totals[k])
            self.equations.append(([cells[i][k] for i in range(n_rows)], columns[k]))
        self.add(everything, sum(map(sum, table.counts)), strict, True, shown.total)
        self.equations.append((list(rows), everything))
        self.equations.append((list(columns), everything))

    @classmethod
    def of(
        cls,
        base: Table,
        views: Views,
        column_splits: Mapping[str, Table] | None = None,
        merge: bool = False,
    ) -> Audit:
        audit = cls(merge)
        n_rows, n_cols = len(base.rows), len(base.columns)
        cells = [[("cell", i, j) for j in range(n_cols)] for i in range(n_rows)]
        rows = [("row", i) for i in range(n_rows)]
        columns = [("column", j) for j in range(n_cols)]
        audit.view(base, views.base, cells, rows, columns, ("all",))
        for label, split in (column_splits or {}).items():
            j = base.columns.index(label)
            periods = range(len(split.columns))
            audit.view(
                split,
                views.column_splits[label],
                [[("split", j, i, k) for k in periods] for i in range(n_rows)],
                [("cell", i, j) for i in range(n_rows)],
                [("split column", j, k) for k in periods],
                ("column", j),  # the school's year counts are the split's row totals: totals too
            )
        return audit

    # What a viewer knows of each count.

    def open_bounds(self, count: Count) -> tuple[int, int | None]:
        """The issue's acceptance: a shown count is fixed, a hidden one is only ≥ 0."""
        if not count.cell.suppressed:
            return (count.value, count.value)
        return (0, None)

    def labelled_bounds(self, count: Count) -> tuple[int, int | None]:
        """What the page says: "< 5" is 1–4, "< 10" is 0–9, "x" on a cell is ≥ its threshold (a
        complement is never a small count nor a zero), "x" on a total is ≥ its band's bottom."""
        cell = count.cell
        if not cell.suppressed:
            return (count.value, count.value)
        low, high = (0 if not count.rule.show_zero else 1), count.rule.threshold - 1
        if cell.text == HIDDEN_TEXT:
            return (low, None) if count.total else (count.rule.threshold, None)
        assert cell.text == f"< {count.rule.threshold}"
        return (low, high)

    def interval(self, key: tuple[object, ...], labelled: bool) -> tuple[float, float]:
        """The least and greatest value of count KEY over all tables consistent with what is shown."""
        if self._matrix is None:
            keys = list(self.counts)
            self._index = {k: n for n, k in enumerate(keys)}
            self._matrix = [[0] * len(keys) for _ in self.equations]
            for row, (parts, whole) in enumerate(self.equations):
                for part in parts:
                    self._matrix[row][self._index[part]] += 1
                self._matrix[row][self._index[whole]] -= 1
        bounds = [
            (self.labelled_bounds(count) if labelled else self.open_bounds(count))
            for count in self.counts.values()
        ]
        result = []
        for sign in (1, -1):
            c = [0] * len(self.counts)
            c[self._index[key]] = sign
            lp = linprog(c, A_eq=self._matrix, b_eq=[0] * len(self.equations), bounds=bounds, method="highs")
            if lp.status == 3:  # unbounded: only upwards is possible
                assert sign == -1
                result.append(float("inf"))
                continue
            assert lp.status == 0, f"the true table must be feasible ({lp.message})"
            result.append(sign * lp.fun)
        return (result[0], result[1])

    # The properties.

    def check_shown(self) -> None:
        """(a) No shown count is small under its own rule; every small count is hidden with its band."""
        for key, count in self.counts.items():
            cell, rule = count.cell, count.rule
            if not cell.suppressed:
                assert cell.value == count.value and cell.text == str(count.value), key
                assert not is_small(count.value, rule), f"{key} = {count.value} shown under {rule}"
                continue
            assert cell.value is None, key
            if is_small(count.value, rule) and not count.total:
                assert cell.text == rule.text and cell.band == rule.band, key
            else:
                assert cell.text == HIDDEN_TEXT and cell.band is None, key
            if not is_small(count.value, rule):
                assert count.value > 0, f"{key}: a zero hidden as a complement"

    def check_protected(self) -> int:
        """(b) Every small count can take both ends of its band given what is shown (a total: in the
        open model, and in the labelled model its top and more than one value). A cell is audited in
        the labelled model only: its bounds lie within the open model's, so an interval covering the
        band there covers it in the open model too. Returns how many small counts were audited."""
        audited = 0
        for key, count in self.counts.items():
            if not is_small(count.value, count.rule):
                continue
            low, high = count.rule.band
            if count.total:
                least, most = self.interval(key, labelled=False)
                assert least <= low + 1e-6 and most >= high - 1e-6, (
                    f"total {key} = {count.value} narrowed to [{least}, {most}] from what is shown"
                )
                least, most = self.interval(key, labelled=True)
                assert most >= high - 1e-6 and most - least >= 1 - 1e-6, (
                    f"total {key} = {count.value} narrowed to [{least}, {most}] by the labels"
                )
            else:
                least, most = self.interval(key, labelled=True)
                assert least <= low + 1e-6 and most >= high - 1e-6, (
                    f"{key} = {count.value} narrowed to [{least}, {most}] by the labels"
                )
            audited += 1
        return audited


# --- hand-worked tables -------------------------------------------------------------------------------


def texts(shown: Shown) -> tuple[list[list[str]], list[str], list[str] | None, str | None]:
    return (
        [[c.text for c in line] for line in shown.cells],
        [c.text for c in shown.row_totals],
        [c.text for c in shown.column_totals] if shown.column_totals is not None else None,
        shown.total.text if shown.total is not None else None,
    )


@pytest.mark.parametrize(
    ("rule", "value", "hidden"),
    [
        (DEFAULT_RULE, 0, False),  # a true zero is shown
        (DEFAULT_RULE, 1, True),
        (DEFAULT_RULE, 4, True),
        (DEFAULT_RULE, 5, False),
        (SENSITIVE_RULE, 0, True),  # a sensitive zero is hidden too
        (SENSITIVE_RULE, 9, True),
        (SENSITIVE_RULE, 10, False),
    ],
)
def test_rule_hides_small_counts(rule: Rule, value: int, hidden: bool) -> None:
    assert rule.hides(value) is hidden


def test_rule_bands_and_texts() -> None:
    assert (DEFAULT_RULE.band, DEFAULT_RULE.text) == ((1, 4), "< 5")
    assert (SENSITIVE_RULE.band, SENSITIVE_RULE.text) == ((0, 9), "< 10")
    assert Rule.strictest([DEFAULT_RULE, SENSITIVE_RULE]) == SENSITIVE_RULE
    assert Rule.strictest([DEFAULT_RULE, DEFAULT_RULE]) == DEFAULT_RULE


def test_one_map_names_the_sensitive_categories() -> None:
    from incidents.models import IncidentCategory, SignalTag

    for category in IncidentCategory:
        expected = SENSITIVE_RULE if category == IncidentCategory.SEXUAL_BOUNDARY else DEFAULT_RULE
        assert RULES[f"incident:{category.value}"] == expected, category
    for tag in SignalTag:
        assert RULES[f"signal:{tag.value}"] == SENSITIVE_RULE, tag
    for code in ("meldcode:opened", "meldcode:melding", "meldcode:open_step_1", "meldcode:open_step_5"):
        assert RULES[code] == SENSITIVE_RULE
    assert RULES["deadline_overdue:veilig-thuis-beoordeling"] == SENSITIVE_RULE
    assert RULES["deadline_overdue:beroep-schorsing"] == DEFAULT_RULE
    for code in ("ladder:step_5", "escalation:schorsing", "escalation:verwijdering", "crisis:opened"):
        assert RULES[code] == DEFAULT_RULE
    assert rule_for("something:new") == DEFAULT_RULE
    assert {code for code, rule in RULES.items() if rule == SENSITIVE_RULE} == SENSITIVE_CATEGORIES


def test_a_small_count_in_one_row_hides_its_neighbour_and_the_column_totals() -> None:
    # pesten: A 3, B 12, total 15. A is 1–4; A's column total is A itself (small, and a total: "x").
    # With the row total shown, B must go (else A = 15 − 12), and with it B's column total, which is
    # B. A viewer sees A "< 5", B "x" (≥ 5), A + B = 15: A can be anything from 1 to 4.
    shown = suppress(Table.of_category("incident:pesten", ["school"], ["A", "B"], [[3, 12]]))
    assert texts(shown) == ([["< 5", "x"]], ["15"], ["x", "x"], "15")
    assert shown.cells[0][0] == Cell(value=None, text="< 5", suppressed=True, band=(1, 4))
    assert shown.row_totals[0] == Cell(value=15, text="15", suppressed=False)


def test_the_classic_rectangle() -> None:
    #              A    B  | total
    # pesten       2   10  |  12
    # agressie     8    7  |  15
    # total       10   17  |  27
    # To let pesten/A reach 4, flow goes round A → agressie/A → agressie/B → pesten/B: those three
    # are hidden (cells before totals). Then pesten/B = 12 − a, agressie/A = 10 − a, agressie/B = 5 + a
    # stay ≥ 5 for every a in 1–4. The totals stay.
    table = Table.by_category(["incident:pesten", "incident:agressie"], ["A", "B"], [[2, 10], [8, 7]])
    shown = suppress(table)
    assert texts(shown) == ([["< 5", "x"], ["x", "x"]], ["12", "15"], ["10", "17"], "27")


def test_zeros_are_shown_only_for_non_sensitive_categories() -> None:
    plain = suppress(Table.of_category("incident:pesten", ["school"], ["A", "B"], [[0, 0]]))
    assert texts(plain) == ([["0", "0"]], ["0"], ["0", "0"], "0")
    assert not plain.any_suppressed
    meldcode = suppress(Table.of_category("meldcode:opened", ["school"], ["A", "B"], [[0, 0]]))
    # Both cells 0–9; the totals (also small) show "x", never an upper bound.
    assert texts(meldcode) == ([["< 10", "< 10"]], ["x"], ["x", "x"], "x")
    assert meldcode.any_suppressed
    assert meldcode.cells[0][0].band == (0, 9)


def test_a_total_over_a_sensitive_row_follows_the_strict_rule() -> None:
    #             A | total
    # pesten      7 |  7
    # meldcode    0 |  0
    # total       7 |  7    ← sums a sensitive row: threshold 10, so 7 is small (0–9)
    # The column total must be able to be 0: with pesten/A shown as 7 it is at least 7, so pesten/A
    # goes, and then its row total 7 (= pesten/A) goes as well. Nothing is left to show.
    table = Table.by_category(["incident:pesten", "meldcode:opened"], ["A"], [[7], [0]])
    assert texts(suppress(table)) == ([["x"], ["< 10"]], ["x", "x"], ["x"], "x")


def test_without_column_totals_only_rows_are_summed() -> None:
    #                        A   B | total        (signal tags overlap: no column or grand totals)
    # gezinssituatie         3  12 |  15
    # gedrag_kind           20  30 |  50
    # The 3 is 0–9. Its only relation is its row: with 12 and 15 shown it is 3. Hiding the 12 would
    # not do (as "x" it is ≥ 10, so A ≤ 5); hiding the row total does (A + 12 = anything).
    table = Table.by_category(
        ["signal:gezinssituatie", "signal:gedrag_kind"], ["A", "B"], [[3, 12], [20, 30]], column_totals=False
    )
    shown = suppress(table)
    assert shown.column_totals is None and shown.total is None
    assert texts(shown) == ([["< 10", "12"], ["20", "30"]], ["x", "50"], None, None)


def test_the_module_does_not_need_scipy() -> None:
    # scipy is a test dependency only: importing the module must not load it (nor numpy).
    code = (
        "import sys, lev.monitoring.domain.suppression; "
        "sys.exit(any(m.split('.')[0] in ('scipy', 'numpy') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_explanation_is_the_ux_sentence() -> None:
    assert str(EXPLANATION) in {
        "Counts smaller than 5 — for sensitive topics smaller than 10 — are not shown, to protect pupils",
        "Aantallen kleiner dan 5 — bij gevoelige onderwerpen kleiner dan 10 — tonen we niet, om leerlingen "
        "te beschermen",
    }
    assert suppress(Table.of_category("incident:pesten", ["s"], ["A"], [[7]])).explanation == EXPLANATION


@pytest.mark.parametrize(
    ("cell", "denominator", "value", "reason"),
    [
        (Cell(12, "12", False), 150, Decimal("8.0"), None),
        (Cell(5, "5", False), 150, Decimal("3.3"), None),  # 3.333…
        (Cell(1, "1", False), 80, Decimal("1.3"), None),  # 1.25, half up
        (Cell(0, "0", False), 20, Decimal("0.0"), None),  # 20 is enough
        (Cell(7, "7", False), 19, None, RateReason.SMALL_DENOMINATOR),
        (Cell(None, "< 5", True, (1, 4)), 200, None, RateReason.HIDDEN_COUNT),
        (Cell(None, "x", True), 200, None, RateReason.HIDDEN_COUNT),
    ],
)
def test_rate(cell: Cell, denominator: int, value: Decimal | None, reason: RateReason | None) -> None:
    result = rate(cell, denominator)
    assert (result.value, result.reason) == (value, reason)
    assert (result.reason_label is None) == (reason is None)


def test_rate_per_other_base() -> None:
    assert rate(Cell(3, "3", False), 40, per=1000).value == Decimal("75.0")


@pytest.mark.parametrize(
    "make",
    [
        lambda: Table.of_category("incident:pesten", ["s"], ["A"], [[-1]]),
        lambda: Table.of_category("incident:pesten", ["s"], ["A"], [[True]]),
        lambda: Table.of_category("incident:pesten", ["s"], ["A", "B"], [[1]]),
        lambda: Table.of_category("incident:pesten", ["s", "s"], ["A"], [[1], [2]]),
        lambda: Table.of_category("incident:pesten", [], ["A"], []),
        lambda: Table(("s",), ("A",), ((1,),), (DEFAULT_RULE, DEFAULT_RULE)),
    ],
)
def test_a_table_refuses_nonsense(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


QUARTERS = ["Q1", "Q2", "Q3", "Q4"]


def test_splits_must_fit_the_table_they_split() -> None:
    base = Table.of_category("incident:pesten", ["pesten"], ["A", "B"], [[7, 20]])
    wrong = Table.of_category("incident:pesten", ["pesten"], QUARTERS, [[3, 3, 0, 0]])
    right = Table.of_category("incident:pesten", ["pesten"], QUARTERS, [[3, 4, 0, 0]])
    with pytest.raises(ValueError, match="equal"):
        consistent_views(base, column_splits={"A": wrong})
    with pytest.raises(ValueError, match="No column"):
        consistent_views(base, column_splits={"C": right})
    no_totals = Table(right.rows, right.columns, right.counts, right.rules, column_totals=False)
    with pytest.raises(ValueError, match="column totals"):
        consistent_views(base, column_splits={"A": no_totals})
    other_rule = Table.of_category("meldcode:opened", ["pesten"], QUARTERS, [[3, 4, 0, 0]])
    with pytest.raises(ValueError, match="rules"):
        consistent_views(base, column_splits={"A": other_rule})


def test_a_school_split_by_quarter_shares_its_year_counts_with_the_board_table() -> None:
    # V1:          A   B | board        V2, school A:  Q1 Q2 Q3 Q4 | year
    # pesten       7  20 |  27                          3  4  0  0 |  7
    # school total 7  20 |  27                          3  4  0  0 |  7
    # Q1 and Q2 are 1–4. Q1 must be able to go down to 1: Q2 cannot go up (4 is its top) and Q3, Q4
    # are shown zeros, so A's year count (a total in V2: "x" in both views, and ≥ 1) must give way.
    # In V1's one row it then takes B along (else A = 27 − 20) and both school totals (each is its
    # cell). The quarter totals equal the quarters: "x" (a total never shows "< 5").
    base = Table.of_category("incident:pesten", ["pesten"], ["A", "B"], [[7, 20]])
    split = Table.of_category("incident:pesten", ["pesten"], QUARTERS, [[3, 4, 0, 0]])
    views = consistent_views(base, column_splits={"A": split})
    assert texts(views.base) == ([["x", "x"]], ["27"], ["x", "x"], "27")
    assert texts(views.column_splits["A"]) == ([["< 5", "< 5", "0", "0"]], ["x"], ["x", "x", "0", "0"], "x")
    assert Audit.of(base, views, {"A": split}).check_protected() == 4  # Q1, Q2 and their two totals


def test_views_suppressed_apart_can_be_differenced() -> None:
    # Why the views are suppressed in one call. Apart, V1 has nothing small and shows A = 7, while V2
    # hides its year count; a viewer of both reads 7 from V1, so Q1 + Q2 = 7 with each 1–4: Q1 is 3
    # or 4.
    base = Table.of_category("incident:pesten", ["pesten"], ["A", "B"], [[7, 20]])
    split = Table.of_category("incident:pesten", ["pesten"], QUARTERS, [[3, 4, 0, 0]])
    v1, v2 = suppress(base), suppress(split)
    assert v1.cells[0][0].text == "7" and v2.row_totals[0].text == "x"
    audit = Audit.of(base, Views(v1, {"A": v2}), {"A": split}, merge=True)
    assert audit.interval(("split", 0, 0, 0), labelled=True) == pytest.approx((3, 4))
    with pytest.raises(AssertionError, match="narrowed"):
        audit.check_protected()


# --- properties -------------------------------------------------------------------------------------------

# Counts skewed small: mostly 0–12, sometimes large.
counts = st.one_of(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(13, 150))
rules = st.sampled_from([DEFAULT_RULE, SENSITIVE_RULE])


@st.composite
def tables(draw: st.DrawFn) -> Table:
    n_rows, n_cols = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    return Table(
        rows=tuple(f"r{i}" for i in range(n_rows)),
        columns=tuple(f"c{j}" for j in range(n_cols)),
        counts=tuple(tuple(draw(counts) for _ in range(n_cols)) for _ in range(n_rows)),
        rules=tuple(draw(rules) for _ in range(n_rows)),
        column_totals=draw(st.sampled_from([True, True, True, False])),
    )


@dataclass
class Linked:
    base: Table
    column_splits: dict[str, Table]


@st.composite
def linked_views(draw: st.DrawFn) -> Linked:
    """V1 with some of its columns (schools) split by period (V2), from one three-way table of counts
    (category × school × period)."""
    n_rows, n_cols, n_periods = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(2, 4))
    small = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(0, 30))
    cube = [[[draw(small) for _ in range(n_periods)] for _ in range(n_cols)] for _ in range(n_rows)]
    row_rules = tuple(draw(rules) for _ in range(n_rows))
    column_totals = draw(st.sampled_from([True, True, True, False]))
    rows = tuple(f"r{i}" for i in range(n_rows))
    columns = tuple(f"c{j}" for j in range(n_cols))
    periods = tuple(f"p{k}" for k in range(n_periods))

    def table(cols: tuple[str, ...], values: list[list[int]]) -> Table:
        return Table(rows, cols, tuple(map(tuple, values)), row_rules, column_totals)

    base = table(columns, [[sum(cube[i][j]) for j in range(n_cols)] for i in range(n_rows)])
    chosen = draw(st.sets(st.integers(0, n_cols - 1), min_size=1))
    return Linked(
        base, {columns[j]: table(periods, [cube[i][j] for i in range(n_rows)]) for j in sorted(chosen)}
    )


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(tables())
def test_no_small_count_is_shown_or_recoverable(table: Table) -> None:
    """(a) and (b): nothing small shown; every small count covers its band given what is shown."""
    audit = Audit.of(table, Views(suppress(table), {}))
    audit.check_shown()
    audit.check_protected()


@PROPERTY
@given(tables())
def test_suppression_is_deterministic(table: Table) -> None:
    """(c) The same table gives the same page, also when built again from equal data."""
    again = Table(
        tuple(table.rows),
        tuple(table.columns),
        tuple(tuple(line) for line in table.counts),
        tuple(Rule(r.threshold, r.show_zero) for r in table.rules),
        table.column_totals,
    )
    assert suppress(table) == suppress(again) == suppress(table)


def _both_split(cube: list[list[list[int]]]) -> Linked:
    rows, columns = ("r0", "r1"), ("c0", "c1")
    base = Table(rows, columns, tuple(tuple(sum(c) for c in line) for line in cube), (DEFAULT_RULE,) * 2)
    splits = {
        label: Table(rows, ("p0", "p1"), tuple(tuple(line[j]) for line in cube), (DEFAULT_RULE,) * 2)
        for j, label in enumerate(columns)
    }
    return Linked(base, splits)


@PROPERTY
@given(linked_views())
# A total at the top of its band that could first move neither way in the labelled model.
@example(_both_split([[[3, 1], [12, 0]], [[4, 3], [4, 0]]]))
def test_linked_views_cannot_be_differenced(linked: Linked) -> None:
    """(d) V1 with V2 (board total and per school; school year totals and per quarter): one status per
    count across the views, and the audit over the union of their relations."""
    views = consistent_views(linked.base, column_splits=linked.column_splits)
    audit = Audit.of(linked.base, views, linked.column_splits)
    audit.check_shown()
    audit.check_protected()
