"""Werkbaar's domain: questionnaires, scoring, storage, survey rounds, responses, results,
benchmarks and demo data. Plain Python; only :mod:`assessment.ui` imports Streamlit.

The public API, one module per concept:

* :mod:`~assessment.questionnaire` — load and validate a questionnaire file;
* :mod:`~assessment.scoring` — item, scale and respondent scores, levels, werkbaarheidsgraad;
* :mod:`~assessment.storage` — the SQLite file, connections, write transactions, migrations;
* :mod:`~assessment.organisations` — organisations and their departments;
* :mod:`~assessment.rounds` — survey rounds and single-use invitation links;
* :mod:`~assessment.responses` — check a link, validate, score and store a response;
* :mod:`~assessment.confidentiality` — which groups may be shown;
* :mod:`~assessment.results` — the figures of a round, filtered by the rules;
* :mod:`~assessment.benchmarks` — published monitor figures and sector matching;
* :mod:`~assessment.access` — roles, permissions and the caller's scope;
* :mod:`~assessment.accounts` — accounts, password sign-in, sessions, the lock after failures;
* :mod:`~assessment.audit` — the audit log of sector views, exports and account changes;
* :mod:`~assessment.sector` — pooled sector figures under the sector rules, peer positions;
* :mod:`~assessment.charts` — plotly figures;
* :mod:`~assessment.demo` — demo organisations;
* :mod:`~assessment.i18n` — Dutch and English texts.
"""

from .access import AccessDenied, Scope, Sector
from .accounts import SignInError, sign_in
from .errors import InputError, Problem
from .questionnaire import Questionnaire, QuestionnaireError, load_employee_questionnaire
from .responses import InvitationError, check_invitation, submit_response
from .results import RoundResults, round_results
from .scoring import score_response, werkbaarheidsgraad
from .sector import peer_position, sector_view
from .storage import connect, init_db, write_transaction

__all__ = [
    "AccessDenied",
    "Scope",
    "Sector",
    "SignInError",
    "peer_position",
    "sector_view",
    "sign_in",
    "InputError",
    "InvitationError",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "RoundResults",
    "check_invitation",
    "connect",
    "init_db",
    "load_employee_questionnaire",
    "round_results",
    "score_response",
    "submit_response",
    "werkbaarheidsgraad",
    "write_transaction",
]
