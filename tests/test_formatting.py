"""Locale formatting: one module writes every number, share, difference, date and amount a user
sees, per language (decimal comma in Dutch), and never prints "None" or "nan"."""

from datetime import date

import pytest

from assessment import formatting
from assessment.formatting import shown


@pytest.mark.parametrize("lang, expected", [
    # a no-break space keeps the euro sign with its amount; fr_BE groups thousands with a
    # narrow no-break space and puts one before "%"
    ("nl", ["1.234,5", "44%", "44,5%", "−8 pp", "+3 pp", "27/11/2026", "€\u00a07.500",
            "€\u00a012,50"]),
    ("en", ["1,234.5", "44%", "44.5%", "−8 pp", "+3 pp", "27/11/2026", "€7,500", "€12.50"]),
    ("fr", ["1\u202f234,5", "44\u00a0%", "44,5\u00a0%", "−8 pp", "+3 pp", "27/11/2026",
            "7\u202f500\u00a0€", "12,50\u00a0€"]),
])
def test_each_format_per_language(lang, expected):
    assert [formatting.number(1234.5, lang, 1), formatting.percent(44.46, lang),
            formatting.percent(44.46, lang, 1), formatting.difference(-8.2, lang),
            formatting.difference(3, lang), formatting.day(date(2026, 11, 27), lang),
            formatting.euro(7500, lang), formatting.euro(12.5, lang)] == expected


def test_dates_in_words():
    assert formatting.long_day(date(2026, 3, 1), "nl") == "1 maart 2026"
    assert formatting.long_day(date(2026, 3, 1), "en") == "1 March 2026"
    assert formatting.long_day(date(2026, 3, 1), "fr") == "1 mars 2026"


def test_chart_separators_follow_the_locale():
    from assessment.formatting import separators
    assert [separators(lang) for lang in ("nl", "en", "fr")] == [",.", ".,", ",\u202f"]


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_a_missing_figure_is_a_dash_never_none(missing):
    for lang in ("nl", "en"):
        assert {formatting.number(missing, lang), formatting.percent(missing, lang),
                formatting.difference(missing, lang), formatting.euro(missing, lang)} == {"—"}
    assert formatting.day(None, "nl") == "—"


@pytest.mark.parametrize("value", [12.5, 13.5, 0.5, 44.4999, 99.95, -0.4])
def test_rounds_as_the_charts_do(value):
    """A figure in a sentence must agree with the same figure in the chart beside it."""
    assert formatting.number(value, "en").replace("−", "-") == str(shown(value))
    assert formatting.number(value, "en", 1).replace("−", "-") == f"{shown(value, 1):.1f}"


def test_a_difference_that_rounds_to_zero_has_no_sign():
    assert formatting.difference(-0.4, "nl") == "0 pp"
    assert formatting.difference(0.4, "en") == "0 pp"


def test_unknown_language_fails_loudly():
    with pytest.raises(ValueError, match="xx"):
        formatting.percent(3, "xx")


@pytest.mark.parametrize("lang, expected", [
    ("nl", ["-1234,5", "12", "0,3", "0", "36,1"]),
    ("fr", ["-1234,5", "12", "0,3", "0", "36,1"]),
    ("en", ["-1234.5", "12", "0.3", "0", "36.1"]),
])
def test_a_spreadsheet_number_has_the_decimal_sign_and_no_thousands_separator(lang, expected):
    """In a CSV, "1.234,5" is a text to Excel (and "1,234.5" a text in Belgium), "−" (U+2212)
    too: the locale's decimal sign alone, an ASCII minus, no trailing zeros."""
    assert [formatting.spreadsheet_number(v, lang)
            for v in (-1234.5, 12.0, 0.1 + 0.2, -0.0, 36.1)] == expected
