"""Organisations and their departments.

An organisation is described by its name, its sector (NACE-BEL 2008 section and division),
its headcount and its own list of departments; respondents pick their department from that
list. ``min_group_size`` is the smallest group whose figures may be shown (5, or more if the
organisation raises it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import nace
from .access import PLATFORM_ADMIN, VIEW_RESULTS, Scope
from .confidentiality import MIN_GROUP
from .errors import InputError, Problem
from .storage import connection, write_transaction
from .text import clean_line

MAX_NAME = 120
MAX_DEPARTMENTS = 200
MAX_HEADCOUNT = 1_000_000


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    headcount: int | None = None  # people working there, for response rates


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    nace_section: str
    nace_division: str | None
    headcount: int
    min_group_size: int
    departments: tuple[Department, ...]


def parse_departments(text: str) -> list[str]:
    """One department per line; blank lines and repeats (ignoring case) dropped."""
    names: list[str] = []
    for line in (text or "").splitlines():
        name = clean_line(line)
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def validate_organisation(
    name: str, nace_section: str, nace_division: str | None, headcount: object,
    departments: list[str],
) -> list[Problem]:
    problems = []
    if not clean_line(name):
        problems.append(Problem("name", "error.name_empty"))
    elif len(clean_line(name)) > MAX_NAME:
        problems.append(Problem("name", "error.name_too_long", {"max": MAX_NAME}))
    section = nace.lookup(nace_section or "")
    if section is None or section.level != "section":
        problems.append(Problem("nace_section", "error.nace_section"))
    if nace_division:
        division = nace.lookup(nace_division)
        if division is None or division.level != "division" or division.section != nace_section:
            problems.append(Problem("nace_division", "error.nace_division"))
    if isinstance(headcount, bool) or not isinstance(headcount, int) or not (
        1 <= headcount <= MAX_HEADCOUNT
    ):
        problems.append(Problem("headcount", "error.headcount", {"max": MAX_HEADCOUNT}))
    if len(departments) > MAX_DEPARTMENTS:
        problems.append(Problem("departments", "error.too_many_departments",
                                {"max": MAX_DEPARTMENTS}))
    too_long = [d for d in departments if len(d) > MAX_NAME]
    if too_long:
        problems.append(Problem("departments", "error.department_too_long", {"max": MAX_NAME}))
    return problems


def create_organisation(ctx,
    name: str, nace_section: str, nace_division: str | None, headcount: object,
    departments: list[str], *, today: date | None = None,
) -> int:
    """Store a new organisation with its departments and return its id.

    :raises InputError: listing every problem (empty or over-long name, unknown NACE code, a
      division outside the section, a headcount that is not a whole number from 1); nothing
      is stored then.
    """
    departments = [clean_line(d) for d in departments if clean_line(d)]
    problems = validate_organisation(name, nace_section, nace_division, headcount, departments)
    if problems:
        raise InputError(problems)
    with write_transaction(ctx) as db:
        org_id = db["organisations"].insert({
            "name": clean_line(name),
            "nace_section": nace_section,
            "nace_division": nace_division or None,
            "headcount": headcount,
            "min_group_size": MIN_GROUP,
            "created_on": (today or ctx.today).isoformat(),
        }).last_pk
        db["departments"].insert_all(
            {"organisation_id": org_id, "name": d} for d in departments
        )
    return org_id


def list_organisations(ctx) -> list[Organisation]:
    """Every organisation, by name, with its departments."""
    return _load(ctx, "1 = 1", [])


def visible_organisations(ctx, scope: Scope) -> list[Organisation]:
    """The organisations ``scope`` may see, by name: every one for a platform admin, their own
    for an organisation admin or HR viewer, none for a sector analyst (who sees sectors only
    as pooled figures, see :mod:`assessment.sector`)."""
    visible = _visible(scope)
    return [] if visible is None else _load(ctx, *visible)


def get_organisation(ctx, org_id: int) -> Organisation | None:
    """One organisation, or ``None`` when there is none with this id."""
    found = _load(ctx, "id = ?", [org_id])
    return found[0] if found else None


def visible_names(ctx, scope: Scope, search: str = "", *,
                  limit: int | None = None) -> list[tuple[int, str]]:
    """``(id, name)`` of the organisations ``scope`` may see whose name contains ``search``
    (case-insensitive), by name, at most ``limit``: what a picker needs and nothing more (no
    departments), in one query whatever the number of organisations."""
    if (matching := _matching(scope, search)) is None:
        return []
    where, params = matching
    cap = "" if limit is None else f" limit {int(limit)}"
    with connection(ctx) as db:
        return [(r[0], r[1]) for r in db.execute(
            f"select id, name from organisations where {where} order by lower(name), id{cap}",
            params)]


def count_visible(ctx, scope: Scope, search: str = "") -> int:
    """How many organisations ``scope`` may see whose name contains ``search``."""
    if (matching := _matching(scope, search)) is None:
        return 0
    where, params = matching
    with connection(ctx) as db:
        return db.execute(f"select count(*) from organisations where {where}",
                          params).fetchone()[0]


PAGE_SIZE = 100  # organisations per page of the platform admin's list


def organisation_page(ctx, scope: Scope, search: str = "", *,
                      limit: int = PAGE_SIZE) -> tuple[int, list[Organisation]]:
    """The first ``limit`` organisations ``scope`` may see whose name contains ``search``
    (case-insensitive, by name), with their departments, and how many match in all: a list of
    thousands of organisations costs a page one page of rows, not the whole platform."""
    if (matching := _matching(scope, search)) is None:
        return 0, []
    where, params = matching
    page = _load(ctx, f"id in (select id from organisations where {where} "
                 f"order by lower(name), id limit {int(limit)})", params)
    return count_visible(ctx, scope, search), page


def _matching(scope: Scope, search: str) -> tuple[str, list] | None:
    """:func:`_visible`, narrowed to names containing ``search`` (``%`` and ``_`` in it are
    plain characters)."""
    if (visible := _visible(scope)) is None:
        return None
    where, params = visible
    if search.strip():
        escaped = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where += " and lower(name) like lower(?) escape '\\'"
        params = [*params, f"%{escaped}%"]
    return where, params


def _visible(scope: Scope) -> tuple[str, list] | None:
    """The ``where`` clause (and its parameters) of the organisations ``scope`` may see, or
    ``None`` for none: every one for a platform admin, their own for its people."""
    if scope.role == PLATFORM_ADMIN:
        return "1 = 1", []
    if scope.may(VIEW_RESULTS) and scope.organisation_id is not None:
        return "id = ?", [scope.organisation_id]
    return None


def _load(ctx, where: str, params: list) -> list[Organisation]:
    """The organisations matching ``where`` with their departments: two queries, and the
    departments grouped by organisation in one pass (linear in organisations + departments)."""
    with connection(ctx) as db:
        orgs = list(db.query(
            f"select * from organisations where {where} order by lower(name), id", params
        ))
        by_org: dict[int, list[Department]] = {}
        for d in db.query(
            "select id, organisation_id, name, headcount from departments where "
            f"organisation_id in (select id from organisations where {where}) "
            "order by lower(name)", params
        ):
            by_org.setdefault(d["organisation_id"], []).append(
                Department(d["id"], d["name"], d["headcount"]))
    return [
        Organisation(
            id=o["id"], name=o["name"], nace_section=o["nace_section"],
            nace_division=o["nace_division"], headcount=o["headcount"],
            min_group_size=o["min_group_size"], departments=tuple(by_org.get(o["id"], ())),
        )
        for o in orgs
    ]


def set_department_headcounts(ctx, organisation_id: int, headcounts: dict[int, object]) -> None:
    """Store how many people work in each department (``None`` for unknown).

    :raises InputError: for a number that is not a whole number from 0, or a department of
      another organisation; nothing is stored then.
    """
    problems = [Problem("headcount", "error.department_headcount")
                for n in headcounts.values()
                if n is not None and (isinstance(n, bool) or not isinstance(n, int)
                                      or not 0 <= n <= MAX_HEADCOUNT)]
    if problems:
        raise InputError(problems[:1])
    with write_transaction(ctx) as db:
        own = {r[0] for r in db.execute("select id from departments where organisation_id = ?",
                                        [organisation_id])}
        if set(headcounts) - own:
            raise InputError([Problem("department", "error.unknown_department")])
        db.executemany("update departments set headcount = ? where id = ?",
                            [(n, d) for d, n in headcounts.items()])
