"""The published figures an organisation's results stand beside, written so they can be read.

Every comparison figure is a row of ``data/benchmarks.csv`` (:mod:`assessment.benchmarks`):
the newest employee figure for Flanders and, where the monitor publishes one, for the
organisation's monitor sector. The newest year differs per metric (Flanders' werkstress is from
2023, its werkdruk from 2019, a sector figure may be older still), so a figure never appears
without its year and population, and a chart or table whose figures come from more than one
year says so in words. A figure that does not exist is :data:`assessment.formatting.MISSING`;
a metric is named by its scale ("Werkdruk: aandeel met een knelpunt"), never by its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import formatting
from .benchmarks import Benchmark, Sector, latest
from .i18n import catalogue, t
from .provenance import host
from .results import WERKBAAR


@dataclass(frozen=True)
class Comparison:
    """The two published figures beside one of the organisation's: either may be missing."""

    flanders: Benchmark | None
    sector: Benchmark | None

    @property
    def figures(self) -> tuple[Benchmark, ...]:
        return tuple(b for b in (self.flanders, self.sector) if b is not None)


def knelpunt_metric(scale_id: str) -> str:
    """The benchmark metric of a scale's share with a knelpunt (acute included)."""
    return f"{scale_id}_knelpunt"


def compare(metric: str, sector: Sector | None) -> Comparison:
    """The newest published employee figures for ``metric`` (Flanders, and the sector)."""
    return Comparison(latest(metric), latest(metric, sector.code) if sector else None)


def population(benchmark: Benchmark, lang: str) -> str:
    """The population in the reader's language ("werknemers" → "employees"); a population
    without a translation keeps the data file's word rather than showing a key."""
    key = f"cmp.population.{benchmark.population}"
    return t(key, lang) if key in catalogue(lang) else benchmark.population


def where(benchmark: Benchmark, sector: Sector | None, lang: str) -> str:
    """"Vlaanderen", or the sector's name."""
    if benchmark.scope == "sector" and sector is not None:
        return sector.name(lang)
    return t("chart.flanders", lang)


def origin(benchmark: Benchmark, lang: str) -> str:
    """Year and population: "2023, werknemers"."""
    return t("cmp.origin", lang, year=benchmark.year, population=population(benchmark, lang))


def source(benchmark: Benchmark, lang: str) -> str:
    """Who states the figure: the primary site ("serv.be"), or for a figure quoted from a
    secondary publication "geen primaire bron: verso-net.be" (issue 24: never passed off as
    the monitor's own)."""
    site = host(benchmark.source_url).removeprefix("www.")
    return site if benchmark.primary else t("cmp.secondary", lang, site=site)


def figure(benchmark: Benchmark | None, lang: str) -> str:
    """A published share with its origin, "36,1% (2023, werknemers)"; "—" when there is none."""
    if benchmark is None:
        return formatting.MISSING
    return t("cmp.figure", lang, value=formatting.percent(benchmark.value_pct, lang, 1),
             origin=origin(benchmark, lang))


def metric_name(metric: str, scale_labels: dict[str, str], lang: str) -> str:
    """"Werkbaarheidsgraad", "Werkdruk: aandeel met een knelpunt", "…: met een acuut
    knelpunt"; a metric of an unknown scale keeps its scale id as the name."""
    if metric == WERKBAAR:
        return t("dash.werkbaarheidsgraad", lang)
    scale, _, kind = metric.rpartition("_")
    if kind in ("knelpunt", "acuut") and scale:
        return t(f"cmp.metric.{kind}", lang, scale=scale_labels.get(scale, scale))
    return scale_labels.get(metric, metric)


def mixed_years(figures: Iterable[Benchmark | None], sector: Sector | None, lang: str
                ) -> str | None:
    """A plain sentence when the figures of one chart or table come from more than one year
    ("… komen uit verschillende jaren: Vlaanderen 2019 en 2023; Zorg en welzijn 2019"), else
    ``None``."""
    years: dict[str, set[int]] = {}
    for b in figures:
        if b is not None:
            years.setdefault(where(b, sector, lang), set()).add(b.year)
    if len({y for found in years.values() for y in found}) <= 1:
        return None
    parts = [f"{name} {_and(sorted(found), lang)}" for name, found in years.items()]
    return t("cmp.mixed_years", lang, years="; ".join(parts))


def _and(years: list[int], lang: str) -> str:
    text = [str(y) for y in years]
    if len(text) == 1:
        return text[0]
    return t("cmp.and", lang, first=", ".join(text[:-1]), last=text[-1])
