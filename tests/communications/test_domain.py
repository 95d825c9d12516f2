"""The letter domain without a database: merge fields, the wording check, required elements and
the diff against LEV's text (ARCHITECTURE.md §8, LEGAL.md §8, plan §17.3)."""

from __future__ import annotations

import pytest

from communications.domain.diff import against_shipped, word_diff
from communications.domain.kinds import missing_requirements, template_problems
from communications.domain.merge import check_block, plain_text, render_block, tokens_in
from communications.domain.texts import KINDS, letter_kind
from communications.domain.wording import check_wording

# --- Merge fields -----------------------------------------------------------------------------


def test_tokens_in_order_of_first_use():
    assert tokens_in("{{ b }} en {{a}} en {{ b }}") == ["b", "a"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Beste {{ leerling_naam }}", 0),
        ("Beste {{ onbekend }}", 1),
        ("{% load static %}{{ leerling_naam }}", 1),
        ("{{ leerling_naam }} {# commentaar #}", 1),
        ("{{ leerling_naam|upper }}", 1),
        ("{{ leerling_naam.__class__ }}", 1),
        ("Een enkele { accolade } mag", 0),
    ],
)
def test_check_block_allows_only_known_tokens(text, problems):
    assert len(check_block(text, {"leerling_naam"})) == problems


def test_render_block_escapes_text_and_values():
    html = render_block(
        "<b>vet</b> {{ naam }}",
        {"naam": '<img src="file:///etc/passwd">'},
    )
    assert html == "<p>&lt;b&gt;vet&lt;/b&gt; &lt;img src=&quot;file:///etc/passwd&quot;&gt;</p>"


def test_render_block_paragraphs_lists_bold_and_line_breaks():
    text = "**Kop**\nregel twee\n\n- een\n- {{ x }}\n\nslot"
    assert render_block(text, {"x": "twee\ndrie"}) == (
        "<p><strong>Kop</strong><br>regel twee</p><ul><li>een</li><li>twee<br>drie</li></ul><p>slot</p>"
    )


def test_missing_value_shows_its_label_marked():
    assert render_block("Op {{ datum }}.", {}, {"datum": "Datum"}) == (
        '<p>Op <span class="lev-missing">[Datum]</span>.</p>'
    )


def test_plain_text_fills_values_and_drops_bold_marks():
    assert plain_text("**Let op** {{ a }}", {"a": "x"}) == "Let op x"


# --- Wording check (stems, not whole words) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("De dader is bekend.", ["dader"]),
        ("Twee daders en een slachtoffer.", ["daders", "slachtoffer"]),
        ("slachtofferhulp", ["slachtofferhulp"]),
        ("Seksueel en seksuele spelletjes", ["Seksueel", "seksuele"]),
        (
            "Wij schorsen; de schorsing; hij schorst; zij schorste",
            ["schorsen", "schorsing", "schorst", "schorste"],
        ),
        ("Sam is geschorst.", ["geschorst"]),
        ("schorsingsbesluit", ["schorsingsbesluit"]),
        ("De boomschors en het initiatief", []),
        ("grensoverschrijdend gedrag", []),
    ],
)
def test_wording_check_finds_stems(text, words):
    assert [hit.word for hit in check_wording(text)] == words


def test_wording_hit_carries_advice():
    [hit] = check_wording("het slachtoffer")
    assert hit.advice == "de leerling die iets is overkomen"


# --- Kinds and required elements ---------------------------------------------------------------


def test_every_shipped_kind_is_complete_for_both_denominaties():
    for kind in KINDS.values():
        assert template_problems(kind, kind.editable_defaults()) == {}, kind.code
        for denominatie in ("bijzonder", "openbaar"):
            assert missing_requirements(kind, denominatie, kind.snapshot(), kind.samples()) == [], kind.code


def test_shipped_texts_avoid_the_plans_forbidden_words_in_incident_letters():
    for code in ("incident_eigen_groep", "incident_overige_groepen", "incident_jonge_kinderen"):
        kind = letter_kind(code)
        text = " ".join(
            plain_text(block.text, kind.samples())
            for block in kind.blocks_for("bijzonder", enabled=[b.code for b in kind.optional_blocks])
        )
        assert check_wording(text) == [], code


def test_verwijdering_texts_contain_no_abolished_rules():
    for code in ("verwijdering_uitnodiging", "verwijdering_besluit"):
        kind = letter_kind(code)
        for denominatie in ("bijzonder", "openbaar"):
            text = " ".join(plain_text(b.text, kind.samples()) for b in kind.blocks_for(denominatie)).lower()
            assert "8 weken" not in text and "acht weken" not in text
            assert "tijdelijke verwijdering" not in text and "tijdelijk verwijder" not in text


def test_invitation_to_be_heard_has_no_bezwaar_clause():
    kind = letter_kind("verwijdering_uitnodiging")
    for denominatie in ("bijzonder", "openbaar"):
        text = " ".join(plain_text(b.text, kind.samples()) for b in kind.blocks_for(denominatie)).lower()
        assert "bezwaar" not in text


@pytest.mark.parametrize(
    ("code", "denominatie", "route_block"),
    [
        ("schorsing_besluit", "bijzonder", "beroep_bijzonder"),
        ("schorsing_besluit", "openbaar", "bezwaar_openbaar"),
        ("verwijdering_besluit", "bijzonder", "bezwaar_bijzonder"),
        ("verwijdering_besluit", "openbaar", "bezwaar_openbaar"),
        ("besluit_bezwaar", "bijzonder", "vervolg_bijzonder"),
        ("besluit_bezwaar", "openbaar", "vervolg_openbaar"),
        ("avg_antwoord", "bijzonder", "rechtsmiddel_bijzonder"),
        ("avg_antwoord", "openbaar", "rechtsmiddel_openbaar"),
    ],
)
def test_route_block_follows_the_denominatie(code, denominatie, route_block):
    kind = letter_kind(code)
    codes = [b.code for b in kind.blocks_for(denominatie)]
    other = "openbaar" if denominatie == "bijzonder" else "bijzonder"
    assert route_block in codes
    assert route_block not in [b.code for b in kind.blocks_for(other)]


def test_empty_value_or_removed_token_is_a_missing_requirement():
    kind = letter_kind("schorsing_besluit")
    values = kind.samples() | {"redenen": "  "}
    assert [r.code for r in missing_requirements(kind, "bijzonder", kind.snapshot(), values)] == ["redenen"]
    texts = kind.snapshot() | {"redenen": "**Waarom wij dit besluiten**\nZie het gesprek."}
    assert [r.code for r in missing_requirements(kind, "bijzonder", texts, kind.samples())] == ["redenen"]


def test_template_problems_name_the_block_and_the_lost_requirement():
    kind = letter_kind("schorsing_besluit")
    texts = kind.editable_defaults() | {"redenen": "Zie {{ onbekend }}.", "onderwijs": "Huiswerk."}
    problems = template_problems(kind, texts)
    assert set(problems) == {"redenen", ""}
    lost = [p.message for p in problems[""]]
    assert any("de redenen van het besluit" in message for message in lost)
    assert any("de maatregelen voor onderwijs en toetsen" in message for message in lost)


def test_optional_block_only_when_enabled():
    kind = letter_kind("incident_eigen_groep")
    assert "thuis_gehouden" not in [b.code for b in kind.blocks_for("bijzonder")]
    assert "thuis_gehouden" in [b.code for b in kind.blocks_for("bijzonder", enabled=["thuis_gehouden"])]


def test_snapshot_keeps_fixed_text_and_takes_editable_text():
    kind = letter_kind("schorsing_besluit")
    snapshot = kind.snapshot({"redenen": "Eigen tekst {{ redenen }}", "besluit": "gewijzigd"})
    assert snapshot["redenen"] == "Eigen tekst {{ redenen }}"
    assert snapshot["besluit"] == next(b.text for b in kind.blocks if b.code == "besluit")


# --- Diff ---------------------------------------------------------------------------------------


def test_word_diff_marks_added_and_removed_words():
    pieces = word_diff("Wij bellen u morgen.", "Wij mailen u morgen.")
    assert [(p.text, p.change) for p in pieces if p.change != "same"] == [
        ("bellen ", "removed"),
        ("mailen ", "added"),
    ]


def test_against_shipped_flags_changed_blocks_only():
    kind = letter_kind("timeout_melding")
    texts = kind.snapshot({"gesprek": "**Een gesprek**\nBel ons. {{ gesprek_aanbod }}"})
    changed = [d.code for d in against_shipped(kind, texts) if d.changed]
    assert changed == ["gesprek"]
