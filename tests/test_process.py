"""The installed command as an operator's service manager sees it: ``werkbaar run`` becomes
the server (SIGTERM stops it, nothing left behind), ``--version`` answers, and importing a
domain module stays light."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .e2e.support import free_port

BIN = Path(sys.executable).parent


def test_version_names_the_package():
    out = subprocess.run([BIN / "werkbaar", "--version"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().startswith("werkbaar 0.")


def imported_by(module: str) -> set[str]:
    """The top-level packages ``python -X importtime -c "import <module>"`` loads."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    return {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines()
            if "|" in line}


def test_importing_scoring_loads_no_pandas_numpy_or_argon2():
    loaded = imported_by("assessment.scoring")
    assert "assessment" in loaded
    assert not loaded & {"pandas", "numpy", "argon2", "sqlite_utils", "streamlit"}


@pytest.mark.parametrize("module", ["assessment.catalogue", "assessment.confidentiality",
                                    "assessment.storage", "assessment.i18n", "assessment.context",
                                    "assessment.group_formulas"])
def test_rule_modules_load_no_pandas_scipy_or_plotly(module):
    """The rule modules and the storage layer load light (issue 27): sqlite-utils (which loads
    pandas) when the first SQLite connection opens, SciPy where the solver runs, plotly with
    the charts."""
    loaded = imported_by(module)
    assert "assessment" in loaded
    assert not loaded & {"pandas", "scipy", "plotly", "streamlit", "sqlite_utils"}


def test_run_becomes_the_server_and_sigterm_leaves_nothing(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [BIN / "werkbaar", "--db", str(tmp_path / "w.db"), "run", "--port", str(port),
         "--address", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert process.poll() is None, "werkbaar run exited"
                assert time.monotonic() < deadline, "no health answer within 60 s"
                time.sleep(0.5)
        # the pid we started is Streamlit itself, not a wrapper waiting for a child
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"serve" in cmdline and b"run" in cmdline
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        # nothing of its session group is left, and the port is free
        time.sleep(0.5)
        try:
            os.killpg(process.pid, 0)
            left = True
        except ProcessLookupError:
            left = False
        assert not left
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
