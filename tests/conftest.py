"""Shared fixtures: a fresh database per test, the shipped questionnaire, a seeded
organisation with an open round."""

from datetime import date, timedelta

import pytest

from assessment.organisations import create_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.rounds import create_invitations, open_round
from assessment.storage import DB_ENV, init_db

TODAY = date.today()  # fixtures relative to the day the tests run: the app reads date.today()


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A migrated, empty database file, also set as ``$WERKBAAR_DB``."""
    path = init_db(tmp_path / "werkbaar.db")
    monkeypatch.setenv(DB_ENV, str(path))
    return path


@pytest.fixture(scope="session")
def questionnaire():
    return load_employee_questionnaire()


@pytest.fixture
def org_id(db):
    return create_organisation("Acme", "C", "10", 50, ["Productie", "Kantoor"], db_path=db,
                               today=TODAY)


@pytest.fixture
def round_id(db, org_id, questionnaire):
    return open_round(org_id, "Bevraging 2026", TODAY - timedelta(days=1),
                      TODAY + timedelta(days=20), questionnaire, db_path=db, today=TODAY)


@pytest.fixture
def tokens(db, round_id):
    return create_invitations(round_id, 10, db_path=db)


@pytest.fixture(scope="session")
def full_answers(questionnaire):
    """A function giving every item answered with ``value`` (default 3, neutral)."""
    return lambda value=3: {item.id: value for item in questionnaire.items}
