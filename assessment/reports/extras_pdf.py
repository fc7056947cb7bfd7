"""A round's modules and own questions in a PDF report (the organisation report's section and
the risk-analysis export's domains), drawn from :class:`assessment.extras_view.ExtrasView`:
every share is the one the dashboard and the groups page show, and none is computed here.

A table puts each question beside the whole organisation and the groups of the department
dimension that have a figure in any row; a withheld figure is written "hidden", as in the
groups heatmap, never left blank. Departments with no figure at all get no column (a column of
"hidden" tells nothing) and are named under the section instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import formatting
from ..extras_view import ExtrasView, ModuleBlock, Row
from ..i18n import t
from .pdf import WIDTH, Document

DIMENSION = "department"
GROUPS_PER_TABLE = 5  # beside the question, n and the organisation: the question keeps 60 mm
N_WIDTH, WHOLE_WIDTH, SHARE_WIDTH = 14.0, 22.0, 17.0


def department_columns(rows: Sequence[Row], names: dict[str, str]
                       ) -> tuple[list[tuple[str, str]], list[str]]:
    """The departments (id, name) with a figure in at least one of ``rows``, in the
    organisation's order, and the names of those with none."""
    shown = [(g, name) for g, name in names.items()
             if any(g in r.groups.get(DIMENSION, {}) for r in rows)]
    ids = {g for g, _ in shown}
    return shown, [name for g, name in names.items() if g not in ids]


def values(row: Row, answer: int, groups: Sequence[tuple[str, str]]) -> list[int | None]:
    """The organisation's share of ``answer`` then each group's (None: withheld)."""
    cells = row.groups.get(DIMENSION, {})
    return [row.whole[answer] if row.whole else None,
            *[cells[g][answer] if g in cells else None for g, _ in groups]]


def share_text(value: int | None, lang: str) -> str:
    return t("chart.hidden", lang) if value is None else formatting.percent(value, lang)


def _table(doc: Document, first: str, lines: list[tuple[str, int | None, list[int | None]]],
           groups: Sequence[tuple[str, str]], lang: str) -> None:
    """``lines``: (label, n or None, values as :func:`values` gives them); a table per
    :data:`GROUPS_PER_TABLE` groups, each with the label, n and the organisation."""
    for start in range(0, max(len(groups), 1), GROUPS_PER_TABLE):
        chunk = list(range(start, min(start + GROUPS_PER_TABLE, len(groups))))
        label_w = WIDTH - N_WIDTH - WHOLE_WIDTH - SHARE_WIDTH * len(chunk)
        doc.grid([first, t("dash.n", lang), t("groups.organisation", lang),
                  *[groups[i][1] for i in chunk]],
                 [[label, "" if n is None else formatting.number(n, lang),
                   *[share_text(v[i], lang) for i in (0, *(c + 1 for c in chunk))]]
                  for label, n, v in lines],
                 (label_w, N_WIDTH, WHOLE_WIDTH, *[SHARE_WIDTH] * len(chunk)),
                 ["LEFT"] + ["RIGHT"] * (2 + len(chunk)), 7.5)


def rows_table(doc: Document, rows: Sequence[Row], groups: Sequence[tuple[str, str]],
               lang: str) -> None:
    """Module rows: a domain's row (marked ▸) and its questions', the share who report it."""
    _table(doc, t("extras.question", lang),
           [(("▸ " if r.is_domain else "") + r.label, r.n, values(r, 0, groups)) for r in rows],
           groups, lang)


def question_table(doc: Document, row: Row, groups: Sequence[tuple[str, str]],
                   lang: str) -> None:
    """An own question: its text, then the share of each answer."""
    doc.paragraph(row.label, 9.5, bold=True)
    _table(doc, t("extras.answer", lang),
           [(answer, row.n if i == 0 else None, values(row, i, groups))
            for i, answer in enumerate(row.answers)], groups, lang)


def domains(block: ModuleBlock) -> list[list[Row]]:
    """A module's rows per domain: the domain's row first, then its questions'."""
    found: list[list[Row]] = []
    for row in block.rows:
        if row.is_domain or not found:
            found.append([])
        found[-1].append(row)
    return found


def hidden_note(doc: Document, hidden: Sequence[str], lang: str) -> None:
    dimension = t(f"groups.dim.{DIMENSION}", lang)
    doc.paragraph(t("report.conf_hidden", lang, dimension=dimension, groups=", ".join(hidden))
                  if hidden else t("report.conf_none_hidden", lang, dimension=dimension), 8.5,
                  muted=True)


def section(doc: Document, view: ExtrasView, names: dict[str, str], threshold: int,
            lang: str) -> None:
    """The organisation report's section: each module (title, scoring rule, its rows), then
    the own questions, then what is withheld and why."""
    doc.heading(t("extras.title", lang), room=60)
    if not view.shown:
        doc.paragraph(t("extras.none_shown", lang, min=threshold), muted=True)
        return
    groups, hidden = department_columns(view.rows(), names)
    for block in view.modules:
        doc.heading(block.title, 2, room=50)
        doc.paragraph(block.scoring, 8.5, muted=True)
        rows_table(doc, block.rows, groups, lang)
    if view.questions:
        doc.heading(t("own_questions.title", lang), 2, room=40)
        for row in view.questions:
            question_table(doc, row, groups, lang)
    doc.paragraph(t("extras.help", lang, min=threshold), 8, muted=True)
    doc.paragraph(t("extras.groups_help", lang), 8, muted=True)
    hidden_note(doc, hidden, lang)
