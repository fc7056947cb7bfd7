"""French everywhere (issue 26), in Chromium: a phone set to French completes the whole survey
in French (switching language halfway without losing an answer), and the employer finds the
response in the French dashboard; Streamlit's pages say ``<html lang>`` as chosen, remember
the choice in the browser, and show no English text of Streamlit's own where we could replace
it. axe-core finds no violation on the French survey and no ``html-has-lang`` /
``html-lang-valid`` violation on Streamlit's pages."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from assessment.i18n import t
from assessment.responses import submit_response
from assessment.rounds import close_round
from assessment.storage import connection
from tests.context import on

from .support import (
    PHONE,
    accessible,
    answer_section,
    choose,
    goto,
    key_figure,
    main,
    nav,
    questionnaire,
    screenshot,
    seed_round,
    settle,
    sidebar,
)
from .test_web_survey import screenshot as survey_screenshot

pytestmark = pytest.mark.e2e
Q = questionnaire()
LANG_RULES = {"runOnly": {"type": "rule", "values": ["html-has-lang", "html-lang-valid",
                                                     "valid-lang"]}}


def fr(key: str, **params) -> str:
    return t(key, "fr", **params)


def lang_is_valid(page: Page) -> None:
    results = Axe().run(page, options=LANG_RULES)
    assert results.violations_count == 0, results.generate_report()


def test_the_whole_survey_in_french_on_a_phone_then_in_the_french_dashboard(
        server, browser, new_page):
    seeded = seed_round(server.db_path, "Soins Bruxelles", 5)
    for token in seeded.tokens[:4]:
        submit_response(on(server.db_path), token, Q, {i.id: 3 for i in Q.items}, lang="nl")
    context = browser.new_context(**PHONE, locale="fr-BE")
    phone = context.new_page()
    phone.goto(f"{server.url}/s/{seeded.tokens[4]}")  # no ?lang=: the browser says French
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.get_by_role("heading", level=1)).to_have_text(Q.title("fr"))
    accessible(phone, "intro in French")
    survey_screenshot(phone, "web-survey-intro-fr")
    phone.get_by_role("button", name=fr("survey.start")).click()
    for index in range(len(Q.sections)):
        given = answer_section(phone, Q, index, lang="fr")
        if index == 1:  # halfway: to English and back, every answer kept
            phone.get_by_role("button", name="English").click()
            expect(phone.locator("html")).to_have_attribute("lang", "en")
            answer_section(phone, Q, index, lang="en")  # the same step, in English
            phone.get_by_role("button", name="Français").click()
            expect(phone.get_by_role("heading", level=2)).to_have_text(
                Q.sections[index].title("fr"))
            checked = phone.locator("main fieldset input:checked")
            expect(checked).to_have_count(len(given))
            accessible(phone, "a section in French")
            survey_screenshot(phone, "web-survey-section-fr")
        phone.get_by_role("button", name=fr("survey.next")).click()
    expect(phone.get_by_role("heading", level=2, name=fr("survey.about_you"))).to_be_visible()
    phone.get_by_label(Q.open_question.label("fr")).fill("Plus de concertation.")
    phone.get_by_role("button", name=fr("survey.submit")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(fr("survey.thanks_title"))
    accessible(phone, "thanks in French")
    context.close()
    with connection(server.db_path) as db:
        assert sorted(r[0] for r in db.execute("select lang from responses")) == \
            ["fr", "nl", "nl", "nl", "nl"]
    close_round(on(server.db_path), seeded.round_id)

    employer = new_page(locale="fr-BE")
    goto(employer, server.url)
    expect(employer.locator("html")).to_have_attribute("lang", "fr")
    choose(sidebar(employer), fr("app.organisation"), "Soins Bruxelles")
    settle(employer)
    nav(employer, fr("nav.dashboard"))
    expect(main(employer).get_by_role("heading", name=fr("dash.title"))).to_be_visible()
    expect(key_figure(employer, fr("rounds.responses"))).to_have_text("5")
    lang_is_valid(employer)
    screenshot(employer, "dashboard-fr")


def test_streamlits_page_says_the_chosen_language_and_remembers_it(server, new_page):
    seed_round(server.db_path, "Atelier Namur", 3)  # an open round: the paper tab shows
    page = new_page(locale="nl-BE")
    first = page.goto(server.url)
    assert '<html lang="nl">' in first.text()  # as sent by the server, before any script
    settle(page)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_test_id("stSkipToContent")).to_have_text(t("app.skip_to_content", "nl"))
    sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="Français").click()
    settle(page)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_test_id("stSkipToContent")).to_have_text(fr("app.skip_to_content"))
    lang_is_valid(page)
    again = page.reload()  # a new session: the browser remembered French
    assert '<html lang="fr">' in again.text()
    settle(page)
    expect(main(page).get_by_role("heading", level=1).first).to_be_visible()
    expect(sidebar(page).get_by_role("radio", name="Français")).to_be_checked()
    choose(sidebar(page), fr("app.organisation"), "Atelier Namur")
    settle(page)
    nav(page, fr("nav.rounds"))
    main(page).get_by_role("tab", name=fr("channel.paper")).click()
    uploader = main(page).get_by_test_id("stFileUploaderDropzone")
    expect(uploader.get_by_test_id("stBaseButton-secondary")).to_have_accessible_name(
        fr("app.upload"))
    expect(uploader.get_by_test_id("stFileUploaderDropzoneInput")).to_have_attribute(
        "aria-label", fr("app.upload"))
    expect(main(page).get_by_test_id("stFileUploaderDropzoneInstructions")).to_contain_text(
        "par fichier")
    main(page).get_by_test_id("stExpander").filter(has_text=fr("rounds.new")).locator(
        "summary").first.click()  # the own questions' expander is inside it
    day = main(page).get_by_test_id("stDateInputField").first.get_by_role("spinbutton").first
    expect(day).to_have_attribute("aria-label", re.compile(f"^{fr('app.day')},"))
    expect(main(page).get_by_test_id("stDateInputCalendarButton").first).to_have_accessible_name(
        fr("app.choose_date"))
    screenshot(page, "rounds-paper-fr")
    nav(page, fr("nav.actions"))  # an empty date field: its parts in French
    empty = main(page).get_by_test_id("stDateInputField").first.get_by_role("spinbutton")
    expect(empty).to_have_text([fr("app.date_day"), fr("app.date_month"), fr("app.date_year")])
    expect(empty.first).to_have_attribute("aria-valuetext", fr("app.empty"))
    english = new_page(locale="en-GB")
    assert '<html lang="en">' in english.goto(server.url).text()
