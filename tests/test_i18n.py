"""Translations: both catalogues hold the same keys and placeholders, and every key the code
uses exists."""

import re
import string
from pathlib import Path

import pytest

from assessment.i18n import catalogue, language_from_locale, t

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys_and_placeholders_in_both_languages():
    nl, en = catalogue("nl"), catalogue("en")
    assert set(nl) == set(en)
    for key in nl:
        assert placeholders(nl[key]) == placeholders(en[key]), key
        assert nl[key].strip() and en[key].strip(), key


def test_every_key_used_in_the_code_exists():
    sources = [*ROOT.glob("app_pages/*.py"), ROOT / "app.py", ROOT / "ui_app.py",
               *ROOT.glob("assessment/**/*.py"), *ROOT.glob("assessment/web/templates/*.html")]
    used = set()
    for path in sources:
        used |= set(re.findall(r"""["']((?:app|nav|home|org|rounds|status|dash|chart|survey|"""
                               r"""invitation|error|profile|self|support|actions|out|size|"""
                               r"""cond|field|gap|rec|requires)\.[a-z_0-9.]+)["']""",
                               path.read_text()))
    used = {key for key in used if not key.endswith((".py", ".css"))}  # file names, not keys
    used |= {f"{heading}_help" for heading in used if heading in ("dash.indicators",
                                                                   "dash.risk_factors")}
    assert len(used) > 50, "the scan found too few keys"
    assert used - set(catalogue("nl")) == set()
    for reason in ("unknown", "used", "closed", "not_yet_open"):
        assert f"invitation.{reason}" in catalogue("nl")
    for status in ("scheduled", "open", "closed"):
        assert f"status.{status}" in catalogue("en")


def test_keys_built_from_data_exist():
    """Keys the code builds from a code list: every value of each list has its text."""
    from assessment.actions import STATUSES
    from assessment.catalogue import DISMISSALS, KINDS, NUMBER_RULES, PERIODS, REQUIREMENTS
    from assessment.profile import LEGAL_FORMS, REGIONS, SIZE_CLASSES

    keys = set(catalogue("nl"))
    expected = {f"legal.{c}" for c in LEGAL_FORMS} | {f"region.{c}" for c in REGIONS}
    expected |= {f"size.{c}" for c in SIZE_CLASSES} | {f"actions.status.{c}" for c in STATUSES}
    expected |= {f"support.kind.{c}" for c in KINDS} | {f"support.rate_max_{p}" for p in PERIODS}
    expected |= {f"dismissal.{c}" for c in DISMISSALS} | {f"requires.{c}" for c in REQUIREMENTS}
    expected |= {f"employer.{c}" for c in ("private", "public")}
    from assessment.ui.router import EMPLOYER_PAGES, NAV_ORDER
    expected |= {f"nav.{name}" for name in NAV_ORDER}
    expected |= {f"nav.{section}" for section, _ in EMPLOYER_PAGES if section}
    expected |= {f"cond.{k}_{r}" for k in ("profit", "social_profit", "region", "legal_form",
                                           "employer", "pc", "pc_excluded", "dismissal",
                                           "requires", "size") for r in ("ok", "not")}
    for rule in NUMBER_RULES:
        name = rule.replace("_weeks", "").replace("_years", "")
        expected |= {f"cond.{name}_ok", f"cond.{name}_not"}
    assert expected - keys == set()


def test_translate_with_parameters_and_fallbacks():
    assert t("home.demo_loaded", "en", count=3) == "3 demo organisations created."
    assert t("no.such.key", "en") == "no.such.key"
    with pytest.raises(ValueError, match="unsupported language"):
        catalogue("fr")


@pytest.mark.parametrize("locale,lang", [("en-GB", "en"), ("nl-BE", "nl"), ("fr-BE", "nl"),
                                         (None, "nl"), ("EN", "en")])
def test_language_from_browser_locale(locale, lang):
    assert language_from_locale(locale) == lang


def test_every_audit_action_has_a_text():
    from assessment import audit

    for lang in ("nl", "en"):
        for action in audit.ACTIONS:
            assert f"audit.{action}" in catalogue(lang), (lang, action)
