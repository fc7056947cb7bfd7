"""The employer self-assessment: one section per step, saved after every step so the employer
can stop and continue later; then the practice scores and the perception gap. Dates, scores,
shares and differences are written by :mod:`assessment.formatting` (per language)."""

import streamlit as st

from assessment import formatting, ui
from assessment.access import EDIT_ORGANISATION
from assessment.errors import InputError
from assessment.gaps import latest_shown_round
from assessment.perception import noteworthy, perception_gaps
from assessment.self_assessment import ESTIMATE, latest_result, load_draft, save_draft
from assessment.ui.router import entry_guard, link

entry_guard(EDIT_ORGANISATION)
lang, ctx = ui.lang(), ui.context()
q, employee_q = ui.employer_questionnaire(), ui.questionnaire()
st.title(ui.tr("self.title"))
org = ui.organisation_or_stop()
draft, done = load_draft(ctx, org.id), latest_result(ctx, org.id, q)

if draft is None and done is not None and not st.session_state.get("self_restart"):
    st.success(ui.tr("self.completed", date=formatting.day(done.completed_on, lang)))
    areas = {a.id: a.label(lang) for a in q.practice_areas}
    st.subheader(ui.tr("self.practices"))
    for area, value in done.practices.items():
        st.progress(value / 100, text=f"{areas[area]}: {formatting.number(value, lang)}/100")
    survey_round, results = latest_shown_round(ctx, org)
    st.subheader(ui.tr("self.perception"))
    if results is None:
        st.info(ui.tr("self.no_employee_results"))
    else:
        labels = {s.id: s.label(lang) for s in employee_q.scales}
        gaps = perception_gaps(done.estimates, results)
        for gap in noteworthy(gaps) or []:
            st.warning(gap.describe(labels[gap.scale_id]).text(lang))
        if not noteworthy(gaps):
            st.info(ui.tr("self.no_big_gaps"))
        st.dataframe([{ui.tr("dash.scale"): labels[g.scale_id],
                       ui.tr("self.estimate"): formatting.percent(g.estimate, lang),
                       ui.tr("self.employees"): formatting.percent(g.actual, lang),
                       ui.tr("self.difference"): formatting.difference(g.difference, lang,
                                                                       unit="")}
                      for g in gaps],
                     hide_index=True, width="stretch")
        st.caption(ui.tr("self.perception_help", round=ui.plain(survey_round.title),
                         date=formatting.day(done.completed_on, lang)))
    link("support", ui.tr("self.to_support"))
    if st.button(ui.tr("self.restart")):
        st.session_state["self_restart"] = True
        st.rerun()
    st.stop()

answers = dict(draft.answers) if draft else {}
step = min(draft.step if draft else 0, len(q.sections) - 1)
if draft:
    st.info(ui.tr("self.resumed", date=formatting.day(draft.updated_on, lang)))
else:
    st.markdown(q.intro(lang))
section = q.sections[step]
st.progress(step / len(q.sections), text=ui.tr("survey.progress", step=step + 1,
                                                total=len(q.sections)))
st.subheader(section.title(lang))
if section.intro(lang):
    st.caption(section.intro(lang))
with st.form(f"self-{section.id}"):
    for number, item in enumerate(section.items, 1):
        if item.kind == ESTIMATE:
            options = {o.code: o.label(lang) for o in q.estimate_options}
        else:
            labels = q.answer_scales[item.answer_scale].labels
            options = {v: labels[v - 1](lang) for v in range(1, 6)}
        codes = list(options)
        st.radio(f"{number}. {item.text(lang)}", codes, format_func=options.get,
                 index=codes.index(answers[item.id]) if item.id in answers else None,
                 key=f"self:{item.id}", horizontal=item.kind == ESTIMATE)
    back, later, forward = st.columns(3)
    pressed_back = back.form_submit_button(ui.tr("survey.back"), width="stretch",
                                           disabled=step == 0)
    pressed_later = later.form_submit_button(ui.tr("self.later"), width="stretch")
    last = step == len(q.sections) - 1
    pressed_next = forward.form_submit_button(ui.tr("self.finish" if last else "survey.next"),
                                              type="primary", width="stretch")
if pressed_back or pressed_later or pressed_next:
    for item in section.items:
        if st.session_state.get(f"self:{item.id}") is not None:
            answers[item.id] = st.session_state[f"self:{item.id}"]
    target = step - 1 if pressed_back else step if pressed_later else step + 1
    try:
        save_draft(ctx, org.id, q, answers, max(target, 0), complete=pressed_next and last)
    except InputError as error:
        ui.show_input_error(error)
        st.stop()
    st.session_state.pop("self_restart", None)
    if pressed_later:
        st.success(ui.tr("self.saved_for_later"))
    else:
        st.rerun()
