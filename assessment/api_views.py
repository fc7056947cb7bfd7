"""What the API (:mod:`assessment.web.api`) answers, as plain JSON-ready documents, built from
the same read models the pages draw and through the same rules:

* a round's figures are :func:`assessment.results.results_of`'s (the dashboard's
  :class:`~assessment.round_history.RoundHistory` reads them the same way), published only
  when the dashboard shows them (closed, enough respondents) and rounded as the dashboard
  shows them (:func:`assessment.formatting.shown`: whole percentages);
* the response rate only where the rounds page shows it
  (:func:`assessment.confidentiality.may_show_response_rate`), the channels' counts only where
  :func:`assessment.results.channel_response` lets them through;
* a sector's cells are the frozen snapshot's (:mod:`assessment.sector_snapshots`), the ones the
  sector page and its exports show: a hidden cell carries its reason and no number; figures
  with the page's one decimal.

Nothing here is more precise than a screen, and nothing is reachable that the token's
account cannot see on the pages: every function takes the call's scope and refuses
(:class:`~assessment.access.AccessDenied`) what lies outside it. The web layer answers an
organisation or round outside the scope exactly as one that does not exist (404), so a token
cannot learn which ids exist.
"""

from __future__ import annotations

from datetime import date

from . import questionnaire_store
from .access import PLATFORM_ADMIN, VIEW_RESULTS, Scope, Sector
from .benchmarks import Benchmark, sector_for_division
from .comparisons import compare, knelpunt_metric
from .confidentiality import may_show_response_rate
from .formatting import shown
from .organisations import Organisation, get_organisation, organisation_page
from .results import WERKBAAR, channel_response, results_of
from .rounds import SurveyRound, get_round, list_rounds
from .sector import peer_position, sector_view, sectors_in_use
from .sector_snapshots import Cell, Snapshot, snapshots

SHARE_DECIMALS = 1  # a sector cell's figures, as the sector page and its exports show them


class NotFound(LookupError):  # noqa: N818 (like AccessDenied)
    """Nothing with that id that the caller may see (also: outside the caller's scope)."""


# --- organisations and rounds ----------------------------------------------------------------


def organisation_doc(org: Organisation) -> dict:
    return {"id": org.id, "name": org.name, "nace_division": org.nace_division,
            "headcount": org.headcount,
            "departments": [{"id": d.id, "name": d.name} for d in org.departments]}


def organisations(ctx, scope: Scope, *, limit: int) -> dict:
    """The organisations the scope sees (a sector analyst: none), first ``limit`` by name."""
    total, page = organisation_page(ctx, scope, limit=limit)
    return {"total": total, "organisations": [organisation_doc(o) for o in page]}


def organisation(ctx, scope: Scope, organisation_id: int,
                 permission: str = VIEW_RESULTS) -> Organisation:
    """The organisation, if the scope may see it (with ``permission``).

    :raises NotFound: for an unknown organisation or one outside the scope.
    :raises AccessDenied: when the scope sees it but lacks ``permission`` (an HR viewer
      asking to change something).
    """
    if not scope.allows_organisation(organisation_id):
        raise NotFound(f"organisation {organisation_id}")
    org = get_organisation(ctx, organisation_id)
    if org is None:
        raise NotFound(f"organisation {organisation_id}")
    scope.require_organisation(organisation_id, permission)
    return org


def survey_round(ctx, scope: Scope, round_id: int, permission: str = VIEW_RESULTS
                 ) -> tuple[Organisation, SurveyRound]:
    """The round and its organisation, if the scope may see them.

    :raises NotFound: for an unknown round or one of an organisation outside the scope.
    """
    found = get_round(ctx, round_id)
    if found is None or not scope.allows_organisation(found.organisation_id):
        raise NotFound(f"round {round_id}")
    return organisation(ctx, scope, found.organisation_id, permission), found


def round_doc(ctx, survey_round: SurveyRound, today: date) -> dict:
    """A round's state, as the rounds page shows it: status, dates, languages, counts, the
    response rate (whole percent) where it may be shown, and per channel the invitations and
    the responses the rules let through (``null`` where they do not)."""
    rate = shown(100 * survey_round.responses / survey_round.reached) \
        if may_show_response_rate(survey_round.reached) else None
    return {
        "id": survey_round.id, "organisation_id": survey_round.organisation_id,
        "title": survey_round.title, "status": survey_round.status(today),
        "opens_on": survey_round.opens_on.isoformat(),
        "closes_on": survey_round.closes_on.isoformat(),
        "closed_early_on": survey_round.closed_early_on.isoformat()
        if survey_round.closed_early_on else None,
        "languages": list(survey_round.languages),
        "questionnaire": {"id": survey_round.questionnaire_id,
                          "version": survey_round.questionnaire_version},
        "invited": survey_round.invited, "responses": survey_round.responses,
        "response_rate": rate,
        "channels": [{"channel": c.channel, "invited": c.invited, "responses": c.responses}
                     for c in channel_response(ctx, survey_round.id)],
    }


def rounds(ctx, org: Organisation, today: date) -> dict:
    return {"rounds": [round_doc(ctx, r, today) for r in list_rounds(ctx, org.id)]}


def benchmark_doc(found: Benchmark | None) -> dict | None:
    """A published Flemish or sector figure as the dashboard's sources list gives it: the
    value with one decimal, its year, population and source (public figures, no respondent
    of ours)."""
    if found is None:
        return None
    return {"value": shown(found.value_pct, SHARE_DECIMALS), "year": found.year,
            "population": found.population, "source": found.source_url,
            "primary": found.primary}


def _compared(metric: str, sector) -> dict:
    found = compare(metric, sector)
    return {"flanders": benchmark_doc(found.flanders), "sector": benchmark_doc(found.sector)}


def figures_doc(ctx, scope: Scope, org: Organisation, survey_round: SurveyRound,
                today: date) -> dict:
    """A round's published figures: the dashboard's (whole organisation), only once it shows
    them, with what it compares them with (the published Flemish and sector figures) and, for
    the round the peer position was made of, its colours among the sector's organisations;
    otherwise ``published`` false and the reason (``open``, ``too_few``)."""
    results = results_of(ctx, [survey_round], today=today)[survey_round.id]
    doc = {"round_id": survey_round.id, "published": results.shown, "reason": results.reason,
           "threshold": results.threshold, "responses": results.n_responses,
           "response_rate": shown(results.response_rate), "werkbaarheidsgraad": None,
           "scales": [], "monitor_sector": None, "comparisons": {}, "peers": None}
    if not results.shown:
        return doc
    questionnaire = questionnaire_store.for_round(ctx, survey_round)
    sector = sector_for_division(org.nace_division)
    doc["werkbaarheidsgraad"] = shown(results.werkbaarheidsgraad)
    doc["scales"] = [{
        "id": scale.id, "kind": scale.kind, "n": figures.n, "mean": shown(figures.mean),
        "knelpunt": shown(figures.pct_knelpunt), "acuut": shown(figures.pct_acuut),
    } for scale in questionnaire.scales if (figures := results.scales.get(scale.id))]
    doc["monitor_sector"] = sector.code if sector else None
    doc["comparisons"] = {WERKBAAR: _compared(WERKBAAR, sector)} | {
        line["id"]: _compared(knelpunt_metric(line["id"]), sector) for line in doc["scales"]}
    position = peer_position(ctx, scope, org.id, today=today)
    if position is not None and position.round_id == survey_round.id:
        doc["peers"] = {"sector": position.sector.key, "year": position.year,
                        "organisations": position.n_peers, "bands": dict(position.bands)}
    return doc


# --- sectors ------------------------------------------------------------------------------


def sectors(ctx, scope: Scope) -> dict:
    """The sectors the scope sees: a sector analyst's own, every one in use for a platform
    admin, none for an organisation's people."""
    if scope.role == PLATFORM_ADMIN:
        found = sectors_in_use(ctx)
    else:
        found = [s for s in scope.sectors if scope.allows_sector(s)]
    return {"sectors": [{"key": s.key, "kind": s.kind, "code": s.code} for s in found]}


def sector(scope: Scope, key: str) -> Sector:
    """The sector of a path's key (``pc:330``), if the scope sees it.

    :raises NotFound: for a malformed key or a sector outside the scope.
    """
    try:
        found = Sector.parse(key)
    except ValueError:
        raise NotFound(f"sector {key!r}") from None
    if not scope.allows_sector(found):
        raise NotFound(f"sector {found.key}")
    return found


def _share(value: float | None) -> float | None:
    return shown(value, SHARE_DECIMALS)


def cell_doc(cell: Cell) -> dict:
    """A cell as the sector page shows it: a hidden one has its reason and no number."""
    if not cell.shown:
        return {"section": cell.section, "key": cell.key, "shown": False,
                "reason": cell.reason, "organisations": None, "respondents": None,
                "werkbaarheidsgraad": None, "knelpunt": {}}
    return {"section": cell.section, "key": cell.key, "shown": True, "reason": None,
            "organisations": cell.n_organisations, "respondents": cell.n_respondents,
            "werkbaarheidsgraad": _share(cell.werkbaarheidsgraad),
            "knelpunt": {scale: _share(value) for scale, value in cell.knelpunt.items()}}


def _bands(bands: dict, organisations: int | None) -> dict:
    return {"organisations": organisations,
            "percentiles": {metric: {"p20": _share(p20), "p50": _share(p50), "p80": _share(p80)}
                            for metric, (p20, p50, p80) in bands.items()}}


def snapshot_doc(target: Sector, snapshot: Snapshot) -> dict:
    return {"sector": target.key, "year": snapshot.year,
            "cells": [cell_doc(c) for c in (snapshot.total, *snapshot.by_size,
                                            *snapshot.by_division)],
            "bands": _bands(snapshot.bands, snapshot.band_organisations)}


def cells(ctx, scope: Scope, target: Sector, today: date) -> dict:
    """The sector page's published cells: its newest frozen year (total, sizes, divisions,
    bands) and the totals of every frozen year; ``preparing`` while the year just ended is
    being frozen."""
    view = sector_view(ctx, scope, target, today=today)
    return {"sector": target.key, "year": view.year, "preparing": view.preparing,
            "rules": {"min_organisations": view.rules.min_organisations,
                      "min_respondents": view.rules.min_respondents,
                      "max_share": view.rules.max_share},
            "cells": [cell_doc(c) for c in (view.total, *view.by_size, *view.by_division)]
            if view.year is not None else [],
            "years": [cell_doc(c) for c in view.trend],
            "bands": _bands(view.bands, view.band_organisations)}


def years(ctx, scope: Scope, target: Sector, today: date) -> dict:
    scope.require_sector(target)
    return {"sector": target.key, "years": sorted(snapshots(ctx, target, today=today))}


def year(ctx, scope: Scope, target: Sector, wanted: int, today: date) -> dict:
    """One frozen year's snapshot.

    :raises NotFound: for a year not frozen (or not ended).
    """
    scope.require_sector(target)
    found = snapshots(ctx, target, today=today).get(wanted)
    if found is None:
        raise NotFound(f"year {wanted}")
    return snapshot_doc(target, found)

