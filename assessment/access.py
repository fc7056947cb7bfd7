"""Who may see and do what: roles, permissions and the caller's scope.

Every signed-in person acts with a :class:`Scope`, built on the server from their account (never
from anything the browser sends). Pages ask the scope before they show anything, and the
domain functions that read an organisation's or a sector's data take the scope and refuse
(:class:`AccessDenied`) what lies outside it.

Roles:

* ``platform_admin`` — manages accounts and organisations, sees every organisation and sector;
* ``organisation_admin`` — works on one organisation: profile, rounds, self-assessment, plan;
* ``hr_viewer`` — reads one organisation's results, support and plan, changes nothing;
* ``sector_analyst`` — a sector fund's consultant: sees only the pooled, anonymised figures of
  the sectors (joint committees and/or NACE divisions) on their account, never one
  organisation.

Respondents never sign in; their invitation link is their only key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PLATFORM_ADMIN = "platform_admin"
ORGANISATION_ADMIN = "organisation_admin"
HR_VIEWER = "hr_viewer"
SECTOR_ANALYST = "sector_analyst"
ROLES = (PLATFORM_ADMIN, ORGANISATION_ADMIN, HR_VIEWER, SECTOR_ANALYST)
ORGANISATION_ROLES = (ORGANISATION_ADMIN, HR_VIEWER)  # bound to exactly one organisation

# Permissions, and the roles that hold them.
VIEW_RESULTS = "view_results"  # an organisation's dashboard, groups, trends, support, plan
EDIT_ORGANISATION = "edit_organisation"  # profile, rounds, self-assessment, plan changes
CREATE_ORGANISATION = "create_organisation"
VIEW_SECTOR = "view_sector"  # pooled sector figures
MANAGE_ACCOUNTS = "manage_accounts"  # accounts and the audit log
PERMISSIONS = {
    VIEW_RESULTS: (PLATFORM_ADMIN, ORGANISATION_ADMIN, HR_VIEWER),
    EDIT_ORGANISATION: (PLATFORM_ADMIN, ORGANISATION_ADMIN),
    CREATE_ORGANISATION: (PLATFORM_ADMIN,),
    VIEW_SECTOR: (PLATFORM_ADMIN, SECTOR_ANALYST),
    MANAGE_ACCOUNTS: (PLATFORM_ADMIN,),
}

PC = "pc"  # a joint committee (paritair comité), e.g. 330 or 111.01
NACE = "nace"  # a NACE-BEL 2008 division, two digits, e.g. 87
# [0-9], not \d: "٣٣٠" is no joint committee
_SECTOR_CODE = {PC: re.compile(r"[0-9]{3}(\.[0-9]{2})?"), NACE: re.compile(r"[0-9]{2}")}


class AccessDenied(PermissionError):  # noqa: N818 (named like Django's PermissionDenied)
    """The caller's scope does not cover what was asked. Pages show a neutral message; the
    message of the exception is for logs and names no data."""


@dataclass(frozen=True, order=True)
class Sector:
    """A sector as a sector fund knows it: a joint committee (``pc``) or a NACE division."""

    kind: str
    code: str

    @classmethod
    def parse(cls, text: str) -> Sector:
        """``"pc:330"`` or ``"nace:87"`` → a Sector.

        :raises ValueError: for another kind or a malformed code.
        """
        kind, _, code = text.strip().partition(":")
        kind, code = kind.lower(), code.strip()
        if kind not in _SECTOR_CODE or not _SECTOR_CODE[kind].fullmatch(code):
            raise ValueError(f"not a sector: {text!r} (use pc:330 or nace:87)")
        return cls(kind, code)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True)
class Scope:
    """What one signed-in person may reach. Built by :mod:`assessment.accounts` from the
    stored account on every script run."""

    account_id: int
    username: str
    role: str
    organisation_id: int | None = None  # for organisation_admin and hr_viewer
    sectors: tuple[Sector, ...] = field(default_factory=tuple)  # for sector_analyst

    def may(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]

    def require(self, permission: str) -> None:
        """:raises AccessDenied: when the role lacks ``permission``."""
        if not self.may(permission):
            raise AccessDenied(f"{self.role} may not {permission}")

    def allows_organisation(self, organisation_id: int | None) -> bool:
        if organisation_id is None or not self.may(VIEW_RESULTS):
            return False
        return self.role == PLATFORM_ADMIN or organisation_id == self.organisation_id

    def require_organisation(self, organisation_id: int | None,
                             permission: str = VIEW_RESULTS) -> None:
        """:raises AccessDenied: unless the scope covers ``organisation_id`` with
        ``permission``."""
        self.require(permission)
        if not self.allows_organisation(organisation_id):
            raise AccessDenied(f"organisation {organisation_id} is outside the caller's scope")

    def allows_sector(self, sector: Sector) -> bool:
        if not self.may(VIEW_SECTOR):
            return False
        return self.role == PLATFORM_ADMIN or sector in self.sectors

    def require_sector(self, sector: Sector) -> None:
        """:raises AccessDenied: unless the scope covers ``sector``."""
        if not self.allows_sector(sector):
            raise AccessDenied(f"sector {sector.key} is outside the caller's scope")
