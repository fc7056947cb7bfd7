"""The recommendation engine: rule tables with their boundaries, reasons in words, ranking,
flags for old or ended entries, and a broken catalogue refused with every problem."""

import re
from datetime import date

import pytest
import yaml

from assessment.catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue
from assessment.i18n import Message
from assessment.profile import Profile
from assessment.questionnaire import Text
from assessment.recommendations import Gap, practice_gaps, recommend, scale_gaps

TODAY = date(2026, 11, 22)
SME = Profile(headcount=30, region="flanders", legal_form="bv", social_profit=False,
              joint_committees=("200",), nace_division="62")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def gap(gap_id, size=40, source="employees"):
    return Gap(gap_id, size, Message("gap.employees", {"scale": gap_id, "pct": size}), source)


def advice(catalogue, profile=SME, gaps=("leermogelijkheden",), today=TODAY):
    return recommend(profile, [gap(g) for g in gaps], catalogue, today)


def find(result, measure_id):
    for rec in result.obligations + result.fitting + result.not_fitting + result.ended:
        if rec.measure.id == measure_id:
            return rec
    raise KeyError(measure_id)


def texts(messages, lang="en"):
    return [m.text(lang) for m in messages]


@pytest.mark.parametrize("headcount,fits,support", [
    (1, True, "30% of the cost, at most €7,500 a year"),
    (9, True, "30% of the cost, at most €7,500 a year"),
    (49, True, "30% of the cost, at most €7,500 a year"),
    (50, True, "20% of the cost, at most €7,500 a year"),
    (249, True, "20% of the cost, at most €7,500 a year"),
    (250, False, None),
    (300, False, None),
])
def test_kmo_portefeuille_by_size(catalogue, headcount, fits, support):
    profile = Profile(**{**SME.__dict__, "headcount": headcount})
    rec = find(advice(catalogue, profile), "kmo_portefeuille")
    assert rec.fits is fits
    if fits:
        assert rec.support.text("en") == support
        assert "leermogelijkheden" in [g.id for g in rec.gaps]
    else:
        assert texts(rec.reasons_not)[0].startswith(
            f"Only for smaller enterprises; you are a large enterprise: {headcount} employees")


def test_kmo_portefeuille_support_in_dutch(catalogue):
    rec = find(advice(catalogue), "kmo_portefeuille")
    assert rec.support.text("nl") == "30% van de kosten, hoogstens €\u00a07.500 per jaar"


def test_financial_ceilings_change_the_size_class(catalogue):
    big_turnover = Profile(**{**SME.__dict__, "headcount": 40, "turnover_eur": 60_000_000,
                              "balance_total_eur": 50_000_000})
    rec = find(advice(catalogue, big_turnover), "kmo_portefeuille")
    assert not rec.fits
    assert "turnover above €50 million" in texts(rec.reasons_not)[0]


@pytest.mark.parametrize("legal_form,fits", [("bv", True), ("vzw", False), ("maatschap", False),
                                             ("nv", True)])
def test_kmo_portefeuille_legal_forms(catalogue, legal_form, fits):
    rec = find(advice(catalogue, Profile(**{**SME.__dict__, "legal_form": legal_form})),
               "kmo_portefeuille")
    assert rec.fits is fits
    if not fits:
        assert texts(rec.reasons_not, "nl")[0].startswith("Niet voor de rechtsvorm")


@pytest.mark.parametrize("region,kmo,brussels_plan", [("flanders", True, False),
                                                      ("brussels", False, True),
                                                      ("wallonia", False, False)])
def test_region(catalogue, region, kmo, brussels_plan):
    result = advice(catalogue, Profile(**{**SME.__dict__, "region": region}),
                    gaps=("leermogelijkheden", "diversity_inclusion"))
    assert find(result, "kmo_portefeuille").fits is kmo
    assert find(result, "diversiteitsplan_brussel").fits is brussels_plan


def test_unknown_facts_do_not_exclude_but_are_listed(catalogue):
    rec = find(advice(catalogue, Profile(headcount=30)), "kmo_portefeuille")
    assert rec.fits
    assert "Still to check: fill in the region of establishment in your profile." in texts(
        rec.unknown)


def test_discontinued_measure_never_fits(catalogue):
    rec = find(advice(catalogue, gaps=("diversity_inclusion",)), "diversiteitsplan_vlaanderen")
    assert not rec.fits
    assert texts(rec.reasons_not)[0] == "No longer exists (stopped on 31/12/2015)."


def test_measures_need_a_gap(catalogue):
    result = advice(catalogue, gaps=())
    assert result.fitting == ()
    assert texts(find(result, "kmo_portefeuille").reasons_not) == [
        "You can use it, but it addresses none of your measured gaps."]


@pytest.mark.parametrize("pcs,constructiv,cevora", [(("124",), True, False),
                                                    (("200",), False, True),
                                                    (("124", "200"), True, True)])
def test_sector_funds_by_joint_committee(catalogue, pcs, constructiv, cevora):
    result = advice(catalogue, Profile(**{**SME.__dict__, "joint_committees": pcs}))
    assert find(result, "sectorfonds_constructiv").fits is constructiv
    assert find(result, "sectorfonds_cevora").fits is cevora


def test_sector_fund_needs_a_known_joint_committee(catalogue):
    result = advice(catalogue, Profile(**{**SME.__dict__, "joint_committees": ()}))
    rec = find(result, "sectorfonds_constructiv")
    assert not rec.fits
    assert texts(rec.reasons_not) == [
        "Only for joint committee 124; fill in your joint committee in your profile."]


def test_sub_committee_matches_its_parent(catalogue):
    result = advice(catalogue, Profile(**{**SME.__dict__, "joint_committees": ("111.02",)}))
    assert find(result, "sectorfonds_tofam").fits


def test_ended_or_old_entries_are_flagged(catalogue):
    result = advice(catalogue)
    cheque = find(result, "werkbaarheidscheque")
    assert cheque.fits and cheque in result.ended and cheque not in result.fitting
    assert texts(cheque.flags) == [  # its conditions were checked at the source on 27/11/2026
        "This call or scheme ended on 31/07/2024: check whether there is a new one."]
    assert texts(find(result, "sectorfonds_fopas").flags) == [
        "Its conditions were last checked on 01/01/2025: check the current conditions."]
    fresh = recommend(SME, [gap("leermogelijkheden")], catalogue, date(2027, 3, 1))  # reform aged
    assert find(fresh, "kmo_portefeuille").flags == ()


def test_ranking_follows_the_largest_gap_addressed(catalogue):
    gaps = [gap("werkdruk", 60), gap("leermogelijkheden", 25)]
    result = recommend(SME, gaps, catalogue, TODAY)
    order = [r.measure.id for r in result.fitting]
    assert order.index("sectorconvenant_consulent") < order.index("kmo_portefeuille")
    sizes = [r.gaps[0].size for r in result.fitting]
    assert sizes == sorted(sizes, reverse=True)
    assert result == recommend(SME, list(reversed(gaps)), catalogue, TODAY)  # deterministic


def test_measured_gaps_rank_above_self_assessed_ones(catalogue):
    """Issue 11: a self-assessed diversity score of 35/100 (size 65) ranked above a measured
    werkdruk knelpunt of 53%. Every measure addressing a measured gap now comes first."""
    gaps = [gap("diversity_inclusion", 65, "practice"), gap("werk_prive_balans", 70, "estimate"),
            gap("werkdruk", 53), gap("leermogelijkheden", 21)]
    result = recommend(SME, gaps, catalogue, TODAY)
    order = [r.measure.id for r in result.fitting]
    assert order.index("sectorconvenant_consulent") < order.index("kmo_portefeuille")
    measured = [r.gaps[0].measured for r in result.fitting]
    assert measured == sorted(measured, reverse=True) and measured[0], order
    kmo = find(result, "kmo_portefeuille")  # diversity (65) and learning (21): measured first
    assert [g.id for g in kmo.gaps] == ["leermogelijkheden", "diversity_inclusion"]
    # Among the self-assessed: the estimate of a share before a practice score.
    assert [g.id for g in find(result, "esf_plus_werkbaar_werk").gaps] == [
        "werkdruk", "werk_prive_balans"]


def test_a_measure_made_for_the_gap_ranks_before_a_generic_offer(catalogue):
    # On 1 May 2024 the NAR's call for innovative work organisation (made for werkdruk) and the
    # 2024 round of the werkbaarheidscheque and its kmo-portefeuille increase (addresses: any)
    # were open together: all subsidies, so the tie on the werkdruk gap decides.
    result = recommend(Profile(**{**SME.__dict__, "joint_committees": ("200",)}),
                       [gap("werkdruk", 53), gap("leermogelijkheden", 30)], catalogue,
                       date(2024, 5, 1))
    order = [r.measure.id for r in result.fitting]
    made = order.index("nar_innovatieve_arbeidsorganisatie")
    assert made < order.index("werkbaarheidscheque"), order
    assert made < order.index("kmo_portefeuille_verhoging"), order


@pytest.mark.parametrize("gaps", [(), ("werkstress",), ("leermogelijkheden",)])
def test_legal_obligations_come_first_and_apart(catalogue, gaps):
    """The psychosocial risk analysis is the law, not an option: it applies whatever the
    results say and is never ranked among subsidies."""
    result = advice(catalogue, gaps=gaps)
    assert "psychosociale_risicoanalyse" in [r.measure.id for r in result.obligations]
    assert all(r.measure.kind == "obligation" for r in result.obligations)
    assert all(r.measure.kind != "obligation" for r in result.fitting + result.ended)


def test_gap_builders():
    labels = {"werkstress": Text.of(nl="Werkstress", en="Work stress"),
              "motivatie": Text.of(nl="M", en="M")}
    gaps = scale_gaps({"werkstress": 33.3, "motivatie": 12}, labels, False, {"werkstress": 36.1})
    assert [g.id for g in gaps] == ["werkstress"]  # 12% is below the 20% threshold
    assert gaps[0].message.text("en") == (
        "Work stress: 33% of your employees have a problem (Flanders: 36.1%).")
    practice = practice_gaps({"work_life": 40, "age_aware_hr": 80},
                             {"work_life": Text.of(nl="Werk-privé", en="Work–life"),
                              "age_aware_hr": None})
    assert [(g.id, g.size) for g in practice] == [("work_life", 60)]


def test_broken_catalogue_lists_every_problem(tmp_path):
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    raw["measures"][0]["status"] = "maybe"
    raw["measures"][1]["eligibility"]["size_classes"] = ["tiny"]
    raw["measures"][2]["eligibility"]["colour"] = "blue"
    raw["measures"][3]["last_checked"] = "yesterday"
    raw["measures"][4]["source_urls"] = []
    raw["measures"][5]["id"] = raw["measures"][6]["id"]
    path = tmp_path / "support_measures.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    text = "\n".join(caught.value.problems)
    ids = [m["id"] for m in raw["measures"]]
    assert f"measure {ids[0]}: field 'status' must be one of" in text
    assert f"measure {ids[1]}: eligibility.size_classes: must list values from" in text
    assert f"measure {ids[2]}: eligibility.colour: unknown condition" in text
    assert f"measure {ids[3]}: field 'last_checked' must be a date" in text
    assert f"measure {ids[4]}: field 'source_urls' must list at least one web address" in text
    assert f"measure {ids[6]}: id is used more than once" in text
    assert len(caught.value.problems) == 6


def test_not_yaml(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("measures: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(path)


def test_every_shipped_measure_has_sources_and_both_languages(catalogue):
    assert len(catalogue) >= 20
    for measure in catalogue:
        assert measure.source_urls
        for text in (measure.name, measure.summary, measure.support):
            assert text("nl") and text("en")


def test_an_sme_with_leadership_and_autonomy_gaps_is_not_told_the_wallet_pays_advice(catalogue):
    """Issue 24: since 1 February 2026 the kmo-portefeuille pays advice only on cybersecurity
    (VLAIO). The 30-person SME with measured gaps in leadership support and autonomy hears of
    the wallet for training only, not as help with its autonomy gap, and with the quote."""
    rec = find(advice(catalogue, gaps=("ondersteuning_leiding", "autonomie")), "kmo_portefeuille")
    assert rec.fits and [g.id for g in rec.gaps] == ["ondersteuning_leiding"]
    for lang, only_cyber in (("nl", "advies alleen nog over cybersecurity"),
                             ("en", "advice only on cybersecurity")):
        assert only_cyber in rec.measure.summary(lang)
        said = " ".join([rec.support(lang), *(t(lang) for t in rec.measure.also_check)])
        assert "advi" not in said.lower()  # no advice offered anywhere else on the card
    assert any("enkel nog steun voor advies krijgen over cybersecurity" in e.quote
               for e in rec.measure.evidence)
    plans = find(advice(catalogue, gaps=("diversity_inclusion",)), "diversiteitsplan_vlaanderen")
    assert "no longer advice on it" in plans.measure.summary("en")


def test_esf_plus_without_an_open_call_is_never_fits_best(catalogue):
    """Issue 24: ESF+ was ranked 'past het best' for werkdruk and werkstress with the amount of
    a 2020 call, because the programme's 2021-2027 period stood as its dates. Without a known
    open call it is under 'watch for the next call', flagged, on any day."""
    for day in (TODAY, date(2027, 12, 31), date(2021, 3, 1)):
        result = recommend(SME, [gap("werkdruk", 55), gap("werkstress", 50)], catalogue, day)
        assert "esf_plus_werkbaar_werk" not in {r.measure.id for r in result.fitting}
        esf = next(r for r in result.ended if r.measure.id == "esf_plus_werkbaar_werk")
        assert "rec.flag_no_call" in [f.key for f in esf.flags]


@pytest.mark.parametrize("day,state", [(date(2024, 3, 31), "no_open_call"),
                                       (date(2024, 4, 1), "open_call"),
                                       (date(2024, 5, 31), "open_call"),
                                       (date(2024, 6, 1), "no_open_call")])
def test_a_call_is_open_only_inside_its_dated_window(catalogue, day, state):
    pilots = next(m for m in catalogue if m.id == "nar_innovatieve_arbeidsorganisatie")
    assert pilots.live_state(day) == state
    result = recommend(SME, [gap("autonomie")], catalogue, day)
    fitting = {r.measure.id for r in result.fitting}
    assert ("nar_innovatieve_arbeidsorganisatie" in fitting) is (state == "open_call")


@pytest.mark.parametrize("day,state,flag", [
    (date(2026, 1, 15), "standing", "Wijzigt op 01/02/2026: "),
    (date(2026, 2, 1), "changed", "Gewijzigd sinds 01/02/2026: "),
    (date(2027, 1, 31), "changed", "Gewijzigd sinds 01/02/2026: "),
    (date(2027, 2, 1), "standing", None),
])
def test_a_reformed_scheme_says_what_changed_from_when(catalogue, day, state, flag):
    """Issue 24 item 2: the kmo-portefeuille's reform (advice only on cybersecurity from
    1 February 2026) is data with a date: announced before, 'changed' for a year after, and
    still a scheme that fits (training is unchanged)."""
    wallet = next(m for m in catalogue if m.id == "kmo_portefeuille")
    assert wallet.live_state(day) == state
    rec = find(advice(catalogue, gaps=("leermogelijkheden",), today=day), "kmo_portefeuille")
    said = [f.text("nl") for f in rec.flags]
    if flag is None:
        assert not any("ijzig" in text for text in said), said
    else:
        assert any(text.startswith(flag) and "cybersecurity" in text for text in said), said
        assert any("1 februari 2026" in e.quote for e in wallet.evidence)


OPEN_NOW = re.compile(r"\bopen\b", re.IGNORECASE)
NOW = re.compile(r"\b(nu|now|vandaag|today|er is|there is|is open)\b", re.IGNORECASE)
HEDGED = re.compile(r"\b(geen|niet|no|not|kijk|check|whether|of er|als er|if)\b", re.IGNORECASE)


def test_no_text_states_an_open_call_the_data_does_not_have(catalogue):
    """Every sentence a user reads that speaks of something open now is a question to check
    or a negation, unless the measure's data has an open call with dates today."""
    for measure in catalogue:
        if measure.live_state(TODAY) == "open_call":
            continue
        texts = [measure.summary, measure.support, *measure.also_check,
                 *filter(None, [measure.unverified])]
        for lang in ("nl", "en"):
            for sentence in re.split(r"(?<=[.:;])\s", " ".join(t(lang) for t in texts)):
                if OPEN_NOW.search(sentence) and NOW.search(sentence):
                    assert HEDGED.search(sentence), (measure.id, sentence)


def test_help_available_now_ranks_before_subsidies_then_calls_to_wait_for(catalogue):
    """Issue 24, item 3: what the employer can do this month. The free sector consultant comes
    before the kmo-portefeuille even when the wallet addresses the larger measured gap; a call
    that is not open is never among the fitting ones."""
    result = advice(catalogue, gaps=("leermogelijkheden", "werkdruk"))
    order = [r.measure.id for r in result.fitting]
    kinds = [r.measure.kind for r in result.fitting]
    help_count = sum(k in ("service", "network", "information") for k in kinds)
    assert all(k != "subsidy" for k in kinds[:help_count]), kinds  # help first, then subsidies
    assert order.index("sectorconvenant_consulent") < order.index("kmo_portefeuille")
    assert {r.measure.live_state(TODAY) for r in result.fitting} <= {"standing", "changed"}
    assert result.ended and all(r.measure.live_state(TODAY) in ("no_open_call", "ended")
                                for r in result.ended)


def test_the_workability_voucher_says_its_conditions_and_not_the_corona_scope(catalogue):
    """Issue 24: paritaire gedragenheid, de minimis and WSE-registered providers were missing,
    and the summary still offered the corona-era scope (a telework policy)."""
    voucher = next(m for m in catalogue if m.id == "werkbaarheidscheque")
    said = " ".join([voucher.summary("nl"), *(t("nl") for t in voucher.also_check)])
    assert "telewerk" not in said
    for condition in ("ondernemingsraad", "comité voor preventie en bescherming",
                      "syndicale afvaardiging", "de-minimis", "kwaliteitsregistratie"):
        assert condition in said, condition
        assert any(condition.split()[0] in e.quote for e in voucher.evidence), condition


def test_a_parent_committee_is_asked_about_a_sub_committee_measure(catalogue):
    """SFTL covers only sub-committee 140.03 (its own site): an employer who gave PC 140 is not
    told it fits for certain nor that it does not, but asked to check; 140.03 fits; 140.04 and
    another committee do not."""
    def sftl(*pcs):
        return find(advice(catalogue, Profile(**{**SME.__dict__, "joint_committees": pcs})),
                    "sectorfonds_sftl")
    assert sftl("140.03").fits and not sftl("140.03").unknown
    parent = sftl("140")
    assert parent.fits and texts(parent.unknown, "nl") == [
        "Alleen voor paritair subcomité 140.03; je gaf 140 op: kijk na onder welk subcomité je "
        "valt."]
    assert not sftl("140.04").fits and not sftl("124").fits
