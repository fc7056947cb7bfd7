"""Translations: the user-facing texts of the app, one YAML catalogue per language in
``data/i18n/``. Dutch (``nl``) is the primary language, English (``en``) the second; both
catalogues must hold the same keys (a test checks it).

Questionnaire wording is not here: it lives in the questionnaire files themselves.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from . import paths

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
I18N_DIR = paths.DATA_DIR / "i18n"


def _placeholders(text: str) -> set[str] | None:
    """The ``{name}`` placeholders of ``text``, or ``None`` when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def check_catalogues(directory: Path | None = None) -> list[str]:
    """Every problem of the translation files: unreadable or not YAML, not a flat mapping of
    texts, an empty text, braces that do not parse, a key in one language only, or a key whose
    placeholders differ between the languages. Empty when the files are fine."""
    from .datafile import read_yaml  # not at the top: errors imports this module
    from .errors import DataFileError

    directory = directory or I18N_DIR
    problems: list[str] = []
    loaded: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        path = directory / f"{lang}.yaml"
        try:
            data = read_yaml(path, DataFileError)
        except DataFileError as error:
            problems += error.problems
            continue
        if not isinstance(data, dict) or not data:
            problems.append(f"{path.name}: expected a mapping of keys to texts")
            continue
        texts = {}
        for key, value in data.items():
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{path.name}: {key}: expected a non-empty text, "
                                f"found {value!r}")
            elif _placeholders(value) is None:
                problems.append(f"{path.name}: {key}: unbalanced braces {{ }} in the text")
            else:
                texts[str(key)] = value
        loaded[lang] = texts
    if len(loaded) == len(LANGUAGES):
        first, *others = LANGUAGES
        for other in others:
            for key in sorted(set(loaded[first]) - set(loaded[other])):
                problems.append(f"{other}.yaml: {key}: missing (it is in {first}.yaml)")
            for key in sorted(set(loaded[other]) - set(loaded[first])):
                problems.append(f"{first}.yaml: {key}: missing (it is in {other}.yaml)")
            for key in sorted(set(loaded[first]) & set(loaded[other])):
                if _placeholders(loaded[first][key]) != _placeholders(loaded[other][key]):
                    problems.append(f"{other}.yaml: {key}: placeholders differ from "
                                    f"{first}.yaml")
    return problems


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


def language_from_locale(locale: str | None) -> str:
    """Pick ``en`` for an English browser locale (``en-GB``), otherwise Dutch."""
    return "en" if (locale or "").lower().startswith("en") else DEFAULT_LANGUAGE


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
