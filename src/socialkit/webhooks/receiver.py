"""The framework-agnostic webhook receiver: verify, answer handshakes, parse, de-duplicate.

Every platform's receiver has one method, ``receive(method, headers, query, body)``,
that returns a `Receipt`: the status, body and headers to answer with, and the parsed
events. The order is fixed and never skipped:

1. ``GET`` is a handshake (Meta's ``hub.challenge``, X's CRC, LinkedIn's
   ``challengeCode``, Weibo's ``echostr``), answered or refused with 403.
2. A ``POST`` body over ``max_body`` bytes is refused with 400, unread.
3. The signature is checked on the raw bytes (`hmac.compare_digest`); a bad or missing
   one is refused with 403 and an empty body, before anything is parsed.
4. The body is parsed; malformed JSON, or a shape the platform never sends, is a 400.
5. Every event is checked against a `SeenStore` by the platform's delivery id (or, where
   the platform has none, by a digest of the change): a replayed delivery yields no
   event a second time within the store's window.

If handling the events fails, call `Receiver.forget` with the receipt and answer 5xx:
the platform's retry is then let through instead of being dropped as a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs

from ..errors import SocialkitError
from ..events.types import CommentEvent, MentionEvent, PostEvent, ReactionEvent

__all__ = [
    "AnyEventT",
    "MalformedDelivery",
    "MemorySeenStore",
    "Receipt",
    "Receiver",
    "SeenStore",
    "WebhookReceiver",
    "hmac_sha256",
]

AnyEventT = MentionEvent | CommentEvent | ReactionEvent | PostEvent
"""The union of the concrete event types a receiver yields."""

MAX_BODY = 1024 * 1024
"""The default largest accepted body: 1 MiB (platform batches are far smaller)."""


class MalformedDelivery(ValueError):
    """A signed delivery whose body is not what the platform sends (answered with 400)."""


@attrs.frozen
class Receipt:
    """What to answer the platform, and what the delivery carried.

    Attributes:
        status: The HTTP status to answer with.
        body: The response body (a handshake's answer; empty when refused).
        headers: Response headers (``content-type`` when there is a body).
        events: The new events of the delivery, replays left out.
        keys: The de-duplication keys these events were remembered under (see
            `Receiver.forget`).
        duplicates: How many events were dropped as replays.
        reason: Why the delivery was refused, for logs (never a secret).
    """

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    events: tuple[AnyEventT, ...] = ()
    keys: tuple[str, ...] = ()
    duplicates: int = 0
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the request was accepted (a 2xx status)."""
        return 200 <= self.status < 300


@runtime_checkable
class SeenStore(Protocol):
    """Remembers delivery keys for a while, to drop replays. Implement it over Redis or a
    database to share it between processes."""

    def add(self, key: str) -> bool:
        """Remember ``key``; ``False`` when it was already remembered (a replay)."""
        ...

    def discard(self, key: str) -> None:
        """Forget ``key`` (its handling failed, so the retry must be processed)."""
        ...


class MemorySeenStore:
    """An in-process `SeenStore`: the ``size`` most recent keys, each for ``window`` seconds.

    Args:
        size: How many keys are kept; the least recently seen go first.
        window: How long a key counts as seen, in seconds (platforms retry for up to
            three days: TikTok 72 h, LinkedIn 8 h, Meta 36 h).
        clock: The time source (for tests).
    """

    def __init__(
        self, size: int = 100_000, window: float = 72 * 3600, clock: Callable[[], float] = time.time
    ) -> None:
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._size = size
        self._window = window
        self._clock = clock
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """Remember ``key``; ``False`` when it was seen within the window."""
        now = self._clock()
        with self._lock:
            seen = self._keys.get(key)
            if seen is not None and now - seen < self._window:
                self._keys.move_to_end(key)  # a replay keeps the key among the recent
                return False
            self._keys[key] = now
            self._keys.move_to_end(key)
            while len(self._keys) > self._size:
                self._keys.popitem(last=False)
            return True

    def discard(self, key: str) -> None:
        """Forget ``key``."""
        with self._lock:
            self._keys.pop(key, None)

    def __len__(self) -> int:
        return len(self._keys)


def hmac_sha256(secret: str, message: bytes) -> bytes:
    """The raw HMAC-SHA256 of ``message`` keyed with ``secret`` (UTF-8)."""
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def same(expected: str | bytes, given: str | bytes | None) -> bool:
    """Constant-time equality of two signatures, as bytes; ``None`` never matches."""
    if given is None:
        return False
    left = expected.encode() if isinstance(expected, str) else expected
    right = given.encode("utf-8", "replace") if isinstance(given, str) else given
    return hmac.compare_digest(left, right)


def json_body(body: bytes) -> Any:
    """The JSON of a signed body, or `MalformedDelivery`."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedDelivery("the body is not JSON") from exc


def digest(*parts: object) -> str:
    """A short stable key for a change without an id of its own (Meta, Weibo)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@runtime_checkable
class WebhookReceiver(Protocol):
    """What the ASGI app mounts: a `Receiver`, or an adapter such as `WeChatReceiver`."""

    platform: str

    def receive(
        self, method: str, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> Receipt:
        """Answer one request to the webhook URL."""
        ...

    def forget(self, receipt: Receipt) -> None:
        """Forget a receipt's de-duplication keys (its handling failed)."""
        ...


Parsed = list[tuple[str, AnyEventT]]
"""What a receiver's parser returns: (de-duplication key, event) pairs."""


class Receiver(ABC):
    """A platform's webhook endpoint, independent of any web framework.

    Args:
        max_body: The largest accepted body in bytes; a larger one is answered 400.
        seen: Where delivery keys are remembered (an in-memory LRU by default).
    """

    platform: ClassVar[str]
    """The platform this receiver listens to."""

    def __init__(self, *, max_body: int = MAX_BODY, seen: SeenStore | None = None) -> None:
        self.max_body = max_body
        self.seen: SeenStore = seen if seen is not None else MemorySeenStore()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(platform={self.platform!r})"

    def receive(
        self,
        method: str,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        body: bytes,
    ) -> Receipt:
        """Answer one request to the webhook URL; see the module's docstring for the order."""
        lowered = {name.lower(): value for name, value in headers.items()}
        verb = method.upper()
        if verb in ("GET", "HEAD"):
            return self.handshake(query)
        if verb != "POST":
            return Receipt(405, headers={"allow": "GET, POST"}, reason="method not allowed")
        if len(body) > self.max_body:
            return Receipt(400, reason="body too large")
        if not self.verify(lowered, query, body):
            return Receipt(403, reason="bad or missing signature")
        try:
            parsed = self.parse(lowered, query, body)
        except (ValueError, TypeError, KeyError, ArithmeticError, SocialkitError) as exc:
            reason = str(exc) if isinstance(exc, MalformedDelivery) else type(exc).__name__
            return Receipt(400, reason=f"malformed delivery: {reason}")
        return self._fresh(parsed)

    def forget(self, receipt: Receipt) -> None:
        """Forget a receipt's keys, so that the platform's retry is processed again."""
        for key in receipt.keys:
            self.seen.discard(key)

    # -- what each platform supplies -----------------------------------------------------

    @abstractmethod
    def handshake(self, query: Mapping[str, str]) -> Receipt:
        """Answer a ``GET`` (the platform's URL verification)."""

    @abstractmethod
    def verify(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> bool:
        """Whether the delivery is signed by the platform (headers are lower-cased)."""

    @abstractmethod
    def parse(self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes) -> Parsed:
        """The events of a verified delivery, each with its de-duplication key."""

    def accepted(self) -> Receipt:
        """The answer to an accepted delivery (``200`` with an empty body by default)."""
        return Receipt(200)

    # -- internals -----------------------------------------------------------------------

    def _fresh(self, parsed: Parsed) -> Receipt:
        events: list[AnyEventT] = []
        keys: list[str] = []
        duplicates = 0
        for key, event in parsed:
            scoped = f"{self.platform}:{key}"
            if self.seen.add(scoped):
                events.append(event)
                keys.append(scoped)
            else:
                duplicates += 1
        answer = self.accepted()
        return attrs.evolve(answer, events=tuple(events), keys=tuple(keys), duplicates=duplicates)


def text_answer(body: str, status: int = 200) -> Receipt:
    """A handshake answered with plain text."""
    return Receipt(status, body.encode(), {"content-type": "text/plain; charset=utf-8"})


def json_answer(data: Mapping[str, Any], status: int = 200) -> Receipt:
    """A handshake answered with JSON."""
    return Receipt(status, json.dumps(data).encode(), {"content-type": "application/json"})
