"""What a figure or a table sends the browser, checked against what the screen shows: no number
may carry more decimals than its label or hover displays (issue 9, "nothing more precise than
the screen"). An attacker reads the plotly JSON and the dataframe cells in the developer tools,
so the check walks the data, not the drawing."""

from __future__ import annotations

import math
import re

FORMAT = re.compile(r"%\{(\w+)(?:\[\d+\])?:[^}]*?\.(\d+)f\}")  # %{x:.0f}, %{customdata:.1f}
NUMBER = re.compile(r"[-+−]?\d+(?:[.,]\d+)?")
DATA_KEYS = ("x", "y", "z", "customdata", "text")


def decimals(value: float | int | str) -> int:
    """How many decimals ``value`` carries: 33.333333333333336 → 15, 36.1 → 1, 44.0 → 0,
    "44,5%" → 1."""
    if isinstance(value, str):
        found = NUMBER.findall(value)
        return max((decimals(float(n.replace(",", ".").replace("−", "-"))) for n in found),
                   default=0)
    if isinstance(value, bool) or isinstance(value, int):
        return 0
    if not math.isfinite(value):
        return 0
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        digits = len(mantissa.split(".")[1].rstrip("0")) if "." in mantissa else 0
        return max(digits - int(exponent), 0)
    return len(text.split(".")[1].rstrip("0"))


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif hasattr(value, "tolist"):  # numpy arrays in an unserialised figure
        yield from _leaves(value.tolist())
    else:
        yield value


def figure_problems(figure: dict) -> list[str]:
    """Every number in the traces (x, y, z, customdata, text) that is more precise than the
    chart shows, and every hover whose rounding differs from the visible label's.

    A key's shown precision is the one its hover or text template gives it (``%{x:.1f}``:
    1 decimal); a numeric key without one is shown whole. Text labels are shown as they are:
    their numbers must have the decimals of the hover of the same trace."""
    problems = []
    for number, trace in enumerate(figure.get("data", [])):
        templates = f"{trace.get('hovertemplate', '')} {trace.get('texttemplate', '')}"
        formats = {key: int(n) for key, n in FORMAT.findall(str(templates))}
        where = f"trace {number} ({trace.get('type')} {trace.get('name', '')!r})"
        for key in DATA_KEYS:
            for leaf in _leaves(trace.get(key)):
                if leaf is None or (isinstance(leaf, str) and key != "text"):
                    continue
                allowed = max(formats.values(), default=0) if key == "text" else (
                    formats.get(key, 0))
                if decimals(leaf) > allowed:
                    problems.append(f"{where}: {key} {leaf!r} has more than {allowed} decimals")
        labels = [leaf for leaf in _leaves(trace.get("text")) if isinstance(leaf, str)
                  and NUMBER.search(leaf)]
        if labels and formats:
            label_decimals = {decimals(label) for label in labels}
            hover_decimals = set(formats.values())
            if label_decimals != hover_decimals:
                problems.append(f"{where}: labels show {sorted(label_decimals)} decimals, the "
                                f"hover {sorted(hover_decimals)}")
    return problems


def table_problems(frame, allowed: dict[str, int] | None = None) -> list[str]:
    """Every cell of a dataframe with more decimals than its column shows (``allowed``: column
    → decimals; other columns whole numbers). Text cells are checked for the numbers in them."""
    allowed = allowed or {}
    problems = []
    for column in frame.columns:
        limit = allowed.get(column, 0)
        for value in frame[column].tolist():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, (int, float, str)) and decimals(value) > limit:
                problems.append(f"{column}: {value!r} has more than {limit} decimals")
    return problems
