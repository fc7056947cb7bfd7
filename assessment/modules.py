"""Optional questionnaire modules: extra questions an organisation can add to a survey round.

A module is a YAML file in ``data/questionnaires/modules/`` named ``<id>-v<version>.yaml``
(format: ``docs/questionnaire-modules.md``). It has 5-point answer scales ordered so that a
higher point means more exposure, domains of items, and for each item ``problem_from``: the
point from which an answer counts as "reported". Results are descriptive only (the share who
reported, per item); a module has no scores and no cut-offs, and says so in its ``scoring``
text.

Like the employee questionnaire, a module gives its texts in Dutch and their translations live
in the catalogues (``data.modules.<file>.<place>``), so a language added later is one catalogue
file; every text must exist in every language Werkbaar speaks. :func:`load_module` either returns a
frozen :class:`Module` or raises :class:`ModuleError` listing **every** problem with its place
(``psychosocial-v1.yaml: item ps_ir1: field 'problem_from': ...``): a text missing in a
language or reading like an editor's note, a ``problem_from`` outside the scale, an unknown
answer scale, an empty domain, an item id used twice or already used by the employee
questionnaire, missing or incomplete evidence, a file name that is not ``<id>-v<version>.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from . import i18n, paths
from .datafile import Checker, Text, Translation, read_yaml, translations
from .errors import DataFileError
from .evidence import Evidence, read_evidence
from .provenance import internal_phrase
from .questionnaire import (
    POINTS,
    QUESTIONNAIRE_DIR,
    AnswerScale,
    QuestionnaireError,
    load_questionnaire,
)

MODULE_DIR = paths.DATA_DIR / "questionnaires" / "modules"
MAX_ITEMS = 14  # the survey stays light on a phone
_IDENT = re.compile(r"[a-z][a-z0-9_]*\Z")
_NACE_SECTION = re.compile(r"[A-U]\Z")


class ModuleError(DataFileError):
    """A module file that cannot be used; ``problems`` lists every problem found."""


@dataclass(frozen=True)
class ModuleItem:
    id: str  # unique across every module and the employee questionnaire
    domain: str  # id of its Domain
    answer_scale: str  # key in Module.answer_scales
    problem_from: int  # an answer >= this point (1-based) counts as "reported"
    text: Text


@dataclass(frozen=True)
class Domain:
    id: str
    label: Text
    description: Text
    items: tuple[ModuleItem, ...]


@dataclass(frozen=True)
class Module:
    id: str
    version: int
    title: Text
    intro: Text  # shown to employees above the module's questions
    purpose: Text  # for HR and the prevention adviser: what it is for, and what it is not
    scoring: Text  # the scoring rule in words
    answer_scales: dict[str, AnswerScale]  # higher point = more exposure
    domains: tuple[Domain, ...]
    evidence: tuple[Evidence, ...]
    sectors: tuple[str, ...]  # NACE sections it is suggested for; () = every sector
    translations: dict[str, Translation] = field(default_factory=dict)

    @cached_property
    def items(self) -> tuple[ModuleItem, ...]:
        return tuple(item for domain in self.domains for item in domain.items)


def load_module(path: Path | str) -> Module:
    """Read and validate one module file.

    :raises ModuleError: when the file is missing, is not YAML, or breaks any rule; ``problems``
      lists all of them, each with the file, the place and the field.
    """
    path = Path(path)
    check = Checker(path.name, namespace=f"modules.{path.stem}")
    root = check.mapping(read_yaml(path, ModuleError), "file")
    module_id = _ident(check, root, "id", "file")
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.problem("file", f"field 'version' must be a whole number from 1, found {version!r}")
        version = 0
    elif module_id and path.name != f"{module_id}-v{version}.yaml":
        check.problem("file", f"the file must be called '{module_id}-v{version}.yaml' after its "
                              "id and version")
    answer_scales = _answer_scales(check, root.get("answer_scales"))
    domains = _domains(check, root.get("domains"), answer_scales)
    items = [item for domain in domains for item in domain.items]
    check.unique([item.id for item in items], "item")
    if len(items) > MAX_ITEMS:
        check.problem("domains", f"{len(items)} items; a module asks at most {MAX_ITEMS}")
    taken = _employee_item_ids(check)
    for item in items:
        if item.id in taken:
            check.problem(f"item {item.id}", "id is already an item of the employee "
                                             "questionnaire")
    module = Module(
        id=module_id,
        version=version,
        title=_text(check, root, "title", "file", "title"),
        intro=_text(check, root, "intro", "file", "intro"),
        purpose=_text(check, root, "purpose", "file", "purpose"),
        scoring=_text(check, root, "scoring", "file", "scoring"),
        answer_scales=answer_scales,
        domains=tuple(domains),
        evidence=read_evidence(check, root.get("evidence"), "file"),
        sectors=_sectors(check, root.get("sectors", [])),
        translations=translations(check, root.get("translations")),
    )
    if check.problems:
        raise ModuleError(check.problems)
    return module


def available_modules(directory: Path = MODULE_DIR) -> dict[tuple[str, int], Module]:
    """Every module in ``directory`` (the shipped ones by default), by ``(id, version)``; each
    folder is read once.

    :raises ModuleError: listing the problems of every file that breaks a rule, and each item
      id that two different modules use.
    """
    return dict(_modules_in(Path(directory)))


def module(module_id: str, version: int) -> Module:
    """The shipped module ``module_id`` of ``version``.

    :raises KeyError: when no such module is shipped.
    """
    try:
        return available_modules()[(module_id, version)]
    except KeyError:
        raise KeyError(f"no module {module_id!r} version {version}") from None


@cache
def _modules_in(directory: Path) -> dict[tuple[str, int], Module]:
    problems: list[str] = []
    found: dict[tuple[str, int], Module] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            loaded = load_module(path)
        except ModuleError as error:
            problems += error.problems
            continue
        found[(loaded.id, loaded.version)] = loaded
    owner: dict[str, str] = {}
    for (module_id, version), loaded in found.items():
        for item in loaded.items:
            first = owner.setdefault(item.id, module_id)
            if first != module_id:  # versions of one module may ask the same question
                problems.append(f"{module_id}-v{version}.yaml: item {item.id}: id is also an "
                                f"item of module {first}")
    if problems:
        raise ModuleError(problems)
    return found


@cache
def _shipped_employee_item_ids() -> frozenset[str]:
    ids: set[str] = set()
    for path in sorted(QUESTIONNAIRE_DIR.glob("employee-v*.yaml")):
        ids |= {item.id for item in load_questionnaire(path).items}
    return frozenset(ids)


def _employee_item_ids(check: Checker) -> frozenset[str]:
    """The item ids of every shipped employee questionnaire version (a problem when they
    cannot be read: then no module can be checked against them)."""
    try:
        return _shipped_employee_item_ids()
    except QuestionnaireError as error:
        check.problem("items", "cannot check the item ids against the employee questionnaire: "
                               + "; ".join(error.problems))
        return frozenset()


def _ident(check: Checker, node: dict, key: str, where: str) -> str:
    value = check.string(node, key, where)
    if value and not _IDENT.match(value):
        check.problem(where, f"field '{key}' must be lower-case letters, digits and '_', "
                             f"starting with a letter, found {value!r}")
    return value


def _text(check: Checker, node: dict, key: str, where: str, place: str) -> Text:
    """``node[key]`` as a :class:`Text`: Dutch inline, every other language inline or in its
    catalogue under the text's key (as the questionnaire's, so that a language added later is
    one catalogue file); a problem for each language missing and for each text that reads
    like an editor's note."""
    text = check.text(node, key, where, place=place) or Text(())
    if isinstance(node.get(key), dict):
        _translated(check, text, where, f"field '{key}'")
    return text


def _translated(check: Checker, text: Text, where: str, what: str) -> None:
    given = dict(text.inline)
    for lang in i18n.LANGUAGES:
        found = given.get(lang) or i18n.catalogue(lang).get(text.key) or ""
        if lang != i18n.DEFAULT_LANGUAGE and not found.strip():
            check.problem(where, f"{what} has no '{lang}' text (inline or in {lang}.yaml under "
                                 f"{text.key}): a module gives its texts in every language")
        phrase = internal_phrase(found)
        if phrase:
            check.problem(where, f"{what} ({lang}) reads like an editor's note ({phrase!r})")


def _answer_scales(check: Checker, raw: Any) -> dict[str, AnswerScale]:
    result = {}
    scales = check.mapping(raw, "answer_scales")
    if raw is not None and not scales:
        check.problem("answer_scales", "needs at least one answer scale")
    for scale_id, node in scales.items():
        where = f"answer scale {scale_id}"
        labels = check.mapping(check.mapping(node, where).get("labels"), f"{where}: labels")
        for lang in set(labels) - set(i18n.LANGUAGES):
            check.problem(where, f"'labels.{lang}': '{lang}' is not a language Werkbaar speaks")
        per_lang = {}
        for lang in i18n.LANGUAGES:
            values = labels.get(lang)
            if values is None and lang != i18n.DEFAULT_LANGUAGE:
                continue  # in the language's catalogue (checked below)
            if (not isinstance(values, list) or len(values) != POINTS
                    or not all(isinstance(v, str) and v.strip() for v in values)):
                check.problem(where, f"'labels.{lang}' must list exactly {POINTS} answer labels")
                continue
            per_lang[lang] = values
        points = tuple(
            Text(tuple((lang, values[point]) for lang, values in per_lang.items()),
                 check.key(f"answer_scale.{scale_id}.{point + 1}"))
            for point in range(POINTS))
        for label in points:
            _translated(check, label, where, "labels")
        result[str(scale_id)] = AnswerScale(str(scale_id), points)
    return result


def _domains(check: Checker, raw: Any, answer_scales: dict[str, AnswerScale]) -> list[Domain]:
    domains = []
    for n, node in enumerate(check.listing(raw, "domains"), 1):
        node = check.mapping(node, f"domain #{n}")
        domain_id = _ident(check, node, "id", f"domain #{n}")
        where = f"domain {domain_id or '#' + str(n)}"
        raw_items = node.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            check.problem(where, "has no items: a domain asks at least one question")
            raw_items = []
        items = tuple(
            _item(check, check.mapping(raw_item, f"{where}: item #{m}"), f"{where}: item #{m}",
                  domain_id, answer_scales)
            for m, raw_item in enumerate(raw_items, 1))
        domains.append(Domain(
            id=domain_id,
            label=_text(check, node, "label", where, f"domain.{domain_id}.label"),
            description=_text(check, node, "description", where,
                              f"domain.{domain_id}.description"),
            items=items,
        ))
    check.unique([d.id for d in domains], "domain")
    return domains


def _item(check: Checker, node: dict, fallback: str, domain_id: str,
          answer_scales: dict[str, AnswerScale]) -> ModuleItem:
    item_id = _ident(check, node, "id", fallback)
    where = f"item {item_id}" if item_id else fallback
    answer = node.get("answer_scale")
    if not isinstance(answer, str) or answer not in answer_scales:
        check.problem(where, f"field 'answer_scale': {answer!r} is not an answer scale of "
                             "this file")
    problem_from = node.get("problem_from")
    if (isinstance(problem_from, bool) or not isinstance(problem_from, int)
            or not 1 <= problem_from <= POINTS):
        check.problem(where, f"field 'problem_from' must be a point of the answer scale, a "
                             f"whole number from 1 to {POINTS}, found {problem_from!r}")
        problem_from = POINTS
    return ModuleItem(item_id, domain_id, str(answer), problem_from,
                      _text(check, node, "text", where, f"item.{item_id}"))


def _sectors(check: Checker, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.problem("file", "field 'sectors' must list NACE sections (A to U), or be [] for "
                              "every sector")
        return ()
    for value in raw:
        if not isinstance(value, str) or not _NACE_SECTION.match(value):
            check.problem("file", f"field 'sectors': {value!r} is not a NACE section (one "
                                  "capital letter from A to U)")
    return tuple(str(value) for value in raw)
