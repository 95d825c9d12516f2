"""The chronology on the pupil page: what each viewer sees, the filters, corrections, the parents'
view beside the facts, links to source records, the summary to copy, the actions and the queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from incidents.models import Signal, SignalSource
from lev.dossier import links
from lev.dossier.kinds import kind_label
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.dossier.services import entry_correct, entry_record, parent_view_record
from lev.schools import views as school_views
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
ITEM = re.compile(r'<li id="vermelding-(\d+)"')


def add(world, **kw):
    defaults = {
        "pupil": world.pupil_a,
        "kind": "signal",
        "title": "Signaal",
        "summary": "Zat alleen op het plein",
        "happened_at": NOW - dt.timedelta(hours=2),
        "author": world.teacher_a,
        "now": NOW,
    }
    defaults.update(kw)
    return entry_record(**defaults)


def page(user, pupil, query=""):
    response = signed_in_client(user).get(f"/leerlingen/{pupil.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def shown(html):
    return [int(pk) for pk in ITEM.findall(html)]


def nl_kind(kind):
    with translation.override("nl"):
        return kind_label(kind)


def resolves(name, *args):
    try:
        reverse(name, args=list(args))
    except NoReverseMatch:
        return False
    return True


# --- What an entry shows --------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_entry_shows_kind_date_author_and_how_it_was_known(world):
    add(world, title="Duwen bij het klimrek", observation=Observation.OBSERVED, others_present="J.K.")
    add(world, title="Verhaal van moeder", observation=Observation.TOLD, told_by="moeder van Bram")
    add(
        world,
        title="Anoniem verhaal",
        observation=Observation.TOLD,
        told_by="niet genoemd (geen toestemming)",
    )
    html = page(world.director_a, world.pupil_a)
    assert h(nl_kind("signal")) in html
    assert "24-11-2026 09:30" in html  # 08:30 UTC, shown in Amsterdam time
    assert h(world.teacher_a.display_name) in html
    assert t("Seen myself") in html
    assert h(t("Heard from: %(source)s", source="moeder van Bram")) in html
    assert t("Heard from a third party, source anonymous") in html
    assert "J.K." in html


@pytest.mark.django_db
def test_newest_first(world):
    old = add(world, title="Oud", happened_at=NOW - dt.timedelta(days=30))
    new = add(world, title="Nieuw", happened_at=NOW - dt.timedelta(hours=1))
    middle = add(world, title="Midden", happened_at=NOW - dt.timedelta(days=3))
    assert shown(page(world.teacher_a, world.pupil_a)) == [new.pk, middle.pk, old.pk]


@pytest.mark.django_db
def test_restricted_entries_never_show_for_director_ib_deputy_or_teacher(world):
    school = add(world, title="Ruzie bij de gymles")
    add(
        world,
        kind="meldcode",
        title="CANARY-meldcode-7731",
        visibility=Visibility.MELDCODE_CASE,
        meldcode_case_id=1,
    )
    confidential = add(
        world,
        kind="vertrouwelijk",
        title="CANARY-vertrouwelijk-5521",
        author=world.confidant_a,
        visibility=Visibility.CONFIDANT,
    )
    add(world, kind="wpo4a", title="CANARY-bestuur-9902", visibility=Visibility.BOARD_ONLY)
    # A correction of a confidential entry stays as confidential as the entry.
    entry_correct(
        entry=confidential,
        summary="CANARY-correctie",
        reason="CANARY-reden",
        actor=world.confidant_a,
        now=NOW,
    )
    for persona in ["teacher_a", "director_a", "ib_a", "deputy_a"]:
        html = page(getattr(world, persona), world.pupil_a)
        assert shown(html) == [school.pk], persona
        assert "CANARY" not in html
        # Their kinds are not even offered as a filter.
        for kind in ("meldcode", "vertrouwelijk", "wpo4a"):
            assert f'value="{kind}"' not in html


# --- Filters --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_kind_filter_offers_the_kinds_that_occur_and_filters_on_them(world):
    signal = add(world, title="Een signaal")
    incident = add(world, kind="incident", title="Incident 4: pesten")
    contact = add(world, kind="parent_contact", title="Contact met ouders: moeder (telefoon)")
    unknown = add(world, kind="observatie_x", title="Iets nieuws")
    html = page(world.ib_a, world.pupil_a)
    for kind in ("signal", "incident", "parent_contact", "observatie_x"):
        assert f'value="{kind}"' in html
    for kind in ("letter", "zienswijze", "timeout"):
        assert f'value="{kind}"' not in html
    assert h(nl_kind("parent_contact")) in html
    assert ">observatie_x<" in html  # an unknown kind as it is stored
    assert set(shown(html)) == {signal.pk, incident.pk, contact.pk, unknown.pk}
    html = page(world.ib_a, world.pupil_a, "?soort=incident&soort=parent_contact")
    assert set(shown(html)) == {incident.pk, contact.pk}
    assert re.search(r'value="incident" id="id_soort_\d+" checked', html)
    assert not re.search(r'value="signal" id="id_soort_\d+" checked', html)
    assert t("Filter applied") in html


@pytest.mark.django_db
def test_the_period_filter_includes_both_days(world):
    def at(day):
        return dt.datetime(2026, 10, day, 12, 0, tzinfo=dt.UTC)

    before = add(world, title="Voor", happened_at=at(9))
    first = add(world, title="Eerste dag", happened_at=at(10))
    last = add(world, title="Laatste dag", happened_at=at(31) - dt.timedelta(hours=1))
    after = add(world, title="Na", happened_at=dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    html = page(world.director_a, world.pupil_a, "?van=2026-10-10&tot=2026-10-31")
    assert shown(html) == [last.pk, first.pk]
    assert shown(page(world.director_a, world.pupil_a, "?van=2026-10-31")) == [after.pk, last.pk]
    assert shown(page(world.director_a, world.pupil_a, "?tot=2026-10-09")) == [before.pk]


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_is_refused_at_the_field_and_not_applied(world):
    entries = [add(world, title=f"Vermelding {i}", happened_at=NOW - dt.timedelta(days=i)) for i in range(3)]
    html = page(world.director_a, world.pupil_a, "?van=2026-11-20&tot=2026-11-01")
    assert (
        h(t("The end of the period lies before its start (%(day)s). Choose a later date.", day="20-11-2026"))
        in html
    )
    assert 'id="id_tot_error"' in html
    assert 'value="2026-11-01"' in html  # what was typed stays
    # The valid start date still applies; the refused end date does not.
    assert shown(html) == [e.pk for e in entries if e.happened_at.date() >= dt.date(2026, 11, 20)]


@pytest.mark.django_db
def test_a_filter_without_matches_says_so(world):
    add(world)
    html = page(world.director_a, world.pupil_a, "?van=2020-01-01&tot=2020-01-31")
    assert shown(html) == []
    assert t("No entries match this filter. Choose other kinds or a longer period.") in html


@pytest.mark.django_db
def test_pages_of_fifty_keep_the_filter(world):
    entries = [
        add(world, title=f"Vermelding {i}", happened_at=NOW - dt.timedelta(hours=i + 1)) for i in range(53)
    ]
    add(world, kind="incident", title="Ander soort")
    html = page(world.director_a, world.pupil_a, "?soort=signal")
    assert shown(html) == [e.pk for e in entries[:50]]
    assert 'href="?soort=signal&amp;pagina=2"' in html
    html = page(world.director_a, world.pupil_a, "?soort=signal&pagina=2")
    assert shown(html) == [e.pk for e in entries[50:]]


# --- Corrections and the parents' view -------------------------------------------------------------


@pytest.mark.django_db
def test_a_corrected_entry_stays_visible_marked_with_its_correction_beside_it(world):
    entry = add(world, title="Ruzie", summary="Zat alleen op het plein")
    correction = entry_correct(
        entry=entry,
        summary="Zat alleen bij het hek",
        reason="Plek verkeerd",
        actor=world.ib_a,
        now=NOW + dt.timedelta(days=1),
    )
    html = page(world.director_a, world.pupil_a)
    assert shown(html) == [correction.pk, entry.pk]  # nothing hidden
    original = html[html.index(f'id="vermelding-{entry.pk}"') :]
    assert t("corrected") in original
    assert "Zat alleen op het plein" in original  # the old text stays
    when = "25-11-2026 11:30"
    assert (
        h(
            t(
                "Corrected on %(when)s by %(name)s: %(reason)s",
                when=when,
                name=world.ib_a.display_name,
                reason="Plek verkeerd",
            )
        )
        in original
    )
    assert "Zat alleen bij het hek" in original
    newest = html[html.index(f'id="vermelding-{correction.pk}"') : html.index(f'id="vermelding-{entry.pk}"')]
    assert (
        h(
            t(
                "Correction of the entry of %(day)s. Reason: %(reason)s",
                day="24-11-2026",
                reason="Plek verkeerd",
            )
        )
        in newest
    )
    assert f'href="#vermelding-{entry.pk}"' in newest
    # Only the newest version offers a correction and a summary to copy.
    assert f"/chronologie/{correction.pk}/corrigeren/" in html
    assert f"/chronologie/{entry.pk}/corrigeren/" not in html
    assert f'id="kopie-{correction.pk}"' in html and f'id="kopie-{entry.pk}"' not in html


@pytest.mark.django_db
def test_the_parents_view_shows_beside_the_entry_it_answers(world):
    facts = add(world, title="Ruzie bij de gymles", happened_at=NOW - dt.timedelta(days=2))
    view = parent_view_record(
        pupil=world.pupil_a,
        summary="Vader: het was een grap.",
        happened_at=NOW,
        with_whom="vader",
        about=facts,
        actor=world.ib_a,
        now=NOW,
    )
    html = page(world.teacher_a, world.pupil_a)
    assert shown(html) == [view.pk, facts.pk]
    beside = html[html.index(f'id="vermelding-{facts.pk}"') :]
    # The apostrophe is the template's own text (not escaped); the values carry no special characters.
    assert t("Parents' view of %(day)s (given by: %(who)s)", day="24-11-2026", who="vader") in beside
    assert "Vader: het was een grap." in beside


# --- Links to source records ----------------------------------------------------------------------


@pytest.fixture
def fake_source(monkeypatch):
    """A source type whose records with an even id the viewer may open."""
    calls = []

    def resolve(ctx, pupil, ids):
        calls.append(ids)
        return {pk: f"/bron/{pk}/" for pk in ids if pk % 2 == 0}

    monkeypatch.setitem(links.REGISTRY, "tests.bron", links.SourceLink(label="Open de bron", resolve=resolve))
    return calls


def with_source(world, source_id, **kw):
    entry = add(world, **kw)
    DossierEntry.objects.filter(pk=entry.pk).update(source_type="tests.bron", source_id=str(source_id))
    return entry


@pytest.mark.django_db
def test_a_source_link_only_where_the_registry_lets_the_viewer_open_it(world, fake_source):
    even = with_source(world, 4, title="Even")
    odd = with_source(world, 5, title="Oneven")
    unregistered = add(world, title="Zonder bron")
    html = page(world.director_a, world.pupil_a)
    assert 'href="/bron/4/"' in html
    assert 'href="/bron/5/"' not in html
    assert fake_source == [[4, 5]]  # one call for the whole page
    assert {even.pk, odd.pk, unregistered.pk} == set(shown(html))


@pytest.mark.django_db
def test_a_source_whose_page_does_not_exist_gives_no_link(world, monkeypatch):
    def resolve(ctx, pupil, ids):
        return {pk: reverse("nowhere:detail", args=[pk]) for pk in ids}

    monkeypatch.setitem(links.REGISTRY, "tests.bron", links.SourceLink(label="Open de bron", resolve=resolve))
    entry = with_source(world, 4)
    html = page(world.director_a, world.pupil_a)
    assert shown(html) == [entry.pk]
    assert "Open de bron" not in html


def signal_by(world, author, pupil):
    signal = Signal.objects.create(
        board=world.board,
        school=world.school_a,
        author=author,
        happened_at=NOW - dt.timedelta(hours=2),
        location="plein",
        description="Zat alleen op het plein",
        source=SignalSource.OBSERVED,
        created_at=NOW,
    )
    signal.pupils.add(pupil)
    return entry_record(
        pupil=pupil,
        kind="signal",
        title="Signaal",
        summary=signal.description,
        happened_at=signal.happened_at,
        author=author,
        now=NOW,
        observation=Observation.OBSERVED,
        source=signal,
    ), signal


@pytest.mark.django_db
def test_a_signal_links_to_its_page_for_those_who_may_open_it(world):
    # Another teacher's signal about a pupil of teacher_a's group: teacher_a sees the entry (the
    # chronology shows signals by anyone) but may not open the signal; the IB may.
    colleague = world.deputy_a
    entry, signal = signal_by(world, colleague, world.pupil_a)
    own_entry, own_signal = signal_by(world, world.teacher_a, world.pupil_a)
    teacher_html = page(world.teacher_a, world.pupil_a)
    ib_html = page(world.ib_a, world.pupil_a)
    assert set(shown(teacher_html)) == set(shown(ib_html)) == {entry.pk, own_entry.pk}
    if resolves("incidents:signal_detail", signal.pk):
        url = reverse("incidents:signal_detail", args=[signal.pk])
        own_url = reverse("incidents:signal_detail", args=[own_signal.pk])
        assert f'href="{url}"' in ib_html and f'href="{own_url}"' in ib_html
        assert f'href="{url}"' not in teacher_html
        assert f'href="{own_url}"' in teacher_html
    else:
        assert "/signalen/" not in teacher_html + ib_html


# --- The summary to copy and the actions ----------------------------------------------------------


@pytest.mark.django_db
def test_each_entry_has_a_summary_to_copy_in_a_read_only_field(world):
    entry = add(world, title="Duwen bij het klimrek", observation=Observation.OBSERVED)
    html = page(world.teacher_a, world.pupil_a)
    field = re.search(rf'<textarea id="kopie-{entry.pk}"[^>]*readonly>(.*?)</textarea>', html, re.S)
    assert field is not None
    from lev.dossier.chronology import copy_text

    with translation.override("nl"):
        expected = copy_text(DossierEntry.objects.select_related("author", "corrects").get(pk=entry.pk))
    assert field.group(1) == h(expected)
    assert f'data-lev-copy="kopie-{entry.pk}"' in html
    assert "lev/chronology.js" in html
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.django_db
def test_actions_for_the_director(world):
    html = page(world.director_a, world.pupil_a)
    assert f'href="/leerlingen/{world.pupil_a.pk}/zienswijze-ouders/nieuw/"' in html
    for name, query in (("incidents:signal_new", "?leerling="), ("incidents:incident_new", "?leerling=")):
        if resolves(name):
            assert f'href="{reverse(name)}{query}{world.pupil_a.pk}"' in html
    if resolves("communications:letter_new"):
        assert f'href="{reverse("communications:letter_new")}?leerling={world.pupil_a.pk}"' in html
    if resolves("escalation:pupil_ladder", world.pupil_a.pk):
        assert f'href="{reverse("escalation:pupil_ladder", args=[world.pupil_a.pk])}"' in html
    else:
        with translation.override("nl"):
            assert translation.pgettext("pupil action", "Step in the stappenplan") not in html


@pytest.mark.django_db
def test_actions_for_a_teacher(world):
    add(world)
    own = page(world.teacher_a, world.pupil_a)
    assert f'href="/leerlingen/{world.pupil_a.pk}/zienswijze-ouders/nieuw/"' in own
    if resolves("incidents:signal_new"):
        assert f'href="{reverse("incidents:signal_new")}?leerling={world.pupil_a.pk}"' in own
    if resolves("communications:letter_new"):
        assert reverse("communications:letter_new") not in own  # letters are written by IB and direction
    # Another group's pupil, opened with a reason: no parents' view.
    client = signed_in_client(world.teacher_a)
    client.post(f"/leerlingen/{world.pupil_a_other.pk}/", {"reason": "Pleinwacht: incident op het plein"})
    other = client.get(f"/leerlingen/{world.pupil_a_other.pk}/").content.decode()
    assert "zienswijze-ouders" not in other


@pytest.mark.django_db
def test_correct_links_only_where_the_viewer_may_correct(world):
    mine = add(world, title="Van de leerkracht")
    theirs = add(world, title="Van de IB", author=world.ib_a)
    teacher_html = page(world.teacher_a, world.pupil_a)
    assert f"/chronologie/{mine.pk}/corrigeren/" in teacher_html
    assert f"/chronologie/{theirs.pk}/corrigeren/" not in teacher_html
    director_html = page(world.director_a, world.pupil_a)
    assert f"/chronologie/{mine.pk}/corrigeren/" in director_html
    assert f"/chronologie/{theirs.pk}/corrigeren/" in director_html


@pytest.mark.django_db
def test_print_keeps_the_name_and_leaves_out_the_controls(world):
    add(world)
    html = page(world.director_a, world.pupil_a)
    # print.css hides <header>, <nav>, buttons in forms and .lev-no-print: the pupil's name is not
    # in a <header>; filters, actions, links and the copy field are marked not to print.
    assert '<header class="mb-3">' not in html
    assert re.search(r'<form method="get" class="[^"]*lev-no-print', html)
    assert re.search(r'<details class="[^"]*lev-no-print', html)
    assert 'class="d-flex flex-wrap gap-2 mb-3 lev-no-print"' in html


# --- Queries --------------------------------------------------------------------------------------


def fill(world, count):
    """COUNT entries of every sort the page handles: signals with their source record, corrected
    entries, parents' views beside entries, told and anonymous ones, contacts."""
    entries = []
    for i in range(count):
        moment = NOW - dt.timedelta(hours=i + 1)
        sort = i % 5
        if sort == 0:
            entry, _signal = signal_by(world, world.teacher_a, world.pupil_a)
        elif sort == 1:
            entry = add(
                world,
                kind="incident",
                title=f"Incident {i}",
                happened_at=moment,
                observation=Observation.TOLD,
                told_by="moeder",
            )
        elif sort == 2:
            original = add(world, title=f"Te corrigeren {i}", happened_at=moment, author=world.ib_a)
            entry = entry_correct(
                entry=original, summary="Gecorrigeerd", reason="Fout", actor=world.ib_a, now=NOW
            )
        elif sort == 3:
            facts = add(world, kind="parent_contact", title=f"Contact {i}", happened_at=moment)
            entry = parent_view_record(
                pupil=world.pupil_a,
                summary="Zienswijze",
                happened_at=moment,
                about=facts,
                actor=world.ib_a,
                now=NOW,
            )
        else:
            entry = add(
                world,
                title=f"Anoniem {i}",
                happened_at=moment,
                observation=Observation.TOLD,
                told_by="niet genoemd (geen toestemming)",
            )
        entries.append(entry)
    return entries


def queries_for(user, pupil):
    client = signed_in_client(user)
    url = f"/leerlingen/{pupil.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), len(shown(response.content.decode()))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["director_a", "teacher_a"])
def test_the_page_costs_the_same_queries_for_10_and_100_entries(world, monkeypatch, persona):
    monkeypatch.setattr(school_views, "CHRONOLOGY_PAGE", 300)
    fill(world, 10)
    few, shown_few = queries_for(getattr(world, persona), world.pupil_a)
    fill(world, 90)
    many, shown_many = queries_for(getattr(world, persona), world.pupil_a)
    # Every 5 entries written hold one corrected original and one contact beside a view: 7 items.
    assert (shown_few, shown_many) == (14, 140)
    assert few == many
