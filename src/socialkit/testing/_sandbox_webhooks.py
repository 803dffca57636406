"""The sandbox delivers signed webhooks, shaped and signed as Meta, X and TikTok do.

`Sandbox.add_webhook` registers a URL: the handshake is made at once, as the platform
makes it when a callback URL is configured (Meta: ``GET ?hub.mode=subscribe&
hub.verify_token=&hub.challenge=``, the challenge echoed; X: the CRC ``GET ?crc_token=``,
answered with ``{"response_token": "sha256=<base64 HMAC>"}``; TikTok has none). Then
every matching change of the brand is POSTed by a background thread:

- ``meta`` (Instagram's shape): a reply to one of the brand's statuses is a ``comments``
  change, a mention of the brand a ``mentions`` change; ``X-Hub-Signature-256``.
- ``x`` (Account Activity): either is a ``tweet_create_events`` item;
  ``x-twitter-webhooks-signature``.
- ``tiktok``: a status the brand publishes is ``post.publish.publicly_available`` with its
  ``post_id``; ``TikTok-Signature: t=<unix>,s=<hex HMAC of "t." + body>``.

References: https://developers.facebook.com/docs/graph-api/webhooks/getting-started,
https://docs.x.com/x-api/enterprise-gnip-2.0/fundamentals/account-activity,
https://developers.tiktok.com/doc/webhooks-verification
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

import attrs
import httpx

from ._sandbox_store import Account, Notification, SandboxError, Status, Store

__all__ = ["Delivery", "WebhookPlatform", "WebhookSender", "WebhookTarget"]

WebhookPlatform = Literal["meta", "x", "tiktok"]


def _mac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


@attrs.frozen
class WebhookTarget:
    """A URL the sandbox delivers one platform's webhooks to (the secret is not shown)."""

    platform: WebhookPlatform
    url: str
    secret: str = attrs.field(repr=False)
    verify_token: str | None = attrs.field(default=None, repr=False)

    def sign(self, body: bytes, now: float) -> dict[str, str]:
        """The signature headers the platform sends with ``body``."""
        mac = _mac(self.secret, body)
        if self.platform == "meta":
            return {"X-Hub-Signature-256": "sha256=" + mac.hex()}
        if self.platform == "x":
            return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(mac).decode()}
        stamp = int(now)
        signed = _mac(self.secret, f"{stamp}.".encode() + body).hex()
        return {"TikTok-Signature": f"t={stamp},s={signed}"}


@attrs.frozen
class Delivery:
    """One webhook the sandbox sent: what, where, and the receiver's answer.

    ``status`` is ``None`` when the request failed (``error`` says how).
    """

    target: WebhookTarget
    body: bytes
    headers: dict[str, str] = attrs.field(repr=False)
    status: int | None = None
    error: str | None = None


def _json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


class WebhookSender:
    """Renders store changes as platform payloads and posts them from a background thread."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self._clock = clock
        self.targets: list[WebhookTarget] = []
        self.deliveries: list[Delivery] = []
        self._queue: queue.Queue[tuple[WebhookTarget, bytes, dict[str, str]]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- configuration ----------------------------------------------------------------

    def add(self, target: WebhookTarget) -> None:
        """Make the platform's handshake with ``target``, then deliver to it.

        Raises:
            SandboxError: the receiver did not answer the handshake as the platform expects.
        """
        with httpx.Client(timeout=5, trust_env=False) as http:
            if target.platform == "meta":
                challenge = secrets.token_hex(8)
                query = {"hub.mode": "subscribe", "hub.verify_token": target.verify_token or "",
                         "hub.challenge": challenge}
                answer = http.get(target.url, params=query)
                if answer.status_code != 200 or answer.text != challenge:
                    raise SandboxError(422, f"meta handshake refused ({answer.status_code})")
            elif target.platform == "x":
                token = secrets.token_urlsafe(16)
                answer = http.get(target.url, params={"crc_token": token})
                mac = _mac(target.secret, token.encode())
                expected = "sha256=" + base64.b64encode(mac).decode()
                if answer.status_code != 200 or _response_token(answer) != expected:
                    raise SandboxError(422, f"x CRC check failed ({answer.status_code})")
        self.targets.append(target)

    # -- rendering (called under the sandbox lock) ------------------------------------

    def on_change(self, kind: str, subject: Status | Notification, brand: Account) -> None:
        """Queue the deliveries a store change makes."""
        if not self.targets:
            return
        for target in self.targets:
            body = self._payload(target.platform, kind, subject, brand)
            if body is not None:
                self._queue.put((target, body, target.sign(body, time.time())))
        self._start()

    def _payload(
        self, platform: str, kind: str, subject: Status | Notification, brand: Account
    ) -> bytes | None:
        store = self.store
        if platform == "tiktok":
            if kind != "update" or not isinstance(subject, Status):
                return None
            if subject.account_id != brand.id or subject.reblog_of_id:
                return None
            content = _json({"publish_id": f"v_pub_url~v2.{subject.id}",
                             "publish_type": "DIRECT_PUBLISH", "post_id": subject.id}).decode()
            return _json({"client_key": "sandbox", "event": "post.publish.publicly_available",
                          "create_time": int(subject.created_at.timestamp()),
                          "user_openid": f"act.{brand.id}", "content": content})
        if not isinstance(subject, Notification) or subject.account_id != brand.id:
            return None
        if subject.type != "mention" or subject.status_id is None:
            return None
        status = store.statuses.get(subject.status_id)
        author = store.accounts.get(subject.from_account_id)
        if status is None or author is None:
            return None
        reply = status.in_reply_to_account_id == brand.id
        if platform == "meta":
            if reply:
                value: dict[str, Any] = {
                    "from": {"id": author.id, "username": author.username},
                    "media": {"id": status.in_reply_to_id, "media_product_type": "FEED"},
                    "id": status.id, "text": status.text,
                }
                change = {"field": "comments", "value": value}
            else:
                change = {"field": "mentions",
                          "value": {"media_id": status.id, "comment_id": status.id}}
            return _json({"object": "instagram", "entry": [
                {"id": brand.id, "time": int(status.created_at.timestamp()), "changes": [change]}
            ]})
        created = status.created_at
        tweet = {
            "created_at": created.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "id": int(status.id), "id_str": status.id, "text": status.text,
            "in_reply_to_status_id_str": status.in_reply_to_id if reply else None,
            "in_reply_to_user_id_str": brand.id if reply else None,
            "is_quote_status": False,
            "user": {"id": int(author.id), "id_str": author.id, "name": author.display_name,
                     "screen_name": author.username},
            "entities": {"user_mentions": [{"screen_name": brand.username, "id_str": brand.id}]},
            "timestamp_ms": str(int(created.timestamp() * 1000)),
        }
        return _json({"for_user_id": brand.id, "tweet_create_events": [tweet]})

    # -- sending ----------------------------------------------------------------------

    def _start(self) -> None:
        """Start the sender unless it runs (called after queueing)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        """Send until the queue has been empty for a second (the emptiness is checked
        under the lock `_start` takes, so nothing queued meanwhile is left behind)."""
        with httpx.Client(timeout=5, trust_env=False) as http:
            while True:
                try:
                    target, body, headers = self._queue.get(timeout=1.0)
                except queue.Empty:
                    with self._lock:
                        if self._queue.empty():
                            self._thread = None
                            return
                    continue
                try:
                    self.deliveries.append(self._send(http, target, body, headers))
                finally:
                    self._queue.task_done()

    @staticmethod
    def _send(
        http: httpx.Client, target: WebhookTarget, body: bytes, headers: dict[str, str]
    ) -> Delivery:
        sent = {"Content-Type": "application/json", **headers}
        try:
            answer = http.post(target.url, content=body, headers=sent)
        except httpx.HTTPError as exc:
            return Delivery(target, body, sent, error=type(exc).__name__)
        return Delivery(target, body, sent, status=answer.status_code)

    def redeliver(self, delivery: Delivery) -> None:
        """Send ``delivery`` again, byte for byte (a platform's retry, or a replay)."""
        self._queue.put((delivery.target, delivery.body, delivery.headers))
        self._start()

    def wait(self, timeout: float) -> bool:
        """Block until every queued delivery was sent; ``False`` on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


def _response_token(answer: httpx.Response) -> str | None:
    try:
        data = answer.json()
    except ValueError:
        return None
    token = data.get("response_token") if isinstance(data, dict) else None
    return token if isinstance(token, str) else None
