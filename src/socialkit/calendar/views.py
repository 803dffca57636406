"""Views of the calendar: a week as text (terminals, logs) and as HTML (notebooks).

Everything user-written (texts, targets, tags) is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol

import attrs

from .._records import Record
from ._time import zone
from .entries import Entry, State
from .report import report_html

__all__ = ["WeekView", "preview", "report_html"]

_PREVIEW = 44
_COLOURS = {
    State.DRAFT: "#999",
    State.APPROVED: "#6a5acd",
    State.SCHEDULED: "#1f77b4",
    State.PUBLISHING: "#ff7f0e",
    State.PUBLISHED: "#2ca02c",
    State.FAILED: "#d62728",
    State.CANCELLED: "#bbb",
}


class _Entries(Protocol):
    """What a week view reads from: a `Calendar`'s entries between two times."""

    def entries(
        self, *, start: datetime | None = None, end: datetime | None = None
    ) -> Iterable[Entry]:
        """The entries due in ``[start, end)``."""
        ...


def preview(text: str, width: int = _PREVIEW) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _status(entry: Entry) -> str:
    if entry.state is State.DRAFT and entry.approvals_required:
        return f"draft {len(entry.approvals)}/{entry.approvals_required}"
    return entry.state.value


@attrs.frozen
class WeekView(Record):
    """Seven days of entries from a Monday, in one time zone."""

    monday: date
    tz: str
    items: tuple[tuple[datetime, Entry], ...]

    @classmethod
    def build(cls, calendar: _Entries, start: date | datetime | None, *, tz: str) -> WeekView:
        """The week holding ``start`` (today by default) in ``tz``."""
        where = zone(tz)
        if start is None:
            day = datetime.now(where).date()
        elif isinstance(start, datetime):
            day = start.astimezone(where).date() if start.tzinfo else start.date()
        else:
            day = start
        monday = day - timedelta(days=day.weekday())
        begin = datetime(monday.year, monday.month, monday.day, tzinfo=where)
        end = begin + timedelta(days=7)
        found = calendar.entries(start=begin - timedelta(days=1), end=end + timedelta(days=1))
        items = []
        for entry in found:
            if entry.at is None:
                continue
            local = entry.at.astimezone(where)
            if monday <= local.date() < monday + timedelta(days=7):
                items.append((local, entry))
        return cls(monday, tz, tuple(sorted(items, key=lambda item: (item[0], item[1].id))))

    def days(self) -> list[tuple[date, list[tuple[datetime, Entry]]]]:
        """Each day of the week with its entries, in time order."""
        return [
            (day, [item for item in self.items if item[0].date() == day])
            for day in (self.monday + timedelta(days=n) for n in range(7))
        ]

    def text(self) -> str:
        """The week as plain text, one line per entry."""
        lines = [f"Week of {self.monday:%a %d %b %Y} ({self.tz})"]
        for day, items in self.days():
            label = f"{day:%a %d %b}"
            if not items:
                lines.append(f"{label}  —")
                continue
            for index, (local, entry) in enumerate(items):
                head = label if index == 0 else " " * len(label)
                targets = ", ".join(entry.targets)
                lines.append(
                    f"{head}  {local:%H:%M}  #{entry.id:<3} {_status(entry):<11} "
                    f"{targets:<14} {preview(entry.text)}"
                )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(
            f"<th style='text-align:left;padding:4px'>{day:%a %d %b}</th>" for day, _ in self.days()
        )
        cells = []
        for _, items in self.days():
            blocks = []
            for local, entry in items:
                colour = _COLOURS[entry.state]
                tags = f" <i>{e(' '.join('#' + t for t in entry.tags))}</i>" if entry.tags else ""
                blocks.append(
                    f"<div style='border-left:3px solid {colour};padding:2px 4px;margin:2px 0'>"
                    f"<b>{local:%H:%M}</b> <span style='color:{colour}'>{e(_status(entry))}</span>"
                    f"<br><small>{e(', '.join(entry.targets))}</small>{tags}"
                    f"<br>{e(preview(entry.text, 80))}</div>"
                )
            cells.append(
                f"<td style='vertical-align:top;padding:4px;min-width:8em'>{''.join(blocks)}</td>"
            )
        caption = f"Week of {self.monday:%a %d %b %Y} ({e(self.tz)})"
        return (
            "<table class='socialkit-week' style='border-collapse:collapse'>"
            f"<caption style='text-align:left'>{caption}</caption>"
            f"<tr>{head}</tr><tr>{''.join(cells)}</tr></table>"
        )
