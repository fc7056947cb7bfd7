"""Import of paper (or other-tool) answers: the template, every kind of broken file, row
problems named by row and column, all or nothing, duplicates refused, and imported answers
stored and scored exactly as the same answers sent online."""

import csv
import io
import random
from datetime import timedelta

import openpyxl
import pytest

from assessment import audit
from assessment.access import AccessDenied, Scope
from assessment.errors import InputError
from assessment.organisations import create_organisation, get_organisation
from assessment.paper_import import (
    MAX_ROWS,
    RepeatedAnswersError,
    columns,
    import_responses,
    template_csv,
    template_xlsx,
)
from assessment.responses import submit_response
from assessment.rounds import (
    channel_counts,
    close_round,
    create_invitations,
    get_round,
    open_round,
)
from assessment.storage import connection
from assessment.upload_limits import MAX_SHOWN
from tests.context import on

from .conftest import TODAY

ADMIN = Scope(1, "admin@test", "platform_admin")
TABLES = ("responses", "answers", "response_scores", "response_imports", "imported_sheets",
          "audit_log")  # those that exist: answers may be packed into responses


def rows_for(questionnaire, n, seed=7):
    """``n`` filled-in questionnaires as the template's rows: random answers with some
    questions left open, departments spelled in other cases, age bands by code or by label in
    Dutch, English or French."""
    rng = random.Random(seed)
    departments = ["Productie", "kantoor", " PRODUCTIE ", ""]
    ages = ["lt30", "30 tot 39 jaar", "40_49", "55 or older", "50 à 54 ans", ""]
    contracts = ["permanent", "Tijdelijk contract (bepaalde duur)", "other", ""]
    rows = []
    for sheet in range(1, n + 1):
        row = {"sheet": str(sheet)}
        for item in questionnaire.items:
            row[item.id] = "" if rng.random() < 0.08 else str(rng.randint(1, 5))
        row.update(department=rng.choice(departments), age_band=rng.choice(ages),
                   contract_type=rng.choice(contracts),
                   open_answer=rng.choice(["", "Minder vergaderen.", "Meer overleg,\nen rust."]))
        rows.append(row)
    return rows


def to_csv(questionnaire, rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(questionnaire), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def to_xlsx(questionnaire, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns(questionnaire))
    for row in rows:  # answers as numbers, as Excel stores them
        sheet.append([int(v) if v.strip().isdigit() else v for v in
                      (row[c] for c in columns(questionnaire))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts(db):
    with connection(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES
                if conn[t].exists()}


def refused(db, round_id, questionnaire, data, filename="antwoorden.csv", lang="nl"):
    """The messages of a refused import, after checking that it stored nothing."""
    before = counts(db)
    org = get_organisation(on(db), get_round(on(db), round_id).organisation_id)
    with pytest.raises(InputError) as caught:
        import_responses(on(db), ADMIN, org, round_id, questionnaire, data, filename, today=TODAY)
    assert counts(db) == before
    return caught.value.messages(lang)


def do_import(db, round_id, questionnaire, data, filename="antwoorden.csv", scope=ADMIN,
              **options):
    org = get_organisation(on(db), get_round(on(db), round_id).organisation_id)
    return import_responses(on(db), scope, org, round_id, questionnaire, data, filename,
                            today=TODAY, **options)


def stored(db, round_id):
    """Every response of a round as comparable values (ids are random): each stored column but
    its id, round, channel and import (whatever holds its answers included), its answer rows
    where a table keeps them, and its scale scores and levels."""
    with connection(db) as conn:
        scores = {}
        for response_id, scale, score, level in conn.execute(
                "select response_id, scale_id, score, level from response_scores "
                "where round_id = ?", [round_id]):
            scores.setdefault(response_id, []).append((scale, score, level))
        answers = {}
        if conn["answers"].exists():
            for response_id, item, value in conn.execute(
                    "select response_id, item_id, value from answers"):
                answers.setdefault(response_id, []).append((item, value))
        return sorted((
            (tuple((k, v) for k, v in row.items()
                   if k not in ("id", "round_id", "import_id")),
             tuple(sorted(answers.get(row["id"], []))), tuple(sorted(scores.get(row["id"], []))))
            for row in conn.query("select * from responses where round_id = ?", [round_id])),
            key=repr)


def imported_ones(db, round_id):
    """Whether each response of the round carries an import (paper), as a set."""
    with connection(db) as conn:
        return {i is not None for (i,) in conn.execute(
            "select import_id from responses where round_id = ?", [round_id])}


def test_200_rows_with_3_broken_are_refused_then_stored_as_online(db, org_id, round_id,
                                                                   questionnaire):
    rows = rows_for(questionnaire, 200)
    good = [dict(r) for r in rows]
    rows[12]["wd3"] = "7"  # spreadsheet row 14: the header is row 1
    rows[40]["department"] = "Magazijn"
    rows[99]["au2"] = "veel"
    messages = refused(db, round_id, questionnaire, to_csv(questionnaire, rows))
    assert messages == ["rij 14, kolom wd3: 7 is geen antwoord van 1 tot 5",
                        "rij 42, kolom department: 'Magazijn' is geen afdeling van deze "
                        "organisatie (zie de uitleg in het sjabloon)",
                        "rij 101, kolom au2: veel is geen antwoord van 1 tot 5"]
    result = do_import(db, round_id, questionnaire, to_csv(questionnaire, good))
    assert result.rows == 200
    assert get_round(on(db), round_id).responses == 200  # counts toward the response rate

    # The same answers sent online, one invitation each, into a second round.
    online = open_round(on(db), org_id, "Online", TODAY - timedelta(days=1),
                        TODAY + timedelta(days=9),
                        questionnaire, today=TODAY)
    departments = {d.name.casefold(): d.id for d in get_organisation(on(db), org_id)
                   .departments}
    codes = {"30 tot 39 jaar": "30_39", "55 or older": "55plus", "50 à 54 ans": "50_54",
             "Tijdelijk contract (bepaalde duur)": "fixed_term"}
    for row, token in zip(good, create_invitations(on(db), online, 200), strict=True):
        background = {"department": departments.get(row["department"].strip().casefold()),
                      "age_band": codes.get(row["age_band"], row["age_band"] or None),
                      "contract_type": codes.get(row["contract_type"],
                                                 row["contract_type"] or None)}
        submit_response(on(db), token, questionnaire,
                        {i.id: int(row[i.id]) for i in questionnaire.items if row[i.id]},
                        {k: v for k, v in background.items() if v}, row["open_answer"],
                        today=TODAY)
    assert imported_ones(db, round_id) == {True} and imported_ones(db, online) == {False}
    assert channel_counts(on(db), round_id)["paper"]["responses"] == 200
    imported = stored(db, round_id)
    assert imported == stored(db, online)
    assert {dict(r[0])["submitted_on"] for r in imported} == {TODAY.isoformat()}  # no time
    assert all(r[2] for r in imported) and any(dict(r[0])["werkbaar"] == 0 for r in imported)


def test_the_audit_log_gets_the_count_only(db, round_id, questionnaire):
    do_import(db, round_id, questionnaire, to_csv(questionnaire, rows_for(questionnaire, 8)))
    [entry] = [e for e in audit.recent(on(db), ADMIN)
               if e.action == audit.RESPONSES_IMPORTED]
    assert entry.detail == "8" and entry.username == "admin@test"
    assert "Minder" not in entry.subject + entry.detail


def test_the_same_file_is_refused_again_also_saved_as_xlsx(db, round_id, questionnaire):
    rows = rows_for(questionnaire, 6)
    do_import(db, round_id, questionnaire, to_csv(questionnaire, rows))
    again = ["Dit bestand werd al geïmporteerd (in de bevraging 'Bevraging 2026'). "
             "Er is niets opnieuw opgeslagen."]
    assert refused(db, round_id, questionnaire, to_csv(questionnaire, rows)) == again
    assert refused(db, round_id, questionnaire, to_xlsx(questionnaire, rows),
                   "antwoorden.xlsx") == again
    assert get_round(on(db), round_id).responses == 6


def test_a_sheet_number_imported_before_is_refused(db, round_id, questionnaire):
    do_import(db, round_id, questionnaire, to_csv(questionnaire, rows_for(questionnaire, 5)))
    later = rows_for(questionnaire, 8, seed=9)[3:]  # sheets 4 to 8
    assert refused(db, round_id, questionnaire, to_csv(questionnaire, later), lang="en") == [
        "Sheet 4 was imported into this round before.",
        "Sheet 5 was imported into this round before."]
    do_import(db, round_id, questionnaire, to_csv(questionnaire, later[2:]))  # sheets 6 to 8
    assert get_round(on(db), round_id).responses == 8


def test_sheet_numbers_missing_invalid_or_repeated_in_the_file(db, round_id, questionnaire):
    rows = rows_for(questionnaire, 4)
    rows[0]["sheet"], rows[1]["sheet"], rows[3]["sheet"] = "", "12b", "3"
    assert refused(db, round_id, questionnaire, to_csv(questionnaire, rows)) == [
        "rij 2, kolom sheet: geen bladnummer (schrijf een nummer op het blad en typ het hier in)",
        "rij 3, kolom sheet: 12b is geen bladnummer (een geheel getal, bv. 12)",
        "rij 5, kolom sheet: bladnummer 3 staat ook al in rij 4"]


def test_other_row_problems_reuse_the_online_rules(db, round_id, questionnaire):
    rows = rows_for(questionnaire, 3)
    for item in questionnaire.items:
        rows[0][item.id] = ""
    rows[1]["age_band"] = "18"
    rows[2]["open_answer"] = "x" * 2001
    rows[2]["ws1"] = "0"
    assert refused(db, round_id, questionnaire, to_csv(questionnaire, rows), lang="en") == [
        "row 2: no question answered",
        "row 3, column age_band: '18' is not one of the possible answers (see the explanation "
        "in the template)",
        "row 4, column ws1: 0 is not an answer from 1 to 5",
        "row 4, column open_answer: the open answer is 2001 characters long, at most 2000 are "
        "allowed"]


def test_many_problems_are_cut_at_fifty_with_the_rest_counted(db, round_id, questionnaire):
    rows = rows_for(questionnaire, 30)
    for row in rows:
        row["ws1"], row["ws2"] = "6", "9"
    messages = refused(db, round_id, questionnaire, to_csv(questionnaire, rows))
    assert len(messages) == MAX_SHOWN + 1 and messages[-1] == "… en nog 10 problemen."


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs_as_excel_saves_them(db, round_id, questionnaire, delimiter):
    data = to_csv(questionnaire, rows_for(questionnaire, 5), delimiter=delimiter)
    assert do_import(db, round_id, questionnaire, data).rows == 5


def test_xlsx_with_numbers_and_case_insensitive_headers(db, round_id, questionnaire):
    data = to_xlsx(questionnaire, rows_for(questionnaire, 5))
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active["A1"] = " Sheet "
    out = io.BytesIO()
    book.save(out)
    assert do_import(db, round_id, questionnaire, out.getvalue(), "x.xlsx").rows == 5


def broken_files(questionnaire):
    header = ",".join(columns(questionnaire))
    rows = rows_for(questionnaire, 2)
    return {
        "empty": (b"", "Het bestand is leeg."),
        "blank": (b"  \r\n", "Het bestand is leeg."),
        "pdf": (b"%PDF-1.4\x00\x01\x02binary", "Dit is geen CSV- of Excel-bestand (.xlsx). "
                                                "Gebruik het sjabloon."),
        "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud Excel-bestand"),
        "corrupt_xlsx": (b"PK\x03\x04" + b"\x00" * 200, "kan niet gelezen worden"),
        "xlsx_name_only": (b"sheet,ws1\n1,2\n", "kan niet gelezen worden"),
        "zip_not_xlsx": (_zip(), "kan niet gelezen worden"),
        "latin1": (to_csv(questionnaire, [dict(rows[0], open_answer="Te veel café-pauzes")],
                          encoding="cp1252"), "niet in UTF-8"),
        "header_only": ((header + "\r\n").encode(), "geen enkele rij met antwoorden"),
        "comments_only": (b"# only a note\r\n", "geen rij met kolomnamen"),
        "missing": (to_csv(questionnaire, rows).replace(b",open_answer", b",opmerking"),
                    "Deze kolommen ontbreken: open_answer"),
        "unknown": (to_csv(questionnaire, rows).replace(b"\r\n", b",extra\r\n", 1),
                    "Deze kolommen kent het sjabloon niet: extra"),
        "repeated": (to_csv(questionnaire, rows).replace(b"ws2,", b"ws1,", 1),
                     "meer dan één keer in: ws1"),
        "too_large": (b"a" * (5 * 1024 * 1024 + 1), "te groot: hoogstens 5 MB"),
        "too_many_rows": ((header + "\r\n" + "1,3\r\n" * (MAX_ROWS + 1)).encode(),
                          "meer dan 5000 rijen"),
    }


def _zip():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize("case", ["empty", "blank", "pdf", "xls", "corrupt_xlsx",
                                  "xlsx_name_only", "zip_not_xlsx", "latin1", "header_only",
                                  "comments_only", "missing", "unknown", "repeated",
                                  "too_large", "too_many_rows"])
def test_broken_files_get_a_clear_message(db, round_id, questionnaire, case):
    data, expected = broken_files(questionnaire)[case]
    filename = "antwoorden.xlsx" if "xlsx" in case else "antwoorden.csv"
    messages = refused(db, round_id, questionnaire, data, filename)
    assert any(expected in message for message in messages), messages


def test_only_an_open_round_takes_an_import(db, round_id, questionnaire):
    data = to_csv(questionnaire, rows_for(questionnaire, 5))
    close_round(on(db), round_id, today=TODAY)
    assert refused(db, round_id, questionnaire, data) == [
        "Deze bevraging is niet (meer) open: antwoorden importeren kan alleen zolang ze loopt."]


def test_another_organisations_round_or_a_viewer_is_refused(db, org_id, round_id, questionnaire):
    data = to_csv(questionnaire, rows_for(questionnaire, 5))
    other = create_organisation(on(db), "Ander", "C", "10", 20, ["Productie"], today=TODAY)
    before = counts(db)
    with pytest.raises(InputError):
        import_responses(on(db), ADMIN, get_organisation(on(db), other), round_id, questionnaire,
                         data, "a.csv", today=TODAY)
    with pytest.raises(AccessDenied):
        do_import(db, round_id, questionnaire, data,
                  scope=Scope(2, "lezer", "hr_viewer", organisation_id=org_id))
    with pytest.raises(AccessDenied):
        do_import(db, round_id, questionnaire, data,
                  scope=Scope(3, "hr-ander", "organisation_admin", organisation_id=other))
    assert counts(db) == before


def test_a_failure_while_storing_leaves_nothing(db, round_id, questionnaire, monkeypatch):
    """All or nothing: an error after some responses were written rolls every row back."""
    import assessment.paper_import as paper_import

    calls = []

    def fail_at_the_tenth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 10:
            raise OSError("disk full")
        return original(*args, **kwargs)

    original = paper_import.store_response
    monkeypatch.setattr(paper_import, "store_response", fail_at_the_tenth)
    before = counts(db)
    with pytest.raises(OSError):
        do_import(db, round_id, questionnaire, to_csv(questionnaire, rows_for(questionnaire, 20)))
    assert counts(db) == before and len(calls) == 10


def test_the_templates_explain_every_column(db, org_id, questionnaire):
    org = get_organisation(on(db), org_id)
    text = template_csv(questionnaire, org, "nl").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))  # Belgian Excel's separator
    assert lines[-1] == columns(questionnaire)
    notes = " ".join(line[0] for line in lines[:-1])
    assert all(line[0].startswith("#") for line in lines[:-1])
    for expected in ("sheet:", "ws1 … wp4", "Kantoor, Productie", "lt30 (Jonger dan 30)",
                     "fixed_term", "open_answer:", "1 = Nooit / Helemaal oneens"):
        assert expected in notes, expected
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(questionnaire, org, "en")))
    assert book.sheetnames == ["Answers", "Explanation"]
    assert [c.value for c in book["Answers"][1]] == columns(questionnaire)
    assert book["Explanation"].max_row == len(lines) - 1  # a heading, then a row per column


@pytest.mark.parametrize("lang,separator", [("nl", ";"), ("fr", ";"), ("en", ",")])
def test_a_filled_in_template_imports(db, org_id, round_id, questionnaire, lang, separator):
    """The CSV template is separated as the language's Excel saves it, and imports so filled."""
    org = get_organisation(on(db), org_id)
    rows = rows_for(questionnaire, 5)
    text = template_csv(questionnaire, org, lang).decode("utf-8-sig")
    assert text.splitlines()[-1] == separator.join(columns(questionnaire))
    body = to_csv(questionnaire, rows, delimiter=separator).decode().split("\r\n", 1)[1]
    assert do_import(db, round_id, questionnaire, (text + body).encode("utf-8-sig")).rows == 5
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(questionnaire, org, "nl")))
    for row in rows_for(questionnaire, 10)[5:]:
        book.worksheets[0].append([row[c] for c in columns(questionnaire)])
    out = io.BytesIO()
    book.save(out)
    assert do_import(db, round_id, questionnaire, out.getvalue(), "sjabloon.xlsx").rows == 5



# --- answers typed in twice (issue 28) ------------------------------------------------------


def test_the_same_answers_under_new_sheet_numbers_wait_for_a_confirmation(db, round_id,
                                                                          questionnaire):
    """Attack: the sheets of an earlier import typed in again under new sheet numbers were
    counted twice. Now they are flagged and nothing is stored until the importer confirms
    this very file."""
    rows = rows_for(questionnaire, 5)
    do_import(db, round_id, questionnaire, to_csv(questionnaire, rows))
    again = [dict(row, sheet=str(int(row["sheet"]) + 100)) for row in rows]
    again[1]["department"] = again[1]["department"].upper()  # spelled otherwise: the same
    data = to_csv(questionnaire, again)
    assert refused(db, round_id, questionnaire, data, lang="en") == [
        f"row {n}: exactly the same answers were imported into this round before"
        for n in range(2, 7)]
    with pytest.raises(RepeatedAnswersError) as caught:
        do_import(db, round_id, questionnaire, data)
    other = to_csv(questionnaire, [*again, dict(rows_for(questionnaire, 1, seed=3)[0],
                                                sheet="200")])
    with pytest.raises(RepeatedAnswersError):  # a confirmation holds for its own file only
        do_import(db, round_id, questionnaire, other, confirm_repeats=caught.value.fingerprint)
    assert get_round(on(db), round_id).responses == 5
    result = do_import(db, round_id, questionnaire, data, confirm_repeats=caught.value.fingerprint)
    assert result.rows == 5 and get_round(on(db), round_id).responses == 10


def test_rows_with_the_same_answers_within_a_file_are_flagged(db, round_id, questionnaire):
    rows = rows_for(questionnaire, 6)
    rows[3] = dict(rows[1], sheet="4", open_answer=f"  {rows[1]['open_answer']} ")
    rows[5] = dict(rows[1], sheet="6")
    rows[4] = dict(rows[2], sheet="5", open_answer=rows[2]["open_answer"] + " Ook.")
    assert refused(db, round_id, questionnaire, to_csv(questionnaire, rows)) == [
        "rij 5: dezelfde antwoorden als rij 3 (elke vraag, de vragen over jezelf en het open "
        "antwoord)",
        "rij 7: dezelfde antwoorden als rij 3 (elke vraag, de vragen over jezelf en het open "
        "antwoord)"]


def test_answers_sent_online_are_not_compared(db, round_id, questionnaire):
    """Only imported answers are compared: an online respondent who happened to answer as a
    paper sheet does is no reason to stop an import, and an online answer is never read for
    an importer."""
    rows = rows_for(questionnaire, 3)
    [token] = create_invitations(on(db), round_id, 1)
    submit_response(on(db), token, questionnaire, {i.id: int(rows[0][i.id])
                                                   for i in questionnaire.items
                                                   if rows[0][i.id]}, {}, "", today=TODAY)
    rows[0].update(department="", age_band="", contract_type="", open_answer="")
    assert do_import(db, round_id, questionnaire, to_csv(questionnaire, rows)).rows == 3


def test_a_formula_without_a_saved_value_is_refused_with_its_row_and_column(db, round_id,
                                                                            questionnaire):
    """Bug: a formula written by a tool that does not calculate (openpyxl writes <f> and an
    empty <v/>) was read as no answer, silently."""
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(questionnaire, rows_for(questionnaire,
                                                                              4))))
    sheet = book.active
    column = columns(questionnaire).index("wd3") + 1
    sheet.cell(3, column).value = "=2+1"
    out = io.BytesIO()
    book.save(out)
    assert refused(db, round_id, questionnaire, out.getvalue(), "antwoorden.xlsx",
                   lang="en") == [
        "row 3, column wd3: a formula without a saved result, so its value is unknown. Open the "
        "file in Excel, let it recalculate and save it again, or paste the values only."]
