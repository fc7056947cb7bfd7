"""Reading a round stays cheap at the scale of a region (issue 14): its paper responses are
counted from a partial index (migration m019), not by looking up each of its responses."""

import pytest

from assessment.rounds import _ROUND_SQL
from assessment.storage import connection


@pytest.mark.sqlite_only  # SQLite's query plan
def test_counting_a_rounds_paper_responses_uses_the_partial_index(db):
    """Fails when the count of imported responses falls back to reading every response of the
    round (the index is missing or no longer matches the query)."""
    with connection(db) as c:
        plan = " ".join(row[-1] for row in c.execute(
            "explain query plan " + _ROUND_SQL + " where r.id = ?", [1]).fetchall())
    assert "idx_responses_paper" in plan
