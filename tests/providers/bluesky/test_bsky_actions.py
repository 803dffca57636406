"""Deleting, liking, reposting and moderating replies through the threadgate."""

from __future__ import annotations

import httpx
import pytest
import respx

import socialkit as sk
from socialkit.providers.bluesky.ids import is_tid

from .bsky_support import DID, Driver, body, created, load, xrpc

ALICE_POST = "at://did:plc:alicex3c6l5ewbqkxn2fyy7m/app.bsky.feed.post/3kgt2ttvf6c2a"
BOB_REPLY = "at://did:plc:bobbyq4i5tkb3sc6xj2pkzme/app.bsky.feed.post/3kgt3bbcfa22c"
OWN_REPLY = f"at://{DID}/app.bsky.feed.post/3kgu5bbbbbb2b"
ROOT = f"at://{DID}/app.bsky.feed.post/3kgt2ttvf6c2a"
DELETE = xrpc("com.atproto.repo.deleteRecord")
PUT = xrpc("com.atproto.repo.putRecord")
GET_RECORD = xrpc("com.atproto.repo.getRecord")


@pytest.fixture
def create(api: respx.MockRouter) -> respx.Route:
    return api.post(xrpc("com.atproto.repo.createRecord")).mock(side_effect=created)


@pytest.fixture
def reply_view(api: respx.MockRouter) -> respx.Route:
    """getPosts answering with Bob's reply in the brand's thread."""
    return api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))


def test_delete_post_sends_repo_collection_and_rkey(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.post(DELETE).respond(json={})
    bsky.delete_post(OWN_REPLY)
    assert body(route.calls.last.request) == {
        "repo": DID, "collection": "app.bsky.feed.post", "rkey": "3kgu5bbbbbb2b",
    }


def test_delete_is_retried_after_a_503(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.post(DELETE)
    route.side_effect = [httpx.Response(503), httpx.Response(200, json={})]
    bsky.delete_post(OWN_REPLY)
    assert route.call_count == 2


def test_delete_comment_of_an_own_reply(bsky: Driver, api: respx.MockRouter) -> None:
    route = api.post(DELETE).respond(json={})
    bsky.delete_comment(OWN_REPLY)
    assert body(route.calls.last.request)["rkey"] == "3kgu5bbbbbb2b"


def test_delete_comment_of_someone_elses_reply_is_refused(
    bsky: Driver, api: respx.MockRouter
) -> None:
    route = api.post(DELETE)
    with pytest.raises(sk.PermissionDenied, match="hide_comment"):
        bsky.delete_comment(BOB_REPLY)
    assert route.call_count == 0


def test_react_creates_a_like_of_the_strong_ref(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts"))
    bsky.react(ALICE_POST)
    sent = body(create.calls.last.request)
    view = load("getPosts")["posts"][0]
    assert (sent["repo"], sent["collection"]) == (DID, "app.bsky.feed.like")
    assert is_tid(sent["rkey"])
    assert sent["record"]["subject"] == {"uri": view["uri"], "cid": view["cid"]}
    assert set(sent["record"]) == {"$type", "subject", "createdAt"}


def test_react_with_another_kind_is_unsupported_before_any_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.Unsupported, match="only 'like'"):
        bsky.react(ALICE_POST, "love")
    assert not api.calls


def test_repost_creates_a_repost_record(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts"))
    bsky.repost(ALICE_POST)
    sent = body(create.calls.last.request)
    assert sent["collection"] == "app.bsky.feed.repost"
    assert sent["record"]["$type"] == "app.bsky.feed.repost"
    assert sent["record"]["subject"]["uri"] == ALICE_POST


def test_liking_an_own_new_post_needs_no_lookup(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    lookup = api.get(xrpc("app.bsky.feed.getPosts"))
    post = bsky.publish("Fresh")
    bsky.react(post.id)
    assert lookup.call_count == 0
    assert body(create.calls.last.request)["record"]["subject"]["uri"] == post.id


def test_hide_comment_adds_the_reply_to_the_threadgate(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    gate = load("getRecord_threadgate")
    read = api.get(GET_RECORD).respond(json=gate)
    put = api.post(PUT).respond(json={"uri": gate["uri"], "cid": gate["cid"]})
    bsky.hide_comment(BOB_REPLY)
    assert dict(read.calls.last.request.url.params) == {
        "repo": DID, "collection": "app.bsky.feed.threadgate", "rkey": "3kgt2ttvf6c2a",
    }
    sent = body(put.calls.last.request)
    assert (sent["repo"], sent["collection"], sent["rkey"]) == (
        DID, "app.bsky.feed.threadgate", "3kgt2ttvf6c2a")
    assert sent["record"]["hiddenReplies"] == [*gate["value"]["hiddenReplies"], BOB_REPLY]


def test_hide_comment_keeps_the_gates_reply_rules(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    gate = load("getRecord_threadgate")
    api.get(GET_RECORD).respond(json=gate)
    put = api.post(PUT).respond(json={"uri": gate["uri"], "cid": gate["cid"]})
    bsky.hide_comment(BOB_REPLY)
    sent = body(put.calls.last.request)
    assert sent["record"]["allow"] == gate["value"]["allow"]
    assert sent["swapRecord"] == gate["cid"]


def test_hide_comment_creates_a_gate_that_allows_everyone(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    api.get(GET_RECORD).respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    put = api.post(PUT).respond(json={"uri": "at://x", "cid": "bafyreih"})
    bsky.hide_comment(BOB_REPLY)
    sent = body(put.calls.last.request)
    assert "swapRecord" not in sent
    assert sent["record"]["post"] == ROOT
    assert sent["record"]["hiddenReplies"] == [BOB_REPLY]
    assert "allow" not in sent["record"]


def test_unhide_comment_removes_it(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    gate = load("getRecord_threadgate")
    gate["value"]["hiddenReplies"].append(BOB_REPLY)
    api.get(GET_RECORD).respond(json=gate)
    put = api.post(PUT).respond(json={"uri": gate["uri"], "cid": gate["cid"]})
    bsky.hide_comment(BOB_REPLY, hidden=False)
    assert BOB_REPLY not in body(put.calls.last.request)["record"]["hiddenReplies"]


def test_hiding_a_hidden_reply_writes_nothing(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    gate = load("getRecord_threadgate")
    gate["value"]["hiddenReplies"].append(BOB_REPLY)
    api.get(GET_RECORD).respond(json=gate)
    put = api.post(PUT)
    bsky.hide_comment(BOB_REPLY)
    assert put.call_count == 0


def test_hide_comment_redoes_the_change_when_the_gate_changed_meanwhile(
    bsky: Driver, api: respx.MockRouter, reply_view: respx.Route
) -> None:
    gate = load("getRecord_threadgate")
    read = api.get(GET_RECORD).respond(json=gate)
    put = api.post(PUT)
    put.side_effect = [
        httpx.Response(400, json={"error": "InvalidSwap", "message": "Record was at bafy..."}),
        httpx.Response(200, json={"uri": gate["uri"], "cid": gate["cid"]}),
    ]
    bsky.hide_comment(BOB_REPLY)
    assert (read.call_count, put.call_count) == (2, 2)


def test_hide_comment_in_someone_elses_thread_is_refused(
    bsky: Driver, api: respx.MockRouter
) -> None:
    view = load("getPosts_reply")
    view["posts"][0]["record"]["reply"]["root"]["uri"] = ALICE_POST
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=view)
    put = api.post(PUT)
    with pytest.raises(sk.PermissionDenied):
        bsky.hide_comment(BOB_REPLY)
    assert put.call_count == 0


def test_edit_is_unsupported_before_any_request(bsky: Driver, api: respx.MockRouter) -> None:
    with pytest.raises(sk.Unsupported, match="cannot be edited"):
        bsky.edit_post(OWN_REPLY, "new text")
    assert not api.calls
