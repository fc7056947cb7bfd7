"""Where a published fact comes from, and whether a text is meant for users.

One place for two lists the data files are checked against:

- :data:`PRIMARY_HOSTS`: the sites of the governments, agencies and councils that run a support
  measure or publish the werkbaarheidsmonitor. A page there is a *primary* source; a news
  article, a provider's brochure or a document-sharing site (docplayer, issuu, 5dok) is not.
  A sector fund's own site is primary for what that fund offers
  (:data:`SECTOR_FUND_HOSTS`). A host matches itself and its subdomains.
- :data:`INTERNAL_PHRASES`: telltale phrases of an editor's note (to do, "not checked",
  "background knowledge"), in Dutch and English. Such a note never belongs in a text a user
  reads.

The support catalogue (:mod:`assessment.catalogue`) and the benchmark table
(:mod:`assessment.benchmarks`) use them; ``werkbaar check`` reports what breaks them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PRIMARY_HOSTS = (
    # Flemish government and agencies (odin.vlaanderen.be, werkgevers.vdab.be… are subdomains)
    "vlaanderen.be", "vlaio.be", "vdab.be", "esf-vlaanderen.be", "esf-agentschap.be",
    "statistiekvlaanderen.be",
    # federal: FOD WASO, the National Labour Council, social security, the Official Gazette
    "werk.belgie.be", "emploi.belgique.be", "employment.belgium.be", "cnt-nar.be",
    "socialsecurity.be", "ejustice.just.fgov.be", "staatsblad.be",
    # the federal web platform (FOD BOSA) that hosts the National Labour Council's site
    "bosa.be",
    # the federal and regional portal on restructuring; its pages name the competent authority
    # (FOD WASO); the same site answers under its other names
    "herstructureringen.be", "restructurations.be", "mijnondernemingherstructureert.be",
    "umstrukturierungen.be",
    # the National Employment Office (RVA / ONEM), which runs unemployment and SWT
    "rva.be", "onem.be",
    # Brussels: the employment service, the regional administration, hub.brussels and its
    # information service 1819
    "actiris.brussels", "economie-werk.brussels", "hub.brussels", "1819.brussels",
    # EU programmes
    "ec.europa.eu", "esf.be",
    # the SERV and its Stichting Innovatie & Arbeid, who run the werkbaarheidsmonitor;
    # werkbaarwerk.be is the monitor's own site (SERV names it as its data tool)
    "serv.be", "werkbaarwerk.be",
)
SECTOR_FUND_HOSTS = (
    "constructiv.be", "sftl.be", "mtechplus.be", "tofam-ovl.be", "tofam-wvl.be", "fonds209.be",
    "co-valent.be", "alimento.be", "ivoc.be", "fonds127.be", "cevora.be", "sfonds200.be",
    "sociaalfonds201.be", "horecaforma.be",
    "vivosocialprofit.org", "vspf.org", "fe-bi.org", "fopas.be",
)
INTERNAL_PHRASES = (
    r"moet nog", r"nog (te )?(geverifieerd|verifi[eë]ren|bevestigd|bevestigen|nagaan)",
    r"niet nagekeken", r"nog na te kijken", r"achtergrondkennis", r"in een bron bevestigd",
    r"background knowledge", r"still (has |have )?to be (verified|confirmed|checked)",
    r"(has|have) not been (verified|checked)", r"to be (verified|confirmed)",
    r"\btodo\b", r"\bto-do\b", r"\btbd\b", r"\bfixme\b", r"\bxxx\b",
)
_INTERNAL = re.compile("|".join(INTERNAL_PHRASES), re.IGNORECASE)


def host(url: str) -> str:
    """The host of ``url`` in lower case ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def is_primary(url: str, sector: bool = False) -> bool:
    """Whether ``url`` is on a primary host; with ``sector``, a sector fund's site counts too."""
    name = host(url)
    hosts = PRIMARY_HOSTS + (SECTOR_FUND_HOSTS if sector else ())
    return any(name == h or name.endswith("." + h) for h in hosts)


def internal_phrase(text: str) -> str | None:
    """The first editor's-note phrase in ``text``, or None when there is none."""
    found = _INTERNAL.search(text)
    return found.group(0) if found else None
