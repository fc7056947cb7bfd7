"""Questionnaire versions kept in the database: imported, exported, listed, activated.

The employee questionnaire a round uses is a **version** stored in ``questionnaire_versions``:
its YAML text exactly as imported (the format :func:`assessment.questionnaire.load_questionnaire`
validates), its SHA-256, who imported it and when, and whether it is the **active** one, the
version new rounds are opened with. The shipped ``employee-v1.yaml`` is stored by migration
``m022``. Rules:

* **A stored version never changes.** Importing an id and version that is stored with other
  text is refused (:class:`VersionExists`): give the new text a new version number. Rounds
  keep the version they were opened with, and their stored answers their layout
  (:mod:`assessment.packed_answers`), so an old round reads as it was answered.
* **Only a complete version is activated**: every text in every language Werkbaar offers,
  inline or in the catalogues (:func:`assessment.questionnaire.missing_translations`); a
  respondent is never shown a question in a language they did not choose.
* Imports take text of at most :data:`MAX_BYTES`, without YAML aliases
  (:func:`assessment.datafile.read_yaml_text`).

The employer self-assessment stays a shipped file (``employer-v1.yaml``): it has one version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from . import audit
from .access import Scope
from .questionnaire import (
    Questionnaire,
    QuestionnaireError,
    load_employee_questionnaire,
    missing_translations,
    parse_questionnaire,
)
from .storage import connection, write_transaction

EMPLOYEE = "employee"
MAX_BYTES = 512 * 1024  # the shipped questionnaire is 40 KB


class VersionExists(QuestionnaireError):  # noqa: N818 - reads as the refusal it is
    """The id and version are stored with other text: a stored version never changes."""


@dataclass(frozen=True)
class StoredVersion:
    questionnaire_id: str
    version: int
    sha256: str
    imported_on: date
    imported_by: str
    active: bool
    rounds: int  # rounds opened with it (it is then in use)
    title: str  # the Dutch title, for lists


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse(source: str | bytes, name: str = "questionnaire.yaml") -> tuple[str, Questionnaire]:
    """An uploaded or typed questionnaire: its text and the questionnaire it gives.

    :raises QuestionnaireError: for more than :data:`MAX_BYTES`, text that is not UTF-8, not
      YAML, or not a valid questionnaire (every problem listed); nothing is stored.
    """
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            raise QuestionnaireError([f"{name}: larger than {MAX_BYTES // 1024} KB"])
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QuestionnaireError([f"{name}: not UTF-8 text"]) from exc
    if len(source.encode("utf-8")) > MAX_BYTES:
        raise QuestionnaireError([f"{name}: larger than {MAX_BYTES // 1024} KB"])
    return source, parse_questionnaire(source, name)


def import_version(ctx, source: str | bytes, *, scope: Scope = audit.OPERATOR,
                   name: str = "questionnaire.yaml") -> tuple[Questionnaire, bool]:
    """Store a questionnaire version (not active), audited; returns it and whether it was
    new (the same text imported again stores nothing).

    :raises QuestionnaireError: as :func:`parse`.
    :raises VersionExists: when its id and version are stored with other text.
    """
    text, questionnaire = parse(source, name)
    _same_groups(questionnaire, name)
    key = [questionnaire.id, questionnaire.version]
    with write_transaction(ctx) as db:
        row = db.execute("select sha256 from questionnaire_versions where questionnaire_id = ? "
                         "and version = ?", key).fetchone()
        if row is not None:
            if row[0] != _digest(text):
                raise VersionExists([
                    f"{name}: {questionnaire.id} version {questionnaire.version} is stored "
                    "with other text; a stored version never changes: give this one a new "
                    "version number"])
            return questionnaire, False
        db.execute("insert into questionnaire_versions (questionnaire_id, version, source, "
                   "sha256, imported_on, imported_by, active) values (?, ?, ?, ?, ?, ?, 0)",
                   [*key, text, _digest(text), ctx.today.isoformat(), scope.username])
        audit.record_in(db, scope, audit.QUESTIONNAIRE_IMPORTED,
                        f"{questionnaire.id} v{questionnaire.version}")
    return questionnaire, True


def _same_groups(questionnaire: Questionnaire, name: str) -> None:
    """The background questions and their codes must be the shipped version's: every page,
    report and stored decision breaks results down by those groups, across rounds.

    :raises QuestionnaireError: naming the difference."""
    shipped = {b.id: [o.code for o in b.options]
               for b in load_employee_questionnaire().background}
    given = {b.id: [o.code for o in b.options] for b in questionnaire.background}
    if questionnaire.id == EMPLOYEE and given != shipped:
        listed = ", ".join(f"{k}: {' '.join(v) or 'departments'}" for k, v in shipped.items())
        raise QuestionnaireError([
            f"{name}: background: the questions and codes must be those of the shipped "
            f"questionnaire ({listed}); the groups of every breakdown follow them"])


def export_version(ctx, questionnaire_id: str, version: int) -> str:
    """The stored text of a version, as imported.

    :raises KeyError: when it is not stored."""
    with connection(ctx) as db:
        row = db.execute("select source from questionnaire_versions where questionnaire_id = ? "
                         "and version = ?", [questionnaire_id, version]).fetchone()
    if row is None:
        raise KeyError(f"{questionnaire_id} v{version}")
    return row[0]


_parsed: dict[tuple[str, int, str], Questionnaire] = {}  # by content: a version never changes


def version(ctx, questionnaire_id: str, version_number: int) -> Questionnaire:
    """A stored version, parsed once per process.

    :raises KeyError: when it is not stored."""
    key = [questionnaire_id, version_number]
    where = "from questionnaire_versions where questionnaire_id = ? and version = ?"
    with connection(ctx) as db:  # the digest only: every survey page asks, the text is 40 KB
        row = db.execute(f"select sha256 {where}", key).fetchone()
        if row is None:
            raise KeyError(f"{questionnaire_id} v{version_number}")
        cached = (questionnaire_id, version_number, row[0])
        if cached not in _parsed:
            source = db.execute(f"select source {where}", key).fetchone()[0]
            _parsed[cached] = parse_questionnaire(
                source, f"{questionnaire_id}-v{version_number}.yaml")
    return _parsed[cached]


def active(ctx, questionnaire_id: str = EMPLOYEE) -> Questionnaire:
    """The version new rounds are opened with.

    :raises KeyError: when none is active (a database not migrated)."""
    with connection(ctx) as db:
        row = db.execute("select version from questionnaire_versions where questionnaire_id = ? "
                         "and active = 1", [questionnaire_id]).fetchone()
    if row is None:
        raise KeyError(f"no active {questionnaire_id} questionnaire")
    return version(ctx, questionnaire_id, row[0])


def activate(ctx, questionnaire_id: str, version_number: int, *,
             scope: Scope = audit.OPERATOR) -> Questionnaire:
    """Make a stored version the one new rounds use (running rounds keep theirs), audited.

    :raises KeyError: when it is not stored.
    :raises QuestionnaireError: when a text lacks a language (each one listed)."""
    questionnaire = version(ctx, questionnaire_id, version_number)
    missing = missing_translations(questionnaire)
    if missing:
        raise QuestionnaireError([f"{questionnaire_id} v{version_number}: no text for {m}"
                                  for m in missing])
    with write_transaction(ctx) as db:
        db.execute("update questionnaire_versions set active = case when version = ? then 1 "
                   "else 0 end where questionnaire_id = ?",  # an integer on both engines
                   [version_number, questionnaire_id])
        audit.record_in(db, scope, audit.QUESTIONNAIRE_ACTIVATED,
                        f"{questionnaire_id} v{version_number}")
    return questionnaire


def list_versions(ctx, questionnaire_id: str = EMPLOYEE) -> list[StoredVersion]:
    """Every stored version of a questionnaire, newest first, with how many rounds use it."""
    with connection(ctx) as db:
        rows = db.execute(
            "select v.questionnaire_id, v.version, v.sha256, v.imported_on, v.imported_by, "
            "v.active, (select count(*) from survey_rounds r where r.questionnaire_id = "
            "v.questionnaire_id and r.questionnaire_version = v.version) "
            "from questionnaire_versions v where v.questionnaire_id = ? order by v.version desc",
            [questionnaire_id]).fetchall()
    return [StoredVersion(qid, number, sha, date.fromisoformat(on), by, bool(is_active), used,
                          version(ctx, qid, number).title("nl"))
            for qid, number, sha, on, by, is_active, used in rows]


def shared_scales(first: Questionnaire, second: Questionnaire) -> tuple[str, ...]:
    """The scales two versions measure alike: the same items (id, wording in Dutch, answer
    scale, direction) and the same cut-offs. Only these are compared across versions, and
    the werkbaarheidsgraad only when all four indicators are among them."""
    def signature(q: Questionnaire, scale_id: str):
        scale = q.scale(scale_id)
        return (scale.higher_is_worse, scale.cutoffs.knelpunt, scale.cutoffs.acuut, tuple(
            (i.id, i.text("nl"), i.reverse, tuple(label("nl") for label in
                                                  q.answer_scales[i.answer_scale].labels))
            for i in q.items_of(scale_id)))
    return tuple(s.id for s in first.scales if any(s.id == o.id for o in second.scales)
                 and signature(first, s.id) == signature(second, s.id))



def alike_scales(ctx, first, second) -> tuple[str, ...]:
    """The scales two rounds (:class:`assessment.rounds.SurveyRound`) measure alike: every
    scale of their version when they share it, else :func:`shared_scales` of the two."""
    if (first.questionnaire_id, first.questionnaire_version) == (
            second.questionnaire_id, second.questionnaire_version):
        return tuple(s.id for s in version(ctx, first.questionnaire_id,
                                           first.questionnaire_version).scales)
    return shared_scales(version(ctx, first.questionnaire_id, first.questionnaire_version),
                         version(ctx, second.questionnaire_id, second.questionnaire_version))


def for_round(ctx, survey_round) -> Questionnaire:
    """What a round's respondents answer: the version it was opened with, with its modules
    and own questions (:func:`assessment.round_extras.compose`).

    :raises KeyError: when that version is not stored (a round opened before migration
      m022 on a version other than 1: none exists)."""
    from .round_extras import compose, of_round

    return compose(version(ctx, survey_round.questionnaire_id,
                           survey_round.questionnaire_version), of_round(survey_round))
