"""The catalogue's texts as a user reads them, in a real browser, in Dutch and English: on the
outplacement check the 45+ regime says once, plainly, what could not be confirmed in an
official source, and no editor's note ("moet nog … bevestigd worden", "background
knowledge"…) reaches the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.provenance import INTERNAL_PHRASES

from .support import (
    assert_no_exception,
    click_button,
    goto,
    main,
    nav,
    screenshot,
    settle,
    sidebar,
)
from .support_improve import card, catalogue, fill, heading, measure_name, pick_radio

pytestmark = pytest.mark.e2e

REGIME_45 = "outplacement_45plus"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_outplacement_card_says_what_could_not_be_confirmed(server, new_page, lang):
    page = new_page()
    goto(page, server.url)
    if lang == "en":
        sidebar(page).get_by_test_id("stButtonGroup").get_by_role("radio", name="English")\
            .click()
        settle(page)
    nav(page, t("nav.outplacement", lang))
    expect(heading(page, t("out.title", lang))).to_be_visible()
    pick_radio(page, t("out.kind", lang), t("dismissal.individual", lang))
    fill(page, t("out.age", lang), 45)
    fill(page, t("out.notice", lang), 29)
    fill(page, t("out.seniority", lang), 5)
    pick_radio(page, t("out.employer", lang), t("employer.private", lang))
    click_button(page, t("out.check", lang))
    settle(page)

    regime = card(page, measure_name(REGIME_45, lang))
    expect(regime).to_have_count(1)
    unverified = catalogue()[REGIME_45].unverified(lang)
    expect(regime).to_contain_text(unverified)
    assert regime.inner_text().count(unverified) == 1  # said once
    text = main(page).inner_text()
    for phrase in INTERNAL_PHRASES:
        assert not re.search(phrase, text, re.IGNORECASE), phrase
    assert_no_exception(page)
    screenshot(page, f"outplacement-unverified-{lang}")
