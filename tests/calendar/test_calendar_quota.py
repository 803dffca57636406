"""The calendar asks a platform's remaining budget (YouTube's daily quota) before it
publishes, and defers until the reset what the budget cannot cover."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx
from calendar_support import FAST, NOW
from tests.providers.youtube.youtube_support import FakeYouTube, make_platform

from socialkit.calendar import Calendar
from socialkit.client import AsyncClient, Client
from socialkit.models import Draft, MediaUpload
from socialkit.providers.youtube import LEGACY_QUOTA, QUOTAS
from socialkit.providers.youtube.quota import next_reset

FILM = MediaUpload(data=b"\0\0\0\x18ftypmp42 a film", filename="film.mp4")


def film(title: str) -> Draft:
    return Draft(text=f"{title}\nA film.", media=(FILM,))


@pytest.fixture(autouse=True)
def _fresh_quota() -> Iterator[None]:
    QUOTAS.clear()
    yield
    QUOTAS.clear()


@pytest.fixture
def fake() -> Iterator[FakeYouTube]:
    backend = FakeYouTube()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="www.googleapis.com").mock(side_effect=backend.handle)
        yield backend


def upload_starts(fake: FakeYouTube) -> int:
    return sum(1 for r in fake.requests
               if r.method == "POST" and r.url.path == "/upload/youtube/v3/videos")


def test_a_publish_the_upload_budget_cannot_cover_waits_for_the_reset(
    cal: Calendar, fake: FakeYouTube
) -> None:
    budgets = {"default": 10_000, "search": 100, "uploads": 1}
    client = Client(make_platform(daily_quota=budgets), retry=FAST)
    first = cal.add(film("First"), ["yt"], at=NOW)
    second = cal.add(film("Second"), ["yt"], at=NOW)
    report = cal.run_due({"yt": client}, now=NOW)
    assert [o.entry_id for o in report.published] == [first.id]
    (deferred,) = [o for o in report.outcomes if o.kind == "deferred"]
    assert deferred.entry_id == second.id
    assert deferred.until == next_reset()
    assert deferred.error == (f"youtube: 0 unit(s) left in 'uploads', the publish needs 1; "
                              f"it resets at {next_reset().isoformat()}")
    assert upload_starts(fake) == 1
    assert cal.get(second.id).delivery("yt").due == next_reset()
    assert any("0 unit(s) left" in detail for _, _, detail in cal.history(second.id))


def test_the_single_legacy_pool_is_asked_for_the_1600_units_of_an_upload(
    cal: Calendar, fake: FakeYouTube
) -> None:
    client = Client(make_platform(**LEGACY_QUOTA), retry=FAST)
    QUOTAS.tally(client.platform.account_key).spend("default", 9_000)
    entry = cal.add(film("Launch"), ["yt"], at=NOW)
    report = cal.run_due({"yt": client}, now=NOW)
    (outcome,) = report.outcomes
    assert (outcome.entry_id, outcome.kind) == (entry.id, "deferred")
    assert outcome.error is not None
    assert "1000 unit(s) left in 'default'" in outcome.error
    assert "needs 1600" in outcome.error
    assert upload_starts(fake) == 0


def test_enough_budget_publishes_as_before(cal: Calendar, fake: FakeYouTube) -> None:
    client = Client(make_platform(**LEGACY_QUOTA), retry=FAST)
    QUOTAS.tally(client.platform.account_key).spend("default", 10_000 - 1600)
    entry = cal.add(film("Launch"), ["yt"], at=NOW)
    report = cal.run_due({"yt": client}, now=NOW)
    assert [o.entry_id for o in report.published] == [entry.id]
    assert client.platform.quota_remaining()["default"] == 0


@pytest.mark.anyio
async def test_the_async_run_defers_the_same_way(cal: Calendar, fake: FakeYouTube) -> None:
    budgets = {"default": 10_000, "search": 100, "uploads": 0}
    client = AsyncClient(make_platform(daily_quota=budgets), retry=FAST)
    entry = cal.add(film("Launch"), ["yt"], at=NOW)
    report = await cal.arun_due({"yt": client}, now=NOW)
    (outcome,) = report.outcomes
    assert (outcome.entry_id, outcome.kind, outcome.until) == (entry.id, "deferred",
                                                                next_reset())
    assert upload_starts(fake) == 0
    await client.aclose()
