"""The survey on a 390×844 phone, measured: after every "Volgende" the next section's heading
is on the screen (not scrolled away above it, as when the page kept the previous section's
scroll position); a question left open is outlined, says so in words and is scrolled to, with
the message naming it at the top of the section; Streamlit's English input hints never show;
the intro names the organisation that asks. Screenshots of every state in Dutch and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from assessment.i18n import t

from .support import (
    PHONE,
    answer_labels,
    answer_section,
    assert_no_exception,
    click_button,
    expect_thanks,
    goto,
    heading,
    main,
    next_step,
    pick,
    questionnaire,
    screenshot,
    seed_round,
    start_survey,
)

pytestmark = pytest.mark.e2e

ORG = "Thuiszorg Het Anker"
SCREEN_HEIGHT = PHONE["viewport"]["height"]
SKIPPED = 3  # the question left open in the first section


def header_bottom(page: Page) -> float:
    """Where Streamlit's fixed top bar ends: content above it is hidden behind it."""
    box = page.get_by_test_id("stHeader").bounding_box()
    return box["y"] + box["height"] if box else 0.0


def assert_on_screen(page: Page, locator: Locator, what: str) -> None:
    """``locator``'s top lies below the top bar and its bottom within the 844 px screen."""
    page.wait_for_timeout(400)  # the scroll runs after the page has drawn
    box = locator.bounding_box()
    assert box is not None, f"{what}: not rendered"
    top, bottom = box["y"], box["y"] + box["height"]
    assert header_bottom(page) - 1 <= top and bottom <= SCREEN_HEIGHT, (
        f"{what} is off the screen: top {top:.0f}, bottom {bottom:.0f} (screen 0–"
        f"{SCREEN_HEIGHT}, top bar to {header_bottom(page):.0f})")


@pytest.mark.parametrize("lang,locale", [("nl", "nl-BE"), ("en", "en-GB")])
def test_every_step_opens_at_its_heading_and_an_open_question_is_shown(
        server, new_page, lang, locale):
    q = questionnaire()
    seeded = seed_round(server.db_path, f"{ORG} {lang}", 1)
    page = new_page(phone=True, signed_in=False, locale=locale)
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")

    asked = t("survey.asked_by", lang, organisation=f"{ORG} {lang}").replace("**", "")
    expect(main(page).get_by_text(asked)).to_be_visible()
    assert_no_exception(page)
    screenshot(page, f"survey-intro-{lang}-phone")
    start_survey(page, lang)

    for index, section in enumerate(q.sections):
        assert_on_screen(page, heading(page, section.title(lang)), f"heading of section {index+1}")
        if index == 0:
            answer_section(page, q, 0, skip={SKIPPED}, lang=lang)
            next_step(page, lang)
            expect_open_question_shown(page, lang)
            screenshot(page, f"survey-missing-{lang}-phone")
            pick(page, SKIPPED, answer_labels(q, section.items[SKIPPED - 1], lang)[1])
            page.wait_for_timeout(200)
            picked = question(page, section.items[SKIPPED - 1].id)
            expect(picked).to_have_css("outline-style", "none")  # picked: the mark goes
            expect(picked.get_by_text(t("survey.unanswered", lang))).to_be_hidden()  # at once
            expect(picked.get_by_test_id("stRadio")).to_be_visible()
        else:
            answer_section(page, q, index, lang=lang)
        if index == 1:
            screenshot(page, f"survey-section-{lang}-phone")
        next_step(page, lang)

    about = heading(page, t("survey.about_you", lang))
    assert_on_screen(page, about, "heading of 'about you'")
    open_answer = main(page).get_by_label(q.open_question.label(lang), exact=True)
    open_answer.fill("Meer overleg")  # focused and typed in: where Streamlit shows its hint
    hints = main(page).get_by_test_id("InputInstructions")
    expect(hints).to_have_count(1)  # Streamlit rendered its hint ...
    expect(hints).to_be_hidden()  # ... and the respondent does not see it
    assert "Enter" not in main(page).inner_text()
    click_button(page, t("survey.submit", lang))
    expect_thanks(page, lang)
    assert_no_exception(page)
    screenshot(page, f"survey-thanks-{lang}-phone")


def question(page: Page, item_id: str) -> Locator:
    return main(page).locator(f".st-key-werkbaar-{item_id}")


def expect_open_question_shown(page: Page, lang: str) -> None:
    """After "Volgende" with question 3 open: the message at the top of the section (above
    the first question), question 3 outlined with its text, on the screen."""
    q = questionnaire()
    skipped = question(page, q.sections[0].items[SKIPPED - 1].id)
    message = main(page).get_by_test_id("stAlertContentError").filter(
        has_text=t("survey.missing", lang, numbers=str(SKIPPED)))
    expect(message).to_be_visible()
    assert message.bounding_box()["y"] < main(page).get_by_test_id("stRadio").first.bounding_box(
        )["y"], "the message is not at the top of the section"
    expect(skipped.get_by_text(t("survey.unanswered", lang))).to_be_visible()
    expect(skipped).to_have_css("outline-style", "solid")
    for number, item in enumerate(q.sections[0].items, 1):
        if number != SKIPPED:  # only the open one is marked
            expect(question(page, item.id)).to_have_css("outline-style", "none")
    assert_on_screen(page, skipped.get_by_test_id("stRadio"), "the open question")
