"""The sector page: an analyst sees the pooled table of their own sectors only, the table on
screen is the export, hidden cells carry no number, and views are audited once per sector."""

import pytest

from assessment import audit
from assessment.access import Scope, Sector
from assessment.sector import sector_view, shown_table

ANALYST = {"role": "sector_analyst", "sectors": ("pc:330", "pc:200")}


@pytest.fixture
def analyst(app, demo):
    at = app(**ANALYST)
    at.switch_page("pages/sector.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_analyst_sees_exactly_the_pooled_table_of_the_first_sector(analyst, db):
    assert analyst.selectbox[0].options == ["PC 200", "PC 330"]
    scope = analyst.session_state["_scope"]
    expected = shown_table(sector_view(scope, Sector("pc", "200"), db_path=db), "nl")
    shown = analyst.dataframe[0].value
    assert shown.equals(expected.astype("string").fillna(""))  # the export's table, as text
    assert "haalt deze sector de regels niet (5 organisaties, 30 respondenten" in \
        analyst.warning[0].value


def test_pc_330_shows_the_total_and_hides_small_cells_without_numbers(analyst, db):
    analyst.selectbox[0].select(Sector("pc", "330")).run()
    table = analyst.dataframe[0].value
    hidden = table[table["Status"] == "verborgen"]
    assert len(hidden) >= 2 and (hidden.iloc[:, 5:] == "").all().all()
    assert analyst.metric[0].value == "11"  # organisations taking part in 2026
    for name in ("Zorggroep Scheldeland", "Gezinszorg Waasland"):
        assert name not in table.to_string()


def test_each_sector_view_is_audited_once_per_sign_in(analyst, db):
    analyst.selectbox[0].select(Sector("pc", "330")).run()
    analyst.run()
    admin = Scope(0, "test", "platform_admin")
    entries = [(e.action, e.subject) for e in audit.recent(admin, db_path=db)]
    assert sorted(entries) == [("view", "pc:200"), ("view", "pc:330")]


def test_analyst_cannot_reach_a_sector_outside_the_account(app, demo):
    at = app(role="sector_analyst", sectors=("pc:200",))
    at.switch_page("pages/sector.py").run()
    assert at.selectbox[0].options == ["PC 200"]
    at.session_state["organisation_id"] = demo["Zorggroep Scheldeland"].id  # tampered state
    at.run()
    assert "Zorggroep" not in at.dataframe[0].value.to_string()


def test_english(app, demo):
    at = app(lang="en", **ANALYST)
    at.switch_page("pages/sector.py").run()
    assert at.title[0].value == "Sector view"
    assert at.dataframe[0].value.columns[0] == "Section"
