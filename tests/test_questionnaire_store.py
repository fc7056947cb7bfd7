"""Questionnaire versions in the database (assessment.questionnaire_store): import, list and
export keep the text byte for byte; a stored version never changes; only a version with every
text in every language is activated; a hostile file is refused before it is walked; a round
keeps the version it was opened with."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from assessment import audit, questionnaire_store
from assessment.access import PLATFORM_ADMIN, Scope
from assessment.questionnaire import QuestionnaireError
from assessment.rounds import get_round, open_round
from tests.conftest import TODAY
from tests.context import on

V2 = Path(__file__).parent / "fixtures" / "employee-v2.yaml"


def v2_text() -> str:
    return V2.read_text(encoding="utf-8")


def stored(db) -> list[tuple[int, bool]]:
    return [(v.version, v.active) for v in questionnaire_store.list_versions(on(db))]


def test_import_list_export_gives_the_same_bytes(db):
    questionnaire, new = questionnaire_store.import_version(on(db), V2.read_bytes(),
                                                            name=V2.name)
    assert new and (questionnaire.id, questionnaire.version) == ("employee", 2)
    assert stored(db) == [(2, False), (1, True)]
    listed = questionnaire_store.list_versions(on(db))[0]
    assert (listed.imported_on, listed.imported_by, listed.rounds) == (
        TODAY, "werkbaar (server)", 0)
    assert listed.title == "Vragenlijst werkbaar werk"
    assert questionnaire_store.export_version(on(db), "employee", 2).encode("utf-8") \
        == V2.read_bytes()
    entry = audit.recent(on(db), audit.OPERATOR)[0]
    assert (entry.action, entry.subject) == (audit.QUESTIONNAIRE_IMPORTED, "employee v2")


def test_a_signed_in_importer_is_named_by_their_username(db):
    """The store wrote ``scope.name``, which a Scope does not have: every import failed."""
    admin = Scope(7, "beheer@example.be", PLATFORM_ADMIN)
    questionnaire_store.import_version(on(db), v2_text(), scope=admin)
    assert questionnaire_store.list_versions(on(db))[0].imported_by == "beheer@example.be"


def test_other_text_under_a_stored_version_is_refused_and_changes_nothing(db):
    questionnaire_store.import_version(on(db), v2_text())
    changed = v2_text().replace("veel tijd nodig om te herstellen", "lang nodig om te herstellen")
    with pytest.raises(questionnaire_store.VersionExists, match="give this one a new version"):
        questionnaire_store.import_version(on(db), changed)
    assert questionnaire_store.export_version(on(db), "employee", 2) == v2_text()
    assert [e.action for e in audit.recent(on(db), audit.OPERATOR)] == [
        audit.QUESTIONNAIRE_IMPORTED]


def test_the_same_text_again_is_a_no_op(db):
    questionnaire_store.import_version(on(db), v2_text())
    _, new = questionnaire_store.import_version(on(db), v2_text())
    assert not new and stored(db) == [(2, False), (1, True)]
    assert len(audit.recent(on(db), audit.OPERATOR)) == 1


def test_activating_a_version_lacking_a_language_lists_what_is_missing(db):
    """A respondent who chose French must never read a Dutch item: v3 without its French
    wording of ws1 is refused, and v1 stays the one new rounds use."""
    french_ws1 = "      fr: Après une journée de travail, j'ai besoin de beaucoup de temps " \
        "pour récupérer.\n"
    assert french_ws1 in v2_text()
    lacking = v2_text().replace("version: 2", "version: 3").replace(french_ws1, "")
    questionnaire_store.import_version(on(db), lacking)
    with pytest.raises(QuestionnaireError) as refused:
        questionnaire_store.activate(on(db), "employee", 3)
    assert refused.value.problems == [
        "employee v3: no text for fr: data.employee-v3.item.ws1"]
    assert questionnaire_store.active(on(db)).version == 1
    assert stored(db) == [(3, False), (1, True)]


def test_activation_makes_new_rounds_use_it_and_an_open_round_keeps_its_version(db, org_id):
    before = open_round(on(db), org_id, "Voor", TODAY, TODAY + timedelta(days=10),
                        questionnaire_store.active(on(db)))
    questionnaire_store.import_version(on(db), v2_text())
    questionnaire_store.activate(on(db), "employee", 2)
    after = open_round(on(db), org_id, "Na", TODAY, TODAY + timedelta(days=10),
                       questionnaire_store.active(on(db)))
    assert questionnaire_store.for_round(on(db), get_round(on(db), before)).version == 1
    assert questionnaire_store.for_round(on(db), get_round(on(db), after)).version == 2
    assert stored(db) == [(2, True), (1, False)]
    assert [v.rounds for v in questionnaire_store.list_versions(on(db))] == [1, 1]


def test_a_file_with_aliases_is_refused_before_it_is_expanded(db):
    """The billion laughs: nine levels of ten aliases each are 10⁹ strings once expanded; the
    store refuses the aliases themselves, so nothing is expanded."""
    lines = ['a0: &a0 "lol"'] + [
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 1000
    with pytest.raises(QuestionnaireError, match=r"anchors and aliases \(&, \*\) are not"):
        questionnaire_store.import_version(on(db), bomb, name="lol.yaml")
    assert stored(db) == [(1, True)]


def test_a_file_over_512_kb_is_refused_unread(db):
    padded = v2_text().replace("version: 2", "version: 4") + "#" * (513 * 1024) + "\n"
    with pytest.raises(QuestionnaireError, match="larger than 512 KB"):
        questionnaire_store.import_version(on(db), padded.encode("utf-8"), name="big.yaml")
    assert stored(db) == [(1, True)]
