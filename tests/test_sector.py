"""Sector figures, tested as a sector analyst trying to learn one organisation's results: every
shown cell meets the rules, and nothing that adding and subtracting shown cells gives away
falls below them; plus access, matching, trend, bands, peer colours, exports and the demo."""

import csv
import io
import itertools
import re
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import demo, nace, sector
from assessment.access import AccessDenied, Scope, Sector
from assessment.i18n import catalogue
from assessment.organisations import create_organisation, list_organisations
from assessment.questionnaire import INDICATORS
from assessment.sector import (
    BAND_COLOURS,
    COMPLEMENT,
    DEFAULT_RULES,
    DOMINANCE,
    TOO_FEW_ORGANISATIONS,
    TOO_FEW_RESPONDENTS,
    CellRules,
    PeerPosition,
    covers,
    peer_position,
    publishable_cells,
    sector_view,
    shown_table,
    to_csv,
    to_xlsx,
)
from assessment.storage import init_db, write_transaction

from .conftest import TODAY

PC330, PC200 = Sector("pc", "330"), Sector("pc", "200")
ADMIN = Scope(1, "admin", "platform_admin")
ANALYST = Scope(2, "analist", "sector_analyst", sectors=(PC330,))
_names = itertools.count(1)
_response_ids = itertools.count(1)
SECRET = "Geheim"  # in every test organisation's name; must never reach a table


def organisation(db, *, pcs=("330",), division="87", headcount=20, min_group=5,
                 nace_version="2008"):
    org = create_organisation(f"{SECRET} {next(_names)}", nace.lookup(division).section,
                              division, headcount, ["Team"], db_path=db, today=TODAY)
    with write_transaction(db) as conn:
        conn.execute("update organisations set joint_committees = ?, min_group_size = ?, "
                     "nace_version = ? where id = ?",
                     [" ".join(pcs) or None, min_group, nace_version, org])
    return org


def survey(db, org, n, *, werkbaar=None, unknown=0, knelpunt=None,
           closed_on=TODAY - timedelta(days=2)):
    """A round of ``org`` that closed on ``closed_on`` (still open when that is in the future),
    with ``n`` responses: ``werkbaar`` of them with werkbaar werk (default half), the next
    ``unknown`` with an unknown flag, the rest not; the last ``knelpunt`` (default: those not
    werkbaar) have a knelpunt on every indicator."""
    werkbaar = n // 2 if werkbaar is None else werkbaar
    knelpunt = n - werkbaar - unknown if knelpunt is None else knelpunt
    with write_transaction(db) as conn:
        conn["survey_rounds"].insert({
            "organisation_id": org, "title": "Bevraging", "questionnaire_id": "employee",
            "questionnaire_version": 1, "opens_on": (closed_on - timedelta(28)).isoformat(),
            "closes_on": closed_on.isoformat(), "closed_early_on": None,
            "created_on": (closed_on - timedelta(28)).isoformat()})
        rid = conn.execute("select last_insert_rowid()").fetchone()[0]
        for i in range(n):
            response = next(_response_ids)
            flag = 1 if i < werkbaar else None if i < werkbaar + unknown else 0
            conn.execute("insert into responses (id, round_id, werkbaar, submitted_on) "
                         "values (?, ?, ?, ?)", [response, rid, flag, closed_on.isoformat()])
            level = "knelpunt" if i >= n - knelpunt else "ok"
            conn.conn.executemany(
                "insert into response_scores (response_id, round_id, scale_id, score, level) "
                "values (?, ?, ?, ?, ?)",
                [(response, rid, scale, 50.0, level) for scale in INDICATORS])
    return rid


def sector_of(db, sizes, **kwargs):
    """One organisation per entry of ``sizes`` (its respondents), all in pc:330."""
    orgs = [organisation(db, **kwargs) for _ in sizes]
    for org, n in zip(orgs, sizes, strict=True):
        survey(db, org, n)
    return orgs


AFTER = date(TODAY.year + 1, 1, 15)  # the year of TODAY has ended: its cells are published


def view(db, which=PC330, **kwargs):
    return sector_view(ADMIN, which, db_path=db, today=AFTER, **kwargs)


# --- the rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("respondents,reason", [
    ([6, 6, 6, 6], TOO_FEW_ORGANISATIONS),  # 4 organisations
    ([6, 6, 6, 6, 6], None),  # 5 organisations, 30 respondents
    ([6, 6, 6, 6, 5], TOO_FEW_RESPONDENTS),  # 29 respondents
    ([20, 5, 5, 5, 5], None),  # exactly half: allowed
    ([21, 5, 5, 5, 5], DOMINANCE),  # 21 of 41: more than half
    ([], TOO_FEW_ORGANISATIONS),
])
def test_cell_rules_at_their_boundaries(respondents, reason):
    assert DEFAULT_RULES.reason(respondents) == reason
    assert (DEFAULT_RULES.min_organisations, DEFAULT_RULES.min_respondents,
            DEFAULT_RULES.max_share) == (5, 30, 0.5)


def test_four_organisations_show_nothing_five_show_pooled_figures(db):
    sector_of(db, [10, 10, 10, 10])
    hidden = view(db)
    assert hidden.total == sector.Cell("total", "total", False, TOO_FEW_ORGANISATIONS)
    assert hidden.bands == {} and all(not c.shown for c in hidden.by_size + hidden.trend)
    assert all(c.n_organisations is None and c.n_respondents is None and not c.knelpunt
               for c in (hidden.total, *hidden.by_size, *hidden.by_division, *hidden.trend))

    fifth = organisation(db)
    survey(db, fifth, 10, werkbaar=10, knelpunt=0)
    shown = view(db).total
    assert (shown.shown, shown.n_organisations, shown.n_respondents) == (True, 5, 50)
    assert shown.werkbaarheidsgraad == 60.0  # (4 × 5 + 10) / 50, pooled over respondents
    assert shown.knelpunt == dict.fromkeys(INDICATORS, 40.0)


def test_29_respondents_hide_30_show_and_unknown_flags_are_left_out(db):
    orgs = sector_of(db, [6, 6, 6, 6, 5])
    assert view(db).total.reason == TOO_FEW_RESPONDENTS
    survey(db, orgs[-1], 6, werkbaar=3, unknown=3, knelpunt=0)  # its latest round now has 6
    total = view(db).total
    assert total.shown and total.n_respondents == 30
    assert total.werkbaarheidsgraad == round(100 * 15 / 27, 1)  # 3 unknown flags not counted


def test_a_dominant_organisation_hides_the_cell(db):
    big = sector_of(db, [21, 5, 5, 5, 5])[0]
    assert view(db).total.reason == DOMINANCE
    survey(db, big, 20)
    assert view(db).total.shown  # 20 of 40: exactly half is allowed


# --- differencing ----------------------------------------------------------------------------

def test_one_hidden_cell_forces_the_next_smallest_to_hide_until_the_rest_meets_the_rules():
    orgs = {"big": ("large", "x", 40)}  # alone in its class: too few organisations
    orgs |= {f"s{i}": ("small", "x", 6) for i in range(5)}  # 30: the smallest shown class
    orgs |= {f"m{i}": ("medium", "x", 8) for i in range(5)}  # 40
    orgs |= {f"u{i}": ("micro", "x", 10) for i in range(10)}  # 100
    decided = publishable_cells(orgs)
    assert decided[("size", "large")] == TOO_FEW_ORGANISATIONS
    # large alone is one organisation; large + small: 40 of 70 is dominance; + medium meets.
    assert decided[("size", "small")] == decided[("size", "medium")] == COMPLEMENT
    assert decided[("size", "micro")] is None and decided[("total", "total")] is None


def test_hidden_cells_that_together_meet_the_rules_hide_nothing_else():
    orgs = {f"a{i}": ("micro", "x", 8) for i in range(2)}  # 2 organisations: hidden
    orgs |= {f"b{i}": ("large", "x", 8) for i in range(3)}  # 3 organisations: hidden
    orgs |= {f"c{i}": ("small", "x", 7) for i in range(5)}  # shown
    orgs |= {f"d{i}": ("medium", "x", 9) for i in range(5)}  # shown
    decided = publishable_cells(orgs)
    assert decided[("size", "micro")] == decided[("size", "large")] == TOO_FEW_ORGANISATIONS
    # together: 5 organisations, 40 respondents, none above half: subtracting reveals only that
    assert decided[("size", "small")] is None and decided[("size", "medium")] is None


def test_a_division_inside_a_size_class_with_one_organisation_between_them_is_hidden(db):
    for _ in range(6):
        survey(db, organisation(db, division="87", headcount=60), 10)  # medium, 87
    survey(db, organisation(db, division="88", headcount=60), 10)  # medium, 88: alone
    for _ in range(5):
        survey(db, organisation(db, division="86", headcount=20), 10)  # small, 86
    v = view(db)
    size = {c.key: c for c in v.by_size}
    division = {c.key: c for c in v.by_division}
    assert size["medium"].shown and size["small"].shown and v.total.shown
    # 88 (one organisation) hides 86, the smallest shown division, by rule 1; then
    # "medium − 87" would be the one organisation in 88, so 87 is hidden too.
    assert division["88"].reason == TOO_FEW_ORGANISATIONS
    assert division["86"].reason == division["87"].reason == COMPLEMENT
    assert division["87"].n_respondents is None


def test_when_the_total_is_hidden_no_breakdown_is_shown():
    orgs = {"big": ("large", "x", 300)} | {f"s{i}": ("small", "y", 10) for i in range(6)}
    decided = publishable_cells(orgs)
    assert decided[("total", "total")] == DOMINANCE
    assert decided[("size", "small")] == decided[("division", "y")] == COMPLEMENT


def derivable(shown_sets, universe):
    """Every non-empty set of organisations an analyst can compute by adding and subtracting
    the shown cells: the 0/1 vectors in their linear span (brute force)."""
    names = sorted(universe)
    matrix = np.array([[1.0 if o in s else 0.0 for o in names] for s in shown_sets])
    projector = np.linalg.pinv(matrix) @ matrix
    candidates = np.array(list(itertools.product([0.0, 1.0], repeat=len(names)))[1:])
    inside = np.all(np.abs(candidates @ projector - candidates) < 1e-8, axis=1)
    return [{o for o, bit in zip(names, row, strict=True) if bit} for row in candidates[inside]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"), st.integers(1, 40)),
                min_size=1, max_size=10),
       st.integers(1, 4), st.integers(1, 60), st.sampled_from([0.34, 0.5, 0.75, 1.0]))
def test_no_shown_cell_and_no_difference_of_shown_cells_breaks_the_rules(facts, orgs_min,
                                                                         resp_min, share):
    rules = CellRules(orgs_min, resp_min, share)
    orgs = dict(enumerate(facts))
    decided = publishable_cells(orgs, rules)
    members = {("total", "total"): set(orgs)}
    for o, (size, division, _) in orgs.items():
        members.setdefault(("size", size), set()).add(o)
        members.setdefault(("division", division), set()).add(o)
    assert set(decided) == set(members)

    def meets(group):
        return not group or rules.reason([orgs[o][2] for o in group]) is None

    shown = [members[c] for c, reason in decided.items() if reason is None]
    if decided[("total", "total")] is not None:
        assert shown == []
        return
    assert all(meets(s) for s in shown)
    for section in ("size", "division"):  # the hidden cells of a breakdown, together
        assert meets(set(orgs).difference(*(members[c] for c, r in decided.items()
                                             if c[0] == section and r is None)))
    published = shown + [set(orgs) - s for s in shown]  # the total is shown: complements too
    for a, b in itertools.combinations(published, 2):  # nested pairs, as the brief puts it
        small, big = sorted((a, b), key=len)
        if small <= big:
            assert meets(big - small)
    assert all(meets(group) for group in derivable(shown, orgs))  # and every combination


# --- access, matching, years -------------------------------------------------------------------

def test_sector_and_peer_figures_only_within_the_callers_scope(db):
    org = sector_of(db, [10] * 6)[0]
    assert sector_view(ANALYST, PC330, db_path=db, today=AFTER).total.shown
    with pytest.raises(AccessDenied):
        sector_view(ANALYST, PC200, db_path=db, today=AFTER)
    for role in ("organisation_admin", "hr_viewer"):
        with pytest.raises(AccessDenied):
            sector_view(Scope(3, "hr", role, organisation_id=org), PC330, db_path=db,
                        today=TODAY)
    own = Scope(3, "hr", "organisation_admin", organisation_id=org)
    assert peer_position(own, org, db_path=db, today=TODAY) is not None
    with pytest.raises(AccessDenied):
        peer_position(own, org + 1, db_path=db, today=TODAY)
    with pytest.raises(AccessDenied):
        peer_position(ANALYST, org, db_path=db, today=TODAY)


def test_a_joint_committee_covers_its_sub_committees_but_not_the_other_way_round(db):
    assert covers(Sector("pc", "111"), ("111.01",), None)
    assert covers(Sector("pc", "111"), ("200", "111"), None)
    assert not covers(Sector("pc", "111.01"), ("111",), None)
    assert not covers(Sector("pc", "111.01"), ("111.02",), None)
    assert not covers(Sector("pc", "11"), ("111",), None)
    assert covers(Sector("nace", "87"), (), "87") and not covers(Sector("nace", "87"), (), "88")
    for pcs in (("111.01",), ("111.01",), ("111.02",), ("111",), ("111.02", "200")):
        survey(db, organisation(db, pcs=pcs), 10)
    assert view(db, Sector("pc", "111")).total.n_organisations == 5
    assert view(db, Sector("pc", "111.01")).total.reason == TOO_FEW_ORGANISATIONS


def test_sectors_in_use_for_the_admins_choice(db):
    organisation(db, pcs=("111.01", "330"), division="87")
    organisation(db, pcs=(), division="88", nace_version="2025")
    assert sector.sectors_in_use(db_path=db) == [
        Sector("pc", "111"), Sector("pc", "111.01"), Sector("pc", "330"), Sector("nace", "87")]


def test_a_nace_2025_division_is_not_a_nace_2008_division(db):
    for version in ("2008",) * 4 + ("2025",):
        survey(db, organisation(db, division="87", nace_version=version), 10)
    assert view(db, Sector("nace", "87")).total.reason == TOO_FEW_ORGANISATIONS
    by_division = {c.key for c in view(db, PC330).by_division}
    assert by_division == {"87", "unknown"}


def test_trend_has_one_cell_per_year_from_each_organisations_latest_closed_round(db):
    orgs = [organisation(db) for _ in range(5)]
    for org in orgs:
        survey(db, org, 7, closed_on=TODAY.replace(year=2024, month=6))
        survey(db, org, 8, closed_on=TODAY.replace(year=2025, month=3))
        survey(db, org, 9, closed_on=TODAY.replace(year=2025, month=10))  # latest of 2025
        survey(db, org, 6, closed_on=TODAY - timedelta(days=30))
        survey(db, org, 0, closed_on=TODAY - timedelta(days=3))  # no responses: not used
        survey(db, org, 12, closed_on=AFTER + timedelta(days=5))  # still open: not used
    v = view(db)
    assert [(c.key, c.shown, c.n_respondents) for c in v.trend] == [
        ("2024", True, 35), ("2025", True, 45), ("2026", True, 30)]
    assert v.year == 2026 and v.total == sector.Cell(
        "total", "total", True, None, 5, 30, v.trend[-1].werkbaarheidsgraad,
        v.trend[-1].knelpunt)


def test_the_running_year_is_not_published(db):
    """Every round that closes during a year changes its cells: noting them before and after
    one organisation's round closed would give that organisation's figures."""
    orgs = sector_of(db, [10] * 6)
    assert view(db).year == TODAY.year
    running = sector_view(ADMIN, PC330, db_path=db, today=TODAY)
    assert running.year is None and not running.total.shown and running.trend == ()
    survey(db, orgs[0], 10, closed_on=TODAY.replace(year=TODAY.year - 1))
    assert sector_view(ADMIN, PC330, db_path=db, today=TODAY).year == TODAY.year - 1


def test_a_sector_without_closed_rounds(db):
    survey(db, organisation(db), 10, closed_on=AFTER + timedelta(days=3))
    v = view(db)
    assert v.year is None and not v.total.shown and v.trend == () and v.bands == {}
    assert len(shown_table(v, "nl")) == 1


# --- bands and peers ---------------------------------------------------------------------------

def test_bands_are_percentiles_of_organisation_values_and_need_five_qualifying(db):
    orgs = [organisation(db) for _ in range(6)]
    for org, werkbaar in zip(orgs, (2, 4, 6, 8, 10), strict=False):
        survey(db, org, 10, werkbaar=werkbaar)  # organisation values 20, 40, 60, 80, 100
    survey(db, orgs[5], 4, werkbaar=0)  # below its threshold: in the total, not in the bands
    v = view(db)
    assert v.total.shown and v.total.n_organisations == 6 and v.band_organisations == 5
    assert v.bands["werkbaarheidsgraad"] == (36.0, 60.0, 84.0)  # linear interpolation
    assert v.bands["werkstress"] == (16.0, 40.0, 64.0)  # knelpunt shares 80 … 0
    with write_transaction(db) as conn:  # one organisation raises its threshold above 10
        conn.execute("update organisations set min_group_size = 11 where id = ?", [orgs[0]])
    v = view(db)
    assert v.total.shown and v.bands == {} and v.band_organisations is None


@pytest.mark.parametrize("werkbaar,colour", [(10, "green"), (0, "red"), (5, "aqua"),
                                             (4, "yellow")])
def test_peer_colours(db, werkbaar, colour):
    for peer_werkbaar in (3, 4, 5, 6, 7):  # P20 38, P50 50, P80 62
        survey(db, organisation(db), 10, werkbaar=peer_werkbaar)
    own = organisation(db, pcs=("200", "330"))  # pc:200 has no peers: pc:330 is used
    survey(db, own, 10, werkbaar=werkbaar)
    position = peer_position(ADMIN, own, db_path=db, today=TODAY)
    assert position.sector == PC330 and position.n_peers == 5
    assert position.bands == dict.fromkeys(sector.METRICS, colour)


def test_a_peer_position_gives_colours_only_and_needs_enough_peers(db):
    orgs = sector_of(db, [10] * 5)
    position = peer_position(ADMIN, orgs[0], db_path=db, today=TODAY)
    assert position is None  # four peers
    survey(db, organisation(db), 10)
    position = peer_position(ADMIN, orgs[0], db_path=db, today=TODAY)
    assert {f.name for f in fields(PeerPosition)} == {"sector", "n_peers", "round_id", "bands"}
    assert set(position.bands.values()) <= set(BAND_COLOURS)
    assert sector.band(50, 38, 50, 62) == "aqua" and sector.band(62, 38, 50, 62) == "green"
    small = organisation(db)
    survey(db, small, 4)  # its own round is below its threshold
    assert peer_position(ADMIN, small, db_path=db, today=TODAY) is None
    nace_only = organisation(db, pcs=(), division="87")
    survey(db, nace_only, 10)
    assert peer_position(ADMIN, nace_only, db_path=db, today=TODAY).sector == Sector("nace",
                                                                                      "87")


# --- the table and its exports -------------------------------------------------------------------

def mixed_sector(db):
    """A shown total and medium class, a hidden small class (complement) and large one."""
    survey(db, organisation(db, headcount=300), 40)
    for _ in range(5):
        survey(db, organisation(db, headcount=20), 10)
    for _ in range(6):
        survey(db, organisation(db, headcount=80), 30)
    return view(db)


def test_the_table_shows_no_figure_of_a_hidden_cell_and_no_name(db):
    v = mixed_sector(db)
    assert [(c.key, c.reason) for c in v.by_size] == [
        ("small", COMPLEMENT), ("medium", None), ("large", TOO_FEW_ORGANISATIONS)]
    for lang, hidden in (("nl", "verborgen"), ("en", "hidden")):
        table = shown_table(v, lang)
        numbers = table.columns[5:]
        status = table.columns[3]
        assert list(table.columns[:3]) == [catalogue(lang)[f"sector.col_{k}"]
                                           for k in ("section", "year", "cell")]
        rows = table[table[status] == hidden]
        assert len(rows) == 2 and rows[numbers].isna().all().all()
        assert table[table[status] != hidden][numbers[2]].notna().all()  # werkbaarheidsgraad
        assert len(table) == 1 + 3 + 1 + 1 + 3  # total, sizes, division, year, three bands
        text = to_csv(table).decode("utf-8-sig")
        assert SECRET not in text and "Team" not in text


def test_csv_and_xlsx_hold_the_same_table(db):
    table = shown_table(mixed_sector(db), "en")
    data = to_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == len(cells) == len(table) + 1
    for csv_row, xlsx_row in zip(rows, cells, strict=True):
        assert len(csv_row) == len(xlsx_row)
        for text, value in zip(csv_row, xlsx_row, strict=True):
            if value is None:
                assert text == ""
            elif isinstance(value, int | float):
                assert float(text) == pytest.approx(value)
            else:
                assert text == value


def test_every_sector_text_exists_in_both_languages():
    source = Path(sector.__file__).read_text()
    keys = set(re.findall(r'"(sector\.[a-z_0-9]+)"', source))
    keys |= {f"sector.reason_{r}" for r in sector.REASONS}
    keys |= {f"sector.section_{s}" for s in (*sector.SECTIONS, sector.BAND)}
    keys |= {f"sector.col_{c}" for c in ("section", "year", "cell", "status", "note",
                                         "organisations", "respondents", "werkbaarheidsgraad",
                                         "knelpunt")}
    assert len(keys) > 20
    for lang in ("nl", "en"):
        assert keys - set(catalogue(lang)) == set()


# --- the demo ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = init_db(tmp_path_factory.mktemp("demo") / "werkbaar.db")
    demo.load_demo(db_path=path, today=TODAY)
    return path


def test_the_demo_sector_shows_figures_and_suppression(demo_db):
    v = sector_view(ADMIN, demo.DEMO_SECTOR, db_path=demo_db, today=TODAY)
    assert v.total.shown and v.total.n_organisations >= 5 and v.bands
    assert v.year == TODAY.year - 1  # the running year is not published yet
    assert [c.key for c in v.trend] == ["2024", "2025"] and all(c.shown for c in v.trend)
    size = {c.key: c.reason for c in v.by_size}
    assert size == {"small": COMPLEMENT, "medium": None, "large": TOO_FEW_ORGANISATIONS}
    assert {c.key: c.shown for c in v.by_division} == {"87": True, "88": True}
    hidden = sector_view(ADMIN, demo.DEMO_HIDDEN_SECTOR, db_path=demo_db, today=TODAY)
    assert hidden.total.reason == TOO_FEW_ORGANISATIONS and hidden.bands == {}
    assert not any(c.shown for c in (*hidden.by_size, *hidden.by_division, *hidden.trend))
    scheldeland = next(o.id for o in list_organisations(db_path=demo_db)
                       if o.name == "Zorggroep Scheldeland")
    position = peer_position(ADMIN, scheldeland, db_path=demo_db, today=TODAY)
    assert position.sector == demo.DEMO_SECTOR and position.n_peers == 10
