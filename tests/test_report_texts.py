"""The reports' texts: every ``report.*`` key the report code uses exists in Dutch and English,
and no ``report.*`` text in the catalogues is left unused."""

import re
from pathlib import Path

from assessment.i18n import catalogue

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("assessment/reports/*.py"), ROOT / "app_pages/report.py",
           ROOT / "app_pages/sector.py"]


def test_every_report_key_is_used_and_exists_in_both_languages():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"""["'](report\.[a-z_]+)["']""", path.read_text()))
    assert len(used) > 40, "the scan found too few keys"
    for lang in ("nl", "en"):
        assert used - set(catalogue(lang)) == set(), lang
    # report.sheet_* and report.about_* are used by name in the XLSX; the rest as literals
    defined = {k for k in catalogue("nl") if k.startswith("report.")}
    assert defined - used == set()
