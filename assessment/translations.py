"""The data files' texts against the catalogues, as gettext's extract/update/check do for
code: the data files (questionnaires, the support catalogue, NACE codes, joint committees, the
monitor's sectors) hold their texts in Dutch, the source; every other language has them in its
catalogue under ``data.<file>.<place>`` keys (:func:`assessment.i18n.data_text`).

- :func:`write_source` copies the Dutch data texts to the end of ``data/i18n/nl.yaml``
  (``werkbaar translations --write-source``, in ``make i18n``), so ``nl.yaml`` holds every key
  with its source text: the base file a translation platform (Weblate's monolingual YAML)
  shows translators, and what every other catalogue is checked against;
- :func:`problems` (in ``werkbaar check``): a data text missing in a language, a ``data.*``
  key no data text has any more, or ``nl.yaml``'s copy out of date;
- :func:`to_translate`: the missing texts of one language as a file to fill in
  (``werkbaar translations <lang>``).
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml

from . import benchmarks, i18n, joint_committees, nace
from .catalogue import load_catalogue
from .datafile import Text, read_yaml, texts_in
from .errors import DataFileError
from .modules import available_modules
from .provenance import internal_phrase
from .questionnaire import load_employee_questionnaire
from .self_assessment import load_employer_questionnaire


def _placeholders(text: str) -> set[str] | None:
    """The ``{name}`` placeholders of ``text``, or ``None`` when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def check_catalogues(directory: Path | None = None) -> list[str]:
    """Every problem of the translation files: unreadable or not YAML, not a flat mapping of
    texts, an empty text, braces that do not parse, a key missing from a language or not in
    the source (``nl.yaml``), or a key whose placeholders differ between the languages. Empty
    when the files are fine. (Whether ``nl.yaml``'s ``data.*`` keys match the data files is
    :func:`problems`.)"""
    directory = directory or i18n.I18N_DIR
    problems: list[str] = []
    loaded: dict[str, dict[str, str]] = {}
    for lang in i18n.LANGUAGES:
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
    if len(loaded) == len(i18n.LANGUAGES):
        first, *others = i18n.LANGUAGES
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


def data_texts() -> list[Text]:
    """Every text of every data file, each once, in file order.

    :raises DataFileError: when a data file is broken (``werkbaar check`` says where).
    """
    loaded = [load_employee_questionnaire(), load_employer_questionnaire(), load_catalogue(),
              nace.load_codes(nace.NACE_FILE), joint_committees.load_names(),
              benchmarks.load_sectors(benchmarks.SECTOR_FILE),
              *available_modules().values()]
    found = {text.key: text for text in texts_in(loaded)}
    return list(found.values())


def missing(lang: str, texts: list[Text]) -> list[Text]:
    """The texts that ``lang`` gives neither inline nor in its catalogue."""
    known = i18n.catalogue(lang)
    return [text for text in texts if lang not in dict(text.inline) and text.key not in known]


def unused(lang: str, texts: list[Text]) -> list[str]:
    """``data.*`` keys of ``lang``'s catalogue that no data text has (a renamed id)."""
    keys = {text.key for text in texts}
    return sorted(k for k in i18n.catalogue(lang) if k.startswith(i18n.DATA_PREFIX)
                  and k not in keys)


SOURCE_MARK = ("# --- Texts of the data files (data.*), copied from the data files by "
               "`werkbaar translations --write-source`: edit the data files, not these lines ---")


def source_lines(texts: list[Text]) -> str:
    """The Dutch data texts as ``nl.yaml``'s closing block."""
    lines = [SOURCE_MARK]
    lines += [yaml.safe_dump({text.key: text(i18n.DEFAULT_LANGUAGE)}, allow_unicode=True,
                             width=10_000, default_style='"').strip() for text in texts]
    return "\n".join(lines) + "\n"


def write_source(directory: Path | None = None) -> Path:
    """Rewrite the closing block of the source catalogue (``nl.yaml``) from the data files;
    everything above :data:`SOURCE_MARK` stays as it is."""
    path = (directory or i18n.I18N_DIR) / f"{i18n.DEFAULT_LANGUAGE}.yaml"
    text = path.read_text(encoding="utf-8")
    head = text.split(SOURCE_MARK)[0].rstrip("\n")
    path.write_text(head + "\n\n" + source_lines(data_texts()), encoding="utf-8")
    i18n.catalogue.cache_clear()
    return path


def problems() -> list[str]:
    """Every gap between the data files and the catalogues, for ``werkbaar check``."""
    texts = data_texts()
    source = i18n.catalogue(i18n.DEFAULT_LANGUAGE)
    found = []
    if any(source.get(text.key) != text(i18n.DEFAULT_LANGUAGE) for text in texts):
        found.append(f"{i18n.DEFAULT_LANGUAGE}.yaml: its copy of the data files' texts is out "
                     "of date; run `werkbaar translations --write-source` (or `make i18n`)")
    for lang in i18n.LANGUAGES:
        gaps = missing(lang, texts)
        if gaps:
            shown = ", ".join(text.key for text in gaps[:5])
            found.append(f"{lang}.yaml: {len(gaps)} data text(s) not translated ({shown}"
                         f"{', …' if len(gaps) > 5 else ''}); `werkbaar translations {lang}` "
                         "lists them")
        found += [f"{lang}.yaml: {key}: no data text has this key any more"
                  for key in unused(lang, texts)]
        found += [f"{lang}.yaml: {text.key}: reads like an internal note ('{phrase}')"
                  for text in texts if text.key.startswith(f"{i18n.DATA_PREFIX}measure.")
                  and (phrase := internal_phrase(text(lang)))]
    return found


def to_translate(lang: str) -> str:
    """A YAML file of ``lang``'s missing data texts, each with the Dutch source and English as
    comments and an empty value to fill in; append the filled lines to ``data/i18n/<lang>.yaml``.
    """
    lines = [f"# Data texts still to translate into {i18n.LANGUAGE_NAMES.get(lang, lang)}: "
             f"fill in each value, then append these lines to data/i18n/{lang}.yaml."]
    for text in missing(lang, data_texts()):
        for source_lang, source in text.inline:
            lines.append(f"# {source_lang}: " + " ".join(source.split()))
        lines.append(yaml.safe_dump({text.key: ""}, allow_unicode=True, width=10_000).strip())
    return "\n".join(lines) + "\n"
