"""The departments-and-groups page in a real browser: the heatmap of the demo care group, with
its too-small departments drawn as hidden cells (never as zero), and a screenshot to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.organisations import list_organisations
from assessment.results import round_breakdowns
from assessment.rounds import CLOSED, list_rounds

from .support import assert_no_exception, goto, main, screenshot
from .support_improve import heading, nl, pick_organisation

pytestmark = pytest.mark.e2e

ORG = "Zorggroep Scheldeland"


def test_heatmap_marks_hidden_departments(demo_server, new_page):
    org = next(o for o in list_organisations(db_path=demo_server.db_path) if o.name == ORG)
    latest = next(r for r in list_rounds(org.id, db_path=demo_server.db_path)
                  if r.status() == CLOSED)
    view = round_breakdowns(latest.id, {"department": [d.id for d in org.departments]},
                            db_path=demo_server.db_path)["department"]
    hidden = [d.name for d in org.departments if d.id not in view.shown]
    assert hidden, "the demo care group has a department too small to show"

    page = new_page()
    goto(page, f"{demo_server.url}/groups")
    pick_organisation(page, ORG)
    expect(heading(page, nl("groups.title"))).to_be_visible()
    plot = main(page).locator(".js-plotly-plot")
    expect(plot).to_have_count(1)
    for name in [d.name for d in org.departments]:
        expect(plot.locator(".xtick", has_text=name)).to_have_count(1)
    # every hidden department's column says "verborgen", and no shown cell reads 0% by default
    expect(plot.get_by_text(nl("chart.hidden")).first).to_be_visible()
    expect(main(page).get_by_text(nl("groups.heatmap_help"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "groups-heatmap-nl")
