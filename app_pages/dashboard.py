"""HR dashboard of one round: first a summary in words (the werkbaarheidsgraad and its change,
the largest problems with a fitting measure each, the strengths), then the detail: response,
werkbaarheidsgraad, peer position, indicators and risk factors beside the published Flemish and
sector figures. Groups below the threshold show no figures. Every figure goes to the browser as
it is shown (:func:`assessment.charts.shown`) and is written by :mod:`assessment.formatting`.

Decisions (first paint, issue 14 item 5): the key figures (responses, response rate and the
werkbaarheidsgraad beside Flanders) come first, before the summary, as text
(:func:`assessment.ui.key_figure`), and are sent before the summary's slower work; every chart
stays on the page, but a new browser tab gets the page first without its charts and tables
(:func:`assessment.ui.heavy_now`) and then at once a second run that draws them, so its headline
shows without waiting for plotly's JavaScript. Later runs in the tab draw everything in one go.
The page reads the organisation's rounds and their results once
(:class:`assessment.round_history.RoundHistory`) and builds the round's overview once
(:mod:`assessment.round_overview`, the same the organisation report renders).

The chosen round is this page's own (``dashboard:round_id``): opening a new round on
Bevragingen does not move the dashboard to a round that has no figures yet. By default it shows
the newest round with figures and says when a newer round is still running."""


import pandas as pd
import streamlit as st

from assessment import (
    batch,
    benchmarks,
    comparisons,
    extras_view,
    formatting,
    round_overview,
    summary,
    ui,
)
from assessment.access import VIEW_RESULTS
from assessment.actions import changes, list_actions
from assessment.charts import ChartRow, knelpunt_chart, werkbaarheidsgraad_chart
from assessment.formatting import shown
from assessment.recommendations import SCALE_MIN_SHARE_PCT
from assessment.results import WERKBAAR, breakdown_groups
from assessment.round_history import RoundHistory
from assessment.rounds import OPEN, SCHEDULED
from assessment.ui.extras import show_whole
from assessment.ui.peers import show_peer_position
from assessment.ui.plan import plan_button
from assessment.ui.router import entry_guard, link

ROUND_KEY = "dashboard:round_id"

entry_guard(VIEW_RESULTS)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("dash.title"))
org = ui.organisation_picker()
history = RoundHistory.load(ctx, org.id) if org else None  # the rounds and results, once
rounds = list(history.rounds) if history else []


def show_action_plan(plan: tuple, effects: dict) -> None:
    """The organisation's actions, and how the gap each addresses moved since it started."""
    st.subheader(ui.tr("dash.actions"))
    if not plan:
        st.caption(ui.tr("dash.actions_none"))
        link("support")
    for item in plan:
        due = f" · {formatting.day(item.due_on, lang)}" if item.due_on else ""
        owner = f" · {ui.plain(item.owner)}" if item.owner else ""
        st.markdown(f"- **{ui.plain(item.title)}** · {ui.tr(f'actions.status.{item.status}')}"
                    f"{due}{owner}")
    labels = {s.id: s.label(lang) for s in ui.questionnaire().scales}
    for change in (c for c in effects.values() if c.action.gap_id in labels):
        st.info(ui.tr("dash.change", scale=labels[change.action.gap_id],
                      before=formatting.number(change.before, lang),
                      after=formatting.number(change.after, lang)))


if not rounds:
    st.info(ui.tr("dash.no_rounds"))
    link("rounds")
    if org:
        show_action_plan(tuple(list_actions(ctx, org.id)), {})
    st.stop()

results = history.results
ids = [r.id for r in rounds]  # newest first
with_figures = [i for i in ids if results[i].shown]
if st.session_state.get(ROUND_KEY) not in ids:
    st.session_state[ROUND_KEY] = with_figures[0] if with_figures else ids[0]
round_id = st.selectbox(ui.tr("rounds.choose"), ids, index=ids.index(st.session_state[ROUND_KEY]),
                        format_func=lambda i: next(r.title for r in rounds if r.id == i))
st.session_state[ROUND_KEY] = round_id
selected = next(r for r in rounds if r.id == round_id)
res = results[round_id]

newer = [r for r in rounds[:ids.index(round_id)] if r.status() in (OPEN, SCHEDULED)]
if newer and res.shown:  # the newest of them; an open round without figures says so below
    running = newer[0]  # a caption, not a box: the summary's advice stays on the first screen
    st.caption(ui.tr("dash.newer_open", round=ui.plain(running.title),
                     closes=formatting.day(running.closes_on, lang)) if running.status() == OPEN
               else ui.tr("dash.newer_scheduled", round=ui.plain(running.title),
                          opens=formatting.day(running.opens_on, lang)))

if not res.shown:
    col1, col2, _ = st.columns(3)
    ui.key_figure(col1, ui.tr("rounds.responses"), formatting.number(res.n_responses, lang))
    ui.key_figure(col2, ui.tr("dash.response_rate"),
                  formatting.percent(shown(res.response_rate), lang),
                  help=ui.tr("dash.response_rate_help"))
    if res.reason == "open":
        st.info(ui.tr("dash.open", closes=formatting.day(selected.closes_on, lang)))
    else:
        st.warning(ui.tr("dash.too_few", threshold=formatting.number(res.threshold, lang),
                         n=formatting.number(res.n_responses, lang)))
    plan = list_actions(ctx, org.id)
    show_action_plan(tuple(plan), {c.action.id: c for c in changes(
        ctx, plan, round_id, results=results)})
    st.stop()

sector = benchmarks.sector_for_division(org.nace_division)
graad_cmp = comparisons.compare(WERKBAAR, sector)
flemish = graad_cmp.flanders
col1, col2, col3 = st.columns([1, 1, 2])  # room for the delta and its origin
ui.key_figure(col1, ui.tr("rounds.responses"), formatting.number(res.n_responses, lang))
ui.key_figure(col2, ui.tr("dash.response_rate"), formatting.percent(shown(res.response_rate), lang),
              help=ui.tr("dash.response_rate_help"))
if res.werkbaarheidsgraad is not None:  # the headline's figure, first on the page
    own = shown(res.werkbaarheidsgraad)
    # the difference of the two figures the chart further down shows, so that it adds up
    delta = own - shown(flemish.value_pct) if flemish else None
    ui.key_figure(col3, ui.tr("dash.werkbaarheidsgraad"), formatting.percent(own, lang),
                  change=None if delta is None else formatting.difference(delta, lang),
                  tone="gray" if not delta else "green" if delta > 0 else "red",
                  compared_with=ui.tr("dash.vs_flanders_origin",
                                      origin=comparisons.origin(flemish, lang))
                  if flemish else None,
                  help=ui.tr("dash.werkbaarheidsgraad_help"))
scale_labels = {s.id: s.label(lang) for s in ui.questionnaire().scales}
view = round_overview.build(ctx, ui.require(), org, selected, ui.questionnaire(),
                            ui.employer_questionnaire(), ui.catalogue(), history=history)
position, overview = view.peers, view.summary


def show_summary() -> None:
    """The summary: first the largest problems, each with its share, the measure that fits
    best and one click to the plan, so that on a laptop (1366×768) the advice is on the first
    screen (issue 24 item 7); then what the werkbaarheidsgraad means (the key figures above
    show its value, so it is not said twice before the problems), what each problem's share
    is compared with, and the strengths."""
    with st.container(border=True, key="summary"):
        # the box's first heading is the problems': no "Samenvatting" above it (55 px)
        st.markdown(f"#### {ui.tr('summary.problems')} "
                    f":gray[· {ui.tr('summary.share_caption')}]")
        if not overview.problems:
            st.caption(ui.tr("summary.no_problems", threshold=SCALE_MIN_SHARE_PCT))
        for column, line in zip(st.columns(max(len(overview.problems), 1)), overview.problems,
                                strict=False):
            with column.container(border=True, key=f"problem-{line.scale_id}"):
                ui.key_figure(st, scale_labels[line.scale_id],
                              formatting.percent(line.share, lang))
                if line.measure is None:
                    st.caption(ui.tr("summary.no_measure"))
                    link("support")
                else:
                    st.markdown(ui.tr("summary.measure",
                                      name=ui.plain(line.measure.measure.name(lang))))
                    plan_button(org, line.measure, key=f"summary:{line.scale_id}",
                                planned={a.measure_id for a in view.plan})
        st.markdown(ui.plain(summary.headline(overview, lang)))
        st.markdown("\n".join(
            f"- **{ui.plain(scale_labels[line.scale_id])}** "
            f"({formatting.percent(line.share, lang)}): "
            f"{ui.plain(summary.scale_sentence(line, overview, lang, False))}"
            for line in overview.problems))
        st.markdown(f"#### {ui.tr('summary.strengths')}")
        if not overview.strengths:
            st.caption(ui.tr("summary.no_strengths", threshold=SCALE_MIN_SHARE_PCT))
        st.markdown("\n".join(
            f"- **{ui.plain(scale_labels[line.scale_id])}**: "
            f"{ui.plain(summary.scale_sentence(line, overview, lang))}"
            for line in overview.strengths))


def named(benchmark: benchmarks.Benchmark) -> str:
    """"Vlaanderen (2023, werknemers)": a published figure's bar label."""
    return ui.tr("cmp.named", where=comparisons.where(benchmark, sector, lang),
                 origin=comparisons.origin(benchmark, lang))


show_summary()
st.subheader(ui.tr("dash.detail"))
if res.werkbaarheidsgraad is not None:
    in_sector = graad_cmp.sector
    ui.chart(werkbaarheidsgraad_chart(
        res.werkbaarheidsgraad, flemish.value_pct if flemish else None,
        in_sector.value_pct if in_sector else None, lang,
        named(flemish) if flemish else "", named(in_sector) if in_sector else ""))
    if note := comparisons.mixed_years(graad_cmp.figures, sector, lang):
        st.caption(note)
show_peer_position(position, round_id)

q = ui.questionnaire()
used = list(graad_cmp.figures)
for kind, heading in (("indicator", "dash.indicators"), ("risk_factor", "dash.risk_factors")):
    rows, table, on_chart = [], [], []
    for scale in (s for s in q.scales if s.kind == kind and s.id in res.scales):
        fig = res.scales[scale.id]
        cmp = comparisons.compare(comparisons.knelpunt_metric(scale.id), sector)
        on_chart += cmp.figures
        rows.append(ChartRow(
            scale.label(lang), fig.pct_knelpunt, fig.pct_acuut,
            cmp.flanders.value_pct if cmp.flanders else None,
            cmp.sector.value_pct if cmp.sector else None,
            comparisons.origin(cmp.flanders, lang) if cmp.flanders else "",
            comparisons.origin(cmp.sector, lang) if cmp.sector else ""))
        table.append({
            ui.tr("dash.scale"): scale.label(lang), ui.tr("dash.n"): formatting.number(fig.n, lang),
            ui.tr("dash.mean"): formatting.number(fig.mean, lang),
            ui.tr("dash.knelpunt"): formatting.number(fig.pct_knelpunt, lang),
            ui.tr("dash.acuut"): formatting.number(fig.pct_acuut, lang),
            ui.tr("chart.flanders"): comparisons.figure(cmp.flanders, lang),
            ui.tr("chart.sector"): comparisons.figure(cmp.sector, lang),
        })
    used += on_chart
    if rows:
        st.subheader(ui.tr(heading))
        st.caption(ui.tr(f"{heading}_help"))
        ui.chart(knelpunt_chart(rows, lang))
        if note := comparisons.mixed_years(on_chart, sector, lang):
            st.caption(f":material/info: {note}")
        with st.expander(ui.tr("dash.table")):
            if ui.heavy_now():  # in a new tab's second run, with the charts
                st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")

if selected.extras:  # the round's modules and own questions
    groups = breakdown_groups(org, q)
    if batch.breakdowns_ready(ctx, selected, groups):
        show_whole(extras_view.build(ctx, selected, groups, lang), res.threshold)
    else:
        st.info(ui.tr("groups.preparing"))
show_action_plan(view.plan, view.effects)

with st.expander(ui.tr("dash.sources")):
    st.markdown(ui.tr("dash.sources_intro"))
    for b in sorted(set(used), key=lambda b: (b.scope, b.metric)):
        st.markdown(f"- {ui.plain(comparisons.metric_name(b.metric, scale_labels, lang))} · "
                    f"{ui.plain(comparisons.where(b, sector, lang))} · "
                    f"{ui.plain(comparisons.origin(b, lang))} · "
                    f"{formatting.percent(b.value_pct, lang, 1)} · "
                    f"[{ui.plain(comparisons.source(b, lang))}]({b.source_url})")
    if not sector:
        st.caption(ui.tr("dash.no_sector"))
st.caption(ui.tr("dash.provisional"))
