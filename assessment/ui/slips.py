"""Printed slips in the app: the rounds page's slip tab (make codes, download their PDF once)
and the code field on the sign-in page, which sends a respondent to the survey's own page for
the code (:mod:`assessment.web.survey`, where the code meets the per-client limit of
:mod:`assessment.codes`).
"""

from __future__ import annotations

import streamlit as st

from .. import audit, codes
from ..errors import InputError
from ..organisations import Organisation
from ..reports.pdf import FontMissingError, font_files
from ..reports.slips_pdf import slips_pdf, typing_address
from ..rounds import MAX_INVITATIONS, SurveyRound, get_round, links_outnumber_headcount
from ..storage import write_transaction
from . import audited_download, base_url, context, lang, language_choice, show_input_error, tr

FRESH_KEY = "new_slips"  # the PDF of the slips just made: {"round_id", "count", "pdf"}


# --- the rounds page's tab ------------------------------------------------------------------


def section(org: Organisation, survey_round: SurveyRound, scope) -> None:
    """How many slips, in which language; the button makes the codes (channel slip, audited
    with their number) and their PDF, which is offered for download in this session only: the
    codes are stored as hashes and cannot be printed again."""
    ctx = context()
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
    slip_lang = language_choice(tr("slips.language"), survey_round.languages, "slips:lang",
                                right)
    invited = get_round(ctx, survey_round.id).invited
    if links_outnumber_headcount(invited + count, org.headcount):
        st.warning(tr("slips.too_many", count=count, total=invited + count,
                      headcount=org.headcount))
    subject = audit.round_subject(org, survey_round)
    if st.button(tr("slips.make"), type="primary", key="slips:make"):
        try:
            with write_transaction(ctx):  # the codes and their audit entry: one transaction
                made = codes.create_codes(ctx, survey_round.id, count)
                audit.record(ctx, scope, audit.SLIPS_CREATED, subject, str(len(made)))
        except InputError as error:
            show_input_error(error)
            return
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
        audited_download(  # the audit entry with each download, not with each click
            st, tr("slips.download"), lambda _: fresh["pdf"], scope=scope,
            action=audit.SLIPS_PDF, subject=subject, detail=str(fresh["count"]), type="primary",
            mime="application/pdf", file_name=f"werkbaar-strookjes-{survey_round.id}.pdf",
            key="slips:download")


# --- respondents' code entry ----------------------------------------------------------------


def code_form(key: str, typed: str = "") -> None:
    """"Heb je een code van een strookje?" on the sign-in page: a field and a button that open
    the survey's own page for the typed code (``/s/code/<code>``, :mod:`assessment.web.survey`,
    which tries it against the limit on wrong codes). Input that cannot be a code is refused
    here, without counting. ``typed``: the code to show in the field."""
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
            # the survey is not a Streamlit page: the browser goes there (a code is letters
            # and digits of ALPHABET only, so it goes into the address as it is)
            target = f"/s/code/{code}?lang={lang()}"
            st.html(f"<script>window.location.assign({target!r});</script>",
                    unsafe_allow_javascript=True, width=1)
            st.link_button(tr("code.open"), target)  # should the script not run
