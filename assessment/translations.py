"""The data files' texts against the catalogues: which text of a questionnaire, the support
catalogue, the NACE codes, the joint committees or the monitor's sectors has no translation in a
language, which ``data.*`` catalogue entry no data text uses any more, and the file a translator
fills in for a language (``werkbaar translations <lang>``).

A data text is given inline in the Dutch source and English (``datafile.INLINE_LANGUAGES``); any
other language finds it in its catalogue under the text's key (``i18n.data_text``).
"""

from __future__ import annotations

import yaml

from . import benchmarks, i18n, joint_committees, nace
from .catalogue import load_catalogue
from .datafile import Text, texts_in
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


def problems() -> list[str]:
    """Every gap between the data files and the catalogues, for ``werkbaar check``."""
    texts = data_texts()
    found = []
    for lang in i18n.LANGUAGES:
        gaps = missing(lang, texts)
        if gaps:
            shown = ", ".join(text.key for text in gaps[:5])
            found.append(f"{lang}.yaml: {len(gaps)} data text(s) not translated ({shown}"
                         f"{', …' if len(gaps) > 5 else ''}); `werkbaar translations {lang}` "
                         "lists them")
        found += [f"{lang}.yaml: {key}: no data text has this key any more"
                  for key in unused(lang, texts)]
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
