"""Support that fits: first what the law requires, then the measures ranked by the measured
gaps they address, as a short table and then one collapsed card per measure (why it fits, what
it brings, the conditions, the sources and when they were last checked), each with one click to
put it on the action plan.

Decision: the overview is an HTML table of three columns that wraps its text (measure, the gap
it addresses, what it brings), so it reads without horizontal scrolling on a 1280 px desktop
and a 390 px phone; st.dataframe clips long cells and scrolls sideways. The cards are
expanders, closed, so the page stays a list one can scan."""

from html import escape

import streamlit as st

from assessment import clock, formatting, ui
from assessment.access import VIEW_RESULTS
from assessment.actions import list_actions
from assessment.gaps import organisation_gaps
from assessment.profile import load_profile
from assessment.recommendations import Recommendation, recommend
from assessment.ui.plan import gap_option, plan_button
from assessment.ui.router import entry_guard, link

TABLE_STYLE = """<style>
.wb-support { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 0.95rem; }
.wb-support th, .wb-support td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid rgba(49, 51, 63, 0.15); overflow-wrap: break-word; hyphens: auto; }
.wb-support th { font-weight: 600; }
.wb-support col.measure { width: 36%; } .wb-support col.gap { width: 30%; }
@media (max-width: 640px) {  /* a phone: one block per measure, each fact on its own line */
  .wb-support, .wb-support tbody { display: block; width: 100%; }
  .wb-support thead, .wb-support colgroup { display: none; }
  .wb-support tr { display: block; padding: 0.5rem 0;
    border-bottom: 1px solid rgba(49, 51, 63, 0.15); }
  .wb-support td { display: block; border: none; padding: 0.1rem 0; }
  .wb-support td:first-child { font-weight: 600; }
  .wb-support td[data-label]::before { content: attr(data-label) ": "; opacity: 0.7; }
}
</style>"""

entry_guard(VIEW_RESULTS)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("support.title"))
org = ui.organisation_or_stop()
catalogue = ui.catalogue()
if catalogue is None:
    st.stop()
profile = load_profile(ctx, org.id)
summary = organisation_gaps(ctx, org, ui.questionnaire(), ui.employer_questionnaire())
planned = {a.measure_id for a in list_actions(ctx, org.id)}  # read once, not once per card
if summary.survey_round:
    st.caption(ui.tr("support.based_on_round", round=ui.plain(summary.survey_round.title),
                     n=summary.results.n_responses))
elif summary.self_assessment:
    st.caption(ui.tr("support.based_on_estimate"))
else:
    st.info(ui.tr("support.no_data"))
    link("self_assessment")
if None in (profile.region, profile.legal_form, profile.social_profit) or not (
        profile.joint_committees):
    st.info(ui.tr("support.complete_profile"))
    link("profile")

advice = recommend(profile, summary.gaps, catalogue, clock.today())


def card(rec: Recommendation, can_plan: bool, watch: bool = False) -> None:
    """One measure, collapsed: what, why, what it brings, conditions, sources, the plan. With
    ``watch`` (no call open now) what it brings is the last known terms, not a current amount."""
    m = rec.measure
    kind = "" if m.kind == "obligation" else f" · {ui.tr(f'support.kind.{m.kind}')}"
    with st.expander(f"**{m.name(lang)}**{kind}"):  # its section already says: obligation
        st.caption(m.authority(lang))
        st.write(m.summary(lang))
        if rec.gaps:
            st.markdown(f"**{ui.tr('support.why')}**\n" + "\n".join(
                f"- {g.message.text(lang)}" for g in rec.gaps[:4]))
        label = ("support.last_terms" if watch else
                 "support.involves" if m.kind == "obligation" else "support.expected")
        st.markdown(f"**{ui.tr(label)}** {rec.support(lang)}")
        met = [c.message.text(lang) for c in rec.conditions if c.met]
        if met:
            st.markdown(f"**{ui.tr('support.rules_met')}**\n" + "\n".join(f"- {t}" for t in met))
        for note in rec.unknown + tuple(m.also_check):
            st.caption(f":material/help: {note(lang)}")
        stale = [f for f in rec.flags if f.key == "rec.flag_old"]  # said with the date below
        for flag in rec.flags:
            if flag not in stale:
                st.caption(f":material/schedule: {flag.text(lang)}")
        if m.unverified:
            st.caption(f":material/info: {m.unverified(lang)}")
        if m.evidence:
            with st.popover(ui.tr("evidence.title"), icon=":material/format_quote:"):
                st.markdown(ui.evidence_quotes(m.evidence))
        checked = ui.tr("support.last_checked", date=formatting.day(m.last_checked, lang))
        st.markdown(f"{ui.tr('support.sources')} {ui.source_links(m.source_urls)}  \n"
                    + (f":orange[:material/schedule: {checked} {ui.tr('support.check_now')}]"
                       if stale else checked))
        if can_plan:
            plan_button(org, rec, key=m.id, planned=planned)


def overview(recs: tuple[Recommendation, ...]) -> None:
    """The fitting measures in three short columns that wrap, best first."""
    gap, brings = ui.tr("support.main_gap"), ui.tr("support.brings")
    head = "".join(f"<th>{escape(text)}</th>" for text in (ui.tr("support.measure"), gap, brings))
    rows = "".join(
        f"<tr><td>{escape(r.measure.name(lang))}</td>"
        f"<td data-label='{escape(gap)}'>"
        f"{escape(gap_option(r.gaps[0], lang) if r.gaps else formatting.MISSING)}</td>"
        f"<td data-label='{escape(brings)}'>{escape(r.support(lang))}</td></tr>" for r in recs)
    st.html(f"{TABLE_STYLE}<table class='wb-support' lang='{lang}'><colgroup><col class='measure'>"
            f"<col class='gap'><col></colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


if advice.obligations:
    st.subheader(ui.tr("support.law"))
    st.caption(ui.tr("support.law_help"))
    for rec in advice.obligations:
        card(rec, can_plan=True)
st.subheader(ui.tr("support.fitting", count=len(advice.fitting)))
if advice.fitting:
    st.caption(ui.tr("support.order"))
    overview(advice.fitting)
for rec in advice.fitting:
    card(rec, can_plan=True)
if advice.ended:
    st.subheader(ui.tr("support.ended", count=len(advice.ended)))
    st.caption(ui.tr("support.ended_help"))
    for rec in advice.ended:
        card(rec, can_plan=False, watch=True)

with st.expander(ui.tr("support.not_fitting", count=len(advice.not_fitting))):
    for rec in advice.not_fitting:
        reasons = "; ".join(r.text(lang) for r in rec.reasons_not)
        st.markdown(f"- **{rec.measure.name(lang)}**: {reasons}")
link("outplacement", ui.tr("support.to_outplacement"))
st.caption(ui.tr("support.disclaimer"))
