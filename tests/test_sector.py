"""Sector figures, tested as a sector analyst trying to learn one organisation's results: every
shown cell meets the rules, and nothing that adding and subtracting shown cells gives away
falls below them; plus access, matching, trend, bands, peer colours, exports and the demo."""

import csv
import io
import itertools
import os
import re
import subprocess
import sys
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import confidentiality, demo, nace, sector, sector_snapshots
from assessment.access import AccessDenied, Scope, Sector
from assessment.confidentiality import span
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
    sector_view,
    shown_table,
    to_csv,
    to_xlsx,
)
from assessment.sector_snapshots import Organisation, Round, decide_year
from assessment.storage import init_db, write_transaction
from tests.context import on

from .conftest import fresh_database

pytestmark = pytest.mark.both_backends  # a module database: PostgreSQL's in that pass

# The sector rules take the day as an argument, and their subject is where it falls in its year:
# "the running year", "two days ago", "the year just ended". A fixed day in mid-year keeps
# every fixture where the tests mean it on any day they run (on 1 January "two days ago" was
# last year); the frozen-clock runs (tests/frozen_clock.py) show nothing here reads the clock.
TODAY = date(2026, 6, 15)

PC330, PC200 = Sector("pc", "330"), Sector("pc", "200")
ADMIN = Scope(1, "admin", "platform_admin")
ANALYST = Scope(2, "analist", "sector_analyst", sectors=(PC330,))
_names = itertools.count(1)
_response_ids = itertools.count(1)
SECRET = "Geheim"  # in every test organisation's name; must never reach a table


def organisation(db, *, pcs=("330",), division="87", headcount=20, min_group=5,
                 nace_version="2008"):
    org = create_organisation(on(db), f"{SECRET} {next(_names)}", nace.lookup(division).section,
                              division, headcount, ["Team"], today=TODAY)
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
        rid = conn["survey_rounds"].insert({
            "organisation_id": org, "title": "Bevraging", "questionnaire_id": "employee",
            "questionnaire_version": 1, "opens_on": (closed_on - timedelta(28)).isoformat(),
            "closes_on": closed_on.isoformat(), "closed_early_on": None,
            "created_on": (closed_on - timedelta(28)).isoformat()}).last_pk
        for i in range(n):
            response = next(_response_ids)
            flag = 1 if i < werkbaar else None if i < werkbaar + unknown else 0
            conn.execute("insert into responses (id, round_id, werkbaar, submitted_on) "
                         "values (?, ?, ?, ?)", [response, rid, flag, closed_on.isoformat()])
            level = "knelpunt" if i >= n - knelpunt else "ok"
            conn.executemany(
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


def publishable_cells(facts, rules=DEFAULT_RULES):
    """The decision for one joint committee whose organisations have these (size class,
    division, respondents): ``{("total", "total"): reason, ("size", key): reason, ...}``."""
    orgs = {o: Organisation(o, division, ("330",), size, 5)
            for o, (size, division, _) in enumerate(facts.values())}
    rounds = {o: Round(o, o, TODAY, n) for o, (_, _, n) in enumerate(facts.values())}
    snapshot = decide_year(TODAY.year, orgs, rounds, rules)[PC330]
    return {(c.section, c.key): c.reason
            for c in (snapshot.total, *snapshot.by_size, *snapshot.by_division)}


AFTER = date(TODAY.year + 1, 1, 15)  # the year of TODAY has ended: its cells are published


def view(db, which=PC330, **kwargs):
    return sector_view(on(db), ADMIN, which, today=AFTER, **kwargs)


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


def fresh(tmp_path, name):
    return init_db(tmp_path / f"{name}.db")


def test_four_organisations_show_nothing_five_show_pooled_figures(db, tmp_path):
    sector_of(db, [10, 10, 10, 10])
    hidden = view(db)
    assert hidden.total == sector.Cell("total", "total", False, TOO_FEW_ORGANISATIONS)
    assert hidden.bands == {} and all(not c.shown for c in hidden.by_size + hidden.trend)
    assert all(c.n_organisations is None and c.n_respondents is None and not c.knelpunt
               for c in (hidden.total, *hidden.by_size, *hidden.by_division, *hidden.trend))

    other = fresh(tmp_path, "five")
    sector_of(other, [10, 10, 10, 10])
    survey(other, organisation(other), 10, werkbaar=10, knelpunt=0)
    shown = view(other).total
    assert (shown.shown, shown.n_organisations, shown.n_respondents) == (True, 5, 50)
    assert shown.werkbaarheidsgraad == 60.0  # (4 × 5 + 10) / 50, pooled over respondents
    assert shown.knelpunt == dict.fromkeys(INDICATORS, 40.0)


def test_29_respondents_hide_30_show_and_unknown_flags_are_left_out(db, tmp_path):
    sector_of(db, [6, 6, 6, 6, 5])
    assert view(db).total.reason == TOO_FEW_RESPONDENTS
    other = fresh(tmp_path, "thirty")
    orgs = sector_of(other, [6, 6, 6, 6, 5])
    survey(other, orgs[-1], 6, werkbaar=3, unknown=3, knelpunt=0)  # its latest round has 6
    total = view(other).total
    assert total.shown and total.n_respondents == 30
    assert total.werkbaarheidsgraad == round(100 * 15 / 27, 1)  # 3 unknown flags not counted


def test_a_dominant_organisation_hides_the_cell(db, tmp_path):
    sector_of(db, [21, 5, 5, 5, 5])
    assert view(db).total.reason == DOMINANCE
    other = fresh(tmp_path, "half")
    sector_of(other, [20, 5, 5, 5, 5])
    assert view(other).total.shown  # 20 of 40: exactly half is allowed


# --- differencing ----------------------------------------------------------------------------

def test_one_hidden_cell_forces_the_next_smallest_to_hide_until_the_rest_meets_the_rules():
    orgs = {"big": ("large", "x", 40)}  # alone in its class: too few organisations
    orgs |= {f"s{i}": ("small", "x", 6) for i in range(5)}  # 30: the smallest shown class
    orgs |= {f"m{i}": ("medium", "x", 8) for i in range(5)}  # 40
    orgs |= {f"u{i}": ("micro", "x", 10) for i in range(10)}  # 100
    decided = publishable_cells(orgs)
    assert decided[("size", "large")] == TOO_FEW_ORGANISATIONS
    # total − the shown classes would be large alone, one organisation. Hiding small as well
    # would not do (40 of 70 is dominance); hiding medium does (40 of 80: exactly half).
    assert decided[("size", "medium")] == COMPLEMENT
    assert decided[("size", "small")] is None and decided[("size", "micro")] is None
    assert decided[("total", "total")] is None


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
    assert v.total.shown and division["88"].reason == TOO_FEW_ORGANISATIONS
    # "medium − 87" would be the one organisation in 88: never both
    assert not (size["medium"].shown and division["87"].shown)
    hidden = [c for c in (*v.by_size, *v.by_division) if not c.shown]
    assert all(c.n_respondents is None and not c.knelpunt for c in hidden)
    # whatever was chosen, no combination of the cells of pc:330 and the NACE divisions breaks
    # the rules
    facts = ([(("330",), "87", "medium", 10)] * 6 + [(("330",), "88", "medium", 10)]
             + [(("330",), "86", "small", 10)] * 5)
    _, published, respondents = multi_committee_year(facts)
    assert all(DEFAULT_RULES.reason([respondents[o] for o in g]) is None
               for g in derivable(published, respondents) if g)


def test_a_dominated_total_hides_itself_but_not_the_cells_without_the_dominant_one():
    orgs = {"big": ("large", "x", 300)} | {f"s{i}": ("small", "y", 10) for i in range(6)}
    decided = publishable_cells(orgs)
    assert decided[("total", "total")] == DOMINANCE
    assert decided[("size", "large")] == decided[("division", "x")] == TOO_FEW_ORGANISATIONS
    # the six small organisations alone meet the rules, and nothing shown contains the big one
    assert decided[("size", "small")] is None and decided[("division", "y")] is None


def derivable(shown_sets, universe):
    """Every non-empty set of organisations an analyst can compute by adding and subtracting
    the shown cells: the 0/1 vectors in their linear span (brute force)."""
    names = sorted(universe)
    if not shown_sets:
        return []
    matrix = np.array([[1.0 if o in s else 0.0 for o in names] for s in shown_sets])
    projector = np.linalg.pinv(matrix) @ matrix
    candidates = np.array(list(itertools.product([0.0, 1.0], repeat=len(names)))[1:])
    inside = np.all(np.abs(candidates @ projector - candidates) < 1e-8, axis=1)
    return [{o for o, bit in zip(names, row, strict=True) if bit} for row in candidates[inside]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["micro", "small", "medium"]), st.sampled_from("xyz"),
                          st.integers(1, 40)),
                min_size=1, max_size=10),
       st.integers(1, 4), st.integers(1, 60), st.sampled_from([0.34, 0.5, 0.75, 1.0]))
def test_no_shown_cell_and_no_combination_of_shown_cells_breaks_the_rules(facts, orgs_min,
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
    assert all(meets(group) for group in derivable(shown, orgs))  # every combination


def multi_committee_year(facts, rules=DEFAULT_RULES):
    """Organisations with (joint committees, division, size class, respondents), every key's
    snapshot decided together, and every published cell's set of organisations."""
    orgs = {o: Organisation(o, division, pcs, size, 5)
            for o, (pcs, division, size, _) in enumerate(facts)}
    rounds = {o: Round(o, o, TODAY, n) for o, (_, _, _, n) in enumerate(facts)}
    snapshots = decide_year(TODAY.year, orgs, rounds, rules)
    published = []
    for key, snap in snapshots.items():
        inside = {o for o, org in orgs.items() if key in org.keys()}
        for c in (snap.total, *snap.by_size, *snap.by_division):
            if c.shown:
                members = {o for o in inside if c.section == "total"
                           or (c.section == "size" and orgs[o].size == c.key)
                           or (c.section == "division" and (orgs[o].division or "unknown")
                               == c.key)}
                assert c.n_organisations == len(members)
                assert c.n_respondents == sum(rounds[o].n for o in members)
                published.append(members)
    return snapshots, published, {o: r.n for o, r in rounds.items()}


committees = st.sampled_from([("330",), ("330.01",), ("200",), ("330", "200"), ("330.01", "200"),
                              ()])


@pytest.mark.parametrize("exact_rank", [span.EXACT_RANK, 0])
@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(committees, st.sampled_from(["86", "87", None]),
                          st.sampled_from(["small", "medium"]), st.integers(1, 30)),
                min_size=1, max_size=10),
       st.integers(1, 4), st.integers(1, 60), st.sampled_from([0.5, 0.75]))
def test_no_combination_of_cells_of_any_keys_breaks_the_rules(exact_rank, facts, orgs_min,
                                                              resp_min, share):
    """Organisations in several joint committees (blue- and white-collar), sub-committees and
    NACE divisions: whoever holds which keys, no sum or difference of published cells isolates
    a set of organisations that fails the rules (checked exactly, over the linear span). Both
    audits: exact, and atoms only (``exact_rank=0``, what very large linked sectors get)."""
    rules = CellRules(orgs_min, resp_min, share)
    with patch.object(span, "EXACT_RANK", exact_rank):
        _, published, respondents = multi_committee_year(facts, rules)

    def meets(group):
        return not group or rules.reason([respondents[o] for o in group]) is None

    assert all(meets(group) for group in derivable(published, respondents))


def test_the_two_sector_subtraction_fails():
    """Issue 9, attack 2, step by step. Six care homes are in joint committee 330 and NACE
    division 87; a seventh organisation with one respondent is in 330 but division 88."""
    facts = [(("330",), "87", "medium", 10)] * 6 + [(("330",), "88", "small", 1)]
    snapshots, published, respondents = multi_committee_year(facts)
    pc, division = snapshots[PC330], snapshots[Sector("nace", "87")]
    # 1. Decided per key, both totals met the rules: 7 and 6 organisations, 61 and 60
    #    respondents; pc:330 minus nace:87 would be the seventh organisation's one respondent.
    assert DEFAULT_RULES.reason([10] * 6 + [1]) is None and DEFAULT_RULES.reason([10] * 6) is None
    # 2. Decided together, only one of the two totals is published; the fund's own key stays.
    assert pc.total.shown and not division.total.shown
    assert division.total.reason == COMPLEMENT
    # 3. Nothing any combination of published cells gives isolates fewer than the rules allow.
    assert all(DEFAULT_RULES.reason([respondents[o] for o in g]) is None
               for g in derivable(published, respondents) if g)


def test_two_analysts_of_different_keys_cannot_subtract_their_totals(db):
    """The same attack through the stored data and two accounts: one analyst holds pc:330,
    another nace:87; they compare notes."""
    for _ in range(6):
        survey(db, organisation(db, division="87"), 10)
    survey(db, organisation(db, division="88"), 1)
    fund = Scope(2, "fonds", "sector_analyst", sectors=(PC330,))
    region = Scope(3, "regio", "sector_analyst", sectors=(Sector("nace", "87"),))
    a = sector_view(on(db), fund, PC330, today=AFTER).total
    b = sector_view(on(db), region, Sector("nace", "87"), today=AFTER).total
    assert not (a.shown and b.shown)
    assert a.shown and b.reason == COMPLEMENT


def test_a_profile_change_after_the_year_never_changes_its_figures(db):
    """Issue 9, attack 3: an organisation corrects its joint committee after the year was
    published; before − after would be that organisation. The year stays as it was frozen."""
    orgs = sector_of(db, [10] * 7)
    before = view(db)
    with write_transaction(db) as conn:
        conn.execute("update organisations set joint_committees = '200' where id = ?", [orgs[0]])
        conn.execute("update organisations set headcount = 400 where id = ?", [orgs[1]])
    assert view(db) == before
    assert view(db, Sector("pc", "200")).year is None  # no figures of that year under 200


def test_a_late_round_or_a_new_organisation_never_changes_a_frozen_year(db):
    sector_of(db, [10] * 6)
    before = view(db)
    survey(db, organisation(db), 10, closed_on=TODAY - timedelta(days=1))  # stored later
    survey(db, organisation(db), 10, closed_on=TODAY - timedelta(days=1))
    assert view(db) == before and view(db).total.n_organisations == 6


def test_a_page_reads_the_frozen_year_and_never_decides_it_again(db, monkeypatch):
    sector_of(db, [10] * 6)
    view(db)

    def fail(*args, **kwargs):
        raise AssertionError("a frozen year was decided again")

    monkeypatch.setattr("assessment.sector_snapshots.decide_year", fail)
    assert view(db).total.shown
    assert peer_position(on(db), ADMIN, 1, today=AFTER) is None  # 6 peers: no bands


# --- access, matching, years -------------------------------------------------------------------

def test_sector_and_peer_figures_only_within_the_callers_scope(db):
    org = sector_of(db, [10] * 10)[0]
    assert sector_view(on(db), ANALYST, PC330, today=AFTER).total.shown
    with pytest.raises(AccessDenied):
        sector_view(on(db), ANALYST, PC200, today=AFTER)
    for role in ("organisation_admin", "hr_viewer"):
        with pytest.raises(AccessDenied):
            sector_view(on(db), Scope(3, "hr", role, organisation_id=org), PC330, today=TODAY)
    own = Scope(3, "hr", "organisation_admin", organisation_id=org)
    assert peer_position(on(db), own, org, today=AFTER) is not None
    with pytest.raises(AccessDenied):
        peer_position(on(db), own, org + 1, today=AFTER)
    with pytest.raises(AccessDenied):
        peer_position(on(db), ANALYST, org, today=AFTER)


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
    assert sector.sectors_in_use(on(db)) == [
        Sector("pc", "111"), Sector("pc", "111.01"), Sector("pc", "330"), Sector("nace", "87")]


def test_a_nace_2025_division_is_not_a_nace_2008_division(db):
    for version in ("2008",) * 4 + ("2025",):
        survey(db, organisation(db, division="87", nace_version=version), 10)
    assert view(db, Sector("nace", "87")).total.reason == TOO_FEW_ORGANISATIONS
    by_division = {c.key for c in view(db, PC330).by_division}
    assert by_division == {"87", "unknown"}


def test_trend_has_one_cell_per_year_from_each_organisations_latest_closed_round(db):
    year = TODAY.year  # the view is read on AFTER, when this year has ended
    orgs = [organisation(db) for _ in range(5)]
    for org in orgs:
        survey(db, org, 7, closed_on=date(year - 2, 6, 30))
        survey(db, org, 8, closed_on=date(year - 1, 3, 31))
        survey(db, org, 9, closed_on=date(year - 1, 10, 31))  # latest of the year before
        survey(db, org, 6, closed_on=date(year, 6, 1))
        survey(db, org, 0, closed_on=date(year, 9, 1))  # no responses: not used
        survey(db, org, 12, closed_on=AFTER + timedelta(days=5))  # still open: not used
    v = view(db)
    assert [(c.key, c.shown, c.n_respondents) for c in v.trend] == [
        (str(year - 2), True, 35), (str(year - 1), True, 45), (str(year), True, 30)]
    assert v.year == year and v.total == sector.Cell(
        "total", "total", True, None, 5, 30, v.trend[-1].werkbaarheidsgraad,
        v.trend[-1].knelpunt)


def test_the_running_year_is_not_published(db, tmp_path):
    """Every round that closes during a year changes its cells: noting them before and after
    one organisation's round closed would give that organisation's figures."""
    sector_of(db, [10] * 6)
    running = sector_view(on(db), ADMIN, PC330, today=TODAY)
    assert running.year is None and not running.total.shown and running.trend == ()
    assert view(db).year == TODAY.year  # once the year has ended
    other = fresh(tmp_path, "last-year")
    sector_of(other, [10] * 6)
    for org in range(1, 7):
        survey(other, org, 10, closed_on=date(TODAY.year - 1, 6, 30))
    assert sector_view(on(other), ADMIN, PC330, today=TODAY).year == TODAY.year - 1


def test_a_year_just_ended_without_data_is_frozen_empty_and_a_later_import_is_not_published(db):
    assert sector_snapshots.freeze_ended_years(on(db), today=TODAY) == [TODAY.year - 1]
    assert sector_snapshots.freeze_ended_years(on(db), today=TODAY) == []  # one look-up
    sector_of(db, [10] * 6)
    for org in range(1, 7):  # answers of last year, imported late
        survey(db, org, 10, closed_on=date(TODAY.year - 1, 6, 30))
    assert sector_view(on(db), ADMIN, PC330, today=TODAY).year is None


def test_a_sector_without_closed_rounds(db):
    survey(db, organisation(db), 10, closed_on=AFTER + timedelta(days=3))
    v = view(db)
    assert v.year is None and not v.total.shown and v.trend == () and v.bands == {}
    assert len(shown_table(v, "nl")) == 1


# --- bands and peers ---------------------------------------------------------------------------

def test_bands_are_means_of_five_organisation_values_and_need_ten_qualifying(db, tmp_path):
    orgs = [organisation(db) for _ in range(11)]
    for org, werkbaar in zip(orgs, range(1, 11), strict=False):
        survey(db, org, 10, werkbaar=werkbaar)  # organisation values 10, 20, … 100
    survey(db, orgs[10], 4, werkbaar=0)  # below its threshold: in the total, not in the bands
    v = view(db)
    assert v.total.shown and v.total.n_organisations == 11 and v.band_organisations == 10
    # P20: ranks 0–4 (10…50), P50: ranks 3–7 (40…80), P80: ranks 5–9 (60…100)
    assert v.bands["werkbaarheidsgraad"] == (30.0, 60.0, 80.0)
    assert v.bands["werkstress"] == (20.0, 50.0, 70.0)  # knelpunt shares 90 … 0

    other = fresh(tmp_path, "nine")  # nine qualifying organisations: no bands
    for werkbaar in range(1, 10):
        survey(other, organisation(other), 10, werkbaar=werkbaar)
    survey(other, organisation(other, min_group=11), 10)  # its round is below its threshold
    v = view(other)
    assert v.total.shown and v.total.n_organisations == 10
    assert v.bands == {} and v.band_organisations is None


@given(st.lists(st.floats(0, 100), min_size=0, max_size=30))
def test_each_band_is_the_mean_of_five_neighbouring_organisation_values(values):
    bands = confidentiality.percentile_bands(values)
    if len(values) < 10:
        assert bands is None
        return
    ordered = sorted(values)
    windows = [sum(ordered[i:i + 5]) / 5 for i in range(len(ordered) - 4)]
    assert all(min(abs(b - w) for w in windows) < 1e-9 for b in bands)
    assert bands[0] <= bands[1] <= bands[2]


def peers(db, werkbaar=(3, 3, 4, 4, 5, 5, 6, 6, 7, 7)):
    """Ten organisations of pc:330 in the year of TODAY; bands of the werkbaarheidsgraad
    (38, 52, 62), of each knelpunt share (38, 52, 62) mirrored to (38, 48, 62)."""
    for w in werkbaar:
        survey(db, organisation(db), 10, werkbaar=w)


NEXT_YEAR = AFTER - timedelta(days=5)  # a round of the new year, after TODAY's year ended


@pytest.mark.parametrize("werkbaar,colour", [(10, "green"), (0, "red"), (6, "aqua"),
                                             (4, "yellow")])
def test_peer_colours(db, werkbaar, colour):
    peers(db)
    own = organisation(db, pcs=("200", "330"))  # pc:200 has no bands: pc:330 is used
    survey(db, own, 10, werkbaar=werkbaar, closed_on=NEXT_YEAR)
    position = peer_position(on(db), ADMIN, own, today=AFTER)
    assert (position.sector, position.year, position.n_peers) == (PC330, TODAY.year, 10)
    assert position.bands == dict.fromkeys(sector.METRICS, colour)


def test_a_peer_position_gives_colours_only_and_needs_enough_peers(db, tmp_path):
    orgs = sector_of(db, [10] * 9)
    assert peer_position(on(db), ADMIN, orgs[0], today=AFTER) is None  # nine: no bands
    other = fresh(tmp_path, "ten")
    orgs = sector_of(other, [10] * 10)
    position = peer_position(on(other), ADMIN, orgs[0], today=AFTER)
    assert {f.name for f in fields(PeerPosition)} == {"sector", "year", "n_peers", "round_id",
                                                      "bands"}
    assert set(position.bands.values()) <= set(BAND_COLOURS)
    assert sector.band(50, 38, 50, 62) == "aqua" and sector.band(62, 38, 50, 62) == "green"
    small = organisation(other)
    survey(other, small, 4, closed_on=NEXT_YEAR)  # its own round is below its threshold
    assert peer_position(on(other), ADMIN, small, today=AFTER) is None
    nace_only = organisation(other, pcs=(), division="87")
    survey(other, nace_only, 10, closed_on=NEXT_YEAR)
    assert peer_position(on(other), ADMIN, nace_only, today=AFTER).sector == Sector(
        "nace", "87")


def test_no_peer_position_from_live_peers_in_the_running_year(db):
    peers(db)
    own = organisation(db)
    survey(db, own, 10)
    assert peer_position(on(db), ADMIN, own, today=TODAY) is None  # no ended year yet


def test_24_rounds_with_chosen_answers_cannot_narrow_a_peer_median_below_ten_points(db):
    """Issue 9, attack 4, replayed: an organisation runs a binary search on its peers' P50 of
    the werkbaarheidsgraad, closing one round after another with a chosen share of werkbaar
    answers and reading the colour each time. It learns from a colour only when the position
    is for the round it just closed."""
    peers(db, werkbaar=(2, 3, 3, 4, 5, 6, 6, 7, 8, 9))  # true P50: mean(40…60) = 50
    own = organisation(db)
    low, high = 0.0, 100.0
    day = NEXT_YEAR
    for _ in range(24):
        werkbaar = round((low + high) / 2 / 100 * 40)  # 40 respondents: 2.5-point steps
        round_id = survey(db, own, 40, werkbaar=werkbaar, closed_on=day)
        day += timedelta(days=1)
        position = peer_position(on(db), ADMIN, own, today=day)
        if position is None or position.round_id != round_id:
            continue  # the colour is not about this round: nothing learnt
        if position.bands["werkbaarheidsgraad"] in ("aqua", "green"):
            high = min(high, 100 * werkbaar / 40)  # at or above P50
        else:
            low = max(low, 100 * werkbaar / 40)
    assert high - low >= 20  # the median is known to no better than ±10 points


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
        text = to_csv(table, lang).decode("utf-8-sig")
        assert SECRET not in text and "Team" not in text


@pytest.mark.parametrize("lang,sep,decimal", [("en", ",", "."), ("nl", ";", ","),
                                              ("fr", ";", ",")])
def test_csv_and_xlsx_hold_the_same_table(db, lang, sep, decimal):
    """The CSV read as the language's Excel reads it (Belgium: ``;`` and a decimal comma)
    holds the XLSX's cells: the same columns, texts and numbers."""
    table = shown_table(mixed_sector(db), lang)
    data = to_csv(table, lang)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=sep))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == len(cells) == len(table) + 1
    for csv_row, xlsx_row in zip(rows, cells, strict=True):
        assert len(csv_row) == len(xlsx_row)
        for text, value in zip(csv_row, xlsx_row, strict=True):
            if value is None:
                assert text == ""
            elif isinstance(value, int | float):
                assert float(text.replace(decimal, ".")) == pytest.approx(value)
                assert (decimal == "." or "." not in text) and "," not in text.replace(decimal, "")
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
def demo_db(request, tmp_path_factory):
    return fresh_database(request, tmp_path_factory.mktemp("demo"), demo=True)


def test_the_demo_sector_shows_figures_and_suppression(demo_db):
    v = sector_view(on(demo_db), ADMIN, demo.DEMO_SECTOR, today=TODAY)
    assert v.total.shown and v.total.n_organisations >= 5 and v.bands
    assert v.year == TODAY.year - 1  # the running year is not published yet
    assert [c.key for c in v.trend] == ["2024", "2025"] and all(c.shown for c in v.trend)
    size = {c.key: c.reason for c in v.by_size}
    assert size == {"small": COMPLEMENT, "medium": None, "large": TOO_FEW_ORGANISATIONS}
    assert {c.key: c.shown for c in v.by_division} == {"87": True, "88": True}
    hidden = sector_view(on(demo_db), ADMIN, demo.DEMO_HIDDEN_SECTOR, today=TODAY)
    assert hidden.total.reason == TOO_FEW_ORGANISATIONS and hidden.bands == {}
    assert not any(c.shown for c in (*hidden.by_size, *hidden.by_division, *hidden.trend))
    scheldeland = next(o.id for o in list_organisations(on(demo_db))
                       if o.name == "Zorggroep Scheldeland")
    position = peer_position(on(demo_db), ADMIN, scheldeland, today=TODAY)
    assert position.sector == demo.DEMO_SECTOR and position.n_peers == 11  # itself included


REPRODUCE = """
import json, random
from assessment.sector_snapshots import Organisation, Round, decide_year
rng = random.Random(7)
pcs = [("330",), ("330", "200"), ("200",), ("318.02", "330"), ("140.03",), ("200", "140.03")]
orgs = {o: Organisation(o, rng.choice(["86", "87", "88", None]), rng.choice(pcs),
                        rng.choice(["small", "medium", "large"]), 5) for o in range(60)}
rounds = {o: Round(o, o, __import__("datetime").date(2025, 6, 1), rng.randint(1, 60))
          for o in orgs}
snaps = decide_year(2025, orgs, rounds)
print(json.dumps(sorted((k.key, c.section, c.key, c.reason) for k, s in snaps.items()
                        for c in (s.total, *s.by_size, *s.by_division))))
"""


def test_the_same_data_always_gives_the_same_decision():
    """The audit must not depend on Python's hash seed (set iteration order): a frozen year is
    decided once, but a rebuilt or second installation must publish the same cells."""
    outputs = {subprocess.run([sys.executable, "-c", REPRODUCE], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed},
                              cwd=Path(__file__).parent.parent).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and "complement" in outputs.pop()
