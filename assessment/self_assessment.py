"""The employer self-assessment: the employer's own estimate of the four indicators and six
risk factors, and a score per practice area (age-aware HR, competence and learning, work
organisation, diversity and inclusion, work–life arrangements).

The questionnaire is data (``data/questionnaires/employer-v1.yaml``), validated like the
employee questionnaire. Answers are saved as a draft after every section, so an employer can
leave half-way and continue later, even after the browser was closed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from .datafile import Checker, Text, Translation, read_yaml, translations
from .errors import InputError, Problem
from .questionnaire import (
    INDICATORS,
    QUESTIONNAIRE_DIR,
    RISK_FACTORS,
    AnswerScale,
    QuestionnaireError,
    _answer_scales,
)
from .scoring import item_score, scale_score
from .storage import connection, write_transaction

PRACTICE_AREAS = (
    "age_aware_hr", "competence_learning", "work_organisation", "diversity_inclusion", "work_life",
)
ESTIMATE, PRACTICE = "estimate", "practice"


@dataclass(frozen=True)
class EstimateOption:
    code: str
    midpoint: float | None  # share of employees in percent; None for "don't know"
    label: Text


@dataclass(frozen=True)
class PracticeArea:
    id: str
    label: Text
    description: Text


@dataclass(frozen=True)
class SelfItem:
    id: str
    kind: str  # "estimate" (of a scale) or "practice" (in an area)
    target: str  # the scale id or the practice area id
    answer_scale: str | None  # practice items only
    reverse: bool
    text: Text


@dataclass(frozen=True)
class SelfSection:
    id: str
    title: Text
    intro: Text
    items: tuple[SelfItem, ...]


@dataclass(frozen=True)
class EmployerQuestionnaire:
    id: str
    version: int
    title: Text
    intro: Text
    estimate_options: tuple[EstimateOption, ...]
    answer_scales: dict[str, AnswerScale]
    practice_areas: tuple[PracticeArea, ...]
    sections: tuple[SelfSection, ...]
    translations: dict[str, Translation] = field(default_factory=dict)  # language → status

    @cached_property
    def items(self) -> tuple[SelfItem, ...]:
        return tuple(i for s in self.sections for i in s.items)

    def option(self, code: str) -> EstimateOption | None:
        return next((o for o in self.estimate_options if o.code == code), None)


def load_employer_questionnaire(path: Path | str | None = None) -> EmployerQuestionnaire:
    """Read and validate the employer self-assessment.

    :raises QuestionnaireError: listing every problem with its place (file, item id, field).
    """
    path = Path(path or QUESTIONNAIRE_DIR / "employer-v1.yaml")
    check = Checker(path.name, namespace=path.stem)
    raw = read_yaml(path, QuestionnaireError)
    root = check.mapping(raw, "file")
    options = []
    for n, node in enumerate(check.listing(root.get("estimate_options"), "estimate_options"), 1):
        node = check.mapping(node, f"estimate option #{n}")
        midpoint = node.get("midpoint")
        if midpoint is not None and (isinstance(midpoint, bool)
                                     or not isinstance(midpoint, int | float)
                                     or not 0 <= midpoint <= 100):
            check.problem(f"estimate option #{n}", "field 'midpoint' must be 0–100 or null")
            midpoint = None
        options.append(EstimateOption(check.string(node, "code", f"estimate option #{n}"),
                                      midpoint, check.text(node, "label", f"estimate option #{n}",
                                                           place=f"estimate.{node.get('code')}")))
    check.unique([o.code for o in options], "estimate option")
    areas = []
    for n, node in enumerate(check.listing(root.get("practice_areas"), "practice_areas"), 1):
        node = check.mapping(node, f"practice area #{n}")
        area_id = check.string(node, "id", f"practice area #{n}")
        if area_id and area_id not in PRACTICE_AREAS:
            check.problem(f"practice area {area_id}",
                          f"unknown id; expected one of {', '.join(PRACTICE_AREAS)}")
        where = f"practice area {area_id}"
        areas.append(PracticeArea(
            area_id, check.text(node, "label", where, place=f"area.{area_id}.label"),
            check.text(node, "description", where, place=f"area.{area_id}.description")))
    answer_scales = _answer_scales(check, root.get("answer_scales"))
    sections = [_section(check, node, n, answer_scales)
                for n, node in enumerate(check.listing(root.get("sections"), "sections"), 1)]
    items = [i for s in sections for i in s.items]
    check.unique([i.id for i in items], "item")
    estimated = [i.target for i in items if i.kind == ESTIMATE]
    for scale in INDICATORS + RISK_FACTORS:
        if estimated.count(scale) != 1:
            check.problem("sections", f"scale {scale} needs exactly one estimate item")
    for area in PRACTICE_AREAS:
        if not any(i.kind == PRACTICE and i.target == area for i in items):
            check.problem("sections", f"practice area {area} has no items")
    if len(items) > 40:
        check.problem("sections", f"{len(items)} items; at most 40")
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.problem("file", "field 'version' must be a whole number from 1")
    result = EmployerQuestionnaire(
        id=check.string(root, "id", "file"), version=version if isinstance(version, int) else 0,
        title=check.text(root, "title", "file"), intro=check.text(root, "intro", "file"),
        estimate_options=tuple(options), answer_scales=answer_scales,
        practice_areas=tuple(areas), sections=tuple(sections),
        translations=translations(check, root.get("translations")),
    )
    if check.problems:
        raise QuestionnaireError(check.problems)
    return result


def _section(check: Checker, node: Any, n: int, answer_scales: dict) -> SelfSection:
    node = check.mapping(node, f"section #{n}")
    section_id = check.string(node, "id", f"section #{n}")
    items = []
    for m, raw in enumerate(check.listing(node.get("items"), f"section {section_id}: items"), 1):
        raw = check.mapping(raw, f"section {section_id}: item #{m}")
        item_id = check.string(raw, "id", f"section {section_id}: item #{m}")
        where = f"item {item_id or '#' + str(m)}"
        kind = raw.get("kind")
        if kind == ESTIMATE:
            target = raw.get("scale")
            if target not in INDICATORS + RISK_FACTORS:
                check.problem(where, f"field 'scale': {target!r} is not one of the 10 scales")
            reverse, answer_scale = False, None
        elif kind == PRACTICE:
            target = raw.get("area")
            if target not in PRACTICE_AREAS:
                check.problem(where, f"field 'area': {target!r} is not a practice area")
            answer_scale = raw.get("answer_scale")
            if answer_scale not in answer_scales:
                check.problem(where, f"field 'answer_scale': {answer_scale!r} is unknown")
            reverse = check.flag(raw, "reverse", where)
        else:
            check.problem(where, f"field 'kind' must be estimate or practice, found {kind!r}")
            target, answer_scale, reverse = None, None, False
        items.append(SelfItem(item_id, str(kind), str(target), answer_scale, reverse,
                              check.text(raw, "text", where, place=f"item.{item_id}")))
    where = f"section {section_id}"
    return SelfSection(section_id,
                       check.text(node, "title", where, place=f"section.{section_id}.title"),
                       check.text(node, "intro", where, required=False,
                                  place=f"section.{section_id}.intro") or Text(()),
                       tuple(items))


# --- answers -----------------------------------------------------------------------------


def validate_answers(questionnaire: EmployerQuestionnaire, answers: dict[str, object]
                     ) -> list[Problem]:
    """Problems with (possibly partial) answers: unknown items or values."""
    problems = []
    items = {i.id: i for i in questionnaire.items}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            problems.append(Problem(item_id, "error.unknown_item", {"item": item_id}))
        elif item.kind == ESTIMATE and questionnaire.option(str(value)) is None:
            problems.append(Problem(item_id, "error.answer_value", {"item": item_id}))
        elif item.kind == PRACTICE and (isinstance(value, bool) or value not in range(1, 6)):
            problems.append(Problem(item_id, "error.answer_value", {"item": item_id}))
    return problems


@dataclass(frozen=True)
class SelfAssessmentResult:
    estimates: dict[str, float]  # scale id → estimated share with a knelpunt (0–100)
    practices: dict[str, float]  # practice area → score 0–100 (higher = stronger practice)
    completed_on: date | None


def score(questionnaire: EmployerQuestionnaire, answers: dict[str, object],
          completed_on: date | None = None) -> SelfAssessmentResult:
    """Estimates as percentages ("don't know" left out) and practice scores per area (mean of
    the answered items on 0–100, reverse keys applied, missing under half answered)."""
    estimates = {}
    for item in questionnaire.items:
        if item.kind == ESTIMATE and item.id in answers:
            option = questionnaire.option(str(answers[item.id]))
            if option and option.midpoint is not None:
                estimates[item.target] = option.midpoint
    practices = {}
    for area in PRACTICE_AREAS:
        area_items = [i for i in questionnaire.items if i.kind == PRACTICE and i.target == area]
        value = scale_score((item_score(answers[i.id], i.reverse) for i in area_items
                             if i.id in answers), len(area_items))
        if value is not None:
            practices[area] = value
    return SelfAssessmentResult(estimates, practices, completed_on)


@dataclass(frozen=True)
class Draft:
    answers: dict[str, object]
    step: int
    updated_on: date


def save_draft(ctx, organisation_id: int, questionnaire: EmployerQuestionnaire,
               answers: dict[str, object], step: int, *, complete: bool = False,
                   today: date | None = None) -> None:
    """Store the answers so far (after every section). ``complete`` closes the assessment:
    the next one starts empty, this one stays as the organisation's latest.

    :raises InputError: for an unknown item or value; the stored draft is left as it was.
    """
    problems = validate_answers(questionnaire, answers)
    if problems:
        raise InputError(problems)
    today = (today or ctx.today).isoformat()
    with write_transaction(ctx) as db:
        row = db.execute(
            "select id from self_assessments where organisation_id = ? and completed_on is null",
            [organisation_id],
        ).fetchone()
        values = {"answers": json.dumps(answers, sort_keys=True), "step": step,
                  "updated_on": today, "completed_on": today if complete else None}
        if row:
            db["self_assessments"].update(row[0], values)
        else:
            db["self_assessments"].insert({
                "organisation_id": organisation_id, "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version, "started_on": today, **values,
            })


def load_draft(ctx, organisation_id: int) -> Draft | None:
    """The unfinished self-assessment of an organisation, if there is one."""
    with connection(ctx) as db:
        row = db.execute(
            "select answers, step, updated_on from self_assessments "
            "where organisation_id = ? and completed_on is null", [organisation_id],
        ).fetchone()
    return Draft(json.loads(row[0]), row[1], date.fromisoformat(row[2])) if row else None


def latest_result(ctx, organisation_id: int,
                  questionnaire: EmployerQuestionnaire) -> SelfAssessmentResult | None:
    """The scores of the most recently completed self-assessment, if any."""
    with connection(ctx) as db:
        row = db.execute(
            "select answers, completed_on from self_assessments where organisation_id = ? "
            "and completed_on is not null order by completed_on desc, id desc limit 1",
            [organisation_id],
        ).fetchone()
    if row is None:
        return None
    return score(questionnaire, json.loads(row[0]), date.fromisoformat(row[1]))
