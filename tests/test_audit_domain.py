"""Account changes and sign-ins are audited by the domain functions themselves, in the change's
transaction, with the actor as a parameter: so ``werkbaar create-admin`` (which has no page) is
audited too, and a call that fails leaves no entry. Failed sign-ins are entered only for an
existing account and the lock only once, so strangers trying names cannot grow the table."""

from __future__ import annotations

import io

import pytest

from assessment import accounts, audit, cli, lockout
from assessment.access import HR_VIEWER, PLATFORM_ADMIN, AccessDenied, Scope
from assessment.accounts import SignInError, create_account, set_active, set_password, sign_in
from assessment.errors import InputError
from tests.context import on

PASSWORD = "lange zin als wachtwoord"


def entries(db) -> list[tuple[str, str, str, str]]:
    """(who, action, subject, detail), oldest first."""
    reader = Scope(None, "test", PLATFORM_ADMIN)
    return [(e.username, e.action, e.subject, e.detail)
            for e in reversed(audit.recent(on(db), reader))]


@pytest.fixture
def admin(db) -> Scope:
    account_id = create_account(on(db), "root@acme.be", PASSWORD, PLATFORM_ADMIN)
    return accounts.get_account(on(db), account_id).scope()


def test_create_admin_on_the_command_line_is_audited(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.db"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["--db", str(path), "create-admin", "Beheer@Example.be"]) == 0
    assert entries(path) == [(audit.OPERATOR.username, audit.ACCOUNT_CREATED,
                              "beheer@example.be", PLATFORM_ADMIN)]
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert cli.main(["--db", str(path), "create-admin", "tweede"]) == 1
    assert len(entries(path)) == 1  # the refused one left nothing
    assert PASSWORD not in capsys.readouterr().err


def test_an_account_made_on_the_page_names_its_admin(db, admin):
    create_account(on(db), "Lezer@Acme.be", PASSWORD, PLATFORM_ADMIN, actor=admin)
    assert entries(db)[-1] == ("root@acme.be", audit.ACCOUNT_CREATED, "lezer@acme.be",
                               PLATFORM_ADMIN)


def test_failed_account_changes_write_no_entry(db, admin, org_id):
    before = entries(db)
    with pytest.raises(InputError):
        create_account(on(db), "x", "kort", HR_VIEWER, actor=admin)
    with pytest.raises(AccessDenied):  # only who may manage accounts may create one
        create_account(on(db), "lezer@acme.be", PASSWORD, HR_VIEWER, organisation_id=org_id,
                       actor=Scope(7, "hr", HR_VIEWER, organisation_id=org_id))
    with pytest.raises(ValueError):
        set_active(on(db), admin, admin.account_id, False)  # not oneself
    with pytest.raises(InputError):
        set_password(on(db), admin.account_id, "wachtwoord1234", actor=admin)
    set_active(on(db), admin, 999, False)  # no such account: nothing to record
    assert entries(db) == before
    assert accounts.list_usernames(on(db)) == ["root@acme.be"]


def test_disable_enable_and_a_new_password_are_audited_with_the_admin(db, admin):
    other = create_account(on(db), "hr@acme.be", PASSWORD, PLATFORM_ADMIN, actor=admin)
    set_active(on(db), admin, other, False)
    set_active(on(db), admin, other, True)
    set_password(on(db), other, "een heel ander lang wachtwoord", actor=admin)
    assert [e[:3] for e in entries(db)[-3:]] == [
        ("root@acme.be", audit.ACCOUNT_DISABLED, "hr@acme.be"),
        ("root@acme.be", audit.ACCOUNT_ENABLED, "hr@acme.be"),
        ("root@acme.be", audit.PASSWORD_CHANGED, "hr@acme.be")]


def test_sign_ins_are_audited_and_strangers_cannot_grow_the_log(db, admin):
    start = len(entries(db))
    sign_in(on(db), "root@acme.be", PASSWORD)
    with pytest.raises(SignInError):
        sign_in(on(db), "root@acme.be", "fout wachtwoord")
    for _ in range(3 * lockout.MAX_FAILURES):  # an unknown name: locked, never entered
        with pytest.raises(SignInError):
            sign_in(on(db), "niemand@acme.be", "fout wachtwoord")
    for _ in range(lockout.MAX_FAILURES + 3):  # the rest of the lock's count, then refusals
        with pytest.raises(SignInError):
            sign_in(on(db), "root@acme.be", "fout wachtwoord")
    anonymous = audit.ANONYMOUS.username
    assert entries(db)[start:] == [
        ("root@acme.be", audit.SIGN_IN, "", ""),
        *[(anonymous, audit.SIGN_IN_FAILED, "root@acme.be", "wrong password")]
        * lockout.MAX_FAILURES,
        (anonymous, audit.SIGN_IN_LOCKED, "root@acme.be", "")]


def test_the_right_password_of_a_disabled_account_is_entered_as_such(db, admin):
    other = create_account(on(db), "hr@acme.be", PASSWORD, PLATFORM_ADMIN, actor=admin)
    set_active(on(db), admin, other, False)
    with pytest.raises(SignInError):
        sign_in(on(db), "hr@acme.be", PASSWORD)
    assert entries(db)[-1] == (audit.ANONYMOUS.username, audit.SIGN_IN_FAILED, "hr@acme.be",
                               "account disabled")


def test_an_openid_connect_sign_in_is_audited_once_and_a_stranger_only_logged(
        db, admin, capsys):
    assert accounts.oidc_sign_in(on(db), "ROOT@acme.be").id == admin.account_id
    assert accounts.oidc_sign_in(on(db), "vreemde@elders.example") is None
    assert entries(db)[-1] == ("root@acme.be", audit.SIGN_IN, "", "oidc")
    logged = capsys.readouterr().err
    assert "event=sign_in" in logged and "method=oidc" in logged and "outcome=failure" in logged
    assert "vreemde" not in logged and "root@acme.be" not in logged


def test_the_audit_list_leaves_api_calls_out_unless_asked(db, admin):
    """A system polling the API writes one entry a call: they would push every account change
    off the platform admin's list of the latest 200."""
    from datetime import UTC, datetime

    from assessment import api_tokens

    made, token = api_tokens.create(on(db), admin, "poller", 30)
    for _ in range(5):
        api_tokens.admit(on(db), token, "GET", "/api/v1/me",
                         now=datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    without = audit.recent(on(db), admin, limit=3)
    assert [e.action for e in without][0] == audit.API_TOKEN_CREATED
    assert all(e.action != audit.API_CALL for e in without)
    assert [e.action for e in audit.recent(on(db), admin, limit=3, api_calls=True)] == [
        audit.API_CALL] * 3
