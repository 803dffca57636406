"""Alerts: what a spike becomes, the callbacks that receive it, and a signed webhook.

A webhook POST carries the alert as JSON and a signature header::

    X-Socialkit-Signature: t=1736154000,sha256=5f1c...e9

where the hex is HMAC-SHA256 over ``f"{t}.".encode() + body`` with the shared
secret. Signing the timestamp with the body lets a receiver refuse replays:
`verify_signature` accepts a signature only within ``tolerance`` seconds of now.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import attrs
import httpx
import tenacity

from .._records import Record
from ..errors import ConfigError, TransportError
from .spikes import Spike, SpikeKind

__all__ = [
    "SIGNATURE_HEADER",
    "Alert",
    "AlertHandler",
    "Severity",
    "WebhookSender",
    "adispatch",
    "dispatch",
    "sign",
    "verify_signature",
]

logger = logging.getLogger("socialkit.monitoring")

SIGNATURE_HEADER = "X-Socialkit-Signature"
"""The header that carries a webhook alert's HMAC signature."""
Severity = Literal["warning", "crisis"]
"""How serious an alert is; a crisis can pause the calendar."""


@attrs.frozen
class Alert(Record):
    """A spike on one query, with a few of the posts that made it.

    Attributes:
        query: The name of the query that spiked.
        kind: ``"volume"`` or ``"negative_share"``.
        severity: ``"crisis"`` for a negative-share spike (or a volume spike that is
            mostly negative), else ``"warning"``.
        value: The poll's volume, or its negative share.
        baseline: What the detector expected.
        score: How unusual it was (a z-score).
        volume: Items in the poll; ``negative``: how many were negative.
        at: When the poll was taken (UTC).
        samples: Up to five ``(url or id, text)`` of the poll's negative (else any) items.
    """

    query: str
    kind: SpikeKind
    severity: Severity
    value: float
    baseline: float
    score: float
    volume: int
    negative: int
    at: datetime
    samples: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_spike(
        cls,
        query: str,
        spike: Spike,
        at: datetime,
        samples: tuple[tuple[str, str], ...] = (),
        *,
        crisis_share: float = 0.5,
    ) -> Alert:
        """An alert for ``spike``; a volume spike whose share is ``crisis_share`` or more
        negative is a crisis too."""
        share = spike.negative / spike.volume if spike.volume else 0.0
        crisis = spike.kind == "negative_share" or share >= crisis_share
        return cls(
            query=query,
            kind=spike.kind,
            severity="crisis" if crisis else "warning",
            value=spike.value,
            baseline=spike.baseline,
            score=spike.score,
            volume=spike.volume,
            negative=spike.negative,
            at=at,
            samples=samples,
        )

    @property
    def summary(self) -> str:
        """One line for a log or a chat message (the severity is not in it)."""
        if self.kind == "volume":
            share = self.negative / self.volume if self.volume else 0.0
            what = f"volume {self.value:g} vs ~{self.baseline:g} per poll, {share:.0%} negative"
        else:
            what = f"negative share {self.value:.0%} vs ~{self.baseline:.0%} of {self.volume}"
        return f"{self.query!r} {what} (z={min(self.score, 99):.1f})"

    def to_json(self) -> dict[str, Any]:
        """The alert as a JSON-ready mapping (what the webhook sends)."""
        return {
            "type": "socialkit.alert",
            "query": self.query,
            "kind": self.kind,
            "severity": self.severity,
            "value": self.value,
            "baseline": self.baseline,
            "score": min(self.score, 1e9),
            "volume": self.volume,
            "negative": self.negative,
            "at": self.at.astimezone(UTC).isoformat(),
            "summary": self.summary,
            "samples": [{"ref": ref, "text": text} for ref, text in self.samples],
        }


AlertHandler = Callable[[Alert], object]
"""A callback for alerts; it may be a coroutine function when polling asynchronously."""


def dispatch(alert: Alert, handlers: list[AlertHandler]) -> None:
    """Give ``alert`` to every handler; one that raises is logged and the rest still run."""
    for handler in handlers:
        try:
            result = handler(alert)
            if inspect.iscoroutine(result):
                result.close()
                raise TypeError("a coroutine alert handler needs the async poll (apoll)")
        except Exception:
            logger.exception("alert handler %r failed", handler)


async def adispatch(alert: Alert, handlers: list[AlertHandler]) -> None:
    """`dispatch` for async polling: coroutine handlers are awaited, and a handler with
    an ``asend`` method (a `WebhookSender`) is called through it."""
    for handler in handlers:
        try:
            asend = getattr(handler, "asend", None)
            result = asend(alert) if callable(asend) else handler(alert)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("alert handler %r failed", handler)


def sign(body: bytes, secret: str | bytes, timestamp: int | None = None) -> str:
    """The signature header value for ``body``: ``t=<unix seconds>,sha256=<hex>``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},sha256={_digest(body, secret, stamp)}"


def _digest(body: bytes, secret: str | bytes, stamp: int) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()


def verify_signature(
    body: bytes,
    header: str | None,
    secret: str | bytes,
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> bool:
    """Whether ``header`` is a valid signature of ``body``, made within ``tolerance`` seconds.

    For receivers of the webhook: pass the raw request body (before any JSON
    parsing) and the ``X-Socialkit-Signature`` header. A malformed header, a
    tampered body, a wrong secret, or a timestamp too old (or too far in the
    future) gives ``False``. The comparison is constant-time.
    """
    if not header:
        return False
    fields: dict[str, str] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, value)
    stamp, given = fields.get("t", ""), fields.get("sha256", "")
    if not stamp.isdigit() or not given:
        return False
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance:
        return False
    return hmac.compare_digest(_digest(body, secret, int(stamp)), given)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, httpx.TransportError)


@attrs.define
class WebhookSender:
    """POST alerts as signed JSON to a URL; usable as an alert handler.

    Attributes:
        url: Where to POST (HTTPS, or HTTP on a loopback host).
        secret: The shared HMAC secret (never shown in repr).
        timeout: Seconds per attempt.
        attempts: Attempts per alert, for connection failures, 429 and 5xx.
        backoff: The scale of the random exponential wait between attempts (seconds).
        headers: Extra headers.

    ```python
    monitor.on_alert(WebhookSender("https://hooks.example.com/social", secret=SECRET))
    ```
    """

    url: str
    secret: str | bytes = attrs.field(repr=False)
    timeout: float = 10.0
    attempts: int = 3
    backoff: float = 0.5
    headers: Mapping[str, str] = attrs.field(factory=dict)
    clock: Callable[[], float] = attrs.field(default=time.time, repr=False)

    def __attrs_post_init__(self) -> None:
        url = httpx.URL(self.url)
        loopback = url.host in ("localhost", "127.0.0.1", "::1")
        if url.scheme != "https" and not (url.scheme == "http" and loopback):
            raise ConfigError("a webhook URL must be https (http only on loopback)", field="url")
        if not self.secret:
            raise ConfigError("a webhook needs a non-empty secret", field="secret")

    def request(self, alert: Alert) -> httpx.Request:
        """The signed request for ``alert``."""
        body = json.dumps(alert.to_json(), ensure_ascii=False, sort_keys=True).encode()
        headers = {
            **self.headers,
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, self.secret, int(self.clock())),
        }
        return httpx.Request("POST", self.url, content=body, headers=headers)

    def _retrying(self) -> dict[str, Any]:
        return {
            "stop": tenacity.stop_after_attempt(self.attempts),
            "wait": tenacity.wait_random_exponential(multiplier=self.backoff, max=30),
            "retry": tenacity.retry_if_exception(_retryable),
            "reraise": True,
        }

    def send(self, alert: Alert) -> None:
        """POST ``alert`` (signed afresh per attempt); raise `TransportError` when it fails."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                for attempt in tenacity.Retrying(**self._retrying()):
                    with attempt:
                        http.send(self.request(alert)).raise_for_status()
        except httpx.HTTPError as exc:
            raise TransportError(f"webhook POST failed: {type(exc).__name__}") from exc

    async def asend(self, alert: Alert) -> None:
        """`send`, asynchronously."""
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                async for attempt in tenacity.AsyncRetrying(**self._retrying()):
                    with attempt:
                        (await http.send(self.request(alert))).raise_for_status()
        except httpx.HTTPError as exc:
            raise TransportError(f"webhook POST failed: {type(exc).__name__}") from exc

    def __call__(self, alert: Alert) -> None:
        """Alert-handler form: `send`."""
        self.send(alert)
