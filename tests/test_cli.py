"""The ``werkbaar`` command."""

from assessment import cli
from assessment.organisations import list_organisations


def test_check_passes_on_shipped_data(capsys):
    assert cli.main(["check"]) == 0
    assert "questionnaire employee v1 (34 items), self-assessment, benchmarks, support catalogue" \
        in capsys.readouterr().out


def test_init_db_and_demo(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("WERKBAAR_DB", raising=False)
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "init-db"]) == 0
    assert path.exists()
    assert cli.main(["--db", str(path), "demo"]) == 0
    assert "demo organisations added" in capsys.readouterr().out
    assert len(list_organisations(db_path=path)) == 5
    assert cli.main(["--db", str(path), "demo"]) == 0
    assert "already present" in capsys.readouterr().out


def test_check_reports_a_broken_questionnaire(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "employee-v1.yaml"
    broken.write_text("id: employee\nversion: 1\n", encoding="utf-8")
    monkeypatch.setattr("assessment.questionnaire.QUESTIONNAIRE_DIR", tmp_path)
    assert cli.main(["check"]) == 1
    assert "employee-v1.yaml: answer_scales" in capsys.readouterr().err


def test_check_reports_a_broken_catalogue(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "support_measures.yaml"
    broken.write_text("measures: []\n", encoding="utf-8")
    monkeypatch.setattr("assessment.recommendations.load_catalogue.__defaults__", (broken,))
    assert cli.main(["check"]) == 1
    assert "support_measures.yaml: measures: expected a non-empty list" in capsys.readouterr().err
