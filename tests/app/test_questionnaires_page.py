"""The questionnaires page (platform admin, issue 29): the stored versions, importing one from
a file (a broken one lists its problems and stores nothing), the preview on a phone, activation
(refused while a language is missing), and the reference data files. The access matrix keeps
every other role out."""

import re
from pathlib import Path

from assessment import audit, questionnaire_store
from tests.context import on

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "employee-v2.yaml"
PAGE = "app_pages/questionnaires.py"


def open_page(app, lang=None):
    at = app(PAGE, lang=lang)
    assert at.title[0].value == {None: "Vragenlijsten", "en": "Questionnaires"}[lang]
    return at


def upload(at, name: str, data: bytes):
    at.file_uploader(key=next(u.key for u in at.file_uploader)).set_value(
        (name, data, "application/yaml"))
    next(b for b in at.button if b.label in ("Importeren", "Import")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def read(markdown: str) -> str:
    """Markdown as the reader sees it (escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def table(at) -> list[dict]:
    return at.dataframe[0].value.to_dict("records")


def test_the_admin_sees_every_stored_version(app, db):
    at = open_page(app)
    [row] = table(at)
    assert row["Versie"] == "v1" and row["Titel"] == "Vragenlijst werkbaar werk"
    assert row["Status"] == "actief: voor nieuwe bevragingen"
    assert row["Bevragingen"] == "nog niet gebruikt"
    assert at.info[0].value.startswith("Er is geen andere versie bewaard.")


def test_uploading_the_v2_file_stores_it_not_active(app, db):
    at = upload(open_page(app), V2.name, V2.read_bytes())
    assert at.success[0].value == "Versie 2 is bewaard. Ze is nog niet actief."
    assert [r["Versie"] for r in table(at)] == ["v2", "v1"]
    assert questionnaire_store.export_version(on(db), "employee", 2).encode() == V2.read_bytes()
    assert questionnaire_store.active(on(db)).version == 1
    entry = audit.recent(on(db), audit.OPERATOR)[0]
    assert (entry.username, entry.action) == ("platform_admin", "questionnaire_imported")


def test_a_broken_upload_lists_its_problems_and_stores_nothing(app, db):
    at = upload(open_page(app), "kapot.yaml", b"id: employee\nversion: 5\nsections: [\n")
    message = read(at.error[0].value)
    assert message.startswith("kapot.yaml is niet geïmporteerd; er is niets gewijzigd.")
    assert "not valid YAML" in message and "Traceback" not in message
    at = upload(at, "lol.yaml", b'a: &a ["x"]\nb: [*a, *a]\n')
    assert "anchors and aliases" in at.error[0].value
    changed = V2.read_bytes().replace(b"veel tijd", b"heel veel tijd")
    questionnaire_store.import_version(on(db), V2.read_bytes())
    at = upload(at, "changed.yaml", changed)
    assert "al bewaard met een andere tekst" in at.error[0].value
    assert [v.version for v in questionnaire_store.list_versions(on(db))] == [2, 1]
    assert questionnaire_store.export_version(on(db), "employee", 2).encode() == V2.read_bytes()


def test_the_preview_shows_each_page_of_a_version_as_on_a_phone(app, db):
    questionnaire_store.import_version(on(db), V2.read_bytes())
    at = open_page(app)
    at.selectbox(key="preview_version").set_value(2).run()
    at.selectbox(key="preview_language").set_value("fr").run()
    at.selectbox(key="preview_step:2").set_value(1).run()
    [frame] = at.get("iframe")
    assert frame.proto.srcdoc.startswith('<!doctype html>\n<html lang="fr">')
    assert "Après une journée de travail, j&#39;ai besoin de beaucoup de temps" \
        in frame.proto.srcdoc
    assert 'type="submit"' not in frame.proto.srcdoc and "form-action 'none'" \
        in frame.proto.srcdoc
    assert not at.warning  # every French text is there


def test_activation_asks_for_a_confirmation_then_makes_it_active(app, db):
    questionnaire_store.import_version(on(db), V2.read_bytes())
    at = open_page(app)
    assert at.button(key="activate").disabled
    at.checkbox(key="activate_confirm:2").check().run()
    at.button(key="activate").click().run()
    assert at.success[0].value == "Versie 2 is actief: nieuwe bevragingen gebruiken ze."
    assert questionnaire_store.active(on(db)).version == 2
    assert [r["Status"] for r in table(at)] == ["actief: voor nieuwe bevragingen", "niet actief"]


def test_activation_of_a_version_missing_french_is_refused_with_what_is_missing(app, db):
    french = "      fr: Après une journée de travail, j'ai besoin de beaucoup de temps pour " \
        "récupérer.\n"
    lacking = V2.read_text(encoding="utf-8").replace(french, "").replace("version: 2",
                                                                           "version: 3")
    questionnaire_store.import_version(on(db), lacking)
    at = open_page(app)
    at.selectbox(key="preview_version").set_value(3).run()
    at.selectbox(key="preview_language").set_value("fr").run()
    assert "il manque" not in at.warning[0].value  # the admin's language, Dutch
    assert "ontbreken 1 teksten" in at.warning[0].value
    at.checkbox(key="activate_confirm:3").check().run()
    at.button(key="activate").click().run()
    message = read(at.error[0].value)
    assert message.startswith("Versie 3 is niet actief gemaakt; de actieve versie blijft")
    assert message.endswith("\n- employee v3: no text for fr: data.employee-v3.item.ws1")
    assert questionnaire_store.active(on(db)).version == 1


def test_the_reference_data_files_are_named_with_their_checks(app):
    at = open_page(app, lang="en")
    text = " ".join(m.value for m in at.markdown)
    assert "`data/benchmarks.csv`, version `" in text
    assert "`data/support_measures.yaml`, version `" in text
    assert "quotes checked at their source between" in text
    assert "measures not checked for more than 6 months" in text
    assert any("files reviewed in git, because they carry evidence" in c.value
               for c in at.caption)
