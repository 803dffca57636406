"""Comments: the tree flattened with parent ids, "load more" and "continue this thread"
expanded, replies, moderation, edits and deletions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import socialkit as sk

from .reddit_support import API, form


@pytest.fixture
def tree(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.get(f"{API}/comments/1abc23").mock(side_effect=[
        httpx.Response(200, json=body("comments")),
        httpx.Response(200, json=body("comments_continue")),
    ])


@pytest.fixture
def more(router: respx.MockRouter, body: Callable[[str], Any]) -> respx.Route:
    return router.get(f"{API}/api/morechildren").mock(side_effect=[
        httpx.Response(200, json=body("morechildren")),
        httpx.Response(200, json={"json": {"errors": [], "data": {"things": [
            {"kind": "t1", "data": {"id": "c9", "name": "t1_c9", "link_id": "t3_1abc23",
                                    "parent_id": "t1_c6", "body": "Last one", "author": "x"}}]}}}),
    ])


def test_the_first_page_is_the_tree_depth_first_with_parent_ids(
    rd: Any, tree: respx.Route
) -> None:
    page = rd.run(rd.platform.comments("t3_1abc23", None, None))
    assert [(c.id, c.reply_to_id) for c in page.items] == [
        ("t1_c1", "t3_1abc23"), ("t1_c2", "t1_c1"), ("t1_c3", "t1_c2"), ("t1_c4", "t3_1abc23")]
    assert {c.thread_root_id for c in page.items} == {"t3_1abc23"}
    assert dict(tree.calls[0].request.url.params) == {"limit": "500", "raw_json": "1"}
    assert page.next_cursor == "~t1_c3,c5,c6,c7"


def test_every_more_is_expanded_until_the_tree_is_complete(
    rd: Any, tree: respx.Route, more: respx.Route
) -> None:
    comments = rd.items(rd.comments("1abc23"))
    assert [c.id for c in comments] == [
        "t1_c1", "t1_c2", "t1_c3", "t1_c4", "t1_c8", "t1_c5", "t1_c6", "t1_c9"]
    assert dict(tree.calls[1].request.url.params) == {"comment": "c3", "raw_json": "1"}
    assert dict(more.calls[0].request.url.params) == {
        "api_type": "json", "link_id": "t3_1abc23", "children": "c5,c6,c7", "raw_json": "1"}
    assert more.calls[1].request.url.params["children"] == "c9"
    assert next(c for c in comments if c.id == "t1_c8").reply_to_id == "t1_c3"


def test_more_children_go_at_most_100_a_call() -> None:
    from socialkit.providers.reddit.comments import next_batch

    ids = ",".join(format(i + 100, "x") for i in range(150))
    batch, rest = next_batch(ids, 1000)
    assert (len(batch), len(rest)) == (100, 50)
    assert next_batch("a,b,~t1_c,d", 10) == (["a", "b"], ["~t1_c", "d"])


def test_a_foreign_cursor_is_refused(rd: Any, router: respx.MockRouter) -> None:
    with pytest.raises(sk.NotFound):
        rd.run(rd.platform.comments("t3_1abc23", "../../api/v1/me", None))


def test_an_error_in_a_morechildren_answer_is_raised(
    rd: Any, router: respx.MockRouter
) -> None:
    router.get(f"{API}/api/morechildren").respond(200, json={"json": {"errors": [
        ["RATELIMIT", "you are doing that too much. try again in 2 minutes.", "ratelimit"]]}})
    with pytest.raises(sk.RateLimited) as raised:
        rd.run(rd.platform.comments("t3_1abc23", "c5", None))
    assert raised.value.retry_after == 120


def test_reply_posts_a_comment_under_the_thing(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"{API}/api/comment").respond(200, json=body("comment_created"))
    comment = rd("reply", "t3_1abc23", "Thanks for asking!")
    assert dict(route.calls[0].request.url.params) == {"raw_json": "1"}
    assert form(route.calls[0].request) == {
        "api_type": "json", "thing_id": "t3_1abc23", "text": "Thanks for asking!"}
    assert (comment.id, comment.reply_to_id, comment.thread_root_id) == (
        "t1_c10", "t3_1abc23", "t3_1abc23")


def test_reply_to_a_comment_or_mention_uses_its_fullname(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    route = router.post(f"{API}/api/comment").respond(200, json=body("comment_created"))
    target = sk.Comment(platform="reddit", id="t1_c4", thread_root_id="t3_1abc23")
    rd("reply", target, "It ships worldwide.")
    assert form(route.calls[0].request)["thing_id"] == "t1_c4"


def test_a_comment_over_10000_characters_is_refused(rd: Any) -> None:
    with pytest.raises(sk.InvalidContent) as raised:
        rd("reply", "t3_1abc23", "x" * 10_001)
    assert raised.value.limit == 10_000


def test_a_locked_thread_is_permission_denied(rd: Any, router: respx.MockRouter) -> None:
    router.post(f"{API}/api/comment").respond(200, json={"json": {"errors": [
        ["THREAD_LOCKED", "Comments are locked.", "parent"]]}})
    with pytest.raises(sk.PermissionDenied):
        rd("reply", "t3_1abc23", "Hello")


def test_hide_removes_as_not_spam_and_unhide_approves(
    rd: Any, router: respx.MockRouter
) -> None:
    remove = router.post(f"{API}/api/remove").respond(200, json={})
    approve = router.post(f"{API}/api/approve").respond(200, json={})
    rd("hide_comment", "c4")
    rd("hide_comment", "t1_c4", hidden=False)
    assert form(remove.calls[0].request) == {"id": "t1_c4", "spam": "false"}
    assert form(approve.calls[0].request) == {"id": "t1_c4"}


def test_moderating_outside_ones_subreddits_is_permission_denied(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.post(f"{API}/api/remove").respond(403, json=body("error_403"))
    with pytest.raises(sk.PermissionDenied):
        rd("hide_comment", "t1_c4")


def test_delete_comment_and_post_use_api_del(rd: Any, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/api/del").respond(200, json={})
    rd("delete_comment", "t1_c4")
    rd("delete_post", "1abc23")
    assert [form(c.request) for c in route.calls] == [{"id": "t1_c4"}, {"id": "t3_1abc23"}]


def test_edit_replaces_a_self_posts_text(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/info").respond(200, json=body("info_self"))
    route = router.post(f"{API}/api/editusertext").respond(200, json=body("editusertext"))
    post = rd("edit_post", "t3_1abc23", "Launch day\n\nWe shipped. Thanks all!")
    assert dict(route.calls[0].request.url.params) == {"raw_json": "1"}
    assert form(route.calls[0].request) == {
        "api_type": "json", "thing_id": "t3_1abc23", "text": "We shipped. Thanks all!"}
    assert post.text == "Launch day\n\nWe shipped. Thanks all!"


def test_editing_a_link_post_is_unsupported_with_the_reason(
    rd: Any, router: respx.MockRouter, body: Callable[[str], Any]
) -> None:
    router.get(f"{API}/api/info").respond(200, json=body("info_link"))
    edit = router.post(f"{API}/api/editusertext").respond(200, json={})
    with pytest.raises(sk.Unsupported, match="self posts only"):
        rd("edit_post", "t3_1abc24", "New words")
    assert edit.call_count == 0
