"""No traceback reaches a user: an unexpected error in any page becomes one friendly message
with a reference id, which the server logs with the traceback; a broken data file stops the
app at start with every problem listed."""

import logging
import shutil
import tomllib
from pathlib import Path

import pytest

from assessment import i18n, logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def logged():
    """The error records of the app's logger tree during the test."""
    records = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    logger = logging.getLogger(logs.ROOT)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_shipped_config_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize("lang, start", [("nl", "Er ging iets mis op de server"),
                                         ("en", "Something went wrong on the server")])
def test_an_error_in_a_page_shows_a_reference_not_a_traceback(
        app, monkeypatch, logged, lang, start):
    import assessment.organisations as organisations

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /srv/werkbaar/var/werkbaar.db")

    # the home page counts the organisations (imported by the page script on each run)
    monkeypatch.setattr(organisations, "count_visible", broken)
    at = app(lang=lang)  # app() asserts that no exception reached the page
    (message,) = at.error
    assert message.value.startswith(start)
    assert "secret" not in message.value and "Traceback" not in message.value
    ref = message.value.rsplit(" ", 1)[-1]
    assert len(ref) == 8
    (record,) = logged
    assert f"reference={ref}" in logs.LineFormatter().format(record)
    assert record.exc_info[0] is RuntimeError
    assert at.sidebar  # the navigation around the page is still there


def test_a_broken_translation_file_stops_the_app_with_its_problems(
        app, tmp_path, monkeypatch):
    shutil.copy(i18n.I18N_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "nl.yaml").write_text("app.language: Taal\nsurvey.start: [Beginnen\n",
                                      encoding="utf-8")
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    at = app(role=None)
    assert at.title[0].value == "Werkbaar"
    assert "The app does not start" in at.error[0].value
    assert "nl.yaml: line 3: not valid YAML" in at.error[0].value.replace("\\", "")
    assert not at.text_input and not at.button  # no sign-in form


def test_a_broken_benchmark_file_stops_the_app(app, tmp_path, monkeypatch):
    from assessment import benchmarks

    broken = tmp_path / "benchmarks.csv"
    broken.write_text("metric,year\nwerkbaarheidsgraad,twee\n", encoding="utf-8")
    monkeypatch.setattr(benchmarks, "BENCHMARK_FILE", broken)
    at = app(role=None)  # nothing runs on broken data
    assert "benchmarks.csv: missing columns" in at.error[0].value.replace("\\", "")
    assert not at.radio and not at.button
