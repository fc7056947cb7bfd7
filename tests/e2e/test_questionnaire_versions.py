"""Issue 29 in a real browser: the platform admin imports questionnaire version 2 and makes it
active; the organisation opens a round on it with the psychosocial module and one own
question; an employee answers everything on a phone (axe-core on the module's and the own
question's pages); the round closes and the dashboard, the groups page and the report show the
module's results under the disclosure rules; the trends page compares the v1 round and the v2
round only on the scales both versions measure alike."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment import questionnaire_store, round_extras
from assessment.i18n import t
from assessment.modules import module
from assessment.organisations import create_organisation, get_organisation
from assessment.responses import submit_response
from assessment.rounds import close_round, create_invitations, list_rounds, open_round
from tests.context import on

from ..test_report_organisation import text_of
from .support import (
    SCREENS,
    accessible,
    answer_labels,
    assert_no_exception,
    choose,
    click_button,
    expect_thanks,
    goto,
    main,
    nav,
    next_step,
    pick,
    questionnaire,
    screenshot,
    settle,
    start_survey,
    survey_button,
)

pytestmark = pytest.mark.e2e

ORG = "Thuiszorg Het Anker"
V2 = Path(__file__).parent.parent / "fixtures" / "employee-v2.yaml"
PSY = module("psychosocial", 1)
OWN = {"nl": "Werk je soms thuis?", "en": "Do you sometimes work from home?",
       "fr": "Travaillez-vous parfois à domicile ?"}
OWN_OPTIONS = {"nl": ["Nooit", "Soms", "Vaak"], "en": ["Never", "Sometimes", "Often"],
               "fr": ["Jamais", "Parfois", "Souvent"]}


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)


def seeded(db_path) -> int:
    """The organisation, with a closed round on v1 (10 answers) for the trend."""
    org_id = create_organisation(on(db_path), ORG, "Q", "88", 40, ["Thuiszorg", "Kantoor"])
    q, past = questionnaire(), date.today() - timedelta(days=60)
    round_id = open_round(on(db_path), org_id, "Bevraging vorig jaar", past,
                          past + timedelta(days=14), q, today=past)
    departments = [d.id for d in get_organisation(on(db_path), org_id).departments]
    for n, token in enumerate(create_invitations(on(db_path), round_id, 10)):
        submit_response(on(db_path), token, q, {i.id: 2 + n % 3 for i in q.items},
                        {"department": departments[n % 2]}, today=past)
    close_round(on(db_path), round_id, today=past + timedelta(days=14))
    return org_id


def test_a_new_version_a_module_and_an_own_question_from_import_to_report(server, new_page):
    org_id = seeded(server.db_path)
    admin = new_page()
    goto(admin, server.url)

    # --- the platform admin imports v2 and makes it active -----------------------------------
    nav(admin, nl("nav.questionnaires"))
    main(admin).locator("input[type=file]").set_input_files(str(V2))
    click_button(admin, nl("questionnaires.import_button"))
    settle(admin)
    expect(main(admin).get_by_text(re.compile(r"Versie 2 is bewaard"))).to_be_visible()
    choose(main(admin), nl("questionnaires.activate_which"), "v2")
    settle(admin)
    main(admin).get_by_text(re.compile(r"Ik heb versie 2 nagekeken")).click()
    settle(admin)
    click_button(admin, nl("questionnaires.activate_button"))
    settle(admin)
    expect(main(admin).get_by_text(re.compile(r"Versie 2 is actief"))).to_be_visible()
    assert questionnaire_store.active(on(server.db_path)).version == 2

    # --- the organisation opens a round with the module and an own question ------------------
    nav(admin, nl("nav.rounds"))
    main(admin).get_by_text(nl("rounds.new")).click()
    main(admin).get_by_test_id("stButtonGroup").get_by_text(PSY.title("nl"), exact=True).click()
    settle(admin)
    main(admin).get_by_text(nl("rounds.own_questions", max=3)).click()
    own = main(admin).get_by_test_id("stRadio").first
    own.get_by_text(nl("rounds.own_kind.single"), exact=True).click()
    for code, name in (("nl", "Nederlands"), ("en", "English"), ("fr", "Français")):
        main(admin).get_by_label(nl("rounds.own_text", language=name), exact=True).first.fill(
            OWN[code])
        main(admin).get_by_label(nl("rounds.own_options", language=name), exact=True).first.fill(
            "\n".join(OWN_OPTIONS[code]))
    click_button(admin, nl("rounds.open"))
    settle(admin)
    expect(main(admin).get_by_text(nl("rounds.opened"))).to_be_visible()
    assert_no_exception(admin)
    survey_round = list_rounds(on(server.db_path), org_id)[0]
    assert survey_round.questionnaire_version == 2
    assert round_extras.of_round(survey_round).modules == (PSY,)
    assert round_extras.of_round(survey_round).items[-1] == "own1"
    q = questionnaire_store.for_round(on(server.db_path), survey_round)

    # --- an employee answers on a phone: the module and the own question come last -----------
    tokens = create_invitations(on(server.db_path), survey_round.id, 12)
    phone = new_page(phone=True)
    phone.goto(f"{server.url}/s/{tokens[0]}")
    start_survey(phone)
    for section in q.sections:
        expect(phone.get_by_role("heading", level=2, name=section.title("nl"))).to_be_visible()
        for number, item in enumerate(section.items, 1):
            labels = answer_labels(q, item)
            pick(phone, number, labels[1] if item.id in ("ps_ir1", "own1") else labels[0])
        if section.id in (f"module.{PSY.id}", "own"):
            accessible(phone, section.id)
            SCREENS.mkdir(parents=True, exist_ok=True)
            phone.screenshot(path=str(SCREENS / f"survey-{section.id}-phone.png"),
                             full_page=True)
        next_step(phone)
    survey_button(phone, nl("survey.submit"))
    expect_thanks(phone)

    # eleven more, through the domain: in Kantoor nobody reports violence by a colleague
    departments = [d.id for d in get_organisation(on(server.db_path), org_id).departments]
    for n, token in enumerate(tokens[1:12]):
        answers = {i.id: 1 if i.id.startswith("ps_") else 3 for i in q.items}
        answers["own1"] = 1 + n % 3
        submit_response(on(server.db_path), token, q, answers,
                        {"department": departments[n < 6]})
    close_round(on(server.db_path), survey_round.id)

    # --- the dashboard: the module's figures for the organisation -----------------------------
    violence = next(i for i in PSY.items if i.id == "ps_ir1").text("nl")
    nav(admin, nl("nav.dashboard"))
    expect(main(admin).get_by_role("heading", name=nl("extras.title"))).to_be_visible()
    row = main(admin).get_by_role("row").filter(has_text=violence)
    expect(row).to_contain_text("8%")  # 1 of 12
    # the own question: 4, 5 (the phone's among them) and 3 of 12
    expect(main(admin).get_by_role("row", name="Soms 42%", exact=True)).to_be_visible()
    screenshot(admin, "dashboard-modules")

    # --- the groups page: the unanimous small department is hidden ---------------------------
    nav(admin, nl("nav.groups"))
    expect(main(admin).get_by_role("heading", name=nl("extras.title"))).to_be_visible()
    expect(main(admin).get_by_role("row").filter(has_text=violence)).to_contain_text(
        nl("extras.withheld"))
    screenshot(admin, "groups-modules")

    # --- the report's PDF holds the module's section ------------------------------------------
    nav(admin, nl("nav.report"))
    with admin.expect_download() as info:
        main(admin).get_by_role("button", name=nl("report.download_pdf")).click()
    assert PSY.title("nl") in text_of(Path(info.value.path()).read_bytes())

    # --- the trends page: v1 and v2 compared only on the scales both measure alike -----------
    nav(admin, nl("nav.trends"))
    expect(main(admin).get_by_text(re.compile(r"vragenlijstversies 1, 2"))).to_be_visible()
    expect(main(admin).get_by_text(re.compile(r"Niet vergeleken.*Werkstress"))).to_be_visible()
    assert_no_exception(admin)
