"""One employee filling in the survey on a phone in Chromium, as the capacity test
(``benchmarks/capacity.py``) runs many at once: open the link, start, answer every section
(think time per section), pick a department, sometimes write an open answer, send; each step
timed from the tap until the next page is drawn (Streamlit's own e2e selectors say when a run
has ended), and any error shown on the page is a finding.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from capacity_data import DEPARTMENTS, OPEN_ANSWERS
from playwright.async_api import Browser, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from assessment.i18n import t
from assessment.questionnaire import Questionnaire

LANG = "nl"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# One script run has ended on the page: connected, not running, no skeleton or stale element
# left (the selectors of Streamlit's own e2e suite). Returns "error: ..." when the page shows
# an exception or an error message, the target's name when the target is drawn, else false.
DRAWN_JS = """([kind, text, radios]) => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']");
    if (!app || !main) return false;
    const failed = main.querySelector(
        "[data-testid='stException'], [data-testid='stAlertContentError']");
    if (failed) return "error: " + failed.innerText.trim().slice(0, 160);
    if (app.dataset.testConnectionState !== "CONNECTED"
        || app.dataset.testScriptState !== "notRunning"
        || document.querySelector("[data-testid='stSkeleton']")
        || document.querySelector("[data-testid='stElementContainer'][data-stale='true']"))
        return false;
    let found;
    if (kind === "button") {
        found = [...main.querySelectorAll("button")].some(b => b.innerText.trim() === text);
    } else {
        found = [...main.querySelectorAll("h1, h2, h3")].some(h => h.innerText.trim() === text);
    }
    if (!found) return false;
    if (radios && main.querySelectorAll("[data-testid='stRadio']").length !== radios)
        return false;
    return text;
}"""


# --------------------------------------------------------------------------- a respondent


@dataclass
class Walk:
    """What one respondent saw."""

    open_s: float | None = None
    steps_s: list[float] = field(default_factory=list)  # click → next section drawn
    submit_s: float | None = None  # click → thanks page
    error: str | None = None


async def drawn(page: Page, kind: str, text: str, radios: int = 0,
                timeout_s: float = 60.0) -> None:
    result = await page.wait_for_function(DRAWN_JS, arg=[kind, text, radios], polling=50,
                                          timeout=timeout_s * 1000)
    value = await result.json_value()
    if isinstance(value, str) and value.startswith("error: "):
        raise RuntimeError(f"the page shows an error while waiting for {text!r}: {value[7:]}")


async def choose(option: Locator, attempts: int = 3) -> None:
    """Click a radio option until the browser shows it chosen: on a loaded machine a click can
    land while Streamlit redraws the section after the previous answer and be lost, which
    would leave a question unanswered and the step refused (a harness fault, not the app's)."""
    for _ in range(attempts):
        await option.click()
        try:
            await option.locator("input:checked").wait_for(state="attached", timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise RuntimeError(f"an answer was not taken after {attempts} clicks")


async def respond(browser: Browser, url: str, token: str, q: Questionnaire, rng: random.Random,
                  think: tuple[float, float], timeout_s: float) -> Walk:
    """One employee on a phone: open the link, start, answer every section (think time per
    section), pick a department, sometimes write an open answer, send."""
    walk = Walk()
    context = await browser.new_context(**PHONE, locale="nl-BE")
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    where = "opening the link"
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/?token={token}")
        await drawn(page, "button", t("survey.start", LANG), timeout_s=timeout_s)
        walk.open_s = time.perf_counter() - start
        main = page.get_by_test_id("stMain")
        await asyncio.sleep(rng.uniform(*think))
        where = "starting"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.start", LANG), exact=True).click()
        for index, section in enumerate(q.sections):
            await drawn(page, "heading", section.title(LANG), len(section.items), timeout_s)
            walk.steps_s.append(time.perf_counter() - start)
            where = f"section {index + 1}"
            radios = main.get_by_test_id("stRadio")
            for number in range(len(section.items)):
                option = radios.nth(number).get_by_test_id("stRadioOption").nth(rng.randrange(5))
                await choose(option)
            await asyncio.sleep(rng.uniform(*think))
            start = time.perf_counter()
            await main.get_by_role("button", name=t("survey.next", LANG), exact=True).click()
        await drawn(page, "heading", t("survey.about_you", LANG), timeout_s=timeout_s)
        walk.steps_s.append(time.perf_counter() - start)
        where = "about you"
        label = next(b.label(LANG) for b in q.background if b.id == "department")
        await main.get_by_role("combobox", name=label, exact=True).click()
        await page.get_by_role("listbox").get_by_role(
            "option", name=rng.choice(DEPARTMENTS), exact=True).click()
        if rng.random() < 0.3:
            await main.get_by_label(q.open_question.label(LANG), exact=True).fill(
                rng.choice(OPEN_ANSWERS))
        await asyncio.sleep(rng.uniform(*think))
        where = "sending"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.submit", LANG), exact=True).click()
        await drawn(page, "heading", t("survey.thanks_title", LANG), timeout_s=timeout_s)
        walk.submit_s = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001 - every failure is a finding of the run
        first_line = (str(error).strip().splitlines() or [""])[0]
        walk.error = f"{where}: {type(error).__name__}: {first_line[:200]}"
    finally:
        await context.close()
    return walk
