"""The action plan page: add, edit and close an action; bad input explained."""

from assessment.actions import list_actions


def test_add_edit_close(app, db, org_id):
    at = app("pages/actions.py")
    at.text_input[0].input("Teamoverleg over planning")
    at.text_input[1].input("Els")
    at.button[0].click().run()
    assert not at.exception
    [action] = list_actions(org_id, db_path=db)
    assert (action.title, action.owner, action.status) == ("Teamoverleg over planning", "Els",
                                                           "planned")
    next(s for s in at.selectbox if s.label == "Status").set_value("done")
    next(b for b in at.button if b.label == "Bewaren").click().run()
    assert list_actions(org_id, db_path=db)[0].status == "done"
    assert at.dataframe[0].value.iloc[0, 3] == "Klaar"


def test_empty_action_is_explained(app, db, org_id):
    at = app("pages/actions.py")
    at.button[0].click().run()
    assert "Geef de actie een korte omschrijving." in at.error[0].value
    assert list_actions(org_id, db_path=db) == []
