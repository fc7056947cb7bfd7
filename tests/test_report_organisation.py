"""The organisation report (PDF and XLSX) of the demo care organisation: its text, read back with
Debian's ``pdftotext``, holds exactly the figures the dashboard, the groups page and the trends
page show (expected values computed here with the same domain functions and written by
assessment/formatting), the sources with year and population, and no figure of a hidden group;
the XLSX sheets equal those tables; only who may see the results gets a report, and every
download is in the audit log without the organisation's name."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest

from assessment import benchmarks, comparisons, formatting
from assessment.access import AccessDenied, Scope
from assessment.actions import changes, list_actions
from assessment.audit import REPORT_PDF, REPORT_XLSX
from assessment.catalogue import load_catalogue
from assessment.exports import DANGEROUS_STARTS
from assessment.formatting import shown
from assessment.i18n import LANGUAGES, t
from assessment.organisations import (
    create_organisation,
    get_organisation,
    visible_organisations,
)
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import downloads, organisation, organisation_xlsx
from assessment.reports.organisation import ReportUnavailable
from assessment.reports.organisation_pdf import translation_status
from assessment.responses import submit_response
from assessment.results import WERKBAAR, counted_scale, round_breakdowns, round_results
from assessment.rounds import close_round, create_invitations, list_rounds, open_round
from assessment.self_assessment import load_employer_questionnaire
from assessment.storage import connection, write_transaction
from tests.conftest import fresh_database
from tests.context import on

from .conftest import TODAY

pytestmark = pytest.mark.both_backends  # a module database: PostgreSQL's in that pass

ORG = "Zorggroep Scheldeland"
FORMULA = '=HYPERLINK("http://evil.example","klik")'
ADMIN = Scope(1, "admin@demo", "platform_admin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, request):
    """The demo database, with one department renamed to a spreadsheet formula."""
    db = fresh_database(request, tmp_path_factory.mktemp("report"), demo=True)
    orgs = {o.name: o for o in visible_organisations(on(db), ADMIN)}
    org = orgs[ORG]
    with write_transaction(db) as conn:
        conn.execute("update departments set name = ? where id = ?",
                     [FORMULA, org.departments[0].id])
    return db, orgs[ORG].id, orgs["Logistiek Waasland"].id


@pytest.fixture(scope="module")
def inputs():
    return load_employee_questionnaire(), load_employer_questionnaire(), load_catalogue()


class Flat(str):
    """Text whose whitespace is single spaces, and in which a needle is looked for with its
    whitespace made single spaces too (a French figure holds no-break spaces: "7 500 €")."""

    def __contains__(self, needle: object) -> bool:
        return " ".join(str(needle).split()) in str(self)


def text_of(pdf: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace made single spaces."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return Flat(" ".join(out.stdout.decode("utf-8").split()))


def layout_of(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True)
    return out.stdout.decode("utf-8")


def newest(db, org_id):
    return next(r for r in list_rounds(on(db), org_id)
                if round_results(on(db), r.id).shown)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_holds_the_dashboard_figures_sources_and_no_hidden_figure(demo, inputs, lang):
    db, org_id, _ = demo
    q, eq, catalogue = inputs
    survey_round = newest(db, org_id)
    pdf = downloads.organisation_report_pdf(on(db), ADMIN, org_id, survey_round.id, lang, q, eq,
                                            catalogue)
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType font embedded
    text, layout = text_of(pdf), layout_of(pdf)
    res = round_results(on(db), survey_round.id)
    sector = benchmarks.sector_for_division("87")

    assert t("report.title", lang, organisation=ORG) in text
    assert formatting.number(res.n_responses, lang) in text
    graad = shown(res.werkbaarheidsgraad)
    flemish = comparisons.compare(WERKBAAR, sector).flanders
    assert t("report.vs_flanders", lang, difference=formatting.difference(
        graad - shown(flemish.value_pct), lang), origin=comparisons.origin(flemish, lang)) in text
    assert formatting.percent(graad, lang) in text
    for scale in q.scales:  # the dashboard's table row: n, mean, % knelpunt, % acuut
        fig = res.scales[scale.id]
        row = r"\s+".join(re.escape(formatting.number(v, lang))
                          for v in (fig.n, fig.mean, fig.pct_knelpunt, fig.pct_acuut))
        assert re.search(rf"(?<![\d,.]){row}(?![\d,.])", layout), scale.id
        assert formatting.percent(fig.pct_knelpunt, lang) in text
        for bench in comparisons.compare(comparisons.knelpunt_metric(scale.id),
                                         sector).figures:
            assert formatting.percent(bench.value_pct, lang, 1) in text
    flat = text.replace(" ", "")
    for bench in comparisons.compare(WERKBAAR, sector).figures:  # sources: year, population
        assert comparisons.origin(bench, lang) in text
        assert bench.source_url.replace(" ", "") in flat

    names = {"department": {d.id: d.name for d in
                            next(o for o in visible_organisations(on(db), ADMIN)
                                 if o.id == org_id).departments},
             **{b.id: {o.code: o.label(lang) for o in b.options} for b in q.background
                if b.id != "department"}}
    views = round_breakdowns(on(db), survey_round.id, {d: list(g) for d, g in names.items()})
    hidden = [names[d][g] for d, v in views.items() for g in v.groups if g not in v.shown]
    assert hidden, "the demo has hidden groups"

    def bare(value: str) -> str:  # a column head wraps anywhere: compare without spaces
        return "".join(value.split())

    counted = counted_scale(round_results(on(db), survey_round.id), q)
    for d, view in views.items():
        for g, figures in view.shown.items():
            if counted not in figures.scales:  # shown elsewhere only (rule 8): no n, as the page
                assert not re.search(re.escape(bare(names[d][g])) + r"n=\d", flat)
                continue
            assert bare(names[d][g]) + bare(t("chart.n", lang, n=formatting.number(
                figures.scales[counted].n, lang))) in flat, g
    for name in hidden:  # its head says "hidden", never "n = …"
        assert bare(name) + bare(t("chart.hidden", lang)) in flat
        assert not re.search(re.escape(bare(name)) + r"n=\d", flat)
    assert ", ".join(hidden[:1]) in text.split(t("report.confidentiality", lang))[-1]
    cells = len(q.scales) + 1
    assert text.count(t("chart.hidden", lang)) >= len(hidden) * (cells + 1)
    assert bare(FORMULA) in flat  # a typed name is printed as text

    moved = changes(on(db), list_actions(on(db), org_id), survey_round.id)
    assert moved, "the demo's action has a later round"
    for found in moved:  # the plan: how the action's gap moved, as the plan page says it
        assert t("actions.effect", lang, gap=q.scale(found.action.gap_id).label(lang),
                 before=formatting.percent(shown(found.before), lang),
                 after=formatting.percent(shown(found.after), lang),
                 verdict=t("actions.better" if found.better else "actions.worse", lang)) in text
    for previous in list_rounds(on(db), org_id)[1:]:  # the trend: each round's figure
        before = round_results(on(db), previous.id)
        assert previous.title in text
        assert formatting.percent(shown(before.werkbaarheidsgraad), lang) in text
    assert translation_status(q, lang) in text  # which translations were validated
    assert not re.search(r"\bNone\b|\bnan\b|[{}]", text)
    if lang == "nl":
        assert not re.search(r"\d\.\d+%", text)  # no dot decimal in a Dutch percentage
    else:
        assert not re.search(r"\d,\d+%", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_quotes_the_sources_of_its_advice_and_names_a_secondary_figure(demo, inputs,
                                                                             lang):
    """Issue 24: the quotes behind each advised measure are in the PDF as on the support page's
    "?", and a comparison figure from a secondary publication is never passed off as SERV's."""
    db, org_id, _ = demo
    q, eq, catalogue = inputs
    survey_round = newest(db, org_id)
    report = organisation.build(on(db), ADMIN, org_id, survey_round.id, lang, q, eq, catalogue)
    flat = "".join(text_of(downloads.organisation_report_pdf(on(db),
        ADMIN, org_id, survey_round.id, lang, q, eq, catalogue)).split())
    advised = (*report.advice.obligations, *report.advice.fitting)
    quoted = [e for rec in advised for e in rec.measure.evidence]
    assert quoted, "the demo's advice has quoted measures"
    assert "".join(t("report.advice_sources", lang).split()) in flat
    for item in quoted:
        assert "".join(item.quote[:60].split()) in flat, item.quote
    secondary = [b for b in report.sources if not b.primary]
    assert secondary, "the care sector's comparison uses a secondary figure"
    for b in secondary:
        assert "".join(comparisons.source(b, lang).split()) in flat


def test_xlsx_sheets_equal_the_published_tables(demo, inputs):
    db, org_id, _ = demo
    q, eq, catalogue = inputs
    survey_round = newest(db, org_id)
    data = downloads.organisation_report_xlsx(on(db), ADMIN, org_id, survey_round.id, "nl", q, eq,
                                              catalogue)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Samenvatting", "Indicatoren", "Risicofactoren", "Groepen",
                               "Trends", "Actieplan", "Kolommen en bronnen"]
    res = round_results(on(db), survey_round.id)
    sector = benchmarks.sector_for_division("87")
    for sheet, kind in (("Indicatoren", "indicator"), ("Risicofactoren", "risk_factor")):
        rows = list(book[sheet].iter_rows(values_only=True))
        expected = []
        for scale in (s for s in q.scales if s.kind == kind):
            fig = res.scales[scale.id]
            cmp = comparisons.compare(comparisons.knelpunt_metric(scale.id), sector)
            expected.append((scale.label("nl"), fig.n, shown(fig.mean), shown(fig.pct_knelpunt),
                             shown(fig.pct_acuut),
                             round(cmp.flanders.value_pct, 1) if cmp.flanders else None,
                             comparisons.origin(cmp.flanders, "nl") if cmp.flanders else None,
                             round(cmp.sector.value_pct, 1) if cmp.sector else None,
                             comparisons.origin(cmp.sector, "nl") if cmp.sector else None))
        assert rows[1:] == expected
    report = organisation.build(on(db), ADMIN, org_id, survey_round.id, "nl", q, eq, catalogue)
    groups = list(book["Groepen"].iter_rows(values_only=True))
    expected = [row for view in report.groups for row in (
        [t(f"groups.dim.{view.dimension}", "nl"),
         "'" + label if label.startswith(DANGEROUS_STARTS) else label,
         "getoond" if view.shown(i) else "verborgen", n,
         *[values[i] for _, _, values in view.rows]]
        for i, (label, n) in enumerate(view.heads))]
    assert [list(r) for r in groups[1:]] == expected
    hidden_rows = [r for r in groups[1:] if r[2] == "verborgen"]
    assert hidden_rows and all(v is None for r in hidden_rows for v in r[3:])
    summary = list(book["Samenvatting"].iter_rows(values_only=True))
    assert summary[3][:3] == ("Werkbaarheidsgraad", None, shown(res.werkbaarheidsgraad))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "'" + FORMULA in [c.value for c in cells]
    assert not any(c.data_type == "f" or isinstance(c.value, str)
                   and c.value.startswith(DANGEROUS_STARTS) for c in cells)
    frames = organisation_xlsx.tables(report)
    assert [name for name, _ in frames] == book.sheetnames[:-1]


def test_only_who_may_see_the_results_gets_a_report_and_each_is_audited(demo, inputs):
    db, org_id, other_id = demo
    q, eq, catalogue = inputs
    survey_round = newest(db, org_id)
    outsiders = [Scope(7, "hr@logistiek.demo", "hr_viewer", other_id),
                 Scope(8, "analist@sociaalfonds.demo", "sector_analyst")]
    for scope in outsiders:
        for make in (downloads.organisation_report_pdf, downloads.organisation_report_xlsx):
            with pytest.raises(AccessDenied):
                make(on(db), scope, org_id, survey_round.id, "nl", q, eq, catalogue)
    viewer = Scope(9, "lezer@zorggroep.demo", "hr_viewer", org_id)
    downloads.organisation_report_pdf(on(db), viewer, org_id, survey_round.id, "en", q, eq,
                                      catalogue)
    downloads.organisation_report_xlsx(on(db), viewer, org_id, survey_round.id, "nl", q, eq,
                                       catalogue)
    with connection(db) as conn:
        rows = conn.execute("select username, action, subject, detail from audit_log "
                            "where action in (?, ?)", [REPORT_PDF, REPORT_XLSX]).fetchall()
    mine = [r for r in rows if r[0] in {s.username for s in outsiders} | {viewer.username}]
    subject = f"organisation:{org_id}/round:{survey_round.id}"
    assert mine == [(viewer.username, REPORT_PDF, subject, "en"),
                    (viewer.username, REPORT_XLSX, subject, "nl")]
    assert not any(ORG in (r[2] or "") for r in rows)


def test_no_report_for_a_round_without_figures_or_of_another_organisation(demo, inputs):
    db, org_id, other_id = demo
    q, eq, catalogue = inputs
    running = open_round(on(db), org_id, "Loopt nog", date.today() - timedelta(days=1),
                         date.today() + timedelta(days=9), q)
    other_round = newest(db, other_id)
    for round_id in (running, other_round.id):
        with pytest.raises(ReportUnavailable):
            downloads.organisation_report_pdf(on(db), ADMIN, org_id, round_id, "nl", q, eq,
                                              catalogue)


def test_a_first_round_without_plan_self_assessment_or_trend_says_so(db, org_id, round_id,
                                                                      tokens, questionnaire,
                                                                      full_answers, inputs):
    """A new organisation: one closed round, every respondent in one department (so the other
    is hidden), no self-assessment, no action, no earlier round. The report names each gap in
    words instead of leaving a section out or failing."""
    department = get_organisation(on(db), org_id).departments[0]
    for token in tokens[:6]:
        submit_response(on(db), token, questionnaire, full_answers(4),
                        {"department": department.id},
                        today=TODAY)
    close_round(on(db), round_id, today=TODAY)
    _, eq, catalogue = inputs
    text = text_of(downloads.organisation_report_pdf(on(db), ADMIN, org_id, round_id, "nl",
                                                     questionnaire, eq, catalogue))
    for key in ("trends.too_few", "report.no_self_assessment", "dash.actions_none"):
        assert t(key, "nl") in text
    hidden = get_organisation(on(db), org_id).departments[1].name
    assert t("report.conf_hidden", "nl", dimension=t("groups.dim.department", "nl"),
             groups=hidden) in text
    assert formatting.number(6, "nl") in text and not re.search(r"\bNone\b|\bnan\b", text)


def test_many_departments_get_several_heatmaps_each_readable(db, questionnaire, full_answers,
                                                             inputs):
    """Twelve departments do not squeeze into one A4 map: they come in maps of at most
    seven beside the whole organisation, every department named with its n."""
    names = [f"Afdeling {n:02d}" for n in range(1, 13)]
    org_id = create_organisation(on(db), "Groot Ziekenhuis", "Q", "86", 400, names, today=TODAY)
    round_id = open_round(on(db), org_id, "Bevraging 2026", TODAY - timedelta(days=5),
                          TODAY + timedelta(days=5), questionnaire, today=TODAY - timedelta(days=5))
    tokens = create_invitations(on(db), round_id, 72)
    for n, token in enumerate(tokens):
        department = get_organisation(on(db), org_id).departments[n % 12]
        # every department's six answer differently (rule 8 hides a unanimous one)
        submit_response(on(db), token, questionnaire, full_answers(1 + (n // 12) % 5),
                        {"department": department.id}, today=TODAY)
    close_round(on(db), round_id, today=TODAY)
    _, eq, catalogue = inputs
    text = text_of(downloads.organisation_report_pdf(on(db), ADMIN, org_id, round_id, "nl",
                                                     questionnaire, eq, catalogue))
    departments = text.split(t("report.by", "nl", dimension=t("groups.dim.department", "nl")))[1]
    departments = departments.split(t("report.by", "nl", dimension=t("groups.dim.age_band",
                                                                     "nl")))[0]
    assert departments.count(t("groups.organisation", "nl")) == 2
    for name in names:
        assert f"{name} n = 6" in departments or f"{name} n=6" in departments


def test_the_method_marks_the_acute_level_werkbaar_added(demo, inputs):
    """Issue 24, item 6: the SERV model has an acute level only for werkstress and motivatie;
    the report's cut-off table marks every other scale's acute level as Werkbaar's own."""
    db, org_id, _ = demo
    q, eq, catalogue = inputs
    assert {s.id for s in q.scales if s.cutoffs.acuut_in_monitor} == {"werkstress", "motivatie"}
    pdf = downloads.organisation_report_pdf(on(db), ADMIN, org_id, newest(db, org_id).id, "nl", q,
                                            eq,
                                            catalogue)
    layout, text = layout_of(pdf), text_of(pdf)
    for scale in q.scales:
        row = next(line for line in layout.splitlines()
                   if line.strip().startswith(scale.label("nl")) and "voorlopig" in line)
        assert row.rstrip().endswith("*") is not scale.cutoffs.acuut_in_monitor, row
    assert t("report.acuut_extension", "nl") in text
    assert "niet publiek" not in text
