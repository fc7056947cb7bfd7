"""One connection per page run and per report (issue 27), on both backends: the request
context (:mod:`assessment.context`) is opened once per run and every read and write of the run
goes through it."""

import pytest

from assessment import storage
from assessment.access import PLATFORM_ADMIN, Scope
from assessment.catalogue import load_catalogue
from assessment.context import Context
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import downloads
from assessment.results import round_results
from assessment.rounds import list_rounds
from assessment.self_assessment import load_employer_questionnaire

ADMIN = Scope(1, "admin@werkbaar.test", PLATFORM_ADMIN)
CARE = "Zorggroep Scheldeland"


@pytest.fixture
def counted(monkeypatch):
    """Every connection the storage layer opens, counted (SQLite or PostgreSQL alike)."""
    opened = []
    real = storage.connect

    def connect(target=None):
        opened.append(target)
        return real(target)

    monkeypatch.setattr(storage, "connect", connect)
    return opened


@pytest.mark.parametrize("page", ["app_pages/dashboard.py", "app_pages/report.py",
                                  "app_pages/groups.py", "app_pages/home.py"])
def test_a_page_run_opens_one_connection(demo_page, counted, page):
    at = demo_page(CARE, page)
    at.run()  # a later run of the same tab: charts drawn, the process's caches warm
    counted.clear()
    at.run()
    assert not at.exception
    assert len(counted) == 1, counted


def test_a_report_opens_one_connection(db, demo, counted):
    org = demo[CARE]
    q, eq, catalogue = (load_employee_questionnaire(), load_employer_questionnaire(),
                        load_catalogue())
    with Context(db) as ctx:
        newest = next(r for r in list_rounds(ctx, org.id) if round_results(ctx, r.id).shown)
    counted.clear()
    with Context(db) as ctx:
        pdf = downloads.organisation_report_pdf(ctx, ADMIN, org.id, newest.id, "nl", q, eq,
                                                catalogue)
        assert ctx.opened == 1
    assert pdf.startswith(b"%PDF") and len(counted) == 1
