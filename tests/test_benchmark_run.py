"""``benchmarks/run.py`` (the submit path against raw sqlite3, threads, the dashboard query) at
the smallest size, so it cannot rot: its raw baseline once kept a column the schema had
dropped and the script failed with nobody noticing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_submit_benchmark_runs_and_loses_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--submissions", "20",
         "--threads", "2", "--per-thread", "5", "--respondents", "50", "--query-runs", "2",
         "--repeat", "1", "--block", "10", "--dir", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
        env={"WERKBAAR_LOG_LEVEL": "WARNING", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "lost **0**" in result.stdout
    assert "| 3c | submit path / raw per submission" in result.stdout
