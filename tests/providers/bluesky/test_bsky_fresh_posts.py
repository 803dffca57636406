"""Answering a post the AppView has not indexed yet: its record is read from its author's PDS.

``app.bsky.feed.getPosts`` answers ``{"posts": []}`` for a post written a moment ago; the
strong refs then come from ``com.atproto.repo.getRecord`` (``uri``, ``cid``,
``value.reply.root``) on the PDS the author's DID document names
(``com.atproto.identity.resolveDid``).
"""

from __future__ import annotations

import httpx
import pytest
import respx

import socialkit as sk

from .bsky_support import DID, PDS, Driver, body, created, load, png, xrpc

BOB = "did:plc:bobbyq4i5tkb3sc6xj2pkzme"
ALICE = "did:plc:alicex3c6l5ewbqkxn2fyy7m"
BOB_REPLY = f"at://{BOB}/app.bsky.feed.post/3kgt3bbcfa22c"
ALICE_POST = f"at://{ALICE}/app.bsky.feed.post/3kgt2ttvf6c2a"
OWN_POST = f"at://{DID}/app.bsky.feed.post/3kgt2ttvf6c2a"
BOB_PDS = "https://shiitake.us-east.host.bsky.network"
NOT_INDEXED = {"posts": []}


@pytest.fixture
def create(api: respx.MockRouter) -> respx.Route:
    return api.post(xrpc("com.atproto.repo.createRecord")).mock(side_effect=created)


@pytest.fixture
def lag(api: respx.MockRouter) -> respx.Route:
    """The AppView has indexed nothing yet."""
    return api.get(xrpc("app.bsky.feed.getPosts")).respond(json=NOT_INDEXED)


@pytest.fixture
def bob_did(api: respx.MockRouter) -> respx.Route:
    """Bob's DID document names his PDS."""
    return api.get(xrpc("com.atproto.identity.resolveDid")).respond(json=load("resolveDid_bob"))


@pytest.fixture
def bob_record(api: respx.MockRouter) -> respx.Route:
    """Bob's PDS holds his reply."""
    return api.get(xrpc("com.atproto.repo.getRecord", BOB_PDS)).respond(
        json=load("getRecord_reply")
    )


def test_reply_to_an_unindexed_reply_reads_root_and_parent_from_the_authors_pds(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route, bob_record: respx.Route,
) -> None:
    bsky.publish(sk.Draft(text="We do!", reply_to_id=BOB_REPLY))
    assert lag.calls.last.request.url.params.get_list("uris") == [BOB_REPLY]
    assert bob_did.calls.last.request.url.params["did"] == BOB
    asked = bob_record.calls.last.request
    assert dict(asked.url.params) == {
        "repo": BOB, "collection": "app.bsky.feed.post", "rkey": "3kgt3bbcfa22c",
    }
    record = load("getRecord_reply")
    assert body(create.calls.last.request)["record"]["reply"] == {
        "root": record["value"]["reply"]["root"],
        "parent": {"uri": record["uri"], "cid": record["cid"]},
    }


def test_the_authors_pds_is_asked_without_the_accounts_token(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route, bob_record: respx.Route,
) -> None:
    bsky.reply(BOB_REPLY, "Thanks")
    assert "Authorization" not in bob_record.calls.last.request.headers


def test_the_authors_pds_is_resolved_once_per_client(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route, bob_record: respx.Route,
) -> None:
    bsky.react(BOB_REPLY)
    bsky.repost(BOB_REPLY)
    assert bob_did.call_count == 1
    assert bob_record.call_count == 2


def test_reply_to_an_unindexed_top_level_post_uses_it_as_root_and_parent(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route
) -> None:
    api.get(xrpc("com.atproto.identity.resolveDid")).respond(
        json={"didDoc": {"id": ALICE, "service": [
            {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": PDS}
        ]}}
    )
    own_pds = api.get(xrpc("com.atproto.repo.getRecord")).respond(json=load("getRecord_post"))
    bsky.reply(ALICE_POST, "Nice")
    ref = {"uri": ALICE_POST, "cid": load("getRecord_post")["cid"]}
    assert body(create.calls.last.request)["record"]["reply"] == {"root": ref, "parent": ref}
    # Alice's PDS is the account's own: asked as any call, with the session
    assert own_pds.calls.last.request.headers["Authorization"].startswith("Bearer ")


def test_an_own_unindexed_post_is_read_from_the_own_pds_without_resolving(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route
) -> None:
    resolve = api.get(xrpc("com.atproto.identity.resolveDid"))
    answer = load("getRecord_post") | {"uri": OWN_POST}
    read = api.get(xrpc("com.atproto.repo.getRecord")).respond(json=answer)
    bsky.react(OWN_POST)
    assert resolve.call_count == 0
    assert read.calls.last.request.url.params["repo"] == DID
    assert body(create.calls.last.request)["record"]["subject"] == {
        "uri": OWN_POST, "cid": answer["cid"],
    }


def test_a_pds_without_resolve_did_leaves_the_record_to_the_own_pds(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route
) -> None:
    api.get(xrpc("com.atproto.identity.resolveDid")).respond(
        501, json={"error": "MethodNotImplemented", "message": "Method Not Implemented"}
    )
    read = api.get(xrpc("com.atproto.repo.getRecord")).respond(json=load("getRecord_reply"))
    bsky.repost(BOB_REPLY)
    assert read.calls.last.request.url.params["repo"] == BOB
    assert body(create.calls.last.request)["record"]["subject"]["uri"] == BOB_REPLY


def test_like_of_an_unindexed_post_likes_its_record(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route, bob_record: respx.Route,
) -> None:
    bsky.react(BOB_REPLY)
    sent = body(create.calls.last.request)
    assert sent["collection"] == "app.bsky.feed.like"
    assert sent["record"]["subject"] == {
        "uri": BOB_REPLY, "cid": load("getRecord_reply")["cid"],
    }


def test_a_post_neither_indexed_nor_on_its_pds_is_not_found(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route,
) -> None:
    api.get(xrpc("com.atproto.repo.getRecord", BOB_PDS)).respond(
        400, json={"error": "RecordNotFound", "message": f"Could not locate record: {BOB_REPLY}"}
    )
    with pytest.raises(sk.NotFound, match="post not found"):
        bsky.reply(BOB_REPLY, "Hello?")
    assert create.call_count == 0


def test_an_indexed_post_is_not_read_again_from_its_pds(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    fallback = api.get(url__regex=r".*/xrpc/com\.atproto\.(repo\.getRecord|identity\.resolveDid)")
    bsky.react(BOB_REPLY)
    assert fallback.call_count == 0


# -- quotes -----------------------------------------------------------------------------------


def test_quote_embeds_the_strong_ref_of_the_quoted_post(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    bsky.publish(sk.Draft(text="Look at this", options={"quote": BOB_REPLY}))
    view = load("getPosts_reply")["posts"][0]
    assert body(create.calls.last.request)["record"]["embed"] == {
        "$type": "app.bsky.embed.record",
        "record": {"uri": view["uri"], "cid": view["cid"]},
    }


def test_quote_of_an_unindexed_post_reads_it_from_the_authors_pds(
    bsky: Driver, api: respx.MockRouter, create: respx.Route, lag: respx.Route,
    bob_did: respx.Route, bob_record: respx.Route,
) -> None:
    bsky.publish(sk.Draft(text="Look at this", options={"quote": BOB_REPLY}))
    assert body(create.calls.last.request)["record"]["embed"]["record"] == {
        "uri": BOB_REPLY, "cid": load("getRecord_reply")["cid"],
    }


def test_quote_with_an_image_is_a_record_with_media(
    bsky: Driver, api: respx.MockRouter, create: respx.Route
) -> None:
    api.get(xrpc("app.bsky.feed.getPosts")).respond(json=load("getPosts_reply"))
    api.post(xrpc("com.atproto.repo.uploadBlob")).respond(json=load("uploadBlob"))
    image = sk.MediaUpload(data=png(4, 3), filename="a.png", mime_type="image/png", alt_text="A")
    bsky.publish(sk.Draft(text="And a picture", media=[image], options={"quote": BOB_REPLY}))
    embed = body(create.calls.last.request)["record"]["embed"]
    view = load("getPosts_reply")["posts"][0]
    assert embed["$type"] == "app.bsky.embed.recordWithMedia"
    assert embed["record"] == {
        "$type": "app.bsky.embed.record", "record": {"uri": view["uri"], "cid": view["cid"]},
    }
    assert embed["media"]["$type"] == "app.bsky.embed.images"
    assert embed["media"]["images"][0]["alt"] == "A"


def test_a_quote_that_is_not_an_id_is_refused_before_any_request(
    bsky: Driver, api: respx.MockRouter
) -> None:
    with pytest.raises(sk.InvalidContent, match="quote"):
        bsky.publish(sk.Draft(text="Hm", options={"quote": 42}))
    assert not api.calls


# -- hiding a fresh reply ---------------------------------------------------------------------


def test_hide_comment_finds_the_root_of_an_unindexed_reply(
    bsky: Driver, api: respx.MockRouter, lag: respx.Route, bob_did: respx.Route,
    bob_record: respx.Route,
) -> None:
    gate = api.get(xrpc("com.atproto.repo.getRecord")).respond(
        400, json={"error": "RecordNotFound", "message": "Could not locate record"}
    )
    put = api.post(xrpc("com.atproto.repo.putRecord")).mock(
        return_value=httpx.Response(200, json={"uri": "at://x", "cid": "bafy"})
    )
    bsky.hide_comment(BOB_REPLY)
    assert gate.calls.last.request.url.params["collection"] == "app.bsky.feed.threadgate"
    assert body(put.calls.last.request)["record"]["hiddenReplies"] == [BOB_REPLY]
