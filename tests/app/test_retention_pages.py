"""Deleting an organisation on the Organisation page (after typing its name) and erasing an
account on the Accounts page, as a platform admin; rows counted before and after."""

from assessment.accounts import create_account, start_session
from assessment.organisations import create_organisation, list_organisations
from assessment.responses import submit_response
from assessment.storage import connection
from tests.context import on

from ..conftest import TODAY


def counts(db):
    with connection(db) as conn:
        return {t: conn[t].count for t in ("organisations", "departments", "survey_rounds",
                                           "invitations", "responses", "accounts",
                                           "sessions", "audit_log")}


def test_delete_an_organisation_after_typing_its_name(app, db, org_id, round_id, tokens,
                                                      questionnaire, full_answers):
    submit_response(on(db), tokens[0], questionnaire, full_answers(), today=TODAY)
    account = create_account(on(db), "hr@acme", "a long enough passphrase", "organisation_admin",
                             organisation_id=org_id)
    start_session(on(db), account)
    keep = create_organisation(on(db), "Blijft", "C", "10", 9, ["X"])
    at = app("app_pages/organisation.py")
    before = counts(db)
    at.selectbox(key="delete_organisation_id").set_value(org_id).run()
    form = [t for t in at.text_input if t.label == "Typ de naam van de organisatie om te "
            "bevestigen"][0]
    form.input("Acm")
    next(b for b in at.button if b.label == "Definitief verwijderen").click().run()
    assert "niet de naam van deze organisatie" in at.error[0].value
    assert counts(db) == before

    at.selectbox(key="delete_organisation_id").set_value(org_id).run()
    next(t for t in at.text_input if "bevestigen" in t.label).input("acme")
    next(b for b in at.button if b.label == "Definitief verwijderen").click().run()
    assert not at.exception
    assert at.success[0].value == "Acme is verwijderd, met alles wat ze bezat."
    assert [o.id for o in list_organisations(on(db))] == [keep]
    after = counts(db)
    assert after["organisations"] == 1 and after["departments"] == 1
    assert after["survey_rounds"] == after["invitations"] == after["responses"] == 0
    assert after["sessions"] == before["sessions"] - 1
    assert after["accounts"] == before["accounts"] - 1
    assert after["audit_log"] == before["audit_log"] + 1


def test_erase_an_account_after_typing_its_name(app, db, org_id):
    account = create_account(on(db), "lezer@acme", "a long enough passphrase", "hr_viewer",
                             organisation_id=org_id)
    start_session(on(db), account)
    at = app("app_pages/accounts.py")
    before = counts(db)
    assert at.selectbox(key="erase_account_id").options[0].startswith("lezer@acme (")
    at.selectbox(key="erase_account_id").set_value(account)
    next(t for t in at.text_input if "gebruikersnaam van het account" in t.label).input(
        "lezer@acme")
    next(b for b in at.button if b.label == "Definitief wissen").click().run()
    assert not at.exception
    assert at.success[0].value == "Het account is gewist."
    after = counts(db)
    assert after["accounts"] == before["accounts"] - 1
    assert after["sessions"] == before["sessions"] - 1
    assert after["organisations"] == before["organisations"]
    assert "wiste een account" in at.dataframe[-1].value.iloc[:, 2].tolist()
