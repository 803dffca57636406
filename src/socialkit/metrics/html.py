"""HTML and text rendering of result tables for notebooks and terminals. Every cell is escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

__all__ = ["cell", "escape", "heat_table", "html_table", "text_table"]


def escape(text: object) -> str:
    """``text`` safe inside HTML elements and quoted attributes."""
    return html.escape(str(text), quote=True)


def cell(value: Any, spec: str = "") -> str:
    """A value as display text: ``n/a`` for None, a format spec for numbers."""
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    if spec:
        return format(value, spec)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str = "",
    notes: Sequence[str] = (),
    numeric: Sequence[bool] = (),
) -> str:
    """An HTML table of already formatted cells; headers, cells and notes are escaped."""
    align = list(numeric) + [False] * (len(headers) - len(numeric))

    def td(tag: str, text: str, right: bool) -> str:
        style = " style='text-align:right'" if right else ""
        return f"<{tag}{style}>{escape(text)}</{tag}>"

    parts = ["<table class='socialkit-metrics'>"]
    if title:
        parts.append(f"<caption>{escape(title)}</caption>")
    parts.append("<thead><tr>" + "".join(td("th", h, False) for h in headers) + "</tr></thead>")
    parts.append("<tbody>")
    parts.extend(
        "<tr>" + "".join(td("td", c, a) for c, a in zip(row, align, strict=False)) + "</tr>"
        for row in rows
    )
    parts.append("</tbody></table>")
    parts.extend(f"<p><small>{escape(note)}</small></p>" for note in notes)
    return "".join(parts)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table of already formatted cells, columns padded to width."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in rows
    )
    return "\n".join(lines)


def heat_table(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str = "",
    notes: Sequence[str] = (),
    spec: str = ".3g",
) -> str:
    """An HTML grid whose cells are shaded by value (darkest at the maximum)."""
    peak = max((v for row in values for v in row if v is not None), default=0.0)
    parts = ["<table class='socialkit-heat'>"]
    if title:
        parts.append(f"<caption>{escape(title)}</caption>")
    parts.append("<tr><th></th>" + "".join(f"<th>{escape(c)}</th>" for c in column_labels))
    for label, row in zip(row_labels, values, strict=True):
        parts.append(f"</tr><tr><th>{escape(label)}</th>")
        for v in row:
            shade = max(v, 0.0) / peak if v is not None and peak > 0 else 0.0
            style = f"background:rgba(31,119,180,{shade:.2f})"
            parts.append(f"<td style='{style}'>{escape(_blank(v, spec))}</td>")
    parts.append("</tr></table>")
    parts.extend(f"<p><small>{escape(note)}</small></p>" for note in notes)
    return "".join(parts)


def _blank(value: float | None, spec: str) -> str:
    return "" if value is None else cell(value, spec)
