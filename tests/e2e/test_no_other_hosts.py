"""An anonymous respondent's browser talks to our server only: no font, icon, favicon, script
from another host, during a whole survey on a phone — the intro, every
section (a question left open and the message it brings, a step back), the questions about
oneself, sending, the thank-you page — in Dutch and English, and on the sign-in page likewise.

Every request Chromium makes (page.on("request"): documents, scripts, styles, fonts, images,
the favicon, XHR) and every WebSocket it opens is recorded with its full address; each must go
to 127.0.0.1. Addresses without a host (``data:``, ``blob:``) never leave the browser."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from assessment.i18n import t

from .support import (
    answer_labels,
    answer_section,
    expect_thanks,
    goto,
    next_step,
    pick,
    questionnaire,
    seed_round,
    start_survey,
    survey_button,
)

pytestmark = pytest.mark.e2e
IN_BROWSER = ("data", "blob", "about")  # schemes that fetch nothing from any host


def record(page: Page) -> list[str]:
    """Every address ``page`` requests or opens a WebSocket to, from now on."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))
    return seen


def elsewhere(urls: list[str]) -> list[str]:
    return [url for url in urls if urlsplit(url).scheme not in IN_BROWSER
            and urlsplit(url).hostname != "127.0.0.1"]


@pytest.mark.parametrize("lang,locale", [("nl", "nl-BE"), ("en", "en-GB")])
def test_a_whole_survey_requests_nothing_from_another_host(server, new_page, lang, locale):
    q = questionnaire()
    seeded = seed_round(server.db_path, f"Eigen Server BV {lang}", 1)
    page = new_page(phone=True, signed_in=False, locale=locale)
    seen = record(page)
    page.goto(f"{server.url}/?token={seeded.tokens[0]}")  # an old link, sent on
    start_survey(page, lang)
    for index, section in enumerate(q.sections):
        if index == 0:  # a question left open: the message, the mark, the scroll
            answer_section(page, q, 0, skip={2}, lang=lang)
            next_step(page, lang)
            pick(page, 2, answer_labels(q, section.items[1], lang)[0])
        else:
            answer_section(page, q, index, lang=lang)
        next_step(page, lang)
    survey_button(page, t("survey.back", lang))  # a step back and forward again
    next_step(page, lang)
    survey = page.locator("main")
    survey.get_by_label(next(b.label(lang) for b in q.background if b.id == "department"))\
        .select_option(label="Kantoor")
    survey.get_by_label(q.open_question.label(lang), exact=True).fill("Meer overleg")
    survey_button(page, t("survey.submit", lang))
    expect_thanks(page, lang)
    page.wait_for_timeout(1500)  # the favicon and late fonts
    assert any(url.startswith(server.url) for url in seen), "nothing was recorded"
    assert not any(url.startswith("ws") for url in seen), "the survey needs no WebSocket"
    assert not any("/static/" in url for url in seen), "nothing of Streamlit's front end"
    assert elsewhere(seen) == [], elsewhere(seen)


def test_the_sign_in_page_requests_nothing_from_another_host(server, new_page):
    page = new_page(signed_in=False)
    seen = record(page)
    goto(page, server.url)  # the sign-in page a visitor without a link sees
    page.wait_for_timeout(1500)
    assert any(url.startswith(server.url) for url in seen), "nothing was recorded"
    assert elsewhere(seen) == [], elsewhere(seen)
