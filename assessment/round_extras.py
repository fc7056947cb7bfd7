"""What a round asks besides its questionnaire: optional modules and the organisation's own
closed questions.

An organisation may add, when it opens a round, any of the shipped **modules**
(:mod:`assessment.modules`: the psychosocial-risks module, sector modules) and at most
:data:`MAX_QUESTIONS` **own questions**, each either a single choice of 2 to 5 options or a
5-point agreement scale, written in every language the round offers. Never open text: an own
question's answers are figures under the same disclosure rules as every other column
(:func:`assessment.extra_results.extra_results`).

Both are fixed when the round opens and stored with it (``survey_rounds.extras``, JSON: the
modules' ids and versions, the questions, and the **item order** their answers are packed in
after the questionnaire's, :func:`assessment.packed_answers.layout`). A module file may get a
new version later; a round keeps the one it was opened with.

:func:`compose` gives the questionnaire a respondent answers: the round's version with one
section per module and one for the own questions appended. Their items measure no scale, so
the scoring (:mod:`assessment.scoring`) and every werkbaar-werk figure ignore them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from .datafile import Text
from .errors import InputError, Problem
from .questionnaire import AnswerScale, Item, Questionnaire, Section
from .text import clean_line

if TYPE_CHECKING:
    from .modules import Module

MAX_QUESTIONS = 3
MAX_QUESTION_CHARS = 200
MAX_OPTION_CHARS = 60
SINGLE, SCALE = "single", "scale"  # an own question's kinds
MIN_OPTIONS, MAX_OPTIONS = 2, 5
OWN_PREFIX = "own"  # own question ids: own1, own2, own3
AGREEMENT = "own_agreement"  # the answer scale of an own 5-point question
AGREEMENT_KEYS = tuple(f"own_questions.agreement.{point}" for point in range(1, 6))


@dataclass(frozen=True)
class OwnQuestion:
    id: str  # own1 …
    kind: str  # SINGLE or SCALE
    text: Text  # inline, in every language the round offers
    options: tuple[Text, ...]  # SINGLE: the options in order; SCALE: ()

    @property
    def answer_scale(self) -> str:
        return AGREEMENT if self.kind == SCALE else self.id

    def labels(self) -> tuple[Text, ...]:
        """The answers a respondent chooses from, value 1 first."""
        return tuple(Text((), key) for key in AGREEMENT_KEYS) if self.kind == SCALE \
            else self.options


@dataclass(frozen=True)
class RoundExtras:
    modules: tuple[Module, ...] = ()
    questions: tuple[OwnQuestion, ...] = ()

    @property
    def items(self) -> tuple[str, ...]:
        """The extra items in the order their answers are packed."""
        return tuple(i.id for m in self.modules for i in m.items) + tuple(
            q.id for q in self.questions)

    def __bool__(self) -> bool:
        return bool(self.modules or self.questions)


NONE = RoundExtras()


def own_question(position: int, kind: str, texts: dict[str, str],
                 options: list[dict[str, str]] | None, languages: tuple[str, ...]
                 ) -> OwnQuestion:
    """An own question as HR typed it: ``texts`` and each option per language code.

    :raises InputError: for an unknown kind, a text or option missing in one of
      ``languages`` or too long, or a single choice without 2 to 5 options."""
    where = f"question{position}"
    problems = []
    if kind not in (SINGLE, SCALE):
        problems.append(Problem(where, "error.own_question_kind"))

    def cleaned(values: dict[str, str], limit: int) -> Text:
        found = {lang: clean_line(values.get(lang) or "") for lang in languages}
        if not all(found.values()):
            problems.append(Problem(where, "error.own_question_language"))
        elif any(len(v) > limit for v in found.values()):
            problems.append(Problem(where, "error.name_too_long", {"max": limit}))
        return Text(tuple(found.items()))

    text = cleaned(texts, MAX_QUESTION_CHARS)
    chosen = ()
    if kind == SINGLE:
        given = [o for o in options or [] if any((v or "").strip() for v in o.values())]
        if not MIN_OPTIONS <= len(given) <= MAX_OPTIONS:
            problems.append(Problem(where, "error.own_question_options",
                                    {"min": MIN_OPTIONS, "max": MAX_OPTIONS}))
        chosen = tuple(cleaned(o, MAX_OPTION_CHARS) for o in given)
    if problems:
        raise InputError(problems[:1])
    return OwnQuestion(f"{OWN_PREFIX}{position}", kind, text, chosen)


def validated(modules: tuple[Module, ...], questions: tuple[OwnQuestion, ...]) -> RoundExtras:
    """The extras of a round to open.

    :raises InputError: for more than :data:`MAX_QUESTIONS` questions or a module twice."""
    if len(questions) > MAX_QUESTIONS:
        raise InputError([Problem("questions", "error.own_questions_too_many",
                                  {"max": MAX_QUESTIONS})])
    if len({m.id for m in modules}) != len(modules):
        raise InputError([Problem("modules", "error.module_twice")])
    return RoundExtras(tuple(modules), tuple(questions))


def to_stored(extras: RoundExtras) -> str | None:
    """The JSON kept in ``survey_rounds.extras`` (None: no extras)."""
    if not extras:
        return None
    return json.dumps({
        "modules": [[m.id, m.version] for m in extras.modules],
        "questions": [{"kind": q.kind, "text": dict(q.text.inline),
                       "options": [dict(o.inline) for o in q.options]}
                      for q in extras.questions],
        "items": list(extras.items),
    }, ensure_ascii=False)


@cache
def from_stored(stored: str | None) -> RoundExtras:
    """:func:`to_stored` read back (cached: a round's extras never change).

    :raises KeyError: when a module version the round used is no longer shipped."""
    if not stored:
        return NONE
    from .modules import module

    raw = json.loads(stored)
    return RoundExtras(
        tuple(module(m, v) for m, v in raw["modules"]),
        tuple(OwnQuestion(f"{OWN_PREFIX}{n}", q["kind"], Text(tuple(q["text"].items())),
                          tuple(Text(tuple(o.items())) for o in q["options"]))
              for n, q in enumerate(raw["questions"], 1)))


def of_round(survey_round) -> RoundExtras:
    return from_stored(survey_round.extras)


def compose(base: Questionnaire, extras: RoundExtras) -> Questionnaire:
    """The questionnaire a respondent of the round answers: ``base``, then a section per
    module, then one with the own questions."""
    if not extras:
        return base
    scales = dict(base.answer_scales)
    sections = list(base.sections)
    for m in extras.modules:
        scales.update({f"{m.id}.{s}": replace(a, id=f"{m.id}.{s}")
                       for s, a in m.answer_scales.items()})
        sections.append(Section(f"module.{m.id}", m.title, m.intro, tuple(
            Item(i.id, "", f"{m.id}.{i.answer_scale}", False, i.text) for i in m.items)))
    if extras.questions:
        for q in extras.questions:
            scales[q.answer_scale] = AnswerScale(q.answer_scale, q.labels())
        sections.append(Section("own", Text((), "own_questions.title"),
                                Text((), "own_questions.intro"), tuple(
                                    Item(q.id, "", q.answer_scale, False, q.text)
                                    for q in extras.questions)))
    return replace(base, answer_scales=scales, sections=tuple(sections))
