"""The core flow in a real browser: an employer creates an organisation, opens a round and makes
links; an employee answers the whole survey on a phone; the employer sees the response arrive;
a link works once; a forged link is refused."""

from __future__ import annotations

import csv
import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from assessment.i18n import t
from assessment.organisations import Organisation, list_organisations
from assessment.rounds import list_rounds
from assessment.storage import connection
from tests.context import on

from .support import (
    answer_labels,
    answer_section,
    assert_no_exception,
    checked_labels,
    choose,
    click_button,
    expect_thanks,
    goto,
    key_figure,
    main,
    nav,
    next_step,
    pick,
    questionnaire,
    settle,
    start_survey,
    survey_button,
)

pytestmark = [pytest.mark.e2e, pytest.mark.pg_smoke]  # also on the PostgreSQL pass

ORG = "Woonzorg De Linde"
DEPARTMENTS = ["Verpleging", "Keuken", "Administratie"]


@pytest.fixture(scope="module")
def flow() -> dict:
    """What the first test leaves for the next ones (the used invitation link)."""
    return {}


def nl(key: str, **params) -> str:
    return t(key, "nl", **params)



def field(page: Page, label: str):
    """A text, number or text-area input by its exact label (not its help button)."""
    return main(page).get_by_label(label, exact=True)


def leading_int(text: str) -> int:
    match = re.match(r"\s*(\d+)", text)
    assert match, f"no number in metric {text!r}"
    return int(match.group(1))


def create_organisation_in_browser(page: Page) -> None:
    expect(main(page).get_by_role("heading", name=nl("org.title"))).to_be_visible()
    choose(main(page), nl("org.nace_section"), re.compile(r"^Q – "))
    settle(page)
    division = main(page).get_by_role("combobox", name=nl("org.nace_division"))
    expect(division).to_be_enabled()
    choose(main(page), nl("org.nace_division"), re.compile(r"^87 – "))
    settle(page)
    expect(main(page).get_by_role("combobox", name=nl("org.nace_section"))).to_have_value(
        re.compile(r"^Q – "))
    expect(division).to_have_value(re.compile(r"^87 – "))
    field(page, nl("org.name")).fill(ORG)
    field(page, nl("org.headcount")).fill("12")
    field(page, nl("org.departments")).fill("\n".join(DEPARTMENTS))
    click_button(page, nl("org.create"))
    settle(page)
    expect(main(page).get_by_text(nl("org.created", name=ORG))).to_be_visible()
    assert_no_exception(page)


def open_round_and_make_links(page: Page, base_url: str, count: int) -> list[str]:
    expect(main(page).get_by_role("heading", name=nl("rounds.title"))).to_be_visible()
    expect(main(page).get_by_text(nl("rounds.for", name=ORG))).to_be_visible()
    expect(field(page, nl("rounds.round_title"))).to_have_value(
        nl("rounds.default_title", year=date.today().year))
    click_button(page, nl("rounds.open"))
    settle(page)
    expect(main(page).get_by_text(nl("rounds.opened"))).to_be_visible()
    expect(key_figure(page, nl("rounds.status"))).to_have_text(nl("status.open"))

    field(page, nl("rounds.how_many")).fill(str(count))
    click_button(page, nl("rounds.make_links"))
    settle(page)
    expect(main(page).get_by_text(nl("rounds.links_once"))).to_be_visible()
    expect(key_figure(page, nl("rounds.invited"))).to_have_text(str(count), timeout=15_000)

    with page.expect_download() as info:
        main(page).get_by_role("button", name=nl("rounds.download")).click()
    download = info.value
    assert re.fullmatch(r"werkbaar-links-\d+\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))  # Dutch: as Belgian Excel splits it
    assert rows[0] == ["nr", "link"]
    links = [row[1] for row in rows[1:]]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, count + 1)]
    assert len(links) == count == len(set(links))
    for link in links:
        assert re.fullmatch(re.escape(base_url) + r"/s/[\w-]{40,}", link), link
    return links


def test_employer_creates_round_and_employee_answers_on_phone(server, new_page, flow):
    q = questionnaire()
    employer = new_page()
    goto(employer, server.url)
    expect(main(employer).get_by_text(nl("home.empty"))).to_be_visible()
    nav(employer, nl("nav.organisation"))
    create_organisation_in_browser(employer)

    nav(employer, nl("nav.rounds"))
    links = open_round_and_make_links(employer, server.url, 3)
    before = leading_int(key_figure(employer, nl("rounds.responses")).inner_text())
    assert before == 0

    # --- the employee, on a phone ------------------------------------------------------------
    phone = new_page(phone=True)
    phone.goto(links[0])
    survey = phone.locator("main")
    expect(phone.get_by_role("heading", level=1, name=q.title("nl"))).to_be_visible()
    expect(survey.get_by_text(q.intro("nl"))).to_be_visible()
    expect(survey.get_by_text(f"{ORG} vraagt je")).to_be_visible()  # who asks
    total = len(q.sections) + 2
    expect(survey.get_by_text(nl("survey.progress", step=1, total=total))).to_be_visible()
    expect(phone.get_by_test_id("stApp")).to_have_count(0)  # nothing of the employer app
    start_survey(phone)

    # Section 1: "Volgende" with question 3 open is refused, with the question's number.
    first = q.sections[0]
    expect(survey.get_by_text(nl("survey.progress", step=2, total=total))).to_be_visible()
    answer_section(phone, q, 0, skip={3})
    next_step(phone)
    expect(survey.get_by_text(nl("survey.missing", numbers="3"))).to_be_visible()
    expect(phone.locator(f"#q-{first.items[2].id}").get_by_text(
        nl("survey.unanswered"))).to_be_visible()  # the open question says so itself
    expect(phone.get_by_role("heading", name=first.title("nl"))).to_be_visible()
    answers = checked_labels(phone)
    assert answers[2] is None and all(answers[:2] + answers[3:]), answers
    pick(phone, 3, answer_labels(q, first.items[2])[1])
    next_step(phone)

    # Section 2 answered, section 3 answered, back to 2 and forward to 3: nothing is lost.
    answer_section(phone, q, 1)
    expected_2 = checked_labels(phone)
    next_step(phone)
    answer_section(phone, q, 2)
    expected_3 = checked_labels(phone)
    assert all(expected_2) and all(expected_3)
    survey_button(phone, nl("survey.back"))
    expect(phone.get_by_role("heading", name=q.sections[1].title("nl"))).to_be_visible()
    assert checked_labels(phone) == expected_2
    next_step(phone)
    expect(phone.get_by_role("heading", name=q.sections[2].title("nl"))).to_be_visible()
    assert checked_labels(phone) == expected_3
    next_step(phone)
    answer_section(phone, q, 3)
    next_step(phone)

    # About you: a department of this organisation, an age band, the open question.
    expect(phone.get_by_role("heading", name=nl("survey.about_you"))).to_be_visible()
    expect(survey.get_by_text(nl("survey.progress", step=total, total=total))).to_be_visible()
    labels = {b.id: b.label("nl") for b in q.background}
    survey.get_by_label(labels["department"]).select_option(label="Keuken")
    survey.get_by_label(labels["age_band"]).select_option(label="30 tot 39 jaar")
    survey.get_by_label(q.open_question.label("nl"), exact=True).fill("Meer overleg in het team.")
    survey_button(phone, nl("survey.submit"))
    expect_thanks(phone)
    assert links[0].rsplit("/", 1)[1] not in phone.url  # the thanks' address holds no token
    flow["link"] = links[0]

    # --- back with the employer: the live counter (refreshes every 10 s) shows the response.
    expect(key_figure(employer, nl("rounds.responses"))).to_have_text(
        re.compile(rf"^{before + 1}\b"), timeout=25_000)
    org = stored_organisation(server.db_path)
    (survey_round,) = list_rounds(on(server.db_path), org.id)
    assert (survey_round.invited, survey_round.responses) == (3, 1)
    with connection(server.db_path) as conn:
        stored = conn.execute(
            "select d.name, r.age_band, r.contract_type, r.open_answer, "
            "length(replace(r.answers, '0', '')) "
            "from responses r join departments d on d.id = r.department_id "
            "where r.round_id = ?", [survey_round.id]).fetchall()
    assert stored == [("Keuken", "30_39", None, "Meer overleg in het team.", len(q.items))]

    # The dashboard of this round keeps the figures back: it is still open (no live figures).
    nav(employer, nl("nav.dashboard"))
    expect(main(employer).get_by_role("heading", name=nl("dash.title"))).to_be_visible()
    expect(main(employer).get_by_role("combobox", name=nl("rounds.choose"))).to_have_value(
        survey_round.title)
    expect(main(employer).get_by_text(
        nl("dash.open", closes=f"{survey_round.closes_on:%d/%m/%Y}"))).to_be_visible()
    expect(key_figure(employer, nl("rounds.responses"))).to_have_text("1")
    expect(main(employer).locator(".js-plotly-plot")).to_have_count(0)
    assert_no_exception(employer)


def stored_organisation(db_path) -> Organisation:
    """The organisation made in the browser, as stored."""
    (org,) = list_organisations(on(db_path))
    assert (org.name, org.nace_section, org.nace_division, org.headcount) == (ORG, "Q", "87", 12)
    assert sorted(d.name for d in org.departments) == sorted(DEPARTMENTS)
    return org


def expect_no_survey(page: Page) -> None:
    expect(page.locator("form")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(0)


def test_used_link_is_refused(server, new_page, flow):
    assert "link" in flow, "the core-flow test did not get as far as submitting the survey"
    page = new_page(phone=True)
    page.goto(flow["link"])
    expect(page.locator("main").get_by_text(nl("invitation.used"))).to_be_visible()
    expect_no_survey(page)


@pytest.mark.parametrize("address", ["/s/{token}", "/?token={token}"], ids=["new", "old"])
def test_forged_link_is_refused(server, new_page, address):
    page = new_page(phone=True)
    page.goto(server.url + address.format(token=secrets.token_urlsafe(32)))
    expect(page.locator("main").get_by_text(nl("invitation.unknown"))).to_be_visible()
    expect_no_survey(page)
    assert "/s/" in page.url  # an old address was sent on to the survey's own page
