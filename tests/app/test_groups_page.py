"""The departments-and-groups page: heatmap with hidden cells, drivers, open answers."""

import json


def test_heatmap_drivers_and_open_answers(demo_page, demo):
    org = demo["Zorggroep Scheldeland"]
    at = demo_page(org.name, "pages/groups.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    columns = spec["data"][0]["x"]
    assert columns == ["<b>Hele organisatie</b>"] + [d.name for d in org.departments]
    hidden = [c for c, v in zip(columns, spec["data"][0]["z"][0], strict=True) if v is None]
    assert hidden == ["Directie"]  # too few answered there
    assert any("Bij wie" in m.value for m in at.markdown)  # drivers, from 25 respondents
    assert len(at.text) >= 10  # open answers, whole organisation only


def test_drivers_need_25_respondents(demo_page):
    at = demo_page("Residentie Molenbeek", "pages/groups.py")  # 19 respondents
    assert not any("Bij wie" in m.value for m in at.markdown)
    assert "Pas vanaf 25 antwoorden" in at.info[-1].value


def test_too_small_organisation_shows_nothing(demo_page):
    at = demo_page("Bakkerij Van Dijck", "pages/groups.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert all(v is None for row in spec["data"][0]["z"] for v in row)
    assert "vanaf 25 antwoorden" in at.info[0].value
    assert len(at.text) == 0
