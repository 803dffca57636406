"""iCalendar (RFC 5545) export with the ``icalendar`` package: one event per entry and target.

Events start at the entry's time in its own zone (a ``VTIMEZONE`` is included),
last 15 minutes so calendar apps show them, and carry the entry's state
(``STATUS``: TENTATIVE before scheduling, CONFIRMED after, CANCELLED), its tags
and campaign (``CATEGORIES``) and, once published, the post's URL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ..errors import ConfigError
from .entries import Entry, State

__all__ = ["EVENT_LENGTH", "to_ical"]

EVENT_LENGTH = timedelta(minutes=15)
PRODID = "-//socialkit//content calendar//EN"

_STATUS = {
    State.DRAFT: "TENTATIVE",
    State.APPROVED: "TENTATIVE",
    State.SCHEDULED: "CONFIRMED",
    State.PUBLISHING: "CONFIRMED",
    State.PUBLISHED: "CONFIRMED",
    State.FAILED: "CONFIRMED",
    State.CANCELLED: "CANCELLED",
}


def _summary(target: str, text: str) -> str:
    flat = " ".join(text.split())
    return f"{target}: {flat[:60]}{'…' if len(flat) > 60 else ''}"


def to_ical(entries: Iterable[Entry], *, stamp: datetime | None = None) -> bytes:
    """The entries that have a time, as an iCalendar file."""
    try:
        import icalendar
    except ImportError:  # pragma: no cover - icalendar ships with the calendar extra
        raise ConfigError(
            "iCalendar export needs the icalendar package: pip install 'socialkit[calendar]'"
        ) from None
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "socialkit content calendar")
    dtstamp = stamp or datetime.now(UTC)
    for entry in entries:
        if entry.at is None:
            continue
        for delivery in entry.deliveries:
            event = icalendar.Event()
            digest = hashlib.sha256(delivery.target.encode()).hexdigest()[:10]
            event.add("uid", f"entry-{entry.id}-{digest}@socialkit")
            event.add("dtstamp", dtstamp)
            event.add("dtstart", entry.at)
            event.add("duration", EVENT_LENGTH)
            draft = entry.draft_for(delivery.target, delivery.platform)
            event.add("summary", _summary(delivery.target, draft.text))
            lines = [draft.text, "", f"state: {entry.state.value} ({delivery.state.value})"]
            if delivery.post_url:
                lines.append(f"post: {delivery.post_url}")
                event.add("url", delivery.post_url)
            event.add("description", "\n".join(lines))
            event.add("status", _STATUS[entry.state])
            categories = [*entry.tags, *([entry.campaign] if entry.campaign else [])]
            if categories:
                event.add("categories", categories)
            event.add("x-socialkit-state", entry.state.value)
            event.add("x-socialkit-target", delivery.target)
            cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
