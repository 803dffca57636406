"""The replies-and-crisis story of ``python -m socialkit demo``."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from replies_support import brand_replies

from socialkit.client import Client
from socialkit.replies.demo import inbox_and_crisis_story
from socialkit.testing import Sandbox


class Calendar:
    def __init__(self) -> None:
        self.paused: list[str] = []
        self.resumed = 0

    def pause(self, reason: str, until: datetime | None = None) -> None:
        self.paused.append(reason)

    def resume(self) -> None:
        self.resumed += 1


def test_the_story_pauses_the_calendar_and_answers_once(client: Client, sandbox: Sandbox) -> None:
    out = io.StringIO()
    calendar = Calendar()

    inbox_and_crisis_story(sandbox, client, out, calendar=calendar)

    text = out.getvalue()
    assert "ALERT [crisis]" in text
    assert "calendar paused" in text
    assert "auto-reply" in text
    assert "queued: high, care-team, ['complaint']" in text
    assert "sending again sent 0" in text
    assert len(calendar.paused) == 1
    assert calendar.resumed == 1
    assert len(text.splitlines()) <= 16
    carol = next(s for s in sandbox.statuses(account="carol"))
    assert brand_replies(sandbox)[carol["id"]] == 1


def test_the_story_runs_without_a_calendar(client: Client, sandbox: Sandbox) -> None:
    out = io.StringIO()

    inbox_and_crisis_story(sandbox, client, out)

    assert "no calendar given to pause" in out.getvalue()


def test_the_story_pauses_the_real_calendar(client: Client, sandbox: Sandbox) -> None:
    calendar_module = pytest.importorskip("socialkit.calendar")
    cal = calendar_module.Calendar(":memory:")
    out = io.StringIO()

    inbox_and_crisis_story(sandbox, client, out, calendar=cal)

    assert "calendar paused" in out.getvalue()
    assert cal.paused is None  # resolved at the end of the story
    print(out.getvalue())
