"""The group formulas (issue 27): the Python of :mod:`assessment.group_formulas` and the SQL
beside it give the same counts on the same respondents, on SQLite and on PostgreSQL, for the
whole round and for any group of it (generated answers, some items left open so a werkbaar
status is unknown)."""

from __future__ import annotations

import random

import pytest

from assessment.group_formulas import (
    RESPONSE_COUNTS_SQL,
    SCALE_COUNTS_SQL,
    response_counts,
    scale_counts,
    share,
    werkbaarheidsgraad,
)
from assessment.responses import submit_response
from assessment.rounds import create_invitations
from assessment.storage import connection
from tests.context import on

from .conftest import TODAY


def test_shares():
    assert werkbaarheidsgraad(2, 3) == pytest.approx(200 / 3)
    assert werkbaarheidsgraad(0, 0) is None and share(0, 0) is None
    assert response_counts([True, False, True, None]) == (4, 3, 2)
    assert scale_counts([(100.0, "acuut"), (62.5, "knelpunt"), (0.0, "ok")]) == (
        3, pytest.approx(162.5 / 3), 2, 1)
    assert scale_counts([]) == (0, None, 0, 0)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_python_and_the_sql_agree(db, round_id, questionnaire, seed):
    rng = random.Random(seed)
    for token in create_invitations(on(db), round_id, 30):
        skipped = rng.choice(["werkstress", "motivatie", None, None, None])  # status unknown
        neutral = rng.random() < 0.6  # all 3s: no knelpunt anywhere, so werkbaar or unknown
        answers = {item.id: 3 if neutral else rng.randint(1, 5) for item in questionnaire.items
                   if item.scale != skipped and rng.random() > 0.05}
        submit_response(on(db), token, questionnaire, answers, today=TODAY)
    with connection(db) as conn:
        flags = [None if f is None else bool(f) for (f,) in conn.execute(
            "select werkbaar from responses where round_id = ?", [round_id])]
        assert tuple(conn.execute(f"select {RESPONSE_COUNTS_SQL} from responses "
                                  "where round_id = ?", [round_id]).fetchone()) == \
            response_counts(flags)
        assert None in flags and True in flags and False in flags  # every case generated
        for scale in (s.id for s in questionnaire.scales):
            scored = [(float(score), level) for score, level in conn.execute(
                "select score, level from response_scores where round_id = ? and scale_id = ?",
                [round_id, scale])]
            n, mean, knelpunt, acuut = conn.execute(
                f"select {SCALE_COUNTS_SQL} from response_scores where round_id = ? and "
                "scale_id = ?", [round_id, scale]).fetchone()
            python = scale_counts(scored)
            assert (n, knelpunt, acuut) == (python[0], python[2], python[3]), scale
            assert float(mean) == pytest.approx(python[1]), scale
