"""The departments-and-groups page: heatmap with hidden cells, drivers, open answers."""

import json

from assessment.demo import load_demo
from assessment.organisations import list_organisations


def test_heatmap_drivers_and_open_answers(app, db):
    load_demo(db_path=db)
    org = next(o for o in list_organisations(db_path=db) if o.name == "Zorggroep Scheldeland")
    at = app()
    at.session_state["organisation_id"] = org.id
    at.switch_page("pages/groups.py").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    columns = spec["data"][0]["x"]
    assert columns == [d.name for d in org.departments]
    hidden = [c for c, v in zip(columns, spec["data"][0]["z"][0], strict=True) if v is None]
    assert hidden == ["Directie"]  # too few answered there
    assert any("Bij wie" in m.value for m in at.markdown)  # drivers, from 25 respondents
    assert len(at.text) >= 10  # open answers, whole organisation only


def test_too_small_organisation_shows_nothing(app, db):
    load_demo(db_path=db)
    org = next(o for o in list_organisations(db_path=db) if o.name == "Bakkerij Van Dijck")
    at = app()
    at.session_state["organisation_id"] = org.id
    at.switch_page("pages/groups.py").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert all(v is None for row in spec["data"][0]["z"] for v in row)
    assert "vanaf 25 antwoorden" in at.info[0].value
    assert len(at.text) == 0
