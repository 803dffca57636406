"""Quota as rate-limit state: costs per method add up per bucket, the daily budget is
enforced before sending, ``quotaExceeded`` empties the bucket, midnight Pacific resets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import respx

import socialkit as sk
from socialkit.providers.youtube import LEGACY_QUOTA, QuotaTally
from socialkit.providers.youtube.quota import method_of, next_reset
from socialkit.testing.driver import Driver

from .youtube_support import API, FakeYouTube, google_error, make_platform

VIDEO_ID = "Ks-_Mh1QhMc"


def test_quota_costs_add_up_across_a_run(yt: Driver, fake: FakeYouTube) -> None:
    video = sk.MediaUpload(data=b"v" * 1000, filename="clip.mp4")
    thumb = sk.MediaUpload(data=b"\xff\xd8", filename="t.jpg")
    yt.get_post(VIDEO_ID)                                      # videos.list         1
    yt.items(yt.client.search("launch", limit=5))              # search.list         1 (search)
    yt.edit_post(VIDEO_ID, "New title")                        # videos.list + update 1 + 50
    yt.react(VIDEO_ID, "like")                                 # videos.rate        50
    yt.publish(sk.Draft(text="Clip", media=(video, thumb)))    # videos.insert       1 (uploads)
    #                                                            thumbnails.set     50
    yt.items("comments", VIDEO_ID)                             # commentThreads.list 1
    yt.reply(VIDEO_ID, "Thanks")                               # videos.list + commentThreads
    #                                                            .insert            1 + 50
    yt.delete_post(VIDEO_ID)                                   # videos.delete      50
    platform = yt.platform
    assert platform.quota_remaining() == {  # type: ignore[attr-defined]
        "default": 10_000 - (1 + 1 + 50 + 50 + 50 + 1 + 1 + 50 + 50),
        "search": 100 - 1,
        "uploads": 100 - 1,
    }


def test_upload_chunks_cost_nothing_beyond_the_insert(yt: Driver, fake: FakeYouTube) -> None:
    video = sk.MediaUpload(data=b"v" * (600 * 1024), filename="clip.mp4")
    yt.publish(sk.Draft(text="Three chunks", media=(video,)))
    assert yt.platform.quota_remaining() == {  # type: ignore[attr-defined]
        "default": 10_000, "search": 100, "uploads": 99}


def test_invalid_requests_cost_too(yt: Driver, fake: FakeYouTube) -> None:
    with pytest.raises(sk.NotFound):
        yt.delete_post("zzzzzzzzzzz")
    assert yt.platform.quota_remaining()["default"] == 10_000 - 50  # type: ignore[attr-defined]


def test_a_spent_budget_refuses_calls_before_sending(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    client = connect(make_platform(daily_quota={"default": 2, "search": 100, "uploads": 100}))
    client.get_post(VIDEO_ID)
    client.get_post(VIDEO_ID)
    sent = len(fake.requests)
    with pytest.raises(sk.RateLimited) as raised:
        client.get_post(VIDEO_ID)
    assert len(fake.requests) == sent
    assert raised.value.reset_at == next_reset()


def test_quota_exceeded_empties_the_bucket_for_later_calls(
    connect: Callable[..., Driver], router: respx.MockRouter
) -> None:
    route = router.get(f"{API}/videos").mock(return_value=google_error(403, "quotaExceeded"))
    client = connect()
    with pytest.raises(sk.RateLimited):
        client.get_post(VIDEO_ID)
    assert client.platform.quota_remaining()["default"] == 0  # type: ignore[attr-defined]
    with pytest.raises(sk.RateLimited):
        client.get_post(VIDEO_ID)
    assert route.call_count == 1


def test_search_has_its_own_bucket(connect: Callable[..., Driver], fake: FakeYouTube) -> None:
    client = connect(make_platform(daily_quota={"default": 10_000, "search": 1,
                                                "uploads": 100}))
    client.items(client.client.search("launch", limit=5))
    with pytest.raises(sk.RateLimited):
        client.items(client.client.search("launch", limit=5))
    client.get_post(VIDEO_ID)  # the default bucket still has units


def test_legacy_costs_draw_on_one_pool(connect: Callable[..., Driver], fake: FakeYouTube
                                       ) -> None:
    client = connect(make_platform(**LEGACY_QUOTA))
    client.items(client.client.search("launch", limit=5))
    client.publish(sk.Draft(text="Clip", media=(sk.MediaUpload(data=b"v", filename="c.mp4"),)))
    assert client.platform.quota_remaining() == {"default": 10_000 - 100 - 1600}  # type: ignore[attr-defined]


def test_clients_of_one_project_share_the_tally(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    first = connect(make_platform(client_id="123.apps"))
    second = connect(make_platform(client_id="123.apps", access_token="ya29.other"))
    first.get_post(VIDEO_ID)
    second.get_post(VIDEO_ID)
    assert first.platform.quota_remaining()["default"] == 10_000 - 2  # type: ignore[attr-defined]


def test_the_tally_resets_at_midnight_pacific() -> None:
    tally = QuotaTally()
    before = datetime(2026, 12, 8, 7, 59, tzinfo=UTC)  # 23:59 PST on the 7th
    after = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)  # 00:00 PST on the 8th
    tally.spend("default", 50, now=before)
    assert tally.used("default", now=before) == 50
    assert tally.used("default", now=after) == 0
    assert next_reset(before) == after


def test_next_reset_follows_daylight_saving_time() -> None:
    summer = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert next_reset(summer) == datetime(2026, 7, 2, 7, tzinfo=UTC)  # midnight PDT


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/youtube/v3/videos", "videos.list"),
        ("PUT", "/youtube/v3/videos", "videos.update"),
        ("POST", "/upload/youtube/v3/videos", "videos.insert"),
        ("PUT", "/upload/youtube/v3/videos", None),  # a chunk of the insert
        ("POST", "/upload/youtube/v3/thumbnails/set", "thumbnails.set"),
        ("POST", "/youtube/v3/comments/setModerationStatus", "comments.setModerationStatus"),
        ("GET", "/v2/reports", None),  # YouTube Analytics: its own quota
    ],
)
def test_requests_are_named_for_their_method(method: str, path: str, expected: str | None
                                             ) -> None:
    assert method_of(method, path) == expected


def test_the_publish_budget_counts_the_upload_and_the_thumbnail() -> None:
    platform = make_platform()
    film = sk.MediaUpload(data=b"\0\0\0\x18ftypmp42", filename="f.mp4")
    thumb = sk.MediaUpload(data=b"\xff\xd8jpeg", filename="t.jpg")
    budgets = {b.bucket: (b.cost, b.remaining) for b in
               platform.publish_budget(sk.Draft(text="t", media=(film, thumb)))}
    assert budgets == {"uploads": (1, 100), "default": (50, 10_000)}
    assert platform.publish_budget(sk.Draft(text="no video")) == []
