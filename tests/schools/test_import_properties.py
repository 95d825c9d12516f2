"""Properties of the import's pure parsing: every date and every Dutch text survives the round trip."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lev.schools.importing.domain import decode, parse_date

# Lower-case Dutch letters with diacritics lie in cp1252's 0xE0-0xFF range, which can never form a
# valid UTF-8 sequence with ASCII after it: such a file must be recognised as Windows-1252.
DUTCH = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ;,-'"
ACCENTED = "éëèêïíöóüúàáçñ"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back_in_each_accepted_format(day):
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        assert parse_date(day.strftime(fmt)) == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == day  # without leading zeros


@given(st.text(alphabet=DUTCH + ACCENTED, min_size=1, max_size=200))
def test_utf8_text_is_read_as_utf8(text):
    assert decode(text.encode("utf-8")) == (text, "UTF-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "UTF-8")


@given(
    st.text(alphabet=DUTCH, max_size=100),
    st.sampled_from(ACCENTED),
    st.text(alphabet=DUTCH + ACCENTED, max_size=100),
)
def test_windows_1252_text_with_accents_is_read_as_windows_1252(before, accent, after):
    text = before + accent + after
    assert decode(text.encode("cp1252")) == (text, "Windows-1252")
