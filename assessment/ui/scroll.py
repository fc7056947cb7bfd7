"""Hide Streamlit's English input hints ("Press Enter to apply", "Press Ctrl+Enter to submit
form"): they show whatever the user's language. Inline CSS sent with the page (``st.html``);
nothing is fetched from another host.

(The survey's scrolling helpers that lived here went with the Streamlit survey: the survey is
plain HTML now, ``assessment.web.survey``.)
"""

from __future__ import annotations

import streamlit as st


def hide_input_instructions() -> None:
    """Hide Streamlit's input hints (and with them the character counter) on this page: they
    are English only. The browser still stops typing at a field's ``maxlength``."""
    st.html("<style>[data-testid='InputInstructions'] { display: none !important; }</style>")
