"""The sector page: an analyst sees the pooled figures of their own sectors only, opening on the
first sector with published figures; the tables on screen hold exactly the cells and figures of
the export, written per language; hidden cells carry no number; views are audited once per
sector."""

import pytest

from assessment import audit, formatting
from assessment.access import Scope, Sector
from assessment.sector import screen_tables, sector_view, shown_table
from tests.app.support import key_figures
from tests.context import on

ANALYST = {"role": "sector_analyst", "sectors": ("pc:330", "pc:200")}
PC200 = "PC 200 – Aanvullend paritair comité voor de bedienden"
PC330 = "PC 330 – Gezondheidsinrichtingen en -diensten"


@pytest.fixture
def analyst(app, demo):
    at = app(**ANALYST)
    at.switch_page("app_pages/sector.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables(at):
    return [t.value for t in at.table]


def test_opens_on_the_first_sector_with_published_figures(analyst, db):
    assert analyst.selectbox[0].options == [PC200, PC330]  # PC 200: all hidden
    assert analyst.selectbox[0].value == Sector("pc", "330")
    assert key_figures(analyst)[0][1] == "11"  # organisations taking part in 2025
    assert "pas als het voorbij is" in analyst.info[0].value  # why only ended years show
    assert len(analyst.get("plotly_chart")) == 4  # indicators, risk factors, spread, trend


def test_the_tables_hold_the_exports_cells_and_figures_in_dutch(analyst, db):
    scope = analyst.session_state["_scope"]
    view = sector_view(on(db), scope, Sector("pc", "330"))
    assert [t.to_dict("records") for _, t in screen_tables(view, "nl")] == [
        t.to_dict("records") for t in tables(analyst)]
    export = shown_table(view, "nl")
    sizes = export[export["Onderdeel"] == "Grootte (EU-definitie)"]
    on_screen = tables(analyst)[0]
    for (_, cell), (_, row) in zip(sizes.iterrows(), on_screen.iterrows(), strict=True):
        assert row["Groep"].startswith(cell["Groep"])
        assert row["Werkbaarheidsgraad (%)"] == formatting.number(
            None if cell["Status"] == "verborgen" else cell["Werkbaarheidsgraad (%)"], "nl", 1)
    shown_values = [v for t in tables(analyst) for v in t.iloc[:, 3:].to_numpy().ravel()
                    if v != "—"]
    assert shown_values and all("." not in v for v in shown_values)  # decimal comma


def test_hidden_cells_say_why_and_carry_no_number(analyst):
    hidden = [row for t in tables(analyst) for _, row in t.iterrows()
              if "(verborgen:" in row.iloc[0]]
    assert len(hidden) >= 2 and all(set(row.iloc[1:]) == {"—"} for row in hidden)
    text = " ".join(t.to_string() for t in tables(analyst))
    for name in ("Zorggroep Scheldeland", "Gezinszorg Waasland"):
        assert name not in text


def test_a_sector_with_every_cell_hidden_says_so(analyst):
    analyst.selectbox[0].select(Sector("pc", "200")).run()
    assert "haalt deze sector de regels niet (5 organisaties, 30 respondenten" in \
        analyst.warning[0].value
    assert key_figures(analyst)[0][1] == "—"
    assert not analyst.get("plotly_chart")


def test_each_sector_view_is_audited_once_per_sign_in(analyst, db):
    analyst.selectbox[0].select(Sector("pc", "200")).run()
    analyst.run()
    admin = Scope(0, "test", "platform_admin")
    entries = [(e.action, e.subject) for e in audit.recent(on(db), admin)
               if e.action == audit.VIEW]
    assert sorted(entries) == [("view", "pc:200"), ("view", "pc:330")]


def test_analyst_cannot_reach_a_sector_outside_the_account(app, demo):
    at = app(role="sector_analyst", sectors=("pc:200",))
    at.switch_page("app_pages/sector.py").run()
    assert at.selectbox[0].options == [PC200]
    at.session_state["organisation_id"] = demo["Zorggroep Scheldeland"].id  # tampered state
    at.run()
    assert "Zorggroep" not in " ".join(t.to_string() for t in tables(at))


def test_english(app, demo):
    at = app(lang="en", **ANALYST)
    at.switch_page("app_pages/sector.py").run()
    assert at.title[0].value == "Sector view"
    first = tables(at)[0]
    assert first.columns[0] == "Group"
    values = [v for v in first.iloc[:, 3:].to_numpy().ravel() if v != "—"]
    assert values and all("," not in v for v in values)
    assert at.selectbox[0].options[1] == "PC 330 – Health establishments and services"
