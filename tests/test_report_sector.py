"""The sector fund report PDF of the demo sectors, read back with pdftotext: it names the sector,
holds exactly the sector page's figures (the counts, the werkbaarheidsgraad, the knelpunt shares
of the charts, the spread, every row of the page's tables), every hidden cell with its reason
and no number, the cell rules and the sources; a sector with every cell hidden prints no sector
figure. Only an analyst of the sector (or the platform admin) gets it, and it is audited."""

from __future__ import annotations

import re
import subprocess

import pytest

from assessment import benchmarks, formatting, joint_committees
from assessment.access import AccessDenied, Scope, Sector
from assessment.audit import SECTOR_REPORT_PDF
from assessment.demo import DEMO_HIDDEN_SECTOR, DEMO_SECTOR
from assessment.i18n import LANGUAGES, t
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import downloads
from assessment.sector import cell_label, reason_text, screen_tables, sector_view
from assessment.storage import connection
from tests.conftest import fresh_database
from tests.context import on
from tests.test_report_organisation import Flat

pytestmark = pytest.mark.both_backends  # a module database: PostgreSQL's in that pass

ADMIN = Scope(1, "admin@demo", "platform_admin")
ANALYST = Scope(5, "analist@sociaalfonds.demo", "sector_analyst",
                sectors=(DEMO_SECTOR, DEMO_HIDDEN_SECTOR))


@pytest.fixture(scope="module")
def db(tmp_path_factory, request):
    """The demo data, once for the module (on either backend)."""
    return fresh_database(request, tmp_path_factory.mktemp("sector-report"), demo=True)



def texts(pdf: bytes) -> tuple[str, str]:
    """(text with single spaces, layout text with its lines)."""
    plain = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                            check=True)
    return Flat(" ".join(plain.stdout.decode().split())), layout.stdout.decode()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_report_holds_the_sector_pages_figures_hidden_cells_and_rules(db, lang):
    q = load_employee_questionnaire()
    pdf = downloads.sector_report_pdf(on(db), ANALYST, DEMO_SECTOR, lang, q)
    text, layout = texts(pdf)
    flat = "".join(text.split())
    view = sector_view(on(db), ANALYST, DEMO_SECTOR)
    total = view.total
    assert total.shown and view.bands, "the demo sector shows its figures"
    name = joint_committees.name("330", lang)
    assert name  # the committee's name, not only its number
    pc = t("sector.kind.pc", lang)  # "CP" in French
    assert "".join(t("report.sector_title", lang, sector=f"{pc} 330 – {name}").split()) in flat
    for value in (formatting.number(total.n_organisations, lang),
                  formatting.number(total.n_respondents, lang),
                  formatting.percent(total.werkbaarheidsgraad, lang, 1)):
        assert value in text
    for scale, share in total.knelpunt.items():  # the charts' bars, labelled
        assert formatting.percent(share, lang, 1) in text, scale
        flemish = benchmarks.latest(f"{scale}_knelpunt")
        if flemish:
            assert formatting.percent(flemish.value_pct, lang, 1) in text
    for p20, p50, p80 in view.bands.values():
        assert " · ".join(f"{p} {formatting.percent(v, lang, 1)}" for p, v in (
            ("P20", p20), ("P50", p50), ("P80", p80))) in text
    for _, table in screen_tables(view, lang):  # every row of the page's tables
        for row in table.astype(str).values.tolist():
            figures = [v for v in row[1:] if v != formatting.MISSING]
            if figures:
                pattern = r"\s+".join(re.escape(v) for v in figures)
                assert re.search(rf"(?<![\d,.]){pattern}(?![\d,.])", layout), row
    hidden = [c for c in (*view.by_size, *view.by_division, *view.trend) if not c.shown]
    assert hidden, "the demo sector hides cells"
    section = text.split(t("report.sector_hidden", lang))[-1]
    for cell in hidden:
        assert f"{cell_label(cell, lang)} — {reason_text(cell.reason, view.rules, lang)}" in section
    rules = t("sector.table_help", lang, organisations=view.rules.min_organisations,
              respondents=view.rules.min_respondents,
              share=formatting.number(100 * view.rules.max_share, lang))
    assert rules in text
    assert t("sector.why_ended_years", lang) in text
    for metric in ("werkbaarheidsgraad", "werkstress_knelpunt"):
        assert "".join(benchmarks.latest(metric).source_url.split()) in flat
    assert not re.search(r"\bNone\b|\bnan\b|[{}]", text)
    if lang == "nl":
        assert not re.search(r"\d\.\d+%", text)


def test_a_sector_with_every_cell_hidden_prints_no_sector_figure(db):
    q = load_employee_questionnaire()
    text, _ = texts(downloads.sector_report_pdf(on(db), ANALYST, DEMO_HIDDEN_SECTOR, "nl", q))
    view = sector_view(on(db), ANALYST, DEMO_HIDDEN_SECTOR)
    assert not view.total.shown
    assert t("sector.total_hidden", "nl", year=view.year, organisations=5, respondents=30,
             share="50") in text
    assert t("sector.indicators", "nl") not in text  # no chart
    before_sources = text.split(t("dash.sources", "nl"))[0]
    assert not re.search(r"\d+,\d%", before_sources)  # no share at all; only the sources have


def test_only_the_sectors_analyst_gets_it_and_it_is_audited(db):
    q = load_employee_questionnaire()
    for scope in (Scope(6, "ander@fonds", "sector_analyst", sectors=(Sector("pc", "124"),)),
                  Scope(7, "hr@zorggroep.demo", "organisation_admin", 1),
                  Scope(8, "lezer@zorggroep.demo", "hr_viewer", 1)):
        with pytest.raises(AccessDenied):
            downloads.sector_report_pdf(on(db), scope, DEMO_SECTOR, "nl", q)
    downloads.sector_report_pdf(on(db), ANALYST, DEMO_SECTOR, "en", q)
    with connection(db) as conn:
        rows = conn.execute("select username, subject, detail from audit_log where action = ?",
                            [SECTOR_REPORT_PDF]).fetchall()
    assert ("analist@sociaalfonds.demo", "pc:330", "en") in rows
    assert not any(r[0] in ("ander@fonds", "hr@zorggroep.demo", "lezer@zorggroep.demo")
                   for r in rows)
