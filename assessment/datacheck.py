"""Every data file the app reads, checked in one pass: the questionnaires, the translations,
the monitor's figures and sectors, the NACE codes and the support catalogue.

``werkbaar check`` prints the problems; the app refuses to start while there are any (see
:func:`assessment.ui.router.run_app`), so a broken file is found at start, with every problem
and its place, rather than as a traceback in front of a user.

Beyond the schema, the loaders check what users are asked to trust (the lists live in
:mod:`assessment.provenance`): a support measure citing a secondary source without
``secondary_reason`` or no primary source at all, an editor's note ("nog te verifiëren",
"background knowledge", TODO) in a text users read, in any language; a monitor figure on a
secondary page whose note does not say why, or of an unknown population; a text of a data file
without its translation in a language (:mod:`assessment.translations`).
"""

from __future__ import annotations

from . import benchmarks, collective_dismissal, joint_committees, nace, translations
from .catalogue import load_catalogue
from .errors import DataFileError
from .modules import available_modules
from .questionnaire import load_employee_questionnaire
from .self_assessment import load_employer_questionnaire

# What each check covers, for ``werkbaar check``'s summary.
CHECKED = ("questionnaire", "self-assessment", "translations", "benchmarks",
           "benchmark sectors", "NACE codes", "joint committees", "support catalogue",
           "translations of the data files", "questionnaire modules")


def data_problems() -> list[str]:
    """Every problem of every data file, each with its file and place; empty when all are
    fine."""
    problems = list(translations.check_catalogues())
    for load in (load_employee_questionnaire, load_employer_questionnaire,
                 lambda: benchmarks.load_benchmarks(benchmarks.BENCHMARK_FILE),
                 lambda: benchmarks.load_sectors(benchmarks.SECTOR_FILE),
                 lambda: nace.load_codes(nace.NACE_FILE),
                 lambda: joint_committees.load_names(joint_committees.JOINT_COMMITTEE_FILE),
                 load_catalogue, collective_dismissal.load_rules, available_modules):
        try:
            load()
        except DataFileError as error:
            problems += error.problems
    if not problems:  # the data texts' translations, once every file reads
        problems += translations.problems()
    return problems
