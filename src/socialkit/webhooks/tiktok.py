"""TikTok webhooks: the Content Posting API's post status events.

Deliveries carry ``TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(client secret,
f"{t}.{body}")>``; a timestamp outside the tolerance is refused like a bad signature
(a replayed old delivery). TikTok has no URL handshake. The body is
``{client_key, event, create_time, user_openid, content}`` where ``content`` is a JSON
string: ``post.publish.complete`` (→ `PostEvent` ``published``),
``post.publish.publicly_available`` (``publicly_available``, with the public ``post_id``:
the first place it appears), ``post.publish.failed`` (``failed``, with ``reason``),
``post.publish.no_longer_publicaly_available`` (sic; → ``deleted``); other events are
skipped. A replay is recognised by (event, ``publish_id``, ``create_time``). These events
end the publish-status polling early. TikTok retries for up to 72 hours.
https://developers.tiktok.com/doc/webhooks-verification and
https://developers.tiktok.com/doc/webhooks-events
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..events.types import PostEvent, PostStatus
from ..models import native_id
from .receiver import MalformedDelivery, Parsed, Receipt, Receiver, hmac_sha256, json_body, same

__all__ = ["TikTokReceiver", "tiktok_signature"]

_STATUS: dict[str, PostStatus] = {
    "post.publish.complete": "published",
    "post.publish.publicly_available": "publicly_available",
    "post.publish.failed": "failed",
    "post.publish.no_longer_publicaly_available": "deleted",
    "post.publish.no_longer_publicly_available": "deleted",
}


def tiktok_signature(client_secret: str, timestamp: int, body: bytes) -> str:
    """The ``TikTok-Signature`` TikTok sends with ``body`` at ``timestamp``."""
    signed = hmac_sha256(client_secret, str(timestamp).encode() + b"." + body).hex()
    return f"t={timestamp},s={signed}"


class TikTokReceiver(Receiver):
    """Receives the webhooks of one TikTok app.

    Args:
        client_secret: The app's client secret.
        tolerance: How many seconds the signature's timestamp may differ from now.
        clock: The time source (for tests).
        max_body: The largest accepted body in bytes.
        seen: Where delivery keys are remembered.
    """

    platform = "tiktok"

    def __init__(
        self,
        client_secret: str,
        *,
        tolerance: float = 300.0,
        clock: Callable[[], float] = time.time,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._secret = client_secret
        self.tolerance = tolerance
        self._clock = clock

    def handshake(self, query: Mapping[str, str]) -> Receipt:
        """TikTok verifies no URL: a ``GET`` is not allowed."""
        return Receipt(405, headers={"allow": "POST"}, reason="TikTok sends POST only")

    def verify(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> bool:
        """``t`` within the tolerance and ``s`` the HMAC of ``f"{t}.{body}"``."""
        parts: dict[str, str] = {}
        for element in headers.get("tiktok-signature", "").split(","):
            name, _, value = element.strip().partition("=")
            parts[name] = value
        stamp = parts.get("t", "")
        if not stamp.isdigit() or abs(self._clock() - int(stamp)) > self.tolerance:
            return False
        expected = hmac_sha256(self._secret, stamp.encode() + b"." + body).hex()
        return same(expected, parts.get("s"))

    def parse(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> Parsed:
        """The post status event of the delivery, if it is one."""
        payload = json_body(body)
        if not isinstance(payload, Mapping) or not isinstance(payload.get("event"), str):
            raise MalformedDelivery("no event name")
        status = _STATUS.get(payload["event"])
        if status is None:
            return []
        content = payload.get("content")
        try:
            details = json.loads(content) if isinstance(content, str) else content
        except ValueError as exc:
            raise MalformedDelivery("content is not JSON") from exc
        if not isinstance(details, Mapping):
            raise MalformedDelivery("content is not an object")
        publish_id = native_id(details["publish_id"])
        post_id = details.get("post_id")
        reason = details.get("reason") if status == "failed" else None
        event = PostEvent(
            platform="tiktok",
            key=publish_id,
            status=status,
            post_id=native_id(post_id) if post_id else None,
            publish_id=publish_id,
            reason=str(reason) if reason is not None else None,
            account_id=payload.get("user_openid") or None,
            raw=payload,
        )
        key = f"{payload['event']}:{publish_id}:{payload.get('create_time')}"
        return [(key, event)]
