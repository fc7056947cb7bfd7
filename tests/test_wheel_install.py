"""The package as an operator installs it: the wheel built from this checkout, installed into a
fresh virtual environment outside the checkout, used from another directory.

Fails when the wheel lacks the app (``app.py``, page scripts, data files, Streamlit's settings)
or carries the tests; when an installed ``werkbaar check`` or ``demo`` cannot find its data or
writes its database anywhere but the documented per-user place; when the container's entry
command (the Dockerfile's ``CMD``) does not serve the app from the installed package with its
settings; or when SIGTERM leaves a process behind.

Slow (90 s at load 10 on 2 cores, 46 s of it build, venv and ``pip install`` of the
dependencies from pip's cache; then a server start and one browser visit), so it is marked
e2e with the browser tests.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from assessment import paths, storage
from assessment.i18n import t

from .e2e.support import CHROMIUM_ARGS, chromium_path, free_port
from .test_deploy import dockerfile_command, dockerfile_env

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"]
PRIMARY_COLOR = "rgb(31, 111, 139)"  # .streamlit/config.toml's primaryColor #1f6f8b


_BROWSER_VISIT = """
import json, sys
from playwright.sync_api import sync_playwright
url, label, chromium, args = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=args)
    page = browser.new_page(locale="nl-BE")
    page.goto(url)
    button = page.get_by_role("button", name=label)
    button.wait_for(timeout=60_000)
    print(button.evaluate("e => getComputedStyle(e).backgroundColor"))
    browser.close()
"""


def _sign_in_button_color(url: str) -> str:
    """The background colour of the Dutch sign-in page's sign-in button, seen by chromium.

    In a process of its own: in a full run the browser tests' session-wide Playwright is still
    running in this one, and Playwright's sync API cannot be started twice in one thread."""
    out = subprocess.run([sys.executable, "-c", _BROWSER_VISIT, url + "/",
                          t("auth.sign_in", "nl"), chromium_path(), json.dumps(CHROMIUM_ARGS)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def _source_copy(target: Path) -> Path:
    """The files a clean clone would hold once the working tree is committed (tracked and new,
    not ignored), copied to ``target``: the build's own ``build/`` and ``*.egg-info`` stay out of
    the shared checkout, and nothing ignored (``.venv``, ``var/``) can slip into the wheel."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
        capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, venv bin folder): the wheel of this checkout installed in a new venv."""
    base = tmp_path_factory.mktemp("wheel")
    started = time.monotonic()
    source = _source_copy(base / "src")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q",
                    "-w", str(base / "dist")], check=True, cwd=base)
    (wheel,) = (base / "dist").glob("werkbaar-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True)
    bin_dir = base / "venv" / "bin"
    # --no-compile: byte-compiling pandas, scipy and streamlit took half the install time
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-compile", str(wheel)],
                   check=True, cwd=base)
    print(f"build + venv + install: {time.monotonic() - started:.0f} s")
    return wheel, bin_dir


def test_wheel_holds_the_app_pages_data_and_settings_and_no_tests(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    app = paths.APP_PACKAGE
    expected = {f"{app}/app.py", f"{app}/ui_app.py", f"{app}/.streamlit/config.toml",
                "assessment/web/survey.css", "assessment/web/templates/step.html"}
    expected |= {f"{app}/app_pages/{p.name}" for p in paths.PAGES_DIR.glob("*.py")}
    expected |= {f"{app}/data/{p.relative_to(paths.DATA_DIR).as_posix()}"
                 for p in paths.DATA_DIR.rglob("*") if p.is_file()}
    assert len(expected) > 20 and expected <= names, sorted(expected - names)
    assert "assessment/cli.py" in names and "assessment/ui/favicon.png" in names
    assert not [n for n in names if n.startswith(("tests/", f"{app}/tests/", "benchmarks/",
                                                  f"{app}/benchmarks/", f"{app}/docs/"))]
    assert not [n for n in names if "test_" in n or n.endswith(("README.md", "Makefile"))]


def test_installed_tool_checks_loads_demo_and_serves_until_sigterm(installed, tmp_path):
    _, bin_dir = installed
    home = tmp_path / "home"
    elsewhere = tmp_path / "elsewhere"  # neither the checkout nor the venv
    elsewhere.mkdir()
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HOME": str(home),
           "LANG": "C.UTF-8"}  # no WERKBAAR_DB, no XDG_DATA_HOME: the documented default

    def werkbaar(*args: str) -> str:
        out = subprocess.run(["werkbaar", *args], cwd=elsewhere, env=env, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    database = home / ".local" / "share" / paths.USER_DB
    assert werkbaar("--version").strip() == f"werkbaar {VERSION}"
    assert werkbaar("check").startswith("ok: questionnaire employee v1 (34 items)")
    assert f"added to {database}" in werkbaar("demo")
    assert database.is_file() and not list(elsewhere.iterdir())
    assert f"Here that default is {database}" in werkbaar("--help")

    # the container's entry command and settings, with only the address and port overridden
    # (the last option wins) and the database left where demo put it (the image's is /data)
    command = dockerfile_command()
    assert command[:2] == ["werkbaar", "run"]
    image_env = {k: v for k, v in dockerfile_env().items() if k != storage.DB_ENV}
    port = free_port()
    process = subprocess.Popen([*command, "--address", "127.0.0.1", "--port", str(port)],
                               cwd=elsewhere, env=env | image_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    assert response.read() == b"ok"
                break
            except OSError:
                assert process.poll() is None, "werkbaar run exited"
                assert time.monotonic() < deadline, "no health answer within 60 s"
                time.sleep(0.5)
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            assert response.status == 200 and b"<noscript>" in response.read()

        # the server is Streamlit itself, running the installed app (not the checkout's) in its
        # folder, with the database as an absolute path
        proc = Path(f"/proc/{process.pid}")
        cmdline = proc.joinpath("cmdline").read_bytes().decode().split("\0")
        app_dir = next(Path(a).parent for a in cmdline if a.endswith("app.py"))
        assert app_dir.name == paths.APP_PACKAGE and bin_dir.parent in app_dir.parents
        assert proc.joinpath("cwd").resolve() == app_dir.resolve()
        environ = proc.joinpath("environ").read_bytes().decode().split("\0")
        assert f"WERKBAAR_DB={database}" in environ

        # a browser gets the sign-in page, drawn with the theme of .streamlit/config.toml
        assert _sign_in_button_color(url) == PRIMARY_COLOR

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        time.sleep(0.5)
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)  # nothing of its session is left
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
