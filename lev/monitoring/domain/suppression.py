"""Small-cell suppression for the dashboards: which counts are shown, and which are hidden so that no
child can be worked out from a number.

Sources: the policy plan ch. 7 ("centraal monitoren … om vroegtijdig trends te herkennen"; the board
sees trends, never pupils); PRODUCT.md capability 8 (aggregates only; fewer than 5 hidden, fewer
than 10 for Meldcode and sexual-behaviour categories, with complementary suppression; a table beside
every chart); SECURITY.md threat 12 (no small cell shown, none recoverable from margins, no
differencing between allowed views); UX.md "Dashboard" (the one-sentence explanation, `EXPLANATION`);
issue 8 (true zeros shown only for non-sensitive categories; rates only with a denominator of at
least 20; only predefined views). The method is the usual one of statistical offices: primary
suppression by a minimum count, complementary suppression, an audit by linear programming.

**Rules.** `RULES` is the one map from category to `Rule(threshold, show_zero)`; `rule_for` gives
`DEFAULT_RULE` for any code not in it. Default (non-sensitive): threshold 5; a true zero is shown as
"0"; counts 1–4 are hidden and shown as "< 5" (band 1–4). Sensitive (`SENSITIVE_RULE`): threshold 10;
counts 0–9 are hidden and shown as "< 10" (band 0–9). *A sensitive zero is hidden too*: "0 Meldcode
cases at this school" is itself information about children, and a shown 0 beside a "< 10" would say
the latter is 1–9. Sensitive are: the Meldcode (cases opened, meldingen done, cases open by step),
the incident category "(sexually) transgressive behaviour" (`incident:grensoverschrijdend`), the
signal tags (the headings of Bijlage 17, "Signalen van kindermishandeling", a tool of Meldcode step
1) and overdue deadlines of the Meldcode and staff-misconduct rules (`SENSITIVE_CATEGORIES`). A total
that sums several categories (a column or grand total) follows the strictest rule of the rows it sums
(`Rule.strictest`).

**Tables and views.** A `Table` is rows (each with its rule: one category per row, or one category
for the whole table), columns (schools, months, quarters or school years) and counts ≥ 0, shown with
its row totals, column totals and grand total (or, for rows that overlap such as signal tags, with
row totals only: `column_totals=False`). `suppress(table)` returns what is shown. The predefined views
are linked through `consistent_views`:

- V1, the year table: categories × schools for one school year, with the board totals (row totals),
  the school totals (column totals) and the grand total. The pair (board total, per school) is V1's
  row totals beside its cells.
- V2, a school split by period: categories × quarters (or months) of one school, whose row totals are
  that school's column of V1 and whose grand total is that school's total (`column_splits`). The pair
  (school year totals, per quarter) is V2's row totals beside its cells.

All views of one board, one school year and one kind of count are suppressed in one call, so a count
has one status everywhere it appears. A director's dashboard is their school's column of V1 and
their V2, taken from the board's call, never suppressed on its own: suppressed apart, the school's
year count could be shown in one view and be the complement that protects another school in the
other.

**What is shown.** A shown count is its number. A hidden count is shown as "< 5" or "< 10" (its rule's
text) when it is small itself and not a total in any view; every other hidden count — a total, or a
count hidden only to protect another (a complement) — is shown as "x" (`HIDDEN_TEXT`, the CBS sign
for "geheim"; `HIDDEN_NOTE` explains it). Totals never show "< 5": an upper bound on a total together
with the lower bounds of its "< 5" cells (each at least 1) can pin them (four cells "< 5" under a
total "< 5" are four ones). A complement is never a zero, so "x" on a cell says "5 or more" (or "10
or more") and the protection below assumes the viewer knows that.

**Protection.** Every count is an arc of one circulation network: source → row node (row total), row
→ column node (cell), column → sink (column total), sink → source (grand total); a split column j
routes each of its cells through a node (row, j) → period node → column j, so that the split's cells
and period totals are arcs too. Conservation at every node is exactly the set of relations a viewer
knows (every row, column and grand total of every view), so what a viewer can say of the hidden
counts is the set of circulations with every arc within the bounds the viewer knows:

- the *open* model (the issue's acceptance): a shown count is fixed, a hidden one is only ≥ 0;
- the *labelled* model (what the page really says): a shown count is fixed, "< 5" is 1–4, "< 10" is
  0–9, "x" on a cell is ≥ 5 (≥ 10), "x" on a total is ≥ its band's bottom, a total that no view shows
  (`column_totals=False`) is ≥ 0.

A small cell (not a total) is protected when, in the labelled model, it can take both ends of its
band: the page says nothing about it beyond "< 5". A small total is protected when, in the open
model, it can take both ends of its band, and, in the labelled model, it can reach its band's top
and is not determined exactly. (The bottom cannot always be reached in the labelled model: two
"< 5" cells under a total say it is at least 2, which their own labels already say.) The labelled
bounds lie within the open ones, so a protected cell is also protected in the open model.

**Algorithm.** (1) Primary suppression: every count its rule hides (`Rule.hides`), totals included.
(2) For each small count in a fixed order (V1 cells row by row, V1 row totals, column totals, grand
total, then each split in V1's column order: cells row by row, period totals) and each movement it
needs (up to its band's top, down to its bottom; for a total also the labelled checks above): the
count can move by d iff d units of flow can be sent round it through the other arcs within their
bounds, which augmenting paths decide exactly. (3) When they cannot, a cheapest path that would
carry more is found (Dijkstra over the residual network): an arc with room is free; a shown non-zero
count that would have room once hidden costs 1 for a cell and 3 for a total (totals are what a small
board reads), its value breaking ties (hide small counts first), then the order of the search. A
path with room for all that is missing is preferred to one with room for some. Its shown counts are
hidden as complements and the check is repeated. Hiding more only widens what a viewer must allow,
so a check that passed stays passed and one pass over the small counts suffices; every repair hides
at least one more count, so it ends. It does not get stuck on a cell: with every non-zero total
hidden, a small cell moves freely along the cycle of its own row total, column total and grand total
(and, in a split, its period total and the year count it splits) — these totals are unbounded above,
at least the cell's value above their bottom, and a total of value 0 on that cycle is itself small
(a sensitive zero) — so an augmenting path through hidden totals always exists. For the labelled
checks of totals there is no such argument; the property tests (thousands of random tables and
linked views) never reached it, and should it happen the call raises rather than show too much.
Deterministic: no randomness, no set order in any choice.

Integrality: the node-arc incidence matrix of a network is totally unimodular and all bounds are
whole numbers, so the linear programme's extreme points are whole numbers and "can move by d" is the
same for fractions as for whole numbers; the property tests audit with `scipy.optimize.linprog`.

**What the dashboard must therefore not offer** (only V1, V2 and the trend below; no free
cross-filters):

- the board split by period (categories × quarters for the whole board) beside V1: a V1 cell that is
  its row's only non-zero count equals the board total, and the board's "< 5" quarters under it pin
  it (the board's quarters minus the schools' would moreover be a three-way table);
- quarters and months of the same school, or periods of a period;
- totals over several school years: a three-year trend shows each year's counts with the status of
  that year's call, and no sum over the years;
- the same counts in another grouping (an "all incidents" row beside its categories, other than as
  the grand total of the same table), or column totals of overlapping rows (signal tags:
  `column_totals=False`);
- a count of one kind beside a related count of another kind in a way that gives an equation or a
  bound (cases open by step beside cases opened, schorsing days beside schorsingen, ladder step 5
  beside time-outs): relations between kinds are not in the network.

A viewer who re-runs this algorithm on guessed tables (an attack on the algorithm rather than on the
numbers) is not modelled, as in the usual practice.

**Rates** (`rate`): per 100 pupils, rounded half up to one decimal, only for a shown count and a
denominator of at least 20 (`MIN_RATE_DENOMINATOR`); otherwise None with the reason.

Pure: no database, no clock.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from lev.deadlines.domain import RULE_CODES

if TYPE_CHECKING:
    # A lazy translation (gettext_lazy): a str in the language active when it is used.
    from django.utils.functional import _StrPromise as StrPromise
else:
    from django.utils.functional import Promise as StrPromise

__all__ = [
    "DEFAULT_RULE",
    "EXPLANATION",
    "HIDDEN_NOTE",
    "HIDDEN_TEXT",
    "MIN_RATE_DENOMINATOR",
    "RATE_REASON_LABELS",
    "RULES",
    "SENSITIVE_CATEGORIES",
    "SENSITIVE_RULE",
    "Cell",
    "Rate",
    "RateReason",
    "Rule",
    "Shown",
    "Table",
    "Views",
    "consistent_views",
    "rate",
    "rule_for",
    "suppress",
]


# --- Rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How small a count may be before it is hidden.

    A count below THRESHOLD is hidden; a zero is shown as "0" only when SHOW_ZERO.
    """

    threshold: int
    show_zero: bool

    def hides(self, value: int) -> bool:
        """Whether a count of VALUE is small under this rule (primary suppression)."""
        return value < self.threshold and (value > 0 or not self.show_zero)

    @property
    def band(self) -> tuple[int, int]:
        """The values a hidden small count may have: (1, 4) or (0, 9)."""
        return (1 if self.show_zero else 0, self.threshold - 1)

    @property
    def text(self) -> str:
        """What a hidden small count shows: "< 5" or "< 10"."""
        return f"< {self.threshold}"

    @staticmethod
    def strictest(rules: Iterable[Rule]) -> Rule:
        """The rule for a total over counts with RULES: the highest threshold, zeros shown only if
        every rule shows them."""
        rules = tuple(rules)
        return Rule(max(r.threshold for r in rules), all(r.show_zero for r in rules))


DEFAULT_RULE = Rule(threshold=5, show_zero=True)
SENSITIVE_RULE = Rule(threshold=10, show_zero=False)

# Category codes: "<kind>:<code>", the code being the value stored by the app that owns the count.
_INCIDENT_CATEGORIES = (  # incidents.models.IncidentCategory
    "pesten",
    "online_pesten",
    "grensoverschrijdend",
    "agressie",
    "intimidatie",
    "discriminatie",
    "radicalisering",
    "anders",
)
_SENSITIVE_INCIDENT_CATEGORIES = ("grensoverschrijdend",)  # (sexually) transgressive behaviour
_SIGNAL_TAGS = (  # incidents.models.SignalTag: the headings of Bijlage 17 (signs of child abuse)
    "lichamelijk_welzijn",
    "gedrag_kind",
    "tegenover_kinderen",
    "tegenover_ouders",
    "tegenover_volwassenen",
    "overig",
    "gedrag_ouder",
    "gezinssituatie",
)
_MELDCODE = ("opened", "melding", *(f"open_step_{n}" for n in range(1, 6)))
_LADDER = tuple(f"step_{n}" for n in range(1, 8))  # escalation.domain.ladder.State: highest step reached
_ESCALATION = ("timeout", "schorsing", "verwijdering")
# Overdue deadlines by rule (lev.deadlines.domain.RULE_CODES). Meldcode rules are sensitive; so are the
# staff-misconduct rules, which the dashboards do not count at all (the issue: never any WPO 4a report).
_SENSITIVE_DEADLINES = frozenset(
    {"veilig-thuis-beoordeling", "evaluatie-hulp-meldcode", "fysiek-geweld-personeel"}
    | {code for code in RULE_CODES if code.startswith("wpo4a-")}
)

SENSITIVE_CATEGORIES: frozenset[str] = frozenset(
    {f"incident:{c}" for c in _SENSITIVE_INCIDENT_CATEGORIES}
    | {f"signal:{t}" for t in _SIGNAL_TAGS}
    | {f"meldcode:{m}" for m in _MELDCODE}
    | {f"deadline_overdue:{code}" for code in _SENSITIVE_DEADLINES}
)

RULES: Mapping[str, Rule] = MappingProxyType(
    {
        code: (SENSITIVE_RULE if code in SENSITIVE_CATEGORIES else DEFAULT_RULE)
        for code in (
            *(f"incident:{c}" for c in _INCIDENT_CATEGORIES),
            "signal:all",  # every signal, whatever its tags (the dashboards' signal count)
            *(f"signal:{t}" for t in _SIGNAL_TAGS),
            *(f"meldcode:{m}" for m in _MELDCODE),
            *(f"ladder:{s}" for s in _LADDER),
            *(f"escalation:{e}" for e in _ESCALATION),
            *(f"deadline_overdue:{code}" for code in RULE_CODES),
            "crisis:opened",
        )
    }
)


def rule_for(category: str) -> Rule:
    """The rule for CATEGORY; the default (threshold 5, zeros shown) for a code not in `RULES`."""
    return RULES.get(category, DEFAULT_RULE)


# --- What is shown -----------------------------------------------------------------------------------

EXPLANATION: StrPromise = _(
    "Counts smaller than 5 — for sensitive topics smaller than 10 — are not shown, to protect pupils"
)
HIDDEN_TEXT = "x"
HIDDEN_NOTE: StrPromise = _("x: not shown, so that a small count cannot be worked out from the totals")


@dataclass(frozen=True)
class Cell:
    """One shown count. VALUE is None when hidden; TEXT is what the page and the CSV show ("12", "0",
    "< 5", "< 10" or "x"); BAND is the range "< 5" or "< 10" stands for, None otherwise."""

    value: int | None
    text: str
    suppressed: bool
    band: tuple[int, int] | None = None


@dataclass(frozen=True)
class Table:
    """Counts to show: ROWS (labels, one RULES per row), COLUMNS (labels) and COUNTS[row][column] ≥ 0.

    Shown with row totals, and with column totals and a grand total unless COLUMN_TOTALS is False
    (rows that overlap, such as signal tags: a signal with two tags is in two rows).
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    rules: tuple[Rule, ...]
    column_totals: bool = True

    def __post_init__(self) -> None:
        if not self.rows or not self.columns:
            raise ValueError("A table needs at least one row and one column.")
        if len(set(self.rows)) != len(self.rows) or len(set(self.columns)) != len(self.columns):
            raise ValueError("Row and column labels must be unique.")
        if len(self.rules) != len(self.rows) or len(self.counts) != len(self.rows):
            raise ValueError("One rule and one line of counts per row.")
        for line in self.counts:
            if len(line) != len(self.columns):
                raise ValueError("One count per column in every row.")
            for count in line:
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise ValueError(f"A count is a whole number ≥ 0, not {count!r}.")

    @classmethod
    def by_category(
        cls,
        categories: Sequence[str],
        columns: Sequence[str],
        counts: Sequence[Sequence[int]],
        *,
        column_totals: bool = True,
    ) -> Table:
        """A table with one category per row, each with its rule from `RULES`."""
        return cls(
            rows=tuple(categories),
            columns=tuple(columns),
            counts=tuple(tuple(line) for line in counts),
            rules=tuple(rule_for(c) for c in categories),
            column_totals=column_totals,
        )

    @classmethod
    def of_category(
        cls, category: str, rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]]
    ) -> Table:
        """A table of one category (rows e.g. schools), every row with that category's rule."""
        rule = rule_for(category)
        return cls(
            rows=tuple(rows),
            columns=tuple(columns),
            counts=tuple(tuple(line) for line in counts),
            rules=(rule,) * len(rows),
        )

    @property
    def row_sums(self) -> tuple[int, ...]:
        return tuple(sum(line) for line in self.counts)

    @property
    def column_sums(self) -> tuple[int, ...]:
        return tuple(sum(line[j] for line in self.counts) for j in range(len(self.columns)))


@dataclass(frozen=True)
class Shown:
    """A table as shown: CELLS[row][column], ROW_TOTALS, and COLUMN_TOTALS and TOTAL (None when the
    table has no column totals)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...] | None
    total: Cell | None
    explanation: StrPromise = field(default=EXPLANATION, compare=False)

    @property
    def any_suppressed(self) -> bool:
        every = [c for line in self.cells for c in line] + list(self.row_totals)
        every += list(self.column_totals or ()) + ([self.total] if self.total else [])
        return any(c.suppressed for c in every)


@dataclass(frozen=True)
class Views:
    """The linked views of one call: BASE (V1) and the split columns (V2, by base column label)."""

    base: Shown
    column_splits: Mapping[str, Shown]


# --- The network ---------------------------------------------------------------------------------------

_INF = 1 << 60
_TOTAL_COST = 3  # hiding a total costs as much as hiding three cells


class _Model(Enum):
    OPEN = "open"  # shown counts fixed, hidden ones ≥ 0
    LABELLED = "labelled"  # plus what "< 5", "< 10" and "x" say


@dataclass
class _Arc:
    tail: int
    head: int
    value: int
    rule: Rule
    total: bool  # a total in some view (shown "x" when hidden)
    unshown: bool = False  # a total that no view shows (column totals of overlapping rows)
    suppressed: bool = False
    primary: bool = field(init=False)  # small under its own rule: hidden whatever else happens

    def __post_init__(self) -> None:
        self.primary = not self.unshown and self.rule.hides(self.value)

    def bounds(self, model: _Model) -> tuple[int, int]:
        """What a viewer knows of this count under MODEL."""
        if self.unshown:
            return (0, _INF)
        if not self.suppressed:
            return (self.value, self.value)
        if model is _Model.OPEN:
            return (0, _INF)
        return self._hidden_bounds()

    def _hidden_bounds(self) -> tuple[int, int]:
        low, high = self.rule.band
        if self.total:
            return (low, _INF)
        if self.primary:
            return (low, high)
        return (self.rule.threshold, _INF)

    def lower_if_hidden(self, model: _Model) -> int:
        if model is _Model.OPEN:
            return 0
        return self.rule.band[0] if self.total else self.rule.threshold


class _Network:
    def __init__(self) -> None:
        self.arcs: list[_Arc] = []
        self.node_count = 0
        self.out: list[list[int]] = []
        self.into: list[list[int]] = []
        self._bounds: dict[_Model, list[tuple[int, int]]] = {}  # per model, until a count is hidden

    def bounds(self, model: _Model) -> list[tuple[int, int]]:
        if model not in self._bounds:
            self._bounds[model] = [arc.bounds(model) for arc in self.arcs]
        return self._bounds[model]

    def node(self) -> int:
        self.node_count += 1
        self.out.append([])
        self.into.append([])
        return self.node_count - 1

    def arc(self, tail: int, head: int, value: int, rule: Rule, *, total: bool, unshown: bool = False) -> int:
        self.arcs.append(_Arc(tail, head, value, rule, total, unshown))
        index = len(self.arcs) - 1
        self.out[tail].append(index)
        self.into[head].append(index)
        return index

    def push(self, model: _Model, skip: int, source: int, sink: int, need: int) -> list[int] | None:
        """Send NEED units from SOURCE to SINK through the arcs other than SKIP, each within its bounds
        under MODEL (augmenting paths). None when it can; else the extra flow on each arc when no
        augmenting path is left."""
        if need <= 0:
            return None
        arcs = self.arcs
        bounds = self.bounds(model)
        extra = [0] * len(arcs)
        pushed = 0
        while pushed < need:
            parent: dict[int, tuple[int, int]] = {source: (-1, 0)}
            queue = deque([source])
            while queue and sink not in parent:
                node = queue.popleft()
                for index in self.out[node]:
                    arc = arcs[index]
                    room = bounds[index][1] - (arc.value + extra[index])
                    if index != skip and arc.head not in parent and room > 0:
                        parent[arc.head] = (index, 1)
                        queue.append(arc.head)
                for index in self.into[node]:
                    arc = arcs[index]
                    room = arc.value + extra[index] - bounds[index][0]
                    if index != skip and arc.tail not in parent and room > 0:
                        parent[arc.tail] = (index, -1)
                        queue.append(arc.tail)
            if sink not in parent:
                return extra
            path = self._path(parent, source, sink)
            amount = need - pushed
            for index, sign in path:
                value = arcs[index].value + extra[index]
                amount = min(amount, bounds[index][1] - value if sign > 0 else value - bounds[index][0])
            for index, sign in path:
                extra[index] += sign * amount
            pushed += amount
        return None

    def _path(self, parent: Mapping[int, tuple[int, int]], source: int, sink: int) -> list[tuple[int, int]]:
        path: list[tuple[int, int]] = []
        node = sink
        while node != source:
            index, sign = parent[node]
            path.append((index, sign))
            node = self.arcs[index].tail if sign > 0 else self.arcs[index].head
        return path

    def cheapest_opening(
        self, model: _Model, skip: int, source: int, sink: int, extra: Sequence[int], least: int
    ) -> list[int]:
        """The shown counts to hide so that a path from SOURCE to SINK with room for LEAST more units
        appears, given the flow EXTRA already sent: a cheapest path (Dijkstra) where an arc with room
        is free and a shown non-zero count that would have room once hidden costs (3 for a total, 1
        for a cell; then its value). Empty when there is none."""
        arcs = self.arcs
        bounds = self.bounds(model)
        best: dict[int, tuple[int, int]] = {source: (0, 0)}
        parent: dict[int, tuple[int, int]] = {}
        done: set[int] = set()
        heap: list[tuple[tuple[int, int], int, int]] = [((0, 0), 0, source)]
        order = 0
        while heap:
            cost, _, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            if node == sink:
                break
            steps = [(i, 1, arcs[i].head) for i in self.out[node]]
            steps += [(i, -1, arcs[i].tail) for i in self.into[node]]
            for index, sign, nxt in steps:
                if index == skip or nxt in done:
                    continue
                arc = arcs[index]
                if arc.suppressed or arc.unshown:
                    low, high = bounds[index]
                    value = arc.value + extra[index]
                    if (high - value if sign > 0 else value - low) < least:
                        continue
                    step = (0, 0)
                else:
                    if arc.value == 0:
                        continue  # a zero is never hidden as a complement
                    if sign < 0 and arc.value - arc.lower_if_hidden(model) < least:
                        continue
                    step = (_TOTAL_COST if arc.total else 1, arc.value)
                new = (cost[0] + step[0], cost[1] + step[1])
                if nxt not in best or new < best[nxt]:
                    best[nxt] = new
                    parent[nxt] = (index, sign)
                    order += 1
                    heapq.heappush(heap, (new, order, nxt))
        if sink not in done:
            return []
        return [index for index, _ in self._path(parent, source, sink) if not self.arcs[index].suppressed]

    def protect(self) -> None:
        """Complementary suppression (the module docstring, "Algorithm")."""
        for arc in self.arcs:
            arc.suppressed = arc.primary
        self._bounds.clear()
        for index, arc in enumerate(self.arcs):
            if not arc.primary:
                continue
            low, high = arc.rule.band
            up, down = high - arc.value, arc.value - low
            if not arc.total:
                self._ensure(index, _Model.LABELLED, up, down)
                continue
            self._ensure(index, _Model.OPEN, up, down)
            if arc.value < high:
                self._ensure(index, _Model.LABELLED, up, 0)
            else:  # at the top of its band: it must still be able to move one way
                self._ensure_either(index)

    def _ends(self, index: int, upwards: bool) -> tuple[int, int]:
        """Where flow must go to move count INDEX: more of it comes back from its head to its tail."""
        arc = self.arcs[index]
        return (arc.head, arc.tail) if upwards else (arc.tail, arc.head)

    def _ensure(self, index: int, model: _Model, up: int, down: int) -> None:
        for upwards, need in ((True, up), (False, down)):
            source, sink = self._ends(index, upwards)
            while (extra := self.push(model, index, source, sink, need)) is not None:
                self._hide(self._opening(model, index, source, sink, extra, need))

    def _opening(
        self, model: _Model, index: int, source: int, sink: int, extra: Sequence[int], need: int
    ) -> list[int]:
        # First a path with room for everything still missing, else any path with room.
        missing = need - self._sent(extra, index, source)
        for least in (max(missing, 1), 1):
            opening = self.cheapest_opening(model, index, source, sink, extra, least)
            if opening:
                return opening
        return []

    def _sent(self, extra: Sequence[int], skip: int, source: int) -> int:
        """How much flow EXTRA sends out of SOURCE."""
        out = sum(extra[i] for i in self.out[source] if i != skip)
        back = sum(extra[i] for i in self.into[source] if i != skip)
        return out - back

    def _ensure_either(self, index: int) -> None:
        model = _Model.LABELLED
        while True:
            attempts = []
            for upwards in (True, False):
                source, sink = self._ends(index, upwards)
                extra = self.push(model, index, source, sink, 1)
                if extra is None:
                    return
                attempts.append((source, sink, extra))
            for source, sink, extra in attempts:
                opening = self._opening(model, index, source, sink, extra, 1)
                if opening:
                    break
            self._hide(opening)

    def _hide(self, opening: Sequence[int]) -> None:
        if not opening:  # cannot happen (docstring, "Algorithm"); refuse rather than show too much
            raise RuntimeError("no complementary suppression protects a small count")
        for index in opening:
            self.arcs[index].suppressed = True
            for model, bounds in self._bounds.items():  # only the hidden counts' bounds change
                bounds[index] = self.arcs[index].bounds(model)

    def cell(self, index: int) -> Cell:
        arc = self.arcs[index]
        if not arc.suppressed:
            return Cell(value=arc.value, text=str(arc.value), suppressed=False)
        if arc.primary and not arc.total:
            return Cell(value=None, text=arc.rule.text, suppressed=True, band=arc.rule.band)
        return Cell(value=None, text=HIDDEN_TEXT, suppressed=True)


def consistent_views(base: Table, *, column_splits: Mapping[str, Table] | None = None) -> Views:
    """Suppress the linked views V1 (BASE) and V2 (COLUMN_SPLITS: base column label → that column split
    by period) together (module docstring).

    A split has the base's rows and rules, and its row sums equal the column it splits.
    """
    column_splits = dict(column_splits or {})
    for label, split in column_splits.items():
        if label not in base.columns:
            raise ValueError(f"No column {label!r} to split.")
        j = base.columns.index(label)
        _check_split(base, split, tuple(line[j] for line in base.counts))

    net = _Network()
    strict = Rule.strictest(base.rules)
    unshown = not base.column_totals
    n_rows, n_cols = len(base.rows), len(base.columns)
    source, sink = net.node(), net.node()
    row_nodes = [net.node() for _ in range(n_rows)]
    col_nodes = [net.node() for _ in range(n_cols)]
    split_order = [label for label in base.columns if label in column_splits]
    # A split column: a node per (row, column), where the cell ends, and a node per period.
    via = {label: [net.node() for _ in range(n_rows)] for label in split_order}
    periods = {label: [net.node() for _ in column_splits[label].columns] for label in split_order}

    cells = [
        [
            net.arc(
                row_nodes[i],
                via[label][i] if label in via else col_nodes[j],
                base.counts[i][j],
                base.rules[i],
                total=label in via,
            )
            for j, label in enumerate(base.columns)
        ]
        for i in range(n_rows)
    ]
    row_totals = [
        net.arc(source, row_nodes[i], base.row_sums[i], base.rules[i], total=True) for i in range(n_rows)
    ]
    col_totals = [
        net.arc(col_nodes[j], sink, base.column_sums[j], strict, total=True, unshown=unshown)
        for j in range(n_cols)
    ]
    grand = net.arc(sink, source, sum(base.row_sums), strict, total=True, unshown=unshown)
    split_arcs: dict[str, tuple[list[list[int]], list[int]]] = {}
    for label in split_order:
        split, j = column_splits[label], base.columns.index(label)
        inner = [
            [
                net.arc(via[label][i], periods[label][k], split.counts[i][k], base.rules[i], total=False)
                for k in range(len(split.columns))
            ]
            for i in range(n_rows)
        ]
        sums = [
            net.arc(periods[label][k], col_nodes[j], total, strict, total=True, unshown=unshown)
            for k, total in enumerate(split.column_sums)
        ]
        split_arcs[label] = (inner, sums)

    net.protect()

    def shown(
        table: Table, inner: list[list[int]], rows: list[int], cols: list[int], everything: int
    ) -> Shown:
        return Shown(
            rows=table.rows,
            columns=table.columns,
            cells=tuple(tuple(net.cell(a) for a in line) for line in inner),
            row_totals=tuple(net.cell(a) for a in rows),
            column_totals=None if unshown else tuple(net.cell(a) for a in cols),
            total=None if unshown else net.cell(everything),
        )

    splits = {}
    for label in split_order:
        inner, sums = split_arcs[label]
        j = base.columns.index(label)
        splits[label] = shown(
            column_splits[label], inner, [cells[i][j] for i in range(n_rows)], sums, col_totals[j]
        )
    return Views(
        base=shown(base, cells, row_totals, col_totals, grand), column_splits=MappingProxyType(splits)
    )


def _check_split(base: Table, split: Table, sums: tuple[int, ...]) -> None:
    if split.rows != base.rows or split.rules != base.rules:
        raise ValueError("A split has the rows and rules of the table it splits.")
    if split.column_totals != base.column_totals:
        raise ValueError("A split shows column totals exactly when the table it splits does.")
    if split.row_sums != sums:
        raise ValueError("A split's row totals must equal the counts it splits.")


def suppress(table: Table) -> Shown:
    """TABLE as shown, with primary and complementary suppression (module docstring)."""
    return consistent_views(table).base


# --- Rates -----------------------------------------------------------------------------------------------

MIN_RATE_DENOMINATOR = 20


class RateReason(StrEnum):
    HIDDEN_COUNT = "hidden_count"
    SMALL_DENOMINATOR = "small_denominator"


RATE_REASON_LABELS: Mapping[RateReason, StrPromise] = MappingProxyType(
    {
        RateReason.HIDDEN_COUNT: _("Not shown: the count is hidden"),
        RateReason.SMALL_DENOMINATOR: _("Not shown: fewer than 20 pupils"),
    }
)


@dataclass(frozen=True)
class Rate:
    """A count per PER pupils, rounded to one decimal; VALUE None with the REASON when not shown."""

    value: Decimal | None
    reason: RateReason | None = None

    @property
    def reason_label(self) -> StrPromise | None:
        return RATE_REASON_LABELS[self.reason] if self.reason else None


def rate(count: Cell, denominator: int, per: int = 100) -> Rate:
    """COUNT per PER of DENOMINATOR (pupils), only for a shown count and a denominator of at least 20."""
    if count.suppressed or count.value is None:
        return Rate(None, RateReason.HIDDEN_COUNT)
    if denominator < MIN_RATE_DENOMINATOR:
        return Rate(None, RateReason.SMALL_DENOMINATOR)
    exact = Decimal(count.value) * per / Decimal(denominator)
    return Rate(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
