"""Slips' short codes: their form, their storage as hashes, the only door to them (the code
path with its per-client limit on wrong codes), and the limit itself with the clock injected."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from assessment import codes
from assessment.errors import InputError
from assessment.responses import (
    UNKNOWN,
    USED,
    InvitationError,
    check_invitation,
    submit_response,
)
from assessment.rounds import SLIP, get_round, hash_token
from assessment.storage import connection
from tests.context import on

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def slip_codes(db, round_id):
    return codes.create_codes(on(db), round_id, 3)


def refused(code, client, db, now):
    """The i18n key and parameters of the refusal of ``code``."""
    with pytest.raises(InputError) as caught:
        codes.redeem(on(db), code, client, now=now)
    [problem] = caught.value.problems
    return problem.key, problem.params


def wrong_code(slip_codes):
    """A well-formed code that is none of ``slip_codes``."""
    return next(c for c in ("2" * 12, "3" * 12, "4" * 12, "5" * 12) if c not in slip_codes)


def test_codes_use_the_unambiguous_alphabet():
    assert len(codes.ALPHABET) == 31 and not set("01OIL") & set(codes.ALPHABET)
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200 and all(codes.is_well_formed(c) for c in made)
    assert math.log2(len(codes.ALPHABET) ** codes.LENGTH) > 59


def test_normalise_and_group():
    assert codes.normalise(" k7qm-4txp 9rwh ") == "K7QM4TXP9RWH"
    assert codes.normalise("K7QM.4TXP_9RWH\t") == "K7QM4TXP9RWH"
    assert codes.grouped("k7qm4txp9rwh") == "K7QM-4TXP-9RWH"
    assert not codes.is_well_formed("K7QM4TXP9RW")  # 11
    assert not codes.is_well_formed("K7QM4TXP9RWO")  # O is not in the alphabet
    assert codes.code_link("https://werkbaar.example.be/", "k7qm-4txp-9rwh") == \
        "https://werkbaar.example.be/s/code/K7QM4TXP9RWH"


def test_only_hashes_are_stored(db, round_id, slip_codes):
    with connection(db) as conn:
        rows = conn.execute("select token_hash, channel from invitations").fetchall()
    assert sorted(rows) == sorted((hash_token("code:" + c), SLIP) for c in slip_codes)
    assert get_round(on(db), round_id).invited == 3


def test_create_codes_refuses_bad_counts(db, round_id):
    for count in (0, 5001, True, 2.0):
        with pytest.raises(InputError) as caught:
            codes.create_codes(on(db), round_id, count)
        assert caught.value.problems[0].key == "slips.count_range"
    with pytest.raises(InputError):
        codes.create_codes(on(db), round_id + 99, 1)


def test_a_redeemed_code_answers_once(db, round_id, slip_codes, questionnaire, full_answers):
    client = codes.client_key(on(db), "198.51.100.7")
    slip = codes.redeem(on(db), codes.grouped(slip_codes[0]).lower(), client, now=T0)
    assert check_invitation(on(db), slip).round.id == round_id
    submit_response(on(db), slip, questionnaire, full_answers())
    with connection(db) as conn:
        assert conn.execute("select count(*) from responses").fetchone()[0] == 1
        assert conn.execute("select channel, used from invitations where token_hash = ?",
                            [slip.lookup]).fetchall() == [(SLIP, 1)]
    again = codes.redeem(on(db), slip_codes[0], client, now=T0)  # exists: not counted
    with pytest.raises(InvitationError) as caught:
        check_invitation(on(db), again)
    assert caught.value.reason == USED


@pytest.mark.parametrize("form", [lambda c: c, lambda c: "code:" + c, codes.grouped,
                                  lambda c: codes.CODE_PREFIX + c + "x" * 30])
def test_a_code_cannot_be_used_as_a_token(db, slip_codes, questionnaire, full_answers, form):
    """``?token=`` has no guess limit, so no string reaches a code's row."""
    for call in (lambda: check_invitation(on(db), form(slip_codes[0])),
                 lambda: submit_response(on(db), form(slip_codes[0]), questionnaire,
                                         full_answers())):
        with pytest.raises(InvitationError) as caught:
            call()
        assert caught.value.reason == UNKNOWN


def test_links_still_work(db, tokens):
    assert len(tokens[0]) == 43
    check_invitation(on(db), tokens[0])


def test_client_key_hides_the_address(db):
    key = codes.client_key(on(db), "198.51.100.7")
    assert "198.51.100.7" not in key and len(key) == 64
    assert key == codes.client_key(on(db), "198.51.100.7")
    assert key != codes.client_key(on(db), "198.51.100.8")


def test_malformed_input_is_not_counted(db, slip_codes):
    for _ in range(8):
        assert refused("K7QM-4TXP", "client", db, T0) == ("code.malformed", {"length": 12})
    assert refused(wrong_code(slip_codes), "client", db, T0)[0] == "code.wrong"


def test_five_wrong_codes_then_a_growing_wait(db, slip_codes):
    wrong, right = wrong_code(slip_codes), slip_codes[0]
    for _ in range(4):
        assert refused(wrong, "c", db, T0)[0] == "code.wrong"
    codes.redeem(on(db), right, "c", now=T0)  # four wrong: still free
    assert refused(wrong, "c", db, T0)[0] == "code.wrong"  # the fifth: 30 s
    assert refused(right, "c", db, T0 + timedelta(seconds=10)) == ("code.too_many_one", {})
    # a try during the wait is not counted and does not lengthen it
    codes.redeem(on(db), right, "c", now=T0 + timedelta(seconds=30))
    assert refused(wrong, "c", db, T0 + timedelta(seconds=30))[0] == "code.wrong"  # 60 s
    assert refused(right, "c", db, T0 + timedelta(seconds=89))[0] == "code.too_many_one"
    at = T0 + timedelta(seconds=90)
    for wait in (120, 240, 480, 900, 900):
        assert refused(wrong, "c", db, at)[0] == "code.wrong"
        assert refused(right, "c", db, at + timedelta(seconds=1)) == (
            "code.too_many", {"minutes": math.ceil((wait - 1) / 60)})
        at += timedelta(seconds=wait)
    codes.redeem(on(db), right, "c", now=at)


def test_other_clients_are_not_slowed(db, slip_codes):
    for _ in range(5):
        refused(wrong_code(slip_codes), "guesser", db, T0)
    assert refused(slip_codes[0], "guesser", db, T0)[0] == "code.too_many_one"
    codes.redeem(on(db), slip_codes[0], "colleague", now=T0)
    with connection(db) as conn:
        assert conn.execute("select client, wrong from code_attempts").fetchall() == [
            ("guesser", 5)]


def test_a_right_code_does_not_reset_the_count_but_a_sent_response_does(db, slip_codes):
    wrong = wrong_code(slip_codes)
    for _ in range(4):
        refused(wrong, "c", db, T0)
    codes.redeem(on(db), slip_codes[0], "c", now=T0)
    refused(wrong, "c", db, T0)
    assert refused(slip_codes[0], "c", db, T0 + timedelta(seconds=1))[0] == "code.too_many_one"
    codes.forgive(on(db), "c")
    codes.redeem(on(db), slip_codes[0], "c", now=T0 + timedelta(seconds=1))


def test_the_count_is_forgotten_a_day_after_the_last_wrong_code(db, slip_codes):
    wrong = wrong_code(slip_codes)
    for _ in range(5):
        refused(wrong, "c", db, T0)
    later = T0 + codes.FORGET_AFTER + timedelta(seconds=1)
    for _ in range(4):
        assert refused(wrong, "c", db, later)[0] == "code.wrong"
    with connection(db) as conn:
        assert conn.execute("select wrong from code_attempts").fetchall() == [(4,)]


def test_nothing_typed_is_stored(db, slip_codes):
    refused("ZZZZ-ZZZZ-ZZZZ", codes.client_key(on(db), "203.0.113.9"), db, T0)
    with connection(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "ZZZZ" not in dump and "203.0.113.9" not in dump


def test_a_proof_names_one_code_of_one_database(db, round_id, slip_codes, tmp_path):
    """The survey's later steps carry a code with its proof instead of trying it against the
    limit again: the proof must not fit another code, nor come from another database."""
    from assessment.storage import init_db

    code = codes.SlipCode(slip_codes[0])
    mark = codes.proof(on(db), code)
    assert codes.proven(on(db), codes.grouped(slip_codes[0]).lower(), mark) == code
    assert codes.proven(on(db), slip_codes[1], mark) is None
    assert codes.proven(on(db), slip_codes[0],
                        mark[:-1] + ("0" if mark[-1] != "0" else "1")) is None
    assert codes.proven(on(db), slip_codes[0], "") is None
    other = init_db(tmp_path / "other.db")
    assert codes.proven(on(other), slip_codes[0], mark) is None
