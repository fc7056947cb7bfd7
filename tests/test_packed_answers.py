"""Compact answers (issue 14): one packed text per response in its round's stored layout, and
the migration that converts the old one-row-per-answer table without loss."""

import secrets

import pytest

from assessment.organisations import create_organisation
from assessment.packed_answers import LayoutError, layout, pack, unpack
from assessment.responses import InvitationError, stored_answers, submit_response
from assessment.rounds import create_invitations, open_round
from assessment.schema import migrations
from assessment.scoring import score_response
from assessment.storage import connection, write_transaction
from tests.context import on

from .conftest import TODAY


def test_pack_and_unpack_keep_every_answer_and_the_gaps(questionnaire, full_answers):
    items = tuple(i.id for i in questionnaire.items)
    answers = full_answers(4)
    del answers[items[3]]
    packed = pack(answers, items)
    assert len(packed) == len(items) and packed[3] == "0"
    assert unpack(packed, items) == answers
    with pytest.raises(LayoutError):
        pack({"XX9": 3}, items)


def test_a_response_is_stored_in_one_row_and_rescored_from_it(db, round_id, questionnaire,
                                                             full_answers):
    [token] = create_invitations(on(db), round_id, 1)
    given = full_answers(2)
    submit_response(on(db), token, questionnaire, given, today=TODAY)
    [back] = stored_answers(on(db), round_id)
    assert back == given
    assert score_response(questionnaire, back) == score_response(questionnaire, given)


def test_the_layout_is_read_from_the_database_not_the_file(db, round_id, questionnaire):
    """A later edit of the questionnaire file cannot garble stored answers."""
    with connection(db) as conn:
        items = layout(conn, round_id)
    assert items == tuple(i.id for i in questionnaire.items)


def test_migration_packs_the_old_answer_rows_without_loss(tmp_path, questionnaire, full_answers):
    path = tmp_path / "old.db"
    with connection(path) as conn:
        migrations.apply(conn, stop_before="m017_packed_answers")
    org = create_organisation(on(path), "Oud", "Q", "87", 40, ["A"])
    with write_transaction(path) as conn:  # a round and responses as the old code stored them
        conn["survey_rounds"].insert({
            "organisation_id": org, "title": "2024", "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version, "opens_on": "2024-03-01",
            "closes_on": "2024-03-21", "created_on": "2024-03-01"})
        round_id = conn.execute("select max(id) from survey_rounds").fetchone()[0]
        given = []
        for n in range(30):
            answers = full_answers(n % 5 + 1)
            if n % 4 == 0:
                del answers[questionnaire.items[n % len(questionnaire.items)].id]
            rid = secrets.randbits(62)
            conn.execute("insert into responses (id, round_id, submitted_on) values (?, ?, ?)",
                         [rid, round_id, "2024-03-10"])
            conn.executemany("insert into answers values (?, ?, ?)",
                                  [(rid, i, v) for i, v in answers.items()])
            given.append(answers)
        before = conn.execute("select count(*) from answers").fetchone()[0]
    with connection(path) as conn:
        migrations.apply(conn)
        assert "answers" not in conn.table_names()
    back = stored_answers(on(path), round_id)
    assert sum(len(a) for a in back) == before == sum(len(a) for a in given)
    assert sorted(map(sorted, (a.items() for a in back))) == sorted(
        map(sorted, (a.items() for a in given)))


def test_opening_a_round_stores_the_layout_once(db, org_id, questionnaire):
    for year in (2026, 2027):
        open_round(on(db), org_id, f"Bevraging {year}", TODAY, TODAY, questionnaire, today=TODAY)
    with connection(db) as conn:
        assert conn["answer_layouts"].count == 1


def with_language_columns(conn) -> None:
    """The columns today's code writes that m021 and m022 add, on a database stopped at an
    older schema, so that today's code can seed it (m021 and m022 leave them as they are)."""
    conn.execute("alter table survey_rounds add column languages text")
    conn.execute("alter table responses add column lang text")
    conn.execute("alter table survey_rounds add column extras text")


def test_scores_are_kept_when_their_table_is_compacted(tmp_path, questionnaire, full_answers):
    path = tmp_path / "old.db"
    with connection(path) as conn:
        migrations.apply(conn, stop_before="m018_compact_scores")
        with_language_columns(conn)
    org = create_organisation(on(path), "Oud", "Q", "87", 40, ["A"])
    round_id = open_round(on(path), org, "2026", TODAY, TODAY, questionnaire, today=TODAY)
    for token in create_invitations(on(path), round_id, 6):
        submit_response(on(path), token, questionnaire, full_answers(2), today=TODAY)
    with connection(path) as conn:
        before = sorted(conn.execute("select * from response_scores").fetchall())
        migrations.apply(conn)
        after = sorted(conn.execute("select * from response_scores").fetchall())
        assert "without rowid" in conn.execute(
            "select lower(sql) from sqlite_master where name = 'response_scores'").fetchone()[0]
    assert after == before and len(after) == 60


def test_invitations_are_kept_when_their_table_is_compacted(tmp_path, questionnaire,
                                                           full_answers):
    """m020: the same invitations (hash, round, used, channel) in a WITHOUT ROWID table, and a
    link used before the migration stays used after it."""
    path = tmp_path / "old.db"
    with connection(path) as conn:
        migrations.apply(conn, stop_before="m020_compact_invitations")
        with_language_columns(conn)
    org = create_organisation(on(path), "Oud", "Q", "87", 40, ["A"])
    round_id = open_round(on(path), org, "2026", TODAY, TODAY, questionnaire, today=TODAY)
    tokens = create_invitations(on(path), round_id, 6)
    submit_response(on(path), tokens[0], questionnaire, full_answers(2), today=TODAY)
    with connection(path) as conn:
        before = sorted(conn.execute("select * from invitations").fetchall())
        migrations.apply(conn)
        after = sorted(conn.execute("select * from invitations").fetchall())
        assert "without rowid" in conn.execute(
            "select lower(sql) from sqlite_master where name = 'invitations'").fetchone()[0]
        assert conn.execute("pragma foreign_key_check").fetchall() == []
    assert after == before and len(after) == 6 and sum(row[2] for row in after) == 1
    with pytest.raises(InvitationError):
        submit_response(on(path), tokens[0], questionnaire, full_answers(2), today=TODAY)
    submit_response(on(path), tokens[1], questionnaire, full_answers(3), today=TODAY)
