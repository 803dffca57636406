"""X's filtered stream as a watch source: newline-delimited posts with keep-alive lines,
backfill_minutes, de-duplication across reconnects, and the rules it filters by."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
import pytest
import respx

import socialkit as sk
from socialkit.errors import ConfigError, SocialkitError, Unsupported
from socialkit.events import MentionEvent
from socialkit.events.watch import WatchPolicy
from socialkit.providers.x.stream import decoder

from .conftest import FAST, make_platform

QUICK = WatchPolicy(backoff_initial=0.0, backoff_max=0.0, heartbeat_timeout=5.0)
USER = {"id": "6253282", "name": "Ada", "username": "ada"}


def tweet(ident: str, text: str) -> bytes:
    message = {
        "data": {"id": ident, "text": text, "author_id": USER["id"],
                 "created_at": "2026-12-07T14:00:00.000Z", "edit_history_tweet_ids": [ident]},
        "includes": {"users": [USER]},
        "matching_rules": [{"id": "1865000000000000001", "tag": "brand"}],
    }
    return json.dumps(message).encode() + b"\r\n"


def test_keep_alives_are_dropped_and_split_lines_joined() -> None:
    stream = decoder()
    line = tweet("1865400000000000001", "socialkit rocks")
    assert list(stream.feed(b"\r\n\r\n" + line[:30])) == []
    (event,) = stream.feed(line[30:] + b"\r\n")
    assert isinstance(event, MentionEvent)
    assert (event.key, event.mention.kind, event.mention.text) == (
        "1865400000000000001", "keyword", "socialkit rocks")
    assert event.mention.author is not None
    assert event.mention.author.handle == "ada"
    assert event.raw["matching_rules"][0]["tag"] == "brand"


def test_an_error_message_in_the_stream_is_no_event() -> None:
    problem = {"errors": [{"title": "operational-disconnect", "type": "https://api.x.com"}]}
    assert list(decoder().feed(json.dumps(problem).encode() + b"\r\n")) == []


@pytest.mark.anyio
async def test_watch_streams_rule_matches_once_across_a_reconnect() -> None:
    first = b"\r\n" + tweet("101", "socialkit is great") + b"\r\n" + tweet("102", "socialkit?")
    # the reconnect's backfill_minutes re-sends 102 before the new 103
    second = tweet("102", "socialkit?") + tweet("103", "more socialkit")
    with respx.mock(base_url="https://api.x.com") as api:
        route = api.get("/2/tweets/search/stream").mock(side_effect=[
            httpx.Response(200, content=first), httpx.Response(200, content=second),
        ])
        platform = make_platform(bearer_token="app-token", stream_backfill_minutes=2)
        events: list[MentionEvent] = []
        async with sk.AsyncClient(platform, retry=FAST, http="httpx") as client:
            client._sleep = _no_sleep  # type: ignore[method-assign]
            with anyio.fail_after(5):
                async for event in client.watch(kinds={"keyword"}, policy=QUICK):
                    assert isinstance(event, MentionEvent)
                    events.append(event)
                    if len(events) == 3:
                        break
    assert [e.key for e in events] == ["101", "102", "103"]
    request = route.calls[0].request
    assert request.headers["authorization"] == "Bearer app-token"
    assert request.url.params["backfill_minutes"] == "2"
    assert "author_id" in request.url.params["expansions"]


async def _no_sleep(seconds: float) -> None:
    return None


def test_the_sync_client_reads_the_filtered_stream() -> None:
    with respx.mock(base_url="https://api.x.com") as api:
        route = api.get("/2/tweets/search/stream").respond(content=tweet("201", "socialkit"))
        with sk.Client(make_platform(bearer_token="app-token"), retry=FAST) as client:
            event = next(iter(client.watch(kinds={"keyword"}, policy=QUICK)))
    assert event.key == "201"
    assert "backfill_minutes" not in route.calls[0].request.url.params


def test_the_filtered_stream_is_watched_on_its_own() -> None:
    with sk.Client(make_platform(bearer_token="app-token")) as client, pytest.raises(
        ConfigError, match="on its own"
    ):
        next(iter(client.watch(kinds={"keyword", "mention"})))


def test_a_platform_without_a_keyword_stream_says_so() -> None:
    from socialkit.providers.bluesky import Bluesky

    bluesky = Bluesky(handle="brand.bsky.social", app_password="abcd-efgh-ijkl-mnop")
    with sk.Client(bluesky) as client, pytest.raises(Unsupported, match="filtered stream"):
        next(iter(client.watch(kinds={"keyword"})))


def rules_api(api: respx.MockRouter, existing: list[dict[str, Any]]) -> list[Any]:
    """GET lists ``existing``; POST applies adds and deletes to it; the bodies sent."""
    sent: list[Any] = []

    def post(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        for ident in body.get("delete", {}).get("ids", []):
            existing[:] = [r for r in existing if r["id"] != ident]
        for n, rule in enumerate(body.get("add", [])):
            existing.append({"id": f"99{n}", **rule})
        return httpx.Response(200, json={"meta": {"sent": "2026-12-07T14:00:00.000Z"}})

    api.get("/2/tweets/search/stream/rules").mock(
        side_effect=lambda request: httpx.Response(200, json={"data": list(existing)})
    )
    api.post("/2/tweets/search/stream/rules").mock(side_effect=post)
    return sent


def test_set_stream_rules_deletes_the_stale_and_adds_the_missing() -> None:
    existing = [{"id": "1", "value": "old brand name", "tag": "old"},
                {"id": "2", "value": "socialkit -is:retweet", "tag": "brand"}]
    with respx.mock(base_url="https://api.x.com") as api:
        sent = rules_api(api, existing)
        platform = make_platform(bearer_token="app-token")
        with sk.Client(platform, retry=FAST) as client:
            rules = client.run(platform.set_stream_rules({
                "brand": "socialkit -is:retweet", "crisis": "socialkit (refund OR scam)",
            }))
    assert sent == [
        {"delete": {"ids": ["1"]}},
        {"add": [{"value": "socialkit (refund OR scam)", "tag": "crisis"}]},
    ]
    assert sorted(rules.values()) == ["socialkit (refund OR scam)", "socialkit -is:retweet"]


def test_a_refused_rule_is_an_error_with_x_reason() -> None:
    with respx.mock(base_url="https://api.x.com") as api:
        api.get("/2/tweets/search/stream/rules").respond(json={"meta": {"result_count": 0}})
        api.post("/2/tweets/search/stream/rules").respond(json={
            "errors": [{"title": "UnprocessableEntity", "detail": "unbalanced parentheses",
                        "value": "socialkit (oops"}]})
        platform = make_platform(bearer_token="app-token")
        with sk.Client(platform, retry=FAST) as client, pytest.raises(
            SocialkitError, match="unbalanced parentheses"
        ):
            client.run(platform.set_stream_rules({"bad": "socialkit (oops"}))
