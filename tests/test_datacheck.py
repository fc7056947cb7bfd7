"""``werkbaar check`` and the start of the app validate every data file the app reads."""

import shutil

import pytest
import yaml

from assessment import benchmarks, cli, i18n, nace
from assessment.catalogue import CATALOGUE_FILE
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
    path.write_text("sector_code,name_nl,nace_divisions\n"
                    "bouw,Bouw,41 42 4x\nbouw,,43\n", encoding="utf-8")
    monkeypatch.setattr(benchmarks, "SECTOR_FILE", path)
    assert data_problems() == [
        "benchmark_sectors.csv: line 2: NACE divisions must be two digits, found 4x",
        "benchmark_sectors.csv: line 3: empty name_nl"]


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


# --- the support catalogue: what users may trust ------------------------------------------

def catalogue_problems(lines):
    """Only the catalogue's problems: other data files are checked by the tests above."""
    return [line for line in lines if line.startswith("support_measures.yaml")]


def measure(raw, measure_id):
    return next(m for m in raw["measures"] if m["id"] == measure_id)


def no_primary(raw):
    measure(raw, "psychosociale_risicoanalyse")["source_urls"] = [
        "https://www.knack.be/nieuws/gezondheid/burn-out.html"]


def secondary_beside_primary(raw):
    measure(raw, "kmo_portefeuille")["source_urls"].append("https://uniac.be/kmo")


def fund_site_on_a_flemish_entry(raw):  # a sector fund's own site counts only for its entry
    measure(raw, "kmo_portefeuille")["source_urls"] = ["https://www.cevora.be/nl/faq"]


def note_in_also_check(raw):
    measure(raw, "outplacement_45plus")["also_check"].append({
        "nl": "De spreiding over 12 maanden moet nog in een bron bevestigd worden.",
        "en": "The 60 hours are spread over 12 months."})


def note_in_summary(raw):
    measure(raw, "werkbaarheidscheque")["summary"]["en"] = "Amounts not yet checked: TODO."


def note_in_unverified(raw):
    measure(raw, "loopbaancheque")["unverified"]["nl"] = "Bedrag is niet nagekeken."


def authority_without_dutch(raw):
    measure(raw, "kmo_portefeuille")["authority"] = {"en": "Flanders Innovation"}


def authority_in_one_language(raw):
    measure(raw, "kmo_portefeuille")["authority"] = "VLAIO"


def no_evidence(raw):  # issue 24: a measure is advice only with the sentences behind it
    del measure(raw, "kmo_portefeuille_verhoging")["evidence"]


def quote_emptied(raw):
    measure(raw, "sectorfonds_sftl")["evidence"][0]["quote"] = " "


def secondary_quote_without_reason(raw):
    measure(raw, "loopbaancheque")["evidence"][0]["url"] = "https://www.hln.be/x"


def stale_check(raw):  # checked before a reform the measure's own evidence dates
    entry = measure(raw, "kmo_portefeuille")
    entry["evidence"][0]["source_date"] = "2026-01-23"
    entry["last_checked"] = "2025-06-01"


@pytest.mark.parametrize("fault, problem", [
    (no_evidence, "measure kmo_portefeuille_verhoging: needs 'evidence'"),
    (quote_emptied, "measure sectorfonds_sftl: evidence 1: has no 'quote'"),
    (secondary_quote_without_reason, "measure loopbaancheque: evidence 1: https://www.hln.be/x "
                                     "is not a primary source"),
    (stale_check, "measure kmo_portefeuille: last_checked 2025-06-01 is older than the page of "
                  "2026-01-23"),
    (no_primary, "measure psychosociale_risicoanalyse: no primary source among 'source_urls'"),
    (secondary_beside_primary, "measure kmo_portefeuille: secondary source https://uniac.be/kmo"),
    (fund_site_on_a_flemish_entry, "measure kmo_portefeuille: no primary source"),
    (note_in_also_check, "measure outplacement_45plus: field 'also_check #2' (nl) reads like an "
                         "internal note ('moet nog')"),
    (note_in_summary, "measure werkbaarheidscheque: field 'summary' (en) reads like an internal "
                      "note ('TODO')"),
    (note_in_unverified, "measure loopbaancheque: field 'unverified' (nl) reads like an "
                         "internal note ('niet nagekeken')"),
    (authority_without_dutch, "measure kmo_portefeuille: field 'authority' has no 'nl' text"),
    (authority_in_one_language, "measure kmo_portefeuille: field 'authority' must give its text "
                                "as {nl: …}"),
])
def test_check_reports_an_untrustworthy_catalogue_entry(tmp_path, monkeypatch, capsys, fault,
                                                       problem):
    """`werkbaar check` names the entry and what is wrong with it; the same copy without the
    fault passes, so the fault alone is what it reports."""
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "support_measures.yaml"
    monkeypatch.setattr("assessment.catalogue.load_catalogue.__defaults__", (path,))
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert catalogue_problems(data_problems()) == []
    fault(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert cli.main(["check"]) == 1
    err = catalogue_problems(capsys.readouterr().err.splitlines())
    assert len(err) == 1 and err[0].startswith(f"support_measures.yaml: {problem}"), err


def test_a_secondary_source_with_a_reason_passes(tmp_path, monkeypatch):
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    no_primary(raw)
    measure(raw, "psychosociale_risicoanalyse")["secondary_reason"] = "No official page found."
    path = tmp_path / "support_measures.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr("assessment.catalogue.load_catalogue.__defaults__", (path,))
    assert catalogue_problems(data_problems()) == []


def test_check_reports_a_broken_module(tmp_path, monkeypatch, capsys):
    """A module file with a problem stops ``werkbaar check`` (and the app's start) like any
    other data file, with its place."""
    from assessment import datacheck, modules

    source = (modules.MODULE_DIR / "care-v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "care-v1.yaml").write_text(source.replace("problem_from: 2", "problem_from: 9",
                                                          1), encoding="utf-8")
    monkeypatch.setattr(datacheck, "available_modules",
                        lambda: modules.available_modules(tmp_path))
    assert cli.main(["check"]) == 1
    assert "care-v1.yaml: item" in capsys.readouterr().err
