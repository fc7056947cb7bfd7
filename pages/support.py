"""Support that fits: the recommendations for the organisation's measured gaps, why each fits,
what it pays, what to check, and one click to put it on the action plan."""

from datetime import date

import streamlit as st

from assessment import ui
from assessment.access import VIEW_RESULTS
from assessment.actions import add_action, list_actions
from assessment.gaps import organisation_gaps
from assessment.profile import load_profile
from assessment.recommendations import recommend
from assessment.ui.router import entry_guard, link

entry_guard(VIEW_RESULTS)
lang, db = ui.lang(), ui.database()
st.title(ui.tr("support.title"))
if flash := st.session_state.pop("support_flash", None):
    st.toast(flash, icon=":material/check_circle:")  # a toast before st.rerun would be lost
org = ui.organisation_or_stop()
catalogue = ui.catalogue()
if catalogue is None:
    st.stop()
profile = load_profile(org.id, db_path=db)
summary = organisation_gaps(org, ui.questionnaire(), ui.employer_questionnaire(), db_path=db)
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

advice = recommend(profile, summary.gaps, catalogue, date.today())
planned = {a.measure_id for a in list_actions(org.id, db_path=db)}
st.subheader(ui.tr("support.fitting", count=len(advice.fitting)))
def show(rec, can_plan: bool) -> None:
    """One recommendation as a card: what, why, what it brings, conditions, sources."""
    m = rec.measure
    with st.container(border=True):
        st.markdown(f"#### {m.name(lang)}")
        st.caption(f"{m.authority(lang)} · {ui.tr(f'support.kind.{m.kind}')}")
        st.write(m.summary(lang))
        st.markdown(f"**{ui.tr('support.why')}**\n" + "\n".join(
            f"- {g.message.text(lang)}" for g in rec.gaps[:4]))
        label = "support.involves" if m.kind == "obligation" else "support.expected"
        st.markdown(f"**{ui.tr(label)}** {rec.support(lang)}")
        met = [c.message.text(lang) for c in rec.conditions if c.met]
        if met:
            st.markdown(f"**{ui.tr('support.rules_met')}**\n" + "\n".join(f"- {t}" for t in met))
        for note in rec.unknown + tuple(m.also_check):
            st.caption(f":material/help: {note(lang)}")
        for flag in rec.flags:
            st.caption(f":material/schedule: {flag.text(lang)}")
        st.markdown(ui.source_links(m.source_urls))
        if m.id in planned:
            st.caption(f":material/check_circle: {ui.tr('support.in_plan')}")
        elif can_plan and st.button(ui.tr("support.add_to_plan"), key=f"plan:{m.id}"):
            add_action(org.id, m.name(lang), measure_id=m.id,
                       gap_id=rec.gaps[0].id if rec.gaps else None,
                       expected_support=rec.support(lang), db_path=db)
            st.session_state["support_flash"] = ui.tr("support.added", name=m.name(lang))
            st.rerun()


if advice.fitting:  # the overview first: a page of cards is long
    st.dataframe([{ui.tr("support.measure"): r.measure.name(lang),
                   ui.tr("support.main_gap"): r.gaps[0].message.text(lang),
                   ui.tr("support.expected"): r.support(lang)} for r in advice.fitting],
                 hide_index=True, width="stretch")
for rec in advice.fitting:
    show(rec, can_plan=ui.may_edit())
if advice.ended:
    st.subheader(ui.tr("support.ended", count=len(advice.ended)))
    st.caption(ui.tr("support.ended_help"))
    for rec in advice.ended:
        show(rec, can_plan=False)

with st.expander(ui.tr("support.not_fitting", count=len(advice.not_fitting))):
    for rec in advice.not_fitting:
        reasons = "; ".join(r.text(lang) for r in rec.reasons_not)
        st.markdown(f"- **{rec.measure.name(lang)}**: {reasons}")
link("outplacement", ui.tr("support.to_outplacement"))
st.caption(ui.tr("support.disclaimer"))
