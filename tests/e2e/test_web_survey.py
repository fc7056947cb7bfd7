"""The employee survey's HTML pages (issue 25) in Chromium: on a phone in Dutch and English,
axe-core finds no WCAG 2.2 A/AA violation on any page; every answer target is at least 44 px
high; the whole survey works by keyboard alone and with JavaScript switched off; a screenshot
of every page on a phone is kept in ``test-artifacts/screens/``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.rounds import create_invitations, open_round
from assessment.storage import connection
from tests.context import on

from .support import PHONE, SCREENS, accessible

pytestmark = pytest.mark.e2e
Q = load_employee_questionnaire()


@pytest.fixture(scope="module")
def survey_round(server):
    org = create_organisation(on(server.db_path), "Zorg Noord", "Q", "87", 60, ["Thuiszorg",
                                                                                "Kantoor"])
    return open_round(on(server.db_path), org, "Bevraging", date.today() - timedelta(days=1),
                      date.today() + timedelta(days=14), Q)


@pytest.fixture(scope="module")
def tokens(server, survey_round):
    return iter(create_invitations(on(server.db_path), survey_round, 20))


def stored(server) -> int:
    with connection(server.db_path) as db:
        return db.execute("select count(*) from responses").fetchone()[0]


def screenshot(page: Page, name: str) -> None:
    """The whole page (a plain document: ``full_page`` is enough) in test-artifacts/screens/."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def targets_are_large(page: Page) -> None:
    for box in (label.bounding_box() for label in page.locator("fieldset label").all()):
        assert box and box["height"] >= 44, box


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_whole_survey_on_a_phone_is_accessible_and_stores_one_response(
        server, tokens, browser, lang):
    context = browser.new_context(**PHONE, locale="en-GB" if lang == "en" else "nl-BE")
    page = context.new_page()
    before = stored(server)
    token = next(tokens)
    page.goto(f"{server.url}/s/{token}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_be_focused()  # focus on the new page
    accessible(page, "intro")
    screenshot(page, f"web-survey-intro-{lang}")
    page.get_by_role("button", name=t("survey.start", lang)).click()
    page.get_by_role("button", name=t("survey.next", lang)).click()  # nothing answered
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    accessible(page, "open questions")
    screenshot(page, f"web-survey-missing-{lang}")
    summary.get_by_role("link").click()
    first = Q.sections[0].items[0]
    expect(page.locator(f"#q-{first.id}")).to_be_in_viewport()
    for number, section in enumerate(Q.sections, 1):
        expect(page.get_by_role("heading", level=2, name=section.title(lang))).to_be_visible()
        targets_are_large(page)
        for item in section.items:
            page.get_by_role("group", name=item.text(lang)).get_by_role("radio").nth(3).check()
        if number == 1:
            accessible(page, "a section")
            screenshot(page, f"web-survey-section-{lang}")
        page.get_by_role("button", name=t("survey.next", lang)).click()
    expect(page.get_by_role("heading", level=2, name=t("survey.about_you", lang))).to_be_visible()
    accessible(page, "about you")
    screenshot(page, f"web-survey-about-you-{lang}")
    page.get_by_label(Q.open_question.label(lang)).fill("Meer overleg in het team.")
    page.get_by_role("button", name=t("survey.submit", lang)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("survey.thanks_title", lang))
    accessible(page, "thanks")
    screenshot(page, f"web-survey-thanks-{lang}")
    assert "/s/thanks" in page.url and stored(server) == before + 1
    assert token not in server.log()  # no access log line holds the link
    context.close()


def tab_to(page: Page, target, most: int = 12) -> None:
    """Press Tab until ``target`` has the focus (at most ``most`` times)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError("Tab never reached the element")


def test_by_keyboard_alone(server, tokens, browser):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    before = stored(server)
    page.goto(f"{server.url}/s/{next(tokens)}")
    start = page.get_by_role("button", name=t("survey.start", "nl"))
    tab_to(page, start)  # past the language link
    page.keyboard.press("Enter")
    for section in Q.sections:
        expect(page.get_by_role("heading", level=2, name=section.title("nl"))).to_be_visible()
        for _ in section.items:  # Tab to the question's first option, arrow to the second
            page.keyboard.press("Tab")
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name=t("survey.next", "nl"))).to_be_focused()
        page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name=t("survey.submit", "nl")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("survey.thanks_title", "nl"))
    assert stored(server) == before + 1
    context.close()


def test_without_javascript(server, tokens, browser):
    context = browser.new_context(java_script_enabled=False, locale="nl-BE", **PHONE)
    page = context.new_page()
    before = stored(server)
    page.goto(f"{server.url}/s/{next(tokens)}")
    page.get_by_role("button", name=t("survey.start", "nl")).click()
    for section in Q.sections:
        for item in section.items:
            page.get_by_role("group", name=item.text("nl")).get_by_role("radio").first.check()
        page.get_by_role("button", name=t("survey.next", "nl")).click()
    page.get_by_role("button", name=t("survey.back", "nl")).click()  # back keeps answers
    last = Q.sections[-1].items[0]
    expect(page.get_by_role("group", name=last.text("nl")).get_by_role("radio").first)\
        .to_be_checked()
    page.get_by_role("button", name=t("survey.next", "nl")).click()
    page.get_by_role("button", name=t("survey.submit", "nl")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("survey.thanks_title", "nl"))
    assert stored(server) == before + 1
    context.close()


def test_the_accessibility_check_finds_what_it_should(browser):
    """The check above is not vacuous: a page with an unlabelled radio, an image without text
    and no language fails it."""
    page = browser.new_page()
    page.set_content("<html><body><main><img src='x.png'><input type='radio' name='a'>"
                     "</main></body></html>")
    with pytest.raises(AssertionError) as failed:
        accessible(page, "broken")
    for rule in ("image-alt", "html-has-lang", "label"):
        assert rule in str(failed.value), rule
    page.close()


def test_a_slips_code_typed_on_a_phone(server, survey_round, browser):
    from assessment.codes import create_codes, grouped

    code = create_codes(on(server.db_path), survey_round, 1)[0]
    context = browser.new_context(**PHONE, locale="nl-BE")
    page = context.new_page()
    page.goto(f"{server.url}/s/code?lang=en")
    accessible(page, "code entry (en)")
    screenshot(page, "web-survey-code-en")
    page.goto(f"{server.url}/s/code")
    accessible(page, "code entry")
    screenshot(page, "web-survey-code-nl")
    page.get_by_label(t("code.label", "nl")).fill("2222-3333-4444")  # a wrong one first
    page.get_by_role("button", name=t("code.open", "nl")).click()
    expect(page.locator(".error-summary")).to_contain_text(t("code.wrong", "nl"))
    accessible(page, "wrong code")
    screenshot(page, "web-survey-code-wrong-nl")
    page.get_by_label(t("code.label", "nl")).fill(grouped(code))
    page.get_by_role("button", name=t("code.open", "nl")).click()
    expect(page.get_by_role("button", name=t("survey.start", "nl"))).to_be_visible()
    context.close()


def test_the_server_killed_while_three_respondents_send_loses_nobody(server, survey_round,
                                                                      browser):
    """kill -9 of the app while three phones press "Versturen": each send either arrived or
    did not; after the restart every respondent reloads the page the browser shows ("This
    site can't be reached": a reload sends the same form again, answers and all), and exactly
    three responses are stored, each with all its answers."""
    tokens = create_invitations(on(server.db_path), survey_round, 3)
    contexts = [browser.new_context(**PHONE, locale="nl-BE") for _ in tokens]
    pages = [context.new_page() for context in contexts]
    for page, token in zip(pages, tokens, strict=True):
        page.goto(f"{server.url}/s/{token}")
        page.get_by_role("button", name=t("survey.start", "nl")).click()
        for section in Q.sections:
            for item in section.items:
                page.get_by_role("group", name=item.text("nl")).get_by_role("radio").nth(2)\
                    .check()
            page.get_by_role("button", name=t("survey.next", "nl")).click()
        expect(page.get_by_role("heading", name=t("survey.about_you", "nl"))).to_be_visible()
    before = stored(server)
    server.process.kill()  # SIGKILL: no shutdown of any kind
    server.process.wait(timeout=10)
    for page in pages:  # the sends go nowhere
        page.get_by_role("button", name=t("survey.submit", "nl")).click(no_wait_after=True)
    for page in pages:
        page.wait_for_load_state()
    server.start()
    for page in pages:
        if t("survey.thanks_title", "nl") not in page.content():
            page.reload()  # the browser sends the same form again
        expect(page.get_by_role("heading", level=1)).to_have_text(t("survey.thanks_title", "nl"))
    with connection(server.db_path) as db:
        answered = db.execute("select length(replace(answers, '0', '')) from responses "
                              "order by rowid desc limit 3").fetchall()
    assert stored(server) == before + 3
    assert [a for (a,) in answered] == [len(Q.items)] * 3
    for context in contexts:
        context.close()


def test_the_employer_pages_carry_the_security_headers_too(server):
    """The middleware wraps the whole app: Streamlit's page, its static files and health
    check answer with the same headers as the survey (their CSP allows what Streamlit needs,
    from our own host only)."""
    import re
    import urllib.request

    from assessment.web.headers import APP_CSP

    with urllib.request.urlopen(f"{server.url}/") as response:
        page, headers = response.read().decode(), response.headers
    script = re.search(r'src="(\./static/[^"]+\.js)"', page).group(1)
    for address in ("/", "/_stcore/health", "/" + script.removeprefix("./")):
        with urllib.request.urlopen(server.url + address) as response:
            headers = response.headers
        assert headers["Content-Security-Policy"] == APP_CSP, address
        assert headers["Referrer-Policy"] == "no-referrer", address
        assert headers["X-Frame-Options"] == "DENY", address
        assert headers["X-Content-Type-Options"] == "nosniff", address
