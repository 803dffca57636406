"""Reading: the creator's videos page by page, one video, metrics, the account, and what
TikTok's public APIs do not offer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .tiktok_support import API, sent_json

FIELDS = (
    "id,create_time,cover_image_url,share_url,video_description,duration,title,embed_link,"
    "like_count,comment_count,share_count,view_count"
)
VIDEO_ID = "7080217258529732869"


@pytest.fixture
def listing(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/v2/video/list/").mock(side_effect=[
        httpx.Response(200, json=body("video_list")),
        httpx.Response(200, json=body("video_list_last")),
    ])


@pytest.fixture
def query(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/v2/video/query/").respond(200, json=body("video_query"))


def test_posts_lists_videos_with_the_fields_and_max_count(tt: Any, listing: respx.Route) -> None:
    tt.items(tt.posts())
    first = listing.calls[0].request
    assert first.url.params["fields"] == FIELDS
    assert sent_json(first) == {"max_count": 20}
    assert first.headers["Authorization"] == "Bearer act.secret-user-token"


def test_posts_pages_by_cursor_until_has_more_is_false(tt: Any, listing: respx.Route) -> None:
    pages = tt.pages(tt.posts())
    assert [len(p.items) for p in pages] == [2, 1]
    assert sent_json(listing.calls[1].request) == {"max_count": 20, "cursor": 1647926400000}
    assert pages[-1].next_cursor is None


def test_a_video_becomes_a_post(tt: Any, listing: respx.Route) -> None:
    post = tt.items(tt.posts())[0]
    assert (post.platform, post.id) == ("tiktok", VIDEO_ID)
    assert post.text == "Testing the new feature #fyp"
    assert post.created_at == datetime.fromtimestamp(1648525632, UTC)
    assert post.url == f"https://www.tiktok.com/@tiktok/video/{VIDEO_ID}"
    assert dict(post.metrics) == {"likes": 1021, "comments": 44, "shares": 17, "views": 30123}
    (media,) = post.media
    assert (media.kind, media.preview_url) == (
        "video", "https://p16-sign.tiktokcdn-us.com/obj/tos-useast5-p-0068-tx/cover1.jpeg"
    )


def test_another_accounts_posts_are_unsupported_before_any_request(
    tt: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.Unsupported, match="authorized user's videos only"):
        tt.posts("someone_else")
    assert not router.calls


def test_get_post_queries_by_video_id(tt: Any, query: respx.Route) -> None:
    post = tt.get_post(VIDEO_ID)
    request = query.calls.last.request
    assert request.url.params["fields"] == FIELDS
    assert sent_json(request) == {"filters": {"video_ids": [VIDEO_ID]}}
    assert post.id == VIDEO_ID


def test_an_unknown_video_is_not_found(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post(f"{API}/v2/video/query/").respond(200, json=body("video_query_empty"))
    with pytest.raises(sk.NotFound):
        tt.get_post("7999999999999999999")


def test_an_id_that_is_no_video_id_is_not_found_before_any_request(
    tt: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        tt.get_post("not-a-video")
    assert not router.calls


def test_post_metrics_ask_only_the_counts(tt: Any, query: respx.Route) -> None:
    metrics = tt.post_metrics(VIDEO_ID)
    request = query.calls.last.request
    assert request.url.params["fields"] == "id,like_count,comment_count,share_count,view_count"
    assert {m.name: m.value for m in metrics} == {
        "likes": 1021, "comments": 44, "shares": 17, "views": 30123
    }
    assert {m.native_name for m in metrics} == {
        "like_count", "comment_count", "share_count", "view_count"
    }
    assert all(m.subject == "post" and m.subject_id == VIDEO_ID for m in metrics)


def test_account_metrics_read_the_user_stats(
    tt: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/v2/user/info/").respond(200, json=body("user_stats"))
    metrics = tt.account_metrics()
    assert route.calls.last.request.url.params["fields"] == (
        "open_id,follower_count,following_count,likes_count,video_count"
    )
    assert {m.name: m.value for m in metrics} == {
        "followers": 81300000, "following": 512, "likes_received": 412000000, "posts": 1093
    }
    assert {m.subject_id for m in metrics} == {"723f24d7-e717-40f8-a2b6-cb8464cd23b4"}


def test_me_reads_the_user(tt: Any, router: respx.MockRouter, body: Callable[[str], Any]) -> None:
    route = router.get(f"{API}/v2/user/info/").respond(200, json=body("user_info"))
    account = tt.me()
    assert route.calls.last.request.url.params["fields"] == (
        "open_id,union_id,avatar_url,display_name,username,profile_deep_link,follower_count"
    )
    assert (account.id, account.handle, account.display_name, account.followers) == (
        "723f24d7-e717-40f8-a2b6-cb8464cd23b4", "tiktok", "TikTok Official", 81300000
    )


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        (lambda c: c.comments(VIDEO_ID), "Research API"),
        (lambda c: c.reply(VIDEO_ID, sk.Draft(text="hi", media=(sk.MediaUpload(
            url="https://x.example/a.jpg"),))), "TikTok API for Business"),
        (lambda c: c.hide_comment("1"), "Research API"),
        (lambda c: c.delete_post(VIDEO_ID), "deletes a post"),
        (lambda c: c.search("cats"), "approved researchers only"),
        (lambda c: c.react(VIDEO_ID), "likes videos"),
        (lambda c: c.repost(VIDEO_ID), "reposts"),
        (lambda c: c.mentions(), "mentions"),
        (lambda c: c.publish_thread(["a", "b"]), "threads"),
    ],
)
def test_what_tiktok_cannot_do_is_unsupported_with_the_reason_before_io(
    tt: Any, router: respx.MockRouter, operation: Callable[[Any], Any], reason: str
) -> None:
    with pytest.raises(sk.Unsupported, match=reason):
        operation(tt)
    assert not router.calls


def test_every_video_is_walked_newest_first(tt: Any, fake: Any) -> None:
    pages = tt.pages(tt.posts())
    posts = [post for page in pages for post in page.items]
    assert [len(page.items) for page in pages] == [20, 20, 5]
    assert len({post.id for post in posts}) == 45
    assert posts == sorted(posts, key=lambda post: post.created_at, reverse=True)
