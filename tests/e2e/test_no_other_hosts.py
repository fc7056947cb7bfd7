"""An anonymous respondent's browser talks to our server only: no font, icon, favicon or script
from another host, from the first page to the thank-you page (and the sign-in page likewise)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .support import (
    answer_section,
    expect_thanks,
    goto,
    next_step,
    questionnaire,
    seed_round,
    start_survey,
)

pytestmark = pytest.mark.e2e


def test_the_survey_and_sign_in_fetch_nothing_from_another_host(server, new_page):
    q = questionnaire()
    seeded = seed_round(server.db_path, "Eigen Server BV", 1)
    page = new_page(phone=True, signed_in=False)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    goto(page, f"{server.url}/?token={seeded.tokens[0]}")
    start_survey(page)
    for index in range(len(q.sections)):
        answer_section(page, q, index)
        next_step(page)
    page.get_by_role("button", name="Versturen", exact=True).click()
    expect_thanks(page)
    goto(page, server.url)  # the sign-in page a visitor without a link sees
    page.wait_for_timeout(1000)  # favicon and late fonts
    assert hosts - {"127.0.0.1", ""} == set(), hosts
