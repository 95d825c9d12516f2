"""The harness's pieces that are not timings: the baseline view, the import file, query counts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from bench.importfile import HEADER, import_csv, import_rows
from bench.pages import pages, personas, queries_for, signed_in_client
from lev.schools.importing.domain import parse
from lev.schools.importing.forms import MAX_UPLOAD_BYTES
from lev.schools.models import Board

TODAY = dt.date(2026, 11, 24)


def test_generated_import_file_parses_without_errors():
    rows = import_rows(60, today=TODAY)
    parsed = parse(import_csv(rows), today=TODAY)
    assert parsed.file_errors == [] and parsed.errors == []
    assert len(parsed.rows) == 60
    assert parsed.delimiter == ";"
    # Pupil 0 is in grade 1 with one parent; pupil 7 in grade 8 with two, the second without gezag.
    first, eighth = parsed.rows[0], parsed.rows[7]
    assert (first.admin_number, first.group, len(first.parents)) == ("2000000", "1aa", 1)
    assert (eighth.group, [p.has_gezag for p in eighth.parents]) == ("8aa", [True, False])
    # Born in grade 8's window: 1 Aug 2026 - 8 - 4 = 1 Aug 2014 .. 31 Jul 2015.
    assert dt.date(2014, 8, 1) <= eighth.date_of_birth <= dt.date(2015, 7, 31)


def test_import_file_header_and_group_sizes():
    assert HEADER[:7] == [
        "leerlingnummer",
        "roepnaam",
        "voornamen",
        "tussenvoegsel",
        "achternaam",
        "geboortedatum",
        "groep",
    ]
    rows = import_rows(30000, today=TODAY)
    per_group: dict[str, int] = {}
    for row in rows:
        per_group[row.group] = per_group.get(row.group, 0) + 1
    # 3,750 pupils per grade in groups of at most 28: ceil(3750 / 28) = 134 groups per grade.
    assert len(per_group) == 8 * 134
    assert max(per_group.values()) <= 28
    assert len({row.admin_number for row in rows}) == 30000
    # The file a school would upload: within the upload limit of the import page.
    assert len(import_csv(rows)) < MAX_UPLOAD_BYTES


@pytest.fixture
def tiny_board(db) -> Board:
    call_command("seed_scale", "--preset", "tiny", stdout=StringIO())
    return Board.objects.get(slug="scale-tiny")


@pytest.mark.urls("bench.urls")
def test_every_benchmarked_page_and_the_baseline_answer(tiny_board):
    people = personas(tiny_board)
    baseline_url = reverse("bench_baseline", args=[people.school.pk])
    for page in pages(people):
        client = signed_in_client(page.user)
        assert client.get(baseline_url, secure=True).status_code == 200
        response = client.get(page.url, secure=True)
        assert response.status_code == 200, page.key


@pytest.mark.urls("bench.urls")
def test_pupil_list_queries_do_not_grow_with_the_rows(tiny_board):
    people = personas(tiny_board)
    client = signed_in_client(people.director)
    url = reverse("schools:pupil_list")
    five = queries_for(client, url, 5)
    twenty = queries_for(client, url, 20)
    assert (five[1], twenty[1]) == (5, 20)  # rows shown
    assert five[0] == twenty[0]


@pytest.mark.urls("bench.urls")
def test_register_and_chronology_queries_do_not_grow_with_the_rows(tiny_board):
    from bench.pages import chronology_queries_for, register_queries_for

    people = personas(tiny_board)
    client = signed_in_client(people.director)
    # Tiny: 12 incidents per school, so 5 and 10 rows fit on one page each.
    register = reverse("incidents:register")
    five, ten = register_queries_for(client, register, 5), register_queries_for(client, register, 10)
    assert (five[1], ten[1]) == (5, 10)
    assert five[0] == ten[0]
    # The longest file of the school has 150 extra signals: 10 and 100 entries per page.
    page = reverse("schools:pupil_detail", args=[people.full_file_pupil_id])
    small, large = chronology_queries_for(client, page, 10), chronology_queries_for(client, page, 100)
    assert (small[1], large[1]) == (10, 100)
    assert small[0] == large[0]
