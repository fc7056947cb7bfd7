"""The peer benchmark on the dashboard: where the organisation's round stands among the
organisations of its sector in the newest published (frozen) year, as the HSE Analysis Tool
colours it (red below the 20th percentile, yellow to the 50th, aqua to the 80th, green above).
Only the colour is shown, never a peer's figure, and one position per published year (see
:func:`assessment.sector.peer_position`)."""

from __future__ import annotations

from html import escape

import streamlit as st

from ..confidentiality import band_minimum
from ..rounds import get_round
from ..sector import METRICS, WERKBAAR, peer_position
from . import database, lang, plain, questionnaire, require, sector_label, tr

COLOURS = {"red": "#d9534f", "yellow": "#f0c419", "aqua": "#3fc1d0", "green": "#3c9d4e"}


def show_peer_position(organisation_id: int, round_id: int) -> None:
    """The organisation's band per figure among its peers, when the sector rules allow a peer
    group; the colours only beside the round that was placed (one position per year)."""
    position = peer_position(require(), organisation_id, db_path=database())
    st.subheader(tr("peers.title"))
    if position is None:
        st.caption(tr("peers.none", organisations=band_minimum()))
        return
    if position.round_id != round_id:
        placed = get_round(position.round_id, db_path=database())
        st.caption(tr("peers.once_a_year", year=position.year,
                      round=plain(placed.title) if placed else "–"))
        return
    st.caption(tr("peers.intro", n=position.n_peers, sector=sector_label(position.sector),
                  year=position.year))
    labels = {WERKBAAR: tr("dash.werkbaarheidsgraad"),
              **{s.id: s.label(lang()) for s in questionnaire().indicators}}
    rows = "".join(
        f"<div style='display:flex;gap:.75rem;align-items:center;margin:.2rem 0'>"
        f"<span style='min-width:14rem'>{escape(labels[metric])}</span>"
        f"<span style='background:{COLOURS[position.bands[metric]]};color:#111;"
        f"border-radius:.4rem;padding:.1rem .6rem'>"
        f"{escape(tr(f'peers.band.{position.bands[metric]}'))}</span></div>"
        for metric in METRICS)
    st.markdown(rows, unsafe_allow_html=True)
