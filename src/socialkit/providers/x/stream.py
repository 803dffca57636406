"""X's filtered stream (API v2): posts matching the app's rules, as they are posted.

``GET /2/tweets/search/stream`` (app-only bearer token) keeps the connection open and
writes one JSON object per line, ``{"data": <post>, "includes": {...},
"matching_rules": [{"id", "tag"}]}``, separated by ``\\r\\n``; a bare ``\\r\\n`` every 20
seconds is the keep-alive. ``backfill_minutes`` (0-5, on the tiers that have it)
re-sends what was posted during a disconnection of up to five minutes. The rules live
on X: ``GET /2/tweets/search/stream/rules`` lists them, ``POST`` with ``{"add":
[{"value", "tag"}]}`` or ``{"delete": {"ids": [...]}}`` changes them.
Reference: the X API v2 OpenAPI (``/2/tweets/search/stream``,
``/2/tweets/search/stream/rules``), https://docs.x.com/x-api/posts/filtered-stream/introduction
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ...events.stream import JsonLinesDecoder
from ...events.types import MentionEvent
from ...models import Mention
from . import parse

__all__ = ["HEARTBEAT", "STREAM", "decoder", "keyword_event"]

logger = logging.getLogger("socialkit.events")

STREAM = "/2/tweets/search/stream"
RULES = "/2/tweets/search/stream/rules"
HEARTBEAT = 20.0
"""X writes a keep-alive ``\\r\\n`` every 20 seconds."""


def keyword_event(message: Mapping[str, Any]) -> MentionEvent | None:
    """A streamed post as a keyword `MentionEvent` (``None`` for an error message)."""
    data = message.get("data")
    if not isinstance(data, Mapping) or "id" not in data:
        if message.get("errors"):
            logger.warning("x filtered stream: %s", message["errors"])
        return None
    post = parse.post(data, parse.Includes.of(message))
    mention = Mention(
        platform="x", id=post.id, kind="keyword", author=post.author, text=post.text,
        created_at=post.created_at, url=post.url, post_id=post.id, raw=dict(message),
    )
    return MentionEvent(platform="x", key=post.id, mention=mention, raw=dict(message))


def decoder() -> JsonLinesDecoder:
    """Lines of the filtered stream → keyword events; keep-alive lines are dropped."""
    return JsonLinesDecoder(keyword_event, "x filtered stream")
