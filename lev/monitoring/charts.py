"""Bar charts as inline SVG, for the board dashboard and its annual report (PDF).

Pure: no database, no JavaScript, no external service. A chart always stands beside the full
data table, which is the accessible version of the numbers; the SVG is a picture with a summary:
`role="img"` and `aria-labelledby` pointing to its own `<title>` (id `<chart_id>-title`).

**Values.** Every bar is a display cell of the table (`Bar`): VALUE is the number (int or Decimal,
≥ 0) or None when the count is hidden (small-cell suppression), TEXT is exactly what the table
shows ("12", "3,4", "< 5", "x"). The module never formats numbers; it writes TEXT at the end of
the bar. A hidden value draws no bar and writes its TEXT in place, muted and in italics, so that
nobody reads it as zero; a shown zero also draws no bar but writes its TEXT ("0") in the normal
style. Bars are scaled to the largest shown value (a non-zero value is at least 1 unit wide, so it
stays visible); when every value is hidden or zero, only the texts are drawn.

**Layout.** Horizontal bars, a fixed width (`WIDTH`, about the text width of an A4 page) and a
height from the number of rows. Labels longer than `LABEL_CHARS` characters are cut with "…"; the
full label is the `<title>` of the row's `<g>` (a tooltip on screen).

**Grouped charts** (categories × school years): per group one bar per series, the series told
apart by fill *and* pattern (solid, hatched, dotted, cross-hatched), never by colour alone, with a
legend inside the SVG. At most `len(SERIES_STYLES)` series.

**Output.** Only SVG presentation attributes (no `style` attribute or element, which the
Content-Security-Policy would block); all text is escaped; ids are reduced to `[a-z0-9-]`; pattern
ids are prefixed with the chart id, so several charts can share a page. The same input always
gives the same string. Colours read in print and on screen: text #1a1a1a, muted text #595959
(both ≥ 4.5:1 on white), bars #01689b, #8fcae7 and #5a5a5a with a dark outline on grouped bars.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["LABEL_CHARS", "SERIES_STYLES", "WIDTH", "Bar", "Series", "bar_chart", "grouped_bar_chart"]


@dataclass(frozen=True)
class Bar:
    """One display cell: LABEL (row or group), VALUE (None when hidden) and the TEXT the table shows."""

    label: str
    value: int | Decimal | None
    text: str


@dataclass(frozen=True)
class Series:
    """One series of a grouped chart (e.g. a school year): NAME and one bar per group, in group order."""

    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class _Style:
    """How one series is drawn: its colour and its pattern (None: solid), for the legend and the bars."""

    colour: str
    pattern: str | None  # the SVG content of a 6×6 tile, turned 45°


TEXT = "#1a1a1a"
MUTED = "#595959"
BLUE = "#01689b"
LIGHT_BLUE = "#8fcae7"
GREY = "#5a5a5a"

# Series 0 solid, then hatched, dotted and cross-hatched: the series differ by pattern as well as colour.
SERIES_STYLES: tuple[_Style, ...] = (
    _Style(colour=BLUE, pattern=None),
    _Style(
        colour=LIGHT_BLUE,
        pattern=f'<rect width="6" height="6" fill="{LIGHT_BLUE}"/>'
        f'<line x1="1.5" y1="0" x2="1.5" y2="6" stroke="{BLUE}" stroke-width="3"/>',
    ),
    _Style(
        colour=GREY,
        pattern=f'<rect width="6" height="6" fill="{GREY}"/><circle cx="3" cy="3" r="1.5" fill="#ffffff"/>',
    ),
    _Style(
        colour="#ffffff",
        pattern=f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<path d="M0.75 0V6M0 0.75H6" stroke="{TEXT}" stroke-width="1.5"/>',
    ),
)

WIDTH = 640
LABEL_CHARS = 28
FONT = "sans-serif"
FONT_SIZE = 12
SMALL_FONT_SIZE = 11

LABEL_RIGHT = 196  # labels end here (text-anchor end)
BAR_X = 204  # bars start here
BAR_MAX = 368  # the largest value's bar; leaves room for its text up to WIDTH
TEXT_GAP = 6  # between a bar's end and its text
PAD = 8  # above the first and below the last row

ROW_HEIGHT = 24  # bar_chart: one row per bar
BAR_HEIGHT = 16

GROUPED_BAR_HEIGHT = 12  # grouped_bar_chart: per group one bar per series
GROUPED_BAR_GAP = 2
GROUP_GAP = 10
LEGEND_ROW = 20
SWATCH = 14

_ID_INVALID = re.compile(r"[^a-z0-9-]+")
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_HUNDREDTH = Decimal("0.01")


def bar_chart(*, chart_id: str, title: str, bars: Sequence[Bar], unit: str = "") -> SafeString:
    """Horizontal bars, one per BARS item: label left, bar, the shown text at the bar's end.

    UNIT, when given (e.g. "per 100 pupils"), is written once above the bars in muted text; it is
    not added to the values. Raises ValueError for no bars, a negative or non-finite value, or an
    id without any of [a-z0-9-].
    """
    cid = _clean_id(chart_id)
    if not bars:
        raise ValueError("A bar chart needs at least one bar.")
    scale = _Scale([bar.value for bar in bars])

    top = PAD
    parts: list[str] = []
    if unit:
        parts.append(
            f'<text class="unit" x="{BAR_X}" y="{top + SMALL_FONT_SIZE}" font-size="{SMALL_FONT_SIZE}" '
            f'fill="{MUTED}">{escape(unit)}</text>'
        )
        top += LEGEND_ROW
    for index, bar in enumerate(bars):
        y = top + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        parts.append(f'<g class="row"><title>{escape(bar.label)}</title>')
        parts.append(_label(bar.label, y + BAR_HEIGHT // 2))
        parts.append(_bar(bar, scale, y, BAR_HEIGHT, FONT_SIZE, fill=BLUE, outline=False))
        parts.append("</g>")
    bottom = top + len(bars) * ROW_HEIGHT
    parts.insert(0, _axis(top, bottom))
    return _svg(cid, title, bottom + PAD, defs="", body="".join(parts))


def grouped_bar_chart(
    *, chart_id: str, title: str, groups: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Horizontal bars per group (e.g. a category), one per series (e.g. a school year), with a legend.

    Series i has one bar per group, in the order of GROUPS, and each bar's label is its group: a bar
    in the wrong place raises ValueError, as do no groups or series, more series than
    SERIES_STYLES, a negative or non-finite value and an id without any of [a-z0-9-].
    """
    cid = _clean_id(chart_id)
    if not groups or not series:
        raise ValueError("A grouped bar chart needs at least one group and one series.")
    if len(series) > len(SERIES_STYLES):
        raise ValueError(f"A grouped bar chart draws at most {len(SERIES_STYLES)} series.")
    for one in series:
        if tuple(bar.label for bar in one.bars) != tuple(groups):
            raise ValueError(
                f"Series {one.name!r} must have one bar per group, labelled and ordered as the groups."
            )
    scale = _Scale([bar.value for one in series for bar in one.bars])
    fills = [_fill(cid, index) for index in range(len(series))]

    defs = "".join(
        f'<pattern id="{cid}-s{index}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)">{style.pattern}</pattern>'
        for index, style in enumerate(SERIES_STYLES[: len(series)])
        if style.pattern is not None
    )

    legend, top = _legend(series, fills)
    parts = [legend]
    block = len(series) * GROUPED_BAR_HEIGHT + (len(series) - 1) * GROUPED_BAR_GAP
    y = top
    for group_index, group in enumerate(groups):
        parts.append(f'<g class="group"><title>{escape(group)}</title>')
        parts.append(_label(group, y + block // 2))
        for index, one in enumerate(series):
            bar = one.bars[group_index]
            bar_y = y + index * (GROUPED_BAR_HEIGHT + GROUPED_BAR_GAP)
            parts.append(f'<g class="row"><title>{escape(one.name)}: {escape(bar.text)}</title>')
            parts.append(
                _bar(bar, scale, bar_y, GROUPED_BAR_HEIGHT, SMALL_FONT_SIZE, fill=fills[index], outline=True)
            )
            parts.append("</g>")
        parts.append("</g>")
        y += block + GROUP_GAP
    bottom = y - GROUP_GAP
    parts.insert(1, _axis(top - GROUP_GAP // 2, bottom + GROUP_GAP // 2))
    return _svg(cid, title, bottom + PAD, defs=defs, body="".join(parts))


class _Scale:
    """Bar widths: the largest shown value is BAR_MAX wide; None when nothing is to be drawn."""

    def __init__(self, values: Sequence[int | Decimal | None]) -> None:
        shown = [_checked(value) for value in values if value is not None]
        self.largest = max(shown, default=Decimal(0))

    def width(self, value: int | Decimal) -> Decimal | None:
        number = _checked(value)
        if number == 0 or self.largest == 0:
            return None
        with localcontext(_CONTEXT):
            width = (number * BAR_MAX / self.largest).quantize(_HUNDREDTH)
        return max(width, Decimal(1))


def _checked(value: int | Decimal) -> Decimal:
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"A bar's value must be a finite number ≥ 0, not {value!r}.")
    return number


def _bar(bar: Bar, scale: _Scale, y: int, height: int, font_size: int, *, fill: str, outline: bool) -> str:
    """The bar (if any) and its text at the bar's end; a hidden value's text muted, in the bar's place."""
    text_y = y + height // 2 + font_size * 2 // 5
    if bar.value is None:
        return (
            f'<text class="value hidden" x="{BAR_X + TEXT_GAP}" y="{text_y}" font-size="{font_size}" '
            f'font-style="italic" fill="{MUTED}">{escape(bar.text)}</text>'
        )
    width = scale.width(bar.value)
    parts = []
    end = Decimal(BAR_X)
    if width is not None:
        stroke = f' stroke="{TEXT}" stroke-width="1"' if outline else ""
        parts.append(
            f'<rect class="bar" x="{BAR_X}" y="{y}" width="{_number(width)}" height="{height}" '
            f'fill="{fill}"{stroke}/>'
        )
        end += width
    parts.append(
        f'<text class="value" x="{_number(end + TEXT_GAP)}" y="{text_y}" font-size="{font_size}" '
        f'fill="{TEXT}">{escape(bar.text)}</text>'
    )
    return "".join(parts)


def _label(label: str, middle: int) -> str:
    return (
        f'<text class="label" x="{LABEL_RIGHT}" y="{middle + FONT_SIZE * 2 // 5}" text-anchor="end" '
        f'font-size="{FONT_SIZE}" fill="{TEXT}">{escape(_shorten(label))}</text>'
    )


def _legend(series: Sequence[Series], fills: Sequence[str]) -> tuple[str, int]:
    """The legend from the top left, wrapping to a new line when full; returns it and where the bars start."""
    parts = ['<g class="legend">']
    x, y = 0, PAD
    for one, fill in zip(series, fills, strict=True):
        name = _shorten(one.name)
        width = SWATCH + 6 + len(name) * 7 + 16  # an estimate of the name's width at SMALL_FONT_SIZE
        if x > 0 and x + width > WIDTH:
            x, y = 0, y + LEGEND_ROW
        parts.append(
            f'<g class="legend-item"><title>{escape(one.name)}</title>'
            f'<rect class="swatch" x="{x}" y="{y}" width="{SWATCH}" height="{SWATCH}" fill="{fill}" '
            f'stroke="{TEXT}" stroke-width="1"/>'
            f'<text x="{x + SWATCH + 6}" y="{y + SWATCH - 3}" font-size="{SMALL_FONT_SIZE}" '
            f'fill="{TEXT}">{escape(name)}</text></g>'
        )
        x += width
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW + GROUP_GAP


def _axis(top: int, bottom: int) -> str:
    return f'<line class="axis" x1="{BAR_X}" y1="{top}" x2="{BAR_X}" y2="{bottom}" stroke="{MUTED}" stroke-width="1"/>'


def _svg(cid: str, title: str, height: int, *, defs: str, body: str) -> SafeString:
    defs_element = f"<defs>{defs}</defs>" if defs else ""
    return mark_safe(  # noqa: S308 - every text and attribute value above is escaped or built here
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{cid}" class="chart" role="img" '
        f'aria-labelledby="{cid}-title" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}">'
        f'<title id="{cid}-title">{escape(title)}</title>{defs_element}{body}</svg>'
    )


def _fill(cid: str, index: int) -> str:
    return SERIES_STYLES[index].colour if SERIES_STYLES[index].pattern is None else f"url(#{cid}-s{index})"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _clean_id(chart_id: str) -> str:
    cid = _ID_INVALID.sub("-", chart_id.lower()).strip("-")
    if not cid:
        raise ValueError(f"Chart id {chart_id!r} has none of the characters a-z, 0-9 and -.")
    return cid


def _number(value: Decimal) -> str:
    """A coordinate without exponent or trailing zeros: 92, 92.5, 3.25."""
    text = format(value.quantize(_HUNDREDTH), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
