"""A Bilibili archive through the calendar: published pending review, then sent back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import respx

import socialkit as sk
from socialkit.calendar import Calendar, State

from .bilibili_support import FakeBilibili, make_platform

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def test_an_archive_sent_back_by_the_review_is_reported_rejected(tmp_path: Path) -> None:
    fake = FakeBilibili(count=0)
    media = (sk.MediaUpload(data=b"\0\0\0\x18ftypmp42 film", filename="film.mp4"),
             sk.MediaUpload(data=b"\xff\xd8jpeg", filename="cover.jpg"))
    with respx.mock(assert_all_called=False) as router, Calendar(tmp_path / "c.db") as cal:
        router.route(host="member.bilibili.com").mock(side_effect=fake.handle)
        router.route(host="openupos.bilivideo.com").mock(side_effect=fake.handle)
        client = sk.Client(make_platform())
        draft = sk.Draft(text="发布会\n完整视频", media=media, options={"tags": ["发布会"]})
        entry = cal.add(draft, ["bilibili"], at=NOW)
        (pending,) = cal.run_due({"bilibili": client}, now=NOW).pending
        assert pending.post_id is not None
        fake.archives[pending.post_id]["addit_info"] = {
            "state": -2, "state_desc": "打回", "reject_reason": "封面含有二维码"}
        report = cal.run_due({"bilibili": client}, now=NOW + timedelta(minutes=10))
        (rejected,) = report.rejected
        assert rejected.error == "封面含有二维码"
        assert cal.get(entry.id).state is State.PUBLISHED
        submits = [r for r in fake.requests if r.url.path.endswith("/add-by-utoken")]
        assert len(submits) == 1
