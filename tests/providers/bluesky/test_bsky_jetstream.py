"""Bluesky Jetstream in `watch()`: mentions found client-side in the posts a Jetstream-shaped
WebSocket server on loopback streams, the REST backfill (listNotifications) around it,
de-duplicated; polling when websockets is missing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import respx
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

import socialkit as sk
from socialkit.events import MentionEvent
from socialkit.events.watch import WatchPolicy
from socialkit.providers.bluesky.jetstream import decoder, mention_of

from .bsky_support import DID, FAST, platform, xrpc

OTHER = "did:plc:fanfanfanfanfanfanfanfan"
POST = "app.bsky.feed.post"
QUICK = WatchPolicy(backoff_initial=0.01, backoff_max=0.05, heartbeat_timeout=5.0)


def commit(rkey: str, record: dict[str, Any], *, did: str = OTHER,
           operation: str = "create") -> dict[str, Any]:
    return {
        "did": did, "time_us": 1765116000000000, "kind": "commit",
        "commit": {"rev": "3l3qo2vutsw2b", "operation": operation, "collection": POST,
                   "rkey": rkey, "record": {"$type": POST, "createdAt": "2026-12-07T14:00:00Z",
                                            **record}, "cid": "bafyreia"},
    }


def facet_mention(text: str, did: str = DID) -> dict[str, Any]:
    return {"text": text, "facets": [{
        "index": {"byteStart": 0, "byteEnd": 6},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
    }]}


REPLY = {"text": "thanks!", "reply": {
    "root": {"uri": f"at://{DID}/{POST}/3root", "cid": "bafyroot"},
    "parent": {"uri": f"at://{OTHER}/{POST}/3mid", "cid": "bafymid"},
}}
QUOTE = {"text": "look at this", "embed": {
    "$type": "app.bsky.embed.recordWithMedia",
    "record": {"record": {"uri": f"at://{DID}/{POST}/3quoted", "cid": "bafyq"}},
}}


def test_mentions_replies_and_quotes_are_found_client_side() -> None:
    found = [mention_of(commit(k, r), DID) for k, r in (
        ("3a", facet_mention("@brand hi")), ("3b", REPLY), ("3c", QUOTE),
        ("3d", {"text": "unrelated"}), ("3e", facet_mention("@else", did=OTHER)),
    )]
    kinds = [None if e is None else e.mention.kind for e in found]
    assert kinds == ["mention", "reply", "quote", None, None]
    first = found[0]
    assert first is not None
    assert (first.key, first.mention.post_id) == (f"at://{OTHER}/{POST}/3a",) * 2
    assert first.mention.author is not None
    assert first.mention.author.id == OTHER
    assert first.mention.text == "@brand hi"


def test_own_posts_deletes_and_other_collections_are_not_mentions() -> None:
    own = commit("3a", facet_mention("@me"), did=DID)
    deleted = commit("3b", facet_mention("@brand"), operation="delete")
    like = commit("3c", facet_mention("@brand")) | {"commit": {
        **commit("3c", {})["commit"], "collection": "app.bsky.feed.like"}}
    assert [mention_of(m, DID) for m in (own, deleted, like)] == [None, None, None]


def test_the_decoder_joins_split_messages_and_skips_malformed_ones() -> None:
    stream = decoder(DID)
    line = json.dumps(commit("3a", facet_mention("@brand"))).encode() + b"\n"
    assert list(stream.feed(b"{not json\n" + line[:20])) == []
    (event,) = stream.feed(line[20:])
    assert isinstance(event, MentionEvent)


# -- end to end: a Jetstream-shaped server on loopback --------------------------------------


class Jetstream:
    """A loopback WebSocket server that records each connection's request and sends what
    the test queues."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.outbox: list[dict[str, Any]] = []
        self.connected = threading.Event()

    def handler(self, connection: ServerConnection) -> None:
        request = connection.request
        assert request is not None
        self.requests.append((request.path, dict(request.headers.raw_items())))
        self.connected.set()
        for message in self.outbox:
            connection.send(json.dumps(message))
        try:
            connection.recv()  # hold the connection open until the client leaves
        except ConnectionClosed:
            return


@pytest.fixture
def jetstream() -> Iterator[tuple[Jetstream, str]]:
    fake = Jetstream()
    with serve(fake.handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        yield fake, f"ws://127.0.0.1:{port}/subscribe"
        server.shutdown()


def notification(uri: str, text: str) -> dict[str, Any]:
    return {
        "uri": uri, "cid": "bafynotif", "reason": "mention", "isRead": False,
        "author": {"did": OTHER, "handle": "fan.bsky.social"},
        "record": {"$type": POST, "text": text, "createdAt": "2026-12-07T13:59:00Z"},
        "indexedAt": "2026-12-07T13:59:01Z",
    }


@pytest.mark.anyio
async def test_watch_reads_jetstream_after_the_backfill_and_yields_each_mention_once(
    api: respx.MockRouter, jetstream: tuple[Jetstream, str]
) -> None:
    fake, url = jetstream
    backfilled = f"at://{OTHER}/{POST}/3old"
    api.get(xrpc("app.bsky.notification.listNotifications")).respond(
        json={"notifications": [notification(backfilled, "@brand missed you")]}
    )
    fake.outbox = [
        commit("3noise", {"text": "about something else"}),
        commit("3old", facet_mention("@brand missed you")),  # also in the backfill
        commit("3new", facet_mention("@brand are you there?")),
        commit("3reply", REPLY),
    ]
    client = sk.AsyncClient(platform(jetstream=url), retry=FAST, http="httpx")
    events: list[MentionEvent] = []
    async with client:
        with anyio.fail_after(10):
            async for event in client.watch(checkpoint="at://start", policy=QUICK):
                assert isinstance(event, MentionEvent)
                events.append(event)
                if len(events) == 3:
                    break
    assert [(e.key, e.mention.kind) for e in events] == [
        (backfilled, "mention"),
        (f"at://{OTHER}/{POST}/3new", "mention"),
        (f"at://{OTHER}/{POST}/3reply", "reply"),
    ]
    path, headers = fake.requests[0]
    assert path == f"/subscribe?wantedCollections={POST}"
    assert "authorization" not in {k.lower() for k in headers}  # no token to Jetstream


def test_the_sync_client_reads_jetstream_too(
    api: respx.MockRouter, jetstream: tuple[Jetstream, str]
) -> None:
    fake, url = jetstream
    api.get(xrpc("app.bsky.notification.listNotifications")).respond(json={"notifications": []})
    fake.outbox = [commit("3q", QUOTE)]
    with sk.Client(platform(jetstream=url), retry=FAST) as client:
        event = next(iter(client.watch(checkpoint="at://start", policy=QUICK)))
    assert isinstance(event, MentionEvent)
    assert (event.key, event.mention.kind) == (f"at://{OTHER}/{POST}/3q", "quote")


def test_without_websockets_or_the_setting_the_account_is_polled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stream_of(**settings: Any) -> Any:
        flow = platform(**settings).stream(frozenset({"mention"}))
        try:
            next(flow)
        except StopIteration as done:
            return done.value
        raise AssertionError("the flow asked for a call")

    assert stream_of(jetstream=None) is None
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "websockets" else real(name, *a))
    assert stream_of(jetstream="wss://jetstream.example/subscribe") is None


def test_the_jetstream_setting_must_be_a_secure_socket() -> None:
    with pytest.raises(ValueError, match="wss://"):
        platform(jetstream="ws://jetstream.example/subscribe")
    with pytest.raises(ValueError, match="wss://"):
        platform(jetstream="https://jetstream.example/subscribe")
