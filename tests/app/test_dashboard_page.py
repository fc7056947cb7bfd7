"""The dashboard with demo data: figures, charts and sources; a too-small group shows none."""

import json

import pytest

from assessment.demo import load_demo
from assessment.organisations import list_organisations


@pytest.fixture
def demo(db):
    load_demo(db_path=db)
    return {o.name: o.id for o in list_organisations(db_path=db)}


def test_dashboard_shows_figures_beside_benchmarks(app, demo):
    at = app()
    at.session_state["organisation_id"] = demo["Zorggroep Scheldeland"]
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Antwoorden"] == "131"
    assert metrics["Werkbaarheidsgraad"].endswith("%")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 3  # werkbaarheidsgraad, indicators, risk factors
    indicator_traces = {trace["name"] for trace in charts[1]["data"]}
    assert {"Acuut", "Knelpunt", "Vlaanderen", "Sector"} <= indicator_traces
    assert "Zorg en welzijn (2019)" in charts[0]["data"][0]["y"]


def test_too_small_group_shows_only_the_reason(app, demo):
    at = app()
    at.session_state["organisation_id"] = demo["Bakkerij Van Dijck"]
    at.switch_page("pages/dashboard.py").run()
    assert "Nog geen cijfers" in at.warning[0].value
    assert not at.get("plotly_chart")
    assert "Werkbaarheidsgraad" not in [m.label for m in at.metric]


def test_english_dashboard(app, demo):
    at = app(lang="en")
    at.session_state["organisation_id"] = demo["Softwarehuis Leie"]
    at.switch_page("pages/dashboard.py").run()
    assert at.title[0].value == "Dashboard"
    assert "Responses" in [m.label for m in at.metric]
    assert "no published sector figure" in " ".join(c.value for c in at.caption)


def test_no_rounds_yet(app, org_id):
    at = app("pages/dashboard.py")
    assert "nog geen bevraging" in at.info[0].value
