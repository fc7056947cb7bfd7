"""One employee filling in the survey on a phone in Chromium, as the capacity test
(``benchmarks/capacity.py``) runs many at once: open the link, start, answer every section
(think time per section), pick a department, sometimes write an open answer, send; each step
timed from the tap until the next page's heading is there (the survey's own HTML pages, one
page load per step), and any error shown on the page is a finding.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from capacity_data import DEPARTMENTS, OPEN_ANSWERS
from playwright.async_api import Browser, Page

from assessment.i18n import t
from assessment.questionnaire import Questionnaire

LANG = "nl"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# --------------------------------------------------------------------------- a respondent


@dataclass
class Walk:
    """What one respondent saw."""

    open_s: float | None = None
    steps_s: list[float] = field(default_factory=list)  # click → next section drawn
    submit_s: float | None = None  # click → thanks page
    error: str | None = None


async def drawn(page: Page, text: str, radios: int = 0) -> None:
    """The survey's next page is there: its heading ``text`` (and ``radios`` questions); an
    error summary on it is a finding."""
    main = page.locator("main")
    await main.get_by_text(text, exact=True).first.wait_for()
    if radios and await main.locator("fieldset").count() != radios:
        raise RuntimeError(f"{text!r} shows another number of questions than {radios}")
    failed = main.locator(".error-summary")
    if await failed.count():
        raise RuntimeError(f"the page shows an error: {(await failed.inner_text())[:160]}")


async def respond(browser: Browser, url: str, token: str, q: Questionnaire, rng: random.Random,
                  think: tuple[float, float], timeout_s: float) -> Walk:
    """One employee on a phone: open the link, start, answer every section (think time per
    section), pick a department, sometimes write an open answer, send. Every step is a page
    load of the survey's own HTML pages (``/s/<token>``), timed from the tap until the next
    page's heading is there."""
    walk = Walk()
    context = await browser.new_context(**PHONE, locale="nl-BE")
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    main = page.locator("main")
    where = "opening the link"
    try:
        start = time.perf_counter()
        await page.goto(f"{url}/s/{token}")
        await drawn(page, t("survey.start", LANG))
        walk.open_s = time.perf_counter() - start
        await asyncio.sleep(rng.uniform(*think))
        where = "starting"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.start", LANG), exact=True).click()
        for index, section in enumerate(q.sections):
            await drawn(page, section.title(LANG), len(section.items))
            walk.steps_s.append(time.perf_counter() - start)
            where = f"section {index + 1}"
            for fieldset in await main.locator("fieldset").all():
                await fieldset.get_by_role("radio").nth(rng.randrange(5)).check()
            await asyncio.sleep(rng.uniform(*think))
            start = time.perf_counter()
            await main.get_by_role("button", name=t("survey.next", LANG), exact=True).click()
        await drawn(page, t("survey.about_you", LANG))
        walk.steps_s.append(time.perf_counter() - start)
        where = "about you"
        label = next(b.label(LANG) for b in q.background if b.id == "department")
        await main.get_by_label(label, exact=True).select_option(label=rng.choice(DEPARTMENTS))
        if rng.random() < 0.3:
            await main.get_by_label(q.open_question.label(LANG), exact=True).fill(
                rng.choice(OPEN_ANSWERS))
        await asyncio.sleep(rng.uniform(*think))
        where = "sending"
        start = time.perf_counter()
        await main.get_by_role("button", name=t("survey.submit", LANG), exact=True).click()
        await drawn(page, t("survey.thanks_title", LANG))
        walk.submit_s = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001 - every failure is a finding of the run
        first_line = (str(error).strip().splitlines() or [""])[0]
        walk.error = f"{where}: {type(error).__name__}: {first_line[:200]}"
    finally:
        await context.close()
    return walk
