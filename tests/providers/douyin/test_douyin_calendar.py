"""A Douyin video through the calendar: published pending review, later rejected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import respx

import socialkit as sk
from socialkit.calendar import Calendar, State

from .douyin_support import FakeDouyin, make_platform

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_a_rejected_review_is_reported_by_the_calendar(tmp_path: Path) -> None:
    fake = FakeDouyin(count=0)
    video = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 launch", filename="launch.mp4")
    with respx.mock(assert_all_called=False) as router, Calendar(tmp_path / "c.db") as cal:
        router.route(host="open.douyin.com").mock(side_effect=fake.handle)
        client = sk.Client(make_platform())
        entry = cal.add(sk.Draft(text="新品发布 #新品", media=(video,)), ["douyin"], at=NOW)
        (pending,) = cal.run_due({"douyin": client}, now=NOW).pending
        assert pending.post_id in fake.videos
        fake.videos[pending.post_id].update(video_status=2, is_reviewed=True)
        report = cal.refresh_pending({"douyin": client}, now=NOW + timedelta(hours=1))
        (rejected,) = report.rejected
        assert rejected.error == "not fit to be public (不适宜公开)"
        assert report.failed == []
        assert cal.get(entry.id).state is State.PUBLISHED
        assert cal.get(entry.id).delivery("douyin").post_state == "rejected"
        creates = [r for r in fake.requests if r.url.path.endswith("/create_video/")]
        assert len(creates) == 1
