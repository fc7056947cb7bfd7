"""The organisation report as a PDF, for the meeting with management and the prevention
committee (CPBW): page 1 is read in a minute (werkbaarheidsgraad, the largest problems and
strengths with their change and comparisons), then the detail in the dashboard's order.

Every number is written by :mod:`assessment.formatting` from the figures of
:class:`~assessment.reports.organisation.OrganisationReport`, which are the screen's figures.

Decisions: the action plan is a vertical timeline by due date (open actions first, as the plan
page lists them), since a manager reads "what happens when" top to bottom; a measure's sources
are named by their site and date last checked (a printed link is read, not clicked); the
cut-offs are printed per scale, marked provisional.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .. import comparisons, formatting
from ..actions import OPEN_STATUSES
from ..charts import (
    ACUTE_COLOUR,
    FLANDERS_COLOUR,
    KNELPUNT_COLOUR,
    OK_COLOUR,
    SECTOR_COLOUR,
    shown,
)
from ..i18n import LANGUAGE_NAMES, labelled, t
from ..perception import noteworthy
from ..questionnaire import Questionnaire
from ..recommendations import SCALE_MIN_SHARE_PCT
from ..summary import headline, scale_sentence
from ..trend import change
from . import extras_pdf
from .organisation import OrganisationReport, group_names, trend_labels, trend_note
from .pdf import WIDTH, Document
from .pdf_charts import Bar, HeatCell, Marker, Milestone, StackedBar, legend_markers

GROUPS_PER_MAP = 7  # groups per heatmap beside the whole organisation (A4 portrait)


def render(report: OrganisationReport) -> bytes:
    """The report as PDF bytes."""
    lang = report.lang
    org, rnd = report.organisation, report.survey_round
    doc = Document(t("report.title", lang, organisation=org.name),
                   t("report.footer", lang, organisation=org.name, round=rnd.title), lang,
                   t("report.page", lang))
    doc.add_page()
    _first_page(doc, report)
    _scales(doc, report)
    _groups(doc, report)
    if report.extras is not None:  # the round's modules and own questions
        extras_pdf.section(doc, report.extras, group_names(
            report.organisation, report.questionnaire, lang)["department"],
            report.results.threshold, lang)
    _trend(doc, report)
    _perception(doc, report)
    _support(doc, report)
    _plan(doc, report)
    _methodology(doc, report)
    _sources(doc, report)
    _advice_sources(doc, report)
    _confidentiality(doc, report)
    return doc.render()


def _first_page(doc: Document, report: OrganisationReport) -> None:
    lang, res, rnd, summary = report.lang, report.results, report.survey_round, report.overview
    doc.title_block(t("report.title", lang, organisation=report.organisation.name), [
        t("report.round_line", lang, round=rnd.title, opens=formatting.day(rnd.opens_on, lang),
          closes=formatting.day(rnd.closed_early_on or rnd.closes_on, lang)),
        t("report.made_on", lang, date=formatting.long_day(report.today, lang)),
        t("report.audience", lang)])
    flemish = report.graad.flanders
    graad = report.graad_shown
    delta = graad - shown(flemish.value_pct) if flemish and graad is not None else None
    doc.key_figures([
        (t("rounds.responses", lang), formatting.number(res.n_responses, lang),
         t("report.response_note", lang, rate=formatting.percent(
             None if res.response_rate is None else round(res.response_rate), lang))),
        (t("dash.werkbaarheidsgraad", lang), formatting.percent(graad, lang),
         t("report.vs_flanders", lang, difference=formatting.difference(delta, lang),
           origin=comparisons.origin(flemish, lang)) if delta is not None else ""),
    ])
    doc.paragraph(headline(summary, lang))
    doc.heading(t("summary.problems", lang), 2, room=20)
    if not summary.problems:
        doc.paragraph(t("summary.no_problems", lang, threshold=SCALE_MIN_SHARE_PCT), muted=True)
    for line in summary.problems:
        doc.paragraph(f"{report.scale_label(line.scale_id)} · "
                      f"{formatting.percent(line.share, lang)}", 10.5, bold=True)
        doc.paragraph(scale_sentence(line, summary, lang, False), 9, indent=4)
        if line.measure is not None:
            doc.paragraph(t("report.measure", lang, name=line.measure.measure.name(lang)), 9,
                          indent=4)
    doc.heading(t("summary.strengths", lang), 2, room=16)
    if not summary.strengths:
        doc.paragraph(t("summary.no_strengths", lang, threshold=SCALE_MIN_SHARE_PCT), muted=True)
    for line in summary.strengths:
        doc.bullet(labelled(report.scale_label(line.scale_id), scale_sentence(line, summary, lang),
                            lang),
                   9)
    if graad is not None:
        doc.heading(t("dash.werkbaarheidsgraad", lang), 2, room=30)
        bars = [Bar(t("chart.own", lang), graad, OK_COLOUR, formatting.percent(graad, lang))]
        for bench, colour in ((report.graad.sector, SECTOR_COLOUR), (flemish, FLANDERS_COLOUR)):
            if bench is not None:
                value = shown(bench.value_pct)
                bars.append(Bar(t("cmp.named", lang, where=comparisons.where(
                    bench, report.sector, lang), origin=comparisons.origin(bench, lang)), value,
                    colour, formatting.percent(value, lang)))
        doc.bars([(b.label, [b]) for b in bars], label_w=52)
        doc.paragraph(t("dash.werkbaarheidsgraad_help", lang), 8, muted=True)


def _scales(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    for kind, heading in (("indicator", "dash.indicators"), ("risk_factor", "dash.risk_factors")):
        rows = [r for r in report.scales if r.kind == kind]
        if not rows:
            continue
        doc.heading(t(heading, lang), room=70)
        doc.paragraph(t(f"{heading}_help", lang), 8.5, muted=True)
        bars, has = [], {"flanders": None, "sector": None}
        for r in rows:
            markers = []
            for attr, colour, shape in (("flanders", FLANDERS_COLOUR, "diamond"),
                                        ("sector", SECTOR_COLOUR, "triangle")):
                bench = getattr(r.comparison, attr)
                if bench is not None:
                    value = round(bench.value_pct, 1)
                    markers.append(Marker(value, colour, shape,
                                          formatting.percent(value, lang, 1)))
                    has[attr] = comparisons.where(bench, report.sector, lang)
            bars.append(StackedBar(r.label, r.knelpunt, r.acuut,
                                   formatting.percent(r.knelpunt, lang),
                                   formatting.percent(r.acuut, lang), tuple(markers)))
        doc.stacked_bars(bars, [("bar", ACUTE_COLOUR, t("chart.acuut", lang)),
                                ("bar", KNELPUNT_COLOUR, t("chart.knelpunt", lang)),
                                *legend_markers(has["flanders"], has["sector"])])
        if note := comparisons.mixed_years([b for r in rows for b in r.comparison.figures],
                                           report.sector, lang):
            doc.paragraph(note, 8, muted=True)
        doc.grid([t("dash.scale", lang), t("dash.n", lang), t("dash.mean", lang),
                  t("dash.knelpunt", lang), t("dash.acuut", lang), t("chart.flanders", lang),
                  t("chart.sector", lang)],
                 [[r.label, formatting.number(r.n, lang), formatting.number(r.mean, lang),
                   formatting.number(r.knelpunt, lang), formatting.number(r.acuut, lang),
                   comparisons.figure(r.comparison.flanders, lang),
                   comparisons.figure(r.comparison.sector, lang)] for r in rows],
                 (38, 14, 22, 22, 16, 34, 34), ["LEFT"] + ["RIGHT"] * 4 + ["LEFT"] * 2, 7.5)


def _groups(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    doc.heading(t("groups.title", lang), room=80)
    doc.paragraph(t("groups.heatmap_help", lang), 8.5, muted=True)
    hidden = t("chart.hidden", lang)
    for view in report.groups:
        doc.heading(t("report.by", lang, dimension=t(f"groups.dim.{view.dimension}", lang)), 2,
                    room=60)
        heads = [label if view.shown(i) and n is None else f"{label}\n" + (
            hidden if n is None else t("chart.n", lang, n=formatting.number(n, lang)))
            for i, (label, n) in enumerate(view.heads)]
        # at most GROUPS_PER_MAP groups beside the organisation, so a column stays readable
        # on A4; a larger organisation gets several maps, each with the organisation first
        for start in range(1, max(len(heads), 2), GROUPS_PER_MAP):
            columns = [0, *range(start, min(start + GROUPS_PER_MAP, len(heads)))]
            doc.heatmap([label for _, label, _ in view.rows], [heads[i] for i in columns], [
                [HeatCell(values[i], hidden if values[i] is None
                          else formatting.percent(values[i], lang)) for i in columns]
                for _, _, values in view.rows])


def _trend(doc: Document, report: OrganisationReport) -> None:
    lang, found = report.lang, report.trend
    doc.heading(t("trends.title", lang), room=70)
    if found is None or len(found.rounds) < 2:
        doc.paragraph(t("trends.too_few", lang), muted=True)
        return
    rounds = list(found.rounds)
    closed = [formatting.day(r.closed_early_on or r.closes_on, lang) for r in rounds]
    labels = trend_labels(report)
    series = [(labels[column], values, better) for column, values, better in found.series()]
    if found.graad:
        graad = series[0][1]
        doc.line_chart([f"{r.title}\n{d}" for r, d in zip(rounds, closed, strict=True)], graad,
                       [formatting.percent(v, lang) for v in graad],
                       t("report.trend_axis", lang))
    if note := trend_note(report):
        doc.paragraph(note, 8, muted=True)
    rows = []
    for label, values, higher_is_better in series:
        moved = change(values[-2], values[-1], higher_is_better)
        rows.append([label, *[formatting.percent(v, lang) for v in values],
                     formatting.MISSING if moved is None else
                     f"{moved.arrow} {formatting.difference(moved.points, lang)} "
                     f"{moved.mark}".strip()])
    last = min(len(rounds), 4)  # the table keeps the newest four rounds: it must fit A4
    keep = [0] + list(range(len(rounds) + 1 - last, len(rounds) + 1)) + [len(rounds) + 1]
    head = [t("dash.scale", lang), *[t("trends.round", lang, title=r.title, date=d)
                                     for r, d in zip(rounds, closed, strict=True)],
            t("trends.change", lang)]
    width = (WIDTH - 46 - 28) / last
    doc.grid([head[i] for i in keep], [[row[i] for i in keep] for row in rows],
             (46, *[width] * last, 28), ["LEFT"] + ["RIGHT"] * (last + 1), 8)
    doc.paragraph(t("trends.help", lang), 8, muted=True)


def _perception(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    doc.heading(t("self.perception", lang), room=40)
    if not report.perception:
        doc.paragraph(t("report.no_self_assessment", lang), muted=True)
        return
    for gap in noteworthy(list(report.perception)):
        doc.bullet(gap.describe(report.scale_label(gap.scale_id)).text(lang), 9)
    if not noteworthy(list(report.perception)):
        doc.paragraph(t("self.no_big_gaps", lang))
    doc.grid([t("dash.scale", lang), t("self.estimate", lang), t("self.employees", lang),
              t("self.difference", lang)],
             [[report.scale_label(g.scale_id), formatting.percent(g.estimate, lang),
               formatting.percent(g.actual, lang),
               formatting.difference(g.difference, lang, unit="")] for g in report.perception],
             (70, 36, 36, 38), ["LEFT", "RIGHT", "RIGHT", "RIGHT"], 8.5)
    doc.paragraph(t("self.perception_help", lang, round=report.survey_round.title,
                    date=formatting.day(report.self_assessed_on, lang)), 8, muted=True)


def _support(doc: Document, report: OrganisationReport) -> None:
    lang, advice = report.lang, report.advice
    doc.heading(t("support.title", lang), room=50)
    if advice is None:
        doc.paragraph(t("report.no_advice", lang), muted=True)
        return
    for heading, recs in (("support.law", advice.obligations),
                          ("support.fitting", advice.fitting)):
        if not recs:
            continue
        doc.heading(t(heading, lang, count=len(recs)), 2, room=30)
        for rec in recs:
            m = rec.measure
            doc.paragraph(f"{m.name(lang)} · {t(f'support.kind.{m.kind}', lang)}", 10, bold=True)
            if rec.gaps:
                doc.paragraph(t("support.why", lang) + " " + " ".join(
                    g.message.text(lang) for g in rec.gaps[:3]), 8.5, indent=4)
            label = "support.involves" if m.kind == "obligation" else "support.expected"
            doc.paragraph(f"{t(label, lang)} {rec.support(lang)}", 8.5, indent=4)
            for flag in rec.flags:  # a reform, no open call, an old check: as on the card
                doc.paragraph(flag.text(lang), 8, muted=True, indent=4)
            sites = ", ".join(dict.fromkeys(urlsplit(u).netloc.removeprefix("www.")
                                            for u in m.source_urls))
            doc.paragraph(t("report.measure_source", lang, sites=sites,
                            date=formatting.day(m.last_checked, lang)), 7.5, muted=True,
                          indent=4)
    if not advice.fitting:
        doc.paragraph(t("report.no_fitting", lang), muted=True)
    doc.paragraph(t("support.disclaimer", lang), 8, muted=True)


def _plan(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    doc.heading(t("actions.title", lang), room=40)
    if not report.actions:
        doc.paragraph(t("dash.actions_none", lang), muted=True)
        return
    items = []
    for action in report.actions:
        parts = [t(f"actions.status.{action.status}", lang),
                 labelled(t("actions.owner", lang), action.owner or t("actions.not_set", lang),
                          lang)]
        if action.measure_id in report.measure_names:
            parts.append(labelled(t("actions.measure", lang),
                                  report.measure_names[action.measure_id], lang))
        if action.gap_id:
            parts.append(labelled(t("actions.gap", lang),
                                  report.gap_names.get(action.gap_id, action.gap_id), lang))
        expected = ([formatting.euro(action.expected_eur, lang)]
                    if action.expected_eur is not None else []) + (
            [action.expected_support] if action.expected_support else [])
        if expected:
            parts.append(labelled(t("actions.support", lang), " · ".join(expected), lang))
        if effect := report.effect(action):
            parts.append(effect)
        items.append(Milestone(formatting.day(action.due_on, lang) if action.due_on
                               else t("report.no_due", lang), action.title, " · ".join(parts),
                               action.status not in OPEN_STATUSES))
    doc.timeline(items)
    doc.paragraph(t("report.timeline_help", lang), 8, muted=True)


def _methodology(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    doc.heading(t("report.methodology", lang), room=60)
    for key in ("report.method_items", "report.method_graad", "report.method_indicative"):
        doc.paragraph(t(key, lang), 9)
    doc.paragraph(translation_status(report.questionnaire, lang), 9)
    method_table(doc, report.questionnaire, lang)


def translation_status(q: Questionnaire, lang: str) -> str:
    """One sentence: in which languages the questionnaire was given and whether each
    translation of the Dutch source was validated."""
    parts = [t("report.translation_validated", lang, language=LANGUAGE_NAMES[code], by=status.by,
               on=formatting.day(status.on, lang)) if status.validated
             else t("report.translation_not_validated", lang, language=LANGUAGE_NAMES[code])
             for code, status in q.translations.items()]
    return t("report.translations", lang, languages=" ".join(parts))


def method_table(doc: Document, q: Questionnaire, lang: str) -> None:
    """The scales with their number of items and their cut-offs, marked provisional."""
    doc.grid([t("dash.scale", lang), t("report.items", lang), t("report.cut_knelpunt", lang),
              t("report.cut_acuut", lang)],
             [[s.label(lang), formatting.number(len(q.items_of(s.id)), lang),
               _cut(s.cutoffs.knelpunt, s.higher_is_worse, s.cutoffs.provisional, lang),
               _cut(s.cutoffs.acuut, s.higher_is_worse, s.cutoffs.provisional, lang)
               + ("" if s.cutoffs.acuut_in_monitor else " *")]
              for s in q.scales],
             (70, 30, 40, 40), ["LEFT", "RIGHT", "RIGHT", "RIGHT"], 8)
    doc.paragraph(t("report.method_cutoffs", lang), 8.5, muted=True)
    doc.paragraph(t("report.acuut_extension", lang), 8.5, muted=True)


def _cut(value: float, higher_is_worse: bool, provisional: bool, lang: str) -> str:
    """"≥ 60 (voorlopig)": the score from which a level starts, in the scale's direction."""
    text = ("≥ " if higher_is_worse else "≤ ") + formatting.number(
        value, lang, 0 if float(value).is_integer() else 1)
    return f"{text} ({t('report.provisional', lang)})" if provisional else text


def _sources(doc: Document, report: OrganisationReport) -> None:
    """As the dashboard lists them: figure · where · year, population · value · address."""
    lang = report.lang
    doc.heading(t("dash.sources", lang), room=40)
    doc.paragraph(t("report.sources_intro", lang), 9)
    labels = {s.id: s.label(lang) for s in report.questionnaire.scales}
    for b in report.sources:
        doc.bullet(f"{comparisons.metric_name(b.metric, labels, lang)} · "
                   f"{comparisons.where(b, report.sector, lang)} · {comparisons.origin(b, lang)}"
                   f" · {formatting.percent(b.value_pct, lang, 1)} · "
                   f"{comparisons.source(b, lang)} · {b.source_url}", 8)
    if report.sector is None:
        doc.paragraph(t("dash.no_sector", lang), 8, muted=True)


def _advice_sources(doc: Document, report: OrganisationReport) -> None:
    """The sentences behind the advice (issue 24): for every measure the report advises, each
    quote with its address, the page's own date and the day it was read, as the "?" on the
    support page shows them; a quote of a secondary page says so."""
    advice, lang = report.advice, report.lang
    if advice is None or not (advice.obligations or advice.fitting):
        return
    doc.heading(t("report.advice_sources", lang), room=40)
    doc.paragraph(t("report.advice_sources_intro", lang), 9)
    for rec in (*advice.obligations, *advice.fitting):
        doc.paragraph(rec.measure.name(lang), 9, bold=True)
        for item in rec.measure.evidence:
            doc.paragraph(f"“{item.quote}”", 8, indent=4)
            dated = (t("evidence.source_date", lang, date=formatting.day(item.source_date, lang))
                     if item.source_date else t("evidence.no_date", lang))
            secondary = "" if item.primary else f" · {t('evidence.secondary', lang)}"
            doc.paragraph(f"{item.url} · {dated} · "
                          f"{t('evidence.checked', lang, date=formatting.day(item.checked, lang))}"
                          f"{secondary}", 7, muted=True, indent=4)


def _confidentiality(doc: Document, report: OrganisationReport) -> None:
    lang = report.lang
    doc.heading(t("report.confidentiality", lang), room=40)
    doc.paragraph(t("report.conf_rules", lang, threshold=report.results.threshold), 9)
    for view in report.groups:
        dimension = t(f"groups.dim.{view.dimension}", lang)
        if view.hidden_groups:
            doc.bullet(t("report.conf_hidden", lang, dimension=dimension,
                         groups=", ".join(view.hidden_groups)), 9)
        else:
            doc.bullet(t("report.conf_none_hidden", lang, dimension=dimension), 9)
        if view.hidden_cells:
            doc.bullet(t("report.conf_cells", lang, dimension=dimension), 9)
    missing = [s.label(lang) for s in report.questionnaire.scales
               if s.id not in report.results.scales]
    if missing:
        doc.bullet(t("report.conf_scales", lang, scales=", ".join(missing)), 9)
    doc.paragraph(t("report.conf_open_answers", lang), 9)
