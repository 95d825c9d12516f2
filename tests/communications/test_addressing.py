"""One letter per postal address of the parents with gezag (ARCHITECTURE.md §8)."""

from __future__ import annotations

from communications.domain.addressing import Parent, addressees, format_postcode


def parent(gid, name, street="Zuidkade 3", postcode="2771DS", city="Boskoop", **kw):
    return Parent(
        guardian_id=gid,
        name=name,
        street=street,
        postcode=postcode,
        city=city,
        has_gezag=kw.pop("gezag", True),
        **kw,
    )


def test_two_parents_at_one_address_get_one_letter():
    [a] = addressees(
        [parent(1, "J. de Vries"), parent(2, "A. de Vries-Jansen", street="zuidkade  3", postcode="2771 ds")]
    )
    assert a.guardian_ids == (1, 2)
    assert a.lines == ("J. de Vries en A. de Vries-Jansen", "Zuidkade 3", "2771 DS  BOSKOOP")


def test_parent_with_gezag_elsewhere_gets_their_own():
    result = addressees(
        [
            parent(1, "J. de Vries"),
            parent(2, "M. Bakker", street="Dorpsstraat 8", postcode="2741 AB", city="Waddinxveen"),
        ]
    )
    assert [a.guardian_ids for a in result] == [(1,), (2,)]


def test_without_gezag_only_by_explicit_choice_and_alone():
    parents = [parent(1, "J. de Vries"), parent(2, "P. de Vries", gezag=False)]
    assert [a.guardian_ids for a in addressees(parents)] == [(1,)]
    result = addressees(parents, include_without_gezag={2})
    assert [(a.guardian_ids, a.without_gezag) for a in result] == [((1,), False), ((2,), True)]


def test_shielded_address_is_never_combined():
    parents = [parent(1, "J. de Vries"), parent(2, "A. Jansen", shielded=True)]
    result = addressees(parents)
    assert [(a.guardian_ids, a.shielded) for a in result] == [((1,), False), ((2,), True)]


def test_missing_address_is_reported_not_dropped():
    [a] = addressees([parent(1, "J. de Vries", street="")])
    assert a.has_address is False


def test_group_letter_one_per_address_even_with_two_children():
    # The same parents appear once per child: one letter per address.
    parents = [
        parent(1, "J. de Vries"),
        parent(2, "A. de Vries"),
        parent(1, "J. de Vries"),
        parent(2, "A. de Vries"),
    ]
    assert [a.guardian_ids for a in addressees(parents)] == [(1, 2)]


def test_mail_preference_only_for_information_letters():
    parents = [parent(1, "J. de Vries", receives_mail=False)]
    assert len(addressees(parents)) == 1
    assert addressees(parents, respect_mail_preference=True) == []


def test_postcode_format():
    assert format_postcode("2771ab") == "2771 AB"
    assert format_postcode("B-2000") == "B-2000"
