"""Mastodon's streaming API: the SSE wire format, the streaming host, the backfill.

Reference: https://docs.joinmastodon.org/methods/streaming/ and
https://docs.joinmastodon.org/methods/notifications/ (abraham/mastodon-openapi).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice

import pytest
import respx

from socialkit.client import AsyncClient, Client
from socialkit.errors import AuthError
from socialkit.events.stream import SSEDecoder, SSEMessage
from socialkit.events.types import MentionEvent, PostEvent, ReactionEvent
from socialkit.events.watch import WatchPolicy, identity
from socialkit.providers.mastodon import Mastodon
from socialkit.providers.mastodon.streaming import MastodonDecoder, streaming_root

from .mastodon_support import BASE, FAST, TOKEN, load

STREAMING = "https://streaming.mastodon.example"
QUICK = WatchPolicy(backoff_initial=0.001, backoff_max=0.002)


@pytest.fixture(autouse=True)
def _fresh_streaming_hosts() -> Iterator[None]:
    Mastodon._streaming_cache.clear()
    yield
    Mastodon._streaming_cache.clear()


def sse(event: str, data: object) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data)
    return f"event: {event}\ndata: {payload}\n\n".encode()


def account_json() -> dict[str, object]:
    return dict(load("account"))


# -- the SSE parser --------------------------------------------------------------------------


def test_sse_messages_survive_any_split_of_the_bytes() -> None:
    body = (
        b':)\r\nevent: notification\r\ndata: {"a":\r\ndata: 1}\r\n\r\n'
        b":thump\nevent: delete\ndata: 9\n\n"
    )
    for size in (1, 2, 3, 7, len(body)):
        decoder = SSEDecoder()
        got = [m for i in range(0, len(body), size) for m in decoder.feed(body[i : i + size])]
        assert got == [SSEMessage("notification", '{"a":\n1}'), SSEMessage("delete", "9")]


def test_sse_comments_and_empty_messages_yield_nothing() -> None:
    assert SSEDecoder().feed(b":thump\n\n:thump\n\nevent: update\n\n") == []


# -- the decoder -----------------------------------------------------------------------------


def test_notifications_become_mention_and_reaction_events_keyed_by_notification() -> None:
    mention, _, quote = load("notifications")
    like = {**mention, "id": "35000000", "type": "favourite"}
    decoder = MastodonDecoder({"mention", "reaction"}, me_id="1")
    events = decoder.feed(
        sse("notification", mention) + sse("notification", quote) + sse("notification", like)
    )
    assert [type(e) for e in events] == [MentionEvent, MentionEvent, ReactionEvent]
    first = events[0]
    assert isinstance(first, MentionEvent)
    assert first.key == "34975861"
    assert first.checkpoint == "34975861"
    assert first.mention.post_id == "103186126728896492"
    assert isinstance(events[2], ReactionEvent)
    assert events[2].reaction == "like"


def test_timeline_events_need_the_post_kind() -> None:
    status = load("status")
    body = (
        sse("update", status)
        + sse("status.update", {**status, "edited_at": "2025-01-01T00:00:00.000Z"})
        + sse("delete", status["id"])
    )
    assert MastodonDecoder({"mention"}, None).feed(body) == []
    events = MastodonDecoder({"post"}, None).feed(body)
    assert [e.status for e in events if isinstance(e, PostEvent)] == [
        "created",
        "edited",
        "deleted",
    ]
    assert len({identity(e) for e in events}) == 3
    assert all(isinstance(e, PostEvent) and e.post_id == status["id"] for e in events)


def test_an_unreadable_message_is_skipped_not_fatal() -> None:
    mention = load("notifications")[0]
    events = MastodonDecoder({"mention"}, None).feed(
        b"event: notification\ndata: {not json\n\n" + sse("notification", mention)
    )
    assert [e.key for e in events] == ["34975861"]


@pytest.mark.parametrize(
    ("urls", "root"),
    [
        ({"configuration": {"urls": {"streaming": "wss://s.example/"}}}, "https://s.example"),
        (
            {"configuration": {"urls": {"streaming": "ws://127.0.0.1:4000"}}},
            "http://127.0.0.1:4000",
        ),
        ({"urls": {"streaming_api": "wss://localhost:8123"}}, None),  # v1: snac2 names one it lacks
        ({"configuration": {"urls": {"streaming": "ftp://x"}}}, None),
        ({}, None),
    ],
)
def test_the_streaming_host_comes_from_the_instance(
    urls: dict[str, object], root: str | None
) -> None:
    assert streaming_root(urls) == root


# -- over the wire ---------------------------------------------------------------------------


@pytest.fixture
def wire() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True) as router:
        router.get(f"{BASE}/api/v2/instance").respond(200, json=load("instance"))
        router.get(f"{BASE}/api/v1/accounts/verify_credentials").respond(200, json=account_json())
        yield router


def test_watch_opens_the_notification_stream_on_the_streaming_host_with_the_token(
    wire: respx.MockRouter,
) -> None:
    mention = load("notifications")[0]
    backfill = wire.get(f"{BASE}/api/v1/notifications").respond(200, json=[])
    stream = wire.get(f"{STREAMING}/api/v1/streaming/user/notification").respond(
        200,
        headers={"Content-Type": "text/event-stream"},
        content=b":)\n" + sse("notification", mention),
    )
    client = Client(Mastodon(instance=BASE, access_token=TOKEN), retry=FAST)
    events = list(islice(client.watch(checkpoint="34975000", policy=QUICK), 1))
    assert [e.key for e in events] == ["34975861"]
    request = stream.calls[0].request
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    query = backfill.calls[0].request.url.params
    assert query.get_list("types[]") == ["mention", "quote"]
    assert query["since_id"] == "34975000"
    assert query["limit"] == "40"


@pytest.mark.anyio
async def test_async_watch_backfills_then_streams_and_yields_each_object_once(
    wire: respx.MockRouter,
) -> None:
    notes = load("notifications")
    wire.get(f"{BASE}/api/v1/notifications").respond(200, json=notes[1:])
    wire.get(f"{STREAMING}/api/v1/streaming/user/notification").respond(
        200,
        headers={"Content-Type": "text/event-stream"},
        content=sse("notification", notes[1]) + sse("notification", notes[0]),
    )
    async with AsyncClient(Mastodon(instance=BASE, access_token=TOKEN), retry=FAST) as client:
        keys = []
        async for event in client.watch(checkpoint="1", policy=QUICK):
            keys.append(event.key)
            if len(keys) == 3:
                break
    assert keys == ["34975400", "34975535", "34975861"]  # 34975535 also streamed: once


def test_a_refused_token_ends_the_watch(wire: respx.MockRouter) -> None:
    wire.get(f"{STREAMING}/api/v1/streaming/user/notification").respond(
        401, json={"error": "The access token is invalid"}
    )
    client = Client(Mastodon(instance=BASE, access_token=TOKEN), retry=FAST)
    with pytest.raises(AuthError):
        next(client.watch(checkpoint="1", policy=QUICK))


def test_the_token_never_goes_to_a_host_the_instance_did_not_name() -> None:
    platform = Mastodon(instance=BASE, access_token=TOKEN)
    assert platform.trusted_hosts == frozenset({"mastodon.example"})
