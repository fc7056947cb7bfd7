"""Fixtures of the browser tests: a ``streamlit run`` server per test module (each with its own
database), one headless Debian chromium for the session, and browser contexts that are
screenshotted when a test fails. Each server's log is written to
``test-artifacts/server-<module>.log`` when its module is done.

Run them with ``.venv/bin/python -m pytest tests/e2e``; they need ``/usr/bin/chromium``
(``apt-get install chromium``), never ``playwright install``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from assessment import batch
from assessment.context import Context
from tests.conftest import fresh_database

from .support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    RUN_TIMEOUT_MS,
    StreamlitServer,
    admin_cookie,
    chromium_path,
)

# A script run, a rerun after a click and plotly's first draw can take seconds on 2 busy cores,
# with two browsers and two servers at once (`make test` runs the modules in two workers).
expect.set_options(timeout=25_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _server(db_path: Path, request, with_admin: bool = True) -> Iterator[StreamlitServer]:
    with Context(db_path) as ctx:  # what the app's batch thread does at start-up
        batch.prepare(ctx)
    server = StreamlitServer(db_path, with_admin=with_admin).start()
    try:
        yield server
    finally:
        server.stop()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"server-{request.module.__name__.rsplit('.', 1)[-1]}.log").write_text(
            server.log(), encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory, request) -> Iterator[StreamlitServer]:
    """The app on an empty database of its own. Seed it through the domain API with
    ``server.db_path`` before or while it runs (SQLite WAL, one connection per operation)."""
    db_path = fresh_database(request, tmp_path_factory.mktemp("werkbaar"))
    yield from _server(db_path, request)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, request) -> Iterator[StreamlitServer]:
    """The app on a database holding the demo organisations (``assessment.demo``)."""
    db_path = fresh_database(request, tmp_path_factory.mktemp("werkbaar-demo"), demo=True)
    yield from _server(db_path, request)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request) -> Iterator[Callable[..., Page]]:
    """``new_page(phone=False, locale="nl-BE", signed_in=True, **context_options)`` opens a
    page in a fresh browser context (its own cookies, so its own Streamlit session), signed in
    as the test platform admin unless ``signed_in=False``. Dutch by default: the app
    otherwise follows the browser's locale. When the test fails, every page it opened is
    saved as a screenshot in ``test-artifacts/``."""
    contexts: list[BrowserContext] = []

    def open_page(phone: bool = False, locale: str = "nl-BE", signed_in: bool = True,
                  **options) -> Page:
        context = browser.new_context(**{**(PHONE if phone else DESKTOP), "locale": locale,
                                         "accept_downloads": True, **options})
        if signed_in:
            context.add_cookies([admin_cookie()])
        context.set_default_timeout(RUN_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    failed = any(getattr(request.node, f"rep_{when}", None) is not None
                 and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call"))
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"FAILED-{stem}-{i}{j}.png"),
                                    full_page=True, timeout=10_000)
                except Exception:  # a crashed page must not hide the test's own failure
                    pass
    for context in contexts:
        context.close()
