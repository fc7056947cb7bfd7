"""Werkbaar's domain: questionnaires, scoring, storage, survey rounds, responses, results,
benchmarks and demo data. Plain Python; only :mod:`assessment.ui` imports Streamlit.

One module per concept, imported by name (``from assessment import rounds``):

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

Nothing is imported here: ``import assessment.scoring`` loads scoring alone, not pandas, numpy
or argon2 (``python -X importtime -c "import assessment.scoring"`` shows it).
"""
