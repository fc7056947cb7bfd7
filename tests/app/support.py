"""Reading what the pages send, as a person reads it."""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\(.)")


def key_figures(at) -> list[tuple[str, str, str]]:
    """The key figures (:func:`assessment.ui.key_figure`) of an AppTest run, in page order:
    (label, value, change line or ""), each as the reader sees it (escapes removed)."""
    out = []
    for element in at.markdown:
        parts = element.value.split("\n\n")
        if len(parts) >= 2 and parts[1].startswith("### "):
            out.append((_ESCAPED.sub(r"\1", parts[0]), _ESCAPED.sub(r"\1", parts[1][4:]),
                        _ESCAPED.sub(r"\1", parts[2]) if len(parts) > 2 else ""))
    return out


def figure_values(at) -> dict[str, str]:
    """{label: value} of the key figures of an AppTest run."""
    return {label: value for label, value, _ in key_figures(at)}
