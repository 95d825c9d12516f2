"""Bar charts as inline SVG (lev/monitoring/charts.py): parsed back as XML and checked. No database."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from lev.monitoring.charts import Bar, Series, bar_chart, grouped_bar_chart

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{NS}rect") if rect.get("class") == "bar"]


def texts(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [text for text in root.iter(f"{NS}text") if text.get("class") == css_class]


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == "row"]


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


MIXED = [
    Bar("Pesten", 30, "30"),
    Bar("Fysiek geweld", 12, "12"),
    Bar("Discriminatie", None, "< 5"),
    Bar("Seksueel grensoverschrijdend gedrag", None, "< 10"),
    Bar("Bedreiging", 0, "0"),
    Bar("Overig", None, "x"),
]


def test_bar_chart_is_an_svg_image_labelled_by_its_title() -> None:
    svg = bar_chart(chart_id="incidents", title="Incidents per category", bars=MIXED)
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title = root[0]
    assert title.tag == f"{NS}title"
    assert title.text == "Incidents per category"
    assert title.get("id") == "incidents-title"
    assert root.get("aria-labelledby") == "incidents-title"


def test_one_bar_per_shown_non_zero_value_and_the_hidden_texts_in_place() -> None:
    root = parse(bar_chart(chart_id="c", title="t", bars=MIXED))
    assert len(bars_of(root)) == 2  # 30 and 12; 0 and the three hidden values draw none
    chart_rows = rows(root)
    assert len(chart_rows) == 6
    for row, bar in zip(chart_rows, MIXED, strict=True):
        drawn = [rect for rect in row.iter(f"{NS}rect") if rect.get("class") == "bar"]
        assert len(drawn) == (1 if bar.value else 0)
        values = [text for text in row.iter(f"{NS}text") if "value" in (text.get("class") or "")]
        assert [text.text for text in values] == [bar.text]
        hidden = values[0].get("class") == "value hidden"
        assert hidden == (bar.value is None)
    hidden_texts = texts(root, "value hidden")
    assert [text.text for text in hidden_texts] == ["< 5", "< 10", "x"]
    # Muted and in italics, unlike the shown values (a shown zero included).
    assert {text.get("fill") for text in hidden_texts} == {"#595959"}
    assert {text.get("font-style") for text in hidden_texts} == {"italic"}
    shown = texts(root, "value")
    assert [text.text for text in shown] == ["30", "12", "0"]
    assert {text.get("fill") for text in shown} == {"#1a1a1a"}
    assert {text.get("font-style") for text in shown} == {None}


def test_bar_widths_are_proportional_to_the_values() -> None:
    root = parse(bar_chart(chart_id="c", title="t", bars=MIXED))
    wide, narrow = (Decimal(rect.get("width") or "") for rect in bars_of(root))
    assert narrow / wide == Decimal("0.4")  # 12 / 30
    # Decimal rates: 0.8 / 3.2 = 1/4.
    rates = [Bar("a", Decimal("3.2"), "3,2"), Bar("b", Decimal("0.8"), "0,8"), Bar("c", None, "x")]
    wide, narrow = (
        Decimal(rect.get("width") or "")
        for rect in bars_of(parse(bar_chart(chart_id="r", title="t", bars=rates)))
    )
    assert narrow / wide == Decimal("0.25")
    assert wide > 0


def test_a_value_s_text_is_written_at_the_end_of_its_bar() -> None:
    root = parse(bar_chart(chart_id="c", title="t", bars=MIXED[:2]))
    for rect, text in zip(bars_of(root), texts(root, "value"), strict=True):
        end = Decimal(rect.get("x") or "") + Decimal(rect.get("width") or "")
        assert Decimal(text.get("x") or "") > end
        assert Decimal(text.get("x") or "") - end < 10


def test_labels_and_texts_are_escaped() -> None:
    label = "<script>'x'</script> & co"  # under 28 characters: not cut
    svg = bar_chart(
        chart_id="c", title='Title "<b>"', bars=[Bar(label, 3, "3"), Bar("b", None, "< 5")], unit="<i>%</i>"
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "<i>" not in svg
    root = parse(svg)  # parses: nothing unescaped
    assert root[0].text == 'Title "<b>"'
    assert texts(root, "label")[0].text == label
    assert rows(root)[0].find(f"{NS}title") is not None
    assert rows(root)[0].findtext(f"{NS}title") == label
    assert texts(root, "value hidden")[0].text == "< 5"
    assert texts(root, "unit")[0].text == "<i>%</i>"


def test_all_hidden_or_all_zero_gives_no_bars_only_texts() -> None:
    hidden = [Bar("a", None, "< 5"), Bar("b", None, "x"), Bar("c", None, "< 10")]
    root = parse(bar_chart(chart_id="c", title="t", bars=hidden))
    assert bars_of(root) == []
    assert [text.text for text in texts(root, "value hidden")] == ["< 5", "x", "< 10"]
    zeros = [Bar("a", 0, "0"), Bar("b", None, "x")]
    root = parse(bar_chart(chart_id="c", title="t", bars=zeros))
    assert bars_of(root) == []
    assert [text.text for text in texts(root, "value")] == ["0"]


def test_long_labels_are_cut_with_the_full_label_as_the_row_title() -> None:
    long = "Seksueel grensoverschrijdend gedrag door een medeleerling"
    root = parse(bar_chart(chart_id="c", title="t", bars=[Bar(long, 4, "4"), Bar("Pesten", 8, "8")]))
    shown = [text.text for text in texts(root, "label")]
    assert shown[0] == "Seksueel grensoverschrijden…"
    assert len(shown[0] or "") == 28
    assert shown[1] == "Pesten"
    assert [row.findtext(f"{NS}title") for row in rows(root)] == [long, "Pesten"]


def test_height_grows_with_the_number_of_bars_and_the_width_is_fixed() -> None:
    three = parse(bar_chart(chart_id="c", title="t", bars=MIXED[:3]))
    six = parse(bar_chart(chart_id="c", title="t", bars=MIXED))
    assert three.get("width") == six.get("width") == "640"
    assert int(six.get("height") or "") > int(three.get("height") or "")
    for root in (three, six):
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_ids_are_reduced_to_lowercase_letters_digits_and_hyphens() -> None:
    root = parse(bar_chart(chart_id='Incidents per Category!"><x', title="t", bars=MIXED))
    assert root.get("id") == "incidents-per-category-x"
    assert root.get("aria-labelledby") == "incidents-per-category-x-title"
    with pytest.raises(ValueError):
        bar_chart(chart_id="!!!", title="t", bars=MIXED)


def test_the_output_is_deterministic() -> None:
    first = bar_chart(chart_id="c", title="t", bars=MIXED, unit="count")
    assert bar_chart(chart_id="c", title="t", bars=list(MIXED), unit="count") == first


def test_unit_is_written_once_and_not_added_to_the_values() -> None:
    root = parse(bar_chart(chart_id="c", title="t", bars=MIXED, unit="per 100 pupils"))
    assert [text.text for text in texts(root, "unit")] == ["per 100 pupils"]
    assert all("pupils" not in (text.text or "") for text in texts(root, "value"))
    assert texts(parse(bar_chart(chart_id="c", title="t", bars=MIXED)), "unit") == []


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart(chart_id="c", title="t", bars=[])
    with pytest.raises(ValueError):
        bar_chart(chart_id="c", title="t", bars=[Bar("a", -1, "-1")])
    with pytest.raises(ValueError):
        bar_chart(chart_id="c", title="t", bars=[Bar("a", Decimal("NaN"), "?")])


def test_every_text_has_enough_contrast_on_white() -> None:
    groups = ("Pesten", "Geweld")
    series = [Series("2023-2024", (Bar("Pesten", 3, "3"), Bar("Geweld", None, "x")))]
    for svg in (
        bar_chart(chart_id="c", title="t", bars=MIXED, unit="count"),
        grouped_bar_chart(chart_id="g", title="t", groups=groups, series=series),
    ):
        for text in parse(svg).iter(f"{NS}text"):
            fill = text.get("fill") or ""
            assert re.fullmatch(r"#[0-9a-f]{6}", fill)
            assert (1.05) / (relative_luminance(fill) + 0.05) >= 4.5


GROUPS = ("Pesten", "Fysiek geweld", "Discriminatie")


def year(name: str, *values: tuple[int | None, str]) -> Series:
    return Series(
        name, tuple(Bar(group, value, text) for group, (value, text) in zip(GROUPS, values, strict=True))
    )


YEARS = [
    year("2022-2023", (12, "12"), (None, "< 5"), (6, "6")),
    year("2023-2024", (20, "20"), (0, "0"), (None, "x")),
    year("2024-2025", (15, "15"), (10, "10"), (5, "5")),
]


def fill_signature(root: ET.Element, fill: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A fill's colours and its shapes without their colours ("solid" for a plain colour)."""
    match = re.fullmatch(r"url\(#([a-z0-9-]+)\)", fill)
    if match is None:
        return fill, (("solid",),)
    patterns = [p for p in root.iter(f"{NS}pattern") if p.get("id") == match.group(1)]
    assert len(patterns) == 1
    colours = ",".join(sorted({child.get(key) or "" for child in patterns[0] for key in ("fill", "stroke")}))
    shapes = tuple(
        (child.tag, *sorted(f"{k}={v}" for k, v in child.attrib.items() if k not in ("fill", "stroke")))
        for child in patterns[0]
    )
    return colours, shapes


def test_grouped_chart_has_one_bar_per_shown_non_zero_value_in_series_order() -> None:
    svg = grouped_bar_chart(chart_id="years", title="Incidents per school year", groups=GROUPS, series=YEARS)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "years-title" == root[0].get("id")
    assert root[0].text == "Incidents per school year"
    assert len(bars_of(root)) == 6  # 9 cells, minus two hidden and one zero
    group_elements = [g for g in root.iter(f"{NS}g") if g.get("class") == "group"]
    assert [g.findtext(f"{NS}title") for g in group_elements] == list(GROUPS)
    assert [text.text for text in texts(root, "label")] == list(GROUPS)
    # Within each group the series in legend order, each with its text.
    for group_index, group in enumerate(group_elements):
        series_rows = [g for g in group if g.get("class") == "row"]
        assert [row.findtext(f"{NS}title") for row in series_rows] == [
            f"{one.name}: {one.bars[group_index].text}" for one in YEARS
        ]
    assert [text.text for text in texts(root, "value hidden")] == ["< 5", "x"]
    # One scale for all series, bars in document order 12, 20, 15, 10, 6, 5: 12/20, 10/20 and 5/20.
    widths = [Decimal(rect.get("width") or "") for rect in bars_of(root)]
    assert widths[0] / widths[1] == Decimal("0.6")
    assert widths[3] / widths[1] == Decimal("0.5")
    assert widths[5] / widths[1] == Decimal("0.25")


def test_grouped_chart_legend_names_each_series_with_distinct_fill_and_pattern() -> None:
    root = parse(grouped_bar_chart(chart_id="years", title="t", groups=GROUPS, series=YEARS))
    legend = [g for g in root.iter(f"{NS}g") if g.get("class") == "legend"]
    assert len(legend) == 1
    items = [g for g in legend[0] if g.get("class") == "legend-item"]
    assert [item.findtext(f"{NS}text") for item in items] == [one.name for one in YEARS]
    swatch_fills = [item.find(f"{NS}rect").get("fill") or "" for item in items]  # type: ignore[union-attr]
    # Every bar of series i is filled like swatch i.
    group_elements = [g for g in root.iter(f"{NS}g") if g.get("class") == "group"]
    for group in group_elements:
        series_rows = [g for g in group if g.get("class") == "row"]
        for row, swatch_fill in zip(series_rows, swatch_fills, strict=True):
            for rect in row.iter(f"{NS}rect"):
                assert rect.get("fill") == swatch_fill
    signatures = [fill_signature(root, fill) for fill in swatch_fills]
    assert len({colours for colours, _ in signatures}) == 3  # distinct colours
    assert len({shapes for _, shapes in signatures}) == 3  # and distinct patterns without any colour
    # The pattern ids belong to this chart, so two charts on one page do not share them.
    other = parse(grouped_bar_chart(chart_id="other", title="t", groups=GROUPS, series=YEARS))
    ids = {p.get("id") for p in root.iter(f"{NS}pattern")}
    other_ids = {p.get("id") for p in other.iter(f"{NS}pattern")}
    assert ids and other_ids and not ids & other_ids


def test_grouped_chart_all_hidden_gives_no_bars() -> None:
    hidden = [year(name, (None, "< 5"), (None, "x"), (None, "< 10")) for name in ("a", "b")]
    root = parse(grouped_bar_chart(chart_id="g", title="t", groups=GROUPS, series=hidden))
    assert bars_of(root) == []
    assert [text.text for text in texts(root, "value hidden")] == [
        "< 5",
        "< 5",
        "x",
        "x",
        "< 10",
        "< 10",
    ]  # group by group


def test_grouped_chart_escapes_group_and_series_names() -> None:
    groups = ("<script>x</script>",)
    series = [Series("<b>2024</b>", (Bar("<script>x</script>", 2, "2"),))]
    svg = grouped_bar_chart(chart_id="g", title="t", groups=groups, series=series)
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert texts(root, "label")[0].text == "<script>x</script>"
    legend = [g for g in root.iter(f"{NS}g") if g.get("class") == "legend-item"]
    assert legend[0].findtext(f"{NS}text") == "<b>2024</b>"


def test_grouped_chart_refuses_misaligned_or_too_many_series() -> None:
    swapped = Series("2024-2025", tuple(reversed(YEARS[0].bars)))
    with pytest.raises(ValueError):
        grouped_bar_chart(chart_id="g", title="t", groups=GROUPS, series=[YEARS[0], swapped])
    short = Series("2024-2025", YEARS[0].bars[:2])
    with pytest.raises(ValueError):
        grouped_bar_chart(chart_id="g", title="t", groups=GROUPS, series=[short])
    with pytest.raises(ValueError):
        grouped_bar_chart(chart_id="g", title="t", groups=GROUPS, series=[*YEARS, *YEARS])
    with pytest.raises(ValueError):
        grouped_bar_chart(chart_id="g", title="t", groups=GROUPS, series=[])
