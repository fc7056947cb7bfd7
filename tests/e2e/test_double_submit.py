"""A double click on "Versturen" (send): the respondent sees the thank-you page, and exactly one
response is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.rounds import get_round
from tests.context import on

from .support import (
    RUN_TIMEOUT_MS,
    answer_section,
    next_step,
    questionnaire,
    seed_round,
    start_survey,
)

pytestmark = [pytest.mark.e2e, pytest.mark.pg_smoke]  # also on the PostgreSQL pass


def test_double_click_on_send_stores_one_response(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Dubbelklik BV", 1)
    page = new_page(phone=True)
    page.goto(f"{server.url}/s/{seeded.tokens[0]}")
    start_survey(page)
    for index in range(len(q.sections)):
        answer_section(page, q, index)
        next_step(page)
    page.locator("main").get_by_role("button", name=t("survey.submit", "nl"),
                                     exact=True).dblclick()
    # the browser shows the answer to whichever send came last: the thanks of the first, or
    # the second's, which says the answers were received once (never an error)
    expect(page.get_by_role("heading", level=1, name=t("survey.thanks_title", "nl")))\
        .to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.locator("main").get_by_text(t("survey.thanks", "nl")).or_(
        page.locator("main").get_by_text(t("invitation.sent_twice", "nl")))).to_be_visible()
    assert get_round(on(server.db_path), seeded.round_id).responses == 1
