"""WeChat Official Account pushes on the receiver interface: a thin adapter.

`WeChatWebhook` (``socialkit.providers.wechat``) does the work: signature (and, in safe
mode, ``msg_signature`` over the encrypted payload, which is why the envelope's XML is
read before the check), timestamp window, decryption, defusedxml parsing, ``MsgId``
de-duplication and passive replies. This adapter turns its result into a `Receipt`:
follower messages become `MentionEvent`s of kind ``message``, a ``PUBLISHJOBFINISH``
event a `PostEvent` (``published`` with the article id, or ``failed``), and the push's key goes
through the receiver's `SeenStore` too, so a shared store de-duplicates across
processes; `forget` lets WeChat's retry through after a failed handler.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from ..events.types import MentionEvent, PostEvent
from ..models import Mention
from ..providers.wechat.webhook import WebhookResult, WeChatWebhook
from .receiver import MAX_BODY, AnyEventT, MemorySeenStore, Receipt, SeenStore

__all__ = ["WeChatReceiver"]


class WeChatReceiver:
    """Receives the pushes to an Official Account's server URL (服务器地址).

    Args:
        webhook: The configured `WeChatWebhook` (token, EncodingAESKey, AppID).
        answer: Returns a passive reply's text for a follower message, or ``None``.
        max_body: The largest accepted body in bytes.
        seen: Where delivery keys are remembered.
    """

    platform = "wechat"

    def __init__(
        self,
        webhook: WeChatWebhook,
        answer: Callable[[Mention], str | None] | None = None,
        *,
        max_body: int = MAX_BODY,
        seen: SeenStore | None = None,
    ) -> None:
        self.webhook = webhook
        self.answer = answer
        self.max_body = max_body
        self.seen: SeenStore = seen if seen is not None else MemorySeenStore()

    def __repr__(self) -> str:
        return f"WeChatReceiver({self.webhook!r})"

    def receive(
        self,
        method: str,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        body: bytes,
    ) -> Receipt:
        """Answer one request: the URL check (``GET`` with ``echostr``) or a push."""
        verb = method.upper()
        if verb == "GET":
            return _receipt(self.webhook.handle(query, b""))
        if verb != "POST":
            return Receipt(405, headers={"allow": "GET, POST"}, reason="method not allowed")
        if len(body) > self.max_body:
            return Receipt(400, reason="body too large")
        if not body:
            return Receipt(400, reason="empty push")
        result = self.webhook.handle(query, body, answer=self.answer)
        receipt = _receipt(result)
        if not receipt.ok:
            return receipt
        events = _events(result)
        if not events or result.key is None:
            duplicates = 1 if result.reason == "duplicate" else 0
            return attrs.evolve(receipt, duplicates=duplicates)
        key = f"{self.platform}:{result.key}"
        if not self.seen.add(key):
            return attrs.evolve(receipt, duplicates=len(events))
        return attrs.evolve(receipt, events=tuple(events), keys=(key,))

    def forget(self, receipt: Receipt) -> None:
        """Forget a receipt's keys, here and in the webhook's own ``MsgId`` memory, so that
        WeChat's retry is processed again."""
        prefix = f"{self.platform}:"
        for key in receipt.keys:
            self.seen.discard(key)
            self.webhook.forget(key.removeprefix(prefix))


def _receipt(result: WebhookResult) -> Receipt:
    """The answer, with 413 (too large) reported as 400 like every receiver."""
    status = 400 if result.status == 413 else result.status
    body = result.body if status == 200 else b""
    headers = {"content-type": result.content_type} if body else {}
    return Receipt(status, body, headers, reason=result.reason)


def _events(result: WebhookResult) -> list[AnyEventT]:
    events: list[AnyEventT] = [
        MentionEvent(platform="wechat", key=mention.id, mention=mention,
                     account_id=_to_user(mention), raw=mention.raw)
        for mention in result.mentions
    ]
    fields = result.event
    if fields and fields.get("Event") == "PUBLISHJOBFINISH" and fields.get("publish_id"):
        ok = fields.get("publish_status") == "0"
        events.append(
            PostEvent(
                platform="wechat",
                key=fields["publish_id"],
                status="published" if ok else "failed",
                post_id=fields.get("article_id") or None if ok else None,
                publish_id=fields["publish_id"],
                reason=None if ok else f"publish status {fields.get('publish_status')}",
                account_id=fields.get("ToUserName") or None,
                raw=dict(fields),
            )
        )
    return events


def _to_user(mention: Mention) -> str | None:
    raw = mention.raw or {}
    value = raw.get("ToUserName")
    return str(value) if value else None
