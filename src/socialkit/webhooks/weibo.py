"""Weibo's message push service (消息推送服务): mentions and private messages.

The URL check is ``GET ?signature=&timestamp=&nonce=&echostr=``, answered with
``echostr`` when ``signature`` is the hex SHA-1 of the app secret, ``timestamp`` and
``nonce`` sorted as strings and joined (the doc's example: app secret ``xyz123xyz``,
timestamp ``1397022061823``, nonce ``57155157`` give
``90e4c22c90a58f26526c2dd5b6c56c8822edeaa1``). Every push carries the same three
parameters, checked the same way.

Uncertain (the doc says no more): the signature covers the app secret, timestamp and
nonce only, not the body, so it proves the sender knows the secret but not that the body
is the one Weibo sent; and the unit of ``timestamp`` (the example is in milliseconds) is
not stated, so ``tolerance`` is off by default and, when set, reads a 13-digit stamp as
milliseconds. Pushes carry no message id; the doc recommends sender + creation time,
which is the key here (a mention is keyed by its status or comment id).

A push is JSON ``{type, receiver_id, sender_id, created_at, text, data}``: ``mention``
(``data.subtype`` ``status``/``comment``, ``data.key`` the status or comment id →
`MentionEvent` of kind ``mention``), ``text``/``image``/``voice``/``position`` private
messages (→ `MentionEvent` of kind ``message``); ``event`` (follow, subscribe, scan) is
skipped. The answer is an empty 200 (no passive reply).
https://open.weibo.com/wiki/消息推送服务 (also .../接收普通消息 and .../接收事件推送)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..events.types import MentionEvent
from ..models import Account, Mention, native_id
from ..providers.weibo.parse import status_url
from .receiver import MalformedDelivery, Parsed, Receipt, Receiver, json_body, same, text_answer

__all__ = ["WeiboReceiver", "weibo_signature"]

_MESSAGES = frozenset({"text", "image", "voice", "position"})


def weibo_signature(app_secret: str, timestamp: str, nonce: str) -> str:
    """The hex SHA-1 of the app secret, timestamp and nonce, sorted and joined."""
    return hashlib.sha1("".join(sorted((app_secret, timestamp, nonce))).encode()).hexdigest()


class WeiboReceiver(Receiver):
    """Receives the pushes of Weibo's message push service for one app.

    Args:
        app_secret: The App Secret of the app named in 粉丝服务 → 开发模式.
        tolerance: If set, how many seconds ``timestamp`` may differ from now (see the
            module's note on its unit).
        clock: The time source (for tests).
        max_body: The largest accepted body in bytes.
        seen: Where delivery keys are remembered.
    """

    platform = "weibo"

    def __init__(
        self,
        app_secret: str,
        *,
        tolerance: float | None = None,
        clock: Callable[[], float] = time.time,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self._secret = app_secret
        self.tolerance = tolerance
        self._clock = clock

    def _signed(self, query: Mapping[str, str]) -> bool:
        stamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if not stamp or not nonce:
            return False
        if self.tolerance is not None:
            if not stamp.isdigit():
                return False
            seconds = int(stamp) / 1000 if len(stamp) >= 13 else int(stamp)
            if abs(self._clock() - seconds) > self.tolerance:
                return False
        return same(weibo_signature(self._secret, stamp, nonce), query.get("signature"))

    def handshake(self, query: Mapping[str, str]) -> Receipt:
        """Echo ``echostr`` when the signature is right."""
        echo = query.get("echostr")
        if echo is None or not self._signed(query):
            return Receipt(403, reason="bad signature")
        return text_answer(echo)

    def verify(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> bool:
        """The query's ``signature`` over the app secret, ``timestamp`` and ``nonce``."""
        return self._signed(query)

    def parse(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> Parsed:
        """A mention or a private message; events are skipped."""
        payload = json_body(body)
        if not isinstance(payload, Mapping) or not isinstance(payload.get("type"), str):
            raise MalformedDelivery("no message type")
        kind = payload["type"]
        if kind != "mention" and kind not in _MESSAGES:
            return []
        sender = native_id(payload["sender_id"])
        receiver = payload.get("receiver_id")
        raw_data = payload.get("data")
        data: Mapping[str, Any] = raw_data if isinstance(raw_data, Mapping) else {}
        created = _time(payload.get("created_at"))
        if kind == "mention":
            ident = native_id(data["key"])
            subtype = data.get("subtype")
            mention = Mention(
                platform="weibo",
                id=ident,
                kind="mention",
                author=Account(platform="weibo", id=sender, handle=sender),
                text=str(payload.get("text") or ""),
                created_at=created,
                url=status_url(sender, ident) if subtype == "status" and ident.isdigit() else None,
                post_id=ident if subtype == "status" else None,
                raw=payload,
            )
            key = f"mention:{subtype}:{ident}"
        else:
            ident = f"{sender}:{payload.get('created_at')}:{kind}"
            mention = Mention(
                platform="weibo",
                id=ident,
                kind="message",
                author=Account(platform="weibo", id=sender, handle=sender),
                text=str(payload.get("text") or ""),
                created_at=created,
                raw=payload,
            )
            key = f"message:{ident}"
        event = MentionEvent(platform="weibo", key=ident, mention=mention,
                             account_id=native_id(receiver) if receiver else None, raw=payload)
        return [(key, event)]


def _time(value: Any) -> datetime | None:
    """Weibo's ``Mon Jul 16 18:09:20 +0800 2012`` as aware UTC."""
    if not isinstance(value, str) or not value:
        return None
    return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
