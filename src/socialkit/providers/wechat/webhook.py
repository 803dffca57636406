"""The message push (消息推送) of an Official Account, framework-agnostic.

```python
hook = WeChatWebhook(token="...", encoding_aes_key="...", app_id="wx...")

def view(request):                       # any framework
    result = hook.handle(request.query, request.body, answer=lambda m: "收到，稍后回复您")
    for mention in result.mentions:       # typed Mentions of kind "message"
        inbox.add(mention)
    return Response(result.body, status=result.status, content_type=result.content_type)
```

`handle` checks the signature (``msg_signature`` over the encrypted payload in safe
mode), refuses timestamps outside the tolerance window and repeated ``MsgId``s,
decrypts safe-mode messages, and parses the XML with defusedxml (no DTDs, no
entities). It answers ``success`` (or a passive reply, encrypted in safe mode, when
``answer`` returns text), within WeChat's 5-second window; slower answers go through
``WeChat.send_message`` (客服消息, within 48 hours of the follower's message).
Source: https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
and .../Passive_user_reply_message.html.
"""

from __future__ import annotations

import os
import threading
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ...errors import ConfigError
from ...models import Account, Mention
from .crypto import CryptoError, MessageCipher, sign, signature_matches
from .parse import timestamp

__all__ = ["WeChatWebhook", "WebhookResult", "passive_text"]

PLATFORM = "wechat"
_UNSAFE = (ET.ParseError, ValueError)  # defusedxml's refusals (DTDs, entities) are ValueErrors
_TEXT_OF = {"link": ("Title", "Url"), "location": ("Label",), "voice": ("Recognition",)}


@attrs.frozen
class WebhookResult:
    """What to answer WeChat, and what the push carried.

    Attributes:
        status: The HTTP status to answer with (200, or 400/403/413 for a refused push).
        body: The response body: ``success``, the ``echostr`` of a URL check, or a
            passive reply.
        content_type: The response's content type.
        mentions: The follower messages, as `Mention`s of kind ``message``.
        event: The fields of an event push (subscribe, PUBLISHJOBFINISH, ...), if it was one.
        reason: Why the push was refused or ignored (``duplicate``), for logs.
        key: The push's de-duplication key (its ``MsgId``, or who, when and which event),
            for `WeChatWebhook.forget`.
    """

    status: int
    body: bytes = b"success"
    content_type: str = "text/plain; charset=utf-8"
    mentions: tuple[Mention, ...] = ()
    event: Mapping[str, str] | None = None
    reason: str | None = None
    key: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the push was accepted."""
        return self.status == 200


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def passive_text(to_user: str, from_user: str, text: str, created: int | None = None) -> bytes:
    """A passive text reply (被动回复) as WeChat expects it."""
    return (
        f"<xml><ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime>"
        f"<MsgType>{_cdata('text')}</MsgType><Content>{_cdata(text)}</Content></xml>"
    ).encode()


class _Seen:
    """The most recent message keys, to drop WeChat's retries and replays."""

    def __init__(self, size: int) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """Remember ``key``; False when it was already there."""
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return False
            self._keys[key] = None
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)
            return True

    def discard(self, key: str) -> None:
        """Forget ``key``."""
        with self._lock:
            self._keys.pop(key, None)


class WeChatWebhook:
    """Verifies, decrypts and parses the pushes to the server URL (服务器地址(URL)).

    Args:
        token: The Token (令牌) set under 设置与开发 → 基本配置 → 服务器配置.
        encoding_aes_key: The EncodingAESKey (消息加解密密钥); give it in safe mode
            (安全模式), where every push must then be encrypted.
        app_id: The AppID, which every encrypted payload must name.
        tolerance: How many seconds a push's timestamp may differ from now.
        remember: How many message keys are kept to refuse repeats (per process; use
            one handler per process and a shared store in front for several).
        clock: The time source (for tests).
    """

    def __init__(
        self,
        token: str,
        encoding_aes_key: str | None = None,
        app_id: str = "",
        *,
        tolerance: float = 300.0,
        remember: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _safe_parser()  # fail at setup, not on the first push, when defusedxml is missing
        if encoding_aes_key and not app_id:
            raise ConfigError(
                "safe mode checks the AppID inside every payload: give app_id",
                field="app_id",
                platform=PLATFORM,
            )
        self._token = token
        self._cipher = MessageCipher(encoding_aes_key, app_id) if encoding_aes_key else None
        self.app_id = app_id
        self.tolerance = tolerance
        self.max_body = 1024 * 1024
        self._seen = _Seen(remember)
        self._clock = clock

    def __repr__(self) -> str:
        mode = "safe" if self._cipher else "plain"
        return f"WeChatWebhook(app_id={self.app_id!r}, mode={mode!r})"

    def handle(
        self,
        query: Mapping[str, str],
        body: bytes,
        answer: Callable[[Mention], str | None] | None = None,
    ) -> WebhookResult:
        """Check and read one push; ``answer`` may return a passive reply's text."""
        stamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if not self._recent(stamp):
            return WebhookResult(403, b"", reason="timestamp outside the tolerance window")
        if len(body) > self.max_body:
            return WebhookResult(413, b"", reason="body too large")
        if "echostr" in query and not body:
            if not signature_matches(query.get("signature"), self._token, stamp, nonce):
                return WebhookResult(403, b"", reason="bad signature")
            return WebhookResult(200, query["echostr"].encode())
        fields, refused = self._read(query, body, stamp, nonce)
        if refused is not None:
            return refused
        key = _dedupe_key(fields)
        if not self._seen.add(key):
            return WebhookResult(200, reason="duplicate", key=key)
        if fields.get("MsgType") == "event":
            return WebhookResult(200, event=fields, key=key)
        mention = _mention(fields)
        text = answer(mention) if answer else None
        if not text:
            return WebhookResult(200, mentions=(mention,), key=key)
        reply = passive_text(fields.get("FromUserName", ""), fields.get("ToUserName", ""), text)
        return WebhookResult(
            200,
            self._seal(reply, stamp, nonce) if self._cipher else reply,
            "application/xml; charset=utf-8",
            mentions=(mention,),
            key=key,
        )

    def forget(self, key: str) -> None:
        """Forget a push's `WebhookResult.key`, so that WeChat's retry of it is processed
        again (handling it failed)."""
        self._seen.discard(key)

    # -- internals ---------------------------------------------------------------------------

    def _recent(self, stamp: str) -> bool:
        try:
            return abs(self._clock() - int(stamp)) <= self.tolerance
        except ValueError:
            return False

    def _read(
        self, query: Mapping[str, str], body: bytes, stamp: str, nonce: str
    ) -> tuple[dict[str, str], WebhookResult | None]:
        """The message's fields, or the refusal."""
        try:
            outer = _fields(body)
        except _UNSAFE:
            return {}, WebhookResult(400, b"", reason="malformed or unsafe XML")
        if self._cipher is None:
            if not signature_matches(query.get("signature"), self._token, stamp, nonce):
                return {}, WebhookResult(403, b"", reason="bad signature")
            return outer, None
        encrypted = outer.get("Encrypt")
        if query.get("encrypt_type") != "aes" or not encrypted:
            return {}, WebhookResult(403, b"", reason="safe mode expects an encrypted push")
        if not signature_matches(query.get("msg_signature"), self._token, stamp, nonce, encrypted):
            return {}, WebhookResult(403, b"", reason="bad signature")
        try:
            inner = _fields(self._cipher.decrypt(encrypted))
        except CryptoError as exc:
            return {}, WebhookResult(403, b"", reason=f"undecryptable payload: {exc}")
        except _UNSAFE:
            return {}, WebhookResult(400, b"", reason="malformed or unsafe XML")
        return inner, None

    def _seal(self, reply: bytes, stamp: str, nonce: str) -> bytes:
        """A passive reply encrypted and signed for safe mode."""
        assert self._cipher is not None
        encrypted = self._cipher.encrypt(reply)
        nonce = nonce or os.urandom(8).hex()
        return (
            f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt>"
            f"<MsgSignature>{_cdata(sign(self._token, stamp, nonce, encrypted))}</MsgSignature>"
            f"<TimeStamp>{stamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
        ).encode()


def _safe_parser() -> Any:
    """defusedxml's ElementTree (a dependency of the webhook only)."""
    try:
        import defusedxml.ElementTree as safe  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "the WeChat webhook parses XML with defusedxml: pip install defusedxml",
            platform=PLATFORM,
        ) from None
    return safe


def _fields(xml: bytes) -> dict[str, str]:
    """The child elements of a push's ``<xml>`` root, by tag (nested ones flattened).

    No DTD and no entity is accepted, so entity expansion (XML bombs) never happens.
    """
    root: Any = _safe_parser().fromstring(xml, forbid_dtd=True, forbid_entities=True)
    if root.tag != "xml":
        raise ValueError("the root element is not <xml>")
    return {child.tag: (child.text or "").strip() for child in root.iter() if child is not root}


def _dedupe_key(fields: Mapping[str, str]) -> str:
    """What makes a push unique: its ``MsgId``, else who, when and which event (and key).

    Events carry no ``MsgId`` (job results carry ``MsgID``); two menu clicks in the same
    second from one follower differ by ``EventKey``, so both are kept.
    """
    parts = ("FromUserName", "CreateTime", "MsgType", "Event", "EventKey", "MsgId", "MsgID")
    return fields.get("MsgId") or "\x1f".join(fields.get(name, "") for name in parts)


def _mention(fields: Mapping[str, str]) -> Mention:
    """A follower's message (text, image, voice, video, location, link) as a Mention."""
    openid = fields.get("FromUserName", "")
    kind = fields.get("MsgType", "text")
    names = _TEXT_OF.get(kind, ("Content",))
    text = " ".join(fields[n] for n in names if fields.get(n))
    key = fields.get("MsgId") or f"{openid}:{fields.get('CreateTime')}"
    return Mention(
        platform=PLATFORM,
        id=key,
        kind="message",
        author=Account(platform=PLATFORM, id=openid, handle=openid),
        text=text,
        created_at=timestamp(fields.get("CreateTime")),
        raw=dict(fields),
    )
