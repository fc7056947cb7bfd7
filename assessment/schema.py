"""The database schema: every migration, in order (sqlite-utils ``Migrations``), applied by
:func:`assessment.storage.init_db`. A migration that converts data counts the rows before and
after and raises on a mismatch, so the transaction rolls back and nothing changes.

Names say what each step does (``m0NN_what``); a migration, once released, is never edited: a
change is a new migration.
"""

from __future__ import annotations

import os

from sqlite_utils import Database, Migrations

migrations = Migrations("werkbaar")


@migrations()
def m001_core(db: Database) -> None:
    """Organisations, departments, survey rounds, invitations, responses and their scores.

    Privacy by construction: ``invitations`` holds only the SHA-256 of each token and a used
    flag (no time, no response id); ``responses`` has a random id (no submission order) and a
    day-level date; nothing joins an invitation to a response.
    """
    db["organisations"].create(
        {
            "id": int,
            "name": str,
            "nace_section": str,
            "nace_division": str,
            "headcount": int,
            "min_group_size": int,
            "created_on": str,
        },
        pk="id",
        not_null={"name", "nace_section", "headcount", "min_group_size", "created_on"},
        defaults={"min_group_size": 5},
    )
    db["departments"].create(
        {"id": int, "organisation_id": int, "name": str},
        pk="id",
        not_null={"organisation_id", "name"},
        foreign_keys=[("organisation_id", "organisations")],
    )
    db["departments"].create_index(["organisation_id", "name"], unique=True)
    db["survey_rounds"].create(
        {
            "id": int,
            "organisation_id": int,
            "title": str,
            "questionnaire_id": str,
            "questionnaire_version": int,
            "opens_on": str,
            "closes_on": str,
            "closed_early_on": str,
            "created_on": str,
        },
        pk="id",
        not_null={
            "organisation_id",
            "title",
            "questionnaire_id",
            "questionnaire_version",
            "opens_on",
            "closes_on",
            "created_on",
        },
        foreign_keys=[("organisation_id", "organisations")],
    )
    db["survey_rounds"].create_index(["organisation_id"])
    db["invitations"].create(
        {"token_hash": str, "round_id": int, "used": int},
        pk="token_hash",
        not_null={"round_id", "used"},
        defaults={"used": 0},
        foreign_keys=[("round_id", "survey_rounds")],
    )
    db["invitations"].create_index(["round_id", "used"])
    db["responses"].create(
        {
            "id": int,
            "round_id": int,
            "department_id": int,
            "age_band": str,
            "contract_type": str,
            "open_answer": str,
            "werkbaar": int,
            "submitted_on": str,
        },
        pk="id",
        not_null={"round_id", "submitted_on"},
        foreign_keys=[("round_id", "survey_rounds"), ("department_id", "departments")],
    )
    db["responses"].create_index(["round_id", "department_id"])
    db["answers"].create(
        {"response_id": int, "item_id": str, "value": int},
        pk=("response_id", "item_id"),
        not_null={"value"},
        foreign_keys=[("response_id", "responses")],
    )
    db["response_scores"].create(
        {"response_id": int, "round_id": int, "scale_id": str, "score": float, "level": str},
        pk=("response_id", "scale_id"),
        not_null={"round_id", "score", "level"},
        foreign_keys=[("response_id", "responses"), ("round_id", "survey_rounds")],
    )
    # Covering index for the dashboard: one round's figures per scale without touching rows.
    db["response_scores"].create_index(["round_id", "scale_id", "level", "score"])


@migrations()
def m002_responses_covering_index(db: Database) -> None:
    """Count a round's responses and werkbaar flags from the index alone (dashboard)."""
    db["responses"].create_index(["round_id", "department_id", "werkbaar"])


@migrations()
def m003_organisation_profile(db: Database) -> None:
    """The profile that decides eligibility for support (see ``assessment.profile``)."""
    table = db["organisations"]
    for column, kind in (
        ("enterprise_number", str), ("nace_version", str), ("joint_committees", str),
        ("fte", float), ("turnover_eur", int), ("balance_total_eur", int),
        ("legal_form", str), ("region", str), ("social_profit", int),
    ):
        table.add_column(column, kind)
    db.execute("update organisations set nace_version = '2008' where nace_version is null")


@migrations()
def m004_self_assessments(db: Database) -> None:
    """Employer self-assessments: a draft (``completed_on`` null) saved after every section,
    then kept as completed."""
    db["self_assessments"].create(
        {
            "id": int, "organisation_id": int, "questionnaire_id": str,
            "questionnaire_version": int, "answers": str, "step": int, "started_on": str,
            "updated_on": str, "completed_on": str,
        },
        pk="id",
        not_null={"organisation_id", "questionnaire_id", "questionnaire_version", "answers",
                  "step", "started_on", "updated_on"},
        foreign_keys=[("organisation_id", "organisations")],
    )
    db["self_assessments"].create_index(["organisation_id", "completed_on"])


@migrations()
def m005_actions(db: Database) -> None:
    """The action plan (see ``assessment.actions``)."""
    db["actions"].create(
        {
            "id": int, "organisation_id": int, "title": str, "owner": str, "due_on": str,
            "status": str, "measure_id": str, "gap_id": str, "expected_support": str,
            "notes": str, "baseline_round_id": int, "created_on": str, "closed_on": str,
        },
        pk="id",
        not_null={"organisation_id", "title", "status", "created_on"},
        foreign_keys=[("organisation_id", "organisations"), ("baseline_round_id", "survey_rounds")],
    )
    db["actions"].create_index(["organisation_id", "status"])


@migrations()
def m006_department_headcount(db: Database) -> None:
    """How many people work in each department: the denominator of response rates."""
    db["departments"].add_column("headcount", int)


@migrations()
def m007_accounts(db: Database) -> None:
    """Accounts, sign-in sessions, failed sign-ins and the audit log (see
    ``assessment.accounts`` and ``assessment.audit``). Passwords and session tokens are stored
    only as hashes."""
    db["accounts"].create(
        {
            "id": int, "username": str, "display_name": str, "password_hash": str, "role": str,
            "organisation_id": int, "sectors": str, "active": int, "created_at": str,
        },
        pk="id",
        not_null={"username", "display_name", "password_hash", "role", "active", "created_at"},
        foreign_keys=[("organisation_id", "organisations")],
    )
    db["accounts"].create_index(["username"], unique=True)
    db["sessions"].create(
        {"token_hash": str, "account_id": int, "started_at": str, "last_seen_at": str,
         "expires_at": str},
        pk="token_hash",
        not_null={"account_id", "started_at", "last_seen_at", "expires_at"},
        foreign_keys=[("account_id", "accounts")],
    )
    db["sessions"].create_index(["account_id"])
    db["sign_in_failures"].create(
        {"username": str, "failures": int, "last_failure_at": str, "locked_until": str},
        pk="username",
    )
    db["audit_log"].create(
        {"id": int, "at": str, "account_id": int, "username": str, "action": str,
         "subject": str, "detail": str},
        pk="id",
        not_null={"at", "username", "action"},
    )
    db["audit_log"].create_index(["at"])


@migrations()
def m008_sector_snapshots(db: Database) -> None:
    """Frozen sector figures per ended year (``assessment.sector_snapshots``) and the one peer
    position an organisation gets per frozen year (``assessment.sector.peer_position``)."""
    db["sector_years"].create({"year": int, "frozen_at": str}, pk="year",
                              not_null={"frozen_at"})
    db["sector_snapshots"].create(
        {"year": int, "sector_key": str, "payload": str}, pk=("year", "sector_key"),
        not_null={"payload"}, foreign_keys=[("year", "sector_years")])
    db["sector_snapshots"].create_index(["sector_key", "year"])
    db["peer_positions"].create(
        {"organisation_id": int, "year": int, "round_id": int, "sector_key": str,
         "n_peers": int, "bands": str},
        pk=("organisation_id", "year"), not_null={"round_id", "sector_key", "n_peers", "bands"},
        foreign_keys=[("organisation_id", "organisations"), ("year", "sector_years")])


@migrations()
def m009_sign_in_hardening(db: Database) -> None:
    """Sign-in under attack (``assessment.accounts``): failed sign-ins are keyed by a keyed
    hash of the typed name (never the text: a password typed into the name field must not be
    kept) and forgotten once the lock no longer needs them, so the old rows with names in clear
    go; browsers where an account signed in before (``sign_in_devices``, only the token's
    SHA-256, deleted with the account); the random key of that name hash."""
    db["sign_in_failures"].drop()
    db["sign_in_failures"].create(
        {"name_hash": str, "failures": int, "window_ends": str, "locked_until": str},
        pk="name_hash", not_null={"failures", "window_ends"})
    db.execute(
        "create table sign_in_devices (token_hash text primary key, account_id bigint not null"
        " references accounts(id) on delete cascade, failures bigint not null default 0,"
        " expires_at text not null)")  # type names both engines read alike (postgres.py)
    db["sign_in_devices"].create_index(["account_id"])
    db["sign_in_key"].create({"id": int, "key": str}, pk="id", not_null={"key"})
    db["sign_in_key"].insert({"id": 1, "key": os.urandom(32).hex()})


@migrations()
def m010_invitations_purged(db: Database) -> None:
    """How many invitations of a round ``werkbaar purge`` removed once the round had closed
    (``assessment.retention``): its response rate still counts them."""
    db["survey_rounds"].add_column("invitations_purged", int)


@migrations()
def m011_action_expected_eur(db: Database) -> None:
    """The support an action expects, as an amount in euro (``assessment.actions``), so the
    plan writes it per language; the free text ``expected_support`` stays beside it."""
    db["actions"].add_column("expected_eur", float)


@migrations()
def m012_round_summaries(db: Database) -> None:
    """The decided breakdowns and drivers of closed rounds, stored once
    (``assessment.round_summaries``), so page views stop re-running the disclosure audit."""
    db["round_summaries"].create(
        {"round_id": int, "kind": str, "key": str, "payload": str},
        pk=("round_id", "kind", "key"),
        not_null={"payload"},
        foreign_keys=[("round_id", "survey_rounds")],
    )


@migrations()
def m013_channels(db: Database) -> None:
    """How each invitation reaches its employee (:data:`assessment.rounds.CHANNELS`: link,
    slip, email), so the rounds page counts used invitations per channel; existing rows keep
    NULL, read as "link". Responses get no channel column (it would tie a response to the few
    invitations of a small channel). An imported (paper) response carries the id of its import,
    so the disclosure rules treat imported answers as known to whoever typed them
    (:mod:`assessment.confidentiality`)."""
    db["invitations"].add_column("channel", str)
    db["responses"].add_column("import_id", int)


@migrations()
def m014_short_codes(db: Database) -> None:
    """The per-client limit on wrong slip codes (:mod:`assessment.codes`): per client (an
    HMAC of its address or browser session, never the address), how many wrong codes it typed,
    when the last one came (the row is forgotten a day later) and until when its next try is
    refused. The codes themselves are rows of ``invitations`` (channel ``slip``)."""
    db["code_attempts"].create(
        {"client": str, "wrong": int, "last_wrong": str, "wait_until": str},
        pk="client", not_null={"wrong", "last_wrong"})


@migrations()
def m015_mailing(db: Database) -> None:
    """E-mail invitations the platform sends (:mod:`assessment.mailing`): per list HR gave
    (``mail_batches``) its message text, language, link base, reminder dates
    (``mail_reminders``) and the counts sent and failed, which outlive the list; the list itself
    (``mail_recipients``: address, row number, the link's token in clear, needed to remind) and
    one outbox row per message (queued, sending, sent or failed) are deleted when the last
    reminder has gone out or the round closes. The clear token is why the list is kept no longer."""
    db["mail_batches"].create(
        {"id": int, "round_id": int, "created_at": str, "lang": str, "subject": str,
         "body": str, "base_url": str, "recipients": int, "invitations_sent": int,
         "invitations_failed": int, "reminders_sent": int, "reminders_failed": int,
         "list_deleted_at": str},
        pk="id", not_null={"round_id", "created_at", "lang", "subject", "body", "base_url"},
        defaults={"invitations_sent": 0, "invitations_failed": 0, "reminders_sent": 0,
                  "reminders_failed": 0},
        foreign_keys=[("round_id", "survey_rounds")],
    )
    db["mail_reminders"].create(
        {"batch_id": int, "number": int, "send_on": str, "queued_at": str},
        pk=("batch_id", "number"), not_null={"send_on"},
        foreign_keys=[("batch_id", "mail_batches")],
    )
    db["mail_recipients"].create(
        {"id": int, "batch_id": int, "row": int, "address": str, "token": str},
        pk="id", not_null={"batch_id", "row", "address", "token"},
        foreign_keys=[("batch_id", "mail_batches")],
    )
    db["mail_recipients"].create_index(["batch_id"])
    db["mail_outbox"].create(
        {"id": int, "batch_id": int, "recipient_id": int, "kind": str, "state": str,
         "attempts": int, "not_before": str, "claimed_at": str, "error": str},
        pk="id", not_null={"batch_id", "recipient_id", "kind", "state", "not_before"},
        defaults={"attempts": 0},
        foreign_keys=[("batch_id", "mail_batches"), ("recipient_id", "mail_recipients")],
    )
    db["mail_outbox"].create_index(["state", "not_before"])
    db["mail_outbox"].create_index(["batch_id", "state"])


@migrations()
def m016_response_imports(db: Database) -> None:
    """Imports of paper or other-tool answers (:mod:`assessment.paper_import`): one row per
    import (its round, the day, how many rows, the SHA-256 of its normalised rows, so the same
    file is refused twice) and the sheet numbers imported per round, unique, so a sheet typed
    in twice is refused. A sheet number is kept apart from the answers: neither table names a
    response, and ``imported_sheets`` does not say which import a sheet came with."""
    db["response_imports"].create(
        {"id": int, "round_id": int, "imported_on": str, "rows": int, "file_sha256": str},
        pk="id", not_null={"round_id", "imported_on", "rows", "file_sha256"},
        foreign_keys=[("round_id", "survey_rounds")],
    )
    db["response_imports"].create_index(["round_id", "file_sha256"], unique=True)
    db["response_imports"].create_index(["file_sha256"])
    db["imported_sheets"].create(
        {"round_id": int, "sheet": int}, pk=("round_id", "sheet"), not_null={"round_id", "sheet"},
        foreign_keys=[("round_id", "survey_rounds")],
    )


@migrations()
def m017_packed_answers(db: Database) -> None:
    """A response's item answers as one packed text in ``responses.answers`` instead of one
    ``answers`` row per item (:mod:`assessment.packed_answers`; about 1.6 KB less per
    response). Each questionnaire version in use gets its layout: the item order of its file,
    or — when the file is gone or lacks an answered item — the answered item ids in sorted
    order. Every answer row is converted; the count of answers before and after must agree or
    the migration rolls back and changes nothing. Space is given back to the file system by
    ``VACUUM`` (not run here: it rewrites the whole file; see the README)."""
    from .packed_answers import ANSWERED
    from .questionnaire import QuestionnaireError, load_questionnaire, questionnaire_path

    db["answer_layouts"].create(
        {"questionnaire_id": str, "questionnaire_version": int, "items": str},
        pk=("questionnaire_id", "questionnaire_version"), not_null={"items"})
    db["responses"].add_column("answers", str)
    layouts = {}
    for qid, version in db.execute(
            "select distinct questionnaire_id, questionnaire_version from survey_rounds"):
        seen = {row[0] for row in db.execute(
            "select distinct a.item_id from answers a join responses p on p.id = a.response_id "
            "join survey_rounds r on r.id = p.round_id where r.questionnaire_id = ? "
            "and r.questionnaire_version = ?", [qid, version])}
        try:
            items = [i.id for i in load_questionnaire(questionnaire_path(qid, version)).items]
        except QuestionnaireError:
            items = []
        if not items or seen - set(items):
            items = sorted(seen)
        layouts[qid, version] = items
        db.execute("insert into answer_layouts values (?, ?, ?)", [qid, version, ",".join(items)])
    before = db.execute("select count(*) from answers").fetchone()[0]
    rounds = {rid: layouts[qid, version] for rid, qid, version in db.execute(
        "select id, questionnaire_id, questionnaire_version from survey_rounds")}
    packed, current, values = [], None, {}

    def flush() -> None:
        if current is not None:
            items = rounds[current[1]]
            packed.append(("".join(str(values.get(i, 0)) for i in items), current[0]))

    for rid, round_id, item, value in db.execute(
            "select a.response_id, p.round_id, a.item_id, a.value from answers a "
            "join responses p on p.id = a.response_id order by a.response_id"):
        if current is None or current[0] != rid:
            flush()
            current, values = (rid, round_id), {}
        values[item] = value
    flush()
    db.executemany("update responses set answers = ? where id = ?", packed)
    after = db.execute(f"select {ANSWERED} from responses").fetchone()[0]
    if after != before:
        raise RuntimeError(f"packing answers kept {after} of {before}; nothing changed")
    db["answers"].drop()



@migrations()
def m018_compact_scores(db: Database) -> None:
    """``response_scores`` as a WITHOUT ROWID table clustered on its primary key (response,
    scale): the rowid table kept a second copy of every key in its primary-key index (about
    330 bytes per response). The dashboard's covering index stays. The index on (round,
    department) goes: the (round, department, werkbaar) index of m002 covers every query it
    served.

    On PostgreSQL (which has no rowid tables) the table is already what this makes: only the
    index goes, nothing is copied."""
    if db.backend == "postgresql":
        db.execute("drop index if exists idx_responses_round_id_department_id")
        return
    count = db.execute("select count(*) from response_scores").fetchone()[0]
    db.execute("""
        create table response_scores_compact (
            response_id integer not null references responses(id),
            round_id integer not null references survey_rounds(id),
            scale_id text not null,
            score real not null,
            level text not null,
            primary key (response_id, scale_id)
        ) without rowid""")
    db.execute("insert into response_scores_compact select response_id, round_id, scale_id, "
               "score, level from response_scores")
    db.execute("drop table response_scores")
    db.execute("alter table response_scores_compact rename to response_scores")
    db["response_scores"].create_index(["round_id", "scale_id", "level", "score"])
    db.execute("drop index if exists idx_responses_round_id_department_id")
    if db.execute("select count(*) from response_scores").fetchone()[0] != count:
        raise RuntimeError("response_scores changed size while compacting; nothing changed")


@migrations()
def m019_paper_responses_index(db: Database) -> None:
    """A partial index of the responses typed in from paper, per round: every read of a round
    (:func:`assessment.rounds.read_round`) counts them, and without it that count looked up
    each of the round's responses in the table (17 ms for a 5,000-respondent round in a
    1M-response database, benchmarks/README.md "Scale"). It holds only imported responses, so
    it costs nothing for the others."""
    db.execute("create index if not exists idx_responses_paper on responses(round_id) "
               "where import_id is not null")


@migrations()
def m020_compact_invitations(db: Database) -> None:
    """``invitations`` as a WITHOUT ROWID table clustered on its token hash: the rowid table
    kept every 64-character hash twice, in the table and in its primary-key index (about 100
    bytes per response at 1.5 invitations per response; benchmarks/README.md "Storage per
    response"). Nothing refers to an invitation's rowid. Counted before and after.

    On PostgreSQL (which has no rowid tables) the table is already what this makes: nothing
    to do."""
    if db.backend == "postgresql":
        return
    count = db.execute("select count(*) from invitations").fetchone()[0]
    db.execute("""
        create table invitations_compact (
            token_hash text primary key,
            round_id integer not null references survey_rounds(id),
            used integer not null default 0,
            channel text
        ) without rowid""")
    db.execute("insert into invitations_compact select token_hash, round_id, used, channel "
               "from invitations")
    db.execute("drop table invitations")
    db.execute("alter table invitations_compact rename to invitations")
    db["invitations"].create_index(["round_id", "used"])
    if db.execute("select count(*) from invitations").fetchone()[0] != count:
        raise RuntimeError("invitations changed size while compacting; nothing changed")


@migrations()
def m021_languages(db: Database) -> None:
    """Languages (issue 26): a round may offer a subset of the app's languages
    (``survey_rounds.languages``, space-separated codes; NULL offers every language), and a
    response records the language it was given in (``responses.lang``; NULL for paper answers
    typed in and for responses from before). The language is never a breakdown of the
    dashboard: see :mod:`assessment.confidentiality`. Idempotent: a column already there (a
    test's database made at an older schema by today's code) is left as it is."""
    for table, column in (("survey_rounds", "languages"), ("responses", "lang")):
        if column not in db[table].columns_dict:
            db[table].add_column(column, str)


@migrations()
def m022_questionnaire_versions(db: Database) -> None:
    """Questionnaires people can manage (issue 29). ``questionnaire_versions`` keeps each
    employee questionnaire version's YAML text as imported, never changed
    (:mod:`assessment.questionnaire_store`); the shipped ``employee-v1.yaml`` is stored here,
    active. ``survey_rounds.extras`` holds a round's modules and own questions
    (:mod:`assessment.round_extras`; NULL: none). Idempotent."""
    import hashlib

    from .questionnaire import questionnaire_path

    if not db["questionnaire_versions"].exists():
        db["questionnaire_versions"].create(
            {"questionnaire_id": str, "version": int, "source": str, "sha256": str,
             "imported_on": str, "imported_by": str, "active": int},
            pk=("questionnaire_id", "version"),
            not_null={"source", "sha256", "imported_on", "imported_by", "active"},
            defaults={"active": 0})
    if "extras" not in db["survey_rounds"].columns_dict:
        db["survey_rounds"].add_column("extras", str)
    source = questionnaire_path("employee", 1).read_text(encoding="utf-8")
    db.execute(
        "insert into questionnaire_versions (questionnaire_id, version, source, sha256, "
        "imported_on, imported_by, active) values ('employee', 1, ?, ?, ?, 'werkbaar', 1) "
        "on conflict do nothing",
        [source, hashlib.sha256(source.encode("utf-8")).hexdigest(), "2026-12-06"])


@migrations()
def m023_api(db: Database) -> None:
    """The API for other systems (issue 30). ``api_tokens``: a token an account made for
    another system, stored as its SHA-256 (:mod:`assessment.api_tokens`: a token is 256 random
    bits, so a fast hash is as safe as a slow one), with its name, the first characters to
    recognise it by, expiry and revocation; ``api_calls``: per token and minute how many calls
    it made (the rate limit, counted in the database so every replica sees the same count).
    ``webhooks``: an organisation's or a sector's subscriptions (:mod:`assessment.webhooks`);
    ``webhook_deliveries``: one row per event and subscription, unique, queued and retried
    like the e-mail outbox. Idempotent."""
    if not db["api_tokens"].exists():
        db["api_tokens"].create(
            {"id": int, "account_id": int, "name": str, "token_hash": str, "prefix": str,
             "created_at": str, "expires_on": str, "revoked_at": str, "last_used_at": str},
            pk="id", not_null={"account_id", "name", "token_hash", "prefix", "created_at",
                               "expires_on"},
            foreign_keys=[("account_id", "accounts")])
        db["api_tokens"].create_index(["token_hash"], unique=True)
        db["api_tokens"].create_index(["account_id"])
    if not db["api_calls"].exists():
        db["api_calls"].create({"token_id": int, "minute": str, "calls": int},
                               pk=("token_id", "minute"), not_null={"calls"},
                               foreign_keys=[("token_id", "api_tokens")])
    if not db["webhooks"].exists():
        db["webhooks"].create(
            {"id": int, "organisation_id": int, "sector": str, "url": str, "secret": str,
             "created_by": int, "created_at": str, "active": int},
            pk="id", not_null={"url", "secret", "created_at", "active"}, defaults={"active": 1},
            foreign_keys=[("organisation_id", "organisations")])
    if not db["webhook_deliveries"].exists():
        db["webhook_deliveries"].create(
            {"id": int, "webhook_id": int, "event": str, "subject": str, "payload": str,
             "state": str, "attempts": int, "not_before": str, "claimed_at": str,
             "error": str, "created_at": str, "delivered_at": str},
            pk="id", not_null={"webhook_id", "event", "subject", "payload", "state",
                               "not_before", "created_at"},
            defaults={"attempts": 0}, foreign_keys=[("webhook_id", "webhooks")])
        db["webhook_deliveries"].create_index(["webhook_id", "event", "subject"], unique=True)
        db["webhook_deliveries"].create_index(["state", "not_before"])
