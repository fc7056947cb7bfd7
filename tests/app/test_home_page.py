"""The start page offers demo data on an empty database (platform admin) and links to the
steps a role may take."""

from assessment.demo import ORGANISATIONS
from assessment.organisations import list_organisations


def page_buttons(at):
    return [b for b in at.button if b.key != "sign_out"]


def test_empty_database_offers_demo_data(app, db):
    at = app()
    assert at.title[0].value == "Werkbaar"
    assert "Er staan nog geen gegevens" in at.info[0].value
    page_buttons(at)[0].click().run()
    assert not at.exception
    assert len(list_organisations(db_path=db)) == len(ORGANISATIONS)
    assert f"{len(ORGANISATIONS)} organisatie(s)" in " ".join(c.value for c in at.caption)
    assert not page_buttons(at)  # the offer is gone once there is data


def test_english(app):
    at = app(lang="en")
    assert "Werkbaar holds no data yet" in at.info[0].value
    assert page_buttons(at)[0].label == "Load demo data"


def test_broken_questionnaire_stops_the_app_with_every_problem(app, monkeypatch, tmp_path):
    (tmp_path / "employee-v1.yaml").write_text("id: employee\nversion: zero\n", encoding="utf-8")
    monkeypatch.setattr("assessment.questionnaire.QUESTIONNAIRE_DIR", tmp_path)
    at = app()
    message = at.error[0].value
    assert "De app start niet: een gegevensbestand in data/ is ongeldig" in message
    assert "field 'version' must be a whole number" in message
    assert "answer\\_scales" in message  # every problem listed, escaped for Markdown
