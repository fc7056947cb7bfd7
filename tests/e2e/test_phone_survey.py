"""The survey on a 390×844 phone, measured: every step is a new page that opens at its top
with the section's heading on the screen; "Volgende" with a question left open puts the
message naming it at the top of the page, with the focus, and its link brings the open
question (outlined, saying so in words) onto the screen; the intro names the organisation
that asks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from assessment.i18n import t

from .support import (
    PHONE,
    answer_labels,
    answer_section,
    expect_thanks,
    next_step,
    pick,
    questionnaire,
    seed_round,
    start_survey,
    survey_button,
)

pytestmark = pytest.mark.e2e

ORG = "Thuiszorg Het Anker"
SCREEN_HEIGHT = PHONE["viewport"]["height"]
SKIPPED = 3  # the question left open in the first section


def assert_on_screen(locator: Locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what}: not rendered"
    assert 0 <= box["y"] and box["y"] + box["height"] <= SCREEN_HEIGHT, (
        f"{what} is off the screen: top {box['y']:.0f}, bottom {box['y'] + box['height']:.0f}")


@pytest.mark.parametrize("lang,locale", [("nl", "nl-BE"), ("en", "en-GB")])
def test_every_step_opens_at_its_heading_and_an_open_question_is_shown(
        server, new_page, lang, locale):
    q = questionnaire()
    seeded = seed_round(server.db_path, f"{ORG} {lang}", 1)
    page = new_page(phone=True, signed_in=False, locale=locale)
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    asked = t("survey.asked_by", lang, organisation=f"{ORG} {lang}").replace("**", "")
    expect(page.locator("main").get_by_text(asked)).to_be_visible()
    start_survey(page, lang)

    for index, section in enumerate(q.sections):
        title = page.get_by_role("heading", level=2, name=section.title(lang))
        expect(title).to_be_visible()
        assert page.evaluate("window.scrollY") == 0  # a new page: at its top
        assert_on_screen(title, f"heading of section {index + 1}")
        if index == 0:
            answer_section(page, q, 0, skip={SKIPPED}, lang=lang)
            next_step(page, lang)
            expect_open_question_shown(page, lang)
            pick(page, SKIPPED, answer_labels(q, section.items[SKIPPED - 1], lang)[1])
        else:
            answer_section(page, q, index, lang=lang)
        next_step(page, lang)

    about = page.get_by_role("heading", level=2, name=t("survey.about_you", lang))
    expect(about).to_be_visible()
    assert_on_screen(about, "heading of 'about you'")
    survey_button(page, t("survey.submit", lang))
    expect_thanks(page, lang)


def expect_open_question_shown(page: Page, lang: str) -> None:
    """After "Volgende" with question 3 open: the message at the top, focused; its link
    brings question 3 (outlined, with its text) onto the screen; no other question marked."""
    q = questionnaire()
    skipped = page.locator(f"#q-{q.sections[0].items[SKIPPED - 1].id}")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(t("survey.missing", lang, numbers=str(SKIPPED)))
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < page.locator("main fieldset").first.bounding_box()["y"]
    expect(skipped.get_by_text(t("survey.unanswered", lang))).to_be_visible()
    expect(skipped).to_have_css("border-top-style", "solid")
    expect(page.locator("fieldset.open")).to_have_count(1)
    summary.get_by_role("link").click()
    page.wait_for_timeout(200)
    assert_on_screen(skipped.locator("legend"), "the open question")
