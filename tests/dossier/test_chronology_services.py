"""Corrections and the parents' view (lev/dossier/services.py), the kind labels and the short summary
to copy into the pupil administration (lev/dossier/kinds.py, lev/dossier/chronology.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lev.audit.models import AuditEvent
from lev.dossier.chronology import copy_text, initials
from lev.dossier.kinds import kind_label
from lev.dossier.models import DossierEntry, Observation, Visibility
from lev.dossier.services import entry_correct, entry_record, parent_view_record
from tests import factories as f
from tests.i18n_helpers import t

NOW = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)  # 11:30 in Amsterdam
HAPPENED = NOW - dt.timedelta(hours=2)  # 24-11-2026 09:30 in Amsterdam


def add(world, **kw):
    defaults = {
        "pupil": world.pupil_a,
        "kind": "signal",
        "title": "Signaal",
        "summary": "Zat alleen op het plein",
        "happened_at": HAPPENED,
        "author": world.teacher_a,
        "now": NOW,
    }
    defaults.update(kw)
    return entry_record(**defaults)


def nl_kind(kind):
    with translation.override("nl"):
        return kind_label(kind)


# --- Corrections -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_leaves_the_original_row_as_it_was_and_points_at_it(world):
    entry = add(world, observation=Observation.OBSERVED, others_present="J.K.")
    before = DossierEntry.objects.filter(pk=entry.pk).values().get()
    later = NOW + dt.timedelta(days=1)
    correction = entry_correct(
        entry=entry,
        summary="  Zat alleen bij het hek  ",
        reason=" Plek verkeerd ",
        actor=world.ib_a,
        now=later,
    )
    assert DossierEntry.objects.filter(pk=entry.pk).values().get() == before
    row = DossierEntry.objects.get(pk=correction.pk)
    assert (row.corrects_id, row.correction_reason, row.summary) == (
        entry.pk,
        "Plek verkeerd",
        "Zat alleen bij het hek",
    )
    assert (row.author, row.recorded_at, row.happened_at) == (world.ib_a, later, HAPPENED)
    assert (row.kind, row.title, row.observation, row.others_present, row.visibility) == (
        "signal",
        "Signaal",
        Observation.OBSERVED,
        "J.K.",
        Visibility.SCHOOL,
    )
    event = AuditEvent.objects.get(action="dossier_entry_corrected")
    assert (event.actor, event.object_id, event.occurred_at) == (world.ib_a, str(correction.pk), later)
    assert event.summary == {"corrects": entry.pk, "pupil_id": world.pupil_a.pk}
    assert "hek" not in str(event.summary)


@pytest.mark.django_db
def test_only_the_newest_version_can_be_corrected(world):
    entry = add(world)
    first = entry_correct(entry=entry, summary="Tweede versie", reason="Aangevuld", actor=world.ib_a, now=NOW)
    with pytest.raises(ValidationError) as refused:
        entry_correct(entry=entry, summary="Derde versie", reason="Nog eens", actor=world.ib_a, now=NOW)
    assert refused.value.code == "already_corrected"
    assert DossierEntry.objects.count() == 2
    second = entry_correct(
        entry=first, summary="Derde versie", reason="Nog eens", actor=world.director_a, now=NOW
    )
    assert second.corrects == first
    assert DossierEntry.objects.count() == 3


@pytest.mark.django_db
def test_a_correction_needs_a_text_and_a_reason(world):
    entry = add(world)
    with pytest.raises(ValidationError) as refused:
        entry_correct(entry=entry, summary="  ", reason="", actor=world.ib_a, now=NOW)
    assert set(refused.value.message_dict) == {"summary", "reason"}
    assert DossierEntry.objects.count() == 1
    assert not AuditEvent.objects.filter(action="dossier_entry_corrected").exists()


# --- The parents' view -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_parents_view_is_an_entry_beside_the_facts(world):
    view = parent_view_record(
        pupil=world.pupil_a,
        summary="  Moeder ziet het anders: er werd eerst geduwd door een ander.  ",
        happened_at=HAPPENED,
        with_whom=" moeder ",
        actor=world.director_a,
        now=NOW,
    )
    row = DossierEntry.objects.get(pk=view.pk)
    assert (row.kind, row.visibility, row.observation, row.told_by) == (
        "zienswijze",
        Visibility.SCHOOL,
        Observation.TOLD,
        "moeder",
    )
    assert (row.title, row.summary) == (
        "Zienswijze ouders",
        "Moeder ziet het anders: er werd eerst geduwd door een ander.",
    )
    assert (row.author, row.happened_at, row.recorded_at, row.source_type, row.source_id) == (
        world.director_a,
        HAPPENED,
        NOW,
        "",
        "",
    )
    event = AuditEvent.objects.get(action="parent_view_recorded")
    assert (event.actor, event.object_id) == (world.director_a, str(view.pk))
    assert event.summary == {"pupil_id": world.pupil_a.pk, "about_entry_id": None}
    assert AuditEvent.objects.filter(action="dossier_entry_recorded", object_id=str(view.pk)).count() == 1


@pytest.mark.django_db
def test_a_parents_view_about_one_entry_points_at_it_and_says_which(world):
    facts = add(world, title="Ruzie bij de gymles")
    view = parent_view_record(
        pupil=world.pupil_a,
        summary="Vader: het was een grap.",
        happened_at=NOW,
        about=facts,
        actor=world.ib_a,
        now=NOW,
    )
    assert (view.source_type, view.source_id) == ("dossier.dossierentry", str(facts.pk))
    assert view.told_by == "ouders"  # nobody named: the parents
    assert view.title == "Zienswijze ouders bij de vermelding van 24-11-2026: Ruzie bij de gymles"
    assert AuditEvent.objects.get(action="parent_view_recorded").summary["about_entry_id"] == facts.pk


@pytest.mark.django_db
def test_a_parents_view_refuses_bad_input_at_the_field(world):
    other = add(world, pupil=world.pupil_a_other)
    with pytest.raises(ValidationError) as refused:
        parent_view_record(
            pupil=world.pupil_a,
            summary=" ",
            happened_at=NOW + dt.timedelta(minutes=1),
            with_whom="x" * 201,
            about=other,
            actor=world.ib_a,
            now=NOW,
        )
    assert set(refused.value.message_dict) == {"summary", "happened_at", "with_whom", "about"}
    assert not DossierEntry.objects.filter(kind="zienswijze").exists()
    assert not AuditEvent.objects.filter(action="parent_view_recorded").exists()


@pytest.mark.django_db
def test_a_parents_view_cannot_answer_another_parents_view(world):
    view = parent_view_record(
        pupil=world.pupil_a, summary="Eerste", happened_at=NOW, actor=world.ib_a, now=NOW
    )
    with pytest.raises(ValidationError) as refused:
        parent_view_record(
            pupil=world.pupil_a, summary="Tweede", happened_at=NOW, about=view, actor=world.ib_a, now=NOW
        )
    assert set(refused.value.message_dict) == {"about"}


# --- Labels and the summary to copy ---------------------------------------------------------------


def test_kinds_have_the_schools_words_and_unknown_kinds_show_as_stored():
    with translation.override("nl"):
        expected = translation.pgettext("dossier kind", "Signal")
        assert kind_label("signal") == expected
        assert kind_label("parent_contact") == translation.pgettext("dossier kind", "Contact with parents")
        assert kind_label("zienswijze") == translation.pgettext("dossier kind", "Parents' view")
    assert kind_label("bijzondere_stap") == "bijzondere_stap"


def test_initials_only():
    assert initials("Piet de Vries") == "P.d.V."
    assert initials("  Anna   Jansen ") == "A.J."
    assert initials("teacher_a") == "t."
    assert initials("") == ""


@pytest.fixture
def tom(db):
    return f.UserFactory(username="tom", first_name="Tom", last_name="van Aalst")


@pytest.mark.django_db
def test_copy_text_of_an_observed_signal(world, tom):
    entry = add(world, author=tom, observation=Observation.OBSERVED, others_present="J.K., P.d.V.")
    with translation.override("nl"):
        text = copy_text(entry)
    seen = t("seen by %(initials)s", initials="T.v.A.")
    lines = [f"24-11-2026 – {nl_kind('signal')} ({seen})"]
    if nl_kind("signal").casefold() != "signaal":  # the title repeats the kind in Dutch only
        lines.append("Signaal")
    lines += ["Zat alleen op het plein", t("Also present: %(initials)s", initials="J.K., P.d.V.")]
    assert text == "\n".join(lines)
    assert "Tom" not in text and "Aalst" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "told_by",
    ["niet genoemd (geen toestemming)", "Niet genoemd (geen toestemming) ", "not named (no consent)"],
)
def test_copy_text_of_an_anonymous_source_says_so_without_the_wording(world, tom, told_by):
    entry = add(
        world, author=tom, title="Gehoord op het plein", observation=Observation.TOLD, told_by=told_by
    )
    with translation.override("nl"):
        text = copy_text(entry)
    how = t("heard from a third party, source anonymous, recorded by %(initials)s", initials="T.v.A.")
    assert text == f"24-11-2026 – {nl_kind('signal')} ({how})\nGehoord op het plein\nZat alleen op het plein"


@pytest.mark.django_db
def test_copy_text_of_a_told_entry_and_of_a_correction(world, tom):
    entry = add(
        world,
        author=tom,
        kind="incident",
        title="Incident 3: pesten",
        observation=Observation.TOLD,
        told_by="moeder",
    )
    how = t("heard from %(source)s, recorded by %(initials)s", source="moeder", initials="T.v.A.")
    with translation.override("nl"):
        assert (
            copy_text(entry)
            == f"24-11-2026 – {nl_kind('incident')} ({how})\nIncident 3: pesten\nZat alleen op het plein"
        )
    correction = entry_correct(
        entry=entry, summary="Zat alleen bij het hek", reason="Plek verkeerd", actor=tom, now=NOW
    )
    correction = DossierEntry.objects.select_related("author", "corrects").get(pk=correction.pk)
    with translation.override("nl"):
        text = copy_text(correction)
    assert text.splitlines() == [
        f"24-11-2026 – {nl_kind('incident')} ({how})",
        "Incident 3: pesten",
        "Zat alleen bij het hek",
        t("Correction of the entry of %(day)s. Reason: %(reason)s", day="24-11-2026", reason="Plek verkeerd"),
    ]


@pytest.mark.django_db
def test_copy_text_without_observation_names_who_recorded_it(world, tom):
    entry = add(world, author=tom, kind="letter", title="Brief time-out", summary="Verzonden per post.")
    with translation.override("nl"):
        text = copy_text(entry)
    how = t("recorded by %(initials)s", initials="T.v.A.")
    assert text == f"24-11-2026 – {nl_kind('letter')} ({how})\nBrief time-out\nVerzonden per post."
