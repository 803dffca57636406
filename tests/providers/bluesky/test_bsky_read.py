"""Reading: posts, feeds with cursors, threads, notifications, search, metrics, profiles."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

import socialkit as sk

from .bsky_support import DID, HANDLE, Driver, load, xrpc

ALICE_POST = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
ROOT = f"at://{DID}/app.bsky.feed.post/3kgt2ttvf6c2a"


@pytest.fixture
def posts(api: respx.MockRouter) -> respx.Route:
    return api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts"))


def test_get_post_asks_get_posts_for_the_uri(bsky: Driver, posts: respx.Route) -> None:
    bsky.get_post(ALICE_POST)
    request = posts.calls.last.request
    assert (request.method, request.url.path) == ("GET", "/xrpc/app.bsky.feed.getPosts")
    assert request.url.params.get_list("uris") == [ALICE_POST]


def test_get_post_reads_the_post_view(bsky: Driver, posts: respx.Route) -> None:
    post = bsky.get_post(ALICE_POST)
    assert (post.id, post.text) == (ALICE_POST, "Our new shop opens today! #launch")
    assert post.author is not None
    assert (post.author.id, post.author.handle) == ("did:plc:alicex3c6l5ewbqkxn2fyy7m",
                                                    "alice.bsky.social")
    assert post.created_at == datetime(2024, 11, 5, 18, 32, 7, 451000, tzinfo=UTC)


def test_post_url_is_the_bsky_app_permalink(bsky: Driver, posts: respx.Route) -> None:
    post = bsky.get_post(ALICE_POST)
    assert post.url == "https://bsky.app/profile/alice.bsky.social/post/3kgt2ttvf6c2a"


def test_post_carries_its_public_counts(bsky: Driver, posts: respx.Route) -> None:
    post = bsky.get_post(ALICE_POST)
    assert dict(post.metrics) == {"likes": 256, "shares": 34, "comments": 12, "quotes": 5,
                                  "saves": 3}


def test_post_lists_its_images(bsky: Driver, posts: respx.Route) -> None:
    (image,) = bsky.get_post(ALICE_POST).media
    assert (image.kind, image.alt_text) == ("image", "The shop front")
    assert image.url is not None
    assert image.url.endswith("@jpeg")


def test_reply_knows_its_parent_and_root(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    post = bsky.get_post("at://did:plc:bobbyq4i5tkb3sc6xj2pkzme/app.bsky.feed.post/3kgt3bbcfa22c")
    assert post.reply_to_id == "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt3abcfa22b"
    assert post.thread_root_id == ROOT


def test_missing_post_is_not_found(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json={"posts": []})
    with pytest.raises(sk.NotFound):
        bsky.get_post(ALICE_POST)


def test_id_that_is_not_a_post_uri_is_not_found_without_a_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        bsky.get_post("at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.like/3kgt2ttvf6c2a")
    assert not api.calls


def test_posts_walk_pages_with_cursors(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.feed.getAuthorFeed"))
    route.side_effect = [httpx.Response(200, json=load("getAuthorFeed_page1")),
                         httpx.Response(200, json=load("getAuthorFeed_page2"))]
    pages = bsky.pages("posts")
    first, second = (call.request.url.params for call in route.calls)
    assert dict(first) == {"actor": HANDLE, "limit": "100"}
    assert dict(second) == {"actor": HANDLE, "limit": "100", "cursor": "2024-11-06T08:00:00.000Z"}
    assert [page.next_cursor for page in pages] == ["2024-11-06T08:00:00.000Z", None]


def test_posts_leave_reposts_out(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getAuthorFeed")).respond(json=load("getAuthorFeed_page2"))
    api.get(xrpc("app.bsky.feed.getAuthorFeed"), params={"cursor": None})
    route = api.get(xrpc("app.bsky.feed.getAuthorFeed"))
    route.side_effect = [httpx.Response(200, json=load("getAuthorFeed_page1")),
                         httpx.Response(200, json=load("getAuthorFeed_page2"))]
    authors = {post.author.handle for post in bsky.posts()}
    assert authors == {HANDLE}


def test_posts_of_another_account(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.feed.getAuthorFeed")).respond(
        json=load("getAuthorFeed_page2")
    )
    bsky.posts("@alice.bsky.social")
    assert route.calls.last.request.url.params["actor"] == "alice.bsky.social"


def test_a_page_of_only_reposts_does_not_end_the_listing(
    bsky: Driver, api: respx.MockRouter
) -> None:
    reposts = load("getAuthorFeed_page1")
    reposts["feed"] = [item for item in reposts["feed"] if "reason" in item]
    route = api.get(xrpc("app.bsky.feed.getAuthorFeed"))
    route.side_effect = [httpx.Response(200, json=reposts),
                         httpx.Response(200, json=load("getAuthorFeed_page2"))]
    assert len(bsky.posts()) == 1
    assert route.call_count == 2


def test_comments_are_flattened_depth_first_with_parent_ids(
    bsky: Driver, api: respx.MockRouter
) -> None:
    api.get(xrpc("app.bsky.feed.getPostThread")).respond(json=load("getPostThread"))
    comments = bsky.comments(ROOT)
    alice = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt3abcfa22b"
    bob = "at://did:plc:bobbyq4i5tkb3sc6xj2pkzme/app.bsky.feed.post/"
    assert [(c.id, c.reply_to_id) for c in comments] == [
        (alice, ROOT),
        (bob + "3kgt3bbcfa22c", alice),
        (bob + "3kgt3cbcfa22d", ROOT),
    ]
    assert {c.thread_root_id for c in comments} == {ROOT}


def test_comments_ask_for_the_whole_reply_tree(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.feed.getPostThread")).respond(json=load("getPostThread"))
    bsky.comments(ROOT)
    assert dict(route.calls.last.request.url.params) == {
        "uri": ROOT, "depth": "100", "parentHeight": "0",
    }


def test_comments_mark_hidden_replies(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getPostThread")).respond(json=load("getPostThread"))
    hidden = [c.id.rsplit("/", 1)[1] for c in bsky.comments(ROOT) if c.hidden]
    assert hidden == ["3kgt3cbcfa22d"]


def test_comments_of_a_missing_post_are_not_found(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.feed.getPostThread")).respond(
        400, json={"error": "NotFound", "message": f"Post not found: {ROOT}"}
    )
    with pytest.raises(sk.NotFound):
        bsky.comments(ROOT)


def test_mentions_ask_for_mentions_replies_and_quotes(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.notification.listNotifications")).respond(
        json=load("listNotifications") | {"cursor": None}
    )
    bsky.mentions()
    params = route.calls.last.request.url.params
    assert params.get_list("reasons") == ["mention", "reply", "quote"]
    assert params["limit"] == "100"


def test_mentions_map_reasons_to_kinds(bsky: Driver, api: respx.MockRouter) -> None:
    notifications = load("listNotifications")
    del notifications["cursor"]
    api.get(xrpc("app.bsky.notification.listNotifications")).respond(json=notifications)
    assert [m.kind for m in bsky.mentions()] == ["mention", "reply", "quote"]


def test_mention_reads_the_post_that_mentions(bsky: Driver, api: respx.MockRouter) -> None:
    notifications = load("listNotifications")
    del notifications["cursor"]
    api.get(xrpc("app.bsky.notification.listNotifications")).respond(json=notifications)
    first = bsky.mentions()[0]
    assert first.text == "Has anyone seen @brand.bsky.social's new store?"
    assert first.post_id == first.id == notifications["notifications"][0]["uri"]
    assert first.url == "https://bsky.app/profile/alice.bsky.social/post/3kgw1mmmmmm2m"


def test_mentions_stop_at_since(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.notification.listNotifications")).respond(
        json=load("listNotifications")
    )
    since = "at://did:plc:bobbyq4i5tkb3sc6xj2pkzme/app.bsky.feed.post/3kgw1rrrrrr2r"
    assert [m.kind for m in bsky.mentions(since)] == ["mention"]
    assert route.call_count == 1


def test_search_walks_pages(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.feed.searchPosts"))
    route.side_effect = [httpx.Response(200, json=load("searchPosts_page1")),
                         httpx.Response(200, json=load("searchPosts_page2"))]
    found = bsky.search("brand")
    assert len(found) == 3
    assert [dict(c.request.url.params) for c in route.calls] == [
        {"q": "brand", "limit": "100"}, {"q": "brand", "limit": "100", "cursor": "25"},
    ]


def test_search_limit_reads_only_the_pages_it_needs(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.feed.searchPosts")).respond(json=load("searchPosts_page1"))
    assert len(bsky.search("brand", limit=2)) == 2
    assert route.call_count == 1


def test_post_metrics_name_the_counts(bsky: Driver, posts: respx.Route) -> None:
    metrics = {(m.name, m.native_name): m.value for m in bsky.post_metrics(ALICE_POST)}
    assert metrics == {
        ("likes", "likeCount"): 256, ("shares", "repostCount"): 34,
        ("comments", "replyCount"): 12, ("quotes", "quoteCount"): 5,
        ("saves", "bookmarkCount"): 3,
    }


def test_account_metrics_are_a_profile_snapshot(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.get(xrpc("app.bsky.actor.getProfile")).respond(json=load("getProfile"))
    metrics = {m.name: m.value for m in bsky.account_metrics()}
    assert metrics == {"followers": 18342, "following": 211, "posts": 1297}
    assert route.calls.last.request.url.params["actor"] == HANDLE


def test_me_reads_the_profile(bsky: Driver, api: respx.MockRouter) -> None:
    api.get(xrpc("app.bsky.actor.getProfile")).respond(json=load("getProfile"))
    me = bsky.me()
    assert (me.id, me.handle, me.followers) == (DID, HANDLE, 18342)
    assert me.url == "https://bsky.app/profile/brand.bsky.social"
