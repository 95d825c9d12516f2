"""The signal pages: the phone-first form (refusals at the field, typed text kept), the pupil
type-ahead, the server-side draft (autosave, offer, discard, 24 hours), "my signals", the school's
list for the leads, one signal, and the start-page sections.

These tests use the real clock (pages take `timezone.now()`), with moments relative to it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from incidents.models import Signal, SignalDraft, SignalRead, SignalSource, SignalTag
from lev.audit.models import AccessLogEntry, AccessOutcome
from lev.dossier.models import DossierEntry
from tests.conftest import signed_in_client
from tests.i18n_helpers import h, t, tn
from tests.incidents.test_signal_services import OTHER_SCHOOL, enrol_world

NEW = "/signalen/nieuw/"
DRAFT = "/signalen/concept/"
MINE = "/signalen/mijn/"
LIST = "/signalen/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(world, **overrides) -> dict:
    data = {
        "pupils": [world.pupil_a.pk],
        "description": "Anna zat de hele ochtend stil in een hoek en at niets.",
        "source": "observed",
        "told_by": "",
        "happened_at": local_input(timezone.now() - dt.timedelta(hours=1)),
        "location": "Klaslokaal",
        "draft_token": "tok-1",
    }
    data.update(overrides)
    return data


def make_signal(world, author, *, pupils=None, school=None, **fields) -> Signal:
    """A signal written straight to the table (the service is tested on its own)."""
    school = school or world.school_a
    now = timezone.now()
    values = {
        "happened_at": now - dt.timedelta(hours=2),
        "location": "Gang",
        "description": "Ruzie bij de kapstok.",
        "source": SignalSource.OBSERVED,
        "created_at": now,
    }
    values.update(fields)
    signal = Signal.objects.create(board=school.board, school=school, author=author, **values)
    signal.pupils.set(pupils or [world.pupil_a if school == world.school_a else world.pupil_b])
    return signal


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<div id="id_{field}_error" class="lev-field-error" role="alert">([^<]*)</div>', html)


# --- The form -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_has_at_most_six_required_inputs_one_button_and_the_optional_ones_folded(world):
    enrol_world(world)
    response = signed_in_client(world.teacher_a).get(NEW)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    form = html[
        html.index('<form id="signal-form"') : html.index("</form>", html.index('<form id="signal-form"'))
    ]
    # Required inputs: pupils, what happened, seen/heard, (heard from whom), when, where.
    required = re.findall(r'<(?:legend|label)[^>]*>([^<]*) <span aria-hidden="true">\*</span>', form)
    assert required == [
        t("Pupil(s)"),
        t("What happened? (the facts)"),
        t("Seen myself or heard from someone else?"),
        t("When?"),
        t("Where?"),
    ]
    assert form.count('type="submit"') == 1
    assert h(t("Record the signal")) in form
    details = form[form.index("<details") : form.index("</details>")]
    for name in ("own_reaction", "agreements", "others_present", "tags"):
        assert f'name="{name}"' in details
        assert f'name="{name}"' not in form.replace(details, "")
    assert '<details class="mb-3">' in form  # folded while empty
    # When defaults to now (to the minute), as a datetime-local input.
    assert 'type="datetime-local"' in form
    assert f'value="{local_input(timezone.now())[:13]}' in form
    # Where: a pick list with free text.
    assert 'list="signal-places"' in form and '<datalist id="signal-places">' in html
    assert f'<option value="{h(t("Schoolyard"))}">' in html
    # The draft autosaves to the server, never in the browser; no inline script.
    assert f'hx-post="{reverse("incidents:signal_draft")}"' in form
    assert 'hx-trigger="input delay:1500ms, change delay:1500ms"' in form
    for forbidden in ("localStorage", "sessionStorage", "document.cookie", "hx-on", "<script>"):
        assert forbidden not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.mark.django_db
def test_own_group_pupils_are_offered_first_and_no_pupil_of_another_school(world):
    enrol_world(world)
    html = signed_in_client(world.teacher_a).get(NEW).content.decode()
    choices = html[html.index('<div id="pupil-choices"') : html.index("</fieldset>")]
    assert f'value="{world.pupil_a.pk}"' in choices and "Anna Jansen" in choices
    assert h(t("group %(name)s", name="5a")) in choices
    assert "Bram" not in choices  # school A, not in her group: found by searching
    assert "Cees" not in html


@pytest.mark.django_db
def test_the_type_ahead_finds_the_schools_pupils_and_keeps_the_chosen_ones(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    found = client.get(NEW, {"zoek": "bra", "pupils": [world.pupil_a.pk]}, **HTMX).content.decode()
    assert "<form" not in found  # only the choices
    assert re.search(
        rf'value="{world.pupil_a.pk}" id="pupil-{world.pupil_a.pk}" form="signal-form" checked', found
    )
    assert re.search(
        rf'value="{world.pupil_a_other.pk}" id="pupil-{world.pupil_a_other.pk}" form="signal-form">', found
    )
    other_school = client.get(NEW, {"zoek": "Cees"}, **HTMX).content.decode()
    nobody = t(
        "No pupil of %(school)s matches “%(search)s”. Check the spelling, or search on the surname.",
        school="De Regenboog",
        search="Cees",
    )
    assert other_school.strip().endswith(f'<p class="small lev-muted mb-0">{h(nobody)}</p>')
    assert 'name="pupils"' not in other_school
    staff = signed_in_client(world.staff_a).get(NEW, {"zoek": "a"}, **HTMX).content.decode()
    assert 'name="pupils"' not in staff  # one letter is not a search; staff have no group


@pytest.mark.django_db
def test_a_pupil_is_preselected_only_when_the_user_may_pick_it(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    html = client.get(NEW, {"leerling": world.pupil_a_other.pk}).content.decode()
    assert re.search(
        rf'value="{world.pupil_a_other.pk}" id="pupil-{world.pupil_a_other.pk}" form="signal-form" checked',
        html,
    )
    for ignored in (world.pupil_b.pk, "abc", 999999):
        html = client.get(NEW, {"leerling": ignored}).content.decode()
        assert " checked>" not in html[html.index('<div id="pupil-choices"') : html.index("</fieldset>")]
        assert "Cees" not in html


@pytest.mark.django_db
def test_recording_redirects_to_a_new_form_with_the_message(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    response = client.post(NEW, form_data(world, tags=[SignalTag.BEHAVIOUR], others_present="J.K."))
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{NEW}?vastgelegd={signal.pk}"
    assert (signal.author, signal.school, signal.tags, signal.others_present) == (
        world.teacher_a,
        world.school_a,
        ["gedrag_kind"],
        "J.K.",
    )
    assert DossierEntry.objects.filter(kind="signal", pupil=world.pupil_a).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert h(t("Recorded. The IB sees this signal.")) in page
    assert h(t("Record another signal")) in page
    assert f'href="/signalen/{signal.pk}/"' in page
    assert 'name="description"' in page and "Anna zat" not in page  # a fresh form


@pytest.mark.django_db
def test_a_moment_in_the_future_is_refused_at_the_field_and_the_typed_text_is_kept(world):
    enrol_world(world)
    future = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(timezone.now(), tick=False):
        now = timezone.now()
        response = signed_in_client(world.teacher_a).post(
            NEW, form_data(world, happened_at=local_input(future), told_by="", others_present="A.B.")
        )
    assert response.status_code == 200
    html = response.content.decode()
    message = t(
        "A signal cannot lie in the future. Enter when it happened: now or earlier (%(now)s).",
        now=timezone.localtime(now).strftime("%d-%m-%Y %H:%M"),
    )
    assert field_errors(html, "happened_at") == [h(message)]
    assert f'value="{local_input(future)}"' in html
    assert "Anna zat de hele ochtend stil in een hoek en at niets." in html
    assert 'value="A.B."' in html and '<details class="mb-3" open>' in html
    assert re.search(
        rf'value="{world.pupil_a.pk}" id="pupil-{world.pupil_a.pk}" form="signal-form" checked', html
    )
    assert Signal.objects.count() == 0


@pytest.mark.django_db
def test_a_pupil_of_another_school_is_refused_at_the_field(world):
    enrol_world(world)
    response = signed_in_client(world.teacher_a).post(NEW, form_data(world, pupils=[world.pupil_b.pk]))
    html = response.content.decode()
    assert field_errors(html, "pupils") == [h(t(OTHER_SCHOOL, school="De Regenboog"))]
    assert "Cees" not in html
    assert "Anna zat de hele ochtend" in html
    assert Signal.objects.count() == 0


@pytest.mark.django_db
def test_a_told_signal_without_a_source_is_refused_and_the_anonymous_source_accepted(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    html = client.post(NEW, form_data(world, source="told")).content.decode()
    assert field_errors(html, "told_by") == [
        h(
            t(
                "Say who told you (for example: a pupil of group 6, the mother of a classmate), or tick "
                "that the source does not want to be named."
            )
        )
    ]
    assert re.search(r'value="told" id="id_source_1" checked', html)
    assert Signal.objects.count() == 0
    response = client.post(NEW, form_data(world, source="told", source_anonymous="on"))
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.source, signal.told_by, signal.source_anonymous) == ("told", "", True)
    detail = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert h(t("not named (no consent)")) in detail
    assert h(t("heard from a third party, source anonymous")) in detail


@pytest.mark.django_db
def test_missing_required_inputs_are_named_at_their_fields(world):
    enrol_world(world)
    html = signed_in_client(world.staff_a).post(NEW, {"draft_token": "x"}).content.decode()
    assert field_errors(html, "pupils") == [h(t("Choose the pupil or pupils this signal is about."))]
    assert field_errors(html, "description") == [
        h(t("Write down what happened: the facts, what you saw or heard."))
    ]
    assert field_errors(html, "source") == [
        h(t("Choose whether you saw it yourself or heard it from someone else."))
    ]
    assert field_errors(html, "happened_at") == [h(t("Enter when it happened (date and time)."))]
    assert field_errors(html, "location") == [
        h(t("Enter where it happened, for example: schoolplein, klaslokaal, gym."))
    ]


# --- The draft ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_autosave_keeps_the_draft_on_the_server_and_the_form_offers_it(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    response = client.post(DRAFT, form_data(world, description="Half getypt"), **HTMX)
    assert response.status_code == 200
    when = timezone.localtime(SignalDraft.objects.get().updated_at)
    kept = t(
        "Draft kept at %(when)s. Only you see it; it is removed after 24 hours.", when=when.strftime("%H:%M")
    )
    assert response.content.decode().strip() == h(kept)
    assert set(response.cookies) <= {"sessionid", "csrftoken"}
    draft = SignalDraft.objects.get(user=world.teacher_a)
    assert draft.data["description"] == "Half getypt"
    assert draft.data["pupils"] == [world.pupil_a.pk]

    offer = client.get(NEW).content.decode()
    when = timezone.localtime(draft.updated_at).strftime("%d-%m-%Y %H:%M")
    assert 'name="description"' not in offer  # first the choice
    assert "?concept=verder" in offer and 'name="weggooien"' in offer
    assert when in offer

    continued = client.get(NEW, {"concept": "verder"}).content.decode()
    assert "Half getypt</textarea>" in continued
    assert re.search(
        rf'value="{world.pupil_a.pk}" id="pupil-{world.pupil_a.pk}" form="signal-form" checked', continued
    )

    start = client.get("/").content.decode()
    assert 'id="section-signal_draft"' in start and when in start


@pytest.mark.django_db
def test_throwing_the_draft_away(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    client.post(DRAFT, form_data(world), **HTMX)
    response = client.post(DRAFT, {"weggooien": "1"})
    assert response.status_code == 302 and response["Location"] == NEW
    assert SignalDraft.objects.count() == 0
    assert 'name="description"' in client.get(NEW).content.decode()


@pytest.mark.django_db
def test_an_expired_draft_is_never_offered_and_is_removed(world):
    enrol_world(world)
    start = timezone.now()
    # A new sign-in each time: the session of the day before has timed out.
    with time_machine.travel(start, tick=False):
        signed_in_client(world.teacher_a).post(DRAFT, form_data(world, description="Van gisteren"), **HTMX)
    with time_machine.travel(start + dt.timedelta(hours=23, minutes=59), tick=False):
        assert 'id="section-signal_draft"' in signed_in_client(world.teacher_a).get("/").content.decode()
    with time_machine.travel(start + dt.timedelta(hours=24, minutes=1), tick=False):
        client = signed_in_client(world.teacher_a)
        assert 'id="section-signal_draft"' not in client.get("/").content.decode()
        html = client.get(NEW).content.decode()
        assert 'name="description"' in html and "Van gisteren" not in html
        assert SignalDraft.objects.count() == 0
        # Asking for it explicitly does not bring it back either.
        assert "Van gisteren" not in client.get(NEW, {"concept": "verder"}).content.decode()


@pytest.mark.django_db
def test_a_late_autosave_of_a_recorded_form_does_not_bring_the_draft_back(world):
    enrol_world(world)
    client = signed_in_client(world.teacher_a)
    client.post(NEW, form_data(world, draft_token="form-7"))
    assert Signal.objects.count() == 1 and SignalDraft.objects.count() == 0
    client.post(DRAFT, form_data(world, draft_token="form-7"), **HTMX)
    assert SignalDraft.objects.count() == 0
    client.post(DRAFT, form_data(world, draft_token="form-8"), **HTMX)
    assert SignalDraft.objects.count() == 1


@pytest.mark.django_db
def test_the_draft_page_refuses_roles_that_do_not_record(world):
    for persona in ("confidant_a", "board_member"):
        response = signed_in_client(getattr(world, persona)).post(DRAFT, {"description": "x"}, **HTMX)
        assert response.status_code == 403
    assert SignalDraft.objects.count() == 0


# --- My signals, the school's list, one signal ------------------------------------------------


@pytest.mark.django_db
def test_my_signals_shows_only_my_own_newest_first(world):
    enrol_world(world)
    now = timezone.now()
    older = make_signal(
        world, world.teacher_a, description="Oudste melding", happened_at=now - dt.timedelta(days=3)
    )
    newer = make_signal(
        world, world.teacher_a, description="Nieuwste melding", happened_at=now - dt.timedelta(hours=1)
    )
    make_signal(world, world.ib_a, description="Van de IB")
    make_signal(world, world.teacher_b, school=world.school_b, description="Andere school")
    html = signed_in_client(world.teacher_a).get(MINE).content.decode()
    assert html.index(f"/signalen/{newer.pk}/") < html.index(f"/signalen/{older.pk}/")
    assert "Van de IB" not in html and "Andere school" not in html


@pytest.mark.django_db
def test_my_signals_empty_state_and_pages(world):
    client = signed_in_client(world.staff_a)
    html = client.get(MINE).content.decode()
    assert h(t("No signals yet. Signals you record about pupils of your group appear here.")) in html
    for i in range(26):
        make_signal(world, world.staff_a, description=f"Melding {i:02d}")
    first = client.get(MINE).content.decode()
    second = client.get(MINE, {"pagina": 2}).content.decode()
    assert first.count('class="lev-card"') == 25 and second.count('class="lev-card"') == 1
    assert "1 / 2" in first and "?pagina=2" in first


@pytest.mark.django_db
def test_a_teacher_opens_her_own_signal_but_not_a_colleagues_nor_another_schools(world):
    own = make_signal(world, world.teacher_a)
    colleague = make_signal(world, world.staff_a)
    elsewhere = make_signal(world, world.teacher_b, school=world.school_b)
    client = signed_in_client(world.teacher_a)
    assert client.get(f"/signalen/{own.pk}/").status_code == 200
    assert client.get(f"/signalen/{colleague.pk}/").status_code == 403
    assert client.get(f"/signalen/{elsewhere.pk}/").status_code == 404
    assert client.get("/signalen/999999/").status_code == 404
    log = AccessLogEntry.objects.filter(user=world.teacher_a, object_type="incidents.signal")
    assert sorted(log.values_list("object_id", "outcome")) == sorted(
        [(str(own.pk), AccessOutcome.GRANTED), (str(colleague.pk), AccessOutcome.DENIED)]
    )
    assert SignalRead.objects.count() == 0  # a teacher's reading is not "read by the IB"


@pytest.mark.django_db
def test_a_lead_opening_a_signal_marks_it_read_once(world):
    signal = make_signal(world, world.teacher_a, source=SignalSource.TOLD, told_by="de buurvrouw")
    client = signed_in_client(world.ib_a)
    html = client.get(f"/signalen/{signal.pk}/").content.decode()
    assert "de buurvrouw" in html
    assert client.get(f"/signalen/{signal.pk}/").status_code == 200
    read = SignalRead.objects.get()
    assert (read.signal, read.user) == (signal, world.ib_a)


@pytest.mark.django_db
def test_the_incident_link_is_for_leads_only_while_the_incident_form_exists(world):
    signal = make_signal(world, world.teacher_a)
    try:
        expected = f'href="{reverse("incidents:incident_new")}?signaal={signal.pk}"'
    except NoReverseMatch:
        expected = None
    lead = signed_in_client(world.director_a).get(f"/signalen/{signal.pk}/").content.decode()
    author = signed_in_client(world.teacher_a).get(f"/signalen/{signal.pk}/").content.decode()
    assert "?signaal=" not in author
    if expected:
        assert expected in lead and h(t("Make it an incident")) in lead
    else:
        assert "?signaal=" not in lead


@pytest.mark.django_db
def test_the_school_list_is_for_leads_with_unread_marked(world):
    now = timezone.now()
    read_one = make_signal(
        world, world.teacher_a, description="Al gelezen", happened_at=now - dt.timedelta(days=1)
    )
    unread = make_signal(
        world, world.staff_a, description="Nog niet gelezen", happened_at=now - dt.timedelta(hours=1)
    )
    make_signal(world, world.teacher_b, school=world.school_b)
    SignalRead.objects.create(signal=read_one, user=world.ib_a, read_at=now)
    for persona in ("teacher_a", "staff_a", "confidant_a", "board_member"):
        assert signed_in_client(getattr(world, persona)).get(LIST).status_code == 403
    html = signed_in_client(world.ib_a).get(LIST).content.decode()
    rows = re.findall(r'<tr( class="fw-semibold")?>\s*<td><a href="/signalen/(\d+)/">', html)
    assert rows == [(' class="fw-semibold"', str(unread.pk)), ("", str(read_one.pk))]
    assert h(t("new")) in html and "Cees" not in html
    only_unread = signed_in_client(world.ib_a).get(LIST, {"ongelezen": "1"}).content.decode()
    assert re.findall(r'<td><a href="/signalen/(\d+)/">', only_unread) == [str(unread.pk)]


@pytest.mark.django_db
def test_the_school_list_filters_by_period_pupil_and_kind(world):
    now = timezone.now()
    day = dt.timedelta(days=1)
    a = make_signal(world, world.teacher_a, happened_at=now - 10 * day, tags=["gezinssituatie"])
    b = make_signal(world, world.teacher_a, happened_at=now - 2 * day, pupils=[world.pupil_a_other])
    c = make_signal(world, world.teacher_a, happened_at=now - 1 * day, tags=["gedrag_kind", "gezinssituatie"])
    client = signed_in_client(world.director_a)

    def ids(**params) -> list[str]:
        html = client.get(LIST, params).content.decode()
        return re.findall(r'<td><a href="/signalen/(\d+)/">', html)

    assert ids() == [str(c.pk), str(b.pk), str(a.pk)]
    since = timezone.localdate(now - 3 * day).isoformat()
    assert ids(van=since) == [str(c.pk), str(b.pk)]
    assert ids(tot=timezone.localdate(now - 2 * day).isoformat()) == [str(b.pk), str(a.pk)]
    assert ids(leerling=world.pupil_a_other.pk) == [str(b.pk)]
    assert ids(soort="gezinssituatie") == [str(c.pk), str(a.pk)]
    assert ids(soort="onzin", van="gisteren") == [str(c.pk), str(b.pk), str(a.pk)]
    assert (
        h(t("No signals match these filters."))
        in client.get(LIST, {"leerling": world.pupil_b.pk}).content.decode()
    )


# --- The start page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_leads_see_how_many_signals_wait_to_be_read(world):
    make_signal(world, world.teacher_a)
    second = make_signal(world, world.staff_a)
    make_signal(world, world.ib_a)  # her own: not "to read" for her
    make_signal(world, world.teacher_b, school=world.school_b)
    client = signed_in_client(world.ib_a)
    html = client.get("/").content.decode()
    section = html[html.index('id="section-signals_to_read"') :]
    section = section[: section.index("</section>")]
    assert h(tn("%(count)s new signal", "%(count)s new signals", 2, count=2)) in section
    assert 'href="/signalen/?ongelezen=1"' in section
    client.get(f"/signalen/{second.pk}/")
    html = client.get("/").content.decode()
    assert h(tn("%(count)s new signal", "%(count)s new signals", 1, count=1)) in html
    assert 'id="section-signals_to_read"' not in signed_in_client(world.teacher_a).get("/").content.decode()


@pytest.mark.django_db
def test_the_record_button_is_on_the_teachers_and_staffs_start_page(world):
    for persona in ("teacher_a", "staff_a"):
        html = signed_in_client(getattr(world, persona)).get("/").content.decode()
        assert f'href="{NEW}">{h(t("Record a signal"))}</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST, MINE])
def test_the_lists_cost_the_same_number_of_queries_for_few_and_many_signals(world, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(world.director_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        make_signal(world, world.director_a, pupils=[world.pupil_a, world.pupil_a_other])
    few = queries()
    for _ in range(20):
        make_signal(world, world.director_a, pupils=[world.pupil_a, world.pupil_a_other])
    assert queries() == few


@pytest.mark.django_db
def test_staff_see_their_latest_signals_on_the_start_page(world):
    now = timezone.now()
    for i in range(7):
        make_signal(world, world.staff_a, location=f"Plek {i}", happened_at=now - dt.timedelta(hours=i + 1))
    make_signal(world, world.teacher_a, location="Van een ander")
    html = signed_in_client(world.staff_a).get("/").content.decode()
    section = html[html.index('id="section-my_signals"') :]
    section = section[: section.index("</section>")]
    assert re.findall(r"— (Plek \d)</span>", section) == ["Plek 0", "Plek 1", "Plek 2", "Plek 3", "Plek 4"]
    assert h(t("All my signals (%(count)s)", count=7)) in section and f'href="{MINE}"' in section
    assert f'href="{NEW}">{h(t("Record a signal"))}</a>' in section
    assert "Van een ander" not in html and "Anna" not in html
