"""The database side of the capacity test (``benchmarks/capacity.py``): the database itself (a
SQLite file, or a durable throwaway PostgreSQL cluster that several app processes share, issue
16), the seeded rounds and invitations, the writers that submit through the domain beside the
browsers, and the count of what was stored.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import psycopg

from assessment.context import Context
from assessment.organisations import create_organisation, get_organisation
from assessment.questionnaire import Questionnaire
from assessment.responses import submit_response
from assessment.rounds import create_invitations, get_round, hash_token, open_round
from assessment.storage import connection, init_db

DEPARTMENTS = ("Productie", "Logistiek", "Kantoor")
OPEN_ANSWERS = ("Meer overleg over de planning.", "Minder onderbrekingen tijdens het werk.",
                "Opleiding in het nieuwe systeem.")
PG_DATABASE = "werkbaar"

__all__ = ["hash_token"]  # the test marks an invitation used by its hash


def start_postgresql():
    """A durable PostgreSQL cluster on 127.0.0.1 (``tests.pg_cluster``, fsync on, as a server
    would run) with an empty database; returns the cluster and the database's URL."""
    from tests import pg_cluster

    cluster = pg_cluster.start(durable=True)
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        admin.execute(f"drop database if exists {PG_DATABASE}")
        admin.execute(f"create database {PG_DATABASE}")
    return cluster, cluster.database_url(PG_DATABASE)


@dataclass(frozen=True)
class Level:
    size: int
    round_id: int
    tokens: list[str]  # one per browser respondent
    domain_tokens: list[str] = field(default_factory=list)  # for the domain writers
    departments: tuple[int, ...] = ()


def seed(db: Path | str, sizes: list[int], q: Questionnaire, warm_up: int,
         domain: int = 0) -> tuple[list[str], list[Level]]:
    """One organisation with an open round per level (and one for the ``warm_up``
    respondents), through the domain API; each level's round also holds ``domain`` invitations
    for the writers that submit through the domain. Returns the warm-up tokens and the
    levels."""
    init_db(db)
    rounds = []
    for size in [warm_up, *sizes]:
        extra = domain if rounds else 0
        org_id = create_organisation(Context(db), f"Capaciteit {len(rounds)} ({size})", "C", "10",
                                     max(size + extra, 5), list(DEPARTMENTS))
        round_id = open_round(Context(db), org_id, f"Bevraging {size}", date.today(),
                              date.today() + timedelta(days=14), q)
        tokens = create_invitations(Context(db), round_id, size + extra)
        departments = tuple(d.id for d in get_organisation(Context(db), org_id).departments)
        rounds.append(Level(size, round_id, tokens[:size], tokens[size:], departments))
    return rounds[0].tokens, rounds[1:]


def count_used_and_stored(db: Path | str, level: Level) -> tuple[int, int]:
    """Invitations of the level (browsers' and writers') marked used, and responses stored in
    its round."""
    hashes = [hash_token(token) for token in level.tokens + level.domain_tokens]
    with connection(db) as conn:
        used = conn.execute(
            f"select count(*) from invitations where used = 1 and token_hash in "
            f"({', '.join('?' * len(hashes))})", hashes).fetchone()[0]
    return used, get_round(Context(db), level.round_id).responses


@dataclass
class Writers:
    """What the domain writers did during one level."""

    ok: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # per submit_response call


def write_through_domain(db: Path | str, level: Level, q: Questionnaire, threads: int,
                         pause: float, seed_value: int, stop: threading.Event) -> Writers:
    """Submit the level's domain invitations from ``threads`` threads at once (the tokens
    dealt round-robin), each call ``submit_response`` as the survey page makes it (validate,
    score, one write transaction), with ``pause`` seconds between a thread's calls, until
    ``stop`` is set (the browsers are done) or the tokens run out."""
    done, lock = Writers(), threading.Lock()
    start = threading.Barrier(threads)

    def writer(index: int) -> None:
        rng = random.Random(seed_value + index)
        start.wait()
        for token in level.domain_tokens[index::threads]:
            if stop.wait(pause):
                return
            answers = {item.id: rng.randint(1, 5) for item in q.items}
            background = {"department": rng.choice(level.departments)}
            began = time.perf_counter()
            try:
                submit_response(Context(db), token, q, answers, background,
                                rng.choice(OPEN_ANSWERS) if rng.random() < 0.3 else "")
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                with lock:
                    done.errors.append(f"{type(error).__name__}: {str(error)[:160]}")
                continue
            with lock:
                done.ok += 1
                done.seconds.append(time.perf_counter() - began)

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done
