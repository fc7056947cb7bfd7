"""The trends page in a real browser, on the demo care group's two closed rounds: a table with
every row on screen (no scrolling inside it), changes coloured by better/worse, "—" instead of
None, the rounds' closing dates on the chart's axis, and screenshots in Dutch and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessment.formatting import day, percent, shown
from assessment.i18n import t
from assessment.organisations import list_organisations
from assessment.trend import BETTER, WORSE, change, trend
from tests.context import on

from .support import (
    assert_no_exception,
    main,
    questionnaire,
    screenshot,
)
from .support_improve import CARE, open_care_page

pytestmark = pytest.mark.e2e

COLOURS = {BETTER: "rgb(26, 127, 55)", WORSE: "rgb(178, 24, 43)"}


def demo_trend(db_path):
    org = next(o for o in list_organisations(on(db_path)) if o.name == CARE)
    found = trend(on(db_path), org.id)
    assert found is not None and len(found.rounds) >= 2
    return found


def open_trends(page: Page, url: str, lang: str = "nl", as_hr: bool = False,
                db_path=None) -> None:
    open_care_page(page, url, "trends", t("trends.title", lang), lang, as_hr, db_path)


@pytest.mark.parametrize("lang,locale", [("nl", "nl-BE"), ("en", "en-GB")])
def test_trend_table_shows_every_row_with_coloured_changes(demo_server, new_page, lang, locale):
    found = demo_trend(demo_server.db_path)
    q = questionnaire()
    page = new_page(locale=locale)
    open_trends(page, demo_server.url, lang)
    table = main(page).get_by_test_id("stTable")
    expect(table).to_have_count(1)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1 + len(q.scales))  # the werkbaarheidsgraad and every scale
    for row in rows.all():
        expect(row).to_be_visible()
    box = table.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert box[0] <= box[1] + 1, "the table scrolls inside itself"

    # every scale's row: its figures per round and the change, coloured by better / worse
    series = [(t("dash.werkbaarheidsgraad", lang),
               [shown(r.werkbaarheidsgraad) for r in found.results], True)] + [
        (s.label(lang), [shown(r.scales[s.id].pct_knelpunt) if s.id in r.scales else None
                         for r in found.results], False) for s in q.scales]
    heads = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    newest_first = found.rounds[::-1]
    assert heads == [t("dash.scale", lang), t("trends.round", lang, title=newest_first[0].title,
                                              date=day(newest_first[0].closed_early_on
                                                       or newest_first[0].closes_on, lang)),
                     t("trends.change", lang)] + [
        t("trends.round", lang, title=r.title, date=day(r.closed_early_on or r.closes_on, lang))
        for r in newest_first[1:]]
    coloured = 0
    for row, (label, values, higher_is_better) in zip(rows.all(), series, strict=True):
        cells = row.locator("td, th")
        texts = [c.strip() for c in cells.all_inner_texts()]
        # the scale, the newest round, the change, then the earlier rounds newest first
        assert texts[0] == label
        assert [texts[1], *texts[3:]] == [percent(v, lang) for v in values[::-1]]
        moved = change(values[-2], values[-1], higher_is_better)
        if moved is None:
            assert texts[2] == "—"
        else:
            assert moved.arrow in texts[2] and moved.mark in texts[2]
            assert "\n" not in texts[2]  # never broken over two lines
        if moved is not None and moved.verdict in COLOURS:
            assert cells.nth(2).evaluate("el => getComputedStyle(el).color") == \
                COLOURS[moved.verdict]
            coloured += 1
    assert coloured, "the demo has changes of at least one point"
    expect(main(page).get_by_text("None")).to_have_count(0)
    expect(main(page).get_by_text("nan")).to_have_count(0)
    assert_no_exception(page)
    screenshot(page, f"trends-{lang}")


def test_chart_has_the_closing_dates_on_its_axis(demo_server, new_page):
    found = demo_trend(demo_server.db_path)
    page = new_page()
    open_trends(page, demo_server.url)
    plot = main(page).locator(".js-plotly-plot")
    ticks = plot.locator("g.xtick").evaluate_all("ticks => ticks.map(t => t.textContent)")
    assert ticks == [day(r.closed_early_on or r.closes_on, "nl") for r in found.rounds]
    hover = plot.evaluate("el => el.data[0].customdata.map(c => c[0])")
    assert hover == [r.title for r in found.rounds]  # the round's title in the hover


def test_phone_screenshot(demo_server, new_page):
    page = new_page(phone=True, signed_in=False)
    open_trends(page, demo_server.url, as_hr=True, db_path=demo_server.db_path)
    # the newest figure and its change are in view on a 390 px screen without scrolling
    change_head = main(page).get_by_test_id("stTable").locator("thead th").nth(2)
    expect(change_head).to_have_text(t("trends.change", "nl"))
    assert change_head.bounding_box()["x"] + change_head.bounding_box()["width"] <= 390
    assert_no_exception(page)
    screenshot(page, "trends-nl-phone")
