"""The audit log: who viewed or exported which sector figures, who changed accounts, and who
made invitation links.

An entry names the account, the action and its subject (a sector key such as ``pc:330``, an
account name, an organisation and round), never figures, respondents or link tokens. Entries
are only added, never changed, with two exceptions (``assessment.retention``): the names of a
deleted organisation and of deleted accounts are replaced by "(deleted …)", and entries older
than 24 months are purged.

Account changes and sign-ins are written by :mod:`assessment.accounts` itself, in the same
transaction as the change, with the acting scope as a parameter (:data:`OPERATOR` for the
command line), so no caller can forget them. Failed sign-ins are entered only for existing
accounts and locks only once per lock, so strangers trying names cannot grow this table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from . import logs
from .access import MANAGE_ACCOUNTS, PLATFORM_ADMIN, Scope
from .storage import connection, write_transaction

VIEW = "view"
EXPORT_CSV = "export_csv"
EXPORT_XLSX = "export_xlsx"
REPORT_PDF = "report_pdf"  # subject: organisation:<id>/round:<id>, never its name
REPORT_XLSX = "report_xlsx"
SECTOR_REPORT_PDF = "sector_report_pdf"  # subject: the sector key
ACCOUNT_CREATED = "account_created"
ACCOUNT_DISABLED = "account_disabled"
ACCOUNT_ENABLED = "account_enabled"
LINKS_CREATED = "links_created"  # detail: how many, never the tokens
SLIPS_CREATED, SLIPS_PDF = "slips_created", "slips_pdf"  # detail: how many, never the codes
ORGANISATION_DELETED = "organisation_deleted"  # no subject; detail: rows deleted per table
ACCOUNT_ERASED = "account_erased"  # no subject; detail: the role
PURGED = "purged"  # by `werkbaar purge`; detail: how many of what
ACTIONS = (VIEW, EXPORT_CSV, EXPORT_XLSX, ACCOUNT_CREATED, ACCOUNT_DISABLED, ACCOUNT_ENABLED,
           LINKS_CREATED, ORGANISATION_DELETED, ACCOUNT_ERASED, PURGED, REPORT_PDF, REPORT_XLSX,
           SECTOR_REPORT_PDF)
ACTIONS += (SLIPS_CREATED, SLIPS_PDF)
RESPONSES_IMPORTED = "responses_imported"  # paper answers imported; detail: how many, no content
PAPER_DOWNLOADED = "paper_downloaded"  # paper questionnaire or import template; detail: which
ACTIONS += (RESPONSES_IMPORTED, PAPER_DOWNLOADED)
MAIL_QUEUED, MAIL_LIST_DELETED = "mail_queued", "mail_list_deleted"  # detail: counts, no address
ACTIONS += (MAIL_QUEUED, MAIL_LIST_DELETED)
# subject: "<questionnaire id> v<version>"
QUESTIONNAIRE_IMPORTED = "questionnaire_imported"
QUESTIONNAIRE_ACTIVATED = "questionnaire_activated"
ACTIONS += (QUESTIONNAIRE_IMPORTED, QUESTIONNAIRE_ACTIVATED)
# the psychosocial risk analysis export; subject: organisation:<id>/round:<id>, never its name
RISK_ANALYSIS_PDF, RISK_ANALYSIS_XLSX = "risk_analysis_pdf", "risk_analysis_xlsx"
ACTIONS += (RISK_ANALYSIS_PDF, RISK_ANALYSIS_XLSX)
# The API (issue 30): every call, by the token's account; subject: the method and path (ids,
# never a name or figure); detail: the token's id and the answer's status
API_CALL = "api_call"
# subject: the token's or webhook's id; detail: the token's name, the webhook's target
API_TOKEN_CREATED, API_TOKEN_REVOKED = "api_token_created", "api_token_revoked"
WEBHOOK_CREATED, WEBHOOK_DELETED = "webhook_created", "webhook_deleted"
ROUND_OPENED = "round_opened"  # subject: audit.round_subject; by the API and the rounds page
ACTIONS += (API_CALL, API_TOKEN_CREATED, API_TOKEN_REVOKED, WEBHOOK_CREATED, WEBHOOK_DELETED,
            ROUND_OPENED)
# Written by assessment.accounts itself, whoever calls it (a page, the command line, the demo):
PASSWORD_CHANGED = "password_changed"  # subject: the account's name
SIGN_IN = "sign_in"  # by the account that signed in; no subject
SIGN_IN_FAILED = "sign_in_failed"  # only on an existing account (its name); detail: why
SIGN_IN_LOCKED = "sign_in_locked"  # the attempt that locked an existing account's name
ACTIONS += (PASSWORD_CHANGED, SIGN_IN, SIGN_IN_FAILED, SIGN_IN_LOCKED)

# Who acts when nobody is signed in:
OPERATOR = Scope(None, "werkbaar (server)", PLATFORM_ADMIN)  # the command line, the demo loader
ANONYMOUS = Scope(None, "—", "")  # the sign-in form, before anyone is known

# Actions whose subject names no person or organisation (a sector key, or organisation, round
# and list ids): the server log may show it. Other subjects hold names and stay in this table.
# A detail never names anyone (counts, a role, a language, a reason): it is always logged.
_NAMELESS = (VIEW, EXPORT_CSV, EXPORT_XLSX, REPORT_PDF, REPORT_XLSX, SECTOR_REPORT_PDF,
             MAIL_QUEUED, MAIL_LIST_DELETED, QUESTIONNAIRE_IMPORTED, QUESTIONNAIRE_ACTIVATED,
             RISK_ANALYSIS_PDF, RISK_ANALYSIS_XLSX, API_CALL, API_TOKEN_CREATED,
             API_TOKEN_REVOKED, WEBHOOK_DELETED)
# Downloads of figures or printed codes: logged as logs.EXPORT events.
_EXPORTS = (EXPORT_CSV, EXPORT_XLSX, REPORT_PDF, REPORT_XLSX, SECTOR_REPORT_PDF, SLIPS_PDF,
            PAPER_DOWNLOADED, RISK_ANALYSIS_PDF, RISK_ANALYSIS_XLSX)
# Logged by assessment.accounts with more to say (outcome, a keyed tag of the name).
_LOGGED_ELSEWHERE = (SIGN_IN, SIGN_IN_FAILED, SIGN_IN_LOCKED)
log = logging.getLogger(__name__)


def round_subject(org, survey_round) -> str:
    """The subject of every entry about one round (links, slips, paper forms, imported
    answers): ``"<organisation> / <round> (#<id>)"``. Deleting the organisation finds these
    entries by their ``(#<id>)`` end and takes the names out
    (:func:`assessment.retention.delete_organisation`), so no caller may spell it otherwise."""
    return f"{org.name} / {survey_round.title} (#{survey_round.id})"


@dataclass(frozen=True)
class Entry:
    at: str  # ISO time, UTC, to the second
    username: str
    action: str
    subject: str
    detail: str


def record(ctx, scope: Scope, action: str, subject: str = "", detail: str = "", *,
           now: datetime | None = None) -> None:
    """Add one entry for the person acting with ``scope``.

    :raises ValueError: for an action not in :data:`ACTIONS` (the log must stay readable).
    """
    with write_transaction(ctx) as db:
        record_in(db, scope, action, subject, detail, now=now)


def record_in(db, scope: Scope, action: str, subject: str = "", detail: str = "", *,
              now: datetime | None = None) -> None:
    """:func:`record`, inside the caller's write transaction on ``db`` (so that the entry and
    what it records land together or not at all). Also writes a server log line
    (:data:`assessment.logs.AUDIT`, or :data:`~assessment.logs.EXPORT` for a download) with the
    action, the acting account's id and the detail; the subject only where it names nobody."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db["audit_log"].insert({
        "at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "account_id": scope.account_id, "username": scope.username, "action": action,
        "subject": subject[:200], "detail": detail[:500],
    })
    if action in _LOGGED_ELSEWHERE:
        return
    fields = {"action": action, "account_id": scope.account_id}
    if scope.account_id is None:
        fields["actor"] = scope.username  # a system actor's label, never a person's name
    if action in _NAMELESS and subject:
        fields["subject"] = subject
    if detail:
        fields["detail"] = detail[:500]
    line = partial(logs.event, log, logs.EXPORT if action in _EXPORTS else logs.AUDIT, **fields)
    hooks = getattr(db, "after_commit", None)  # set by storage.write_transaction
    if hooks is None:
        line()
    else:
        hooks.append(line)


def recent(ctx, scope: Scope, limit: int = 200, *, api_calls: bool = False) -> list[Entry]:
    """The latest entries, newest first; for platform admins. Without ``api_calls`` the API's
    calls (one entry each, :data:`API_CALL`) are left out, so that a system polling the API
    does not push every other entry off the list.

    :raises AccessDenied: for any other role.
    """
    scope.require(MANAGE_ACCOUNTS)
    where = "" if api_calls else "where action != ?"
    with connection(ctx) as db:
        return [Entry(r["at"], r["username"], r["action"], r["subject"] or "", r["detail"] or "")
                for r in db.query(f"select * from audit_log {where} order by id desc limit ?",
                                  ([] if api_calls else [API_CALL]) + [limit])]
