"""Translations: every text a user sees, looked up here and nowhere else.

The languages are data (``data/i18n/languages.yaml``: code, name, Babel locale); the first,
Dutch, is the source language. Each language has one flat YAML catalogue, ``data/i18n/<code>.yaml``
(``key: text``, ``{name}`` placeholders), which a translation platform reads as it is (Weblate's
"YAML file" format, monolingual, ``nl.yaml`` as the base; see the README). A catalogue holds:

- the app's own texts (``home.title``…);
- ``data.*`` keys: the texts of the data files (questionnaires, the support catalogue, NACE and
  joint committee names, sectors). The data files are written in Dutch, the source; their
  translations live only here (:func:`data_text`), and ``nl.yaml`` ends with a copy of the Dutch
  ones (:mod:`assessment.translations`), so that it holds every key.

Every catalogue holds every key of ``nl.yaml`` with the same placeholders
(:func:`assessment.translations.check_catalogues`, run by ``werkbaar check`` and at the app's
start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from . import paths

I18N_DIR = paths.DATA_DIR / "i18n"
DATA_PREFIX = "data."
LANGUAGE_COOKIE = "werkbaar_lang"  # the language an employer page chose in this browser


@dataclass(frozen=True)
class Language:
    code: str  # the tag: <html lang>, ?lang=, a response's language
    name: str  # its own name, for the switch
    locale: str  # Babel's locale for numbers, dates and euros


def _languages() -> tuple[Language, ...]:
    data = yaml.safe_load((I18N_DIR / "languages.yaml").read_text(encoding="utf-8"))
    return tuple(Language(str(d["code"]), str(d["name"]), str(d["locale"])) for d in data)


LANGUAGE_LIST = _languages()
LANGUAGES = tuple(language.code for language in LANGUAGE_LIST)
LANGUAGE_NAMES = {language.code: language.name for language in LANGUAGE_LIST}
LOCALES = {language.code: language.locale for language in LANGUAGE_LIST}
DEFAULT_LANGUAGE = LANGUAGES[0]


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat ``key → text`` mapping of one language.

    :raises ValueError: for a language we do not ship.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    data = yaml.safe_load((I18N_DIR / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    A key missing from ``lang`` falls back to Dutch, then to the key itself, so a gap in a
    catalogue shows up as a visible key rather than a crash.
    """
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def labelled(label: str, value: str, lang: str) -> str:
    """"Label: value" as ``lang`` writes it ("Label : value" in French)."""
    return t("app.labelled", lang, label=label, value=value)


def data_text(key: str, inline: dict[str, str], lang: str) -> str:
    """A data file's text in ``lang``: given inline in the data file, else in ``lang``'s
    catalogue under ``key``, else the source language's inline text (a gap ``werkbaar check``
    reports, shown in Dutch rather than as a key)."""
    return (inline.get(lang) or (catalogue(lang).get(key) if key and lang in LANGUAGES else None)
            or inline.get(DEFAULT_LANGUAGE) or "")


def language_from_locale(locale: str | None) -> str | None:
    """The language of a browser locale (``fr-BE`` → ``fr``), or ``None`` when we do not speak
    it."""
    primary = (locale or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def language_from_header(header: str | None, offered: tuple[str, ...] = LANGUAGES) -> str:
    """The first language of an ``Accept-Language`` header (``fr-BE,fr;q=0.9,en;q=0.8``), in
    the order of its q-values, that is ``offered``; else the first offered language."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag))
    for _, _, tag in sorted(ranked):
        lang = language_from_locale(tag)
        if lang in offered:
            return lang
    return offered[0] if offered else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Message:
    """A text to show later, in whatever language the reader has: a key and its parameters.
    A parameter that is itself translatable (called with the language, like a questionnaire
    ``Text`` or another ``Message``) is rendered in the same language."""

    key: str
    params: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **{k: _render(v, lang) for k, v in self.params.items()})

    def __call__(self, lang: str) -> str:
        return self.text(lang)


def _render(value: object, lang: str) -> object:
    return value(lang) if callable(value) else value
