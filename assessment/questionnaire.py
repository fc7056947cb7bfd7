"""Questionnaires as data: load a YAML file from ``data/questionnaires/`` and validate it.

A questionnaire has answer scales (5 labelled points), scales (the 4 indicators and 6 risk
factors, each with two cut-offs), sections of items, optional background questions with coarse
bands, and one open question. :func:`load_questionnaire` either returns a frozen
:class:`Questionnaire` or raises :class:`QuestionnaireError` listing **every** problem with its
place (``file: item ws3: field 'scale': ...``), so an editor can fix the file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import paths
from .datafile import Checker, Text, Translation, read_yaml, read_yaml_text, translations
from .errors import DataFileError
from .i18n import DEFAULT_LANGUAGE

POINTS = 5
KINDS = ("indicator", "risk_factor")
PILLARS = ("haalbaar", "motiverend", "combineerbaar")
INDICATORS = ("werkstress", "motivatie", "leermogelijkheden", "werk_prive_balans")
RISK_FACTORS = (
    "werkdruk",
    "emotionele_belasting",
    "taakvariatie",
    "autonomie",
    "ondersteuning_leiding",
    "fysieke_omstandigheden",
)
# Background questions the storage knows; "department" takes the organisation's own list.
DEPARTMENT = "department"
BACKGROUND_IDS = (DEPARTMENT, "age_band", "contract_type")
QUESTIONNAIRE_DIR = paths.DATA_DIR / "questionnaires"


class QuestionnaireError(DataFileError):
    """A questionnaire file that cannot be used; ``problems`` lists every problem found."""


@dataclass(frozen=True)
class AnswerScale:
    id: str
    labels: tuple[Text, ...]  # POINTS labels, from value 1 to value 5


@dataclass(frozen=True)
class Cutoffs:
    """Two cut-offs on 0–100. For a scale where higher is worse, ``score >= knelpunt`` is a
    knelpunt (a problem) and ``score >= acuut`` acute; where lower is worse, ``<=``."""

    knelpunt: float
    acuut: float
    provisional: bool
    # Whether the SERV model itself has an acute level on this scale (werkstress, motivatie);
    # elsewhere ``acuut`` is Werkbaar's own extension and every text that shows it says so.
    acuut_in_monitor: bool = False


@dataclass(frozen=True)
class Scale:
    id: str
    kind: str  # "indicator" (outcome) or "risk_factor"
    pillar: str | None  # indicators only
    label: Text
    description: Text
    higher_is_worse: bool
    cutoffs: Cutoffs


@dataclass(frozen=True)
class Item:
    id: str
    scale: str
    answer_scale: str
    reverse: bool  # True when agreeing points away from the scale's direction
    text: Text


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Option:
    code: str
    label: Text


@dataclass(frozen=True)
class BackgroundQuestion:
    id: str
    label: Text
    help: Text | None
    options: tuple[Option, ...]  # empty when ``from_organisation``
    from_organisation: bool  # options are the organisation's departments


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    label: Text
    help: Text
    max_chars: int


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: Text
    intro: Text
    answer_scales: dict[str, AnswerScale]
    scales: tuple[Scale, ...]
    sections: tuple[Section, ...]
    background: tuple[BackgroundQuestion, ...]
    open_question: OpenQuestion
    translations: dict[str, Translation] = field(default_factory=dict)  # language → status

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_scale(self) -> dict[str, tuple[Item, ...]]:
        return {s.id: tuple(i for i in self.items if i.scale == s.id) for s in self.scales}

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    def items_of(self, scale_id: str) -> tuple[Item, ...]:
        return self._items_by_scale.get(scale_id, ())

    @property
    def indicators(self) -> tuple[Scale, ...]:
        return tuple(s for s in self.scales if s.kind == "indicator")

    @property
    def risk_factors(self) -> tuple[Scale, ...]:
        return tuple(s for s in self.scales if s.kind == "risk_factor")


def load_questionnaire(path: Path | str) -> Questionnaire:
    """Read and validate one questionnaire file.

    :raises QuestionnaireError: when the file is missing, is not YAML, or breaks any rule;
      ``problems`` lists all of them, each with the file, the item or scale id and the field.
    """
    path = Path(path)
    return _questionnaire(read_yaml(path, QuestionnaireError), path.name, path.stem)


def parse_questionnaire(text: str, name: str = "questionnaire.yaml") -> Questionnaire:
    """:func:`load_questionnaire` of a text (a stored version, an uploaded file called
    ``name``). Its texts are looked up in the catalogues under ``<id>-v<version>``, the name
    the shipped file of that version has: a version made elsewhere gives its texts in every
    language inline (:func:`missing_translations` says which it lacks).

    :raises QuestionnaireError: as :func:`load_questionnaire`.
    """
    raw = read_yaml_text(text, name, QuestionnaireError)
    root = raw if isinstance(raw, dict) else {}
    return _questionnaire(raw, name, f"{root.get('id')}-v{root.get('version')}")


def _questionnaire(raw: Any, name: str, namespace: str) -> Questionnaire:
    check = Checker(name, namespace=namespace)
    root = check.mapping(raw, "file")
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.problem("file", f"field 'version' must be a whole number from 1, found {version!r}")
        version = 0
    answer_scales = _answer_scales(check, root.get("answer_scales"))
    scales = _scales(check, root.get("scales"))
    sections = _sections(check, root.get("sections"), {s.id for s in scales}, answer_scales)
    for scale in scales:
        if not any(i.scale == scale.id for s in sections for i in s.items):
            check.problem(f"scale {scale.id}", "no item measures this scale")
    questionnaire = Questionnaire(
        id=check.string(root, "id", "file"),
        version=version,
        title=check.text(root, "title", "file"),
        intro=check.text(root, "intro", "file"),
        answer_scales=answer_scales,
        scales=tuple(scales),
        sections=tuple(sections),
        background=tuple(_background(check, root.get("background", []))),
        open_question=_open_question(check, root.get("open_question")),
        translations=translations(check, root.get("translations")),
    )
    if check.problems:
        raise QuestionnaireError(check.problems)
    return questionnaire


def _answer_scales(check: Checker, raw: Any) -> dict[str, AnswerScale]:
    result = {}
    for scale_id, node in check.mapping(raw, "answer_scales").items():
        where = f"answer scale {scale_id}"
        labels = check.mapping(check.mapping(node, where).get("labels"), f"{where}: labels")
        per_lang = {}
        for lang in labels:  # the source language's labels, and any other given inline
            values = labels.get(lang)
            if not isinstance(values, list) or len(values) != POINTS:
                check.problem(where, f"'labels.{lang}' must list exactly {POINTS} answer labels")
                values = [""] * POINTS
            per_lang[lang] = [str(v) for v in values]
        if DEFAULT_LANGUAGE not in per_lang:
            check.problem(where, f"'labels.{DEFAULT_LANGUAGE}' must list exactly {POINTS} "
                                 "answer labels")
        result[scale_id] = AnswerScale(scale_id, tuple(
            Text(tuple((lang, values[point]) for lang, values in per_lang.items()),
                 check.key(f"answer_scale.{scale_id}.{point + 1}"))
            for point in range(POINTS)))
    return result


def _scales(check: Checker, raw: Any) -> list[Scale]:
    scales = []
    for n, node in enumerate(check.listing(raw, "scales"), 1):
        node = check.mapping(node, f"scale #{n}")
        scale_id = check.string(node, "id", f"scale #{n}")
        where = f"scale {scale_id or '#' + str(n)}"
        kind = node.get("kind")
        expected = INDICATORS if kind == "indicator" else RISK_FACTORS
        if kind not in KINDS:
            check.problem(where, f"field 'kind' must be one of {', '.join(KINDS)}, found {kind!r}")
        elif scale_id and scale_id not in expected:
            check.problem(where, f"unknown {kind} id; expected one of {', '.join(expected)}")
        pillar = node.get("pillar")
        if kind == "indicator" and pillar not in PILLARS:
            check.problem(where, f"field 'pillar' must be one of {', '.join(PILLARS)}")
        higher_is_worse = check.flag(node, "higher_is_worse", where)
        raw_cut = check.mapping(node.get("cutoffs"), f"{where}: field 'cutoffs'")
        problems_before = len(check.problems)
        cutoffs = Cutoffs(
            knelpunt=check.number(raw_cut, "knelpunt", f"{where}: cutoffs"),
            acuut=check.number(raw_cut, "acuut", f"{where}: cutoffs"),
            provisional=bool(raw_cut.get("provisional", True)),
            acuut_in_monitor=bool(raw_cut.get("acuut_in_monitor", False)),
        )
        wrong_order = (
            cutoffs.acuut <= cutoffs.knelpunt if higher_is_worse
            else cutoffs.acuut >= cutoffs.knelpunt
        )
        if raw_cut and wrong_order and len(check.problems) == problems_before:
            direction = "above" if higher_is_worse else "below"
            check.problem(
                where, f"cutoffs: 'acuut' must lie {direction} 'knelpunt' for this direction"
            )
        scales.append(
            Scale(
                id=scale_id,
                kind=str(kind),
                pillar=pillar if kind == "indicator" else None,
                label=check.text(node, "label", where, place=f"scale.{scale_id}.label"),
                description=check.text(node, "description", where,
                                       place=f"scale.{scale_id}.description"),
                higher_is_worse=higher_is_worse,
                cutoffs=cutoffs,
            )
        )
    check.unique([s.id for s in scales], "scale")
    missing = [s for s in INDICATORS + RISK_FACTORS if s not in {x.id for x in scales}]
    if missing:
        check.problem("scales", f"missing scales: {', '.join(missing)}")
    return scales


def _sections(
    check: Checker, raw: Any, scale_ids: set[str], answer_scales: dict[str, AnswerScale]
) -> list[Section]:
    sections = []
    for n, node in enumerate(check.listing(raw, "sections"), 1):
        node = check.mapping(node, f"section #{n}")
        section_id = check.string(node, "id", f"section #{n}")
        where = f"section {section_id or '#' + str(n)}"
        items = []
        for m, raw_item in enumerate(check.listing(node.get("items"), f"{where}: items"), 1):
            raw_item = check.mapping(raw_item, f"{where}: item #{m}")
            item_id = check.string(raw_item, "id", f"{where}: item #{m}")
            item_where = f"item {item_id or '#' + str(m)}"
            scale = raw_item.get("scale")
            if scale not in scale_ids:
                check.problem(item_where, f"field 'scale': {scale!r} is not a scale of this file")
            answer = raw_item.get("answer_scale")
            if answer not in answer_scales:
                check.problem(
                    item_where, f"field 'answer_scale': {answer!r} is not an answer scale"
                )
            items.append(
                Item(
                    id=item_id,
                    scale=str(scale),
                    answer_scale=str(answer),
                    reverse=check.flag(raw_item, "reverse", item_where),
                    text=check.text(raw_item, "text", item_where, place=f"item.{item_id}"),
                )
            )
        sections.append(
            Section(
                id=section_id,
                title=check.text(node, "title", where, place=f"section.{section_id}.title"),
                intro=check.text(node, "intro", where, required=False,
                                 place=f"section.{section_id}.intro") or Text(()),
                items=tuple(items),
            )
        )
    check.unique([s.id for s in sections], "section")
    check.unique([i.id for s in sections for i in s.items], "item")
    return sections


def _background(check: Checker, raw: Any) -> list[BackgroundQuestion]:
    questions = []
    for n, node in enumerate(raw or [], 1):
        node = check.mapping(node, f"background #{n}")
        qid = check.string(node, "id", f"background #{n}")
        where = f"background {qid or '#' + str(n)}"
        if qid and qid not in BACKGROUND_IDS:
            check.problem(where, f"unknown background question; use {', '.join(BACKGROUND_IDS)}")
        from_org = node.get("options_from") == "organisation"
        if (qid == DEPARTMENT) != from_org:
            check.problem(where, "only 'department' takes 'options_from: organisation'")
        options = []
        if not from_org:
            for m, opt in enumerate(check.listing(node.get("options"), f"{where}: options"), 1):
                opt = check.mapping(opt, f"{where}: option #{m}")
                options.append(
                    Option(
                        check.string(opt, "code", f"{where}: option #{m}"),
                        check.text(opt, "label", f"{where}: option #{m}",
                                   place=f"background.{qid}.{opt.get('code')}"),
                    )
                )
            check.unique([o.code for o in options], f"{where}: option")
        questions.append(
            BackgroundQuestion(
                id=qid,
                label=check.text(node, "label", where, place=f"background.{qid}.label"),
                help=check.text(node, "help", where, required=False,
                                place=f"background.{qid}.help"),
                options=tuple(options),
                from_organisation=from_org,
            )
        )
    check.unique([q.id for q in questions], "background")
    return questions


def _open_question(check: Checker, raw: Any) -> OpenQuestion:
    node = check.mapping(raw, "open_question")
    max_chars = node.get("max_chars")
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        check.problem("open_question", "field 'max_chars' must be a positive whole number")
        max_chars = 1
    return OpenQuestion(
        id=check.string(node, "id", "open_question"),
        label=check.text(node, "label", "open_question", place="open_question.label"),
        help=check.text(node, "help", "open_question", required=False,
                        place="open_question.help") or Text(()),
        max_chars=max_chars,
    )


def questionnaire_path(questionnaire_id: str = "employee", version: int = 1) -> Path:
    return QUESTIONNAIRE_DIR / f"{questionnaire_id}-v{version}.yaml"


def load_employee_questionnaire(version: int = 1) -> Questionnaire:
    """The employee questionnaire shipped in ``data/questionnaires/``.

    :raises QuestionnaireError: as :func:`load_questionnaire`.
    """
    return load_questionnaire(questionnaire_path("employee", version))


def missing_translations(questionnaire: Questionnaire) -> list[str]:
    """Each text of ``questionnaire`` that some language has neither inline nor in its
    catalogue, as ``"<lang>: <catalogue key>"``: a version missing any cannot be activated
    (a respondent would read it in Dutch)."""
    from .datafile import texts_in
    from .i18n import LANGUAGES, catalogue

    missing = []
    for text in texts_in(questionnaire):
        inline = dict(text.inline)
        missing += [f"{lang}: {text.key}" for lang in LANGUAGES
                    if not inline.get(lang) and not catalogue(lang).get(text.key)]
    return missing
