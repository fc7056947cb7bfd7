"""A round's modules and own questions as every screen and report shows them: built once from
:func:`assessment.extra_results.extra_figures` (only figures that passed the rules), rendered
by the dashboard, the groups page, the organisation report and the risk-analysis export.

A share is given as the screens print it (:func:`assessment.formatting.shown`), so the chart
data, the tables and the downloads carry the same figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .datafile import Text
from .extra_results import ExtraFigures, domain_column, extra_figures
from .formatting import shown
from .i18n import t
from .round_extras import of_round


@dataclass(frozen=True)
class Row:
    """One column: what was asked, what each share counts, the organisation's shares (None:
    withheld) and each dimension's groups' shares (a group missing: withheld)."""

    column: str
    label: str
    answers: tuple[str, ...]
    whole: tuple[float, ...] | None
    n: int | None
    groups: dict[str, dict]  # dimension → group → shares
    is_domain: bool = False


@dataclass(frozen=True)
class ModuleBlock:
    id: str
    title: str
    purpose: str
    scoring: str
    rows: tuple[Row, ...]  # each domain's row, then its questions' rows


@dataclass(frozen=True)
class ExtrasView:
    modules: tuple[ModuleBlock, ...]
    questions: tuple[Row, ...]
    shown: bool  # False: the round is open, or too few answered: no figure at all

    def rows(self) -> tuple[Row, ...]:
        return tuple(r for m in self.modules for r in m.rows) + self.questions


def text_in(text: Text, lang: str) -> str:
    """An own question's text in ``lang``, else in a language the round offered (HR typed it
    only in those)."""
    return text(lang) or next((v for _, v in text.inline if v), "")


def _row(figures: ExtraFigures, column: str, label: str, answers: tuple[str, ...],
         is_domain: bool = False) -> Row:
    whole = figures.whole.get(column)
    return Row(column, label, answers,
               None if whole is None else tuple(shown(s) for s in whole.shares),
               None if whole is None else whole.n,
               {d: {g: tuple(shown(s) for s in cells[column]) for g, cells in by_group.items()
                    if column in cells} for d, by_group in figures.groups.items()},
               is_domain)


def build(ctx, survey_round, groups: dict[str, list], lang: str) -> ExtrasView | None:
    """The view of ``survey_round``'s extras in ``lang``; None when it has none."""
    figures = extra_figures(ctx, survey_round, groups)
    if figures is None:
        return None
    extras = of_round(survey_round)
    reported = (t("extras.reported", lang),)
    modules = tuple(ModuleBlock(m.id, m.title(lang), m.purpose(lang), m.scoring(lang), tuple(
        row for d in m.domains for row in (
            _row(figures, domain_column(m.id, d.id), d.label(lang), reported, True),
            *(_row(figures, i.id, i.text(lang), reported) for i in d.items))))
        for m in extras.modules)
    questions = tuple(_row(figures, q.id, text_in(q.text, lang),
                           tuple(text_in(label, lang) for label in q.labels()))
                      for q in extras.questions)
    return ExtrasView(modules, questions, bool(figures.whole))
