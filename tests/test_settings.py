"""Secrets as files (assessment.settings): every setting may be given as ``<NAME>_FILE``, the
path of a file holding the value, as Docker secrets are mounted (``/run/secrets/<name>``).
Before, the SMTP password and a PostgreSQL URL's password could only be environment
variables, shown by ``docker inspect`` and passed to every child process."""

from __future__ import annotations

import pytest

from assessment import cli, mail_sender, storage
from assessment.i18n import LANGUAGES, t
from assessment.settings import Environment, SettingError, setting

PASSWORD = "Zilveren-Paraplu-42"


@pytest.fixture
def secret(tmp_path):
    """A file as Docker mounts a secret: the value and the newline an editor adds."""
    path = tmp_path / "run" / "secrets" / "smtp_password"
    path.parent.mkdir(parents=True)
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def test_a_setting_comes_from_its_variable_or_from_the_file_its_file_variable_names(secret):
    assert setting("WERKBAAR_X", {"WERKBAAR_X": "plain"}) == "plain"
    assert setting("WERKBAAR_X", {"WERKBAAR_X_FILE": str(secret)}) == PASSWORD
    assert setting("WERKBAAR_X", {"WERKBAAR_X_FILE": "", "WERKBAAR_X": "plain"}) == "plain"
    assert setting("WERKBAAR_X", {}) is None
    assert Environment({"WERKBAAR_X_FILE": str(secret)}).get("WERKBAAR_X") == PASSWORD
    assert "WERKBAAR_X" in set(Environment({"WERKBAAR_X_FILE": str(secret)}))


def test_both_ways_at_once_or_an_unreadable_file_is_refused_with_the_reason(secret, tmp_path):
    with pytest.raises(SettingError, match="both WERKBAAR_X and WERKBAAR_X_FILE"):
        setting("WERKBAAR_X", {"WERKBAAR_X": "plain", "WERKBAAR_X_FILE": str(secret)})
    missing = tmp_path / "nothing-here"
    with pytest.raises(SettingError, match="cannot be read") as refused:
        setting("WERKBAAR_X", {"WERKBAAR_X_FILE": str(missing)})
    assert refused.value.path == str(missing)
    assert PASSWORD not in str(refused.value)


def test_the_smtp_password_is_read_from_a_docker_secret(secret):
    environ = {"WERKBAAR_SMTP_HOST": "smtp.example.be", "WERKBAAR_SMTP_SENDER": "hr@x.be",
               "WERKBAAR_SMTP_USER": "hr", "WERKBAAR_SMTP_PASSWORD_FILE": str(secret)}
    settings, problems = mail_sender.configuration(environ)
    assert problems == [] and settings.password == PASSWORD
    settings, problems = mail_sender.configuration(environ | {"WERKBAAR_SMTP_PASSWORD": "x"})
    assert settings is None
    [(key, params)] = problems
    assert key == "mail.setup_file_both" and params["name"] == "WERKBAAR_SMTP_PASSWORD"
    for lang in LANGUAGES:  # the e-mail tab tells the operator, in the user's language
        assert "WERKBAAR_SMTP_PASSWORD_FILE" in t(key, lang, **params)


def test_the_database_url_is_read_from_a_file(tmp_path, monkeypatch):
    url = "postgresql://werkbaar:geheim@db:5432/werkbaar"
    (tmp_path / "db_url").write_text(url + "\n", encoding="utf-8")
    monkeypatch.delenv(storage.DB_ENV, raising=False)
    monkeypatch.setenv(storage.DB_ENV + "_FILE", str(tmp_path / "db_url"))
    assert storage.db_path() == url


def test_the_command_refuses_both_database_settings_and_lets_db_win(tmp_path, monkeypatch,
                                                                      capsys):
    (tmp_path / "db_url").write_text("postgresql://werkbaar:geheim@db/werkbaar\n")
    monkeypatch.setenv(storage.DB_ENV + "_FILE", str(tmp_path / "db_url"))
    monkeypatch.setenv(storage.DB_ENV, str(tmp_path / "werkbaar.db"))
    assert cli.main(["init-db"]) == 2
    err = capsys.readouterr().err
    assert "WERKBAAR_DB and WERKBAAR_DB_FILE" in err and "geheim" not in err
    assert cli.main(["--db", str(tmp_path / "given.db"), "init-db"]) == 0
    assert (tmp_path / "given.db").exists()
