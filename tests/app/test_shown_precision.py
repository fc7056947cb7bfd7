"""Nothing more precise than the screen (issue 9, part 6): on every page that shows figures
derived from respondents, the charts, tables, key figures and texts the browser receives carry only
the rounded figures on screen. Respondent figures are whole percentages; the published figures
of the Flemish monitor and the sector view's pooled cells have 1 decimal."""

import json
import re

import pytest

from tests.app.support import key_figures
from tests.context import on
from tests.precision import decimals, figure_problems, table_problems

URL = re.compile(r"\(https?://[^)]*\)|https?://\S+")


def page_problems(at, columns: dict[str, int] | None = None, text_decimals: int = 0,
                  metric_decimals: int = 0) -> list:
    """Every number the page sends with more decimals than it shows: plotly traces, dataframe
    cells (``columns``: the columns with decimals), static tables' text cells (as many decimals
    as ``text_decimals``), key figures, and the numbers in texts."""
    problems = []
    for chart in at.get("plotly_chart"):
        problems += figure_problems(json.loads(chart.proto.spec))
    for frame in at.dataframe:
        problems += table_problems(frame.value, columns)
    for table in at.table:
        for cell in table.value.to_numpy().ravel():
            if decimals(str(cell)) > text_decimals:
                problems.append(f"table cell: {cell!r}")
    for label, value, change in key_figures(at):
        for text in (value, change):
            if decimals(URL.sub("", text)) > metric_decimals:
                problems.append(f"key figure {label}: {text!r}")
    for element in (*at.markdown, *at.info, *at.warning, *at.success, *at.caption):
        text = URL.sub("", element.value)
        if decimals(text) > text_decimals:
            problems.append(f"text: {element.value!r}")
    return problems


def test_dashboard(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/dashboard.py")
    assert len(at.get("plotly_chart")) == 3 and at.dataframe
    assert any("sinds de start van de actie" in i.value for i in at.info)  # action plan change
    # the published monitor figures: 1 decimal in the table and in the list of sources
    assert page_problems(at, {"Vlaanderen": 1, "Sector": 1}, text_decimals=1) == []
    graad, indicators, _ = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert all(isinstance(v, int) for v in graad["data"][0]["x"])
    acute, knelpunt = indicators["data"][:2]
    assert all(isinstance(v, int) for v in acute["x"] + knelpunt["x"] + knelpunt["customdata"])
    totals = [a["text"] for a in indicators["layout"]["annotations"]]  # one total per bar
    assert totals == [f"<b>{v}%</b>" for v in knelpunt["customdata"]]  # labelled as hovered


def test_dashboard_in_english(demo_page):
    at = demo_page("Logistiek Waasland", "app_pages/dashboard.py", lang="en")
    assert at.get("plotly_chart")
    assert page_problems(at, {"Flanders": 1, "Sector": 1}, text_decimals=1) == []


@pytest.mark.parametrize("dimension", ["department", "age_band", "contract_type"])
def test_groups_heatmap_and_drivers(demo_page, dimension):
    at = demo_page("Zorggroep Scheldeland", "app_pages/groups.py")
    control = next(b for b in at.button_group if b.label == "Bekijk per")
    control.set_value(dimension).run()
    assert not at.exception, [e.value for e in at.exception]
    if dimension == "department":  # the other dimensions may be withheld as a whole
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert any(v is not None for row in spec["data"][0]["z"] for v in row)
    assert page_problems(at) == []


def test_trends(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/trends.py")
    assert at.get("plotly_chart") and at.table  # a static table: every row on screen
    assert page_problems(at) == []
    assert table_problems(at.table[0].value) == []


def test_perception_gap(demo_page):
    at = demo_page("Zorggroep Scheldeland", "app_pages/self_assessment.py")
    assert at.dataframe
    assert page_problems(at) == []


def test_sector_view(app, demo):
    from assessment.access import Sector

    at = app(role="sector_analyst", sectors=("pc:330",))
    at.switch_page("app_pages/sector.py").run()
    at.selectbox[0].select(Sector("pc", "330")).run()
    assert at.table and at.get("plotly_chart")
    # the pooled cells are published with 1 decimal: charts, tables, the metric and the texts
    assert page_problems(at, text_decimals=1, metric_decimals=1) == []


def test_support_ranks_gaps_by_the_shown_figures(demo, db):
    """The support page names each gap with its shown share and ranks the measures by it: the
    ranking must not tell which of two scales both shown as 44% is the larger."""
    from assessment.formatting import shown
    from assessment.gaps import organisation_gaps
    from assessment.questionnaire import load_employee_questionnaire
    from assessment.self_assessment import load_employer_questionnaire

    org = demo["Zorggroep Scheldeland"]
    summary = organisation_gaps(on(db), org, load_employee_questionnaire(),
                                load_employer_questionnaire())
    scales = [g for g in summary.gaps if g.id in summary.results.scales]
    assert scales
    for gap in scales:
        assert gap.size == shown(summary.results.scales[gap.id].pct_knelpunt)
        assert isinstance(gap.size, int)
