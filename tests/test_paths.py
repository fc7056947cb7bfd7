"""Where the app's files and the default database are (:mod:`assessment.paths`).

Fails when the checkout's entry script, pages, data or Streamlit settings are not where the
module says, or when the default database of an installed tool is not the documented per-user
place (``$XDG_DATA_HOME/werkbaar/werkbaar.db``, ``~/.local/share`` without an absolute
``XDG_DATA_HOME``). The installed layout itself is tested on a real wheel in
``tests/test_wheel_install.py``.
"""

from pathlib import Path

from assessment import paths, storage

ROOT = Path(__file__).resolve().parents[1]


def test_in_a_checkout_everything_is_at_the_top_and_the_database_in_var():
    assert not paths.INSTALLED
    assert paths.APP_DIR == ROOT
    assert paths.APP_SCRIPT == ROOT / "app.py" and paths.APP_SCRIPT.is_file()
    assert (paths.PAGES_DIR / "home.py").is_file()
    assert (paths.DATA_DIR / "questionnaires" / "employee-v1.yaml").is_file()
    assert paths.STREAMLIT_CONFIG.is_file()
    assert paths.default_db_path() == ROOT / "var" / "werkbaar.db"
    assert storage.DEFAULT_DB_PATH == paths.default_db_path()


def test_installed_the_database_is_per_user(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "INSTALLED", True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert paths.default_db_path() == tmp_path / "home/.local/share/werkbaar/werkbaar.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.default_db_path() == tmp_path / "data/werkbaar/werkbaar.db"
    for ignored in ("", "relative/data"):  # the XDG specification: only absolute paths count
        monkeypatch.setenv("XDG_DATA_HOME", ignored)
        assert paths.default_db_path() == tmp_path / "home/.local/share/werkbaar/werkbaar.db"


def test_run_starts_streamlit_in_the_app_folder_with_the_absolute_database_path(
        monkeypatch, tmp_path):
    """A relative ``--db`` names a file under the caller's directory; Streamlit runs in the
    app's folder (for ``.streamlit/config.toml``), so it must get the absolute path."""
    from assessment import cli

    calls = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(storage.DB_ENV, "")  # unset for the code; restored afterwards
    monkeypatch.setattr(cli.os, "chdir", lambda path: calls.append(("chdir", Path(path))))
    monkeypatch.setattr(cli.os, "execv", lambda exe, argv: calls.append(("execv", argv)))
    assert cli.main(["--db", "sub/w.db", "run", "--port", "8599"]) == 0
    assert (tmp_path / "sub" / "w.db").is_file()
    assert cli.os.environ[storage.DB_ENV] == str(tmp_path / "sub" / "w.db")
    (_, folder), (_, argv) = calls
    assert folder == paths.APP_DIR
    assert argv[1:5] == ["-m", "serve", "run", str(paths.APP_SCRIPT)]
    assert argv[argv.index("--server.port") + 1] == "8599"
