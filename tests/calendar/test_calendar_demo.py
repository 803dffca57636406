"""The calendar's part of the demo."""

from __future__ import annotations

import io

from socialkit.calendar.demo import calendar_story
from socialkit.testing import Sandbox


def test_calendar_story_is_short_and_publishes_what_is_due() -> None:
    sandbox = Sandbox()
    out = io.StringIO()
    with sandbox.client() as brand:
        calendar_story(sandbox, brand, out)
    text = out.getvalue()
    assert len(text.splitlines()) <= 16
    assert "2 published" in text
    assert "needs 1 more" in text
