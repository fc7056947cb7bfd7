"""Shared helpers of the browser tests: the Streamlit server, waiting for a script run,
widget helpers for Streamlit 1.67's DOM, the survey walk-through and seeding through the
domain API."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from assessment.access import PLATFORM_ADMIN
from assessment.accounts import create_account, list_usernames
from assessment.i18n import t
from assessment.organisations import create_organisation
from assessment.questionnaire import Questionnaire, load_employee_questionnaire
from assessment.rounds import create_invitations, open_round
from assessment.storage import init_db, write_transaction
from assessment.ui.auth import COOKIE
from tests.context import on

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
HEALTH_DEADLINE_S = 60.0
RUN_TIMEOUT_MS = 30_000  # a script run on 2 busy cores (cold pandas/plotly import included)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                               "wcag22aa"]}, "resultTypes": ["violations"]}
# Streamlit's own sidebar navigation: a <ul> whose section headings are <div>s holding the <li>s
# (axe-core's "list" and "listitem"), markup the app does not write. Everything else is checked.
STREAMLIT_NAV = "[data-testid='stSidebarNavItems']"


def accessible(page: Page, name: str) -> None:
    """axe-core on the page as it is (Streamlit's navigation aside): no WCAG 2.2 A/AA violation."""
    results = Axe().run(page, context={"exclude": [[STREAMLIT_NAV]]}, options=WCAG)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def chromium_path() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the server ------------------------------------------------------------------------------


@dataclass
class StreamlitServer:
    """``streamlit run app.py`` on a free port against its own database file."""

    db_path: Path
    port: int = field(default_factory=free_port)
    with_admin: bool = True  # a test platform admin whose cookie new_page() sets
    process: subprocess.Popen | None = None
    _log: object = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StreamlitServer:
        if self.with_admin:
            grant_admin(self.db_path)
        env = {**os.environ, "WERKBAAR_DB": str(self.db_path), "WERKBAAR_BASE_URL": self.url,
               "PYTHONUNBUFFERED": "1"}
        # A file, not a PIPE: nobody reads a pipe while the tests run, and a full pipe
        # blocks the server.
        self._log = tempfile.TemporaryFile(mode="w+b")
        self.process = subprocess.Popen(
            # as `werkbaar run` starts it: Streamlit's command line, TCP_NODELAY on its socket
            [sys.executable, "-m", "serve", "run", "app.py",
             "--server.headless=true",
             f"--server.port={self.port}", "--server.address=127.0.0.1",
             "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + HEALTH_DEADLINE_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n"
                                   + self.log())
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"streamlit not healthy after {HEALTH_DEADLINE_S:.0f} s:\n"
                                   + self.log())
            time.sleep(0.2)

    def log(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


# --- signing in ------------------------------------------------------------------------------

ADMIN = "e2e-admin"
ADMIN_TOKEN = secrets.token_urlsafe(32)  # one for the whole test run, valid on every server


def grant_admin(db_path: Path) -> None:
    """A platform admin on ``db_path`` with a live session for :data:`ADMIN_TOKEN`, so a
    browser context that carries it as its ``werkbaar_session`` cookie is signed in (the way a
    browser is after signing in and reloading). Tests of the sign-in itself use the form."""
    init_db(db_path)
    if ADMIN in list_usernames(on(db_path)):
        return
    account_id = create_account(on(db_path), ADMIN, "e2e-password-1", PLATFORM_ADMIN)
    now = datetime.now(UTC)
    with write_transaction(db_path) as db:
        db["sessions"].insert({
            "token_hash": hashlib.sha256(ADMIN_TOKEN.encode()).hexdigest(),
            "account_id": account_id, "started_at": now.isoformat(timespec="seconds"),
            "last_seen_at": now.isoformat(timespec="seconds"),
            "expires_at": (now + timedelta(days=1)).isoformat(timespec="seconds"),
        })


def admin_cookie() -> dict:
    return {"name": COOKIE, "value": ADMIN_TOKEN, "domain": "127.0.0.1", "path": "/"}


def sign_in(page: Page, username: str, password: str, lang: str = "nl") -> None:
    """Fill in and send the sign-in form (the page must show it), then wait for its outcome:
    the session cookie of a sign-in, or the form's error message."""
    main(page).get_by_label(t("auth.username", lang)).fill(username)
    main(page).get_by_label(t("auth.password", lang), exact=True).fill(password)
    main(page).get_by_role("button", name=t("auth.sign_in", lang), exact=True).click()
    # the click's run must have started before its end is awaited: the previous attempt's
    # error stays on the page until then, and a next attempt sent while this one still hashed
    # was refused as busy by the gate's per-name budget (seen once on the PostgreSQL pass)
    try:
        page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(
            state="attached", timeout=5_000)
    except PlaywrightTimeoutError:
        pass  # it started and ended between two looks: its outcome is on the page
    settle(page)
    wait_for_sign_in(page)


def has_session_cookie(page: Page) -> bool:
    return any(c["name"] == COOKIE and c["value"] for c in page.context.cookies())


def wait_for_sign_in(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the browser holds the session cookie of a sign-in or the form shows its error.
    The app writes the cookie with a script element in the run after a sign-in's rerun; a test
    that opens another URL before that script ran lands on the sign-in page (seen under load in
    CI twice: once after waiting for the signed-in sidebar, once when the sign-in button was
    still on the page when the click's run ended). A person takes longer than that to click."""
    error = main(page).get_by_test_id("stAlertContentError")
    deadline = time.monotonic() + timeout / 1000
    while not has_session_cookie(page) and not error.count():
        if time.monotonic() > deadline:
            raise AssertionError("neither a session cookie nor an error after signing in")
        page.wait_for_timeout(100)


def sign_out(page: Page, lang: str = "nl") -> None:
    sidebar(page).get_by_role("button", name=t("auth.sign_out", lang)).click()
    settle(page)


# --- waiting for Streamlit -------------------------------------------------------------------


def wait_for_run(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the page is connected, its script run has finished and nothing is still
    a skeleton placeholder (the selectors of Streamlit's own e2e suite).

    After a click the run may not have started yet when this is called; pair it with an
    ``expect`` on what the run should show."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def settle(page: Page, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait for the run a click has just triggered: give it a moment to start, then wait for
    the end and for stale elements from the previous run to be gone."""
    page.wait_for_timeout(150)
    wait_for_run(page, timeout)
    expect(page.locator("[data-testid='stElementContainer'][data-stale='true']")).to_have_count(
        0, timeout=timeout)


def goto(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_run(page)


def key_figures(scope: Page | Locator) -> Locator:
    """The values of the key figures (:func:`assessment.ui.key_figure`) in ``scope`` (a
    page: its main area)."""
    root = main(scope) if isinstance(scope, Page) else scope
    return root.get_by_test_id("stMarkdownContainer").locator("h3")


def key_figure(scope: Page | Locator, label: str) -> Locator:
    """The value of the key figure labelled ``label`` in ``scope`` (a page: its main area)."""
    root = main(scope) if isinstance(scope, Page) else scope
    exact = re.compile(rf"^{re.escape(label)}$")
    return root.get_by_test_id("stMarkdownContainer").filter(
        has=root.page.locator("p").filter(has_text=exact)).locator("h3")


def assert_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def heading(scope: Page | Locator, text: str) -> Locator:
    """The heading ``text`` in ``scope`` (a page: its main area)."""
    scope = main(scope) if isinstance(scope, Page) else scope
    return scope.get_by_role("heading", name=text, exact=True)


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def choose(scope: Page | Locator, label: str, option: str | re.Pattern) -> None:
    """Pick an option in a Streamlit 1.67 selectbox (a react-aria combobox) by its text."""
    page = scope.page if isinstance(scope, Locator) else scope
    box = scope.get_by_role("combobox", name=label, exact=True)
    box.click()
    target = page.get_by_role("listbox").get_by_role("option", name=option)
    if isinstance(option, str):
        try:
            target.wait_for(timeout=3_000)
        except PlaywrightTimeoutError:  # a long list renders only the options in view, and a
            box.fill("")  # list may stay closed: typing filters and opens it
            box.press_sequentially(option)
    target.click()
    expect(page.get_by_role("listbox")).to_have_count(0)


def nav(page: Page, label: str) -> None:
    """Go to another page through the sidebar navigation, as a user does."""
    sidebar(page).get_by_test_id("stSidebarNavLink").filter(has_text=label).click()
    settle(page)


# --- the survey ------------------------------------------------------------------------------


def questionnaire() -> Questionnaire:
    return load_employee_questionnaire()


def answer_labels(q: Questionnaire, item, lang: str = "nl") -> list[str]:
    return [label(lang) for label in q.answer_scales[item.answer_scale].labels]


def pick_radio_option(page: Page, number: int, label: str) -> None:
    """On a Streamlit page (the employer's self-assessment): click the label of one option of
    the ``number``-th (1-based) radio group in the main area."""
    radio = main(page).get_by_test_id("stRadio").nth(number - 1)
    radio.get_by_test_id("stRadioOption").filter(
        has_text=re.compile(rf"^{re.escape(label)}$")).click()


def pick(page: Page, number: int, label: str) -> None:
    """On the survey's pages: check one option (by its label) of the ``number``-th (1-based)
    question on screen."""
    page.locator("main fieldset").nth(number - 1).get_by_label(label, exact=True).check()


def answer_value(item_index: int) -> int:
    """A deterministic, varied answer (1..5) for the n-th item of the questionnaire."""
    return item_index % 5 + 1


def answer_section(page: Page, q: Questionnaire, section_index: int, *,
                   skip: set[int] = frozenset(), lang: str = "nl") -> dict[str, int]:
    """Answer every question of the section on screen (except the 1-based numbers in
    ``skip``); returns item id → value given."""
    section = q.sections[section_index]
    expect(page.get_by_role("heading", level=2, name=section.title(lang))).to_be_visible()
    expect(page.locator("main fieldset")).to_have_count(len(section.items))
    offset = sum(len(s.items) for s in q.sections[:section_index])
    given = {}
    for number, item in enumerate(section.items, 1):
        if number in skip:
            continue
        value = answer_value(offset + number)
        pick(page, number, answer_labels(q, item, lang)[value - 1])
        given[item.id] = value
    return given


def checked_labels(page: Page) -> list[str | None]:
    """Per question on screen, the label of the chosen option (``None`` when unanswered)."""
    out = []
    for fieldset in page.locator("main fieldset").all():
        chosen = fieldset.locator("label:has(input:checked)")
        out.append(chosen.inner_text().strip() if chosen.count() else None)
    return out


def click_button(page: Page, name: str) -> None:
    main(page).get_by_role("button", name=name, exact=True).click()


def survey_button(page: Page, name: str) -> None:
    """A button of the survey's own pages (plain HTML: no Streamlit run to wait for; the next
    ``expect`` waits for the page the form posts to)."""
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def start_survey(page: Page, lang: str = "nl") -> None:
    survey_button(page, t("survey.start", lang))


def next_step(page: Page, lang: str = "nl") -> None:
    survey_button(page, t("survey.next", lang))


def expect_thanks(page: Page, lang: str = "nl", timeout: int = RUN_TIMEOUT_MS) -> None:
    expect(page.get_by_role("heading", level=1, name=t("survey.thanks_title", lang)))\
        .to_be_visible(timeout=timeout)
    expect(page.locator("main").get_by_text(t("survey.thanks", lang))).to_be_visible()


# --- seeding through the domain API ----------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    organisation_id: int
    round_id: int
    tokens: list[str]


def seed_round(db_path: Path, name: str, tokens: int,
               departments: tuple[str, ...] = ("Productie", "Kantoor")) -> Seeded:
    init_db(db_path)
    org_id = create_organisation(on(db_path), name, "C", "10", 25, list(departments))
    round_id = open_round(on(db_path), org_id, f"Bevraging {name}", date.today(),
                          date.today() + timedelta(days=14), questionnaire())
    return Seeded(org_id, round_id, create_invitations(on(db_path), round_id, tokens))


_CONTENT_HEIGHT_JS = """() => Math.max(
    ...['stMain', 'stSidebarContent'].map(id => {
        const el = document.querySelector(`[data-testid='${id}']`);
        return el ? el.scrollHeight : 0;
    }),
    document.documentElement.scrollHeight)"""


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as ``test-artifacts/screens/<name>.png``.

    Streamlit scrolls inside ``stMain`` rather than the document, so ``full_page=True`` alone
    captures one screen: the viewport is stretched to the content's height for the shot."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(_CONTENT_HEIGHT_JS)
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(300)  # let plotly and the layout follow the new size
        wait_for_run(page)
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if size:
            page.set_viewport_size(size)
    return path
