"""The rounds page's paper tab: print the questionnaire, download the import template, import
the typed-in answers (:mod:`assessment.paper_import`) into the open round.

The tab says who should type the answers in (one confidant, e.g. the prevention adviser, never
the direct manager: whoever types sees every sheet) and that the sheets are destroyed after the
import. Downloads are made only when clicked and each is written to the audit log with which file
it was (no content); an import's audit entry is written by the import itself, with its count.
A refused import lists every problem (user text in them shown literally, never as Markdown).
Rows with the very answers of another row or of an earlier import are listed above the form
with a box to tick: the importer checks the paper sheets and imports the same file again
(:class:`assessment.paper_import.RepeatedAnswersError` says why this asks rather than refuses).
"""

from __future__ import annotations

import streamlit as st

from .. import audit, formatting, questionnaire_store
from ..access import Scope
from ..errors import InputError
from ..organisations import Organisation
from ..paper_import import RepeatedAnswersError, import_responses, template_csv, template_xlsx
from ..reports.paper_pdf import render
from ..rounds import SurveyRound
from ..upload_limits import MAX_BYTES
from . import audited_download, context, lang, language_choice, plain, tr

DONE_KEY = "paper:imported"  # (round id, count) of the last import, shown after the rerun
UPLOADS_KEY = "paper:uploads"  # bumped after an import, so the uploader starts empty
REPEATS_KEY = "paper:repeats"  # (round id, fingerprint, problems) of a file awaiting a check
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def section(org: Organisation, survey_round: SurveyRound, scope: Scope) -> None:
    ctx, here = context(), lang()
    subject = audit.round_subject(org, survey_round)
    # the round's questionnaire version, without its modules and own questions (online only)
    base = questionnaire_store.version(ctx, survey_round.questionnaire_id,
                                       survey_round.questionnaire_version)
    st.subheader(tr("channel.paper"))
    st.markdown(tr("paper.tab_intro"))
    if survey_round.extras:
        st.info(tr("paper.no_extras"))

    st.markdown(f"**{tr('paper.print_heading')}**")
    form_lang = language_choice(tr("paper.pdf_language"), survey_round.languages, "paper:lang")
    # each file made when clicked, with its audit entry (which file, no content)
    audited_download(
        st, tr("paper.download_pdf"),
        lambda _: render(base, org, survey_round.title, form_lang),
        scope=scope, action=audit.PAPER_DOWNLOADED, subject=subject, detail=f"pdf {form_lang}",
        file_name=f"werkbaar-vragenlijst-{survey_round.id}-{form_lang}.pdf",
        mime="application/pdf", icon=":material/print:", key="paper:pdf")

    st.markdown(f"**{tr('paper.template_heading')}**")
    st.caption(tr("paper.template_help"))
    col1, col2 = st.columns(2)
    audited_download(
        col1, tr("paper.download_xlsx"), lambda _: template_xlsx(base, org, here),
        scope=scope, action=audit.PAPER_DOWNLOADED, subject=subject, detail="template xlsx",
        file_name=f"werkbaar-papier-{survey_round.id}.xlsx", mime=XLSX,
        icon=":material/table_view:", key="paper:xlsx")
    audited_download(
        col2, tr("paper.download_csv"), lambda _: template_csv(base, org, here),
        scope=scope, action=audit.PAPER_DOWNLOADED, subject=subject, detail="template csv",
        file_name=f"werkbaar-papier-{survey_round.id}.csv", mime="text/csv",
        icon=":material/download:", key="paper:csv")

    st.markdown(f"**{tr('paper.import_heading')}**")
    st.caption(tr("paper.import_help"))
    done = st.session_state.pop(DONE_KEY, None)
    if done and done[0] == survey_round.id:
        st.success(tr("paper.imported", count=formatting.number(done[1], here)))
    uploads = st.session_state.get(UPLOADS_KEY, 0)
    pending = st.session_state.get(REPEATS_KEY)
    if pending and pending[0] != survey_round.id:
        pending = None
    if pending:
        st.warning(tr("paper.repeats_found") + "\n\n" + "\n".join(
            f"- {plain(problem.message(here))}" for problem in pending[2]))
    with st.form(f"paper:import:{survey_round.id}"):
        upload = st.file_uploader(tr("paper.upload"), type=["csv", "xlsx"],
                                  key=f"paper:file:{survey_round.id}:{uploads}",
                                  max_upload_size=MAX_BYTES // (1024 * 1024))
        # the box names its file: a new file with repeats asks again
        checked = pending is not None and st.checkbox(
            tr("paper.repeats_confirm"), key=f"paper:checked:{survey_round.id}:{pending[1]}")
        if not st.form_submit_button(tr("paper.import_button"), type="primary"):
            return
    if upload is None:
        st.warning(tr("paper.choose_file"))
        return
    try:
        result = import_responses(ctx, scope, org, survey_round.id, base,
                                  upload.getvalue(), upload.name,
                                  confirm_repeats=pending[1] if checked else "")
    except RepeatedAnswersError as error:
        st.session_state[REPEATS_KEY] = (survey_round.id, error.fingerprint, error.problems)
        st.rerun()  # the rows and the box to tick, above the form that keeps the file
    except InputError as error:
        st.session_state.pop(REPEATS_KEY, None)
        st.error(tr("paper.refused") + "\n\n" + "\n".join(
            f"- {plain(message)}" for message in error.messages(here)))
        return
    st.session_state.pop(REPEATS_KEY, None)
    st.session_state[DONE_KEY] = (survey_round.id, result.rows)
    st.session_state[UPLOADS_KEY] = uploads + 1
    st.rerun()  # so the counts above include the imported responses
