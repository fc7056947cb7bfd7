"""The departments-and-groups page in a real browser, on the demo care group: the heatmap with
its too-small departments drawn as hidden cells (never as zero, no count), n per published
group, a column for the whole organisation, cell text that reads on its colour, open answers
that keep their order, the page's own round, and screenshots in Dutch and English."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from assessment.charts import HIDDEN_COLOUR, contrast_ratio, scale_colour
from assessment.formatting import day, number
from assessment.i18n import t
from assessment.organisations import list_organisations
from assessment.questionnaire import load_employee_questionnaire
from assessment.results import open_answers, round_breakdowns, round_results
from assessment.rounds import CLOSED, list_rounds
from tests.context import on

from .support import (
    SCREENS,
    assert_no_exception,
    choose,
    main,
    nav,
    screenshot,
    settle,
)
from .support_improve import (
    CARE,
    heading,
    nl,
    open_care_page,
    open_expander,
    template_prefix,
)

pytestmark = pytest.mark.e2e



def demo(db_path):
    """The demo care group, its closed rounds (newest first) and the newest one's breakdown
    per department, as the domain decides it."""
    org = next(o for o in list_organisations(on(db_path)) if o.name == CARE)
    rounds = [r for r in list_rounds(on(db_path), org.id) if r.status() == CLOSED]
    view = round_breakdowns(on(db_path), rounds[0].id,
                            {"department": [d.id for d in org.departments]})["department"]
    return org, rounds, view


def heads(page: Page) -> list[str]:
    """The heatmap's column heads as drawn (each a name and "n = …" or "hidden")."""
    plot = main(page).locator(".js-plotly-plot")
    expect(plot).to_have_count(1)
    return plot.locator("g.xtick").evaluate_all(
        "ticks => ticks.map(t => [...t.querySelectorAll('tspan.line')]"
        ".map(line => line.textContent).join(' / ') || t.textContent)")


def open_groups(page: Page, url: str, lang: str = "nl", as_hr: bool = False,
                db_path=None) -> None:
    open_care_page(page, url, "groups", t("groups.title", lang), lang, as_hr, db_path)


def test_heatmap_gives_n_per_published_group_and_an_organisation_column(demo_server, new_page):
    org, rounds, view = demo(demo_server.db_path)
    hidden = [d.name for d in org.departments if d.id not in view.shown]
    assert hidden, "the demo care group has a department too small to show"
    whole = round_results(on(demo_server.db_path), rounds[0].id)

    page = new_page()
    open_groups(page, demo_server.url)
    drawn = heads(page)
    # the whole organisation first, with the round's number of responses
    assert drawn[0] == f"{nl('groups.organisation')} / n = {number(whole.n_responses, 'nl')}"
    # a group's n is the count of one audited column, the first scale every respondent has
    # (the page's docstring); a group shown in other columns only (rule 8) gets its name alone
    counted = next(s.id for s in load_employee_questionnaire().scales
                   if s.id in whole.scales and whole.scales[s.id].n == whole.n_responses)
    expected = [d.name if d.id in view.shown and counted not in view.shown[d.id].scales
                else f"{d.name} / " + (f"n = {number(view.shown[d.id].n, 'nl')}"
                                       if d.id in view.shown else nl("chart.hidden"))
                for d in org.departments]
    assert drawn[1:] == expected
    for head in drawn:
        if head.endswith(nl("chart.hidden")):
            assert not re.search(r"\d", head), f"a hidden group shows a number: {head}"
    expect(main(page).get_by_text(nl("groups.heatmap_help"))).to_be_visible()
    assert_no_exception(page)


def test_heatmap_text_reads_on_every_cell(demo_server, new_page):
    """What the browser holds (plotly's own data and layout): every cell label is black or
    white with at least 4.5:1 contrast against the fill it sits on, and the drawn labels have
    those colours (white text exists on the dark cells)."""
    page = new_page()
    open_groups(page, demo_server.url)
    plot = main(page).locator(".js-plotly-plot")
    trace = plot.evaluate("el => el.data[0]")
    notes = plot.evaluate("el => el.layout.annotations")
    columns = list(trace["x"])
    rows = list(trace["y"])
    assert len(notes) == len(columns) * len(rows)
    for note in notes:
        value = trace["z"][rows.index(note["y"])][columns.index(note["x"])]
        fill = HIDDEN_COLOUR if value is None else scale_colour(value)
        assert contrast_ratio(note["font"]["color"], fill) >= 4.5, (note["text"], fill)
        assert note["text"] == (nl("chart.hidden") if value is None else f"{value}%")
    dark = [n for n in notes if n["font"]["color"] == "#ffffff"]
    assert dark, "the demo has cells dark enough for white text"
    fills = plot.locator(".annotation-text").evaluate_all(
        "els => els.map(e => getComputedStyle(e).fill)")
    assert "rgb(255, 255, 255)" in fills and "rgb(0, 0, 0)" in fills

    # ... and as drawn: each label's colour against the pixel of its cell just below the text
    shot = Image.open(io.BytesIO(plot.screenshot())).convert("RGB")
    origin = plot.bounding_box()
    drawn = plot.locator("g.annotation").evaluate_all(
        "gs => gs.map(g => { const r = g.getBoundingClientRect(); return [r.x + r.width / 2,"
        " r.y + r.height / 2, getComputedStyle(g.querySelector('.annotation-text')).fill]; })")
    assert len(drawn) == len(notes)
    for x, y, fill in drawn:
        pixel = shot.getpixel((round(x - origin["x"]), round(y - origin["y"]) + 13))
        text = "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", fill)[:3])
        background = "#" + "".join(f"{c:02x}" for c in pixel)
        assert contrast_ratio(text, background) >= 4.5, (text, background)


def test_open_answers_keep_their_order_after_a_rerun(demo_server, new_page):
    org, rounds, _ = demo(demo_server.db_path)
    expected = open_answers(on(demo_server.db_path), rounds[0].id)
    assert len(expected) >= 10

    def shown_answers(page: Page) -> list[str]:
        details = open_expander(page, template_prefix("groups.open"))
        texts = details.get_by_test_id("stText")
        expect(texts).to_have_count(len(expected))
        return texts.all_inner_texts()

    page = new_page()
    open_groups(page, demo_server.url)
    before = shown_answers(page)
    assert before == expected
    main(page).get_by_text(nl("groups.dim.age_band"), exact=True).click()  # a rerun
    settle(page)
    expect(main(page).locator(".js-plotly-plot g.xtick", has_text="30")).not_to_have_count(0)
    assert shown_answers(page) == before
    other = new_page()  # another session, another visit: the same order
    open_groups(other, demo_server.url)
    assert shown_answers(other) == before


def test_the_page_keeps_its_own_round(demo_server, new_page):
    """The newest closed round with figures first; a chosen older round survives a visit to
    the dashboard (which has its own selection) and back."""
    org, rounds, _ = demo(demo_server.db_path)
    label = nl("rounds.choose")
    option = [f"{r.title} · {day(r.closed_early_on or r.closes_on, 'nl')}" for r in rounds]
    page = new_page()
    open_groups(page, demo_server.url)
    box = main(page).get_by_role("combobox", name=label, exact=True)
    expect(box).to_have_value(option[0])
    choose(main(page), label, option[1])
    settle(page)
    expect(box).to_have_value(option[1])
    nav(page, nl("nav.dashboard"))
    expect(heading(page, nl("groups.title"))).to_have_count(0)
    nav(page, nl("nav.groups"))
    expect(main(page).get_by_role("combobox", name=label, exact=True)).to_have_value(option[1])
    assert_no_exception(page)


@pytest.mark.parametrize("lang,locale,phone", [("nl", "nl-BE", False), ("en", "en-GB", False),
                                               ("nl", "nl-BE", True)])
def test_screenshots(demo_server, new_page, lang, locale, phone):
    page = new_page(phone=phone, locale=locale, signed_in=not phone)
    open_groups(page, demo_server.url, lang, as_hr=phone,
                db_path=demo_server.db_path)
    open_expander(page, template_prefix("groups.open", lang))
    assert_no_exception(page)
    expect(main(page).get_by_text("None")).to_have_count(0)
    screenshot(page, f"groups-{lang}" + ("-phone" if phone else ""))
    if phone:  # the heatmap keeps readable columns and scrolls sideways in its own box
        box = main(page).locator(".st-key-heatmap")
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth, getComputedStyle(el)"
                              ".overflowX]")
        assert widths[0] > widths[1] and widths[2] == "auto", \
            f"the heatmap is squeezed into the phone's width: {widths}"
        plot = box.locator(".js-plotly-plot")
        plot.scroll_into_view_if_needed()
        plot.screenshot(path=str(SCREENS / "groups-nl-phone-heatmap.png"))
