"""The API benchmark (``benchmarks/api.py``, issue 30) at its smallest size, so it cannot rot:
it builds a small database with the scale generator, freezes the ended years, makes a sector
analyst's and an organisation admin's tokens and calls the four routes in-process, over HTTP
to Uvicorn and to ``werkbaar run``; its report must have every row with a numeric ratio and
a verdict that agrees with the ratio and the exit code. No timing is asserted. Also: an
answer that is an error, or cells still being prepared, stops the benchmark instead of being
timed as a fast call."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "api.py"


def test_the_api_benchmark_runs_and_reports_a_ratio(tmp_path):
    """Fails when the script breaks (a route, the setup, the generator), leaves a row out, or
    reports a verdict or exit code that does not follow from its own ratio."""
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--responses", "2000", "--runs", "2", "--block", "2",
         "--dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"WERKBAAR_LOG_LEVEL": "WARNING", "PATH": "/usr/bin:/bin"})
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (0, 1), run.stderr[-3000:]
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.strip("|").split("|")]
            for line in run.stdout.splitlines() if re.match(r"\| [AHW]\d \|", line)}
    assert sorted(rows) == [f"{t}{n}" for t in "AHW" for n in range(1, 5)], run.stdout
    assert "/api/v1/sectors/pc:" in rows["A2"][1] and rows["A4"][1].endswith(
        "/figures` (organisation admin)"), run.stdout
    verdicts = []
    for key in ("A2", "H2", "W2"):
        ratio = re.fullmatch(r"\*\*(\d+\.\d\d)\*\* \(\d+\.\d\d–\d+\.\d\d\)", rows[key][7])
        assert ratio, rows[key]
        met = float(ratio.group(1)) <= 2.0
        assert rows[key][8:10] == ["≤ 2×", "**met**" if met else "**NOT met**"], rows[key]
        verdicts.append(met)
    for key in ("A3", "A4", "H3", "H4", "W3", "W4"):
        assert re.fullmatch(r"\*\*\d+\.\d\d\*\* .*", rows[key][7]), rows[key]
    assert all(float(rows[f"{t}1"][5]) > 0 for t in "AHW")  # medians measured
    verdict = next(line for line in run.stdout.splitlines() if line.startswith("Verdict:"))
    assert ("**met**" in verdict) == all(verdicts) == (run.returncode == 0), verdict
    assert "sector years frozen before timing: " in run.stdout


@pytest.fixture
def bench(monkeypatch):
    """The script as a module, its import's changes to the environment, ``sys.path`` and the
    logging level undone afterwards."""
    monkeypatch.setenv("WERKBAAR_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("STREAMLIT_LOGGER_LEVEL", "error")
    monkeypatch.setattr(sys, "path", list(sys.path))
    for name in ("scale", "population"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    spec = importlib.util.spec_from_file_location("api_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "api_bench", module)  # its dataclasses look it up there
    spec.loader.exec_module(module)
    scale = sys.modules["scale"]
    yield module
    import logging
    logging.getLogger("assessment").removeHandler(scale.ERRORS)


def test_an_error_or_a_year_being_prepared_is_not_timed(bench):
    """Fails when the benchmark would time a refused call (401, 404, 500) or a cells answer
    without a frozen year as if it were the real thing."""
    setup = bench.Setup("db", "2025", bench.Sector("pc", "200"), "", {
        name: f"/api/v1/{name}" for name in (bench.ME, bench.CELLS, bench.FIGURES)}, {}, "")
    for status in (401, 404, 500):
        with pytest.raises(SystemExit, match=f"answered {status}"):
            bench.check(bench.ME, status, b'{"error": {}}', setup)
    with pytest.raises(SystemExit, match="no frozen year"):
        bench.check(bench.CELLS, 200, b'{"preparing": true, "cells": []}', setup)
    with pytest.raises(SystemExit, match="not published"):
        bench.check(bench.FIGURES, 200, b'{"published": false}', setup)
    bench.check(bench.CELLS, 200, b'{"preparing": false, "cells": [{"shown": true}]}', setup)
