"""The request context (issue 27): one connection per page run and per report, on both
backends; no function of the domain takes a database path or a threshold; a change and its
audit entry are one transaction."""

import ast
from pathlib import Path

import pytest

from assessment import audit, confidentiality, storage
from assessment.access import PLATFORM_ADMIN, Scope
from assessment.context import Context, current, request
from assessment.results import round_results
from assessment.rounds import create_invitations, list_rounds

ROOT = Path(__file__).resolve().parents[1]
ADMIN = Scope(1, "admin@werkbaar.test", PLATFORM_ADMIN)
CARE = "Zorggroep Scheldeland"


def functions(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield path.relative_to(ROOT), node


def test_no_domain_function_takes_a_database_path_or_a_threshold():
    """The context's constructor and the storage layer are the only doors to a database; the
    threshold comes with the round it governs, never from a caller."""
    allowed = {Path("assessment/storage.py"), Path("assessment/context.py")}
    found = [f"{path}:{node.lineno} {node.name}({arg.arg})"
             for path, node in functions("assessment") if path not in allowed
             for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
             if arg.arg in ("db_path", "organisation_min")]
    assert found == []


RULES = {"may_show": 1, "may_show_with_known": 2, "publishable": 2, "publishable_sets": 2,
         "refines_safely": 2, "may_show_drivers": 2, "unanimous_free": 3}  # ``minimum``


def test_every_rule_call_of_the_domain_passes_the_threshold():
    """The rule functions default to the platform's minimum (their tests use that); a domain
    call that left the argument out would silently ignore an organisation's own setting."""
    missing = []
    for path in sorted((ROOT / "assessment").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text())):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "attr", getattr(call.func, "id", None))
            if name in RULES and not path.match("confidentiality/*.py"):
                given = len(call.args) > RULES[name] or any(
                    k.arg == "minimum" for k in call.keywords)
                if not given:
                    missing.append(f"{path.relative_to(ROOT)}:{call.lineno} {name}")
    assert missing == []


def test_a_change_and_its_audit_entry_commit_together_or_not_at_all(db, round_id):
    """Links made and recorded in one block: when the entry cannot be written (here: an
    unknown action), the links are not stored either."""
    with Context(db) as ctx:
        with pytest.raises(ValueError), storage.write_transaction(ctx):
            create_invitations(ctx, round_id, 3)
            audit.record(ctx, ADMIN, "no such action")
        assert list_rounds(ctx, 1)[0].invited == 0
        with storage.write_transaction(ctx):
            create_invitations(ctx, round_id, 3)
            audit.record(ctx, ADMIN, audit.LINKS_CREATED, "R", "3")
        assert list_rounds(ctx, 1)[0].invited == 3
        assert ctx.opened == 1
    with storage.connection(db) as conn:
        assert conn.execute("select count(*) from audit_log").fetchone()[0] == 1


def test_a_request_inside_a_request_is_the_same_one(db):
    """A fragment drawn within its page's run uses the page's context (one connection)."""
    with request(db) as outer:
        with request(db) as inner:
            assert inner is outer is current()
    with pytest.raises(RuntimeError):
        current()


def test_rounds_carry_the_threshold_of_their_organisation(db, org_id, round_id):
    with storage.write_transaction(db) as conn:
        conn.execute("update organisations set min_group_size = 8 where id = ?", [org_id])
    with Context(db) as ctx:
        assert round_results(ctx, round_id).threshold == confidentiality.threshold(8) == 8


def test_a_request_s_context_cannot_be_used_after_it_ended(db):
    """A dialog or fragment that reruns later with the page's context (kept in a closure)
    fails loudly instead of opening a connection nobody closes."""
    with request(db) as ctx:
        list_rounds(ctx, 1)
    with pytest.raises(RuntimeError, match="ended"):
        list_rounds(ctx, 1)
