"""Small browser-side helpers of the survey: scroll a step's heading (or the first unanswered
question) into view, mark unanswered questions, and hide Streamlit's English input hints.

Why: Streamlit keeps the scroll position of the page between runs, so on a phone, after
"Volgende" at the bottom of a long section, the next section opened scrolled to its bottom
with its heading about 900 px above the screen. And inside a form, a text area shows
"Press Ctrl+Enter to submit form" in English, whatever the respondent's language.

Everything here is inline HTML, CSS and JavaScript sent with the page (``st.html``): nothing is
fetched from another host, which an anonymous respondent's browser must never contact. The
scripts only read and scroll our own page; no user-typed text goes into them (selectors are
built from questionnaire ids, which the data check limits to letters, digits and ``_``).
"""

from __future__ import annotations

import json
import re

import streamlit as st

HEADER_CLEARANCE = "4.5rem"  # Streamlit's fixed top bar is 3.75rem high: stay below it
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")


def _checked(name: str) -> str:
    """``name`` unchanged if it can go into a CSS selector as is.

    :raises ValueError: for anything else (an id from a broken data file must not become
      markup)."""
    if not _SAFE_ID.fullmatch(name):
        raise ValueError(f"not a safe element name: {name!r}")
    return name


def container_key(name: str) -> str:
    """The key of a ``st.container`` that :func:`scroll_to` and :func:`mark` can find (Streamlit
    gives a keyed container the CSS class ``st-key-<key>``)."""
    return f"werkbaar-{_checked(name)}"


def hide_input_instructions() -> None:
    """Hide Streamlit's input hints ("Press Enter to apply", "Press Ctrl+Enter to submit form",
    and with them the character counter) on this page: they are English only.

    Decision: the counter of the open answer goes too; the browser still stops typing at the
    limit (the field's ``maxlength``), and 2,000 characters are rarely reached on a phone."""
    st.html("<style>[data-testid='InputInstructions'] { display: none !important; }</style>")


def mark(names: list[str]) -> None:
    """Outline the containers :func:`container_key` ``names`` in red on a light red ground
    while none of their options is chosen. The page writes a text in each as well (an
    ``st.markdown`` before the question: the mark is never colour alone); mark and text go as
    soon as an option is picked, without a run."""
    if not names:
        return
    boxes = [f".st-key-{container_key(n)}" for n in names]
    open_ = ", ".join(f"{box}:not(:has(input:checked))" for box in boxes)
    answered = ", ".join(f"{box}:has(input:checked) [data-testid='stMarkdown']" for box in boxes)
    st.html(f"<style>{open_} {{ outline: 3px solid #b3261e; outline-offset: 4px;"
            " background: #fdecea; box-shadow: 0 0 0 4px #fdecea; border-radius: 0.5rem; }"
            f" {answered} {{ display: none; }}</style>")


def scroll_to(name: str, nonce: int) -> None:
    """Scroll the page so that the element with id ``name`` (a heading's anchor) or the
    container :func:`container_key` ``name`` is at the top of the screen, below Streamlit's
    top bar.

    ``nonce`` must change whenever the scroll should happen again with the same target (the
    script runs only when its text changes). Call it last on the page: its element takes a
    line of space."""
    target = json.dumps(f"#{_checked(name)}, .st-key-{container_key(name)}")
    st.html(f"""<script>/* {int(nonce)} */
(() => {{
  const go = () => {{
    const element = document.querySelector({target});
    if (!element) return;
    element.style.scrollMarginTop = "{HEADER_CLEARANCE}";
    element.scrollIntoView({{block: "start", behavior: "instant"}});
  }};
  go();
  requestAnimationFrame(go);
  setTimeout(go, 250);
}})();
</script>""", unsafe_allow_javascript=True)
