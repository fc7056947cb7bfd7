"""The employee survey, reached through a single-use invitation link (``?token=...``).

One section per step with a progress bar; answers are kept in the session while moving back
and forth; every question item must be answered before moving on (the background questions
and the open question are optional); submitting uses up the link. The token stays in the
address bar until then, so a respondent who reloads can start again.
"""

import hashlib

import streamlit as st

from assessment import ui
from assessment.errors import InputError
from assessment.responses import USED, InvitationError, check_invitation, submit_response
from assessment.ui.router import ensure_routed

ensure_routed()
lang, q = ui.lang(), ui.questionnaire()
token = st.query_params.get("token", "")
key = "survey:" + hashlib.sha256(token.encode()).hexdigest()[:16]  # this link's draft
try:
    invitation = None if st.session_state.get("survey_done") else check_invitation(
        token, db_path=ui.database())
except InvitationError as error:
    # A second click on "send" can interrupt the first run after its answers were stored but
    # before it said so: a link this session was sending, now used, was used by this session.
    if error.reason != USED or st.session_state.get("survey_sending") != key:
        st.title(q.title(lang))
        st.info(ui.tr(f"invitation.{error.reason}"))
        st.stop()
    st.session_state["survey_done"] = True
if st.session_state.get("survey_done"):
    st.title(ui.tr("survey.thanks_title"))
    st.success(ui.tr("survey.thanks"))
    st.stop()

draft = st.session_state.setdefault(key, {"step": 0, "answers": {}, "background": {}, "open": ""})
steps = len(q.sections) + 2  # intro, sections, about you
step = draft["step"]


def go(to: int) -> None:
    draft["step"] = to
    st.rerun()


st.title(q.title(lang))
st.progress(step / (steps - 1), text=ui.tr("survey.progress", step=step + 1, total=steps))

if step == 0:
    st.markdown(q.intro(lang))
    if st.button(ui.tr("survey.start"), type="primary"):
        go(1)
elif step <= len(q.sections):
    section = q.sections[step - 1]
    st.subheader(section.title(lang))
    if section.intro(lang):
        st.caption(section.intro(lang))
    with st.form(f"section-{section.id}"):
        for number, item in enumerate(section.items, 1):
            labels = [label(lang) for label in q.answer_scales[item.answer_scale].labels]
            saved = draft["answers"].get(item.id)
            st.radio(f"{number}. {item.text(lang)}", range(1, 6),
                     index=saved - 1 if saved else None, key=f"q:{item.id}",
                     format_func=lambda v, labels=labels: labels[v - 1])
        back, forward = st.columns(2)
        pressed_back = back.form_submit_button(ui.tr("survey.back"), width="stretch")
        pressed_next = forward.form_submit_button(ui.tr("survey.next"), type="primary",
                                                  width="stretch")
    if pressed_back or pressed_next:
        for item in section.items:
            if st.session_state.get(f"q:{item.id}") is not None:
                draft["answers"][item.id] = st.session_state[f"q:{item.id}"]
        missing = [n for n, item in enumerate(section.items, 1)
                   if item.id not in draft["answers"]]
        if pressed_back:
            go(step - 1)
        elif missing:
            st.error(ui.tr("survey.missing", numbers=", ".join(map(str, missing))))
        else:
            go(step + 1)
else:
    st.subheader(ui.tr("survey.about_you"))
    st.caption(ui.tr("survey.about_you_help"))
    with st.form("about-you"):
        answers = {}
        for question in q.background:
            if question.from_organisation:
                options = dict(invitation.departments)
            else:
                options = {o.code: o.label(lang) for o in question.options}
            if not options:
                continue
            saved = draft["background"].get(question.id)
            codes = list(options)
            answers[question.id] = st.selectbox(
                question.label(lang), codes, index=codes.index(saved) if saved in codes else None,
                format_func=options.get, placeholder=ui.tr("survey.no_answer"),
                help=question.help(lang) if question.help else None,
            )
        open_text = st.text_area(q.open_question.label(lang), value=draft["open"],
                                 max_chars=q.open_question.max_chars,
                                 help=q.open_question.help(lang))
        back, send = st.columns(2)
        pressed_back = back.form_submit_button(ui.tr("survey.back"), width="stretch")
        pressed_send = send.form_submit_button(ui.tr("survey.submit"), type="primary",
                                               width="stretch")
    draft["background"] = {k: v for k, v in answers.items() if v is not None}
    draft["open"] = open_text
    if pressed_back:
        go(step - 1)
    if pressed_send:
        st.session_state["survey_sending"] = key
        try:
            submit_response(token, q, draft["answers"], draft["background"], draft["open"],
                            db_path=ui.database())
        except InputError as error:
            del st.session_state["survey_sending"]
            ui.show_input_error(error)
        except InvitationError as error:
            if error.reason == USED:  # an earlier click of this session stored the answers
                st.rerun()
            del st.session_state["survey_sending"]
            st.info(ui.tr(f"invitation.{error.reason}"))
        else:
            st.session_state["survey_done"] = True
            del st.session_state[key]
            st.query_params.clear()
            st.rerun()
