"""docs/sources.md, made from the data (``werkbaar sources --write docs/sources.md``), never by
hand: for every support measure and every rule of the collective-dismissal table, the sources'
own sentences (quote, address, the date the page shows, the day it was read) and what could not
be verified; for the comparison figures, each row's quote, and for a figure from a secondary
publication why it is kept. A test compares the committed file with :func:`render`, so the
document cannot drift from what the app shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from .benchmarks import Benchmark
from .catalogue import Measure
from .collective_dismissal import RULE_ORDER, Rules
from .evidence import Evidence
from .provenance import host

INTRO = """\
# Sources of the support catalogue and the comparison figures

Generated from `data/support_measures.yaml`, `data/collective_dismissal.yaml` and
`data/benchmarks.csv` by `werkbaar sources --write docs/sources.md`; do not edit by hand (a
test compares this file with the data).

A fact counts as checked only with the sentence of a primary source that states it: the page's
address, the quote as the page words it, the date the page itself shows ("no date shown" where it
shows none) and the day the quote was read. `werkbaar check` refuses a quote from a host that is
not primary without a reason (`assessment/provenance.py`), a measure or figure without a quote,
a check dated before the page's own date, and a measure whose `last_checked` is older than a
page it relies on. The quotes of 6 December 2026 were read in stored copies of the pages (a search
index), not on the live sites: a page may have changed since.

A quote from a secondary page (a mirror of the Official Gazette, a federation's report of SERV's
figures) is kept only with the reason no primary page could be cited, and is marked "not a
primary source" here, behind the "?" in the app and in the reports.
"""


def _quote(item: Evidence) -> str:
    dated = f"page of {item.source_date:%d/%m/%Y}" if item.source_date else "no date shown"
    return (f"> {item.quote}\n>\n> — [{host(item.url).removeprefix('www.')}]({item.url}) · "
            f"{dated} · read on {item.checked:%d/%m/%Y}"
            + ("" if item.primary else " · **not a primary source**"))


def _quotes(evidence: Iterable[Evidence]) -> str:
    return "\n\n".join(_quote(e) for e in evidence)


def render(measures: tuple[Measure, ...], rules: Rules, benchmarks: tuple[Benchmark, ...]
           ) -> str:
    """The whole document, deterministic for the same data."""
    parts = [INTRO, "## Support measures with their quotes\n"]
    for m in measures:
        parts.append(f"### {m.name('en')} (`{m.id}`)\n\nChecked {m.last_checked:%d/%m/%Y}; "
                     f"status `{m.status}`.\n\n{_quotes(m.evidence)}\n")
        if m.unverified:
            parts.append(f"Not verified: {m.unverified('en')}\n")
    parts.append("## Collective dismissal: the employment cell's rule table\n")
    for rule in RULE_ORDER:
        parts.append(f"### `{rule}`\n\n{_quotes(rules.evidence[rule])}\n")
    parts.append("\n## Comparison figures (`data/benchmarks.csv`)\n")
    parts.append('Figures quoted from a secondary publication are named "no primary source" '
                 "wherever the app and its reports show them; the reason is given below.\n")
    for b in benchmarks:
        scope = "Flanders" if b.scope == "flanders" else f"sector `{b.sector_code}`"
        parts.append(f"### `{b.metric}`, {b.population}, {b.year}, {scope}: {b.value_pct:g}%\n\n"
                     f"{_quote(b.evidence)}\n")
        if not b.primary:
            parts.append(f"No primary source: {b.evidence.secondary_reason}\n")
    return "\n".join(parts) + "\n"
