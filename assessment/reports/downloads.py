"""Every report leaves the app through here: the caller's scope is checked, the report is built
from the same domain functions as the pages (and so through :mod:`assessment.confidentiality`),
and the download is written to the audit log (who, what, when) before the bytes are returned;
the audit entry also writes the server log's ``export`` line (:mod:`assessment.audit`).

An audit entry names the account, the action, and as subject ``organisation:<id>/round:<id>``
or the sector key; its detail is the report's language. Never a figure, nor the organisation's
name (which deleting the organisation must be able to erase from the log).
"""

from __future__ import annotations

from datetime import date

from .. import audit
from ..access import Scope, Sector
from ..catalogue import Measure
from ..questionnaire import Questionnaire
from ..sector import sector_view
from ..self_assessment import EmployerQuestionnaire
from . import organisation, organisation_pdf, organisation_xlsx, sector_pdf

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(ctx, scope: Scope, organisation_id: int, round_id: int, lang: str,
            questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
            catalogue: tuple[Measure, ...] | None, today: date | None
            ) -> organisation.OrganisationReport:
    return organisation.build(ctx, scope, organisation_id, round_id, lang, questionnaire,
                              employer_q,
                              catalogue, today=today)


def organisation_report_pdf(ctx, scope: Scope, organisation_id: int, round_id: int, lang: str,
                            questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
                            catalogue: tuple[Measure, ...] | None, *,
                                today: date | None = None) -> bytes:
    """The organisation report of one round as PDF, recorded in the audit log.

    :raises AccessDenied: when the scope may not see the organisation's results.
    :raises ReportUnavailable: when the round has no figures to show.
    """
    data = organisation_pdf.render(_report(ctx, scope, organisation_id, round_id, lang,
                                           questionnaire, employer_q, catalogue, today))
    audit.record(ctx, scope, audit.REPORT_PDF, f"organisation:{organisation_id}/round:{round_id}",
                 lang)
    return data


def organisation_report_xlsx(ctx, scope: Scope, organisation_id: int, round_id: int, lang: str,
                             questionnaire: Questionnaire, employer_q: EmployerQuestionnaire,
                             catalogue: tuple[Measure, ...] | None, *,
                                 today: date | None = None) -> bytes:
    """The tables of the organisation report as XLSX, recorded in the audit log (raises as
    :func:`organisation_report_pdf`)."""
    data = organisation_xlsx.workbook(_report(ctx, scope, organisation_id, round_id, lang,
                                              questionnaire, employer_q, catalogue, today))
    audit.record(ctx, scope, audit.REPORT_XLSX, f"organisation:{organisation_id}/round:{round_id}",
                 lang)
    return data


def sector_report_pdf(ctx, scope: Scope, sector: Sector, lang: str, questionnaire: Questionnaire, *,
                      today: date | None = None) -> bytes:
    """The sector fund report of the sector's newest published year, recorded in the audit log.

    :raises AccessDenied: when the sector is outside the scope.
    """
    view = sector_view(ctx, scope, sector, today=today)
    data = sector_pdf.render(view, questionnaire, lang, today or ctx.today)
    audit.record(ctx, scope, audit.SECTOR_REPORT_PDF, sector.key, lang)
    return data
