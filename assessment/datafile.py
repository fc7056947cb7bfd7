"""Reading hand-edited data files (questionnaires, the support catalogue): YAML parsing with a
clear error, and a :class:`Checker` that collects every problem with its place, so an editor can
fix a file in one pass."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from . import i18n
from .errors import DataFileError


@dataclass(frozen=True)
class Text:
    """A text of a data file in every language: ``inline`` as the file gives it (language →
    text: Werkbaar's files give the Dutch source only), every other language from its
    catalogue under ``key`` (``data.<file>.<place>``; :func:`assessment.i18n.data_text`)."""

    inline: tuple[tuple[str, str], ...]
    key: str = ""

    @classmethod
    def of(cls, key: str = "", **texts: str) -> Text:
        """``Text.of("data.x", nl="Werkstress", en="Work stress")``."""
        return cls(tuple(texts.items()), key)

    def __call__(self, lang: str) -> str:
        return i18n.data_text(self.key, dict(self.inline), lang)

    def all(self) -> tuple[str, ...]:
        """The text in every language, for matching what a reader may have typed."""
        return tuple(dict.fromkeys(self(lang) for lang in i18n.LANGUAGES))


@dataclass(frozen=True)
class Translation:
    """Whether a data file's wording in one language was validated, by whom and when."""

    validated: bool = False
    by: str = ""
    on: date | None = None
    note: str = ""


def translations(check: Checker, raw: Any) -> dict[str, Translation]:
    """A questionnaire's ``translations`` block: language → :class:`Translation`, for every
    language but the source (one without an entry is not validated). A validated one names
    who validated it and when."""
    found = {}
    node = check.mapping(raw if raw is not None else {}, "translations")
    for lang in i18n.LANGUAGES[1:]:
        entry = check.mapping(node.get(lang) or {}, f"translations.{lang}")
        validated = entry.get("validated", False) is True
        who = str(entry.get("by") or "").strip()
        on = check.day(entry, "on", f"translations.{lang}")
        if validated and not (who and on):
            check.problem(f"translations.{lang}", "a validated translation needs 'by' and 'on'")
        found[lang] = Translation(validated, who, on, str(entry.get("note") or "").strip())
    for lang in set(node) - set(i18n.LANGUAGES[1:]):
        check.problem("translations", f"'{lang}' is not a language Werkbaar offers besides "
                                      "the source")
    return found


def texts_in(loaded: Any) -> list[Text]:
    """Every :class:`Text` in a loaded data structure (dataclasses, tuples, lists, dicts), in
    order: what ``werkbaar check`` compares with the catalogues."""
    if isinstance(loaded, Text):
        return [loaded]
    if is_dataclass(loaded) and not isinstance(loaded, type):
        return [t for f in fields(loaded) for t in texts_in(getattr(loaded, f.name))]
    if isinstance(loaded, dict):
        return [t for value in loaded.values() for t in texts_in(value)]
    if isinstance(loaded, list | tuple):
        return [t for value in loaded for t in texts_in(value)]
    return []


def read_yaml(path: Path, error: type[DataFileError]) -> Any:
    """The parsed content of a YAML file.

    :raises error: when the file cannot be read, or is not YAML (with the line of the problem).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error([f"{path}: cannot be read ({exc.strerror})"]) from exc
    return read_yaml_text(text, path.name, error)


def read_yaml_text(text: str, name: str, error: type[DataFileError]) -> Any:
    """The parsed content of a YAML text called ``name`` (an uploaded file's name).

    :raises error: when it is not YAML (with the line of the problem), or uses anchors and
      aliases (``&a`` / ``*a``): no data file needs them, and an alias nested in aliases
      makes a small text walk like a huge one (the "billion laughs").
    """
    try:
        if any(isinstance(event, yaml.AliasEvent)
               for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise error([f"{name}: anchors and aliases (&, *) are not allowed"])
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise error([f"{name}: {where}: not valid YAML ({exc})"]) from exc


class Checker:
    """Collects problems while reading raw YAML, each prefixed with where it is."""

    def __init__(self, source: str, namespace: str = ""):
        self.source = source
        self.namespace = namespace  # the data.* key prefix of this file's texts
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")

    def day(self, node: dict, key: str, where: str, required: bool = False) -> date | None:
        """``node[key]`` as a date (YAML gives one, or an ISO string); None when absent and not
        ``required``, or when it is not a date (a problem is noted)."""
        value = node.get(key)
        if value is None and not required:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(where, f"field '{key}' must be a date (YYYY-MM-DD), found {value!r}")
            return None

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.problem(where, f"expected a mapping of fields, found {type(value).__name__}")
            return {}
        return value

    def listing(self, value: Any, where: str) -> list:
        if not isinstance(value, list) or not value:
            self.problem(where, "expected a non-empty list")
            return []
        return value

    def string(self, node: dict, key: str, where: str) -> str:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"field '{key}' is missing or empty")
            return ""
        return value

    def text(self, node: dict, key: str, where: str, required: bool = True,
             place: str = "") -> Text | None:
        """``node[key]`` as a :class:`Text` keyed ``data.<namespace>.<place>`` (``place``
        defaults to ``key``), given as ``{nl: …}``: the source language, whose translations
        live in the catalogues. A problem when the source text is missing, or when the field
        names a language we do not speak. (A file may give another language inline too, as a
        test's or a sector fund's own file may; it then wins over the catalogue.)"""
        value = node.get(key)
        if value is None and not required:
            return None
        source = i18n.DEFAULT_LANGUAGE
        if not isinstance(value, dict):
            self.problem(where, f"field '{key}' must give its text as {{{source}: …}}")
            return Text(())
        if not isinstance(value.get(source), str) or not value[source].strip():
            self.problem(where, f"field '{key}' has no '{source}' text")
        for lang in set(value) - set(i18n.LANGUAGES):
            self.problem(where, f"field '{key}' gives a text in '{lang}', a language "
                                "Werkbaar does not speak")
        return Text(tuple((str(k), str(v)) for k, v in value.items() if isinstance(v, str)),
                    self.key(place or key))

    def key(self, place: str) -> str:
        """The catalogue key of a text at ``place`` in this file."""
        return f"{i18n.DATA_PREFIX}{self.namespace}.{place}"

    def number(self, node: dict, key: str, where: str) -> float:
        value = node.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            self.problem(where, f"field '{key}' must be a number from 0 to 100, found {value!r}")
            return 0.0
        return float(value)

    def flag(self, node: dict, key: str, where: str) -> bool:
        value = node.get(key)
        if not isinstance(value, bool):
            self.problem(where, f"field '{key}' must be true or false, found {value!r}")
            return False
        return value

    def unique(self, ids: list[str], what: str) -> None:
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                self.problem(f"{what} {ident}", "id is used more than once")
            seen.add(ident)
