"""``werkbaar check`` and the start of the app validate every data file the app reads."""

import shutil

import pytest

from assessment import benchmarks, cli, i18n, nace
from assessment.datacheck import data_problems


def test_shipped_data_has_no_problems():
    assert data_problems() == []


@pytest.fixture
def i18n_copy(tmp_path, monkeypatch):
    for lang in i18n.LANGUAGES:
        shutil.copy(i18n.I18N_DIR / f"{lang}.yaml", tmp_path / f"{lang}.yaml")
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    return tmp_path


def test_check_reports_a_translation_file_that_is_not_yaml(i18n_copy, capsys):
    path = i18n_copy / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    assert cli.main(["check"]) == 1
    assert "en.yaml: line" in capsys.readouterr().err


@pytest.mark.parametrize("line, problem", [
    ("survey.start: Start {now", "en.yaml: survey.start: unbalanced braces"),
    ("survey.start: ''", "en.yaml: survey.start: expected a non-empty text"),
    ("survey.start: Start {step}", "en.yaml: survey.start: placeholders differ"),
    ("survey.extra: Extra", "nl.yaml: survey.extra: missing (it is in en.yaml)"),
])
def test_check_reports_a_broken_translation(i18n_copy, line, problem):
    path = i18n_copy / "en.yaml"
    text = path.read_text(encoding="utf-8")
    key = line.split(":")[0]
    kept = [row for row in text.splitlines() if not row.startswith(f"{key}:")]
    path.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
    assert any(p.startswith(problem) for p in data_problems()), data_problems()


def test_check_reports_a_key_missing_in_one_language(i18n_copy):
    path = i18n_copy / "nl.yaml"
    path.write_text("\n".join(row for row in path.read_text(encoding="utf-8").splitlines()
                              if not row.startswith("survey.next:")) + "\n", encoding="utf-8")
    assert "nl.yaml: survey.next: missing (it is in en.yaml)" in data_problems()


def test_check_reports_broken_benchmarks(tmp_path, monkeypatch):
    path = tmp_path / "benchmarks.csv"
    text = benchmarks.BENCHMARK_FILE.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*text, "werkbaarheidsgraad,werknemers,2019,flanders,,abc"])
                    + "\n", encoding="utf-8")
    monkeypatch.setattr(benchmarks, "BENCHMARK_FILE", path)
    assert data_problems() == [f"benchmarks.csv: line {len(text) + 1}: wrong number of fields"]


def test_check_reports_broken_benchmark_sectors(tmp_path, monkeypatch):
    path = tmp_path / "benchmark_sectors.csv"
    path.write_text("sector_code,name_nl,name_en,nace_divisions\n"
                    "bouw,Bouw,Construction,41 42 4x\nbouw,Bouw,,43\n", encoding="utf-8")
    monkeypatch.setattr(benchmarks, "SECTOR_FILE", path)
    assert data_problems() == [
        "benchmark_sectors.csv: line 2: NACE divisions must be two digits, found 4x",
        "benchmark_sectors.csv: line 3: empty name_en"]


def test_check_reports_a_broken_nace_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "nace.csv"
    path.write_text("code,level,section,name_nl,name_en\nA,section,A,Landbouw,Agriculture\n"
                    "1x,division,A,Teelt,Crops\n02,division,B,Bosbouw,Forestry\n",
                    encoding="utf-8")
    monkeypatch.setattr(nace, "NACE_FILE", path)
    assert cli.main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "nace.csv: line 3: division code '1x' is not two digits",
        "nace.csv: division 02: section 'B' is not in the file"]


def test_check_reports_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(nace, "NACE_FILE", tmp_path / "gone.csv")
    (problem,) = data_problems()
    assert problem.startswith("gone.csv: cannot be read")
