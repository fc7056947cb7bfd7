"""The risk-analysis export for the prevention adviser: a closed round with the psychosocial
module in an organisation of three departments (two of 8 respondents, one of 2 that every rule
withholds, and 6 who gave no department). The PDF, read back with ``pdftotext``, holds every
domain, the method and the limits in each language; its tables print exactly the figures of
the extras view the pages show (a figure withheld there is "hidden" here, the small
department gets no column and its share appears nowhere); the workbook holds the same figures
with every text neutralised; a round without the module, or whose module figures may not be
shown, and a stranger get nothing."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta

import openpyxl
import pytest

from assessment import extras_view, formatting, questionnaire_store, round_extras
from assessment.access import AccessDenied, Scope
from assessment.catalogue import load_catalogue
from assessment.exports import DANGEROUS_STARTS
from assessment.i18n import LANGUAGES, t
from assessment.modules import module
from assessment.organisations import create_organisation, get_organisation
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import (
    organisation,
    organisation_pdf,
    organisation_xlsx,
    risk_analysis,
    risk_analysis_pdf,
    risk_analysis_xlsx,
)
from assessment.reports.pdf import Document
from assessment.reports.risk_analysis import RiskAnalysisUnavailable
from assessment.responses import submit_response
from assessment.results import breakdown_groups
from assessment.rounds import close_round, create_invitations, get_round, open_round
from assessment.self_assessment import load_employer_questionnaire
from assessment.storage import write_transaction
from tests.context import on

from .conftest import TODAY

ADMIN = Scope(1, "admin@demo", "platform_admin")
FORMULA = '=HYPERLINK("http://evil.example","klik")'
ACTION = "@werkdruk: teams herverdelen"
PSY = module("psychosocial", 1)


@pytest.fixture(scope="module")
def inputs():
    return load_employee_questionnaire(), load_employer_questionnaire(), load_catalogue()


def text_of(pdf: bytes, lang: str = "nl") -> str:
    """The PDF's text, whitespace made single spaces, without the page footers (so a
    paragraph broken over two pages reads as one)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    page = re.compile(rf"{t('report.page', lang)} \d+/\d+")
    lines = [line for line in out.stdout.decode("utf-8").replace("\f", "\n").splitlines()
             if not line.startswith("Werkbaar · ") and not page.fullmatch(line.strip())]
    return " ".join(" ".join(lines).split())


def flat(text: str) -> str:
    return " ".join(text.split())


OWN = {"nl": "Werk je soms thuis?", "en": "Do you sometimes work from home?",
       "fr": "Travaillez-vous parfois à domicile ?"}
OPTIONS = [{"nl": "Ja", "en": "Yes", "fr": "Oui"}, {"nl": "Nee", "en": "No", "fr": "Non"}]


def open_module_round(db, org_id, questionnaire, questions=()):
    extras = round_extras.validated((PSY,), tuple(questions))
    return open_round(on(db), org_id, "Met module", TODAY - timedelta(days=1),
                      TODAY + timedelta(days=20), questionnaire, today=TODAY,
                      extras=round_extras.to_stored(extras))


def answer(db, round_id, plan):
    """``plan``: (department id or None, werkbaar answer, module answers or None) per person."""
    q = questionnaire_store.for_round(on(db), get_round(on(db), round_id))
    tokens = create_invitations(on(db), round_id, len(plan))
    base = [item.id for item in load_employee_questionnaire().items]
    for token, (department, value, extra) in zip(tokens, plan, strict=True):
        answers = dict.fromkeys(base, value) | (extra or {})
        submit_response(on(db), token, q, answers,
                        {"department": department} if department else {}, today=TODAY)
    close_round(on(db), round_id, today=TODAY)


def reporting(every: int, person: int) -> dict[str, int]:
    """The module answered by one person: every ``every``-th question (shifted per person)
    reported (5), the others not (1)."""
    return {item.id: 5 if (person + n) % every == 0 else 1 for n, item in enumerate(PSY.items)}


@pytest.fixture
def world(db, inputs):
    """Acme with the departments FORMULA, Kantoor and Magazijn, a closed round with the
    module and an own question, and two actions: one on a scale, one on a practice area."""
    q = inputs[0]
    org_id = create_organisation(on(db), "Acme", "C", "10", 40, ["Productie", "Kantoor",
                                                                 "Magazijn"], today=TODAY)
    org = get_organisation(on(db), org_id)
    ids = {d.name: d.id for d in org.departments}
    production, office, store = ids["Productie"], ids["Kantoor"], ids["Magazijn"]
    with write_transaction(db) as conn:
        conn.execute("update departments set name = ? where id = ?", [FORMULA, production])
    own = round_extras.own_question(1, round_extras.SINGLE, OWN, OPTIONS, ("nl", "en", "fr"))
    round_id = open_module_round(db, org_id, q, (own,))
    answer(db, round_id,
           [(production, 2 + n % 3, reporting(3, n) | {"own1": 1 + n % 2}) for n in range(8)]
           + [(office, 2 + n % 2, reporting(4, n) | {"own1": 1 + n % 3 // 2}) for n in range(8)]
           + [(store, 4, {i.id: 5 for i in PSY.items}) for _ in range(2)]
           + [(None, 3, reporting(2, n)) for n in range(6)])
    from assessment.actions import add_action
    add_action(on(db), org_id, ACTION, owner="HR", gap_id="werkdruk",
               due_on=TODAY + timedelta(days=30), today=TODAY)
    add_action(on(db), org_id, "Leeftijdsbewust HR-beleid", gap_id="age_aware_hr", today=TODAY)
    return org_id, round_id, store


def build(db, world, inputs, lang="nl"):
    org_id, round_id, _ = world
    return risk_analysis.build(on(db), ADMIN, org_id, round_id, lang, *inputs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_holds_each_domain_the_method_and_the_limits(db, world, inputs, lang):
    analysis = build(db, world, inputs, lang)
    pdf = risk_analysis_pdf.render(analysis)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf, lang)
    assert t("risk.title", lang, organisation="Acme") in text
    for domain in PSY.domains:  # each of the five elements, its description and questions
        assert flat(domain.label(lang)) in text and flat(domain.description(lang)) in text
        for item in domain.items:
            assert flat(item.text(lang)) in text, item.id
    threshold = analysis.report.results.threshold
    for needle in (PSY.scoring(lang), t("risk.method_domain", lang),
                   t("risk.method_rules", lang, threshold=threshold, twice=2 * threshold),
                   t("risk.method_online", lang), t("risk.actions_no_domain", lang),
                   t("risk.method_questionnaire", lang, questionnaire=inputs[0].title(lang),
                     version=1, module=PSY.title(lang), module_version=1),
                   *risk_analysis_pdf.limits(analysis)):
        assert flat(needle) in text, needle[:60]
    for item in PSY.evidence:
        assert item.url in text.replace(" ", "") and flat(item.quote) in text
    # the werkbaar-werk results and the action on a scale, the other one counted
    assert flat(formatting.percent(analysis.report.graad_shown, lang)) in text
    assert ACTION in text and "Leeftijdsbewust" not in text
    assert flat(t("risk.actions_other", lang, count=1)) in text
    assert OWN[lang] not in text  # the organisation's own question is not the adviser's


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_organisation_report_shows_the_module_and_the_own_question(db, world, inputs,
                                                                       lang):
    """After the groups: the module (title, scoring rule, every domain and question) and the
    own question with its answers; the workbook has the same rows on a sheet, neutralised."""
    org_id, round_id, _ = world
    report = organisation.build(on(db), ADMIN, org_id, round_id, lang, *inputs)
    text = text_of(organisation_pdf.render(report), lang)
    after = text.split(t("groups.title", lang), 1)[1].split(t("trends.title", lang), 1)[0]
    assert t("extras.title", lang) in after and OWN[lang] in after
    for needle in (PSY.title(lang), PSY.scoring(lang), OPTIONS[0][lang], OPTIONS[1][lang],
                   *(d.label(lang) for d in PSY.domains), *(i.text(lang) for i in PSY.items)):
        assert flat(needle) in after, needle[:60]
    frames = dict(organisation_xlsx.tables(report))
    sheet = frames[t("extras.title", lang)]
    assert len(sheet) == len(report.extras.rows()) + 1  # one more: the second answer
    book = openpyxl.load_workbook(io.BytesIO(organisation_xlsx.workbook(report)))
    cells = [c.value for row in book[t("extras.title", lang)[:31]].iter_rows() for c in row]
    assert f"'{FORMULA} (%)" in cells
    assert not any(isinstance(c, str) and c.startswith(DANGEROUS_STARTS) for c in cells)


def test_the_tables_print_the_pages_figures_and_withheld_ones_stay_withheld(
        db, world, inputs, monkeypatch):
    """Every cell of every domain table is the extras view's figure as the groups page shows
    it, or "hidden" where the view has none, and nothing else; Magazijn (2 respondents) has
    no column, only its name in the note."""
    org_id, round_id, store = world
    q = inputs[0]
    org = get_organisation(on(db), org_id)
    view = extras_view.build(on(db), get_round(on(db), round_id), breakdown_groups(org, q), "nl")
    page = {r.column: r for r in view.rows()}  # what the dashboard and groups page show
    analysis = build(db, world, inputs)
    grids = []
    original = Document.grid

    def recording(self, head, rows, *args, **kwargs):
        grids.append((list(head), [list(r) for r in rows]))
        return original(self, head, rows, *args, **kwargs)

    monkeypatch.setattr(Document, "grid", recording)
    text = text_of(risk_analysis_pdf.render(analysis))
    names = {d.id: d.name for d in org.departments}
    shown = [g for g in names if any(g in r.groups["department"] for r in view.rows())]
    assert store not in shown and len(shown) == 2  # the small one withheld everywhere
    hidden = t("chart.hidden", "nl")
    tables = grids[:len(PSY.domains)]
    withheld = 0
    for domain, (head, rows) in zip(PSY.domains, tables, strict=True):
        assert head[3:] == [names[g] for g in shown]
        columns = [f"domain:psychosocial.{domain.id}", *(i.id for i in domain.items)]
        for column, cells in zip(columns, rows, strict=True):
            row = page[column]
            expected = [formatting.percent(row.whole[0], "nl") if row.whole else hidden] + [
                formatting.percent(row.groups["department"][g][0], "nl")
                if g in row.groups["department"] else hidden for g in shown]
            assert cells[2:] == expected, column
            assert cells[1] == formatting.number(row.n, "nl")
            withheld += expected.count(hidden)
    domains = text.split(t("risk.domains", "nl"))[1].split(t("risk.werkbaar", "nl"))[0]
    assert t("report.conf_hidden", "nl", dimension=t("groups.dim.department", "nl"),
             groups="Magazijn") in domains
    assert domains.count("Magazijn") == 1  # in the note only, never a column
    assert domains.count(hidden) >= withheld


def test_the_workbook_holds_the_same_figures_neutralised(db, world, inputs):
    org_id, round_id, store = world
    org = get_organisation(on(db), org_id)
    analysis = build(db, world, inputs)
    book = openpyxl.load_workbook(io.BytesIO(risk_analysis_xlsx.workbook(analysis)))
    assert book.sheetnames == [name[:31] for name, _ in risk_analysis_xlsx.tables(analysis)]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" or isinstance(c.value, str)
                   and c.value.startswith(DANGEROUS_STARTS) for c in cells)
    values = [c.value for c in cells]
    assert f"'{FORMULA} (%)" in values and f"'{ACTION}" in values
    domains = list(book[t("risk.sheet_domains", "nl")].iter_rows(values_only=True))
    rows = [r for d in analysis.domains for r in d.rows]
    assert len(domains) == 1 + len(rows)
    departments = [d.id for d in org.departments]
    for row, line in zip(rows, domains[1:], strict=True):
        cells = row.groups["department"]
        assert list(line[2:]) == [row.n, row.whole[0] if row.whole else None, *[
            cells[g][0] if g in cells else None for g in departments]]
        assert line[2 + departments.index(store) + 2] is None  # Magazijn: withheld, every row


def test_no_module_no_export(db, org_id, questionnaire, inputs):
    round_id = open_round(on(db), org_id, "Zonder module", TODAY - timedelta(days=1),
                          TODAY + timedelta(days=20), questionnaire, today=TODAY)
    answer(db, round_id, [(None, 2 + n % 3, None) for n in range(8)])
    with pytest.raises(RiskAnalysisUnavailable):
        risk_analysis.build(on(db), ADMIN, org_id, round_id, "nl", *inputs)
    assert risk_analysis.module_of(get_round(on(db), round_id)) is None


def test_too_few_module_answers_online_no_export(db, org_id, questionnaire, inputs):
    """8 responses (the report exists) but only 3 answered the module: no module figure."""
    round_id = open_module_round(db, org_id, questionnaire)
    answer(db, round_id, [(None, 2 + n % 3, reporting(2, n) if n < 3 else None)
                          for n in range(8)])
    org = get_organisation(on(db), org_id)
    assert not risk_analysis.figures_shown(on(db), get_round(on(db), round_id), org,
                                           questionnaire)
    with pytest.raises(RiskAnalysisUnavailable):
        risk_analysis.build(on(db), ADMIN, org_id, round_id, "nl", *inputs)


def test_only_who_may_see_the_results_gets_it(db, world, inputs):
    org_id, round_id, _ = world
    for scope in (Scope(7, "hr@elders", "hr_viewer", org_id + 1),
                  Scope(8, "analist", "sector_analyst")):
        with pytest.raises(AccessDenied):
            risk_analysis.build(on(db), scope, org_id, round_id, "nl", *inputs)

