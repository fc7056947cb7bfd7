"""The employee survey, reached through a single-use invitation link (``?token=...``) or a
printed slip's code (``?code=K7QM4TXP9RWH``, from its QR code or typed on the sign-in page).

One section per step with a progress bar; answers are kept in the session while moving back
and forth; every question item must be answered before moving on (the background questions
and the open question are optional); submitting uses up the link. The token stays in the
address bar until then, so a respondent who reloads can start again.

A slip's code stays in the address bar the same way (``?code=``); it is checked against the
limit on wrong codes once per browser session (:mod:`assessment.ui.slips`), and a wrong code
shows the code form again. Sending with a code clears this client's count of wrong codes.

The address bar also carries what the server must know after a restart, when the session and
its answers are gone but the page reconnects with the same address: ``started=1`` once the
respondent began (the survey then says that answers given so far may need to be given again),
``sending=1`` while a send runs (a link found used then was used by this page: thanks, not
"already used"), and after sending ``?sent=1`` instead of the token or code (thanks, not the
sign-in page). None of them grants anything: the token or code alone decides whether answers
are stored.

A send that cannot be stored (disk full, read-only database, lock held past the timeout)
keeps every answer on the page and asks to try again; nothing of it was stored, as the write
is one transaction.

On a phone each step opens at its top (title, progress bar and the section's heading), not
where the previous step was scrolled to. "Volgende" with a question left open stays on the section,
says which numbers are open at its top, outlines every open question with a text saying it is
not answered yet, and scrolls to the first (see :mod:`assessment.ui.scroll`). The intro says
which organisation asks, by the name its employer gave it.
"""

import hashlib

import streamlit as st

from assessment import ui
from assessment.errors import InputError
from assessment.organisations import get_organisation
from assessment.responses import USED, InvitationError, check_invitation, submit_response
from assessment.ui import slips
from assessment.ui.scroll import container_key, hide_input_instructions, mark, scroll_to

lang, q = ui.lang(), ui.questionnaire()
params = st.query_params
token = params.get("token", "")
by_code = "code" in params and not token  # a slip's code; texts then say "code", not "link"
texts = "code" if by_code else "invitation"  # i18n prefix of the refusals
credential = token  # what check_invitation and submit_response are given
if by_code:
    token = "code:" + params.get("code", "")  # names this code's draft
key = "survey:" + hashlib.sha256(token.encode()).hexdigest()[:16]  # this link's draft


def done() -> None:
    """Mark this session's survey sent; the address bar keeps only the mark of a sent survey,
    so the link is gone from it and a reconnect after a restart still thanks."""
    st.session_state["survey_done"] = "code" if by_code else (
        st.session_state.get("survey_done") or True)  # "code": the thanks say "code"
    st.session_state.pop(key, None)
    st.session_state.pop(key + ":invitation", None)
    if "token" in params or "code" in params:
        params.clear()
        params["sent"] = "1"


def thanks() -> None:
    done()
    st.title(ui.tr("survey.thanks_title"))
    if st.session_state["survey_done"] == "code":
        st.success(ui.tr("code.thanks"))
        slips.code_form("next-code")  # a shared device: the next person's slip
    else:
        st.success(ui.tr("survey.thanks"))
    st.stop()


if st.session_state.get("survey_done") or (not token and params.get("sent") == "1"):
    thanks()
if by_code:
    try:  # against the limit on wrong codes, once per session and code
        credential = slips.slip_code(params.get("code", ""))
    except InputError as error:
        st.title(q.title(lang))
        if params.get("code"):
            ui.show_input_error(error)
        slips.code_form("survey-code", params.get("code", "")[:40])
        st.stop()
try:
    invitation = check_invitation(credential, db_path=ui.database())
except InvitationError as error:
    # Used by this page: a second click on "send" interrupted the first run after its answers
    # were stored, or the server stopped after storing them (the session is gone, the address
    # bar still says it was sending).
    if error.reason == USED and (st.session_state.get("survey_sending") == key
                                 or params.get("sending") == "1"):
        thanks()
    st.title(q.title(lang))
    st.info(ui.tr(f"{texts}.{error.reason}"))
    if by_code:
        slips.code_form("survey-code")
    st.stop()
except ui.storage_errors() as error:
    # The database cannot be read right now. Mid-survey, keep the answers on the page with
    # the link as last checked; the send will say whether it can be stored.
    invitation = st.session_state.get(key + ":invitation")
    if invitation is None:
        raise
    ui.report_error(error, "survey: cannot check the link")
else:
    st.session_state[key + ":invitation"] = invitation
    if key + ":organisation" not in st.session_state:  # asked once per link and session
        found = get_organisation(invitation.round.organisation_id, db_path=ui.database())
        st.session_state[key + ":organisation"] = found.name if found else None

draft = st.session_state.get(key)
if draft is None:
    draft = st.session_state[key] = {"step": 0, "answers": {}, "background": {}, "open": ""}
    # A new session for a page that had begun: the server restarted and the answers are gone.
    draft["resumed"] = params.get("started") == "1" or params.get("sending") == "1"
    if "sending" in params:
        del params["sending"]
steps = len(q.sections) + 2  # intro, sections, about you
step = draft["step"]
hide_input_instructions()


def go(to: int) -> None:
    draft["step"] = to
    draft["moves"] = draft.get("moves", 0) + 1
    st.rerun()


def leave_section(shown_step: int, forward: bool) -> None:
    """``on_click`` of "Vorige" and "Volgende" (runs before the next run): keep every answer
    given; go back always, forward only when every question is answered, else remember which
    are open. A second tap on a step already left (a double tap on a phone) does nothing."""
    if draft["step"] != shown_step:
        return
    section = q.sections[shown_step - 1]
    for item in section.items:
        if st.session_state.get(f"q:{item.id}") is not None:
            draft["answers"][item.id] = st.session_state[f"q:{item.id}"]
    missing = [item.id for item in section.items if item.id not in draft["answers"]]
    draft["missing"] = missing if forward else []
    draft["step"] += 1 if forward and not missing else 0 if forward else -1
    draft["moves"] = draft.get("moves", 0) + 1


st.title(q.title(lang), anchor="survey")  # where every step opens (scroll_to)
st.progress(step / (steps - 1), text=ui.tr("survey.progress", step=step + 1, total=steps))

if draft.get("resumed") and step <= 1:
    st.warning(ui.tr("code.resumed" if by_code else "survey.resumed"),
               icon=":material/sync_problem:")
if step == 0:
    organisation = st.session_state.get(key + ":organisation")
    if organisation:
        st.markdown(ui.tr("survey.asked_by", organisation=ui.plain(organisation)))
    st.markdown(q.intro(lang))
    if st.button(ui.tr("survey.start"), type="primary"):
        params["started"] = "1"
        go(1)
elif step <= len(q.sections):
    section = q.sections[step - 1]
    missing = [item.id for item in section.items if item.id in draft.get("missing", ())]
    st.subheader(section.title(lang))
    if section.intro(lang):
        st.caption(section.intro(lang))
    if missing:
        numbers = [n for n, item in enumerate(section.items, 1) if item.id in missing]
        st.error(ui.tr("survey.missing", numbers=", ".join(map(str, numbers))))
    mark(missing)
    with st.form(f"section-{section.id}"):
        for number, item in enumerate(section.items, 1):
            labels = [label(lang) for label in q.answer_scales[item.answer_scale].labels]
            saved = draft["answers"].get(item.id)
            with st.container(key=container_key(item.id)):
                if item.id in missing:
                    st.markdown(f":red[**{ui.tr('survey.unanswered')}**]")
                st.radio(f"{number}. {item.text(lang)}", range(1, 6),
                         index=saved - 1 if saved else None, key=f"q:{item.id}",
                         format_func=lambda v, labels=labels: labels[v - 1])
        back, forward = st.columns(2)
        back.form_submit_button(ui.tr("survey.back"), width="stretch",
                                on_click=leave_section, args=(step, False))
        forward.form_submit_button(ui.tr("survey.next"), type="primary", width="stretch",
                                   on_click=leave_section, args=(step, True))
    scroll_to(missing[0] if missing else "survey", draft.get("moves", 0))
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
    scroll_to("survey", draft.get("moves", 0))
    draft["background"] = {k: v for k, v in answers.items() if v is not None}
    draft["open"] = open_text
    if pressed_back:
        go(step - 1)
    if pressed_send:
        st.session_state["survey_sending"] = key
        params["sending"] = "1"
        try:
            submit_response(credential, q, draft["answers"], draft["background"], draft["open"],
                            db_path=ui.database())
        except InputError as error:
            del st.session_state["survey_sending"], params["sending"]
            ui.show_input_error(error)
        except InvitationError as error:
            if error.reason == USED:  # an earlier click of this session stored the answers
                st.rerun()
            del st.session_state["survey_sending"], params["sending"]
            st.info(ui.tr(f"{texts}.{error.reason}"))
        except ui.storage_errors() as error:  # nothing was stored: the answers stay here
            del st.session_state["survey_sending"], params["sending"]
            st.error(ui.tr("survey.store_failed", ref=ui.report_error(error, "survey: not stored")),
                     icon=":material/cloud_off:")
        else:
            if by_code:
                slips.forgive()
            done()
            st.rerun()
