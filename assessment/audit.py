"""The audit log: who viewed or exported which sector figures, who changed accounts, and who
made invitation links.

An entry names the account, the action and its subject (a sector key such as ``pc:330``, an
account name, an organisation and round), never figures, respondents or link tokens. Entries
are only added, never changed, with two exceptions (``assessment.retention``): the names of a
deleted organisation and of deleted accounts are replaced by "(deleted …)", and entries older
than 24 months are purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .access import MANAGE_ACCOUNTS, Scope
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


@dataclass(frozen=True)
class Entry:
    at: str  # ISO time, UTC, to the second
    username: str
    action: str
    subject: str
    detail: str


def record(scope: Scope, action: str, subject: str = "", detail: str = "", *, db_path=None,
           now: datetime | None = None) -> None:
    """Add one entry for the person acting with ``scope``.

    :raises ValueError: for an action not in :data:`ACTIONS` (the log must stay readable).
    """
    with write_transaction(db_path) as db:
        record_in(db, scope, action, subject, detail, now=now)


def record_in(db, scope: Scope, action: str, subject: str = "", detail: str = "", *,
              now: datetime | None = None) -> None:
    """:func:`record`, inside the caller's write transaction on ``db`` (so that the entry and
    what it records land together or not at all)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db["audit_log"].insert({
        "at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "account_id": scope.account_id, "username": scope.username, "action": action,
        "subject": subject[:200], "detail": detail[:500],
    })


def recent(scope: Scope, limit: int = 200, *, db_path=None) -> list[Entry]:
    """The latest entries, newest first; for platform admins.

    :raises AccessDenied: for any other role.
    """
    scope.require(MANAGE_ACCOUNTS)
    with connection(db_path) as db:
        return [Entry(r["at"], r["username"], r["action"], r["subject"] or "", r["detail"] or "")
                for r in db.query("select * from audit_log order by id desc limit ?", [limit])]
