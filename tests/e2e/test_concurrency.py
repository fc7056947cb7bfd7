"""Three employees answer the same round at the same time, each in their own browser context
(the survey's own HTML pages): every submit must arrive, none may be lost or refused.

One thread drives the three pages (Playwright's sync API must not be shared across threads):
their steps are interleaved, and the three "Versturen" buttons are clicked right after each
other without waiting, so the server runs the three submits concurrently."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from assessment.i18n import t
from assessment.packed_answers import ANSWERED
from assessment.rounds import get_round
from assessment.storage import connection
from tests.context import on

from .support import (
    answer_section,
    expect_thanks,
    questionnaire,
    seed_round,
    start_survey,
    survey_button,
)

pytestmark = [pytest.mark.e2e, pytest.mark.pg_smoke]  # also on the PostgreSQL pass

DEPARTMENTS = ("Productie", "Kantoor", "Logistiek")


def test_three_employees_submit_at_once(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Gelijktijdig NV", 3, departments=DEPARTMENTS)
    pages = [new_page(phone=True) for _ in seeded.tokens]
    for page, token in zip(pages, seeded.tokens, strict=True):
        page.goto(f"{server.url}/s/{token}")
        expect(page.get_by_role("heading", level=1, name=q.title("nl"))).to_be_visible()
    for page in pages:
        start_survey(page)

    for index in range(len(q.sections)):
        for page in pages:
            answer_section(page, q, index)
        for page in pages:  # the three posts overlap on the server
            survey_button(page, t("survey.next", "nl"))
    label = next(b.label("nl") for b in q.background if b.id == "department")
    for page, department in zip(pages, DEPARTMENTS, strict=True):
        expect(page.get_by_role("heading", name=t("survey.about_you", "nl"))).to_be_visible()
        page.locator("main").get_by_label(label).select_option(label=department)

    for page in pages:
        survey_button(page, t("survey.submit", "nl"))
    for page in pages:
        expect_thanks(page)

    assert get_round(on(server.db_path), seeded.round_id).responses == 3
    with connection(server.db_path) as conn:
        used = conn.execute("select used, count(*) from invitations where round_id = ? "
                            "group by used", [seeded.round_id]).fetchall()
        departments = conn.execute(
            "select d.name from responses r join departments d on d.id = r.department_id "
            "where r.round_id = ?", [seeded.round_id]).fetchall()
        answers = conn.execute(
            f"select {ANSWERED} from responses where round_id = ?", [seeded.round_id]).fetchone()[0]
    assert used == [(1, 3)]
    assert Counter(name for (name,) in departments) == Counter(DEPARTMENTS)
    assert answers == 3 * len(q.items)
