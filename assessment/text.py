"""Checks for free text typed by users, and safe display of it.

Streamlit renders Markdown (and its own ``:red[...]`` and ``:material/...:`` directives) in
titles, captions and ``st.markdown``; raw HTML is never rendered without
``unsafe_allow_html``. :func:`escape_markdown` makes user text display literally.
"""

from __future__ import annotations

import re
import unicodedata

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def clean_line(value: object) -> str:
    """Normalise one line of user text: NFC, control characters dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def clean_paragraphs(value: object) -> str:
    """Normalise multi-line user text, keeping line breaks but no other control characters."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n")
    text = "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return text.strip()


def escape_markdown(value: object) -> str:
    """Escape every character Streamlit's Markdown would interpret, so text shows as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
