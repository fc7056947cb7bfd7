"""The start page offers demo data on an empty database (platform admin) and links to the
steps a role may take."""

from assessment.demo import ORGANISATIONS
from assessment.organisations import list_organisations
from tests.app.support import figure_values
from tests.context import on


def page_buttons(at):
    return [b for b in at.button if b.key != "sign_out"]


def test_empty_database_offers_demo_data(app, db):
    at = app()
    assert at.title[0].value == "Werkbaar"
    assert "Er staan nog geen gegevens" in at.info[0].value
    page_buttons(at)[0].click().run()
    assert not at.exception
    assert len(list_organisations(on(db))) == len(ORGANISATIONS)
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


# --- the next step per role, from the organisation's state ------------------------------------


def links(at) -> list[str]:
    """The pages the start page links to (Streamlit's page_link elements)."""
    return [element.proto.page for element in at.get("page_link")]


def texts(at) -> str:
    return "\n".join(element.value for kind in ("markdown", "info", "caption", "subheader")
                     for element in getattr(at, kind))


def test_a_fresh_organisation_is_asked_for_its_profile_first(app, org_id):
    at = app(role="organisation_admin", organisation_id=org_id)
    assert at.subheader[0].value == "Volgende stap"
    assert at.markdown[1].value == "**Vul het profiel van je organisatie in**"
    assert "**Start een bevraging**" in texts(at)
    assert links(at) == ["profile", "rounds"]


def test_with_a_profile_and_no_round_the_next_step_is_a_round(app, db, org_id):
    from assessment.profile import Profile, save_profile

    save_profile(on(db), org_id, Profile(nace_division="10", headcount=50, region="flanders"))
    at = app(role="organisation_admin", organisation_id=org_id, lang="en")
    assert at.subheader[0].value == "Next step"
    assert "Fill in your organisation's profile" not in texts(at)
    assert "**Start a survey round**" in texts(at)
    assert links(at) == ["rounds"]


def test_a_running_round_shows_its_response_so_far(app, db, org_id, round_id, tokens,
                                                   questionnaire, full_answers):
    from assessment.responses import submit_response

    for token in tokens[:6]:
        submit_response(on(db), token, questionnaire, full_answers())
    at = app(role="organisation_admin", organisation_id=org_id)
    assert "**Lopende bevraging**" in texts(at)
    from assessment import formatting
    from assessment.rounds import get_round

    closes = formatting.day(get_round(on(db), round_id).closes_on, "nl")
    assert f"**Bevraging 2026** loopt tot en met {closes}." in texts(at)
    metrics = figure_values(at)
    # as Bevragingen says
    assert metrics == {"Uitnodigingen gemaakt": "10", "Antwoorden": "6 (60%)"}
    assert "Deel de links" in texts(at)


def test_an_hr_viewer_is_told_no_step_it_cannot_take(app, org_id):
    at = app(role="hr_viewer", organisation_id=org_id)
    shown = texts(at)
    assert "profiel" not in shown.lower() and "Start een bevraging" not in shown
    assert "Je organisatie hield nog geen bevraging" in at.info[0].value
    assert links(at) == []


def test_an_hr_viewer_reads_a_running_round_without_steps(app, db, org_id, round_id, tokens):
    at = app(role="hr_viewer", organisation_id=org_id)
    assert "**Lopende bevraging**" in texts(at)
    assert "verschijnen op het dashboard zodra" in texts(at)
    assert "Deel de links" not in texts(at) and "profiel" not in texts(at).lower()
    assert "rounds" not in links(at) and "profile" not in links(at)


def test_a_closed_round_shows_its_summary_and_the_dashboard(demo_page, demo, db):
    from assessment import formatting
    from assessment.results import round_results
    from assessment.rounds import CLOSED, list_rounds

    org = demo["Zorggroep Scheldeland"]
    latest = next(r for r in list_rounds(on(db), org.id) if r.status() == CLOSED)
    results = round_results(on(db), latest.id)
    for role in ("organisation_admin", "hr_viewer"):
        at = demo_page("Zorggroep Scheldeland", "app_pages/home.py", role=role)
        assert at.subheader[0].value == "Volgende stap"
        assert "**Laatste resultaten**" in texts(at)
        metrics = figure_values(at)
        assert metrics["Werkbaarheidsgraad"] == formatting.percent(results.werkbaarheidsgraad,
                                                                   "nl")
        assert "dashboard" in links(at)
        assert "profile" not in links(at)  # the demo organisation has its profile


def test_an_open_round_comes_before_one_still_planned(app, db, org_id, round_id, questionnaire):
    from datetime import date, timedelta

    from assessment import formatting
    from assessment.rounds import open_round

    later = date.today() + timedelta(days=30)
    open_round(on(db), org_id, "Najaar", later, later + timedelta(days=14), questionnaire)
    at = app(role="organisation_admin", organisation_id=org_id, lang="en")
    assert "**Bevraging 2026** runs until" in texts(at) and "Najaar" not in texts(at)

    from assessment.rounds import close_round

    close_round(on(db), round_id)
    at = app(role="organisation_admin", organisation_id=org_id, lang="en")
    assert (f"**Najaar** starts on {formatting.day(later, 'en')} and runs until "
            f"{formatting.day(later + timedelta(days=14), 'en')} inclusive.") in texts(at)
