"""Charts in a tab's first run are drawn by a second run (``assessment.ui.chart``): the first
run sends the page without plotly, so the browser paints the headline before it loads plotly
(issue 14, item 5; ``benchmarks/first_paint.py``). Fails when the first run already sends a
chart, when the second run does not follow or does not draw it, or when a later run of the
same tab is deferred again."""

import json

from streamlit.testing.v1 import AppTest

from assessment.ui import CHARTS_DEFERRED_KEY, CHARTS_SENT_KEY

SCRIPT = """
import plotly.graph_objects as go
import streamlit as st

from assessment import ui

st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.session_state.setdefault("charts_per_run", []).append(
    bool(st.session_state.get(ui.CHARTS_SENT_KEY)))
st.write("Headline")
ui.chart(go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"height": 300}))
ui.draw_deferred_charts()
"""


def test_first_run_leaves_room_and_the_second_draws_the_chart():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception
    assert at.session_state["runs"] == 2  # the deferred run followed at once
    assert at.session_state["charts_per_run"] == [False, True]
    [chart] = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["data"][0]["y"] == [3, 4]
    assert at.session_state[CHARTS_SENT_KEY]

    at.run()  # a later run of the same tab: drawn at once, no second run
    assert at.session_state["runs"] == 3
    assert len(at.get("plotly_chart")) == 1


def test_dashboard_of_a_new_tab_still_shows_its_three_charts(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py")
    assert len(at.get("plotly_chart")) == 3
    assert at.session_state[CHARTS_SENT_KEY]


def test_a_deferral_left_by_an_interrupted_run_reruns_no_other_page(app):
    """A click that interrupts a dashboard's first run (before its end drew the charts) leaves
    the deferral behind; the next page, which defers nothing, must not be rerun for it: an
    extra run while someone types and clicks on the rounds page dropped their click (seen in
    the browser test that opens a round right after the dashboard)."""
    at = app("app_pages/rounds.py")
    at.session_state[CHARTS_DEFERRED_KEY] = True  # as a dashboard run cut short leaves it
    at.run()
    assert not at.exception
    assert CHARTS_DEFERRED_KEY not in at.session_state  # forgotten when the run began
    assert CHARTS_SENT_KEY not in at.session_state  # and no rerun "to draw the charts"
