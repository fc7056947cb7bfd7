"""Numbers, percentages, differences, dates and amounts written the way the reader writes them:
one home for every format a user sees, per language, through Babel's CLDR locale data (rather
than hand-written replacements of "." by ",", which break on thousands separators and signs).

Each language's locale is in ``data/i18n/languages.yaml``: Dutch as in Belgium (``nl_BE``:
1.234,5 · 44,5% · € 7.500 · 27/11/2026), French as in Belgium (``fr_BE``: 1 234,5 · 44,5 % ·
7 500 € · 27/11/2026), English as in the United Kingdom (``en_GB``: 1,234.5 · 44.5% · €7,500 ·
27/11/2026) — day-first dates in all, so a date never reads differently between the versions of
a page.

Respondent figures are rounded by :func:`shown` first (the precision the
screen shows is the precision the browser gets), so a figure formatted here agrees with the same
figure in a chart. A missing figure is :data:`MISSING` ("—"), never "None" or "nan".
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from .i18n import LOCALES

MISSING = "—"
MINUS = "−"  # U+2212: a minus sign that does not read as a hyphen or a list dash


def shown(value: float | None, decimals: int = 0) -> int | float | None:
    """``value`` exactly as the screen shows it: a whole number (an ``int``) or rounded to
    ``decimals`` decimals; ``None`` (no figure) stays ``None``.

    Rounds as Python's ``round()`` and ``f"{value:.0f}"`` do (a half to even: 12.5 → 12,
    13.5 → 14), so a figure formatted anywhere in the app agrees with the same figure here.
    Every figure derived from respondents that a page sends the browser — chart data, metrics,
    table cells, text — goes through this first; nothing more precise may leave the server.
    """
    if value is None:
        return None
    if decimals == 0:
        return int(round(value))
    return round(float(value), decimals)


@lru_cache(maxsize=16)
def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators for ``lang`` from its locale, so a hover reads
    "36,1%" in Dutch: ",." (nl), ".," (en), ", " (fr; the labels are written by the builders
    as whole percentages)."""
    symbols = Locale.parse(LOCALES[lang]).number_symbols["latn"]
    return symbols["decimal"] + symbols["group"]


def _locale(lang: str) -> str:
    """:raises ValueError: for a language we do not ship (a typo must not format silently)."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"no number format for language {lang!r}") from None


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """``1234.5`` → "1.234,5" (nl) / "1,234.5" (en), rounded to ``decimals`` as shown."""
    if _missing(value):
        return MISSING
    return _decimal(shown(value, decimals), _locale(lang), decimals)


@lru_cache(maxsize=8192)
def _decimal(value: float, locale: str, decimals: int) -> str:
    """Babel's formatting of a rounded figure, kept: a dashboard run formats about 70 figures,
    most of them the same few, at about 50 µs each in Babel."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale).replace("-", MINUS)


def spreadsheet_number(value: float, lang: str) -> str:
    """A number in a CSV file, so that the reader's spreadsheet reads it as a number: the
    locale's decimal sign, no thousands separator (Excel would take "1.234" for 1.234), an
    ASCII minus, and the decimals the value has (it arrives rounded as the screen shows it):
    ``-1234.5`` → "-1234,5" (nl, fr), "-1234.5" (en); ``12.0`` → "12"."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", separators(lang)[0])


def percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """A share already in percent: ``44.46`` → "44%", with 1 decimal "44,5%" (nl), "44,5 %"
    (fr: the locale's own spacing)."""
    return MISSING if _missing(value) else number(value, lang, decimals) + _percent_sign(lang)


@lru_cache(maxsize=16)
def _percent_sign(lang: str) -> str:
    """What follows the number in the locale's percent pattern: "%" or a no-break space and
    "%" (fr_BE)."""
    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1:].split(";")[0] or "%"


def difference(value: float | None, lang: str, decimals: int = 0, unit: str = " pp") -> str:
    """A signed difference: "+3 pp", "−8 pp", "0 pp"; ``unit`` "" for a bare number."""
    if _missing(value):
        return MISSING
    text = number(value, lang, decimals)
    return ("+" + text if shown(value, decimals) > 0 else text) + unit


def day(value: date | datetime | None, lang: str) -> str:
    """A date as "27/11/2026" in every language (day first, as Belgian readers expect)."""
    if value is None:
        return MISSING
    return format_date(value, "dd/MM/yyyy", locale=_locale(lang))


def long_day(value: date | datetime | None, lang: str) -> str:
    """A date in words: "27 november 2026" (nl), "27 November 2026" (en), "27 novembre 2026"
    (fr)."""
    if value is None:
        return MISSING
    return format_date(value, "d MMMM y", locale=_locale(lang))


def euro(amount: float | None, lang: str) -> str:
    """Whole euros: "€ 7.500" (nl), "€7,500" (en), "7 500 €" (fr), in the locale's own
    currency pattern; cents only when there are any."""
    if _missing(amount):
        return MISSING
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern.split(";")[0]
    if float(amount).is_integer():
        pattern = pattern.replace(".00", "")
    return format_currency(amount, "EUR", format=pattern, locale=_locale(lang),
                           currency_digits=False)
