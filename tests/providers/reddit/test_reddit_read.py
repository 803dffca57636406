"""Reading: posts by id and by account (listings with after/limit), search, the inbox,
post and account metrics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .reddit_support import AGENT, API, TOKEN, make_platform


def test_get_post_asks_api_info_for_the_fullname(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/api/info").respond(200, json=body("info_self"))
    post = rd("get_post", "1abc23")
    request = route.calls[0].request
    assert dict(request.url.params) == {"id": "t3_1abc23", "raw_json": "1"}
    assert request.headers["Authorization"] == f"bearer {TOKEN}"
    assert request.headers["User-Agent"] == AGENT
    assert post.id == "t3_1abc23"
    assert post.text == "Launch day\n\nWe ship today.\n\nAsk us anything."
    assert post.author is not None
    assert post.author.handle == "brand"
    assert post.created_at == datetime.fromtimestamp(1765100000, UTC)
    assert post.url == "https://www.reddit.com/r/brand/comments/1abc23/launch_day/"
    assert dict(post.metrics) == {"score": 42, "comments": 7, "shares": 1}


def test_an_unknown_post_is_not_found(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/info").respond(200, json=body("info_empty"))
    with pytest.raises(sk.NotFound):
        rd("get_post", "t3_zzzzzz")


def test_a_post_its_author_deleted_is_not_found(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/info").respond(200, json=body("info_deleted"))
    with pytest.raises(sk.NotFound):
        rd("get_post", "t3_1abc25")


def test_an_id_that_is_not_reddits_never_reaches_the_api(rd: Any, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/api/info").respond(200, json={})
    with pytest.raises(sk.NotFound):
        rd("get_post", "../api/v1/me")
    with pytest.raises(sk.NotFound):
        rd("get_post", "t1_abc")  # a comment is not a post
    assert route.call_count == 0


def test_posts_walk_the_submitted_listing_by_after(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/user/brand/submitted").mock(side_effect=[
        httpx.Response(200, json=body("submitted")),
        httpx.Response(200, json=body("submitted_last")),
    ])
    pages = rd.pages(rd.posts())
    assert [[p.id for p in page.items] for page in pages] == [
        ["t3_1abc23", "t3_1abc24"], ["t3_1abc20"]]
    first, second = (c.request.url.params for c in route.calls)
    assert dict(first) == {"limit": "100", "raw_json": "1", "sort": "new"}
    assert dict(second) == {"limit": "100", "raw_json": "1", "sort": "new", "after": "t3_1abc24"}


def test_the_paginator_limit_is_the_page_size_hint(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/user/brand/submitted").respond(200, json=body("submitted"))
    rd.items(rd.posts(limit=2))
    assert route.calls[0].request.url.params["limit"] == "2"


def test_posts_of_another_account(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/user/spez/submitted").respond(200, json=body("submitted_last"))
    rd.items(rd.posts("u/spez"))
    assert route.call_count == 1


def test_without_a_username_the_account_is_asked_once(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    me = router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    router.get(f"{API}/user/brand/submitted").respond(200, json=body("submitted_last"))
    driver = connect(make_platform(username=None, user_agent="python:x:1 (by /u/brand)"))
    driver.items(driver.posts())
    driver.items(driver.posts())
    assert me.call_count == 1


def test_a_username_that_could_escape_the_path_never_reaches_the_api(
    rd: Any, router: respx.MockRouter
) -> None:
    route = router.route(host="oauth.reddit.com").respond(200, json={})
    for bad in ("..", "u/..", "a/b", "x"):
        with pytest.raises(sk.NotFound):
            rd.items(rd.posts(bad))
    assert route.call_count == 0


def test_a_mentions_cursor_that_is_not_a_fullname_is_refused(
    rd: Any, router: respx.MockRouter
) -> None:
    route = router.route(host="oauth.reddit.com").respond(200, json={})
    with pytest.raises(sk.NotFound):
        rd.run(rd.platform.mentions(None, "../../x", None))
    assert route.call_count == 0


def test_search_asks_for_new_links(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/search").respond(200, json=body("search"))
    page = rd.pages(rd.search("brand launch", limit=25))[0]
    assert dict(route.calls[0].request.url.params) == {
        "q": "brand launch", "type": "link", "sort": "new", "limit": "25", "raw_json": "1"}
    assert page.items[0].author is not None
    assert page.items[0].author.handle == "curious_cat"


def test_mentions_are_username_mentions_unmarked(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/message/mentions").respond(200, json=body("mentions"))
    page = rd.pages(rd.mentions(limit=2))[0]
    assert dict(route.calls[0].request.url.params) == {
        "limit": "2", "raw_json": "1", "mark": "false"}
    first, second = page.items
    assert (first.id, first.kind, first.post_id, first.thread_root_id) == (
        "t1_m1", "mention", "t1_m1", "t3_9gad01")
    assert first.url == ("https://www.reddit.com/r/gadgets/comments/9gad01/best_gadgets/m1/"
                         "?context=3")
    assert second.kind == "reply"
    assert page.next_cursor == "t1_m2"


def test_mentions_stop_at_since(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/message/mentions").respond(200, json=body("mentions"))
    assert [m.id for m in rd.items(rd.mentions(since_id="t1_m2"))] == ["t1_m1"]


def test_the_inbox_box_includes_private_messages(
    connect: Callable[..., Any], router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/message/inbox").respond(200, json=body("inbox_message"))
    driver = connect(make_platform(mention_box="inbox"))
    (message,) = driver.items(driver.mentions())
    assert (message.id, message.kind, message.post_id) == ("t4_p1", "message", None)


def test_post_metrics(rd: Any, router: respx.MockRouter, body: Callable[[str], Any]) -> None:
    router.get(f"{API}/api/info").respond(200, json=body("info_self"))
    metrics = rd("post_metrics", "t3_1abc23")
    assert {(m.name, m.native_name, m.value) for m in metrics} == {
        ("score", "score", 42), ("upvote_ratio", "upvote_ratio", 0.93),
        ("comments", "num_comments", 7), ("shares", "num_crossposts", 1)}
    assert {m.subject_id for m in metrics} == {"t3_1abc23"}


def test_account_metrics_are_karma_followers_and_moderated_subscribers(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    mods = router.get(f"{API}/subreddits/mine/moderator").respond(200, json=body("moderator"))
    metrics = rd("account_metrics")
    assert {(m.subject_id, m.name, m.value) for m in metrics} == {
        ("t2_1w72", "link_karma", 1520), ("t2_1w72", "comment_karma", 3310),
        ("t2_1w72", "total_karma", 4830), ("t2_1w72", "followers", 250),
        ("r/brand", "followers", 18200)}
    assert mods.calls[0].request.url.params["limit"] == "100"


def test_account_metrics_without_the_mysubreddits_scope_are_karma_only(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    router.get(f"{API}/subreddits/mine/moderator").respond(403, json=body("error_403"))
    metrics = rd("account_metrics")
    assert {m.subject_id for m in metrics} == {"t2_1w72"}
    assert len(metrics) == 4


def test_me(rd: Any, router: respx.MockRouter, body: Callable[[str], Any]) -> None:
    router.get(f"{API}/api/v1/me").respond(200, json=body("me"))
    me = rd("me")
    assert (me.id, me.handle, me.followers) == ("t2_1w72", "brand", 250)
    assert me.avatar_url is not None
    assert "&s=ab" in me.avatar_url


def test_react_and_repost_are_unsupported_with_the_reason(rd: Any) -> None:
    with pytest.raises(sk.Unsupported, match="voting"):
        rd("react", "t3_1abc23")
    with pytest.raises(sk.Unsupported, match="crosspost"):
        rd("repost", "t3_1abc23")
