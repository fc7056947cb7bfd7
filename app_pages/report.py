"""Rapport / Report: the organisation report of a closed round with figures, to download as a
PDF (for the meeting with management and the CPBW) or as an Excel workbook of its tables, in
Dutch or English. For whoever may see the results (organisation admin, HR viewer, platform
admin); a sector analyst never reaches it.

Decisions: the report is made only when the button is clicked (a deferred download), so that
opening the page costs nothing and every download, and only a download, is written to the
audit log (:mod:`assessment.reports.downloads`). The page offers only rounds whose figures may
be shown, newest first, opening on the newest; the report's language defaults to the page's,
since a Dutch HR manager may need an English copy for a group board. A round with the
psychosocial module also offers the risk-analysis export for the prevention adviser
(:mod:`assessment.reports.risk_analysis`), audited as it is made (``ui.audited_download``)."""

import streamlit as st

from assessment import audit, batch, formatting, ui
from assessment.access import VIEW_RESULTS
from assessment.i18n import LANGUAGE_NAMES, LANGUAGES
from assessment.reports import downloads, risk_analysis, risk_analysis_pdf, risk_analysis_xlsx
from assessment.reports.pdf import FontMissingError, font_files
from assessment.results import breakdown_groups, round_results
from assessment.rounds import list_rounds
from assessment.ui.router import entry_guard

ROUND_KEY = "report:round_id"

scope = entry_guard(VIEW_RESULTS)
lang, ctx = ui.lang(), ui.context()
st.title(ui.tr("nav.report"))
org = ui.organisation_or_stop()
st.caption(ui.tr("report.intro"))
rounds = [r for r in list_rounds(ctx, org.id)
          if round_results(ctx, r.id).shown]
if not rounds:
    st.info(ui.tr("report.no_round"))
    st.stop()
ids = [r.id for r in rounds]
if st.session_state.get(ROUND_KEY) not in ids:
    st.session_state[ROUND_KEY] = ids[0]
titles = {r.id: f"{r.title} · {formatting.day(r.closed_early_on or r.closes_on, lang)}"
          for r in rounds}
round_id = st.selectbox(ui.tr("report.choose_round"), ids,
                        index=ids.index(st.session_state[ROUND_KEY]), format_func=titles.get)
st.session_state[ROUND_KEY] = round_id
report_lang = st.segmented_control(ui.tr("report.language"), LANGUAGES, default=lang,
                                   format_func=LANGUAGE_NAMES.get, key="report:lang") or lang
try:
    font_files()
except FontMissingError:  # a server without Debian's fonts-dejavu-core: say so, not a traceback
    st.error(ui.tr("report.font_missing"))
    st.stop()
questionnaire, employer_q, catalogue = (ui.questionnaire(), ui.employer_questionnaire(),
                                        ui.catalogue())
stem = f"werkbaar-rapport-{org.id}-{round_id}-{report_lang}"


def pdf() -> bytes:  # made when clicked, after this run: a request of its own
    return ui.callback(downloads.organisation_report_pdf)(
        scope, org.id, round_id, report_lang, questionnaire, employer_q, catalogue)


def xlsx() -> bytes:
    return ui.callback(downloads.organisation_report_xlsx)(
        scope, org.id, round_id, report_lang, questionnaire, employer_q, catalogue)


col1, col2 = st.columns(2)
col1.download_button(ui.tr("report.download_pdf"), pdf, file_name=f"{stem}.pdf",
                     mime=downloads.PDF, icon=":material/picture_as_pdf:", on_click="ignore",
                     type="primary", width="stretch")
col2.download_button(ui.tr("report.download_xlsx"), xlsx, file_name=f"{stem}.xlsx",
                     mime=downloads.XLSX, icon=":material/table_view:", on_click="ignore",
                     width="stretch")
st.caption(ui.tr("report.audit_note"))

chosen = next(r for r in rounds if r.id == round_id)
groups = breakdown_groups(org, questionnaire)
if risk_analysis.module_of(chosen) is not None:  # the psychosocial module: the adviser's annex
    st.subheader(ui.tr("risk.download_title"))
    st.caption(ui.tr("risk.download_help"))
    if batch.breakdowns_ready(ctx, chosen, groups) and not risk_analysis.figures_shown(
            ctx, chosen, org, questionnaire):
        st.info(ui.tr("risk.unavailable", min=round_results(ctx, round_id).threshold))
    else:
        def risk(render):
            return lambda c: render(risk_analysis.build(c, scope, org.id, round_id, report_lang,
                                                        questionnaire, employer_q, catalogue))

        col3, col4 = st.columns(2)
        name, subject = (f"werkbaar-risicoanalyse-{org.id}-{round_id}-{report_lang}",
                         f"organisation:{org.id}/round:{round_id}")
        for col, label, render, action, ext, mime, icon in (
                (col3, "risk.download_pdf", risk_analysis_pdf.render, audit.RISK_ANALYSIS_PDF,
                 "pdf", downloads.PDF, ":material/picture_as_pdf:"),
                (col4, "risk.download_xlsx", risk_analysis_xlsx.workbook,
                 audit.RISK_ANALYSIS_XLSX, "xlsx", downloads.XLSX, ":material/table_view:")):
            ui.audited_download(col, ui.tr(label), risk(render), scope=scope, action=action,
                                subject=subject, detail=report_lang, file_name=f"{name}.{ext}",
                                mime=mime, icon=icon, width="stretch")
