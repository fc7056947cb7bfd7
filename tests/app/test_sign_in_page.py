"""Sign-in as an attacker would try it: wrong passwords, injection in the fields, brute force,
reuse of a session after sign-out, pages opened without signing in; and OpenID Connect."""

from contextlib import ExitStack

import pytest

from assessment.accounts import create_account
from assessment.lockout import MAX_FAILURES
from assessment.ui.auth import DEVICE_KEY, MAX_SESSION_FAILURES, TOKEN_KEY
from tests.context import on

from .conftest import PASSWORD

FAILED = "Aanmelden mislukt"


@pytest.fixture
def hr(db, org_id):
    create_account(on(db), "hr@acme.be", PASSWORD, "organisation_admin", organisation_id=org_id)


def sign_in(at, username, password):
    by_label = {t.label: t for t in at.text_input}  # the slip code's field comes first
    by_label["Gebruikersnaam"].input(username)
    by_label["Wachtwoord"].input(password)
    next(b for b in at.button if b.label == "Aanmelden").click().run()
    return at


def texts(at):
    return " ".join(str(e.value) for kind in ("markdown", "caption", "title", "header",
                                              "subheader", "info", "error", "success",
                                              "warning") for e in getattr(at, kind))


def test_nobody_signed_in_sees_only_the_sign_in_form(app, hr):
    at = app(role=None)
    assert [t.label for t in at.text_input] == ["Code van je strookje",  # slips: no sign-in
                                              "Gebruikersnaam", "Wachtwoord"]
    assert at.text_input[2].proto.type == at.text_input[2].proto.PASSWORD
    assert "Afmelden" not in [b.label for b in at.button]
    assert "Acme" not in texts(at)
    for page in ("app_pages/dashboard.py", "app_pages/accounts.py", "app_pages/sector.py"):
        with pytest.raises(ValueError, match=r"Known pages: \['[^,]*sign_in\.py'\]"):
            at.switch_page(page)  # the only page registered for nobody is the sign-in page


def test_right_password_signs_in_and_sign_out_ends_the_session(app, hr):
    at = sign_in(app(role=None), "HR@acme.be", PASSWORD)
    assert not at.exception
    assert "Aangemeld als **hr@acme\\.be**" in texts(at)
    token = at.session_state[TOKEN_KEY]
    assert "_cookie_pending" not in at.session_state  # the cookie script was written

    next(b for b in at.button if b.key == "sign_out").click().run()
    assert "Je bent afgemeld" in texts(at)
    assert [t.label for t in at.text_input] == ["Code van je strookje",  # slips: no sign-in
                                              "Gebruikersnaam", "Wachtwoord"]

    reused = app(role=None)  # another tab that kept the old token
    reused.session_state[TOKEN_KEY] = token
    reused.run()
    assert [t.label for t in reused.text_input][1:] == ["Gebruikersnaam", "Wachtwoord"]
    assert "Je sessie is beëindigd" in texts(reused)


@pytest.mark.parametrize("username, password", [
    ("hr@acme.be", "verkeerd wachtwoord"),
    ("niemand@acme.be", PASSWORD),
    ("hr@acme.be' --", "x"),
    ("' OR '1'='1", "' OR '1'='1"),
    ("<script>alert(1)</script>", "**vet** [link](javascript:alert(1))"),
    ("hr@acme.be", "x" * 400),
])
def test_failed_sign_in_says_only_that_it_failed(app, hr, username, password):
    at = sign_in(app(role=None), username, password)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(FAILED)
    assert TOKEN_KEY not in at.session_state
    assert "<script>" not in texts(at)


def test_brute_force_locks_the_name_even_for_the_right_password(app, hr):
    at = app(role=None)
    for _ in range(MAX_FAILURES):
        sign_in(at, "hr@acme.be", "geraden wachtwoord")
    sign_in(at, "hr@acme.be", PASSWORD)
    assert at.error[0].value.startswith(FAILED) and TOKEN_KEY not in at.session_state


def test_one_tab_may_fail_only_so_often(app, hr):
    at = app(role=None)
    for number in range(MAX_SESSION_FAILURES):
        sign_in(at, f"gok{number}@acme.be", "geraden wachtwoord")
    assert next(b for b in at.button if b.label == "Aanmelden").disabled
    assert "Te veel mislukte pogingen" in at.error[0].value


def test_empty_database_tells_how_to_create_the_first_admin(app):
    at = app(role=None)
    assert "werkbaar create-admin" in at.info[0].value
    # the demo offer is for a server that listens on this machine only (AppTest: no address)
    assert [b.label for b in at.button] == ["Vragenlijst openen", "Aanmelden"]


def test_openid_connect_identity_maps_to_an_account_by_e_mail(app, hr, db):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    for email, signed_in in (("HR@acme.be", True), ("stranger@acme.be", False)):
        at = AppTest.from_file(APP, default_timeout=30)
        at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                              "cookie_secret": "x" * 32}
        at.user = {"is_logged_in": True, "email": email, "name": "Iemand"}
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert ("Aangemeld als **hr@acme\\.be**" in texts(at)) is signed_in
        if not signed_in:
            assert "geen actieve account" in texts(at)
        at.run()  # the next run of the same tab is no new sign-in
    from assessment import audit
    from assessment.access import PLATFORM_ADMIN, Scope

    signed = [e for e in audit.recent(on(db), Scope(None, "t", PLATFORM_ADMIN))
              if e.action == audit.SIGN_IN]
    assert [(e.username, e.detail) for e in signed] == [("hr@acme.be", "oidc")]
    assert Path(APP).exists()


def test_over_the_argon2_bound_the_visitor_is_told_to_try_again(app, hr, monkeypatch):
    from assessment import accounts

    monkeypatch.setattr(accounts, "ARGON2_WAIT_S", 0.05)
    at = app(role=None)
    with ExitStack() as held:  # every Argon2 slot taken
        for _ in range(accounts.ARGON2_SLOTS):
            held.enter_context(accounts.argon2_slot(None))
        sign_in(at, "hr@acme.be", PASSWORD)
    assert not at.exception and not at.error
    assert "Probeer het over enkele ogenblikken opnieuw" in at.warning[0].value
    assert TOKEN_KEY not in at.session_state
    sign_in(at, "hr@acme.be", PASSWORD)  # nothing was counted: the next try signs in
    assert TOKEN_KEY in at.session_state


def test_a_successful_sign_in_leaves_a_device_token_for_this_browser(app, hr, db):
    from assessment.storage import connection

    at = sign_in(app(role=None), "hr@acme.be", PASSWORD)
    assert TOKEN_KEY in at.session_state
    assert DEVICE_KEY not in at.session_state  # handed to the cookie script on that run
    with connection(db) as conn:
        assert conn["sign_in_devices"].count == 1
