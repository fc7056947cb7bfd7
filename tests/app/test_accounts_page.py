"""The accounts page (platform admin): create an account for each role with clear messages
for bad input, disable one (its sessions end), and the audit log of these changes."""

from assessment.accounts import list_usernames, session_account, sign_in
from tests.context import on


def open_accounts(app):
    at = app()
    at.switch_page("app_pages/accounts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def create(at, role, username, password, organisation=None, sectors=""):
    at.selectbox[0].set_value(role).run()
    at.text_input[0].input(username)
    if organisation:
        at.selectbox[1].set_value(organisation)
    if sectors:
        at.text_input[2].input(sectors)
    at.text_input[3].input(password)
    next(b for b in at.button if b.label == "Account aanmaken").click().run()
    return at


def test_create_an_hr_viewer_and_a_sector_analyst(app, db, org_id):
    at = open_accounts(app)
    create(at, "hr_viewer", "lezer@acme.be", "een lang wachtwoord", organisation=org_id)
    assert "Account lezer@acme\\.be aangemaakt" in at.success[0].value
    create(at, "sector_analyst", "analist", "een lang wachtwoord", sectors="pc:330, nace:87")
    account, _ = sign_in(on(db), "analist", "een lang wachtwoord")
    assert [s.key for s in account.sectors] == ["nace:87", "pc:330"]
    log = at.dataframe[-1].value.to_string()
    assert "maakte een account aan" in log and "lezer@acme.be" in log
    assert "een lang wachtwoord" not in log


def test_bad_input_lists_every_problem_and_stores_nothing(app, db):
    at = open_accounts(app)
    before = list_usernames(on(db))
    create(at, "sector_analyst", "X Y", "kort", sectors="paritair 330")
    message = at.error[0].value
    assert "De gebruikersnaam telt 2 tot 80 tekens" in message
    assert "Het wachtwoord telt 10 tot 256 tekens" in message
    assert '"paritair" is geen sector' in message
    assert list_usernames(on(db)) == before


def test_disabling_an_account_ends_its_sessions(app, db, org_id):
    at = open_accounts(app)
    create(at, "organisation_admin", "hr@acme.be", "een lang wachtwoord", organisation=org_id)
    _, token = sign_in(on(db), "hr@acme.be", "een lang wachtwoord")
    at = open_accounts(app)
    target = next(i for i, o in enumerate(at.selectbox[-1].options) if o.startswith("hr@acme"))
    at.selectbox[-1].select_index(target).run()
    next(b for b in at.button if b.label == "Uitschakelen").click().run()
    assert session_account(on(db), token) is None
    assert "schakelde een account uit" in at.dataframe[-1].value.to_string()


def test_admin_cannot_disable_themselves(app):
    at = open_accounts(app)
    next(b for b in at.button if b.label == "Uitschakelen").click().run()  # first: oneself
    assert at.error[0].value == "Je kunt je eigen account niet uitschakelen."
