"""Survey rounds and their single-use invitation links.

A round belongs to one organisation, uses one questionnaire version, and is open from
``opens_on`` to ``closes_on`` (inclusive) unless the employer closes it early.

An invitation token is 256 random bits, shown to the employer once (to hand out or download as
CSV) and stored only as its SHA-256 hash with a ``used`` flag. A token proves "may answer
once"; nothing links it to the answers it was used for.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from . import clock, exports, packed_answers
from .errors import InputError, Problem
from .i18n import LANGUAGES
from .questionnaire import Questionnaire
from .storage import connection, write_transaction
from .text import clean_line

MAX_INVITATIONS = 5_000
MAX_TITLE = 120
SCHEDULED, OPEN, CLOSED = "scheduled", "open", "closed"
# How an invitation reaches an employee, and how a response came in: a link handed out by the
# employer, a printed slip (QR code and short code), an e-mail the platform sends (the
# employer never sees its link), a paper questionnaire imported afterwards.
LINK, SLIP, EMAIL, PAPER = "link", "slip", "email", "paper"
CHANNELS = (LINK, SLIP, EMAIL, PAPER)


@dataclass(frozen=True)
class SurveyRound:
    id: int
    organisation_id: int
    title: str
    questionnaire_id: str
    questionnaire_version: int
    opens_on: date
    closes_on: date
    closed_early_on: date | None
    invited: int  # invitations made (links, slips, e-mails), purged ones included
    responses: int
    paper: int = 0  # responses imported from paper questionnaires
    languages: tuple[str, ...] = LANGUAGES  # the languages the survey offers, in app order
    # the organisation's own group-size setting, read with the round: the threshold of every
    # figure of this round comes from it (confidentiality.threshold), never from a caller
    min_group_size: int | None = None
    # modules and own questions added when it opened, as stored (assessment.round_extras)
    extras: str | None = None

    @property
    def reached(self) -> int:
        """Whom the round reached, the base of its response rate: the invitations made and
        the paper questionnaires that came back (how many were handed out is not recorded, so
        a paper return counts as reached and answered; the rate never passes 100%)."""
        return self.invited + self.paper

    def status(self, today: date | None = None) -> str:
        today = today or clock.today()
        if self.closed_early_on or today > self.closes_on:
            return CLOSED
        return SCHEDULED if today < self.opens_on else OPEN


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_round(ctx,
    organisation_id: int, title: str, opens_on: date, closes_on: date,
    questionnaire: Questionnaire, *, languages: tuple[str, ...] = LANGUAGES,
        today: date | None = None, extras: str | None = None,
) -> int:
    """Create a survey round offering the survey in ``languages`` and return its id;
    ``extras``: its modules and own questions (:func:`assessment.round_extras.to_stored`).

    :raises InputError: for an empty title, a closing date before the opening date or in the
      past, no language or one we do not speak, or an unknown organisation; nothing is stored
      then.
    """
    today = today or ctx.today
    problems = []
    if not clean_line(title):
        problems.append(Problem("title", "error.title_empty"))
    elif len(clean_line(title)) > MAX_TITLE:
        problems.append(Problem("title", "error.name_too_long", {"max": MAX_TITLE}))
    if not languages or set(languages) - set(LANGUAGES):
        problems.append(Problem("languages", "error.languages"))
    if closes_on < opens_on:
        problems.append(Problem("closes_on", "error.closes_before_opens"))
    elif closes_on < today:
        problems.append(Problem("closes_on", "error.closes_in_past"))
    if problems:
        raise InputError(problems)
    with write_transaction(ctx) as db:
        if not db.execute("select 1 from organisations where id = ?", [organisation_id]).fetchone():
            raise InputError([Problem("organisation", "error.unknown_organisation")])
        round_id = db["survey_rounds"].insert({
            "organisation_id": organisation_id,
            "title": clean_line(title),
            "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version,
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "closed_early_on": None,
            "created_on": today.isoformat(),
            "languages": stored_languages(languages),
            "extras": extras,
        }).last_pk
        packed_answers.ensure_layout(db, questionnaire)
        return round_id


def close_round(ctx, round_id: int, *, today: date | None = None) -> None:
    """Close a round now: its unused links stop working."""
    with write_transaction(ctx) as db:
        db.execute(
            "update survey_rounds set closed_early_on = ? where id = ? and closed_early_on is null",
            [(today or ctx.today).isoformat(), round_id],
        )


_ROUND_SQL = """
select r.*,
  (select count(*) from invitations i where i.round_id = r.id)
    + coalesce(r.invitations_purged, 0) as invited,
  (select o.min_group_size from organisations o where o.id = r.organisation_id)
    as min_group_size,
  (select count(*) from responses p where p.round_id = r.id) as responses,
  (select count(*) from responses p where p.round_id = r.id and p.import_id is not null)
    as paper
from survey_rounds r
"""


def _round(row: dict) -> SurveyRound:
    return SurveyRound(
        id=row["id"], organisation_id=row["organisation_id"], title=row["title"],
        questionnaire_id=row["questionnaire_id"],
        questionnaire_version=row["questionnaire_version"],
        opens_on=date.fromisoformat(row["opens_on"]),
        closes_on=date.fromisoformat(row["closes_on"]),
        closed_early_on=date.fromisoformat(row["closed_early_on"])
        if row["closed_early_on"] else None,
        invited=row["invited"], responses=row["responses"], paper=row["paper"],
        languages=offered_languages(row.get("languages")),
        min_group_size=row["min_group_size"], extras=row.get("extras"),
    )


def stored_languages(languages) -> str | None:
    """A round's languages as stored: None when it offers them all (so a language added to
    the app later is offered by the rounds that offered every language)."""
    given = set(languages)
    chosen = [lang for lang in LANGUAGES if lang in given]
    return None if chosen == list(LANGUAGES) else " ".join(chosen)


def offered_languages(stored: str | None) -> tuple[str, ...]:
    """The languages a round offers, from its stored column; a language since removed from
    the app is left out, and a round left with none offers every language."""
    chosen = tuple(lang for lang in LANGUAGES if lang in (stored or "").split())
    return chosen or LANGUAGES


def list_rounds(ctx, organisation_id: int) -> list[SurveyRound]:
    """The organisation's rounds, newest first, with their invitation and response counts."""
    with connection(ctx) as db:
        rows = db.query(
            _ROUND_SQL + " where r.organisation_id = ? order by r.opens_on desc, r.id desc",
            [organisation_id],
        )
        return [_round(row) for row in rows]


def get_round(ctx, round_id: int) -> SurveyRound | None:
    with connection(ctx) as db:
        return read_round(db, round_id)


def read_round(db, round_id: int) -> SurveyRound | None:
    """:func:`get_round` on the caller's connection ``db``, e.g. inside a write transaction."""
    row = next(db.query(_ROUND_SQL + " where r.id = ?", [round_id]), None)
    return _round(row) if row else None


def create_invitations(ctx, round_id: int, count: int, *, channel: str = LINK
                       ) -> list[str]:
    """Create ``count`` single-use tokens for a round and return them in clear, once;
    ``channel`` (one of :data:`CHANNELS` but paper) is how they will reach the employees.

    :raises InputError: when ``count`` is not a whole number from 1 to 5,000, or the round is
      unknown.
    """
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_INVITATIONS:
        raise InputError([Problem("count", "error.invitation_count", {"max": MAX_INVITATIONS})])
    if channel not in (LINK, SLIP, EMAIL):
        raise ValueError(f"no invitations for channel {channel!r}")
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    with write_transaction(ctx) as db:
        if not db.execute("select 1 from survey_rounds where id = ?", [round_id]).fetchone():
            raise InputError([Problem("round", "error.unknown_round")])
        db.executemany(
            "insert into invitations (token_hash, round_id, used, channel) values (?, ?, 0, ?)",
            [(hash_token(tok), round_id, channel) for tok in tokens],
        )
    return tokens


def channel_counts(ctx, round_id: int) -> dict[str, dict[str, int]]:
    """Per channel (:data:`CHANNELS`), how many invitations were made (``invited``; paper has
    none) and how many responses came in (``responses``): the used invitations of the channel,
    the imported responses for paper. Invitations from before channels were recorded, and those
    removed by ``werkbaar purge`` (with their responses), count as links. Which counts may be
    shown is :func:`assessment.results.channel_response`."""
    counts = {c: {"invited": 0, "responses": 0} for c in CHANNELS}
    with connection(ctx) as db:
        for channel, n, used in db.execute(
            "select coalesce(channel, 'link'), count(*), sum(used) from invitations "
            "where round_id = ? group by 1", [round_id]):
            counts[channel] = {"invited": n, "responses": used}
        purged = db.execute("select coalesce(invitations_purged, 0) from survey_rounds "
                            "where id = ?", [round_id]).fetchone()
        counts[LINK]["invited"] += purged[0] if purged else 0
        total, imported = db.execute("select count(*), count(import_id) from responses "
                                     "where round_id = ?", [round_id]).fetchone()
    counts[PAPER]["responses"] = imported
    counts[LINK]["responses"] = total - imported - counts[SLIP]["responses"] \
        - counts[EMAIL]["responses"]
    return counts


def links_outnumber_headcount(links: int, headcount: int | None) -> bool:
    """Whether a round has more links than the organisation has employees. The extra links let
    whoever holds them answer more than once, which weakens everyone's anonymity (answers of
    one person counted as several make small groups look big enough to show). An unknown
    headcount warns of nothing."""
    return headcount is not None and links > headcount


def invitation_link(base_url: str, token: str, lang: str | None = None) -> str:
    """``<base_url>/s/<token>``: the survey's own page (:mod:`assessment.web.survey`); the
    token is quoted (ours are URL-safe base64 and come out unchanged). With ``lang`` (an
    e-mail written in that language) the survey opens in it: ``?lang=fr``."""
    tail = f"?lang={lang}" if lang in LANGUAGES else ""
    return f"{base_url.rstrip('/')}/s/{quote(token, safe='')}{tail}"


def links_csv(base_url: str, tokens: list[str], lang: str) -> bytes:
    """A CSV for ``lang``'s spreadsheet (``;`` in Dutch and French, ``,`` in English; UTF-8
    with BOM, so Excel opens it in columns) with one numbered link per row, text cells
    neutralised (:mod:`assessment.exports`)."""
    return exports.csv_bytes(["nr", "link"], ((n, invitation_link(base_url, token))
                                              for n, token in enumerate(tokens, 1)), lang)
