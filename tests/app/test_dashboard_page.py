"""The dashboard with demo data: figures, charts and sources; a too-small group shows none."""

import json
from datetime import date

from tests.app.support import figure_values
from tests.context import on


def test_dashboard_shows_figures_beside_benchmarks(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py")
    metrics = figure_values(at)
    assert metrics["Antwoorden"] == "131"
    assert metrics["Werkbaarheidsgraad"].endswith("%")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 3  # werkbaarheidsgraad, indicators, risk factors
    indicator_traces = {trace["name"] for trace in charts[1]["data"]}
    assert {"Acuut", "Knelpunt", "Vlaanderen", "Sector"} <= indicator_traces
    assert "Zorg en welzijn<br>(2019, werknemers)" in charts[0]["data"][0]["y"]  # with origin


def test_too_small_group_shows_only_the_reason(demo_page):
    at = demo_page("Bakkerij Van Dijck", "app_pages/dashboard.py")
    assert "Nog geen cijfers" in at.warning[0].value
    assert not at.get("plotly_chart")
    assert "Werkbaarheidsgraad" not in figure_values(at)


def test_english_dashboard(demo_page):
    at = demo_page("Softwarehuis Leie", "app_pages/dashboard.py", lang="en")
    assert at.title[0].value == "Dashboard"
    assert "Responses" in figure_values(at)
    assert "no published sector figure" in " ".join(c.value for c in at.caption)


def test_no_rounds_yet(app, org_id):
    at = app("app_pages/dashboard.py")
    assert "nog geen bevraging" in at.info[0].value


def test_peer_position_from_the_published_year_in_hse_colours_only(demo_page, demo, db):
    from assessment.access import Scope
    from assessment.sector import peer_position

    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py", role="organisation_admin")
    assert any(h.value == "Tussen je collega-organisaties" for h in at.subheader)
    scope = Scope(0, "t", "organisation_admin", demo["Zorggroep Scheldeland"].id)
    position = peer_position(on(db), scope, scope.organisation_id)
    assert position.year == date.today().year - 1  # the year just ended, frozen
    assert any("naast 11 organisaties in PC 330 – Gezondheidsinrichtingen en -diensten die "
               f"Werkbaar gebruikten in {position.year}" in c.value for c in at.caption)
    bands = position.bands
    chips = next(m.value for m in at.markdown if "border-radius" in m.value)
    for colour in bands.values():
        assert {"red": "#d9534f", "yellow": "#f0c419", "aqua": "#3fc1d0",
                "green": "#3c9d4e"}[colour] in chips
    assert "%" not in chips  # words, never a percentile range under a percentage
    for colour in bands.values():
        assert {"red": "slechter dan de meeste", "yellow": "slechter dan de helft",
                "aqua": "beter dan de helft", "green": "beter dan de meeste"}[colour] in chips
    legend = next(m.value for m in at.markdown if "Wat de kleuren zeggen" in m.value)
    assert all(c in legend for c in ("#d9534f", "#f0c419", "#3fc1d0", "#3c9d4e"))


def test_no_peer_position_outside_a_pooled_sector(demo_page):
    at = demo_page("Softwarehuis Leie", "app_pages/dashboard.py", role="organisation_admin")
    assert any("Nog geen vergelijking" in c.value for c in at.caption)


def test_comparisons_carry_year_and_population_and_a_missing_one_is_a_dash(demo_page):
    from assessment.benchmarks import latest

    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py")
    risks = at.dataframe[1].value  # indicators, then risk factors
    assert not risks.isna().any().any()
    for scale, label in (("werkdruk", "Werkdruk"), ("autonomie", "Autonomie"),
                         ("taakvariatie", "Taakvariatie")):
        published = latest(f"{scale}_knelpunt")
        cell = risks[risks["Schaal"] == label].iloc[0]["Vlaanderen"]
        assert cell == ("—" if published is None else f"{published.value_pct:.1f}".replace(
            ".", ",") + f"% ({published.year}, werknemers)")
    assert (risks["Vlaanderen"] == "—").any()  # the monitor lacks some: they read as a dash
    sources = " ".join(m.value for m in at.markdown if "](http" in m.value).replace("\\", "")
    assert "Werkstress: aandeel met een knelpunt" in sources
    assert "geen primaire bron: verso-net.be" in sources  # issue 24: a secondary figure says so
    assert "[serv.be](https://www.serv.be/" in sources  # a primary one names its publisher
    assert "_knelpunt" not in sources and "None" not in sources
    assert any("verschillende jaren" in c.value for c in at.caption)  # mixed years said


def test_dashboard_keeps_its_own_round_and_says_a_newer_one_runs(demo_page, demo, db):
    from datetime import date, timedelta

    from assessment.questionnaire import load_employee_questionnaire
    from assessment.rounds import list_rounds, open_round

    org = demo["Zorggroep Scheldeland"]
    closed = list_rounds(on(db), org.id)[0]
    open_round(on(db), org.id, "Pulsbevraging", date.today(), date.today() + timedelta(days=14),
               load_employee_questionnaire())
    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py")
    picked = next(s for s in at.selectbox if s.label == "Bevraging")
    assert picked.value == closed.id  # the latest round with figures, not the new one
    assert any(i.value.startswith("Pulsbevraging loopt nog tot en met") for i in at.caption)
    assert at.get("plotly_chart")
