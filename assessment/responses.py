"""The respondent's side: check an invitation token, then validate, score and store answers.

:func:`submit_response` is the one write path for a response. It validates and scores before
taking the write lock, then, inside one write transaction (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL the advisory write lock of :mod:`assessment.storage`), marks the token used — a
conditional update, only if it was still unused and its round open — and stores the response,
its answers and its scale scores. With one writer at a time there is no serialisation failure
to retry. Either all of that lands or none of it: a second submit with the same token, a
double click included, finds the token used and stores nothing.

The stored response has a random id (no submission order) and a date without time, and no
column that refers to the token.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from . import logs, packed_answers
from .codes import SlipCode
from .errors import InputError, Problem
from .questionnaire import DEPARTMENT, Questionnaire
from .rounds import OPEN, SCHEDULED, SurveyRound, hash_token, offered_languages
from .scoring import ScaleResult, score_response
from .storage import connection, write_transaction
from .text import clean_paragraphs

log = logging.getLogger(__name__)

# A link's token is 43 characters (``secrets.token_urlsafe(32)``); anything much shorter is
# refused before the lookup, which keeps slips' short codes out of a link's address.
MIN_TOKEN = 40
# Why a token cannot be used; each is also an i18n key suffix ("invitation.<reason>").
UNKNOWN, USED, CLOSED, NOT_YET_OPEN = "unknown", "used", "closed", "not_yet_open"


class InvitationError(Exception):
    """The token cannot be used to answer: ``reason`` is one of unknown, used, closed,
    not_yet_open."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Invitation:
    """A valid, unused token's round and the department choices its organisation offers."""

    round: SurveyRound
    departments: tuple[tuple[int, str], ...]


_INVITATION_SQL = """
select i.used, r.id, r.organisation_id, r.title,
  r.questionnaire_id, r.questionnaire_version, r.opens_on, r.closes_on, r.closed_early_on,
  r.languages, r.extras
from invitations i join survey_rounds r on r.id = i.round_id
where i.token_hash = ?
"""


def _lookup(token: str | SlipCode) -> str:
    """The ``token_hash`` to look up: a slip's code that passed the limit of
    :func:`assessment.codes.redeem` (a :class:`SlipCode`), or a link's token of at least
    :data:`MIN_TOKEN` characters (a code, or ``"code:" + code``, given as a string in
    a link's address (``/s/<token>``) would dodge that limit, so short strings are refused).

    :raises InvitationError: unknown, for anything else.
    """
    if isinstance(token, SlipCode):
        return token.lookup
    if not isinstance(token, str) or not MIN_TOKEN <= len(token) <= 200:
        raise InvitationError(UNKNOWN)
    return hash_token(token)


def _usable_round(db, token: str | SlipCode, today: date) -> SurveyRound:
    """The open round of an unused token (or slip code), read on connection ``db``.

    :raises InvitationError: unknown, used, closed or not yet open.
    """
    row = db.execute(_INVITATION_SQL, [_lookup(token)]).fetchone()
    if row is None:
        raise InvitationError(UNKNOWN)
    if row[0]:
        raise InvitationError(USED)
    survey_round = SurveyRound(
        id=row[1], organisation_id=row[2], title=row[3], questionnaire_id=row[4],
        questionnaire_version=row[5], opens_on=date.fromisoformat(row[6]),
        closes_on=date.fromisoformat(row[7]),
        closed_early_on=date.fromisoformat(row[8]) if row[8] else None,
        invited=0, responses=0,  # not needed here; counting would cost every submit
        languages=offered_languages(row[9]), extras=row[10],
    )
    status = survey_round.status(today)
    if status != OPEN:
        raise InvitationError(NOT_YET_OPEN if status == SCHEDULED else CLOSED)
    return survey_round


def _departments(db, organisation_id: int) -> tuple[tuple[int, str], ...]:
    return tuple(db.execute(
        "select id, name from departments where organisation_id = ? order by lower(name)",
        [organisation_id],
    ).fetchall())


def check_invitation(ctx, token: str | SlipCode, *, today: date | None = None) -> Invitation:
    """Resolve a token to its open round, without using it up.

    :raises InvitationError: when the token is unknown (mistyped or forged), already used, or
      its round is closed or not open yet.
    """
    with connection(ctx) as db:
        survey_round = _usable_round(db, token, today or ctx.today)
        return Invitation(survey_round, _departments(db, survey_round.organisation_id))


def validate_submission(
    questionnaire: Questionnaire, answers: Mapping[str, int], background: Mapping[str, object],
    open_answer: str,
) -> list[Problem]:
    """Every problem with a submission that can be told without the database, as translatable
    messages. (Whether a department belongs to the organisation is checked on storing.)"""
    problems = []
    items = {i.id: len(questionnaire.answer_scales[i.answer_scale].labels)
             for i in questionnaire.items}  # item → its number of answers
    for item_id, value in answers.items():
        if item_id not in items:
            problems.append(Problem(item_id, "error.unknown_item", {"item": item_id}))
        elif isinstance(value, bool) or not isinstance(value, int) or not (
                1 <= value <= items[item_id]):
            problems.append(Problem(item_id, "error.answer_value", {"item": item_id}))
    if not any(item in answers for item in items):
        problems.append(Problem("answers", "error.no_answers"))
    for question in questionnaire.background:
        value = background.get(question.id)
        if value is None:
            continue
        if question.from_organisation:
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(Problem(question.id, "error.background_value"))
        elif value not in {o.code for o in question.options}:
            problems.append(Problem(question.id, "error.background_value"))
    unknown_background = set(background) - {q.id for q in questionnaire.background}
    for key in sorted(unknown_background):
        problems.append(Problem(key, "error.unknown_item", {"item": key}))
    limit = questionnaire.open_question.max_chars
    if len(clean_paragraphs(open_answer)) > limit:
        problems.append(Problem(
            "open", "error.open_too_long",
            {"max": limit, "count": len(clean_paragraphs(open_answer))},
        ))
    return problems


def submit_response(ctx,
    token: str | SlipCode, questionnaire: Questionnaire, answers: Mapping[str, int],
    background: Mapping[str, object] | None = None, open_answer: str = "",
    *, lang: str | None = None, today: date | None = None,
) -> None:
    """Validate, score and store one response given in ``lang``, using up its token; log the
    round's id and a count (:func:`_log_submission`; never an answer, the token or the
    department).

    :raises InvitationError: when the token is unknown, used (also by a concurrent submit of
      the same token) or its round is not open; nothing is stored.
    :raises InputError: when an answer, background value or the open answer is invalid;
      nothing is stored and the token stays usable.
    :raises ValueError: when ``questionnaire`` is not the version the round was opened with.
    """
    today = today or ctx.today
    background = dict(background or {})
    problems = validate_submission(questionnaire, answers, background, open_answer)
    if problems:
        raise InputError(problems)
    results, is_werkbaar = score_response(questionnaire, answers)
    response_id = secrets.randbits(62)
    with write_transaction(ctx) as db:
        survey_round = _usable_round(db, token, today)
        if (survey_round.questionnaire_id, survey_round.questionnaire_version) != (
            questionnaire.id, questionnaire.version
        ):
            raise ValueError("the questionnaire does not match the round's questionnaire version")
        department = background.get(DEPARTMENT)
        if department is not None and department not in {
            d[0] for d in _departments(db, survey_round.organisation_id)
        }:
            raise InputError([Problem(DEPARTMENT, "error.background_value")])
        # conditional: even without the write lock, only one transaction can use the token
        if db.execute("update invitations set used = 1 where token_hash = ? and used = 0",
                      [_lookup(token)]).rowcount != 1:
            raise InvitationError(USED)
        store_response(db, survey_round.id, answers, results, is_werkbaar, background,
                       open_answer, today, response_id,
                       lang=lang if lang in survey_round.languages else None)
        db.after_commit.append(partial(_log_submission, survey_round.id))


_submitted: Counter[int] = Counter()  # per round, in this process
_counting = threading.Lock()


def _log_submission(round_id: int) -> None:
    """One log line per stored submission: the round and how many this process has stored for
    it since it started. Not the number of answers (it could tie the line's time of day to one
    stored response, which keeps only its date on purpose), and no count query under the write
    lock."""
    with _counting:
        _submitted[round_id] += 1
        count = _submitted[round_id]
    logs.event(log, logs.SUBMISSION, round_id=round_id, submissions_since_start=count)


def store_response(
    db, round_id: int, answers: Mapping[str, int], results: Mapping[str, ScaleResult],
    is_werkbaar: bool | None, background: Mapping[str, object], open_answer: str,
    submitted_on: date, response_id: int, *, import_id: int | None = None,
    lang: str | None = None,
) -> None:
    """Insert one validated, scored response on ``db``, inside the caller's write
    transaction; ``import_id`` is the import it belongs to (paper answers typed in), ``lang`` the
    language it was given in (never shown per group: no page breaks results down by it). A
    response records no channel: how many came in per channel is counted from the used
    invitations (:func:`assessment.rounds.channel_counts`), so no column tells which of a
    channel's few invitations a response came from. Used by :func:`submit_response`, by the
    import of paper answers and by the demo data. The answers are stored packed in the
    round's layout (:mod:`assessment.packed_answers`).

    :raises assessment.packed_answers.LayoutError: when an answer names an item outside the
      round's questionnaire (callers validate first, so this is a programming error)."""
    db.execute(
        "insert into responses (id, round_id, department_id, age_band, contract_type, "
        "open_answer, werkbaar, submitted_on, import_id, answers, lang) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            response_id, round_id, background.get(DEPARTMENT), background.get("age_band"),
            background.get("contract_type"), clean_paragraphs(open_answer) or None,
            None if is_werkbaar is None else int(is_werkbaar), submitted_on.isoformat(),
            import_id, packed_answers.pack(answers, packed_answers.layout(db, round_id)), lang,
        ],
    )
    db.executemany(
        "insert into response_scores (response_id, round_id, scale_id, score, level) "
        "values (?, ?, ?, ?, ?)",
        [(response_id, round_id, r.scale_id, r.score, r.level) for r in results.values()],
    )


def stored_answers(ctx, round_id: int) -> list[dict[str, int]]:
    """Every response's answers in a round (in no particular order), for re-scoring."""
    with connection(ctx) as db:
        items = packed_answers.layout(db, round_id)
        return [packed_answers.unpack(row[0], items) for row in db.execute(
            "select answers from responses where round_id = ?", [round_id])]
