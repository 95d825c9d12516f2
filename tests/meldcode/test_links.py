"""What the Meldcode adds to other pages (meldcode/links.py): Meldcode entries in the pupil's
chronology and Meldcode terms only for readers with case access, the term's page linking to its
case, the signalling teacher's two statuses, and "open a case" on a signal's page for the IB.

The case: pupil_a's, opened by ib_a from teacher_a's signal, walked to the melding (Fri 24 Apr 2026
11:00); the reminder to ask Veilig Thuis for feedback is the case's one open term.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import override, pgettext

from lev.audit.models import AccessLogEntry
from lev.deadlines.models import Deadline, Visibility
from lev.dossier.models import DossierEntry
from lev.schools.models import Role
from meldcode import services as s
from tests.conftest import signed_in_client
from tests.i18n_helpers import t

from .conftest import add_member, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def melded(walk):
    return walk_to(walk, "melded")


def _reminder(case) -> Deadline:
    return Deadline.objects.get(
        case_id=case.pk, visibility=Visibility.MELDCODE_CASE, rule_code="veilig-thuis-beoordeling"
    )


def test_meldcode_entries_in_the_chronology_only_with_case_access(world, melded):
    case = melded.case
    meldcode_titles = set(
        DossierEntry.objects.filter(pupil=world.pupil_a, meldcode_case_id=case.pk).values_list(
            "title", flat=True
        )
    )
    assert "Melding bij Veilig Thuis gedaan" in meldcode_titles
    url = reverse("schools:pupil_detail", args=[world.pupil_a.pk])
    for user, sees in [
        (world.ib_a, True),  # case manager
        (world.director_a, True),  # school lead
        (world.teacher_a, False),  # teaches pupil_a and signalled, but has no case access
    ]:
        page = signed_in_client(user).get(url).content.decode()
        assert ("Melding bij Veilig Thuis gedaan" in page) is sees, user.username
        # The signal itself is a school entry: everyone who may read the file sees it.
        assert "Blauwe plek op de wang" in page


def test_a_grant_shows_the_entries_and_a_revoke_hides_them(world, melded):
    case = melded.case
    colleague = add_member(world, "collega_a", Role.TEACHER)
    url = reverse("schools:pupil_detail", args=[world.pupil_a.pk])
    s.access_grant(case=case, user=colleague, actor=world.ib_a, now=melded.now)
    client = signed_in_client(colleague)
    # A teacher outside the pupil's groups gives a reason first; the page then shows the entries.
    page = client.post(url, {"reason": "Gedeelde Meldcode-casus"}, follow=True).content.decode()
    assert "Melding bij Veilig Thuis gedaan" in page
    s.access_revoke(case=case, user=colleague, actor=world.ib_a, now=melded.now)
    page = client.post(url, {"reason": "Nogmaals"}, follow=True).content.decode()
    assert "Melding bij Veilig Thuis gedaan" not in page


def test_the_reminder_on_my_deadlines_of_the_case_manager_only(world, melded):
    reminder = _reminder(melded.case)
    assert reminder.responsible_user == world.ib_a
    mine = reverse("deadlines:mine")
    assert f"/termijnen/{reminder.pk}/" in signed_in_client(world.ib_a).get(mine).content.decode()
    for user in (world.director_a, world.teacher_a):
        assert f"/termijnen/{reminder.pk}/" not in signed_in_client(user).get(mine).content.decode()


def test_the_term_page_links_to_the_case_for_readers_with_access(world, melded):
    case = melded.case
    reminder = _reminder(case)
    url = reverse("deadlines:detail", args=[reminder.pk])
    case_url = reverse("meldcode:case_detail", args=[case.pk])
    for user in (world.ib_a, world.director_a, world.deputy_a):
        response = signed_in_client(user).get(url)
        assert response.status_code == 200, user.username
        page = response.content.decode()
        assert f'href="{case_url}"' in page
        assert t("Meldcode case %(number)s", number=case.number) in page
    # Another IB of the school, the signalling teacher and the board: the term does not exist.
    other_ib = add_member(world, "ib_twee_a", Role.CARE_COORDINATOR)
    for user in (other_ib, world.teacher_a, world.board_member, world.teacher_b):
        assert signed_in_client(user).get(url).status_code == 404, user.username


def test_the_signalling_teacher_sees_only_in_progress_then_closed(world, walk):
    signal = walk.case.signals.get()
    in_progress = t("In progress with the care coordinator")
    client = signed_in_client(world.teacher_a)
    detail = reverse("incidents:signal_detail", args=[signal.pk])
    for page in (
        client.get(detail).content.decode(),
        client.get(reverse("incidents:my_signals")).content.decode(),
    ):
        assert in_progress in page
        assert walk.case.number not in page
        assert "/meldcode/" not in page
    # The case is closed after question 1 "no" and step 5 "no melding, no help".
    walk.steps(1, 2, 3)
    walk.answers(False)
    walk.step(4)
    walk.decide(melden=False, hulp=False)
    walk.close()
    page = client.get(detail).content.decode()
    assert in_progress not in page
    with override("nl"):
        closed = pgettext("meldcode case seen by the teacher", "Closed")
    assert closed in page
    # The IB reading the same signal sees no teacher status line.
    assert t("What became of it") not in signed_in_client(world.ib_a).get(detail).content.decode()


def test_a_signal_page_offers_the_ib_to_open_a_case_with_the_signal_ticked(world, walk):
    signal = walk.case.signals.get()
    detail = reverse("incidents:signal_detail", args=[signal.pk])
    open_url = f"{reverse('meldcode:case_open', args=[world.pupil_a.pk])}?signaal={signal.pk}"
    assert open_url in signed_in_client(world.ib_a).get(detail).content.decode()
    assert open_url not in signed_in_client(world.teacher_a).get(detail).content.decode()
    form = signed_in_client(world.ib_a).get(open_url).content.decode()
    assert f'value="{signal.pk}"' in form and "checked" in form


def test_every_case_page_read_is_in_the_access_log(world, melded):
    case = melded.case
    client = signed_in_client(world.director_a)
    for _ in range(3):
        assert client.get(reverse("meldcode:case_detail", args=[case.pk])).status_code == 200
    rows = AccessLogEntry.objects.filter(
        object_type="meldcode.meldcodecase", object_id=str(case.pk), user=world.director_a
    )
    assert rows.count() == 3


def test_step_1_starts_from_the_signals_and_a_step_recorded_again_from_its_last_record(world, walk):
    case = walk.case
    signal = case.signals.get()
    signal.tags = ["lichamelijk_welzijn"]
    signal.save(update_fields=["tags"])
    client = signed_in_client(world.ib_a)
    url = reverse("meldcode:step_record", args=[case.pk, 1])
    form = client.get(url).context["form"]
    # The signal of Mon 20 Apr 2026 09:30 (Amsterdam), in the order LEV writes it.
    assert form.initial["signals"] == (
        f"20-04-2026 09:30, Klaslokaal ({t('seen myself')}): Blauwe plek op de wang; Anna zei er niets over."
    )
    assert form.initial["signal_list"] == t("Physical well-being")
    assert form.initial["history"] == ""
    walk.steps(1, 2)
    s.step_record(
        case=case,
        step=3,
        recorded_on=walk.now.date(),
        content={
            "participants": "Moeder en IB.",
            "discussed": "De plek.",
            "agreements": "Vervolg.",
            "signed": "ja",
        },
        actor=world.ib_a,
        now=walk.now,
    )
    form = client.get(reverse("meldcode:step_record", args=[case.pk, 3])).context["form"]
    assert form.initial["participants"] == "Moeder en IB."
    assert form["signed"].value() == "yes"


def test_a_grant_ends_with_the_grantees_membership(world, walk):
    from lev.schools.models import Membership
    from lev.schools.services import grants_revoke_for_membership_end
    from meldcode.permissions import access_basis

    colleague = add_member(world, "collega_weg_a", Role.TEACHER)
    s.access_grant(case=walk.case, user=colleague, actor=world.ib_a, now=walk.now)
    assert access_basis(colleague, walk.case, walk.now.date()) is not None
    membership = Membership.objects.get(user=colleague)
    assert grants_revoke_for_membership_end(membership=membership, day=walk.now.date()) == 1
    assert access_basis(colleague, walk.case, walk.now.date()) is None
    assert s.granted_users(walk.case) == []


def test_a_replaced_case_manager_loses_the_terms_and_is_not_told(world, melded):
    from lev.deadlines.selectors import responsible_recipients

    reminder = _reminder(melded.case)
    s.case_manager_set(case=melded.case, manager=world.deputy_a, actor=world.director_a, now=melded.now)
    reminder.refresh_from_db()
    assert reminder.responsible_user == world.deputy_a
    url = reverse("deadlines:detail", args=[reminder.pk])
    # The former case manager (still the school's IB) no longer has the case, nor its term.
    assert signed_in_client(world.ib_a).get(url).status_code == 404
    assert (
        f"/termijnen/{reminder.pk}/"
        not in signed_in_client(world.ib_a).get(reverse("deadlines:mine")).content.decode()
    )
    assert responsible_recipients(reminder, melded.now.date()) == [world.deputy_a]


def test_a_meldcode_term_is_closed_in_its_case_not_on_its_page(world, melded):
    reminder = _reminder(melded.case)
    colleague = add_member(world, "lezer_a", Role.TEACHER)
    s.access_grant(case=melded.case, user=colleague, actor=world.ib_a, now=melded.now)
    for user in (colleague, world.ib_a):
        client = signed_in_client(user)
        assert client.get(reverse("deadlines:detail", args=[reminder.pk])).status_code == 200
        assert client.post(reverse("deadlines:meet", args=[reminder.pk])).status_code == 403
        response = client.post(reverse("deadlines:waive", args=[reminder.pk]), {"reason": "Niet meer nodig"})
        assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == "open"


def test_no_correction_or_parents_view_beside_a_meldcode_entry(world, melded):
    entry = DossierEntry.objects.filter(pupil=world.pupil_a, meldcode_case_id=melded.case.pk).first()
    client = signed_in_client(world.ib_a)
    page = client.get(reverse("schools:pupil_detail", args=[world.pupil_a.pk])).content.decode()
    assert f"bij={entry.pk}" not in page
    assert reverse("schools:entry_correct", args=[world.pupil_a.pk, entry.pk]) not in page
    new_view = reverse("schools:parent_view_new", args=[world.pupil_a.pk]) + f"?bij={entry.pk}"
    assert client.get(new_view).status_code == 403
    assert client.get(reverse("schools:entry_correct", args=[world.pupil_a.pk, entry.pk])).status_code == 403


def test_the_case_list_pages_through_every_case(world, monkeypatch):
    from meldcode import case_selectors
    from tests.meldcode.conftest import open_case

    monkeypatch.setattr(case_selectors, "LIST_LIMIT", 2)
    cases = [open_case(world) for _ in range(3)]
    client = signed_in_client(world.director_a)
    first = client.get(reverse("meldcode:case_list"))
    second = client.get(reverse("meldcode:case_list") + "?pagina=2")
    shown = [row.case.pk for row in first.context["rows"]] + [row.case.pk for row in second.context["rows"]]
    # The last changed first, each case on exactly one page.
    assert shown == [case.pk for case in reversed(cases)]
    assert "pagina=2" in first.content.decode()


def test_a_readers_refused_write_is_logged_as_refused_not_as_a_read(world, walk):
    colleague = add_member(world, "alleen_lezen_a", Role.TEACHER)
    s.access_grant(case=walk.case, user=colleague, actor=world.ib_a, now=walk.now)
    client = signed_in_client(colleague)
    logged = AccessLogEntry.objects.filter(user=colleague, object_type="meldcode.meldcodecase")
    assert client.get(reverse("meldcode:case_detail", args=[walk.case.pk])).status_code == 200
    assert list(logged.values_list("outcome", flat=True)) == ["granted"]
    for url, data in [
        (reverse("meldcode:step_record", args=[walk.case.pk, 1]), {}),
        (reverse("meldcode:report_edit", args=[walk.case.pk]), {"subject": "x"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert list(logged.order_by("pk").values_list("outcome", flat=True)) == ["granted", "denied", "denied"]
