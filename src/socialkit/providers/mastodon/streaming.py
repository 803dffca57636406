"""Mastodon's streaming API (server-sent events) → socialkit events, with no I/O.

Reference: https://docs.joinmastodon.org/methods/streaming/ (checked against
abraham/mastodon-openapi, ``/api/v1/streaming/user`` and ``/user/notification``):
each message is ``event: <name>`` plus ``data: <payload>``; ``update`` and
``status.update`` carry a Status, ``notification`` a Notification (JSON), ``delete``
the id of the deleted status; comment lines (``:thump``) are heartbeats, about
every 15 s. The streaming server may live on another host, given by the v2 instance
as ``configuration.urls.streaming`` (``wss://``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping
from typing import Any

from ...events.stream import SSEDecoder
from ...events.types import Event, MentionEvent, PostEvent, ReactionEvent
from ...models import Mention, native_id
from . import parse

__all__ = [
    "HEARTBEAT",
    "MastodonDecoder",
    "keyword_event",
    "notification_event",
    "notification_types",
    "stream_path",
    "streaming_root",
]

logger = logging.getLogger("socialkit.mastodon")

HEARTBEAT = 15.0
"""Seconds between the streaming server's ``:thump`` comments."""

_REACTIONS = {"favourite": "like", "reblog": "share"}


def notification_types(kinds: Collection[str]) -> list[str]:
    """The notification ``types[]`` that carry ``kinds``."""
    types: list[str] = []
    if "mention" in kinds:
        types += ["mention", "quote"]
    if "reaction" in kinds:
        types += list(_REACTIONS)
    return types


def stream_path(kinds: Collection[str]) -> str:
    """``/api/v1/streaming/user`` when posts are wanted (it adds the home timeline's
    ``update``/``delete``/``status.update``), ``/hashtag`` (``?tag=``) for ``"keyword"``,
    else ``/user/notification``."""
    if "keyword" in kinds:
        return "/api/v1/streaming/hashtag"
    return "/api/v1/streaming/user" if "post" in kinds else "/api/v1/streaming/user/notification"


def keyword_event(status: Mapping[str, Any]) -> MentionEvent:
    """A status of a hashtag stream or timeline as a keyword `MentionEvent`; the key and
    the checkpoint are the status id (the hashtag timeline's ``since_id``)."""
    post = parse.post(status)
    mention = Mention(
        platform=parse.PLATFORM, id=post.id, kind="keyword", author=post.author,
        text=post.text, created_at=post.created_at, url=post.url, post_id=post.id,
        raw=dict(status),
    )
    return MentionEvent(platform=parse.PLATFORM, key=post.id, checkpoint=post.id,
                        mention=mention, raw=dict(status))


def streaming_root(instance: Mapping[str, Any]) -> str | None:
    """The streaming server's origin from a v2 Instance (``configuration.urls.streaming``),
    as ``http(s)://``. The v1 ``urls.streaming_api`` is not believed: compatible servers
    without the v2 endpoint advertise one they do not serve (snac2 names
    ``wss://localhost:port`` and answers 404 there), so they get the instance's origin."""
    config = instance.get("configuration")
    urls = config.get("urls") if isinstance(config, Mapping) else None
    if not isinstance(urls, Mapping):
        return None
    value = urls.get("streaming")
    if not isinstance(value, str) or "://" not in value:
        return None
    scheme, _, rest = value.partition("://")
    scheme = {"wss": "https", "ws": "http"}.get(scheme.lower(), scheme.lower())
    if scheme not in ("http", "https") or not rest.strip("/"):
        return None
    return f"{scheme}://{rest.rstrip('/')}"


def notification_event(
    data: Mapping[str, Any], me_id: str | None, kinds: Collection[str]
) -> Event | None:
    """A Notification as a `MentionEvent` or `ReactionEvent` (``None``: not one of ``kinds``).

    The key and the checkpoint are the notification's id, the same whether the
    notification came from the stream or from ``GET /api/v1/notifications``.
    """
    note_id = native_id(data["id"])
    common: dict[str, Any] = {
        "platform": parse.PLATFORM,
        "key": note_id,
        "checkpoint": note_id,
        "raw": data,
    }
    kind = data.get("type")
    if "mention" in kinds:
        mention = parse.mention(data, me_id)
        if mention is not None:
            return MentionEvent(mention=mention, **common)
    status = data.get("status")
    if "reaction" in kinds and kind in _REACTIONS and isinstance(status, Mapping):
        author = data.get("account")
        return ReactionEvent(
            reaction=_REACTIONS[str(kind)],
            post_id=native_id(status["id"]),
            author=parse.account(author) if isinstance(author, Mapping) else None,
            **common,
        )
    return None


class MastodonDecoder:
    """Server-sent bytes → events of ``kinds``; a message that cannot be read is
    logged and skipped (the backfill after the next reconnect covers it)."""

    def __init__(self, kinds: Collection[str], me_id: str | None) -> None:
        self.kinds = frozenset(kinds)
        self.me_id = me_id
        self._sse = SSEDecoder()

    def feed(self, chunk: bytes) -> list[Event]:
        """The events completed by ``chunk``."""
        events: list[Event] = []
        for message in self._sse.feed(chunk):
            try:
                event = self._event(message.event, message.data)
            except (KeyError, TypeError, ValueError, RecursionError) as exc:
                logger.warning(
                    "mastodon stream: unreadable %r event (%s)", message.event, type(exc).__name__
                )
                continue
            if event is not None:
                events.append(event)
        return events

    def _event(self, name: str, data: str) -> Event | None:
        if "keyword" in self.kinds:
            return keyword_event(_object(data)) if name == "update" else None
        if name == "notification":
            return notification_event(_object(data), self.me_id, self.kinds)
        if "post" not in self.kinds:
            return None
        if name == "delete":
            post_id = native_id(_id(data))
            return PostEvent(
                platform=parse.PLATFORM,
                key=post_id,
                status="deleted",
                post_id=post_id,
                raw={"id": post_id},
            )
        if name in ("update", "status.update"):
            status = _object(data)
            post = parse.post(status)
            return PostEvent(
                platform=parse.PLATFORM,
                key=native_id(status["id"]),
                status="edited" if name == "status.update" else "created",
                post_id=post.id,
                post=post,
                raw=status,
            )
        return None


def _object(data: str) -> Mapping[str, Any]:
    value = json.loads(data)
    if not isinstance(value, Mapping):
        raise TypeError("expected a JSON object")
    return value


def _id(data: str) -> Any:
    """``delete`` sends the bare id; some servers send it as a JSON string."""
    try:
        return json.loads(data)
    except ValueError:
        return data.strip()
