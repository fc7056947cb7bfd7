"""Printed slips in the app: the rounds page's slip tab (make codes, download their PDF once)
and the code entry of respondents (the form on the sign-in page and on the survey page, and
the check of a code against the per-client limit of :mod:`assessment.codes`).

A code that passed the limit is kept in the browser session (``_slip_codes``), so the
survey's later runs (every step is a run) do not try it again; a new session (a reload, a
server restart) tries it once more, which costs nothing for an existing code. A wrong code is
kept too, so the runs of the page that still shows it (typing the next code, switching the
language) do not count it again.
"""

from __future__ import annotations

import secrets

import streamlit as st

from .. import audit, codes
from ..errors import InputError
from ..i18n import LANGUAGES
from ..organisations import Organisation
from ..reports.pdf import FontMissingError, font_files
from ..reports.slips_pdf import slips_pdf, typing_address
from ..rounds import MAX_INVITATIONS, SurveyRound, get_round, links_outnumber_headcount
from . import base_url, database, lang, show_input_error, tr

FRESH_KEY = "new_slips"  # the PDF of the slips just made: {"round_id", "count", "pdf"}
VERIFIED_KEY = "_slip_codes"  # normalised code → SlipCode, for this session
REFUSED_KEY = "_slip_codes_refused"  # normalised code → its problems (wrong or malformed)
CLIENT_KEY = "_code_client"  # this session's client key for the limit
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


# --- the rounds page's tab ------------------------------------------------------------------


def section(org: Organisation, survey_round: SurveyRound, scope) -> None:
    """How many slips, in which language; the button makes the codes (channel slip, audited
    with their number) and their PDF, which is offered for download in this session only: the
    codes are stored as hashes and cannot be printed again."""
    db = database()
    st.subheader(tr("channel.slip"))
    st.caption(tr("slips.intro", address=typing_address(base_url())))
    try:
        font_files()
    except FontMissingError:  # a server without fonts-dejavu-core: say so, make no codes
        st.error(tr("report.font_missing"))
        return
    left, right = st.columns(2)
    count = int(left.number_input(tr("slips.how_many"), min_value=1, max_value=MAX_INVITATIONS,
                                  value=10, key="slips:count"))
    slip_lang = right.segmented_control(tr("slips.language"), LANGUAGES, default=lang(),
                                        format_func=LANGUAGE_NAMES.get,
                                        key="slips:lang") or lang()
    invited = get_round(survey_round.id, db_path=db).invited
    if links_outnumber_headcount(invited + count, org.headcount):
        st.warning(tr("slips.too_many", count=count, total=invited + count,
                      headcount=org.headcount))
    subject = f"{org.name} / {survey_round.title} (#{survey_round.id})"
    if st.button(tr("slips.make"), type="primary", key="slips:make"):
        try:
            made = codes.create_codes(survey_round.id, count, db_path=db)
        except InputError as error:
            show_input_error(error)
            return
        audit.record(scope, audit.SLIPS_CREATED, subject, str(len(made)), db_path=db)
        with st.spinner(tr("slips.make")):
            pdf = slips_pdf(made, organisation=org.name, closes_on=survey_round.closes_on,
                            base_url=base_url(), lang=slip_lang)
        st.session_state[FRESH_KEY] = {"round_id": survey_round.id, "count": len(made),
                                       "pdf": pdf}
        st.rerun()  # so the counts above include the new slips
    fresh = st.session_state.get(FRESH_KEY)
    if fresh and fresh["round_id"] == survey_round.id:
        st.success(tr("slips.made", count=fresh["count"]))
        st.warning(tr("slips.once"))
        st.download_button(
            tr("slips.download"), fresh["pdf"], type="primary", mime="application/pdf",
            file_name=f"werkbaar-strookjes-{survey_round.id}.pdf", key="slips:download",
            on_click=audit.record, args=(scope, audit.SLIPS_PDF, subject, str(fresh["count"])),
            kwargs={"db_path": db})


# --- respondents' code entry ----------------------------------------------------------------


def code_form(key: str, typed: str = "") -> None:
    """"Heb je een code van een strookje?": a field and a button that open the survey with
    the typed code (``?code=``, which routes to the survey page; that page checks the code).
    Input that cannot be a code is refused here, without counting. Also under the thanks for
    a survey sent with a code, for the next person at a shared PC. ``typed``: the code to
    show in the field (a wrong one, to correct)."""
    with st.form(key, border=True):
        st.markdown(f"**{tr('code.form_title')}**")
        st.caption(tr("code.form_help"))
        typed = st.text_input(tr("code.label"), value=codes.grouped(typed)[:40],
                              placeholder=tr("code.placeholder"),
                              max_chars=40, key=f"{key}:code")
        if st.form_submit_button(tr("code.open"), type="primary"):
            code = codes.normalise(typed)
            if not codes.is_well_formed(code):
                st.error(tr("code.malformed", length=codes.LENGTH))
                return
            st.query_params.clear()
            st.query_params["code"] = code
            st.session_state["respondent"] = True  # from now on this session only answers
            st.session_state.pop("survey_done", None)  # the next person on a shared device
            st.rerun()


def client() -> str:
    """This browser's key for the limit on wrong codes: its IP address, or (when Streamlit
    gives none, as on a local connection) a random id of this session, both as an HMAC."""
    address = st.context.ip_address
    if isinstance(address, str) and address:  # (AppTest gives a mock)
        identity = f"ip:{address}"
    else:
        identity = "session:" + st.session_state.setdefault("_code_session",
                                                            secrets.token_hex(16))
    cached = st.session_state.get(CLIENT_KEY)
    if not cached or cached[0] != identity:
        cached = st.session_state[CLIENT_KEY] = (identity,
                                                 codes.client_key(identity, db_path=database()))
    return cached[1]


def slip_code(text: str) -> codes.SlipCode:
    """The slip code of ``text`` for this session: checked once against the limit.

    :raises InputError: too many wrong codes, malformed or wrong (see
      :func:`assessment.codes.redeem`).
    """
    verified = st.session_state.setdefault(VERIFIED_KEY, {})
    refused = st.session_state.setdefault(REFUSED_KEY, {})
    code = codes.normalise(text)
    if code in refused:  # the page's later runs with the same wrong code count it once
        raise InputError(refused[code])
    if code not in verified:
        try:
            verified[code] = codes.redeem(code, client(), db_path=database())
        except InputError as error:
            if not any(p.key.startswith("code.too_many") for p in error.problems):
                refused[code] = error.problems
            raise
    return verified[code]


def forgive() -> None:
    """A response was sent with a code: clear this client's count of wrong codes."""
    codes.forgive(client(), db_path=database())
