"""The Rapport page (AppTest): for the HR viewer of the demo care organisation it offers the
closed rounds with figures (newest first) and the two downloads, and writes nothing to the
audit log until one is clicked; a round that is still running or an organisation without any
closed round gets no download, but says why."""

from datetime import date, timedelta

from assessment.access import HR_VIEWER
from assessment.formatting import day
from assessment.i18n import t
from assessment.reports import pdf
from assessment.rounds import list_rounds, open_round
from assessment.storage import connection
from tests.context import on

ORG = "Zorggroep Scheldeland"


def test_the_viewer_gets_the_closed_rounds_and_both_downloads(demo_page, demo, db,
                                                              questionnaire):
    running = open_round(on(db), demo[ORG].id, "Bevraging loopt", date.today() - timedelta(days=1),
                         date.today() + timedelta(days=9), questionnaire)
    at = demo_page(ORG, "app_pages/report.py", role=HR_VIEWER)
    closed = [r for r in list_rounds(on(db), demo[ORG].id) if r.id != running]
    assert at.selectbox[0].options == [
        f"{r.title} · {day(r.closed_early_on or r.closes_on, 'nl')}" for r in closed]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [t("report.download_pdf", "nl"), t("report.download_xlsx", "nl")]
    with connection(db) as conn:
        assert conn.execute("select count(*) from audit_log where action like 'report%'"
                            ).fetchone()[0] == 0


def test_no_closed_round_no_download(app, db, org_id, round_id):
    at = app("app_pages/report.py")
    assert [i.value for i in at.info] == [t("report.no_round", "nl")]
    assert not at.get("download_button")


def test_a_server_without_the_font_says_which_package_to_install(demo_page, monkeypatch,
                                                                  tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIRS", (tmp_path,))
    at = demo_page(ORG, "app_pages/report.py", role=HR_VIEWER)
    assert [e.value for e in at.error] == [t("report.font_missing", "nl")]
    assert not at.get("download_button")


def test_the_risk_analysis_is_offered_only_for_a_round_with_the_module(demo_page, demo, db):
    """The demo's Logistiek Waasland asked the psychosocial module in its latest round only:
    that round offers the adviser's export (nothing audited before a click), the one before
    it does not."""
    name = "Logistiek Waasland"
    at = demo_page(name, "app_pages/report.py", role=HR_VIEWER)
    report = [t("report.download_pdf", "nl"), t("report.download_xlsx", "nl")]
    assert [b.proto.label for b in at.get("download_button")] == report + [
        t("risk.download_pdf", "nl"), t("risk.download_xlsx", "nl")]
    assert t("risk.download_title", "nl") in [s.value for s in at.subheader]
    with connection(db) as conn:
        assert conn.execute("select count(*) from audit_log where action like 'risk%'"
                            ).fetchone()[0] == 0
    latest, older = list_rounds(on(db), demo[name].id)[:2]
    assert latest.extras and not older.extras
    at.selectbox[0].set_value(older.id).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.proto.label for b in at.get("download_button")] == report
    assert t("risk.download_title", "nl") not in [s.value for s in at.subheader]
