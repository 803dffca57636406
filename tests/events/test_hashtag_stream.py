"""Mastodon hashtag streams as a watch kind: watch(kinds={"keyword"}) follows
settings.stream_hashtag over /api/v1/streaming/hashtag?tag=, backfilled from the tag
timeline, on the sandbox (in process and over its WebSocket)."""

from __future__ import annotations

import json
import time

import anyio
import pytest
import websockets.sync.client as ws_client

from socialkit.client import AsyncClient, Client
from socialkit.errors import ConfigError
from socialkit.events import MentionEvent
from socialkit.events.watch import WatchPolicy
from socialkit.providers.mastodon import Mastodon
from socialkit.testing import Sandbox

QUICK = WatchPolicy(backoff_initial=0.01, backoff_max=0.05, heartbeat_timeout=5.0)


def tagged(sandbox: Sandbox) -> AsyncClient:
    platform = Mastodon(instance=sandbox.base_url, access_token="brand",
                        stream_hashtag="#SpringLaunch")
    return AsyncClient(platform, transport=sandbox.transport())


@pytest.mark.anyio
async def test_a_hashtag_watch_backfills_then_streams_tagged_posts() -> None:
    sandbox = Sandbox(seed=False)
    fan = sandbox.client("alice")
    before = fan.publish("first #SpringLaunch post")
    fan.publish("not tagged at all")
    events: list[MentionEvent] = []
    async with tagged(sandbox) as client:
        with anyio.fail_after(5):
            async for event in client.watch(kinds={"keyword"}, checkpoint="1", policy=QUICK):
                assert isinstance(event, MentionEvent)
                events.append(event)
                if len(events) == 1:
                    while sandbox.open_streams == 0:
                        await anyio.sleep(0.01)
                    fan.publish("untagged again")
                    live = fan.publish("second #springlaunch post")
                if len(events) == 2:
                    break
    assert [e.key for e in events] == [before.id, live.id]
    assert [e.mention.kind for e in events] == ["keyword", "keyword"]
    assert events[1].checkpoint == live.id
    stream = next(r for r in sandbox.requests if r.path == "/api/v1/streaming/hashtag")
    assert stream.query == (("tag", "SpringLaunch"),)


def test_the_tag_timeline_is_the_backfill() -> None:
    sandbox = Sandbox(seed=False)
    fan = sandbox.client("bob")
    old = fan.publish("#launch one")
    new = fan.publish("#launch two")
    with Client(Mastodon(instance=sandbox.base_url, access_token="brand",
                         stream_hashtag="launch"), transport=sandbox.transport()) as client:
        page = client.run(client.platform.backfill(frozenset({"keyword"}), old.id, None))
    assert [e.key for e in page.items] == [new.id]
    assert sandbox.requests[-1].path == "/api/v1/timelines/tag/launch"
    assert sandbox.requests[-1].param("since_id") == old.id


def test_keyword_needs_the_hashtag_setting_and_stands_alone() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.client() as client, pytest.raises(ConfigError, match="stream_hashtag"):
        next(iter(client.watch(kinds={"keyword"})))
    with Client(Mastodon(instance=sandbox.base_url, access_token="brand",
                         stream_hashtag="launch"), transport=sandbox.transport()) as client, \
            pytest.raises(ConfigError, match="on its own"):
        next(iter(client.watch(kinds={"keyword", "mention"})))


def test_the_websocket_serves_hashtag_streams_too() -> None:
    sandbox = Sandbox(seed=False)
    with sandbox.serve() as url:
        uri = url.replace("http", "ws") + "/api/v1/streaming?access_token=brand"
        with ws_client.connect(uri) as socket:
            socket.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "Launch"}))
            deadline = time.monotonic() + 5
            while sandbox.open_streams == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            sandbox.client("carol").publish("big #launch today")
            message = json.loads(socket.recv(timeout=5))
    assert (message["stream"], message["event"]) == (["hashtag", "Launch"], "update")
    assert "big" in json.loads(message["payload"])["content"]
