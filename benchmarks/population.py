"""A seeded platform of organisations, rounds and responses at a chosen scale (10k, 100k, 1M
responses), built through the project's own code and schema, for the scale benchmark
(``benchmarks/scale.py``).

What is generated, per organisation (until the target number of responses is reached):

- a headcount from a skewed size mix (70% 10–49, 24% 50–249, 6% 250–2,000 people), 3–8
  departments, a sector (a joint committee with a matching NACE-BEL 2008 division, drawn from a
  list of Flemish sectors; about a third of organisations also have the white-collar committee
  200) and a full profile (:func:`assessment.profile.save_profile`);
- one closed round per year for one to three of the last three ended years
  (:func:`assessment.rounds.open_round` dated in the past), with invitations for the headcount
  (:func:`assessment.rounds.create_invitations`), answered by 45–85% of them;
- answers drawn around the demo profile with organisation and department shifts
  (:func:`assessment.demo.respondent_answers`), scored by :func:`assessment.scoring.score_response`
  and stored by :func:`assessment.responses.store_response` — the statements of the real submit
  path — in one transaction per round (bulk), with the invitations marked used;
- optionally (``large_round``) one more organisation whose one round has that many respondents.

Bulk, minutes not hours (1M responses in about 9 minutes on 2 busy cores): during the build
every connection of the project's functions is one shared connection without durability
(``synchronous = OFF``, ``journal_mode = OFF``) and with a 2 GB page cache, and the secondary
indexes of the responses, scores and invitations are created after the last insert. That is
only for this fixture (a crash means building it again); the file ends in WAL mode like any
other database.

:func:`verify` replays a sample of generated respondents through
:func:`assessment.responses.submit_response` (token check, validation, scoring, ``BEGIN
IMMEDIATE`` per submission) into a fresh database and checks that both paths stored the same
rows, so that the bulk build measures what the real app would have stored.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from assessment import storage  # noqa: E402
from assessment.context import Context
from assessment.demo import BASE, OPEN_ANSWERS, respondent_answers  # noqa: E402
from assessment.organisations import create_organisation  # noqa: E402
from assessment.profile import Profile, save_profile  # noqa: E402
from assessment.questionnaire import DEPARTMENT, Questionnaire  # noqa: E402
from assessment.responses import store_response, submit_response  # noqa: E402
from assessment.rounds import create_invitations, hash_token, open_round  # noqa: E402
from assessment.scoring import score_response  # noqa: E402
from assessment.sqlite_db import SqliteDatabase  # noqa: E402
from assessment.storage import connection, init_db, write_transaction  # noqa: E402

SEED = 20261127
# (joint committee, NACE section, NACE division, social profit): sectors of Flemish employers.
SECTORS = (
    ("330", "Q", "87", True), ("330", "Q", "86", True), ("331", "Q", "88", True),
    ("318", "Q", "88", True), ("319", "Q", "87", True), ("124", "F", "41", False),
    ("124", "F", "43", False), ("140", "H", "49", False), ("111", "C", "25", False),
    ("118", "C", "10", False), ("201", "G", "47", False), ("302", "I", "56", False),
    ("200", "M", "70", False), ("200", "J", "62", False), ("121", "N", "81", False),
)
DEPARTMENTS = ("Productie", "Logistiek", "Onderhoud", "Verkoop", "Administratie", "ICT",
               "Zorg", "Keuken", "Onthaal", "Planning")
AGE_BANDS = ("lt30", "30_39", "40_49", "50_54", "55plus")
AGE_WEIGHTS = (0.2, 0.25, 0.25, 0.13, 0.17)
CONTRACTS = ("permanent", "fixed_term", "other")
CONTRACT_WEIGHTS = (0.82, 0.12, 0.06)
LARGE = "Organisatie groot"  # the organisation of ``build``'s ``large_round``


@dataclass(frozen=True)
class Respondent:
    """One generated respondent's submission, as the survey page would send it."""

    answers: dict[str, int]
    background: dict[str, object]
    open_answer: str


def headcount(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.70:
        return rng.randint(10, 49)
    if draw < 0.94:
        return rng.randint(50, 249)
    return rng.randint(250, 2_000)


def respondents(rng: random.Random, questionnaire: Questionnaire, profile: dict[str, float],
                departments: list[int], n: int) -> Iterator[Respondent]:
    """``n`` submissions around ``profile``, each department with its own shift."""
    shifts = {d: {s: rng.gauss(0, 6) for s in BASE} for d in departments}
    for _ in range(n):
        department = rng.choice(departments)
        answers = respondent_answers(
            rng, questionnaire, {s: v + shifts[department][s] for s, v in profile.items()})
        background = {} if rng.random() < 0.1 else {
            DEPARTMENT: department,
            "age_band": rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
            "contract_type": rng.choices(CONTRACTS, CONTRACT_WEIGHTS)[0],
        }
        yield Respondent(answers, background,
                         rng.choice(OPEN_ANSWERS) if rng.random() < 0.2 else "")


# The indexes dropped while a database is bulk-built and created again at the end (their
# definitions are read from the schema, so a later migration's index is rebuilt too).
BULK_TABLES = ("responses", "response_scores", "invitations")


@contextmanager
def _bulk_connection(path: Path) -> Iterator[None]:
    """For the length of the block, every :func:`assessment.storage.connect` in this process
    returns one shared connection to ``path`` with durability off and a large page cache
    (``synchronous = OFF``, ``journal_mode = OFF``, 2 GB cache): a fixture that a crash would
    simply have built again, never a database the app writes to. The secondary indexes of the
    bulk tables are dropped first and created again, with ``ANALYZE``, at the end; the file is
    switched back to WAL."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    for pragma in ("foreign_keys = ON", "synchronous = OFF", "journal_mode = OFF",
                   "cache_size = -2000000", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    conn.isolation_level = ""  # sqlite3's default: DML opens a transaction, commit ends it
    indexes = conn.execute(
        "select name, sql from sqlite_master where type = 'index' and sql is not null and "
        f"tbl_name in ({', '.join('?' * len(BULK_TABLES))})", BULK_TABLES).fetchall()
    for name, _ in indexes:
        conn.execute(f"drop index {name}")

    class Shared(SqliteDatabase):
        def close(self) -> None:  # the block's callers each "close" it: kept open
            pass

    real = storage.connect
    storage.connect = lambda _path=None: Shared(conn)
    try:
        yield
    finally:
        storage.connect = real
        conn.commit()
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("ANALYZE")
        conn.commit()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()


def build(path: Path, target: int, questionnaire: Questionnaire, *, seed: int = SEED,
          today: date | None = None, large_round: int = 0, progress=None) -> dict[str, int]:
    """Build a database of about ``target`` responses at ``path`` (which must not exist).
    ``large_round``: also one organisation of that many people with one closed round last year
    that all of them answered (at most 5,000, the invitations' limit), for the dashboard of a
    round that size. Returns the counts of what was made."""
    today = today or date.today()
    init_db(path)
    rng = random.Random(seed)
    years = [today.year - 3, today.year - 2, today.year - 1]
    made = {"organisations": 0, "rounds": 0, "responses": 0}
    started = time.perf_counter()
    with _bulk_connection(path):
        while made["responses"] < target:
            committee, section, division, social = rng.choice(SECTORS)
            people = headcount(rng)
            _organisation(path, rng, questionnaire, made, years, committee, section, division,
                          social, people)
            if progress and made["organisations"] % 250 == 0:
                progress(f"  {made['responses']:,} responses, {made['organisations']:,} "
                         f"organisations, {time.perf_counter() - started:.0f} s")
        if large_round:
            committee, section, division, social = SECTORS[0]
            _organisation(path, random.Random(seed + 1), questionnaire, made, years, committee,
                          section, division, social, large_round, [years[-1]], 1.0,
                          name=LARGE)
    return made


def _organisation(path: Path, rng: random.Random, questionnaire: Questionnaire, made: dict,
                  years: list[int], committee: str, section: str, division: str, social: bool,
                  people: int, round_years: list[int] | None = None,
                  answered: float | None = None, name: str | None = None) -> None:
    """One organisation with its profile and a closed round in each of ``round_years`` (one
    to three of ``years`` drawn when ``None``), answered by ``answered`` of the headcount (drawn
    from 45–85% when ``None``)."""
    number = made["organisations"] + 1
    names = rng.sample(DEPARTMENTS, rng.randint(3, 8))
    org_id = create_organisation(Context(path), name or f"Organisatie {number:05d}", section,
                                 division, people,
                                 names, today=date(years[0], 1, 1))
    committees = (committee, "200") if committee != "200" and rng.random() < 0.33 else (
        committee,)
    save_profile(Context(path), org_id, Profile(nace_division=division, joint_committees=committees,
                                 headcount=people, legal_form="vzw" if social else "bv",
                                 region="flanders", social_profit=social))
    with connection(path) as db:
        departments = [r[0] for r in db.execute(
            "select id from departments where organisation_id = ?", [org_id])]
    profile = {s: v + rng.gauss(0, 8) for s, v in BASE.items()}
    if round_years is None:
        round_years = rng.sample(years, rng.randint(1, 3))
    for year in sorted(round_years):
        opens = date(year, rng.randint(2, 10), 1)
        closes = date(year, opens.month + 1, 28)
        round_id = open_round(Context(path), org_id, f"Bevraging {year}", opens, closes,
                              questionnaire,
                              today=opens)
        tokens = create_invitations(Context(path), round_id, min(people, 5_000))
        share = rng.uniform(0.45, 0.85) if answered is None else answered
        n = min(len(tokens), max(1, round(people * share)))
        _store(path, round_id, tokens, respondents(rng, questionnaire, profile, departments, n),
               questionnaire, closes)
        made["rounds"] += 1
        made["responses"] += n
    made["organisations"] += 1


def _store(path: Path, round_id: int, tokens: list[str], sent: Iterable[Respondent],
           questionnaire: Questionnaire, submitted_on: date) -> None:
    """Score and store each respondent as :func:`submit_response` does (the project's
    :func:`score_response` and :func:`store_response`), the round in one transaction, each
    used invitation marked."""
    with write_transaction(path) as db:
        used = []
        for token, one in zip(tokens, sent, strict=False):
            results, is_werkbaar = score_response(questionnaire, one.answers)
            used.append((hash_token(token),))
            store_response(db, round_id, one.answers, results, is_werkbaar, one.background,
                           one.open_answer, submitted_on, secrets.randbits(62))
        db.executemany("update invitations set used = 1 where token_hash = ?", used)


def _stored(path: Path) -> list[tuple]:
    """Every stored row of every response, without its random id, in a stable order."""
    with connection(path) as db:
        rows = []
        for rid, *response in db.execute(
                "select id, department_id is not null, age_band, contract_type, open_answer, "
                "werkbaar, answers from responses"):
            scores = tuple(db.execute("select scale_id, score, level from response_scores "
                                      "where response_id = ? order by scale_id", [rid]))
            rows.append((tuple(response), scores))
    return sorted(rows, key=repr)


def verify(directory: Path, questionnaire: Questionnaire, sample: int = 200, *,
           seed: int = SEED) -> int:
    """Store the same ``sample`` respondents once the bulk way and once through
    :func:`submit_response`, each in a fresh database, and compare every stored row.

    :raises AssertionError: when the two paths stored different rows.
    """
    today = date.today()
    stored = []
    for way in ("bulk", "submit"):
        path = directory / f"verify-{way}.db"
        for old in directory.glob(f"verify-{way}.db*"):
            old.unlink()
        init_db(path)
        org_id = create_organisation(Context(path), "Steekproef", "Q", "87", sample,
                                     list(DEPARTMENTS[:4]))
        with connection(path) as db:
            departments = [r[0] for r in db.execute("select id from departments")]
        round_id = open_round(Context(path), org_id, "Steekproef", today, today, questionnaire)
        tokens = create_invitations(Context(path), round_id, sample)
        sent = list(respondents(random.Random(seed), questionnaire, BASE, departments, sample))
        if way == "bulk":
            with _bulk_connection(path):
                _store(path, round_id, tokens, sent, questionnaire, today)
        else:
            for token, one in zip(tokens, sent, strict=True):
                submit_response(Context(path), token, questionnaire, one.answers, one.background,
                                one.open_answer)
        stored.append(_stored(path))
    assert stored[0] == stored[1], "the bulk build stores other rows than the submit path"
    return len(stored[0])
