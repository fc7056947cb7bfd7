"""The dashboard's summary in a real browser, on a desktop and a phone: it names the demo care
organisation's three largest problems with their figures and a measure each (expected values
derived here from the domain functions, not written down), and the dashboard keeps its closed
round after a new round is opened on Bevragingen."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from assessment import formatting
from assessment.catalogue import load_catalogue
from assessment.i18n import t
from assessment.organisations import list_organisations
from assessment.questionnaire import load_employee_questionnaire
from assessment.recommendations import SCALE_MIN_SHARE_PCT
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.self_assessment import load_employer_questionnaire
from assessment.summary import organisation_advice
from tests.context import on

from .support import (
    accessible,
    assert_no_exception,
    key_figure,
    main,
    nav,
    screenshot,
    settle,
    sidebar,
)
from .support_improve import CARE, open_care_dashboard

pytestmark = pytest.mark.e2e



def expected_problems(db_path, lang: str) -> list[tuple[str, str, str]]:
    """(scale label, share as written, best measure's name) of the three scales with the
    largest shown knelpunt share, from round_results and the advice engine."""
    q = load_employee_questionnaire()
    org = next(o for o in list_organisations(on(db_path)) if o.name == CARE)
    latest = next(r for r in list_rounds(on(db_path), org.id)
                  if round_results(on(db_path), r.id).shown)
    results = round_results(on(db_path), latest.id)
    order = [s.id for s in q.scales]
    shares = {s: round(f.pct_knelpunt) for s, f in results.scales.items()}
    top = sorted((s for s in shares if shares[s] >= SCALE_MIN_SHARE_PCT),
                 key=lambda s: (-shares[s], order.index(s)))[:3]
    advice = organisation_advice(on(db_path), org, q, load_employer_questionnaire(),
                                 load_catalogue(),
                                 date.today())
    out = []
    for scale in top:
        measure = next(r for r in advice.fitting if scale in {g.id for g in r.gaps})
        out.append((q.scale(scale).label(lang), formatting.percent(shares[scale], lang),
                    measure.measure.name(lang)))
    return out


def summary_box(page: Page):
    return main(page).locator(".st-key-summary")


@pytest.mark.parametrize(("lang", "phone"), [("nl", False), ("en", False), ("nl", True)],
                         ids=["nl-desktop", "en-desktop", "nl-phone"])  # en on a phone: the
# English texts of en-desktop at the phone layout of nl-phone
def test_summary_names_the_three_largest_problems_with_figures_and_a_measure(
        demo_server, new_page, phone, lang):
    page = new_page(phone=phone, locale="en-GB" if lang == "en" else "nl-BE")
    open_care_dashboard(page, demo_server.url, lang)
    box = summary_box(page)
    expect(box.get_by_role("heading", name=t("summary.problems", lang))).to_be_visible()
    problems = expected_problems(demo_server.db_path, lang)
    assert len(problems) == 3
    cards = box.locator("[class*='st-key-problem-']")
    expect(cards).to_have_count(3)
    for card, (label, share, measure) in zip(cards.all(), problems, strict=True):
        expect(key_figure(card, label)).to_have_text(share)
        expect(card).to_contain_text(measure)
        # a button, or "in het actieplan" where the demo's plan has it already
        expect(card.get_by_role("button", name=t("plan.add", lang)).or_(
            card.get_by_text(t("plan.in_plan", lang)))).to_be_visible()
    expect(box).to_contain_text(t("summary.strengths", lang))
    text = main(page).inner_text()
    assert not re.search(r"\bNone\b|\bnan\b", text), "a missing figure must read —"
    assert "_knelpunt" not in text
    if lang == "nl":  # Dutch figures with a decimal comma, never a dot
        assert not re.search(r"\d\.\d+%", text)
    if not phone:  # the dashboard with its captions, charts and tables, in both languages
        accessible(page, f"dashboard ({lang})")
    assert_no_exception(page)


def test_one_click_from_a_problem_puts_its_measure_on_the_plan(demo_server, new_page):
    page = new_page()
    open_care_dashboard(page, demo_server.url)
    cards = summary_box(page).locator("[class*='st-key-problem-']")
    expect(cards).to_have_count(3)
    add = t("plan.add", "nl")  # the first problem whose measure is not on the plan yet
    first = next(i for i, c in enumerate(cards.all()) if c.get_by_role("button", name=add).count())
    label, _, measure = expected_problems(demo_server.db_path, "nl")[first]
    cards.nth(first).get_by_role("button", name=add).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(measure)
    dialog.get_by_role("button", name=t("plan.save", "nl")).click()
    settle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)
    card = summary_box(page).locator("[class*='st-key-problem-']").nth(first)
    expect(key_figure(card, label)).to_be_visible()
    expect(card).to_contain_text(t("plan.in_plan", "nl"))
    expect(main(page).get_by_text(measure).first).to_be_visible()
    assert_no_exception(page)


def test_the_dashboard_keeps_its_closed_round_after_a_new_round_is_opened(demo_server,
                                                                         new_page):
    page = new_page()
    open_care_dashboard(page, demo_server.url)
    closed = f"Bevraging {date.today().year}"
    picker = main(page).get_by_role("combobox", name=t("rounds.choose", "nl"))
    expect(picker).to_have_value(closed)

    nav(page, t("nav.rounds", "nl"))
    main(page).get_by_text(t("rounds.new", "nl")).click()
    title = main(page).get_by_label(t("rounds.round_title", "nl"))
    # typed as a person types: after fill() (the whole text at once) Streamlit's browser code
    # now and then sent nothing for the form's submit click that followed within a few
    # milliseconds (1 run in 6-10 here; the websocket showed no message after the click);
    # typed key by key, 30 runs of 30 passed
    title.clear()
    title.press_sequentially("Pulsbevraging voorjaar", delay=30)
    main(page).get_by_role("button", name=t("rounds.open", "nl")).click()
    settle(page)
    expect(main(page).get_by_text(t("rounds.opened", "nl"))).to_be_visible()
    expect(main(page).get_by_role("combobox", name=t("rounds.choose", "nl")))\
        .to_have_value("Pulsbevraging voorjaar")  # the rounds page follows the new round
    expect(main(page).get_by_text(t("rounds.period", "nl", opens=formatting.day(
        date.today(), "nl"), closes=formatting.day(date.today() + timedelta(days=21), "nl"))))\
        .to_be_visible()
    assert_no_exception(page)
    screenshot(page, "rounds-new-round-nl")
    accessible(page, "rounds page")  # its captions (the organisation, the period) included

    nav(page, t("nav.dashboard", "nl"))
    expect(picker).to_have_value(closed)  # the dashboard does not
    expect(main(page).get_by_text(re.compile(r"^Pulsbevraging voorjaar loopt nog tot en met")))\
        .to_be_visible()
    expect(summary_box(page).get_by_role("heading", name=t("summary.problems", "nl")))\
        .to_be_visible()
    expect(main(page).get_by_text(t("dash.open", "nl", closes="")[:30])).to_have_count(0)
    assert_no_exception(page)
    screenshot(page, "dashboard-newer-round-nl")

    sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="English").click()
    settle(page)
    nav(page, t("nav.rounds", "en"))
    expect(main(page).get_by_role("combobox", name=t("rounds.choose", "en")))\
        .to_have_value("Pulsbevraging voorjaar")  # each page keeps its own choice
    expect(main(page).get_by_text(t("rounds.period", "en", opens=formatting.day(
        date.today(), "en"), closes=formatting.day(date.today() + timedelta(days=21), "en"))))\
        .to_be_visible()
    assert_no_exception(page)
    screenshot(page, "rounds-new-round-en")


@pytest.mark.parametrize(("size", "lang"), [((1366, 768), "nl"), ((1366, 768), "en"),
                                             ((1280, 900), "nl")],
                         ids=["1366x768-nl", "1366x768-en", "1280x900-nl"])
def test_the_three_problems_and_their_measure_are_on_the_first_screen(demo_server, new_page,
                                                                       size, lang):
    """Issue 24 item 7: the advice is what an HR manager came for; on a laptop it must not wait
    below the fold. Each problem card's figure, measure and plan button end inside the viewport
    before any scrolling, and the headline's figure is said once above them, not twice."""
    width, height = size
    page = new_page(viewport={"width": width, "height": height},
                    locale="en-GB" if lang == "en" else "nl-BE")
    open_care_dashboard(page, demo_server.url, lang)
    cards = summary_box(page).locator("[class*='st-key-problem-']")
    expect(cards).to_have_count(3)
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("window.scrollY") == 0
    for card, (label, _, measure) in zip(cards.all(), expected_problems(demo_server.db_path, lang),
                                         strict=True):
        name = card.get_by_text(measure)
        action = card.get_by_role("button", name=t("plan.add", lang)).or_(
            card.get_by_text(t("plan.in_plan", lang)))
        for what, element in (("figure", key_figure(card, label)), ("measure", name),
                              ("plan button", action)):
            box = element.bounding_box()
            assert box is not None, f"{label}: no {what}"
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (
                f"{label}: the {what} ends at {box['y'] + box['height']:.0f} px, "
                f"below the first screen of {height} px")
    screenshot(page, f"dashboard-first-screen-{width}x{height}-{lang}")
    assert_no_exception(page)
