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

from pathlib import Path

import yaml

from . import benchmarks, i18n, joint_committees, nace
from .catalogue import load_catalogue
from .datafile import Text, texts_in
from .provenance import internal_phrase
from .questionnaire import load_employee_questionnaire
from .self_assessment import load_employer_questionnaire


def data_texts() -> list[Text]:
    """Every text of every data file, each once, in file order.

    :raises DataFileError: when a data file is broken (``werkbaar check`` says where).
    """
    loaded = [load_employee_questionnaire(), load_employer_questionnaire(), load_catalogue(),
              nace.load_codes(nace.NACE_FILE), joint_committees.load_names(),
              benchmarks.load_sectors(benchmarks.SECTOR_FILE)]
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
