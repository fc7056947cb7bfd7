"""The outplacement check: for one planned dismissal, what the law requires and what support
exists, the Sociaal Interventiefonds included."""


import streamlit as st

from assessment import clock, ui
from assessment.access import VIEW_RESULTS
from assessment.profile import Profile, load_profile, parse_joint_committees
from assessment.recommendations import DismissalCase, outplacement_check
from assessment.ui.router import entry_guard

entry_guard(VIEW_RESULTS)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("out.title"))
st.caption(ui.tr("out.intro"))
catalogue = ui.catalogue()
if catalogue is None:
    st.stop()
org = ui.organisation_picker()
known = load_profile(ctx, org.id) if org else Profile()

with st.form("outplacement"):
    kind = st.radio(ui.tr("out.kind"), ("individual", "collective"), horizontal=True,
                    format_func=lambda k: ui.tr(f"dismissal.{k}"))
    col1, col2, col3 = st.columns(3)
    age = col1.number_input(ui.tr("out.age"), min_value=15, max_value=80, value=50, step=1)
    notice = col2.number_input(ui.tr("out.notice"), min_value=0, max_value=200, value=20,
                               step=1, help=ui.tr("out.notice_help"))
    seniority = col3.number_input(ui.tr("out.seniority"), min_value=0.0, max_value=60.0,
                                  value=5.0, step=0.5, format="%.1f")
    employer = col1.radio(ui.tr("out.employer"), ("private", "public"), horizontal=True,
                          format_func=lambda k: ui.tr(f"employer.{k}"),
                          index=int(known.employer_type == "public"))
    headcount = col2.number_input(ui.tr("org.headcount"), min_value=1, max_value=1_000_000,
                                  value=known.headcount or 50, step=1)
    joint = col3.text_input(ui.tr("profile.joint_committees"),
                            value=", ".join(known.joint_committees))
    urgent = st.checkbox(ui.tr("out.urgent"))
    cannot_pay = st.checkbox(ui.tr("out.cannot_pay"))
    not_offered = st.checkbox(ui.tr("out.not_offered"))
    st.markdown(f"**{ui.tr('out.collective_facts')}**")
    dismissed = st.number_input(ui.tr("out.dismissed"), min_value=0, max_value=1_000_000,
                                value=None, step=1, help=ui.tr("out.dismissed_help"))
    swt = st.checkbox(ui.tr("out.swt"), help=ui.tr("out.swt_help"))
    disabled_only = st.checkbox(ui.tr("out.disabled_only"))
    checked = st.form_submit_button(ui.tr("out.check"), type="primary")

if checked:
    codes, _ = parse_joint_committees(joint)
    case = DismissalCase(kind, int(age), notice, seniority, employer, urgent, cannot_pay,
                         not_offered, None if dismissed is None else int(dismissed), swt,
                         disabled_only)
    profile = Profile(headcount=int(headcount), region=known.region or "flanders",
                      joint_committees=tuple(codes))
    result = outplacement_check(case, profile, catalogue, clock.today())
    if not result.fitting:
        st.info(ui.tr("out.nothing"))
    for rec in result.fitting:
        with st.container(border=True):
            st.markdown(f"#### {rec.measure.name(lang)}")
            st.write(rec.measure.summary(lang))
            label = "support.involves" if rec.measure.kind == "obligation" else "support.expected"
            st.markdown(f"**{ui.tr(label)}** {rec.support(lang)}")
            st.markdown("\n".join(f"- {c.message.text(lang)}" for c in rec.conditions if c.met))
            for note in (rec.unknown + rec.measure.also_check
                         + tuple(filter(None, [rec.measure.unverified]))):
                st.caption(f":material/help: {note(lang)}")
            for flag in rec.flags:
                st.warning(flag.text(lang))
            evidence = [*rec.measure.evidence, *(e for c in rec.conditions for e in c.evidence)]
            if evidence:
                with st.expander(ui.tr("evidence.title")):
                    st.markdown(ui.evidence_quotes(evidence))
            st.markdown(ui.source_links(rec.measure.source_urls))
    with st.expander(ui.tr("out.not_applicable", count=len(result.not_fitting))):
        for rec in result.not_fitting:
            st.markdown(f"- **{rec.measure.name(lang)}**: "
                        + "; ".join(r.text(lang) for r in rec.reasons_not))
            evidence = [e for c in rec.conditions for e in c.evidence]
            if evidence:
                st.markdown(f"{ui.tr('evidence.title')}:\n\n{ui.evidence_quotes(evidence)}")
st.caption(ui.tr("support.disclaimer"))
