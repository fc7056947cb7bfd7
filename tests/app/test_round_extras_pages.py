"""Modules and own questions on the pages: chosen when a round opens, shown on the dashboard
for the organisation and on the groups page per group, withheld where the rules say."""

from datetime import date, timedelta

from assessment import questionnaire_store, round_extras
from assessment.modules import module
from assessment.organisations import get_organisation
from assessment.responses import submit_response
from assessment.rounds import close_round, create_invitations, get_round, list_rounds, open_round
from tests.context import on

VIOLENCE = next(i for i in module("psychosocial", 1).items if i.id == "ps_ir1").text("en")


def test_a_round_opens_with_the_psychosocial_module_and_an_own_question(app, db, org_id):
    at = app("app_pages/rounds.py", lang="en")
    at.pills[1].set_value(["psychosocial"])
    at.radio(key="own1_kind").set_value("single")
    for code, text in (("nl", "Werk je thuis?"), ("en", "Do you work from home?"),
                       ("fr", "Télétravaillez-vous ?")):
        at.text_input(key=f"own1_{code}").set_value(text)
        at.text_area(key=f"own1_options_{code}").set_value(f"{text} A\n{text} B")
    next(b for b in at.button if b.label == "Start survey round").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (survey_round,) = list_rounds(on(db), org_id)
    extras = round_extras.of_round(survey_round)
    assert [m.id for m in extras.modules] == ["psychosocial"]
    assert extras.questions[0].options[1]("en") == "Do you work from home? B"


def test_an_own_question_missing_a_language_is_refused_and_nothing_opens(app, db, org_id):
    at = app("app_pages/rounds.py", lang="en")
    at.radio(key="own1_kind").set_value("scale")
    at.text_input(key="own1_nl").set_value("Ik voel me gehoord.")
    next(b for b in at.button if b.label == "Start survey round").click().run()
    assert any("in each language of the round" in e.value for e in at.error)
    assert list_rounds(on(db), org_id) == []


def closed_round_with_extras(db, org_id, questionnaire, full_answers):
    """12 answers in two departments of 6; in Kantoor nobody reports violence (ps_ir1)."""
    extras = round_extras.validated((module("psychosocial", 1),), (round_extras.own_question(
        1, round_extras.SCALE, {"nl": "Ik voel me gehoord.", "en": "I feel heard.",
                                "fr": "Je me sens écouté."}, None, ("nl", "en", "fr")),))
    today = date.today()
    round_id = open_round(on(db), org_id, "Met module", today - timedelta(days=1),
                          today + timedelta(days=20), questionnaire,
                          extras=round_extras.to_stored(extras))
    q = questionnaire_store.for_round(on(db), get_round(on(db), round_id))
    departments = [d.id for d in get_organisation(on(db), org_id).departments]
    for n, token in enumerate(create_invitations(on(db), round_id, 12)):
        answers = {**full_answers(3), **{i.id: 1 for i in q.items if i.id.startswith("ps_")},
                   "own1": 2 + n % 3}
        if n < 2:
            answers["ps_ir1"] = 4
        submit_response(on(db), token, q, answers, {"department": departments[n >= 6]})
    close_round(on(db), round_id)
    return round_id


def test_the_dashboard_and_the_groups_page_show_the_modules_figures(app, db, org_id,
                                                                   questionnaire, full_answers):
    closed_round_with_extras(db, org_id, questionnaire, full_answers)
    at = app("app_pages/dashboard.py", lang="en")
    assert not at.exception
    assert any(s.value == "Modules and own questions" for s in at.subheader)
    tables = [t.value for t in at.table]
    violence = next(t for t in tables if VIOLENCE in t.index)
    assert violence.loc[VIOLENCE].iloc[0] == "17%"  # 2 of 12 reported it
    heard = next(t for t in tables if "Strongly agree" in t.index)
    assert list(heard.iloc[:, 0]) == ["0%", "33%", "33%", "33%", "0%"]

    at.switch_page("app_pages/groups.py").run()
    assert not at.exception
    frame = next(d.value for d in at.table if "Whole organisation" in d.value.columns)
    # Kantoor: 6 answers, none reporting it: unanimous below 2k, hidden; Productie with it
    assert frame.loc[VIOLENCE].iloc[0] == "17%"
    assert set(frame.loc[VIOLENCE].iloc[1:]) == {"hidden"}
    assert frame.loc["I feel heard.: Agree"].iloc[1:].tolist() == ["33%", "33%"]
