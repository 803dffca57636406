"""Reading: one post, an author's posts page by page, comments with their replies,
organization mentions, and the account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import ORG, SHARE, raw_query

API = "https://api.linkedin.com"
ENCODED_SHARE = "urn%3Ali%3Ashare%3A6844785523593134080"


@pytest.fixture
def post_route(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.get(f"{API}/rest/posts/{SHARE}").respond(200, json=body("post"))


def test_get_post_puts_the_encoded_urn_in_the_path(li: Any, post_route: respx.Route) -> None:
    li.get_post(SHARE)
    request = post_route.calls.last.request
    assert request.url.raw_path == f"/rest/posts/{ENCODED_SHARE}".encode()
    assert request.headers["LinkedIn-Version"] == "202608"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"


def test_get_post_reads_the_little_commentary_as_plain_text(
    li: Any, post_route: respx.Route
) -> None:
    post = li.get_post(SHARE)
    assert post.text == "Launch day for #spring_collection with @Devtestco (finally)"


def test_get_post_fills_the_post(li: Any, post_route: respx.Route) -> None:
    post = li.get_post(SHARE)
    assert post.id == SHARE
    assert post.author is not None
    assert post.author.id == ORG
    assert post.created_at == datetime.fromtimestamp(1655159227.839, UTC)
    assert post.visibility == "public"
    assert post.url == f"https://www.linkedin.com/feed/update/{SHARE}/"
    (media,) = post.media
    assert (media.kind, media.id, media.alt_text) == (
        "image", "urn:li:image:C5610AQFjlbngIEqD2A", "testing for alt tags"
    )


def test_a_missing_post_is_not_found(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/posts/{SHARE}").respond(404, json=body("error_not_found"))
    with pytest.raises(sk.NotFound):
        li.get_post(SHARE)


def test_an_id_that_is_no_post_urn_is_not_found_before_any_request(
    li: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        li.get_post("urn:li:organization:2414183")
    assert not router.calls


def test_posts_finds_by_author_with_an_encoded_urn(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/posts").respond(200, json=body("posts_page"))
    li.platform.page_size = 2
    li.pages(li.posts())
    request = route.calls[0].request
    assert raw_query(request) == (
        "author=urn%3Ali%3Aorganization%3A2414183&q=author&count=2&start=0"
    )
    assert request.headers["X-RestLi-Method"] == "FINDER"


def test_posts_walks_pages_by_start_until_the_total(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    last = {"paging": {"start": 2, "count": 2, "links": [], "total": 3},
            "elements": [body("post")]}
    route = router.get(f"{API}/rest/posts").mock(side_effect=[
        httpx.Response(200, json=body("posts_page")), httpx.Response(200, json=last),
    ])
    li.platform.page_size = 2
    pages = li.pages(li.posts())
    assert [len(p.items) for p in pages] == [2, 1]
    assert route.calls[1].request.url.params["start"] == "2"
    assert pages[0].items[1].id == "urn:li:ugcPost:6949676953017315328"
    assert pages[0].items[1].media[0].kind == "video"


def test_posts_of_another_author(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/posts").respond(200, json={"elements": [], "paging": {}})
    li.items(li.posts("urn:li:organization:1337"))
    assert "author=urn%3Ali%3Aorganization%3A1337" in raw_query(route.calls.last.request)


def test_comments_are_listed_from_social_actions(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/socialActions/{SHARE}/comments").respond(
        200, json=body("comments")
    )
    router.get(url__regex=r".*/rest/socialActions/urn%3Ali%3Acomment.*").respond(
        200, json=body("comment_replies")
    )
    comments = li.items(li.comments(SHARE))
    request = route.calls.last.request
    assert request.url.raw_path.startswith(f"/rest/socialActions/{ENCODED_SHARE}/comments".encode())
    assert [c.text for c in comments] == [
        "Congratulations on the launch!", "Thank you!", "Where can I buy it?"
    ]


def test_top_level_comments_answer_the_post(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/socialActions/{SHARE}/comments").respond(200, json=body("comments"))
    router.get(url__regex=r".*/rest/socialActions/urn%3Ali%3Acomment.*").respond(
        200, json=body("comment_replies")
    )
    first = li.items(li.comments(SHARE))[0]
    assert first.id == "urn:li:comment:(urn:li:activity:6844785523593134080,6636062862760562688)"
    assert (first.thread_root_id, first.reply_to_id) == (SHARE, SHARE)
    assert first.author is not None
    assert first.author.id == "urn:li:person:Fw2vu8vpuP"
    assert first.created_at == datetime.fromtimestamp(1581368327.311, UTC)


def test_replies_are_fetched_under_their_comment_with_its_id_as_parent(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/socialActions/{SHARE}/comments").respond(200, json=body("comments"))
    nested = router.get(url__regex=r".*/rest/socialActions/urn%3Ali%3Acomment.*").respond(
        200, json=body("comment_replies")
    )
    reply = li.items(li.comments(SHARE))[1]
    parent = "urn:li:comment:(urn:li:activity:6844785523593134080,6636062862760562688)"
    assert (reply.reply_to_id, reply.thread_root_id) == (parent, SHARE)
    assert nested.call_count == 1  # only the comment that has replies is asked
    assert nested.calls.last.request.url.raw_path.startswith(
        b"/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A"
        b"6844785523593134080%2C6636062862760562688%29/comments"
    )


def test_mentions_of_an_organization_come_from_notifications(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.get(f"{API}/rest/organizationalEntityNotifications").respond(
        200, json=body("notifications")
    )
    mentions = li.items(li.mentions())
    assert raw_query(route.calls.last.request).startswith(
        "q=criteria&actions=List(SHARE_MENTION)&organizationalEntity="
        "urn%3Ali%3Aorganization%3A2414183"
    )
    assert [m.post_id for m in mentions] == [
        "urn:li:share:6998012245468233728", "urn:li:share:6997000000000000000"
    ]
    assert mentions[0].kind == "mention"
    assert mentions[0].id == "urn:li:activity:6998012246357422080"


def test_a_mentions_author_is_the_owner_of_the_mentioning_post(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/organizationalEntityNotifications").respond(
        200, json=body("notifications")
    )
    mentions = li.items(li.mentions())
    assert [m.author.id if m.author else None for m in mentions] == [
        "urn:li:person:Xk81mC4Wd2", "urn:li:person:Fw2vu8vpuP"
    ]


def test_mentions_stop_at_since(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/organizationalEntityNotifications").respond(
        200, json=body("notifications")
    )
    mentions = li.items(li.mentions(since_id="urn:li:activity:6997000000000000001"))
    assert [m.id for m in mentions] == ["urn:li:activity:6998012246357422080"]


def test_mentions_of_a_member_are_unsupported_before_any_request(
    member: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.Unsupported, match="organization pages only"):
        member.mentions()
    assert not router.calls


def test_me_of_an_organization(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/rest/organizations/2414183").respond(200, json=body("organization"))
    account = li.me()
    assert (account.id, account.handle, account.display_name) == (ORG, "devtestco", "Devtestco")
    assert account.url == "https://www.linkedin.com/company/devtestco/"


def test_me_of_a_member(
    member: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/v2/userinfo").respond(200, json=body("userinfo"))
    account = member.me()
    assert (account.id, account.display_name) == ("urn:li:person:782bbtaQ", "John Doe")


def test_every_api_call_carries_the_version_and_protocol_headers(li: Any, fake: Any) -> None:
    post = li.publish("Headers everywhere")
    li.get_post(post.id)
    li.items(li.posts())
    comment = li.reply(post, "A comment")
    li.reply(comment, "A reply")
    li.items(li.comments(post.id))
    li.react(post.id, "like")
    li.delete_comment(comment.id)
    li.delete_post(post.id)
    assert len(fake.requests) >= 9
    for request in fake.requests:
        assert request.headers["LinkedIn-Version"] == "202608"
        assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
