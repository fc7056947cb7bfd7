"""E-mail invitations the platform sends: the address list, the message text, the outbox, the
reminders and the deletion of the list. The sending itself is :mod:`assessment.mail_sender`.

HR gives a list of addresses (pasted, or a CSV/XLSX upload) and may edit the message; the
platform makes one single-use link per address (an invitation of channel ``email``, stored as
the hash of its token like every link) and queues one message per address. HR never sees a
link: not on the page, not in an export, not in the audit log, not in a log line.

Decisions:

* **The list as a person writes it** (:mod:`assessment.address_lists`): ``Name <address>``,
  ``"Last, First" <address>`` and bare addresses, separated by commas, semicolons, spaces or
  line breaks; HR sees what was found before anything is queued.
* **All or nothing.** Every piece of the list is checked (not an address, with the reason; an
  empty cell of a file; a mailbox already on a list of this round) and any problem refuses the
  whole list, each problem with its row number: nothing is sent until the list is fixed, so HR
  never has to work out which half of a list went out.
* **One invitation per mailbox.** Addresses that reach one mailbox (case, ``+tag``, dots at
  Gmail) get one invitation, to the first written; the others are named in a warning.
* **Reminders** (none, one or two; default one, 3 days before closing) go to everyone on the
  list at :data:`REMINDER_HOUR` o'clock (Brussels time) on their day, with the person's same
  link, worded "if you have already answered: thank you, you need not do anything". Nothing
  records who answered, so nobody can be left out.
* **The list is deleted** (addresses, the clear links, every outbox row; see
  :func:`delete_list`) when the last reminder has gone out or the round closes, whichever comes
  first (with no reminder: when the round closes), and by ``werkbaar purge``. Only the counts
  (sent and failed, per list) stay. While the list exists the server holds address → link, so
  someone with access to the database (not HR through the app) could see whether a given
  address's link was used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from . import address_lists, audit, clock, formatting
from .access import PLATFORM_ADMIN, Scope
from .address_lists import AddressList
from .errors import InputError, Problem
from .i18n import LANGUAGES, t
from .rounds import EMAIL, MAX_INVITATIONS, OPEN, get_round, hash_token
from .storage import connection, write_transaction
from .text import clean_line, clean_paragraphs

MAX_SUBJECT, MAX_BODY = 150, 2_000
LINK, CLOSES_ON = "{link}", "{closes_on}"
PLACEHOLDERS = (LINK, CLOSES_ON)
MAX_REMINDERS, DEFAULT_REMINDER_DAYS, REMINDER_HOUR = 2, 3, 9
MAX_SHOWN = 50  # problems listed; the rest are counted
INVITATION, REMINDER = "invitation", "reminder"
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
ADDRESS_COLUMNS = ("email", "e-mail", "e-mailadres", "emailadres", "adres", "address",
                   "e-mail address", "email address", "mail")
PREVIEW_LINK = "https://werkbaar.example/s/voorbeeld"
SYSTEM = Scope(None, "werkbaar send-mail", PLATFORM_ADMIN)  # the sender deletes lists, no account

_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_BRACES = re.compile(r"\{[^{}]*\}|[{}]")


@dataclass(frozen=True)
class DayProblem(Problem):
    """A problem about a day, written as that language writes days."""

    def message(self, lang: str) -> str:
        return t(self.key, lang, **{k: formatting.day(v, lang) if isinstance(v, date) else v
                                    for k, v in self.params.items()})


def _refuse(problems: list[Problem]) -> InputError:
    """Every problem up to :data:`MAX_SHOWN`, then one line with how many more there are."""
    shown = problems[:MAX_SHOWN]
    if len(problems) > MAX_SHOWN:
        shown.append(Problem("addresses", "mail.more_problems", {"count": len(problems)
                                                                   - MAX_SHOWN}))
    return InputError(shown)


def pasted_rows(text: str) -> list[tuple[int, str]]:
    """The lines of pasted text with their number, empty lines skipped; each line is read by
    :func:`assessment.address_lists.parts_of_line`."""
    return [(number, line) for number, line in enumerate(str(text or "").splitlines(), 1)
            if line.strip()]


def file_rows(data: bytes, filename: str) -> list[tuple[int, str]]:
    """The addresses of an uploaded CSV or XLSX with their row number as the spreadsheet shows
    it: the column named email, e-mail, adres (or another name of :data:`ADDRESS_COLUMNS`),
    else the first column. A first row that is itself an address is read as data, so a bare
    list without a header works. An empty cell is kept (as "") so that it is reported.

    :raises InputError: for a file that is empty, too large, not CSV or XLSX, not UTF-8 or a
      corrupt XLSX (the messages of :func:`assessment.paper_import.read_table`).
    """
    from .paper_import import read_table  # pandas and openpyxl only when a file comes

    try:
        header, body = read_table(data, filename)
    except InputError as error:
        if error.problems[0].key != "paper.file_no_rows":
            raise
        if data.startswith(b"PK"):  # an XLSX with a single row: a header without addresses
            raise InputError([Problem("file", "mail.file_no_addresses")]) from error
        header, body = read_table(data + b"\n-", filename)[0], []  # one CSV row: itself
    column = next((i for i, name in enumerate(header) if name in ADDRESS_COLUMNS), None)
    rows = [(number, cells[column or 0] if len(cells) > (column or 0) else "")
            for number, cells in body]
    if column is None and header and address_lists.is_address(header[0]):
        first = body[0][0] - 1 if body else 1
        rows.insert(0, (first, header[0]))
    return rows


def check_addresses(rows: list[tuple[int, str]], already: set[str] = frozenset()
                    ) -> list[tuple[int, str]]:
    """The recipients of a list given as (row number, line or cell), one per mailbox, as
    (row, address to send to), in its order (:func:`assessment.address_lists.read`; addresses
    reaching a mailbox already on the list are left out: the page warns).

    :raises InputError: naming each row with an empty cell, something that is not an e-mail
      address (with the reason) or a mailbox already on a list of this round (``already``:
      mailboxes, :func:`~assessment.address_lists.mailbox`); or for an empty list or more
      than :data:`~assessment.rounds.MAX_INVITATIONS` addresses. Nothing is accepted then.
    """
    read = address_lists.read(rows, already)
    if read.problems:
        raise _refuse(list(read.problems))
    return [(r.row, r.address) for r in read.recipients]


def read_list(ctx, round_id: int, rows: list[tuple[int, str]]) -> AddressList:
    """What the list holds, for the page to show before anything is queued: the recipients,
    the problems (also mailboxes already on a list of this round) and the warnings."""
    with connection(ctx) as db:
        return address_lists.read(rows, listed_addresses(db, round_id))


def default_texts(lang: str, organisation: str) -> tuple[str, str]:
    """The default subject and body in ``lang``, with the organisation's name filled in and the
    placeholders ``{link}`` and ``{closes_on}`` kept for :func:`render`."""
    keep = {"link": LINK, "closes_on": CLOSES_ON, "organisation": clean_line(organisation)}
    return t("mail.default_subject", lang, **keep), t("mail.default_body", lang, **keep)


def check_texts(subject: str, body: str) -> tuple[str, str]:
    """The subject and body HR wrote, cleaned (the subject on one line).

    :raises InputError: for an empty or too long subject (:data:`MAX_SUBJECT`) or body
      (:data:`MAX_BODY`), a body without ``{link}`` or with it more than once, ``{link}`` in
      the subject (a link there would show in every mailbox list), a placeholder other than
      ``{link}`` and ``{closes_on}`` (or a lone brace), or HTML tags (the mail is plain text:
      tags would show as typed).
    """
    subject, body = clean_line(subject), clean_paragraphs(body)
    problems = []
    if not subject:
        problems.append(Problem("subject", "mail.subject_empty"))
    elif len(subject) > MAX_SUBJECT:
        problems.append(Problem("subject", "mail.subject_too_long", {"max": MAX_SUBJECT}))
    if not body:
        problems.append(Problem("body", "mail.body_empty"))
    elif len(body) > MAX_BODY:
        problems.append(Problem("body", "mail.body_too_long", {"max": MAX_BODY}))
    if body.count(LINK) != 1:
        problems.append(Problem("body", "mail.link_once", {"link": LINK}))
    if LINK in subject:
        problems.append(Problem("subject", "mail.link_in_subject", {"link": LINK}))
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted({b for b in _BRACES.findall(text) if b not in PLACEHOLDERS})
        if unknown:
            problems.append(Problem(field, "mail.unknown_placeholder", {
                "found": ", ".join(unknown), "allowed": ", ".join(PLACEHOLDERS)}))
        if _HTML.search(text):
            problems.append(Problem(field, "mail.no_html"))
    if problems:
        raise InputError(problems)
    return subject, body


def render(subject: str, body: str, link: str, closes_on: date, lang: str,
           reminder: bool = False) -> tuple[str, str]:
    """The subject and body one person receives: placeholders replaced literally (not by
    ``str.format``, so HR's text cannot reach anything else); a reminder's subject and first
    paragraph say it is a reminder and thank whoever answered already."""
    day = formatting.long_day(closes_on, lang)
    subject = subject.replace(CLOSES_ON, day)
    body = body.replace(CLOSES_ON, day).replace(LINK, link)
    if reminder:
        subject = t("mail.reminder_subject", lang, subject=subject)
        body = t("mail.reminder_intro", lang, closes_on=day) + "\n\n" + body
    return subject, body


def reminder_days(closes_on: date, days_before: list[int]) -> list[date]:
    """The days of reminders set as "N days before closing"."""
    return [closes_on - timedelta(days=n) for n in days_before]


def check_reminders(days: list[date], closes_on: date, now: datetime) -> list[date]:
    """The reminder days, sorted.

    :raises InputError: for more than two, the same day twice, a day after closing, or a moment
      (that day at :data:`REMINDER_HOUR`) already past.
    """
    problems = []
    if len(days) > MAX_REMINDERS:
        problems.append(Problem("reminders", "mail.too_many_reminders", {"max": MAX_REMINDERS}))
    if len(set(days)) != len(days):
        problems.append(Problem("reminders", "mail.reminder_twice"))
    for day in sorted(set(days)):
        if day > closes_on:
            problems.append(DayProblem("reminders", "mail.reminder_after_closing", {"day": day}))
        elif datetime.combine(day, time(REMINDER_HOUR)) <= now:
            problems.append(DayProblem("reminders", "mail.reminder_past", {"day": day}))
    if problems:
        raise InputError(problems)
    return sorted(days)


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def _problems(check, *args) -> tuple[object, list[Problem]]:
    """A check's result and no problem, or None and its problems."""
    try:
        return check(*args), []
    except InputError as error:
        return None, error.problems


def queue_invitations(ctx, scope: Scope, round_id: int, rows: list[tuple[int, str]], subject: str,
                      body: str, lang: str, base_url: str, reminders: list[date], *,
                      now: datetime | None = None) -> int:
    """Check the list (row number, text) as :func:`check_addresses` does, make one link per
    address and queue one message each, with the reminders; return the list's id. Everything is
    stored in one transaction (invitations, list, outbox, reminders, the audit entry with the
    counts only), so a failure leaves nothing behind.

    :raises InputError: with every problem at once: the round not open, the list's rows
      (including addresses already on a list of this round), more than
      :data:`MAX_INVITATIONS` e-mail invitations in the round, the texts
      (:func:`check_texts`) and the reminder days (:func:`check_reminders`).
    """
    import secrets

    now = now or clock.local_now()
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    survey_round = get_round(ctx, round_id)
    if survey_round is None or survey_round.status(now.date()) != OPEN:
        raise InputError([Problem("round", "mail.round_not_open")])
    with write_transaction(ctx) as db:
        checked, problems = _problems(check_addresses, rows, listed_addresses(db, round_id))
        texts, wrong = _problems(check_texts, subject, body)
        days, late = _problems(check_reminders, reminders, survey_round.closes_on, now)
        emailed = db.execute("select count(*) from invitations where round_id = ? and "
                             "channel = ?", [round_id, EMAIL]).fetchone()[0]
        if emailed + len(rows if checked is None else checked) > MAX_INVITATIONS:
            problems.insert(0, Problem("addresses", "mail.round_full", {
                "max": MAX_INVITATIONS, "left": max(MAX_INVITATIONS - emailed, 0)}))
        if problems or wrong or late:
            raise InputError(problems + wrong + late)
        batch = db["mail_batches"].insert({
            "round_id": round_id, "created_at": _stamp(now), "lang": lang, "subject": texts[0],
            "body": texts[1], "base_url": base_url.rstrip("/"), "recipients": len(checked),
        }).last_pk
        db["mail_reminders"].insert_all([{"batch_id": batch, "number": n, "send_on": day
                                          .isoformat()} for n, day in enumerate(days, 1)])
        tokens = [secrets.token_urlsafe(32) for _ in checked]
        db.executemany(
            "insert into invitations (token_hash, round_id, used, channel) values (?, ?, 0, ?)",
            [(hash_token(token), round_id, EMAIL) for token in tokens])
        for (row, address), token in zip(checked, tokens, strict=True):
            recipient = db.execute("insert into mail_recipients (batch_id, row, address, token) "
                                   "values (?, ?, ?, ?) returning id",
                                   [batch, row, address, token]).fetchone()[0]
            db.execute("insert into mail_outbox (batch_id, recipient_id, kind, state, "
                       "not_before) values (?, ?, ?, ?, ?)",
                       [batch, recipient, INVITATION, QUEUED, _stamp(now)])
        audit.record_in(db, scope, audit.MAIL_QUEUED, f"round #{round_id} / list #{batch}",
                        f"{len(checked)} addresses; reminders: "
                        f"{', '.join(d.isoformat() for d in days) or 'none'}",
                        now=now.astimezone(UTC))
    return batch


def listed_addresses(db, round_id: int) -> set[str]:
    """The mailboxes (:func:`~assessment.address_lists.mailbox`) on the lists of a round that
    still exist."""
    return {address_lists.mailbox(a) for (a,) in db.execute(
        "select r.address from mail_recipients r join mail_batches b on b.id = r.batch_id "
        "where b.round_id = ?", [round_id])}


def delete_list(db, batch_id: int, reason: str, now: datetime) -> int:
    """Delete a list's addresses, links and outbox rows inside the caller's transaction, keep
    its counts, and record it in the audit log (with ``reason``: last reminder, round closed,
    purge); return how many addresses went."""
    db.execute("delete from mail_outbox where batch_id = ?", [batch_id])
    gone = db.execute("delete from mail_recipients where batch_id = ?", [batch_id]).rowcount
    db.execute("update mail_batches set list_deleted_at = ? where id = ?",
               [_stamp(now), batch_id])
    audit.record_in(db, SYSTEM, audit.MAIL_LIST_DELETED, f"list #{batch_id}",
                    f"{gone} addresses; {reason}", now=now.astimezone(UTC))
    return gone


_LIVE_LISTS_OF_CLOSED_ROUNDS = """
select b.id from mail_batches b join survey_rounds r on r.id = b.round_id
where b.list_deleted_at is null and (r.closed_early_on is not null or r.closes_on < ?)"""


def delete_lists_of_closed_rounds(ctx, now: datetime | None = None) -> int:
    """Delete the lists of every closed round (also what ``werkbaar purge`` calls); return how
    many addresses went."""
    now = now or clock.local_now()
    with write_transaction(ctx) as db:
        batches = [b for (b,) in db.execute(_LIVE_LISTS_OF_CLOSED_ROUNDS,
                                             [now.date().isoformat()])]
        return sum(delete_list(db, b, "round closed", now) for b in batches)


def housekeeping(ctx, now: datetime | None = None) -> None:
    """What the sender does before sending: delete the lists of closed rounds, queue the
    reminders that are due (one message per address on the list), and delete the lists whose
    last reminder has gone out (:func:`delete_finished_lists`, also called after sending)."""
    now = now or clock.local_now()
    delete_lists_of_closed_rounds(ctx, now=now)
    with write_transaction(ctx) as db:
        due = [(batch, number) for batch, number, day in db.execute(
            "select m.batch_id, m.number, m.send_on from mail_reminders m join mail_batches b "
            "on b.id = m.batch_id where b.list_deleted_at is null and m.queued_at is null")
            if now >= datetime.combine(date.fromisoformat(day), time(REMINDER_HOUR))]
        for batch in {batch for batch, _ in due}:  # two due at once (sender was off): one mail
            db.execute("insert into mail_outbox (batch_id, recipient_id, kind, state, "
                       "not_before) select batch_id, id, ?, ?, ? from mail_recipients where "
                       "batch_id = ?", [REMINDER, QUEUED, _stamp(now), batch])
        db.executemany("update mail_reminders set queued_at = ? where batch_id = ? and "
                            "number = ?", [(_stamp(now), batch, number) for batch, number in due])
    delete_finished_lists(ctx, now=now)


def delete_finished_lists(ctx, now: datetime | None = None) -> None:
    """Delete the lists whose last reminder has gone out: every reminder queued and no message
    of the list still queued or sending (a list without reminders waits for the closing)."""
    now = now or clock.local_now()
    with write_transaction(ctx) as db:
        finished = [b for (b,) in db.execute(
            "select b.id from mail_batches b where b.list_deleted_at is null "
            "and exists (select 1 from mail_reminders m where m.batch_id = b.id) "
            "and not exists (select 1 from mail_reminders m where m.batch_id = b.id "
            "and m.queued_at is null) and not exists (select 1 from mail_outbox o where "
            "o.batch_id = b.id and o.state in (?, ?))", [QUEUED, SENDING])]
        for batch in finished:
            delete_list(db, batch, "last reminder sent", now)


@dataclass(frozen=True)
class Failure:
    row: int
    address: str
    kind: str  # invitation or reminder
    error: str  # a category of mail.failure.*, with the server's code: "refused 550"


@dataclass(frozen=True)
class ListProgress:
    """One list of a round as the e-mail tab shows it: no link anywhere."""

    id: int
    created_at: str
    recipients: int
    invitations_sent: int
    invitations_failed: int
    reminders_sent: int
    reminders_failed: int
    waiting: int
    reminders: tuple[tuple[date, bool], ...]  # day, queued already
    deleted: bool
    failures: tuple[Failure, ...]


def progress(ctx, round_id: int) -> list[ListProgress]:
    """The lists of a round, oldest first, with their counts and failed addresses (while the
    list exists)."""
    result = []
    with connection(ctx) as db:
        for b in db.query("select * from mail_batches where round_id = ? order by id",
                          [round_id]):
            waiting = db.execute("select count(*) from mail_outbox where batch_id = ? and "
                                 "state in (?, ?)", [b["id"], QUEUED, SENDING]).fetchone()[0]
            failures = tuple(Failure(*row) for row in db.execute(
                "select r.row, r.address, o.kind, o.error from mail_outbox o join "
                "mail_recipients r on r.id = o.recipient_id where o.batch_id = ? and "
                "o.state = ? order by r.row, o.id", [b["id"], FAILED]))
            reminders = tuple((date.fromisoformat(day), queued is not None) for day, queued in
                              db.execute("select send_on, queued_at from mail_reminders where "
                                         "batch_id = ? order by number", [b["id"]]))
            result.append(ListProgress(
                b["id"], b["created_at"], b["recipients"], b["invitations_sent"],
                b["invitations_failed"], b["reminders_sent"], b["reminders_failed"], waiting,
                reminders, b["list_deleted_at"] is not None, failures))
    return result


def preview(subject: str, body: str, closes_on: date, lang: str) -> tuple[str, str]:
    """What a person would receive, with the dummy link :data:`PREVIEW_LINK`."""
    return render(subject, body, f"{PREVIEW_LINK}?lang={lang}", closes_on, lang)
