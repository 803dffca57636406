"""Reading Douyin: videos and their review state, the list, comments, replies, metrics."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import respx

import socialkit as sk
from socialkit.testing.driver import Driver

from .douyin_support import API, OPEN_ID, TOKEN, FakeDouyin, ok


def video(**fields: Any) -> dict[str, Any]:
    return {"item_id": "@item1", "title": "春季新品 #新品", "create_time": 1700000000,
            "cover": "https://p3.douyinpic.com/c.jpeg", "share_url": "https://www.iesdouyin.com/s/1/",
            "is_top": False, "is_reviewed": True, "video_status": 5, "media_type": 4,
            "statistics": {"digg_count": 7, "comment_count": 2, "share_count": 1,
                           "play_count": 99, "forward_count": 0, "download_count": 3},
            **fields}


@pytest.fixture
def video_data(router: respx.MockRouter) -> respx.Route:
    return router.post(f"{API}/api/douyin/v1/video/video_data/")


def test_get_post_asks_video_data_for_the_item(dy: Driver, video_data: respx.Route) -> None:
    video_data.respond(200, json=ok({"list": [video()]}))
    post = dy.get_post("@item1")
    request = video_data.calls.last.request
    assert dict(request.url.params) == {"open_id": OPEN_ID}
    assert request.headers["access-token"] == TOKEN
    assert json.loads(request.content) == {"item_ids": ["@item1"]}
    assert (post.id, post.text, post.url, post.visibility, post.state) == (
        "@item1", "春季新品 #新品", "https://www.iesdouyin.com/s/1/", "public", "published")
    assert post.created_at == datetime.fromtimestamp(1700000000, UTC)
    assert post.metrics == {"likes": 7, "comments": 2, "shares": 1, "views": 99,
                            "forwards": 0, "downloads": 3}


@pytest.mark.parametrize(("fields", "state", "reason"), [
    ({"video_status": 4, "is_reviewed": False}, "pending", "under review (审核中)"),
    ({"video_status": 1, "is_reviewed": False}, "pending", "under review (审核中)"),
    ({"video_status": 2, "is_reviewed": True}, "rejected", "not fit to be public (不适宜公开)"),
    ({"video_status": 7, "is_reviewed": True}, "published", None),
])
def test_get_post_reads_the_review_state(
    dy: Driver, video_data: respx.Route, fields: dict[str, Any], state: str, reason: str | None
) -> None:
    video_data.respond(200, json=ok({"list": [video(**fields)]}))
    post = dy.get_post("@item1")
    assert (post.state, post.state_reason) == (state, reason)


def test_an_unknown_item_is_not_found(dy: Driver, video_data: respx.Route) -> None:
    video_data.respond(200, json=ok({"list": []}))
    with pytest.raises(sk.NotFound):
        dy.get_post("@gone")


def test_posts_walk_the_cursor_until_has_more_ends(dy: Driver, fake: FakeDouyin) -> None:
    posts = list(dy.items("posts"))
    assert len(posts) == 25
    lists = [r for r in fake.requests if r.url.path == "/api/douyin/v1/video/video_list/"]
    assert [r.method for r in lists] == ["GET"] * 2
    assert [dict(r.url.params) for r in lists] == [
        {"open_id": OPEN_ID, "cursor": "0", "count": "20"},
        {"open_id": OPEN_ID, "cursor": "20", "count": "20"},
    ]


def test_another_accounts_posts_are_unsupported(dy: Driver) -> None:
    with pytest.raises(sk.Unsupported):
        list(dy.items("posts", account="someone-else"))


def test_comments_list_asks_for_the_item(dy: Driver, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/item/comment/list/").respond(200, json=ok({
        "list": [{"comment_id": "@c1", "comment_user_id": "fan-1", "content": "好看!",
                  "create_time": 1700000200, "digg_count": 4, "reply_comment_total": 0,
                  "top": False}],
        "cursor": 0, "has_more": False}))
    (comment,) = list(dy.items("comments", "@item1"))
    assert dict(route.calls.last.request.url.params) == {
        "open_id": OPEN_ID, "item_id": "@item1", "sort_type": "time", "cursor": "0",
        "count": "50"}
    assert (comment.id, comment.thread_root_id, comment.reply_to_id, comment.text) == (
        "@c1", "@item1", "@item1", "好看!")
    assert comment.author is not None
    assert comment.author.id == "fan-1"


def test_reply_to_a_comment_names_it(dy: Driver, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/item/comment/reply/").respond(
        200, json=ok({"comment_id": "@r1"}))
    target = sk.Comment(platform="douyin", id="@c1", thread_root_id="@item1", text="好看!")
    reply = dy.reply(target, "谢谢!")
    assert dict(route.calls.last.request.url.params) == {"open_id": OPEN_ID}
    assert json.loads(route.calls.last.request.content) == {
        "item_id": "@item1", "content": "谢谢!", "comment_id": "@c1"}
    assert (reply.id, reply.thread_root_id, reply.reply_to_id) == ("@r1", "@item1", "@c1")


def test_reply_to_a_video_comments_under_it(dy: Driver, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/item/comment/reply/").respond(
        200, json=ok({"comment_id": "@r2"}))
    dy.reply("@item1", "Welcome")
    assert json.loads(route.calls.last.request.content) == {
        "item_id": "@item1", "content": "Welcome"}


def test_post_metrics_come_from_video_data(dy: Driver, video_data: respx.Route) -> None:
    video_data.respond(200, json=ok({"list": [video()]}))
    metrics = {m.name: (m.value, m.native_name) for m in dy.post_metrics("@item1")}
    assert metrics["likes"] == (7, "digg_count")
    assert metrics["views"] == (99, "play_count")


def test_account_metrics_ask_the_shortest_window(dy: Driver, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/data/external/user/fans/").respond(200, json=ok({
        "result_list": [{"date": "2026-12-01", "new_fans": 5, "total_fans": 1200},
                        {"date": "2026-12-02", "new_fans": 7, "total_fans": 1207}]}))
    since = datetime.now(UTC) - timedelta(days=10)
    metrics = dy.account_metrics(since=since - timedelta(days=400), until=None)
    assert dict(route.calls.last.request.url.params) == {"open_id": OPEN_ID, "date_type": "30"}
    dy.account_metrics(since=since, until=None)
    assert dict(route.calls.last.request.url.params)["date_type"] == "15"
    followers = [m for m in metrics if m.name == "followers"]
    assert [(m.value, m.period, m.native_name) for m in followers] == [
        (1200, "day", "total_fans"), (1207, "day", "total_fans")]
    assert followers[0].start == datetime(2026, 11, 30, 16, tzinfo=UTC)  # a Beijing day
