"""Sending the queued e-mails (:mod:`assessment.mailing`) over SMTP, in the background.

Configuration (environment variables; without ``WERKBAAR_SMTP_HOST`` e-mail is off and the
e-mail tab says what to set): ``WERKBAAR_SMTP_HOST``, ``WERKBAAR_SMTP_PORT`` (default 587, or
465 with ssl, 25 with none), ``WERKBAAR_SMTP_SECURITY`` (``starttls`` default, ``ssl``,
``none``), ``WERKBAAR_SMTP_USER`` and ``WERKBAAR_SMTP_PASSWORD`` (log in only when a user is
set), ``WERKBAAR_SMTP_SENDER`` (the From address, required), ``WERKBAAR_SMTP_TIMEOUT``
(seconds per network operation, default 30). Each may be given as a file instead,
``<NAME>_FILE`` (:mod:`assessment.settings`): the password as a Docker secret.

Surviving a restart: every message is a row of ``mail_outbox`` with its state, queued →
sending → sent | failed. A sender claims one message at a time under ``BEGIN IMMEDIATE``
(marking it ``sending`` with the time), hands it to the SMTP server and marks it ``sent`` right
after the server accepted it. A process that dies leaves at most the message it was sending in
``sending``; once its lease (:attr:`SmtpSettings.lease`, four network timeouts) has run out,
the next sender sends it again, with the same link (the link is stored with the address). So the
worst case after a crash is one message received twice with the same link: never a lost
message, never two links for one person. Two senders at once (the app's thread and
``werkbaar send-mail``) share the queue the same way.

Failures: a transient one (no connection, a timeout, a 4xx reply, a refused login) is retried
after 30 s, 2 min and 10 min; after :data:`MAX_ATTEMPTS` attempts, and at once for a permanent
one (a 5xx reply: the address refused or the message rejected), the message is ``failed`` with
a category and the server's code, never its text. Log lines (:mod:`assessment.logs`: events
``mail_sent`` with a count, ``mail_failed`` with the outbox row, category and SMTP code,
``mail_sender_error`` with the error's type) never hold an address or a link.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from . import logs, mailing
from .clock import ZONE, local_now
from .context import Context
from .mailing import FAILED, INVITATION, QUEUED, SENDING, SENT
from .rounds import invitation_link
from .settings import Environment, SettingError
from .storage import db_path as default_db_path
from .storage import is_url, write_transaction

log = logging.getLogger(__name__)

ENV = "WERKBAAR_SMTP_"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
POLL_S = 5.0
MAX_ATTEMPTS = 4
BACKOFF_S = (30, 120, 600)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    timeout: float = 30.0

    @property
    def lease(self) -> timedelta:
        """How long a message may stay ``sending`` before another sender takes it over."""
        return timedelta(seconds=4 * self.timeout)


def configuration(environ: Mapping[str, str] | None = None
                  ) -> tuple[SmtpSettings | None, list[tuple[str, dict]]]:
    """The SMTP settings from the environment and the problems with them (i18n keys and
    parameters). ``(None, [])`` when no host is set: e-mail is simply off; ``(None, problems)``
    for an unusable port, security or timeout, a missing sender, or a setting given both as
    itself and as ``<NAME>_FILE`` or as a file that cannot be read (:mod:`assessment.settings`:
    the password from a Docker secret)."""
    try:
        return _configuration(Environment(os.environ if environ is None else environ))
    except SettingError as error:
        return None, [(f"mail.setup_file_{error.kind}", {"name": error.name, "path": error.path})]


def _configuration(env: Mapping[str, str]) -> tuple[SmtpSettings | None, list[tuple[str, dict]]]:
    host = env.get(ENV + "HOST", "").strip()
    if not host:
        return None, []
    problems = []
    security = env.get(ENV + "SECURITY", "starttls").strip().lower() or "starttls"
    if security not in SECURITY:
        problems.append(("mail.setup_security", {"value": security[:30]}))
    port_text = env.get(ENV + "PORT", "").strip()
    port = DEFAULT_PORTS.get(security, 587)
    if port_text:
        port = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else 0
        if not port:
            problems.append(("mail.setup_port", {"value": port_text[:30]}))
    try:
        timeout = float(env.get(ENV + "TIMEOUT", "30") or 30)
        if not 0 < timeout <= 600:
            raise ValueError(timeout)
    except ValueError:
        problems.append(("mail.setup_timeout", {"value": env.get(ENV + "TIMEOUT", "")[:30]}))
        timeout = 30.0
    sender = env.get(ENV + "SENDER", "").strip()
    if not sender:
        problems.append(("mail.setup_sender", {}))
    if problems:
        return None, problems
    return SmtpSettings(host, port, security, env.get(ENV + "USER", ""),
                        env.get(ENV + "PASSWORD", ""), sender, timeout), []


@dataclass(frozen=True)
class Claimed:
    """One message a sender holds: the only place, besides the list, where its link exists."""

    id: int
    kind: str
    attempts: int
    address: str
    token: str
    lang: str
    subject: str
    body: str
    base_url: str
    closes_on: date


_CLAIM_SQL = """
select o.id, o.kind, o.attempts, r.address, r.token, b.lang, b.subject, b.body, b.base_url,
       s.closes_on
from mail_outbox o join mail_recipients r on r.id = o.recipient_id
join mail_batches b on b.id = o.batch_id join survey_rounds s on s.id = b.round_id
where (o.state = ? and o.not_before <= ?) or (o.state = ? and o.claimed_at < ?)
order by o.id limit 1"""


def claim(ctx, lease: timedelta, *, now: datetime | None = None) -> Claimed | None:
    """Take the next message due (queued and due, or left ``sending`` longer than ``lease``
    ago by a sender that died) and mark it ``sending``; None when nothing is due."""
    now = now or local_now()
    with write_transaction(ctx) as db:
        row = db.execute(_CLAIM_SQL, [QUEUED, _stamp(now), SENDING, _stamp(now - lease)]
                         ).fetchone()
        if row is None:
            return None
        db.execute("update mail_outbox set state = ?, claimed_at = ?, attempts = attempts + 1 "
                   "where id = ?", [SENDING, _stamp(now), row[0]])
    return Claimed(*row[:2], row[2] + 1, *row[3:9], date.fromisoformat(row[9]))


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="microseconds")


def finish(ctx, message: Claimed, state: str, error: str = "", *,
           now: datetime | None = None) -> None:
    """Record the outcome of one attempt: ``sent``; ``failed`` (with its error category); or
    ``queued`` again for a retry after :data:`BACKOFF_S`. The list's counters move with it. A
    message whose list was deleted meanwhile (the round closed) is no longer there: nothing
    changes then but the counters."""
    now = now or local_now()
    with write_transaction(ctx) as db:
        found = db.execute("select batch_id, state from mail_outbox where id = ?",
                           [message.id]).fetchone()
        if state == QUEUED:
            wait = BACKOFF_S[min(message.attempts, len(BACKOFF_S)) - 1]
            db.execute("update mail_outbox set state = ?, not_before = ?, error = ? where id = ?",
                       [QUEUED, _stamp(now + timedelta(seconds=wait)), error, message.id])
            return
        db.execute("update mail_outbox set state = ?, error = ? where id = ?",
                   [state, error or None, message.id])
        if found and found[1] == SENDING:
            prefix = "invitations" if message.kind == INVITATION else "reminders"
            column = f"{prefix}_{'sent' if state == SENT else 'failed'}"
            db.execute(f"update mail_batches set {column} = {column} + 1 where id = ?",
                       [found[0]])


def compose(message: Claimed, sender: str) -> EmailMessage:
    """The e-mail for one claimed message: plain text, UTF-8."""
    subject, body = mailing.render(
        message.subject, message.body, invitation_link(message.base_url, message.token,
                                                          message.lang),
        message.closes_on, message.lang, reminder=message.kind != INVITATION)
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.address
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(ZONE))
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(body)
    return mail


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session, encrypted as configured and logged in when a user is set.

    :raises OSError: (``smtplib.SMTPException`` is one) when the server cannot be reached,
      refuses TLS or the login.
    """
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
    except BaseException:
        server.close()
        raise
    return server


def classify(error: BaseException) -> tuple[bool, str]:
    """Whether a failure is permanent, and its category with the server's code (for the tab):
    a 5xx refusal of the address (``refused``) or of the message (``rejected``) is permanent;
    a 4xx reply (``temporary``), a refused login (``login``) and no connection or a timeout
    (``unreachable``) are worth retrying. An address with non-ASCII characters before the @
    that the server cannot take (no SMTPUTF8) is permanent (``unsupported``): retrying it would
    hold back the rest of the queue."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return True, "unsupported"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()), (0, b""))[0]
        return code >= 500, f"{'refused' if code >= 500 else 'temporary'} {code}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False, f"login {error.smtp_code}"
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return code >= 500, f"{'rejected' if code >= 500 else 'temporary'} {code}"
    return False, "unreachable"


def run_once(ctx, settings: SmtpSettings, *, clock: Callable[[], datetime] = local_now,
             stop: threading.Event | None = None) -> int:
    """Housekeeping (:func:`assessment.mailing.housekeeping`), then send every message that
    is due, one SMTP session for as long as it works, then delete the lists that are done;
    return how many were sent."""
    mailing.housekeeping(ctx, now=clock())
    server, sent = None, 0
    try:
        while not (stop and stop.is_set()):
            message = claim(ctx, settings.lease, now=clock())
            if message is None:
                break
            try:
                server = server or connect(settings)
                server.send_message(compose(message, settings.sender))
            except (OSError, smtplib.SMTPException) as error:
                permanent, category = classify(error)
                if not isinstance(error, smtplib.SMTPRecipientsRefused) and server:
                    _close(server)
                    server = None
                state = FAILED if permanent or message.attempts >= MAX_ATTEMPTS else QUEUED
                logs.event(log, logs.MAIL_FAILED, logging.WARNING, outbox_id=message.id,
                           category=category, attempt=message.attempts, state=state)
                finish(ctx, message, state, category, now=clock())
                if not permanent and state == QUEUED and category == "unreachable":
                    break  # the server is away: the others wait for the next round
                continue
            finish(ctx, message, SENT, now=clock())
            sent += 1
    finally:
        if server:
            _close(server)
    mailing.delete_finished_lists(ctx, now=clock())
    if sent:
        logs.event(log, logs.MAIL_SENT, sent=sent)
    return sent


def _close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def run_forever(database: Path | str | None, settings: SmtpSettings, stop: threading.Event, *,
                poll_s: float = POLL_S) -> None:
    """:func:`run_once` every ``poll_s`` seconds until ``stop`` is set, each poll a request of
    its own (:class:`~assessment.context.Context`: one connection, given back between polls).
    ``database`` is a file path or a PostgreSQL URL (``None``: ``$WERKBAAR_DB``). A database
    that does not exist yet is waited for (not created); any other failure is logged (its type
    only) and tried again at the next poll, so the sender never dies of one bad moment."""
    while not stop.is_set():
        target = database or default_db_path()
        if is_url(target) or Path(target).exists():
            try:
                with Context(target) as ctx:
                    run_once(ctx, settings, stop=stop)
            except Exception as error:  # noqa: BLE001 - keep sending whatever went wrong
                logs.event(log, logs.MAIL_SENDER_ERROR, logging.ERROR,
                           error=type(error).__name__, retry_s=poll_s)
        stop.wait(poll_s)


_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def start_background_sender(environ: Mapping[str, str] | None = None) -> bool:
    """Start the sending thread once per process (later calls do nothing); return whether one
    runs. Without a usable SMTP configuration nothing starts (the tab explains why)."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return True
        settings, _ = configuration(environ)
        if settings is None:
            return False
        _thread = threading.Thread(target=run_forever, args=(None, settings, _stop), daemon=True,
                                   name="werkbaar-mail-sender")
        _thread.start()
        return True
