"""Answering and engaging: comments and replies with ``parentComment``, comment deletion,
reactions by kind, and what LinkedIn cannot do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .linkedin_support import ORG, SHARE, raw_query, sent_json

API = "https://api.linkedin.com"
ACTIVITY = "urn:li:activity:6844785523593134080"
COMMENT = f"urn:li:comment:({ACTIVITY},6636062862760562688)"
ENCODED_COMMENT = (
    "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A6844785523593134080%2C6636062862760562688%29"
)


@pytest.fixture
def comment_on_post(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.post(f"{API}/rest/socialActions/{SHARE}/comments").respond(
        201, json=body("comment_created")
    )


def test_reply_to_a_post_comments_as_the_author(li: Any, comment_on_post: respx.Route) -> None:
    li.reply(SHARE, "Thanks for the kind words!")
    request = comment_on_post.calls.last.request
    assert request.url.raw_path == (
        b"/rest/socialActions/urn%3Ali%3Ashare%3A6844785523593134080/comments"
    )
    assert sent_json(request) == {
        "actor": ORG,
        "object": SHARE,
        "message": {"text": "Thanks for the kind words!"},
    }
    assert request.headers["LinkedIn-Version"] == "202608"


def test_reply_returns_the_created_comment(li: Any, comment_on_post: respx.Route) -> None:
    comment = li.reply(SHARE, "Thanks for the kind words!")
    assert comment.id == "urn:li:comment:(urn:li:activity:6844785523593134080,6636080000000000002)"
    assert (comment.thread_root_id, comment.reply_to_id) == (SHARE, SHARE)
    assert comment.text == "Thanks for the kind words!"


def test_reply_text_is_not_little_escaped(li: Any, comment_on_post: respx.Route) -> None:
    li.reply(SHARE, "Glad :) see #faq (soon)")
    assert sent_json(comment_on_post.calls.last.request)["message"] == {
        "text": "Glad :) see #faq (soon)"
    }


def test_reply_mentions_become_attributes(li: Any, comment_on_post: respx.Route) -> None:
    draft = sk.Draft(text="@Ann thanks", options={"mentions": {"Ann": "urn:li:person:Fw2vu8vpuP"}})
    li.reply(SHARE, draft)
    message = sent_json(comment_on_post.calls.last.request)["message"]
    assert message["text"] == "Ann thanks"
    assert message["attributes"][0]["start"] == 0


def test_reply_to_a_comment_nests_under_it(
    li: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(url__regex=r".*/rest/socialActions/urn%3Ali%3Acomment.*").respond(
        201, json=body("comment_created")
    )
    comment = sk.Comment(platform="linkedin", id=COMMENT, thread_root_id=SHARE, reply_to_id=SHARE)
    reply = li.reply(comment, "Thank you!")
    request = route.calls.last.request
    assert request.url.raw_path == f"/rest/socialActions/{ENCODED_COMMENT}/comments".encode()
    assert sent_json(request) == {
        "actor": ORG,
        "object": ACTIVITY,
        "message": {"text": "Thank you!"},
        "parentComment": COMMENT,
    }
    assert (reply.thread_root_id, reply.reply_to_id) == (SHARE, COMMENT)


def test_reply_falls_back_to_the_x_restli_id_header(li: Any, router: respx.MockRouter) -> None:
    router.post(f"{API}/rest/socialActions/{SHARE}/comments").respond(
        201, headers={"x-restli-id": "6636080000000000002"}
    )
    comment = li.reply(SHARE, "Thanks")
    assert comment.id == f"urn:li:comment:({SHARE},6636080000000000002)"


def test_reply_to_something_not_a_post_or_comment_is_not_found_before_io(
    li: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.NotFound):
        li.reply("hello", "Thanks")
    assert not router.calls


def test_delete_comment_addresses_it_by_target_and_id_as_the_actor(
    li: Any, router: respx.MockRouter
) -> None:
    route = router.delete(url__regex=r".*/rest/socialActions/.*").respond(204)
    li.delete_comment(COMMENT)
    request = route.calls.last.request
    assert request.url.raw_path == (
        b"/rest/socialActions/urn%3Ali%3Aactivity%3A6844785523593134080/comments/"
        b"6636062862760562688?actor=urn%3Ali%3Aorganization%3A2414183"
    )
    assert request.headers["X-RestLi-Method"] == "DELETE"


@pytest.mark.parametrize(
    ("given", "reaction"),
    [
        ("like", "LIKE"),
        ("celebrate", "PRAISE"),
        ("support", "APPRECIATION"),
        ("love", "EMPATHY"),
        ("insightful", "INTEREST"),
        ("funny", "ENTERTAINMENT"),
        ("PRAISE", "PRAISE"),
    ],
)
def test_react_maps_the_kind_to_a_reaction_type(
    li: Any, router: respx.MockRouter, given: str, reaction: str
) -> None:
    route = router.post(f"{API}/rest/reactions").respond(201)
    li.react(SHARE, given)
    request = route.calls.last.request
    assert raw_query(request) == "actor=urn%3Ali%3Aorganization%3A2414183"
    assert sent_json(request) == {"root": SHARE, "reactionType": reaction}


def test_an_unknown_reaction_is_unsupported_before_any_request(
    li: Any, router: respx.MockRouter
) -> None:
    with pytest.raises(sk.Unsupported, match="no 'wow' reaction"):
        li.react(SHARE, "wow")
    assert not router.calls


def test_a_retried_reaction_is_safe(li: Any, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/rest/reactions").mock(
        side_effect=[httpx.Response(503), httpx.Response(201)]
    )
    li.react(SHARE)
    assert route.call_count == 2


def test_search_is_unsupported_with_the_reason(li: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.Unsupported, match="no public API to search"):
        li.search("socialkit")
    assert not router.calls


def test_hiding_comments_is_unsupported(li: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.Unsupported, match="hide comments"):
        li.hide_comment(COMMENT)
    assert not router.calls
