"""Survey rounds and invitation links: dates, status, tokens stored only as hashes, CSV."""

import csv
import io
from datetime import timedelta

import pytest

from assessment.errors import InputError
from assessment.rounds import (
    CLOSED,
    OPEN,
    SCHEDULED,
    close_round,
    create_invitations,
    get_round,
    hash_token,
    links_csv,
    links_outnumber_headcount,
    list_rounds,
    open_round,
)
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY


def test_round_status_follows_dates(db, round_id):
    r = get_round(on(db), round_id)
    assert r.status(TODAY - timedelta(days=2)) == SCHEDULED
    assert r.status(TODAY) == OPEN
    assert r.status(r.closes_on) == OPEN  # the closing day itself still counts
    assert r.status(r.closes_on + timedelta(days=1)) == CLOSED
    close_round(on(db), round_id, today=TODAY)
    assert get_round(on(db), round_id).status(TODAY) == CLOSED


@pytest.mark.parametrize("title,opens,closes,key", [
    ("", 0, 10, "error.title_empty"),
    ("R", 5, 1, "error.closes_before_opens"),
    ("R", -20, -1, "error.closes_in_past"),
])
def test_bad_round_input(db, org_id, questionnaire, title, opens, closes, key):
    with pytest.raises(InputError) as caught:
        open_round(on(db), org_id, title, TODAY + timedelta(days=opens),
                   TODAY + timedelta(days=closes),
                   questionnaire, today=TODAY)
    assert [p.key for p in caught.value.problems] == [key]
    assert list_rounds(on(db), org_id) == []


def test_unknown_organisation(db, questionnaire):
    with pytest.raises(InputError, match="error.unknown_organisation"):
        open_round(on(db), 999, "R", TODAY, TODAY, questionnaire, today=TODAY)


def test_tokens_are_random_and_stored_only_as_hashes(db, round_id):
    tokens = create_invitations(on(db), round_id, 25)
    assert len(set(tokens)) == 25 and all(len(t) >= 40 for t in tokens)
    with connection(db) as conn:
        stored = [row["token_hash"] for row in conn["invitations"].rows]
        dump = "\n".join(conn.iterdump())
    assert sorted(stored) == sorted(hash_token(t) for t in tokens)
    assert not any(t in dump for t in tokens)
    assert get_round(on(db), round_id).invited == 25


@pytest.mark.parametrize("count", [0, -1, 5001, 2.5, None, True])
def test_invitation_count_bounds(db, round_id, count):
    with pytest.raises(InputError, match="error.invitation_count"):
        create_invitations(on(db), round_id, count)


@pytest.mark.parametrize("lang,sep", [("nl", ";"), ("fr", ";"), ("en", ",")])
def test_links_csv_opens_in_excel_and_holds_one_link_per_row(lang, sep):
    data = links_csv("https://werkbaar.example/", ["abc", "d/e+f"], lang)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM
    assert data.decode("utf-8-sig").splitlines()[0] == f"nr{sep}link"  # Excel's separator
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep))
    assert rows == [["nr", "link"], ["1", "https://werkbaar.example/s/abc"],
                    ["2", "https://werkbaar.example/s/d%2Fe%2Bf"]]


@pytest.mark.parametrize("links,headcount,warn", [(49, 50, False), (50, 50, False),
                                                   (51, 50, True), (3, None, False)])
def test_links_outnumbering_the_headcount(links, headcount, warn):
    assert links_outnumber_headcount(links, headcount) is warn
