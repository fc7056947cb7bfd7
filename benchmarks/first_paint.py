"""First paint of a new tab (issue 14, item 5): how long a signed-in person's new tab takes to
show the dashboard's headline and to draw all its charts, beside a one-line Streamlit page
opened at ``/`` and at the dashboard's own address ``/dashboard`` (see :data:`SAME_ADDRESS`).

Starts ``streamlit run`` on 127.0.0.1 twice: a one-line app (``st.write('Werkbaar')``) and the
real ``app.py`` on a database (the demo organisations by default, or ``--db``, e.g. a 10k
database of ``benchmarks/population.py``, which is copied first), signed in as an organisation
admin of the organisation with the most responses through the ``werkbaar_session`` cookie. Then
with headless Chromium (Playwright, ``/usr/bin/chromium``), per app, ``--runs`` times each:

- **new tab**: a new page in a browser context that already visited the app once (HTTP cache
  warm, as a new tab of a browser that used the app before);
- **cold**: a page in a fresh context (empty cache: the JavaScript bundles are fetched too).

Times run from navigation start (``performance.timeOrigin``) to the first animation frame in
which a condition holds (polled by a script installed before the page loads):

- ``text``: the one-line page's text / the dashboard's title;
- ``sentence``: the dashboard's headline in words, the summary's first sentence (the
  werkbaarheidsgraad, its change and what it means: "44% van je medewerkers heeft werkbaar
  werk ...");
- ``headline``: that sentence and the werkbaarheidsgraad key figure above it (its label and
  its value: :func:`assessment.ui.key_figure`; until 28 November 2026 an ``st.metric``, whose
  browser code Streamlit loads on first use and painted with the first chart);
- ``charts``: as many plotly charts have drawn their SVG as an AppTest run of the same page
  sends (none for the one-line page).

Bytes are the encoded bodies of every HTTP response plus every WebSocket frame received
(Streamlit sends the page itself, figures included, over the WebSocket). The figure JSON sizes
come from an AppTest run of the same dashboard (what the server puts in each chart's message).

    .venv/bin/python benchmarks/first_paint.py                  # demo database, median of 5
    .venv/bin/python benchmarks/first_paint.py --db /tmp/10k.db --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from app_servers import start_script  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

from assessment.accounts import create_account, start_session  # noqa: E402
from assessment.context import Context  # noqa: E402
from assessment.demo import load_demo  # noqa: E402
from assessment.i18n import t  # noqa: E402
from assessment.storage import DB_ENV, connection, init_db  # noqa: E402
from assessment.ui.auth import COOKIE  # noqa: E402

ONE_LINE = "import streamlit as st\nst.write('Werkbaar')\n"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
# The one-line page opened at the dashboard's address: Streamlit's browser code first looks for
# its server under the address's path (``/dashboard/_stcore/...``) and then under ``/``, which
# costs any page opened by a deep link about 100 ms before its connection opens.
SAME_ADDRESS = "one-line page at /dashboard"
TIMEOUT_MS = 60_000

# Polled on every animation frame from the start of the document: the first frame in which
# each condition holds is recorded in window.__marks (ms since navigation start).
WATCH = """
(() => {
  const marks = {};
  window.__marks = marks;
  const visible = (el) => !!el && el.getBoundingClientRect().height > 0;
  const main = () => document.querySelector("[data-testid='stMain']");
  const check = () => {
    const m = main();
    const now = performance.now();
    if (m) {
      if (!marks.text) {
        const text = [...m.querySelectorAll("h1, [data-testid='stMarkdownContainer']")]
          .find((el) => visible(el) && el.textContent.includes(window.__textMark));
        if (text) marks.text = now;
      }
      if (!marks.headline && window.__metricMark) {
        const sentence = m.querySelector(".st-key-summary [data-testid='stMarkdownContainer'] p");
        const metric = [...m.querySelectorAll("[data-testid='stMarkdownContainer']")]
          .find((el) => visible(el.querySelector("h3"))
                && el.querySelector("p").textContent.trim() === window.__metricMark);
        if (visible(sentence) && !marks.sentence) marks.sentence = now;
        if (visible(sentence) && metric) marks.headline = now;
      }
      if (!marks.first_chart && m.querySelector("[data-testid='stPlotlyChart']")) {
        marks.first_chart = now;
      }
      const drawn = [...m.querySelectorAll("[data-testid='stPlotlyChart']")]
        .filter((c) => c.querySelector(".main-svg")).length;
      if (!marks.charts && marks.text && drawn >= window.__charts) {
        marks.charts = now;
        marks.n_charts = m.querySelectorAll("[data-testid='stPlotlyChart']").length;
      }
    }
    if (!marks.charts || (window.__metricMark && !marks.headline)) {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
})();
"""


def prepare_database(source: Path | None, directory: Path) -> tuple[Path, str, int]:
    """(database, session token, organisation id): a copy of ``source`` or the demo database,
    with an organisation admin of the organisation that has the most responses."""
    db_path = directory / "werkbaar.db"
    if source:
        with sqlite3.connect(source) as src, sqlite3.connect(db_path) as dst:
            src.backup(dst)
    init_db(db_path)
    if not source:
        load_demo(Context(db_path))
    with connection(db_path) as db:
        org_id = db.execute(
            "select r.organisation_id from survey_rounds r join responses p on p.round_id = r.id"
            " group by r.organisation_id order by count(*) desc limit 1").fetchone()[0]
    account = create_account(Context(db_path), f"first-paint-{time.monotonic_ns()}",
                             "first-paint-password-1",
                             "organisation_admin", organisation_id=org_id)
    return db_path, start_session(Context(db_path), account), org_id


def visit(browser: Browser, url: str, token: str | None, text: str, metric: str | None,
          charts: int, context=None) -> dict:  # noqa: PLR0913
    """One timed visit of ``url`` in a new page (of ``context``, else of a fresh context)."""
    own = context is None
    if own:
        context = new_context(browser, url, token)
    page = context.new_page()
    page.add_init_script(f"window.__textMark = {json.dumps(text)}; "
                         f"window.__metricMark = {json.dumps(metric)}; "
                         f"window.__charts = {charts};" + WATCH)
    received = {"http": 0, "ws": 0, "requests": 0, "plotly_js": 0}

    def finished(request) -> None:
        received["requests"] += 1
        size = max(request.sizes()["responseBodySize"], 0)  # -1: from the cache
        received["http"] += size
        if "PlotlyChart" in request.url:
            received["plotly_js"] += size

    def websocket(ws) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__(
            "ws", received["ws"] + len(payload)))

    page.on("requestfinished", finished)
    page.on("websocket", websocket)
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function("window.__marks && window.__marks.charts", timeout=TIMEOUT_MS)
    except PlaywrightTimeoutError:
        raise RuntimeError(f"{url}: not drawn after {TIMEOUT_MS} ms, so far "
                           f"{page.evaluate('JSON.stringify(window.__marks)')}") from None
    marks = page.evaluate("window.__marks")
    marks.update(page.evaluate("""() => {
      const js = performance.getEntriesByType("resource")
        .find((e) => e.name.includes("PlotlyChart"));
      return js ? {plotly_js_start: js.startTime, plotly_js_end: js.responseEnd} : {};
    }"""))
    print(f"  {url}: {marks}", file=sys.stderr, flush=True)
    page.wait_for_timeout(300)  # the last frames' sizes
    page.close()
    if own:
        context.close()
    return {**marks, **received}


def new_context(browser: Browser, url: str, token: str | None):
    context = browser.new_context(viewport=VIEWPORT, locale="nl-BE")
    if token:
        context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
    return context


def series(browser: Browser, pages: dict[str, dict], runs: int) -> dict[str, dict]:
    """Per page (``url``, ``token``, ``text``, ``metric``, ``charts``), ``runs`` new tabs in a
    context that visited once, and ``runs`` cold visits. The pages take turns, so that each
    round of visits meets the same load on a shared machine."""
    contexts = {name: new_context(browser, page["url"], page["token"])
                for name, page in pages.items()}
    for name, page in pages.items():
        visit(browser, **page, context=contexts[name])  # warms the HTTP cache
    out: dict[str, dict] = {name: {"new tab": [], "cold": []} for name in pages}
    for _ in range(runs):
        for name, page in pages.items():
            out[name]["new tab"].append(visit(browser, **page, context=contexts[name]))
    for context in contexts.values():
        context.close()
    for _ in range(runs):
        for name, page in pages.items():
            out[name]["cold"].append(visit(browser, **page))
    return out


def figure_sizes(ctx, token: str) -> list[int]:
    """The JSON size of each figure the dashboard sends, from an AppTest run."""
    os.environ[DB_ENV] = str(ctx)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    from streamlit.testing.v1 import AppTest

    from assessment.ui.auth import TOKEN_KEY

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[TOKEN_KEY] = token
    at.run()
    at.switch_page("app_pages/dashboard.py").run()
    return [len(chart.proto.spec) for chart in at.get("plotly_chart")]


def median(rows: list[dict], key: str) -> float:
    return statistics.median(row.get(key, float("nan")) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a database to copy (default: the demo)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        db_path, token, _ = prepare_database(args.db, tmp_dir)
        (tmp_dir / "one_line.py").write_text(ONE_LINE, encoding="utf-8")
        sizes = figure_sizes(db_path, token)
        trivial = start_script(tmp_dir / "one_line.py", tmp_dir, {})
        app = start_script(ROOT / "app.py", ROOT, {DB_ENV: str(db_path)})
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    headless=True, args=CHROMIUM_ARGS)
                one_line = {"token": None, "text": "Werkbaar", "metric": None, "charts": 0}
                results = series(browser, {
                    "one-line page": {"url": trivial.url, **one_line},
                    SAME_ADDRESS: {"url": f"{trivial.url}/dashboard", **one_line},
                    "dashboard": {"url": f"{app.url}/dashboard", "token": token,
                                  "text": t("dash.title"),
                                  "metric": t("dash.werkbaarheidsgraad"), "charts": len(sizes)},
                }, args.runs)
                browser.close()
        finally:
            trivial.stop()
            app.stop()
    base = {kind: median(rows, "text") for kind, rows in results["one-line page"].items()}
    paired = {(reference, mark, kind): statistics.median(
        dash.get(mark, float("nan")) / one["text"]
        for dash, one in zip(results["dashboard"][kind], rows, strict=True))
        for reference in ("one-line page", SAME_ADDRESS)
        for kind, rows in results[reference].items() for mark in ("sentence", "headline")}
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}, Python {platform.python_version()}, "
          f"database {args.db or 'demo'}, median of {args.runs}")
    print("| page, visit | text ms | sentence ms (× one-line) | headline ms (×) | "
          "all charts ms | charts | requests | HTTP KB | WebSocket KB | plotly JS KB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, kinds in results.items():
        for kind, rows in kinds.items():
            dash = name == "dashboard"
            sentence = median(rows, "sentence" if dash else "text")
            headline = median(rows, "headline" if dash else "text")
            print(f"| {name}, {kind} | {median(rows, 'text'):,.0f} | {sentence:,.0f} "
                  f"({sentence / base[kind]:.1f}×) | {headline:,.0f} "
                  f"({headline / base[kind]:.1f}×) | {median(rows, 'charts'):,.0f} | "
                  f"{median(rows, 'n_charts'):.0f} | {median(rows, 'requests'):.0f} | "
                  f"{median(rows, 'http') / 1024:,.0f} | {median(rows, 'ws') / 1024:,.1f} | "
                  f"{median(rows, 'plotly_js') / 1024:,.0f} |")
    for reference in ("one-line page", SAME_ADDRESS):
        print(f"÷ {reference}, median of the rounds' ratios: " + ", ".join(
            f"{mark} {kind} {ratio:.2f}×" for (ref, mark, kind), ratio in paired.items()
            if ref == reference))
    print(f"figure JSON per chart (bytes): {sizes}")


if __name__ == "__main__":
    main()
