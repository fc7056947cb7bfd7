"""The capacity benchmark (``benchmarks/capacity.py``, issue 15) at its smallest size, so it
cannot rot: two respondents fill in the survey at once in Chromium against a ``werkbaar run``
server it starts, and its table must say 2 of 2 completed, 0 lost and 0 errors. Also: the
*lost* figure is read from the database (a token marked used without a stored response counts
as lost), and bad options are refused with a message, not a traceback. The replicas' load test
(issue 16) at its smallest: two app processes on one PostgreSQL database, respondents spread
over both and threads submitting through the domain at the same time, none lost."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.storage import write_transaction

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "capacity.py"


def load_capacity():
    spec = importlib.util.spec_from_file_location("capacity", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["capacity"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.e2e
def test_two_respondents_complete_and_none_is_lost():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--levels", "2", "--think-min", "0.1", "--think-max",
         "0.2", "--arrival", "0.5", "--no-warm-up"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    row = next((line for line in run.stdout.splitlines() if line.startswith("| 2 |")), None)
    assert row is not None, run.stdout
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:4] == ["2/2", "**0**", "0"], run.stdout[-3000:]  # completed, lost, errors
    assert re.fullmatch(r"[\d.]+ / \*\*[\d.]+\*\*", cells[5]), row  # step p50 / p95 measured
    assert re.fullmatch(r"\d+ / \d+", cells[7]), row  # the server's health probe answered
    assert all(float(cells[i]) > 0 for i in (9, 10, 11)), row  # server CPU, per survey, RSS


@pytest.mark.e2e
def test_two_processes_on_postgresql_with_domain_writers_lose_nothing():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--backend", "postgresql", "--processes", "2", "--levels",
         "4", "--domain-threads", "2", "--domain-each", "3", "--think-min", "0.1",
         "--think-max", "0.2", "--arrival", "0.5", "--no-warm-up"],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    assert "on PostgreSQL 15" in run.stdout, run.stdout
    rows = [line for line in run.stdout.splitlines() if line.startswith("| 4 |")]
    assert len(rows) == 2, run.stdout  # the capacity table and the submissions table
    cells = [cell.strip() for cell in rows[1].strip("|").split("|")]
    per_process = [int(n) for n in cells[1].split(" / ")]
    assert len(per_process) == 2 and all(n > 0 for n in per_process), rows[1]  # both served
    assert cells[2] == "6 / 0", rows[1]  # domain submissions ok / errors
    assert cells[3] == "10 / 10 / 10" and cells[4] == "**0**", rows[1]  # acknowledged = stored


def test_lost_counts_a_used_token_without_a_response(tmp_path, questionnaire):
    capacity = load_capacity()
    _, [level] = capacity.seed(tmp_path / "w.db", [3], questionnaire, 1)
    with write_transaction(tmp_path / "w.db") as db:
        db.execute("update invitations set used = 1 where token_hash = ?",
                   [capacity.hash_token(level.tokens[0])])
    assert capacity.count_used_and_stored(tmp_path / "w.db", level) == (1, 0)


def test_lost_counts_an_acknowledged_submission_without_a_response():
    """A thanks page or a returned ``submit_response`` promises a stored response."""
    capacity = load_capacity()
    result = capacity.Result(
        size=2, completed=2, used=3, stored=2, errors=[], steps=[], submits=[], opens=[],
        health_ms=[], wall_s=1.0, server_cpu=0.0, server_rss=0.0, client_cpu=0.0,
        machine_busy=0.0, writers=capacity.Writers(ok=1))
    assert (result.acknowledged, result.lost) == (3, 1)
    assert capacity.Result(**{**vars(result), "stored": 3}).lost == 0


@pytest.mark.parametrize("argv,message", [
    (["--levels", "5,x"], "--levels: whole numbers"),
    (["--levels", "0"], "at least 1 respondent"),
    (["--url", "http://127.0.0.1:8501"], "--url needs --db"),
    (["--url", "127.0.0.1:8501", "--db", "x.db"], "--url: a server's address"),
    (["--domain-threads", "2", "--domain-each", "0"], "--domain-each: at least 1"),
    (["--backend", "mysql"], "invalid choice: 'mysql'"),
])
def test_bad_options_are_named(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        load_capacity().parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_survey_load_generator_completes_and_loses_none():
    """``benchmarks/survey_load.py`` (issue 25) at its smallest: three respondents post the
    survey's forms at once against a ``werkbaar run`` server; 3 completed, 0 lost."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "survey_load.py"), "--levels", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    assert re.search(r"^\| 3 \| 3 \| 0 \| 0 \|", run.stdout, re.M), run.stdout
