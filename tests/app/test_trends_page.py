"""The trends page: two demo rounds side by side with change arrows."""

from assessment.demo import load_demo
from assessment.organisations import list_organisations


def test_two_rounds_side_by_side(app, db):
    load_demo(db_path=db)
    org = next(o for o in list_organisations(db_path=db) if o.name == "Zorggroep Scheldeland")
    at = app()
    at.session_state["organisation_id"] = org.id
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.shape == (11, 4)  # werkbaarheidsgraad + 10 scales; scale, 2 rounds, change
    assert table.iloc[0, 0] == "Werkbaarheidsgraad"
    assert all(cell == "→" or cell[0] in "↑↓" for cell in table.iloc[:, -1])


def test_one_round_is_no_trend(app, org_id):
    at = app("pages/trends.py")
    assert "vanaf twee afgesloten bevragingen" in at.info[0].value
