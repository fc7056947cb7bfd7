"""Write the sample documents in docs/ from the demo data: the organisation report, the paper
questionnaire, the slips, an e-mail invitation with its reminder and the psychosocial
risk-analysis export (of the demo's round with the module), in the languages given
(``make samples``, or ``.venv/bin/python docs/make_samples.py fr nl``). Dates are the day it
runs; the samples are for reading, and the tests check the same documents from the same code.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from assessment.access import Scope
from assessment.catalogue import load_catalogue
from assessment.codes import create_codes
from assessment.context import Context
from assessment.demo import load_demo
from assessment.demo_module import ORGANISATION as MODULE_ORGANISATION
from assessment.i18n import LANGUAGES
from assessment.mail_sender import Claimed, compose
from assessment.mailing import default_texts
from assessment.organisations import list_organisations
from assessment.questionnaire import load_employee_questionnaire
from assessment.reports import downloads, paper_pdf, risk_analysis, risk_analysis_pdf
from assessment.reports.slips_pdf import slips_pdf
from assessment.results import round_results
from assessment.rounds import list_rounds, open_round
from assessment.self_assessment import load_employer_questionnaire
from assessment.storage import init_db

DOCS = Path(__file__).resolve().parent
ADMIN = Scope(1, "admin@demo", "platform_admin")
ORGANISATION = "Zorggroep Scheldeland"
BASE_URL = "https://werkbaar.example"


def write(lang: str, db: Context) -> list[Path]:
    q, eq, catalogue = (load_employee_questionnaire(), load_employer_questionnaire(),
                        load_catalogue())
    org = next(o for o in list_organisations(db) if o.name == ORGANISATION)
    closed = next(r for r in list_rounds(db, org.id)
                  if round_results(db, r.id).shown)
    today = date.today()
    running = open_round(db, org.id, f"Bevraging {today.year + 1}", today,
                         today + timedelta(days=20), q)
    written = {
        f"sample-organisation-report-{lang}.pdf": downloads.organisation_report_pdf(
            db, ADMIN, org.id, closed.id, lang, q, eq, catalogue),
        f"sample-paper-questionnaire-{lang}.pdf": paper_pdf.render(q, org, closed.title, lang),
        f"sample-slips-{lang}.pdf": slips_pdf(create_codes(db, running, 8),
                                              organisation=org.name,
                                              closes_on=today + timedelta(days=20),
                                              base_url=BASE_URL, lang=lang),
    }
    module_org = next(o for o in list_organisations(db) if o.name == MODULE_ORGANISATION)
    module_round = next(r for r in list_rounds(db, module_org.id)
                        if risk_analysis.module_of(r) is not None)
    written[f"sample-risk-analysis-{lang}.pdf"] = risk_analysis_pdf.render(risk_analysis.build(
        db, ADMIN, module_org.id, module_round.id, lang, q, eq, catalogue))
    subject, body = default_texts(lang, org.name)
    mails = []
    for kind in ("invitation", "reminder"):
        mail = compose(Claimed(id=1, kind=kind, attempts=0, address="medewerker@example.org",
                               token="VOORBEELD-TOKEN", lang=lang, subject=subject, body=body,
                               base_url=BASE_URL, closes_on=today + timedelta(days=20)),
                       "werkbaar@example.org")
        mails.append(f"Subject: {mail['Subject']}\n\n{mail.get_content().strip()}\n")
    written[f"sample-email-{lang}.txt"] = "\n" + ("-" * 72 + "\n").join(mails)
    paths = []
    for name, content in written.items():
        path = DOCS / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.lstrip("\n"), encoding="utf-8")
        paths.append(path)
    return paths


def main(langs: list[str]) -> None:
    for lang in langs:
        if lang not in LANGUAGES:
            sys.exit(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        with tempfile.TemporaryDirectory() as folder:
            with Context(init_db(Path(folder) / "werkbaar.db")) as db:
                load_demo(db)
                written = write(lang, db)
            for path in written:
                print(path.relative_to(DOCS.parent))


if __name__ == "__main__":
    main(sys.argv[1:] or ["fr"])
