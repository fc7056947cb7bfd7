"""The action plan page: an action of one's own needs the gap it addresses; each card says
what the action is for, and what is not set yet; a viewer reads the plan only."""

from datetime import date, timedelta

from assessment.actions import add_action, list_actions
from tests.context import on


def test_an_own_action_needs_a_gap(app, db, org_id):
    at = app("app_pages/actions.py")
    at.text_input[0].input("Teamoverleg over planning")
    at.text_input[1].input("Els")
    at.button[0].click().run()
    assert "Kies het knelpunt dat deze actie aanpakt" in at.error[0].value
    assert list_actions(on(db), org_id) == []

    at.text_input[0].input("Teamoverleg over planning")
    at.text_input[1].input("Els")
    at.selectbox(key="new-gap").set_value("werkdruk")
    at.button[0].click().run()
    assert not at.exception
    [action] = list_actions(on(db), org_id)
    assert (action.title, action.owner, action.gap_id, action.measure_id) == (
        "Teamoverleg over planning", "Els", "werkdruk", None)
    card = " ".join(m.value for m in at.markdown)
    assert "**Knelpunt:** Werkdruk" in card and "**Maatregel:** Eigen actie" in card
    assert "**Streefdatum:** :orange[niet ingevuld]" in card
    assert "Tegen wanneer? Vul een streefdatum in met „Bijwerken”." in " ".join(
        c.value for c in at.caption)


def test_empty_action_is_explained(app, db, org_id):
    at = app("app_pages/actions.py")
    at.button[0].click().run()
    assert "Geef de actie een korte omschrijving." in at.error[0].value
    assert list_actions(on(db), org_id) == []


def test_the_card_in_english_with_euro_and_date(app, db, org_id):
    due = date.today() + timedelta(days=10)
    add_action(on(db), org_id, "Kmo-portefeuille", measure_id="kmo_portefeuille", owner="Els",
               due_on=due, expected_eur=7500)
    at = app("app_pages/actions.py", lang="en")
    card = " ".join(m.value for m in at.markdown)
    assert "**Measure:** SME wallet (kmo-portefeuille, training)" in card
    assert f"**Due date:** {due:%d/%m/%Y}" in card
    assert "**Expected support:** €7,500" in card
    assert "**Gap:** —" in card and "None" not in card


def test_a_viewer_reads_the_plan_only(app, db, org_id):
    add_action(on(db), org_id, "Overleg", gap_id="werkdruk")
    at = app("app_pages/actions.py", role="hr_viewer", organisation_id=org_id)
    assert "**Overleg** · Gepland" in [m.value for m in at.markdown]
    assert not [b for b in at.button if b.label in ("Actie toevoegen", "Bijwerken")]
    assert not at.text_input and not [c.value for c in at.caption if "Bijwerken" in c.value]


def test_an_action_on_a_practice_area_points_to_the_self_assessment(app, db, org_id):
    add_action(on(db), org_id, "Thuiswerkregeling", gap_id="work_life")
    at = app("app_pages/actions.py")
    captions = [c.value for c in at.caption]
    assert "Het effect op deze praktijk zie je in je volgende zelfevaluatie." in captions
    assert "Het effect op dit knelpunt zie je na de volgende bevraging." not in captions


def test_a_practice_area_shows_its_score_after_the_next_self_assessment(app, db, org_id):
    from assessment.self_assessment import PRACTICE, load_employer_questionnaire, save_draft

    q = load_employer_questionnaire()
    week = timedelta(days=7)
    for value, day in ((2, date.today() - 8 * week), (4, date.today())):
        save_draft(on(db), org_id, q, {i.id: (6 - value if i.reverse else value) for i in q.items
                               if i.kind == PRACTICE}, len(q.sections), complete=True,
                   today=day)
        if value == 2:
            add_action(on(db), org_id, "Thuiswerkregeling", gap_id="work_life", today=day + week)
    at = app("app_pages/actions.py")
    effect = ":green[Werk-privéregelingen: score 25 → 75 op 100 in je zelfevaluatie sinds de " \
             "start van de actie (beter)]"
    assert effect in [m.value for m in at.markdown]
