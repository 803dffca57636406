"""Bluesky Jetstream: the network's posts as JSON over a WebSocket, mentions found here.

``GET wss://<jetstream>/subscribe?wantedCollections=app.bsky.feed.post`` streams one JSON
object per message: ``{"did", "time_us", "kind": "commit", "commit": {"operation":
"create", "collection", "rkey", "record", "cid", "rev"}}`` (``time_us`` is the
replay ``cursor``, unix microseconds). Jetstream cannot filter by who is mentioned
(``wantedDids`` filters authors), so every post is read and a mention of the account
is recognised client-side, as the account's notifications would name it:

- ``reply``: ``record.reply.parent.uri`` or ``reply.root.uri`` is in the account's repo;
- ``quote``: ``record.embed.record.uri`` (or, with media, ``embed.record.record.uri``)
  is in the account's repo;
- ``mention``: a ``app.bsky.richtext.facet#mention`` facet has the account's DID.

The event key is the post's ``at://`` URI, the id `listNotifications` (the backfill)
gives the same mention, so a post seen by both is one event. The watch checkpoint stays
the backfill's (a notification's URI): every (re)connect reads the stream live and
backfills by REST. zstd compression (``compress=true``) is not requested.
References: https://github.com/bluesky-social/jetstream-legacy (README: subscribe
parameters and event shapes), https://docs.bsky.app/docs/advanced-guides/firehose.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from ...events.stream import JsonLinesDecoder
from ...events.types import MentionEvent
from ...models import Account, Mention, MentionKind
from .parse import parse_datetime

__all__ = ["DEFAULT_JETSTREAM", "HEARTBEAT", "decoder", "mention_of", "subscribe_url"]

logger = logging.getLogger("socialkit.events")

DEFAULT_JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"
"""A public Jetstream instance run by Bluesky."""
HEARTBEAT = 10.0
"""Jetstream sends no keep-alive, but the whole network's posts never pause for long."""
POST = "app.bsky.feed.post"


def subscribe_url(endpoint: str, cursor_us: int | None = None) -> str:
    """The subscribe URL for posts, from ``cursor_us`` (unix microseconds) when given."""
    params: list[tuple[str, str]] = [("wantedCollections", POST)]
    if cursor_us is not None:
        params.append(("cursor", str(cursor_us)))
    return f"{endpoint}?{urlencode(params)}"


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _in_repo(uri: Any, did: str) -> bool:
    return isinstance(uri, str) and uri.startswith(f"at://{did}/")


def _kind(record: Mapping[str, Any], did: str) -> MentionKind | None:
    reply = _map(record.get("reply"))
    if _in_repo(_map(reply.get("parent")).get("uri"), did) or _in_repo(
        _map(reply.get("root")).get("uri"), did
    ):
        return "reply"
    embed = _map(record.get("embed"))
    quoted = _map(embed.get("record"))
    if _in_repo(quoted.get("uri"), did) or _in_repo(_map(quoted.get("record")).get("uri"), did):
        return "quote"
    for facet in record.get("facets") or []:
        for feature in _map(facet).get("features") or []:
            feature = _map(feature)
            if feature.get("$type") == "app.bsky.richtext.facet#mention" and feature.get(
                "did"
            ) == did:
                return "mention"
    return None


def mention_of(message: Mapping[str, Any], did: str) -> MentionEvent | None:
    """The mention of ``did`` a Jetstream message carries, if any (own posts are not)."""
    commit = _map(message.get("commit"))
    author = message.get("did")
    if message.get("kind") != "commit" or commit.get("operation") != "create":
        return None
    if commit.get("collection") != POST or not isinstance(author, str) or author == did:
        return None
    record = _map(commit.get("record"))
    kind = _kind(record, did)
    rkey = commit.get("rkey")
    if kind is None or not isinstance(rkey, str):
        return None
    uri = f"at://{author}/{POST}/{rkey}"
    stamp = message.get("time_us")
    seen = datetime.fromtimestamp(stamp / 1e6, UTC) if isinstance(stamp, int) else None
    mention = Mention(
        platform="bluesky",
        id=uri,
        kind=kind,
        author=Account(platform="bluesky", id=author, handle=author),
        text=str(record.get("text") or ""),
        created_at=parse_datetime(record.get("createdAt")) or seen,
        url=f"https://bsky.app/profile/{author}/post/{rkey}",
        post_id=uri,
        raw=dict(message),
    )
    return MentionEvent(platform="bluesky", key=uri, mention=mention, raw=dict(message))


def decoder(did: str) -> JsonLinesDecoder:
    """Jetstream messages (one per line, as the driver hands them) → mentions of ``did``."""
    return JsonLinesDecoder(lambda message: mention_of(message, did), "jetstream")
