"""The scale benchmark's generator (``benchmarks/population.py``, issue 14) at its smallest size,
so it cannot rot: the bulk build stores exactly what ``submit_response`` stores, and a built
database has the schema of any other (every index back, WAL mode, intact), one used invitation
per response, and the optional large round of the size asked for."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from assessment import storage
from assessment.questionnaire import load_employee_questionnaire
from assessment.storage import connection, init_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def population():
    spec = importlib.util.spec_from_file_location("population", ROOT / "benchmarks" /
                                                  "population.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["population"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def schema(path: Path) -> set:
    """Tables and indexes with their definitions (ANALYZE's statistics table aside)."""
    with connection(path) as db:
        return set(db.execute("select type, name, sql from sqlite_master "
                              "where name != 'sqlite_stat1'"))


def test_the_bulk_build_stores_what_submit_response_stores(population, tmp_path):
    """Fails when the bulk path (shared connection, indexes dropped) stores other rows than the
    real submit path for the same respondents."""
    assert population.verify(tmp_path, load_employee_questionnaire(), sample=40) == 40


def test_a_built_database_is_like_any_other(population, tmp_path):
    """Fails when the build leaves an index missing, the file out of WAL mode, the build's
    connection patched in, or the counts of what it made wrong."""
    path = tmp_path / "scale.db"
    made = population.build(path, 400, load_employee_questionnaire(), large_round=60)
    assert storage.connect.__module__ == "assessment.storage"
    assert schema(path) == schema(init_db(tmp_path / "fresh.db"))
    with connection(path) as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        responses = db.execute("select count(*) from responses").fetchone()[0]
        used = db.execute("select count(*) from invitations where used = 1").fetchone()[0]
        large = db.execute("select count(*) from responses p join survey_rounds r on "
                           "r.id = p.round_id join organisations o on o.id = r.organisation_id "
                           "where o.name = ?", [population.LARGE]).fetchone()[0]
    assert responses == used == made["responses"] >= 400 + 60
    assert large == 60
