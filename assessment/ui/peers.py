"""The peer benchmark on the dashboard: where the organisation's round stands among the
organisations of its sector in the newest published (frozen) year, as the HSE Analysis Tool
colours it (red below the 20th percentile, yellow to the 50th, aqua to the 80th, green above).
Only the colour is shown, never a peer's figure, and one position per published year (see
:func:`assessment.sector.peer_position`).

The colours are by favourability (the knelpunt shares are mirrored, since a high share is
worse), so each band is said in words that read one way for every figure — "beter dan de
meeste vergelijkbare organisaties" — never as a percentile range, which under a percentage
read like a range of that percentage; a legend explains the colours."""

from __future__ import annotations

from html import escape

import streamlit as st

from ..confidentiality import band_minimum
from ..rounds import get_round
from ..sector import BAND_COLOURS, METRICS, WERKBAAR, PeerPosition
from . import context, lang, plain, questionnaire, sector_label, tr

COLOURS = {"red": "#d9534f", "yellow": "#f0c419", "aqua": "#3fc1d0", "green": "#3c9d4e"}


def show_peer_position(position: PeerPosition | None, round_id: int) -> None:
    """The organisation's band per figure among its peers (``position``, from
    :func:`assessment.sector.peer_position`), when the sector rules allow a peer group; the
    colours only beside the round that was placed (one position per year)."""
    st.subheader(tr("peers.title"))
    if position is None:
        st.caption(tr("peers.none", organisations=band_minimum()))
        return
    if position.round_id != round_id:
        placed = get_round(context(), position.round_id)
        st.caption(tr("peers.once_a_year", year=position.year,
                      round=plain(placed.title) if placed else "–"))
        return
    st.caption(tr("peers.intro", n=position.n_peers, sector=sector_label(position.sector),
                  year=position.year))
    labels = {WERKBAAR: tr("dash.werkbaarheidsgraad"),
              **{s.id: s.label(lang()) for s in questionnaire().indicators}}
    rows = "".join(
        f"<div style='display:flex;flex-wrap:wrap;gap:.2rem .75rem;align-items:center;"
        f"margin:.25rem 0'><span style='min-width:12rem'>{escape(labels[metric])}</span>"
        f"{_chip(position.bands[metric], tr(f'peers.band.{position.bands[metric]}'))}</div>"
        for metric in METRICS)
    st.markdown(rows, unsafe_allow_html=True)
    show_legend()


def _chip(band: str, text: str) -> str:
    return (f"<span style='background:{COLOURS[band]};color:#111;border-radius:.4rem;"
            f"padding:.1rem .6rem'>{escape(text)}</span>")


def show_legend() -> None:
    """What each colour means, and which way is favourable: a low knelpunt share is good, a
    high werkbaarheidsgraad is good, and the colours already say "favourable" for both."""
    swatches = "".join(
        f"<div style='display:flex;gap:.5rem;align-items:baseline;margin:.1rem 0'>"
        f"<span style='flex:none;width:.9rem;height:.9rem;border-radius:.2rem;"
        f"background:{COLOURS[band]}'></span><span>{escape(tr(f'peers.legend.{band}'))}"
        f"</span></div>" for band in reversed(BAND_COLOURS))
    st.markdown(f"<div style='font-size:.85rem;color:#444;margin-top:.5rem'>"
                f"<strong>{escape(tr('peers.legend.title'))}</strong>{swatches}"
                f"<div style='margin-top:.25rem'>{escape(tr('peers.legend.direction'))}</div>"
                f"</div>", unsafe_allow_html=True)
