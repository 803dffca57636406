"""Reading, editing and deleting videos; search; ratings; metrics; the channel."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

import socialkit as sk
from socialkit.testing.driver import Driver

from .youtube_support import FakeYouTube, load

VIDEO_ID = "Ks-_Mh1QhMc"


def sent(fake: FakeYouTube, method: str, path: str) -> list[dict[str, str]]:
    return [dict(r.url.params) for r in fake.requests
            if r.method == method and r.url.path == path]


def test_get_post_reads_snippet_status_and_statistics(yt: Driver, fake: FakeYouTube) -> None:
    post = yt.get_post(VIDEO_ID)
    assert sent(fake, "GET", "/youtube/v3/videos") == [
        {"part": "snippet,status,statistics", "id": VIDEO_ID}]
    assert post.id == VIDEO_ID
    assert post.text == "Launch day\nWhat we built this year."
    assert post.url == f"https://www.youtube.com/watch?v={VIDEO_ID}"
    assert post.visibility == "public"
    assert post.metrics == {"views": 1523, "likes": 87, "comments": 12}
    assert post.created_at == datetime(2026, 11, 2, 15, 0, 2, tzinfo=UTC)
    assert post.author is not None
    assert post.author.id == "UC_x5XG1OV2P6uZZ5FSM9Ttw"
    assert post.media[0].preview_url == "https://i.ytimg.com/vi/Ks-_Mh1QhMc/hqdefault.jpg"


def test_an_unknown_video_is_not_found(yt: Driver, fake: FakeYouTube) -> None:
    with pytest.raises(sk.NotFound):
        yt.get_post("zzzzzzzzzzz")


def test_posts_walk_the_uploads_playlist(
    connect: Callable[..., Driver], fake: FakeYouTube
) -> None:
    for n in range(4):
        fake.videos[f"v{n:010d}"] = {**load("video"), "id": f"v{n:010d}"}
    client = connect()
    pages = client.pages(client.client.posts(limit=None))
    assert sum(len(p.items) for p in pages) == 5
    assert sent(fake, "GET", "/youtube/v3/channels") == [{"part": "contentDetails",
                                                          "mine": "true"}]
    lists = sent(fake, "GET", "/youtube/v3/playlistItems")
    assert lists[0] == {"part": "contentDetails", "playlistId": "UU_x5XG1OV2P6uZZ5FSM9Ttw",
                        "maxResults": "50"}
    videos = sent(fake, "GET", "/youtube/v3/videos")
    assert videos[0]["part"] == "snippet,status,statistics"
    assert len(videos[0]["id"].split(",")) == 5


def test_posts_page_size_follows_the_limit_and_the_cursor_carries_the_playlist(
    yt: Driver, fake: FakeYouTube
) -> None:
    for n in range(3):
        fake.videos[f"v{n:010d}"] = {**load("video"), "id": f"v{n:010d}"}
    posts = yt.items(yt.client.posts(limit=3))
    assert len(posts) == 3
    assert [p["maxResults"] for p in sent(fake, "GET", "/youtube/v3/playlistItems")] == ["3"]


def test_posts_of_another_channel_by_handle(yt: Driver, fake: FakeYouTube) -> None:
    yt.items("posts", "@googledevelopers")
    assert sent(fake, "GET", "/youtube/v3/channels") == [
        {"part": "contentDetails", "forHandle": "@googledevelopers"}]


def test_search_lists_videos(yt: Driver, fake: FakeYouTube) -> None:
    found = yt.items(yt.client.search("launch", limit=10))
    assert [p.id for p in found] == [VIDEO_ID]
    assert sent(fake, "GET", "/youtube/v3/search") == [
        {"part": "snippet", "q": "launch", "type": "video", "maxResults": "10"}]


def test_edit_merges_the_draft_into_the_video_and_keeps_untouched_fields(
    yt: Driver, fake: FakeYouTube
) -> None:
    post = yt.edit_post(VIDEO_ID, "New title\nNew description")
    update = next(r for r in fake.requests if r.method == "PUT")
    assert dict(update.url.params) == {"part": "snippet,status"}
    body = json.loads(update.content)
    assert body["id"] == VIDEO_ID
    assert body["snippet"] == {
        "title": "New title", "description": "New description", "tags": ["launch", "brand"],
        "categoryId": "28", "defaultAudioLanguage": "en",
    }
    assert body["status"] == {
        "privacyStatus": "public", "license": "youtube", "embeddable": True,
        "publicStatsViewable": True, "selfDeclaredMadeForKids": False,
    }
    stored = fake.videos[VIDEO_ID]
    assert stored["snippet"]["categoryId"] == "28"
    assert stored["snippet"]["tags"] == ["launch", "brand"]
    assert post.text == "New title\nNew description"


def test_edit_changes_tags_and_privacy_when_asked(yt: Driver, fake: FakeYouTube) -> None:
    yt.edit_post(VIDEO_ID, sk.Draft(text="T", visibility="unlisted",
                                    options={"tags": ["new"]}))
    stored = fake.videos[VIDEO_ID]
    assert stored["snippet"]["tags"] == ["new"]
    assert stored["snippet"]["categoryId"] == "28"
    assert stored["status"]["privacyStatus"] == "unlisted"


def test_delete_post(yt: Driver, fake: FakeYouTube) -> None:
    yt.delete_post(VIDEO_ID)
    assert sent(fake, "DELETE", "/youtube/v3/videos") == [{"id": VIDEO_ID}]
    assert VIDEO_ID not in fake.videos


@pytest.mark.parametrize("rating", ["like", "dislike", "none"])
def test_react_rates_the_video(yt: Driver, fake: FakeYouTube, rating: str) -> None:
    yt.react(VIDEO_ID, rating)
    assert sent(fake, "POST", "/youtube/v3/videos/rate") == [{"id": VIDEO_ID, "rating": rating}]


def test_an_unknown_reaction_is_refused_before_io(yt: Driver, fake: FakeYouTube) -> None:
    with pytest.raises(sk.InvalidContent):
        yt.react(VIDEO_ID, "love")
    assert fake.requests == []


def test_post_metrics_from_statistics(yt: Driver, fake: FakeYouTube) -> None:
    metrics = yt.post_metrics(VIDEO_ID)
    assert sent(fake, "GET", "/youtube/v3/videos") == [{"part": "statistics", "id": VIDEO_ID}]
    assert {m.name: m.value for m in metrics} == {"views": 1523, "likes": 87, "comments": 12}
    assert {m.native_name for m in metrics} == {"viewCount", "likeCount", "commentCount"}


def test_account_metrics_query_the_analytics_report_by_day(
    yt: Driver, fake: FakeYouTube
) -> None:
    metrics = yt.account_metrics(since=datetime(2026, 11, 1, 12, tzinfo=UTC),
                                 until=datetime(2026, 11, 2, 12, tzinfo=UTC))
    report = next(r for r in fake.requests if r.url.host == "youtubeanalytics.googleapis.com")
    assert report.url.path == "/v2/reports"
    assert dict(report.url.params) == {
        "ids": "channel==MINE",
        "metrics": "views,estimatedMinutesWatched,likes,subscribersGained",
        "dimensions": "day", "startDate": "2026-11-01", "endDate": "2026-11-02", "sort": "day",
    }
    assert report.headers["Authorization"] == "Bearer ya29.secret-google-token"
    first_day = [m for m in metrics if m.start == datetime(2026, 11, 1, 7, tzinfo=UTC)]
    assert {m.name: m.value for m in first_day} == {
        "views": 1200, "minutes_watched": 3400, "likes": 56, "new_followers": 7}
    assert all(m.period == "day" and m.subject_id == "UC_x5XG1OV2P6uZZ5FSM9Ttw"
               for m in metrics)
    assert len(metrics) == 8


def test_me_reads_the_channel(yt: Driver, fake: FakeYouTube) -> None:
    account = yt.me()
    assert sent(fake, "GET", "/youtube/v3/channels") == [{"part": "snippet,statistics",
                                                          "mine": "true"}]
    assert (account.id, account.handle, account.followers) == (
        "UC_x5XG1OV2P6uZZ5FSM9Ttw", "@googledevelopers", 2480000)


def test_mentions_are_unsupported_with_the_reason(yt: Driver, fake: FakeYouTube) -> None:
    with pytest.raises(sk.Unsupported) as raised:
        yt.items("mentions")
    assert "reports no mentions" in raised.value.message
    assert fake.requests == []


def test_reposts_are_unsupported_with_the_reason(yt: Driver, fake: FakeYouTube) -> None:
    with pytest.raises(sk.Unsupported) as raised:
        yt.repost(VIDEO_ID)
    assert "no reposts" in raised.value.message
    assert fake.requests == []
