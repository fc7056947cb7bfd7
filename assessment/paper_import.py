"""Answers from paper questionnaires (or another tool) imported into an open round, all or nothing.

The template (:func:`template_csv`, :func:`template_xlsx`) has one row per questionnaire and the
columns of :func:`columns`: ``sheet`` (the number whoever types the answers in writes on the
sheet), one column per item id (1 to 5, the boxes from left to right; empty when not ticked),
``department`` (the department's name as the organisation spells it), ``age_band`` and
``contract_type`` (a code of the questionnaire or its label in any of our languages) and
``open_answer``. Headers are matched ignoring case and spaces around them; the column order is
free; rows above the header whose first cell starts with ``#`` (the template's explanation) and
empty rows are skipped. A CSV may be separated by commas, semicolons (Excel in Belgium) or tabs
and must be UTF-8; an XLSX is read from its first sheet. The file is read by
:mod:`assessment.spreadsheet` within the limits of :mod:`assessment.upload_limits` (the upload's
size, the workbook unpacked, rows with the empty ones, columns, cells, shared strings: a small
upload must not cost minutes or gigabytes); a cell holding a formula without a saved result is
refused with its row and column, not read as no answer.

:func:`import_responses` parses and checks every row first. The answers go through
:func:`assessment.responses.validate_submission`, the online survey's own rules, and are scored
by :func:`assessment.scoring.score_response` and stored by
:func:`assessment.responses.store_response` with the id of its import (which makes it a response
of channel paper), so an imported response is stored and scored exactly like one sent online.
Any problem refuses the whole file: every problem is reported with its row (as the spreadsheet
numbers it) and column, nothing is stored.
So are a file imported before into any round of the organisation (the SHA-256 of its normalised
rows, so the same rows saved as CSV or XLSX are one file) and a sheet number already imported
into this round. Only an open round takes an import: a closed round's figures must not change.

**Answers typed in twice** (issue 28): a row whose answers (every item, the background answers
as stored, the open answer as stored; not the sheet number) are exactly those of an earlier row
of the file or of a response imported into this round before stops the import, listed by row,
until the importer confirms it (:class:`RepeatedAnswersError`): the same sheets typed in again
under new numbers were counted twice. It asks rather than refuses because two people can give
the very same answers (all 3s; a sheet with three answers), and a refusal would leave no way to
import their sheets; it does not simply warn because a repeat is far more often one sheet
typed twice. The confirmation names the file (its :func:`fingerprint`), so it holds for that
file only. Nothing new is stored to find repeats: they are compared with the round's imported
responses themselves (read inside the import's transaction, by m019's index of them), not
with a hash per answer set, which would be a second copy of every answer set to protect, keep
and delete. Online responses are never compared: whoever imports is taken to know the paper
answers already (:mod:`assessment.confidentiality` counts them as known), not the online ones.

Privacy decisions: each response's date is the day of the import; the sheet numbers are kept
per round in ``imported_sheets``, apart from the responses and without the import they came
with, only to refuse a sheet twice; the audit log gets the number of rows, never content.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import audit, exports, packed_answers
from .access import EDIT_ORGANISATION, Scope
from .errors import InputError, Problem
from .i18n import t
from .organisations import Organisation
from .questionnaire import DEPARTMENT, POINTS, Questionnaire
from .responses import store_response, validate_submission
from .rounds import OPEN, get_round, read_round
from .scoring import score_response
from .spreadsheet import COMMENT, read_table
from .storage import write_transaction
from .text import clean_line, clean_paragraphs
from .upload_limits import MAX_ROWS, CellProblem, limited

MAX_SHEET = 999_999
SHEET, OPEN_ANSWER = "sheet", "open_answer"


@dataclass(frozen=True)
class ImportResult:
    import_id: int
    rows: int


class RepeatedAnswersError(InputError):
    """Rows with exactly the answers of another row of the file or of a response imported
    into the round before; nothing was stored. The import goes ahead when called again with
    ``confirm_repeats`` set to :attr:`fingerprint`, the file's (:func:`fingerprint`), once the
    importer has checked the paper sheets: a confirmation, not a refusal, since two people may
    answer alike (see the module's docstring)."""

    def __init__(self, problems: list[Problem], fingerprint: str):
        super().__init__(problems)
        self.fingerprint = fingerprint


def columns(questionnaire: Questionnaire) -> list[str]:
    """The template's columns, in its order."""
    return [SHEET, *(i.id for i in questionnaire.items),
            *(q.id for q in questionnaire.background), OPEN_ANSWER]


def explanation(questionnaire: Questionnaire, org: Organisation, lang: str
                ) -> list[tuple[str, str]]:
    """(column, what it takes) for every column of the template, in the user's language."""
    scales = questionnaire.answer_scales.values()
    first = " / ".join(s.labels[0](lang) for s in scales)
    last = " / ".join(s.labels[-1](lang) for s in scales)
    rows = [(SHEET, t("paper.col_sheet", lang, max=MAX_SHEET))]
    items = questionnaire.items
    rows.append((f"{items[0].id} … {items[-1].id}",
                 t("paper.col_items", lang, max=POINTS, first=first, last=last)))
    for question in questionnaire.background:
        if question.from_organisation:
            names = ", ".join(d.name for d in org.departments) or "—"
            rows.append((question.id, t("paper.col_department", lang, names=names)))
        else:
            options = ", ".join(f"{o.code} ({o.label(lang)})" for o in question.options)
            rows.append((question.id, t("paper.col_options", lang, options=options)))
    rows.append((OPEN_ANSWER, t("paper.col_open", lang,
                                max=questionnaire.open_question.max_chars)))
    return rows


def template_csv(questionnaire: Questionnaire, org: Organisation, lang: str) -> bytes:
    """The CSV template: explanation rows starting with ``#``, then the header row; separated
    as ``lang``'s spreadsheet expects (``;`` in Dutch and French, which the import reads as it
    reads ``,``), so that Excel opens it in columns."""
    notes = [[f"{COMMENT} {column}: {text}"] for column, text in
             explanation(questionnaire, org, lang)]
    return exports.csv_bytes([f"{COMMENT} {t('paper.template_title', lang, max=MAX_ROWS)}"],
                             [*notes, columns(questionnaire)], lang)


def template_xlsx(questionnaire: Questionnaire, org: Organisation, lang: str) -> bytes:
    """The XLSX template: the header row on the first sheet (read by the import), the
    explanation of every column on the second."""
    out = io.BytesIO()
    notes = pd.DataFrame(explanation(questionnaire, org, lang),
                         columns=[t("paper.column", lang), t("paper.values", lang)])
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        exports.neutralise_frame(pd.DataFrame(columns=columns(questionnaire))).to_excel(
            writer, sheet_name=t("paper.sheet_answers", lang), index=False)
        exports.neutralise_frame(notes).to_excel(
            writer, sheet_name=t("paper.sheet_explanation", lang), index=False)
        sheet = writer.sheets[t("paper.sheet_explanation", lang)]
        sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 18, 120
    return out.getvalue()


def _check_header(header: list[str], expected: list[str]) -> None:
    """:raises InputError: naming missing, unknown and repeated columns."""
    problems = []
    while header and not header[-1]:
        header = header[:-1]
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    unknown = [c or "?" for c in header if c not in expected]
    missing = [c for c in expected if c not in header]
    if missing:
        problems.append(Problem("file", "paper.file_missing_columns",
                                {"columns": ", ".join(missing)}))
    if unknown:
        problems.append(Problem("file", "paper.file_unknown_columns",
                                {"columns": ", ".join(unknown)}))
    if repeated:
        problems.append(Problem("file", "paper.file_repeated_columns",
                                {"columns": ", ".join(repeated)}))
    if problems:
        raise InputError(problems)


# --- checking rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int  # as the spreadsheet numbers it
    sheet: int
    answers: dict[str, int]
    background: dict[str, object]
    open_answer: str


def _lookup(questionnaire: Questionnaire, org: Organisation) -> dict[str, dict[str, object]]:
    """Per background column, every accepted spelling (folded) → the stored value: department
    names → their id; codes and labels in every language → the code."""
    found: dict[str, dict[str, object]] = {}
    for question in questionnaire.background:
        if question.from_organisation:
            found[question.id] = {_fold(d.name): d.id for d in org.departments}
        else:
            found[question.id] = {_fold(text): o.code for o in question.options
                                  for text in (o.code, *o.label.all())}
    return found


def _fold(text: str) -> str:
    return clean_line(text).casefold()


def _shown(text: str, limit: int = 40) -> str:
    """A cell's text as a message quotes it: one line, at most ``limit`` characters."""
    line = clean_line(text)
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _answer(text: str) -> object:
    """A cell's answer: a whole number as ``int`` ("3", "3.0"), anything else as typed, for
    :func:`validate_submission` to judge."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(number) if number.is_integer() else text


# How validate_submission's problems read in an import: (key, the column the problem is in).
_ANSWER_KEYS = {"error.answer_value": "paper.answer_value", "error.no_answers": "paper.no_answers",
                "error.open_too_long": "paper.open_too_long"}


def _check_row(number: int, cells: dict[str, str], questionnaire: Questionnaire,
               lookup: dict[str, dict[str, object]], problems: list[Problem]) -> _Row | None:
    """The row's values, or ``None`` after adding its problems to ``problems``."""
    before = len(problems)
    sheet = _answer(cells[SHEET])
    if not (isinstance(sheet, int) and 1 <= sheet <= MAX_SHEET):
        problems.append(CellProblem(SHEET, "paper.sheet_value" if cells[SHEET]
                                    else "paper.sheet_missing",
                                    {"value": _shown(cells[SHEET])}, number, SHEET))
    answers = {item.id: _answer(cells[item.id]) for item in questionnaire.items
               if cells[item.id]}
    background: dict[str, object] = {}
    for column, spellings in lookup.items():
        if cells[column]:
            value = spellings.get(_fold(cells[column]))
            if value is None:
                key = "paper.department_value" if column == DEPARTMENT else "paper.option_value"
                problems.append(CellProblem(column, key, {"value": _shown(cells[column])}, number,
                                            column))
            else:
                background[column] = value
    open_answer = cells[OPEN_ANSWER]
    for problem in validate_submission(questionnaire, answers, background, open_answer):
        column = OPEN_ANSWER if problem.field == "open" else (
            "" if problem.field == "answers" else problem.field)
        params = {"value": _shown(cells.get(column, "")), "max": POINTS, **problem.params}
        problems.append(CellProblem(column, _ANSWER_KEYS.get(problem.key, problem.key), params,
                                    number, column))
    if len(problems) > before:
        return None
    return _Row(number, sheet, answers, background, open_answer)


def check_rows(data: bytes, filename: str, questionnaire: Questionnaire, org: Organisation
               ) -> list[_Row]:
    """Every row of the file checked, or nothing.

    :raises InputError: for a broken file (:func:`read_table`, wrong columns) or, listing at
      most :data:`MAX_SHOWN` of them and the count of the rest, every problem of every row:
      an answer that is not 1 to 5, an unknown department or option, an open answer that is
      too long, a row without any answer, a missing, invalid or repeated sheet number.
    """
    header, body = read_table(data, filename)
    expected = columns(questionnaire)
    _check_header(header, expected)
    lookup = _lookup(questionnaire, org)
    problems: list[Problem] = []
    rows: list[_Row] = []
    first_row: dict[int, int] = {}
    for number, values in body:
        cells = dict.fromkeys(expected, "")
        cells.update({c: v for c, v in zip(header, values, strict=False) if c})
        row = _check_row(number, cells, questionnaire, lookup, problems)
        sheet = _answer(cells[SHEET])
        if isinstance(sheet, int) and sheet in first_row:
            problems.append(CellProblem(SHEET, "paper.sheet_repeated",
                                        {"value": sheet, "first": first_row[sheet]}, number, SHEET))
        elif isinstance(sheet, int):
            first_row[sheet] = number
        if row is not None:
            rows.append(row)
    if problems:
        raise limited(problems)
    return rows


def _answer_set(answers: dict[str, int], background: dict[str, object], open_answer: str
                ) -> list:
    """A questionnaire's answers as one comparable value, its sheet number left out: every item
    answer, the background answers as stored (a department's id, an option's code) and the
    open answer as stored."""
    return [sorted(answers.items()), sorted((k, str(v)) for k, v in background.items()
                                            if v is not None), clean_paragraphs(open_answer)]


def fingerprint(rows: list[_Row]) -> str:
    """SHA-256 of the rows' checked values, ordered by sheet number: the same answers saved as
    CSV or XLSX, with other spellings of a label or in another row order, are one file."""
    canonical = sorted([r.sheet, *_answer_set(r.answers, r.background, r.open_answer)]
                       for r in rows)
    return hashlib.sha256(json.dumps(canonical).encode("utf-8")).hexdigest()


def _repeats(db, round_id: int, rows: list[_Row]) -> list[Problem]:
    """The rows whose answers (:func:`_answer_set`) are those of a response imported into the
    round before or of an earlier row of the file. Only imported responses are read (with the
    partial index of m019), never online ones."""
    items = packed_answers.layout(db, round_id)
    imported = {json.dumps(_answer_set(packed_answers.unpack(packed, items), {
        DEPARTMENT: department, "age_band": age_band, "contract_type": contract}, text or ""))
        for department, age_band, contract, text, packed in db.execute(
            "select department_id, age_band, contract_type, open_answer, answers "
            "from responses where round_id = ? and import_id is not null", [round_id])}
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for row in rows:
        key = json.dumps(_answer_set(row.answers, row.background, row.open_answer))
        if key in imported:
            problems.append(CellProblem("", "paper.row_imported_before", {}, row.number))
        elif key in first:
            problems.append(CellProblem("", "paper.row_repeated", {"first": first[key]},
                                        row.number))
        else:
            first[key] = row.number
    return problems


# --- storing -------------------------------------------------------------------------------


def import_responses(ctx, scope: Scope, org: Organisation, round_id: int,
                     questionnaire: Questionnaire,
                     data: bytes, filename: str, *, today: date | None = None,
                     confirm_repeats: str = "") -> ImportResult:
    """Check every row of an uploaded file and store all its responses in one transaction,
    with one audit entry giving their number.

    :raises AccessDenied: unless ``scope`` may edit ``org``.
    :raises InputError: for a broken file or any problem in any row (:func:`check_rows`), a
      round that is not ``org``'s or not open, a file imported before into a round of ``org``,
      a sheet number already imported into this round, or departments changed meanwhile;
      nothing is stored then.
    :raises RepeatedAnswersError: for rows with the very answers of another row or of a response
      imported into this round before, unless ``confirm_repeats`` is the file's
      :attr:`RepeatedAnswersError.fingerprint` (the importer checked the paper sheets).
    :raises ValueError: when ``questionnaire`` is not the round's questionnaire version.
    """
    scope.require_organisation(org.id, EDIT_ORGANISATION)
    today = today or ctx.today
    survey_round = get_round(ctx, round_id)
    if survey_round is None or survey_round.organisation_id != org.id:
        raise InputError([Problem("round", "error.unknown_round")])
    if (survey_round.questionnaire_id, survey_round.questionnaire_version) != (
            questionnaire.id, questionnaire.version):
        raise ValueError("the questionnaire does not match the round's questionnaire version")
    rows = check_rows(data, filename, questionnaire, org)
    digest = fingerprint(rows)
    scored = [(row, *score_response(questionnaire, row.answers)) for row in rows]
    with write_transaction(ctx) as db:
        _check_still_allowed(db, org, round_id, digest, rows, today)
        repeats = _repeats(db, round_id, rows)
        if repeats and confirm_repeats != digest:
            raise RepeatedAnswersError(limited(repeats).problems, digest)
        import_id = db["response_imports"].insert({
            "round_id": round_id, "imported_on": today.isoformat(), "rows": len(rows),
            "file_sha256": digest}).last_pk
        db.executemany("insert into imported_sheets (round_id, sheet) values (?, ?)",
                            [(round_id, sheet) for sheet in sorted(r.sheet for r in rows)])
        for row, results, is_werkbaar in scored:
            store_response(db, round_id, row.answers, results, is_werkbaar, row.background,
                           row.open_answer, today, secrets.randbits(62), import_id=import_id)
        audit.record_in(db, scope, audit.RESPONSES_IMPORTED,
                        audit.round_subject(org, survey_round), str(len(rows)))
    return ImportResult(import_id, len(rows))


def _check_still_allowed(db, org: Organisation, round_id: int, digest: str, rows: list[_Row],
                         today: date) -> None:
    """Inside the write transaction: the round still open, the file and its sheets new, the
    departments those the rows were checked against.

    :raises InputError: otherwise.
    """
    survey_round = read_round(db, round_id)
    if survey_round is None or survey_round.status(today) != OPEN:
        raise InputError([Problem("round", "paper.round_not_open")])
    before = db.execute(
        "select r.title from response_imports i join survey_rounds r "
        "on r.id = i.round_id where i.file_sha256 = ? and r.organisation_id = ?",
        [digest, org.id]).fetchone()
    if before:
        raise InputError([Problem("file", "paper.file_imported_before",
                                  {"round": before[0]})])
    taken = {s for (s,) in db.execute("select sheet from imported_sheets where round_id = ?",
                                      [round_id])}
    again = sorted({r.sheet for r in rows} & taken)
    if again:
        raise limited([Problem(SHEET, "paper.sheet_imported_before", {"value": s})
                        for s in again])
    current = {d for (d,) in db.execute("select id from departments where organisation_id = ?",
                                        [org.id])}
    if {d.id for d in org.departments} != current:
        raise InputError([Problem("department", "paper.departments_changed")])

