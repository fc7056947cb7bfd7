"""Accounts: hashed passwords, one answer for every failed sign-in, the lock after repeated
failures, sessions that end at sign-out, when idle and when too old."""

import logging
from datetime import UTC, datetime, timedelta

import pytest

from assessment import accounts
from assessment.access import HR_VIEWER, PLATFORM_ADMIN, SECTOR_ANALYST, Sector
from assessment.accounts import SignInError, create_account, session_account, sign_in
from assessment.errors import InputError
from assessment.storage import connection

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
PASSWORD = "lange zin als wachtwoord"


@pytest.fixture
def admin(db):
    return create_account("Admin@Example.be", PASSWORD, PLATFORM_ADMIN, db_path=db)


def test_password_is_stored_only_as_an_argon2_hash(db, admin, caplog):
    caplog.set_level(logging.DEBUG)
    account, token = sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    with connection(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert PASSWORD not in dump and token not in dump  # neither the password nor the token
    assert "$argon2id$" in dump
    assert PASSWORD not in caplog.text and PASSWORD not in repr(account)


def test_user_names_are_case_insensitive_and_unique(db, admin):
    assert sign_in("  ADMIN@example.BE ", PASSWORD, db_path=db, now=NOW)[0].id == admin
    with pytest.raises(InputError) as error:
        create_account("admin@example.be", PASSWORD, PLATFORM_ADMIN, db_path=db)
    assert [p.key for p in error.value.problems] == ["accounts.error.username_taken"]


def test_every_problem_of_a_new_account_is_listed(db):
    with pytest.raises(InputError) as error:
        create_account("x", "short", HR_VIEWER, sectors=["pc:33x"], db_path=db)
    assert {p.key for p in error.value.problems} == {
        "accounts.error.sector", "accounts.error.username", "accounts.error.password",
        "accounts.error.organisation"}
    with pytest.raises(InputError) as error:
        create_account("analist", PASSWORD, SECTOR_ANALYST, db_path=db)
    assert [p.key for p in error.value.problems] == ["accounts.error.sectors"]
    assert accounts.count_accounts(db_path=db) == 0  # nothing stored


def test_analyst_sectors_are_parsed_and_kept(db):
    account_id = create_account("analist", PASSWORD, SECTOR_ANALYST,
                                sectors=["pc:330", "nace:87", "pc:330"], db_path=db)
    assert accounts.get_account(account_id, db_path=db).sectors == (
        Sector("nace", "87"), Sector("pc", "330"))


@pytest.mark.parametrize("username, password", [
    ("admin@example.be", "wrong password!"),  # wrong password
    ("nobody@example.be", PASSWORD),  # unknown user
    ("admin@example.be' OR '1'='1", PASSWORD),  # injection in the user name
    ("admin@example.be", "' OR '1'='1' --"),  # injection in the password
    ("admin@example.be", ""),
    ("", ""),
    ("admin@example.be\x00", PASSWORD),
    ("admin@example.be", PASSWORD + "x" * 10_000),  # too long to hash
])
def test_every_failed_sign_in_raises_the_same_error(db, admin, username, password):
    with pytest.raises(SignInError) as error:
        sign_in(username, password, db_path=db, now=NOW)
    assert str(error.value) == ""  # nothing that tells which part was wrong


def test_disabled_account_cannot_sign_in_and_loses_its_sessions(db, admin):
    other = create_account("hr", PASSWORD, PLATFORM_ADMIN, db_path=db)
    _, token = sign_in("hr", PASSWORD, db_path=db, now=NOW)
    me = accounts.get_account(admin, db_path=db).scope()
    accounts.set_active(me, other, False, db_path=db)
    assert session_account(token, db_path=db, now=NOW) is None
    with pytest.raises(SignInError):
        sign_in("hr", PASSWORD, db_path=db, now=NOW)
    with pytest.raises(ValueError):
        accounts.set_active(me, admin, False, db_path=db)  # not yourself


def test_five_failures_lock_the_name_for_fifteen_minutes(db, admin):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(SignInError):
            sign_in("admin@example.be", "wrong password!", db_path=db, now=NOW)
    assert accounts.locked_until("admin@example.be", db_path=db, now=NOW) is None
    with pytest.raises(SignInError):
        sign_in("admin@example.be", "wrong password!", db_path=db, now=NOW)
    assert accounts.locked_until("admin@example.be", db_path=db, now=NOW) == NOW + timedelta(
        minutes=accounts.LOCK_MINUTES)
    with pytest.raises(SignInError):  # the right password does not help while locked
        sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW + timedelta(minutes=14))
    account, _ = sign_in("admin@example.be", PASSWORD, db_path=db,
                         now=NOW + timedelta(minutes=15))
    assert account.id == admin


def test_unknown_names_are_locked_too_so_locks_do_not_reveal_accounts(db):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError):
            sign_in("ghost", PASSWORD, db_path=db, now=NOW)
    assert accounts.locked_until("ghost", db_path=db, now=NOW) is not None


def test_a_success_resets_the_failure_count(db, admin):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(SignInError):
            sign_in("admin@example.be", "wrong password!", db_path=db, now=NOW)
    sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    with pytest.raises(SignInError):
        sign_in("admin@example.be", "wrong password!", db_path=db, now=NOW)
    assert accounts.locked_until("admin@example.be", db_path=db, now=NOW) is None


def test_session_ends_at_sign_out_and_a_kept_copy_opens_nothing(db, admin):
    _, token = sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    assert session_account(token, db_path=db, now=NOW).id == admin
    accounts.end_session(token, db_path=db)
    assert session_account(token, db_path=db, now=NOW) is None


def test_session_expires_when_idle_and_when_too_old(db, admin):
    _, token = sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    idle = timedelta(hours=accounts.IDLE_HOURS)
    assert session_account(token, db_path=db, now=NOW + idle - timedelta(minutes=1))
    last_use = NOW + 2 * idle - timedelta(minutes=2)  # each use keeps it alive
    assert session_account(token, db_path=db, now=last_use)
    assert session_account(token, db_path=db, now=last_use + idle) is None

    _, token = sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    moment = NOW
    while moment < NOW + timedelta(hours=accounts.MAX_HOURS - 1):  # used every hour
        moment += timedelta(hours=1)
        assert session_account(token, db_path=db, now=moment)
    assert session_account(token, db_path=db,
                           now=NOW + timedelta(hours=accounts.MAX_HOURS)) is None


@pytest.mark.parametrize("token", [None, "", "forged-token", "x" * 5000])
def test_forged_tokens_open_nothing(db, admin, token):
    assert session_account(token, db_path=db, now=NOW) is None


def test_new_password_ends_all_sessions(db, admin):
    _, token = sign_in("admin@example.be", PASSWORD, db_path=db, now=NOW)
    accounts.set_password(admin, "een ander lang wachtwoord", db_path=db)
    assert session_account(token, db_path=db, now=NOW) is None
    with pytest.raises(InputError):
        accounts.set_password(admin, "kort", db_path=db)
