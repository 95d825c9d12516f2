"""Signals, incidents and crisis in the browser, on the demo data (seeded once for this module).

- A teacher logs a signal on a phone-sized screen (390×844) between lessons: the steps and the time
  they took are printed (the closing note of the issue reports them); nothing is wider than the
  screen, and axe-core finds no violations on the form.
- A director walks a crisis: starts one from an incident, gives an action an owner and a status,
  adds a temporary measure (its first evaluation is planned two weeks later), records the
  evaluation (the next one a month later) and writes in the media log.
- The new pages pass axe-core.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import shell_line, sign_in
from tests.e2e.test_accessibility import violations

PASSWORD = "Demo-Schoolplein-2741"
CANARY = "E2E-signaal-7781"


def test_teacher_logs_a_signal_on_a_phone(lev_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" or "Content Security Policy" in m.text else None
        ),
    )
    # A pupil of the teacher's own group (group 5 of De Regenboog).
    pupil_id, surname = shell_line(
        lev_server,
        "from lev.schools.models import GroupPlacement as G; "
        "p = G.objects.filter(group__name='5', school__brin='99AA', ends_on__isnull=True)"
        ".select_related('pupil').order_by('pupil__admin_number').first().pupil; print(p.pk, p.achternaam)",
    ).split(" ", 1)
    sign_in(page, lev_server, "leerkracht.regenboog", PASSWORD)
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def step(name: str) -> None:
        steps.append((name, time.perf_counter() - started))

    page.get_by_role("link", name="Signaal vastleggen").first.click()
    expect(page.get_by_role("heading", name="Signaal vastleggen")).to_be_visible()
    step("opened the form from the start page")
    page.get_by_label("Zoek een leerling op naam").fill(surname[:4])
    choice = page.locator(f"#pupil-choices #pupil-{pupil_id}")
    expect(choice).to_be_visible()
    choice.check()
    step("searched and ticked the pupil")
    page.get_by_label("Wat is er gebeurd? (de feiten)").fill(
        f"Tijdens de pauze zat de leerling alleen bij het hek en huilde. {CANARY}"
    )
    page.get_by_label("Zelf gezien").check()
    page.get_by_label("Waar?").fill("Schoolplein")
    step("typed what happened, seen myself, where")
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_text("Vastgelegd. De IB ziet dit signaal.")).to_be_visible()
    step("saved")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(page) == []
    print("\nSignal on 390x844:")
    for name, seconds in steps:
        print(f"  {seconds:5.1f} s  {name}")
    # Stored once, by the teacher, about that pupil, with a dossier entry for the pupil.
    stored = shell_line(
        lev_server,
        "from incidents.models import Signal; "
        f"s = Signal.objects.get(description__contains='{CANARY}'); "
        "print(s.author.username, s.pupils.get().achternaam, s.source, "
        "s.pupils.get().dossier_entries.filter(source_id=str(s.pk)).count())",
    )
    assert stored.split() == ["leerkracht.regenboog", *surname.split(), "observed", "1"]
    page.screenshot(path="tests/e2e/output/signal-on-phone.png", full_page=True)
    context.close()
    assert not problems, problems


def test_director_walks_a_crisis(lev_server, page):
    incident_id = shell_line(
        lev_server,
        "from incidents.models import Incident; "
        "print(Incident.objects.get(school__brin='99AA', category='pesten').pk)",
    )
    sign_in(page, lev_server, "directeur.regenboog", PASSWORD)
    # From the incident: escalate to a crisis.
    page.goto(lev_server.url(f"/incidenten/{incident_id}/"))
    assert violations(page) == []
    page.get_by_role("link", name="Opschalen naar een crisis").click()
    page.locator("#id_title").fill("Onrust na pesten in groep 5")
    page.locator("#crisis-start-submit").click()
    expect(page).to_have_url(re.compile(r"/crisis/\d+/$"))
    # The five actions of Bijlage 18 as cards.
    for number in range(1, 6):
        expect(page.locator(f"#action-{number}")).to_be_visible()
    assert violations(page) == []
    # Action 3: an owner and a status.
    card = page.locator("#action-3")
    card.locator("summary", has_text="Eigenaar of status wijzigen").click()
    card.locator("#id_action-3-owner").select_option(index=1)
    card.locator("#id_action-3-status").select_option(label="Bezig")
    card.get_by_role("button", name="Actie opslaan").click()
    expect(page.locator("#action-3 [data-lev-field=status]")).to_contain_text("Bezig")
    owner = page.locator("#action-3 [data-lev-field=owner]").inner_text()
    assert owner.strip()
    # A temporary measure for a pupil: the first evaluation two weeks after it starts.
    measures = page.locator("#measures")
    measures.locator("summary", has_text="Tijdelijke maatregel toevoegen").click()
    measures.locator("#id_measure-pupil").select_option(index=1)
    measures.locator("#id_measure-description").fill("Begeleiding bij toiletbezoek en in de pauze.")
    measures.locator("#id_measure-starts_on").fill("2026-04-21")
    measures.get_by_role("button", name="Maatregel opslaan").click()
    measure = (
        page.locator("[id^=measure-]").filter(has=page.locator("[data-lev-field=next-evaluation]")).first
    )
    # Tue 21-04-2026 + 2 weeks = Tue 05-05-2026, Bevrijdingsdag (a holiday of the Atw every year)
    # -> Wed 06-05-2026.
    expect(measure.locator("[data-lev-field=next-evaluation]")).to_contain_text("06-05-2026")
    # The evaluation: the next one a month later (Wed 6 May + 1 month = Sat 6 June -> Mon 8 June).
    measure.locator("summary", has_text="Evaluatie vastleggen").click()
    pk = (measure.get_attribute("id") or "").removeprefix("measure-")
    measure.locator(f"#id_evaluation-{pk}-held_on").fill("2026-05-06")
    measure.get_by_label(re.compile("^Met wie")).fill("Leerkracht, ouders, IB")
    measure.get_by_label(re.compile("^Uitkomst")).fill("De regels werken; toezicht in de pauze blijft.")
    measure.get_by_role("button", name="Evaluatie van de maatregel opslaan").click()
    measure = page.locator(f"#measure-{pk}")
    expect(measure.locator("[data-lev-field=next-evaluation]")).to_contain_text("08-06-2026")
    # The media log, with the crisis's spokesperson (the board by default).
    media = page.locator("#media")
    media.locator("summary", has_text="Toevoegen aan het medialogboek").click()
    media.locator("#id_media-occurred_at").fill("2026-05-07T10:30")
    media.get_by_label(re.compile("^Medium en journalist")).fill("Regionale krant, J. de Vries")
    media.get_by_label(re.compile("^Vraag")).fill("Klopt het dat er een incident was op school?")
    media.get_by_label(re.compile("^Gegeven antwoord")).fill(
        "Geen commentaar; het bestuur staat de pers te woord."
    )
    media.get_by_role("button", name="Opslaan in het medialogboek").click()
    expect(page.locator("#media table")).to_contain_text("Regionale krant")
    expect(page.locator("#crisis-spokesperson")).to_be_visible()
    assert violations(page) == []


def test_incident_pages_are_accessible(lev_server, page):
    problems: list[str] = []
    sign_in(page, lev_server, "ib.regenboog", PASSWORD)
    for path in (
        "/signalen/",
        "/signalen/nieuw/",
        "/incidenten/nieuw/",
        "/incidentenregister/",
        "/wpo4a/melden/",
    ):
        page.goto(lev_server.url(path))
        problems += [f"{path}: {v}" for v in violations(page)]
    page.goto(lev_server.url("/incidentenregister/"))
    page.locator("tr.lev-register-row a").first.click()
    problems += [f"incident: {v}" for v in violations(page)]
    page.goto(lev_server.url("/leerlingen/"))
    page.locator("main a[href^='/leerlingen/']").first.click()
    problems += [f"pupil page: {v}" for v in violations(page)]
    assert problems == []
