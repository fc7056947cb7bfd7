"""Translations: the user-facing texts of the app, one YAML catalogue per language in
``data/i18n/``. Dutch (``nl``) is the primary language, English (``en``) the second; both
catalogues must hold the same keys (a test checks it).

Questionnaire wording is not here: it lives in the questionnaire files themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
I18N_DIR = Path(__file__).resolve().parent.parent / "data" / "i18n"


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
